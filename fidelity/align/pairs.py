"""Claim-pair evidence over one story: fuzzy, cosine, anchors, quotes, confidence.

The story is processed one article at a time against the claims of the articles after it:
each signal is one vectorised computation over that block (rapidfuzz ``cpdist`` on the
candidate pairs, one matrix product, one sparse product), the pairs to report are selected
inside the block, and only confidences worth keeping are stored (sparse). Memory follows the
largest article times the story, not the story squared, so a story told by hundreds of outlets
fits; Python loops run only over the few pairs that pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from scipy import sparse

from fidelity.align.config import AlignConfig
from fidelity.align.features import ClaimFeatures, FloatMatrix, UnitConflicts, anchor_strength
from fidelity.parallel import library_workers

QuoteMatch = str  # verbatim | trimmed | altered | paraphrased-as-quote
_QUOTE_VALUE = {"verbatim": 1.0, "trimmed": 0.9, "altered": 0.75, "paraphrased-as-quote": 0.6}
# partial_ratio costs about the cube of the text length: a "sentence" of many thousands of
# characters (a page without full stops) would stall the run for minutes, so that scorer sees
# at most this many characters of each text (news sentences are far shorter)
_PARTIAL_CHARS = 500


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def sigmoid(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def anchor_incidence(
    features: Sequence[ClaimFeatures],
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, list[str]]:
    """Which claim carries which anchor, plain and weighted, and the key of each column.

    Each anchor key weighs ``(log((n+1)/df) / log(n+1))**2``: the inverse share of claims
    that carry it, squared so that a story's ubiquitous names add almost nothing. The anchor
    strength of a pair is ``1 - exp(-gain * (weighted @ incidence.T))``.
    """
    n = len(features)
    index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, f in enumerate(features):
        for key in f.anchors:
            rows.append(i)
            cols.append(index.setdefault(key, len(index)))
    keys = list(index)
    incidence = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, max(1, len(keys)))
    )
    df = np.asarray(incidence.sum(axis=0)).ravel()
    # max(n, 1): articles without a single claim give n = 0, and log(1) would divide by zero
    idf = np.log((n + 1.0) / np.maximum(df, 1.0)) / math.log(max(n, 1) + 1.0)
    weighted = (incidence @ sparse.diags(np.clip(idf, 0.0, 1.0) ** 2)).tocsr()
    return incidence, weighted, keys


@dataclass(slots=True)
class QuoteEvidence:
    """Best quote-pair match of each claim pair that has one."""

    value: sparse.csr_matrix  # n x n, symmetric; no entry where no quote pair matched
    kind: dict[tuple[int, int], QuoteMatch] = field(default_factory=dict)
    label: dict[tuple[int, int], str] = field(default_factory=dict)


def quote_evidence(
    features: Sequence[ClaimFeatures],
    quote_vectors: FloatMatrix | None,
    config: AlignConfig,
) -> QuoteEvidence:
    """Match every quoted string with every other one of the story and classify the pairs.

    The quotes are compared a block of rows at a time (``BLOCK_ENTRIES`` pairs), so a story
    with thousands of quotes never holds its quote-by-quote matrices whole.

    Args:
        features: the story's claims.
        quote_vectors: unit vectors of the story's quotes, claim by claim and quote by quote
            (zero rows for quotes of untranslated claims), or ``None``.
        config: thresholds.
    """
    n = len(features)
    owner: list[int] = []
    texts: list[str] = []
    labels: list[str] = []
    for i, f in enumerate(features):
        for q, label in zip(f.quotes, f.quote_labels, strict=True):
            owner.append(i)
            texts.append(q)
            labels.append(label.strip(" ,.;:"))
    evidence = QuoteEvidence(value=sparse.csr_matrix((n, n)))
    m = len(texts)
    if m < 2:
        return evidence
    own = np.asarray(owner)
    article = np.asarray([features[i].article for i in owner])
    translated = np.asarray([features[i].translated for i in owner])
    capped = [t[:_PARTIAL_CHARS] for t in texts]
    words = np.asarray([len(t.split()) for t in texts])
    lengths = np.asarray([len(t) for t in texts])
    # A quote echoed by many claims ("coalition of the willing") says less about any pair.
    claims_sharing = np.zeros(m)
    found_a: list[npt.NDArray[np.int64]] = []
    found_b: list[npt.NDArray[np.int64]] = []
    found_kind: list[npt.NDArray[np.int64]] = []
    step = max(1, BLOCK_ENTRIES // m)
    for a0 in range(0, m, step):
        a1 = min(m, a0 + step)
        kind = _quote_kinds(
            texts, capped, a0, a1, words, lengths, translated, quote_vectors, config
        )
        kind[article[a0:a1, None] == article[None, :]] = -1
        matched = kind >= 0
        for k in range(a1 - a0):
            claims_sharing[a0 + k] = len(set(own[matched[k]].tolist())) + 1
        # each pair once, from its earlier quote, in row order
        matched &= np.arange(a0, a1)[:, None] < np.arange(m)[None, :]
        r, c = np.nonzero(matched)
        found_a.append(a0 + r)
        found_b.append(c)
        found_kind.append(kind[r, c])
    specificity = np.log((n + 1.0) / (claims_sharing + 1.0)) / math.log(n + 1.0)
    specificity = np.clip(specificity, 0.0, 1.0) ** 0.5
    best: dict[tuple[int, int], float] = {}
    for a, b, k in zip(
        np.concatenate(found_a).tolist(),
        np.concatenate(found_b).tolist(),
        np.concatenate(found_kind).tolist(),
        strict=True,
    ):
        kind_name = _QUOTE_KINDS[k]
        shorter = min(words[a], words[b])
        value = (
            _QUOTE_VALUE[kind_name] * min(1.0, shorter / 4.0) * min(specificity[a], specificity[b])
        )
        i, j = int(own[a]), int(own[b])
        if value > best.get((i, j), 0.0):
            best[(i, j)] = best[(j, i)] = value
            evidence.kind[(i, j)] = evidence.kind[(j, i)] = kind_name
            short = labels[a] if len(texts[a]) <= len(texts[b]) else labels[b]
            evidence.label[(i, j)] = evidence.label[(j, i)] = f"“{short}”"
    if best:
        pairs = np.asarray(list(best), dtype=np.int64)
        evidence.value = sparse.csr_matrix(
            (np.fromiter(best.values(), dtype=np.float64), (pairs[:, 0], pairs[:, 1])),
            shape=(n, n),
        )
    return evidence


_QUOTE_KINDS = ("verbatim", "trimmed", "altered", "paraphrased-as-quote")


def _quote_kinds(
    texts: Sequence[str],
    capped: Sequence[str],
    a0: int,
    a1: int,
    words: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    translated: npt.NDArray[np.bool_],
    quote_vectors: FloatMatrix | None,
    config: AlignConfig,
) -> npt.NDArray[np.int64]:
    """Match kind of quotes ``a0:a1`` against every quote: an index into ``_QUOTE_KINDS``,
    or -1 for no match."""
    workers = library_workers()
    ratio = process.cdist(texts[a0:a1], texts, scorer=fuzz.ratio, workers=workers)
    partial = process.cdist(capped[a0:a1], capped, scorer=fuzz.partial_ratio, workers=workers)
    token_set = process.cdist(texts[a0:a1], texts, scorer=fuzz.token_set_ratio, workers=workers)
    shorter = np.minimum.outer(words[a0:a1], words)
    length_ratio = np.minimum.outer(lengths[a0:a1], lengths) / np.maximum.outer(
        lengths[a0:a1], lengths
    )
    verbatim = ratio >= config.quote_verbatim
    trimmed = ~verbatim & (partial >= config.quote_trimmed) & (shorter >= 2) & (length_ratio < 0.95)
    altered = (
        ~verbatim
        & ~trimmed
        & (np.maximum(ratio, np.where(shorter >= 2, token_set, 0)) >= config.quote_altered)
    )
    paraphrased = np.zeros_like(verbatim)
    if quote_vectors is not None:
        cosine = quote_vectors[a0:a1] @ quote_vectors.T
        both = np.outer(translated[a0:a1], translated)
        paraphrased = (
            ~verbatim & ~trimmed & ~altered & both & (cosine >= config.quote_paraphrase_cosine)
        )
    kind: npt.NDArray[np.int64] = np.select(
        [verbatim, trimmed, altered, paraphrased], [0, 1, 2, 3], default=-1
    )
    return kind


KEEP = 0.05  # confidences below this are not stored: clusters count them as 0
# Pairs computed at once in one block of a story (about 16 MB per float64 matrix): an
# article of tens of thousands of sentences is compared a slice of its rows at a time.
BLOCK_ENTRIES = 1 << 21


@dataclass(frozen=True, slots=True)
class PairSignals:
    """The separate evidence of one reported pair."""

    confidence: float
    fuzzy: float  # 0..100
    cosine: float | None  # None without embeddings or when either claim is untranslated
    comparable: bool  # both claims translated: cosine and fuzzy are meaningful


@dataclass(slots=True)
class StoryPairs:
    """The alignment evidence of one story."""

    confidence: sparse.csr_matrix  # symmetric, across articles, entries >= KEEP
    edges: list[tuple[int, int]]  # reported pairs i < j, row by row
    signals: dict[tuple[int, int], PairSignals]
    quotes: QuoteEvidence


@dataclass(frozen=True, slots=True)
class _Story:
    """What every block of one story reads, computed once for the story."""

    features: Sequence[ClaimFeatures]
    vectors: FloatMatrix | None
    translated: npt.NDArray[np.bool_]
    words: npt.NDArray[np.float32]
    incidence: sparse.csr_matrix
    weighted: sparse.csr_matrix
    quotes: QuoteEvidence
    conflicts: UnitConflicts


def story_pairs(
    features: Sequence[ClaimFeatures],
    vectors: FloatMatrix | None,
    quote_vectors: FloatMatrix | None,
    config: AlignConfig,
    *,
    first_article_only: bool = False,
) -> StoryPairs:
    """Confidence of the claim pairs of a story and the pairs to report.

    ``features`` must list the claims article by article. A pair is reported when it is
    confident (``accept``) and within ``margin`` of the best match of one of its claims in
    the other's article, so one sentence may summarise two and two may split one. With
    ``first_article_only``, only the pairs of the first article's claims with the others are
    computed (one article against a panel).
    """
    n = len(features)
    article = np.asarray([f.article for f in features], dtype=np.int64)
    incidence, weighted, keys = anchor_incidence(features)
    story = _Story(
        features=features,
        vectors=vectors,
        translated=np.asarray([f.translated for f in features], dtype=bool),
        # Token-set and partial ratios reach 100 for any two-word heading inside a sentence;
        # below four content words the fuzzy evidence fades out.
        words=np.asarray([len(f.content.split()) for f in features], dtype=np.float32),
        incidence=incidence,
        weighted=weighted,
        quotes=quote_evidence(features, quote_vectors, config),
        conflicts=UnitConflicts(features, weighted, keys),
    )
    starts = np.flatnonzero(np.r_[True, article[1:] != article[:-1]]) if n else np.zeros(0, int)
    ends = np.r_[starts[1:], n].astype(np.int64)
    keep_rows: list[npt.NDArray[np.int64]] = []
    keep_cols: list[npt.NDArray[np.int64]] = []
    keep_vals: list[npt.NDArray[np.float64]] = []
    edges: list[tuple[int, int]] = []
    signals: dict[tuple[int, int], PairSignals] = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end >= n or (first_article_only and start > 0):
            break
        # Later articles are contiguous: one reduceat over their starts gives, for a row, its
        # best match in each of them; column_best is each later claim's best in this article.
        later = starts[starts >= end] - end
        owner = np.repeat(np.arange(len(later)), np.diff(np.r_[later, n - end]))
        column_best = np.full(n - end, -np.inf)
        passing: list[tuple[int, npt.NDArray[np.int64], npt.NDArray[np.int64], Any]] = []
        step = max(1, BLOCK_ENTRIES // (n - end))
        for r0 in range(start, end, step):
            r1 = min(end, r0 + step)
            confidence, fuzzy, cosine, comparable = _block(story, r0, r1, end, config)
            best = np.maximum.reduceat(confidence, later, axis=1)[:, owner]
            np.maximum(column_best, confidence.max(axis=0), out=column_best)
            r, c = np.nonzero(confidence >= config.accept)
            near_row_best = confidence[r, c] >= best[r, c] - config.margin
            passing.append(
                (
                    r0,
                    r,
                    c,
                    (
                        confidence[r, c],
                        fuzzy[r, c],
                        cosine[r, c] if cosine is not None else None,
                        comparable[r, c],
                        near_row_best,
                    ),
                )
            )
            r, c = np.nonzero(confidence >= KEEP)
            keep_rows.append(r0 + r)
            keep_cols.append(end + c)
            keep_vals.append(confidence[r, c])
        for r0, r, c, (value, fuzz_score, cos, both, near_row_best) in passing:
            keep = near_row_best | (value >= column_best[c] - config.margin)
            for k in np.flatnonzero(keep).tolist():
                i, j = r0 + int(r[k]), end + int(c[k])
                edges.append((i, j))
                signals[(i, j)] = PairSignals(
                    confidence=float(value[k]),
                    fuzzy=float(fuzz_score[k]),
                    cosine=float(cos[k]) if cos is not None and both[k] else None,
                    comparable=bool(both[k]),
                )
    rows_all = np.concatenate(keep_rows or [np.zeros(0, np.int64)])
    cols_all = np.concatenate(keep_cols or [np.zeros(0, np.int64)])
    vals_all = np.concatenate(keep_vals or [np.zeros(0)])
    upper = sparse.csr_matrix((vals_all, (rows_all, cols_all)), shape=(n, n))
    return StoryPairs((upper + upper.T).tocsr(), edges, signals, story.quotes)


def _block(
    story: _Story, r0: int, r1: int, first_col: int, config: AlignConfig
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32] | None,
    npt.NDArray[np.bool_],
]:
    """Confidence, fuzzy score, cosine and comparability of claims ``r0:r1`` (part of one
    article) against every claim from ``first_col`` on (the later articles)."""
    n = len(story.features)
    rows, cols = slice(r0, r1), slice(first_col, n)  # slices keep scipy on its fast path
    row_ids, col_ids = np.arange(r0, r1), np.arange(first_col, n)
    comparable = np.outer(story.translated[rows], story.translated[cols])
    shared = (story.weighted[rows] @ story.incidence[cols].T).toarray()
    # a number both claims count, but of different things ("40 homes", "40 helicopters"),
    # is evidence against
    anchor = anchor_strength(shared, story.conflicts.block(rows, cols), config.anchor_gain)
    quote = story.quotes.value[rows, cols].toarray()
    fuzzy_weight = np.minimum(1.0, np.minimum.outer(story.words[rows], story.words[cols]) / 4.0)
    cosine = None
    if story.vectors is not None:
        cosine = np.clip(story.vectors[rows] @ story.vectors[cols].T, -1.0, 1.0)
        without_fuzzy = (
            config.bias
            + config.w_cosine * cosine
            + config.w_anchor * anchor
            + config.w_quote * quote
        )
        # Fuzzy is scored only for pairs that the best possible fuzzy score could lift to
        # ``accept``: elsewhere it cannot change which pairs are reported.
        reachable = without_fuzzy + config.w_fuzzy * fuzzy_weight >= _logit(config.accept)
        fuzzy = fuzzy_block(story.features, row_ids, col_ids, reachable & comparable)
        z = without_fuzzy + config.w_fuzzy * fuzzy_weight * fuzzy / 100.0
    else:
        fuzzy = fuzzy_block(story.features, row_ids, col_ids, comparable)
        z = (
            config.bias_lexical
            + config.w_fuzzy_lexical * fuzzy_weight * fuzzy / 100.0
            + config.w_anchor_lexical * anchor
            + config.w_quote_lexical * quote
        )
    z_anchor = config.bias_anchor_only + config.w_anchor_anchor_only * anchor
    confidence = sigmoid(np.where(comparable, z, z_anchor).astype(np.float64))
    return confidence, fuzzy, cosine, comparable


def fuzzy_block(
    features: Sequence[ClaimFeatures],
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    candidates: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float32]:
    """Mean of token-set ratio on content words and partial ratio on normalised text, for
    the ``candidates`` pairs of the ``rows`` x ``cols`` block (one vectorised ``cpdist`` per
    scorer); 0 elsewhere."""
    out = np.zeros(candidates.shape, dtype=np.float32)
    r, c = np.nonzero(candidates)
    if not len(r):
        return out
    left = [features[int(rows[k])] for k in r]
    right = [features[int(cols[k])] for k in c]
    token_set = process.cpdist(
        [f.content for f in left],
        [f.content for f in right],
        scorer=fuzz.token_set_ratio,
        workers=library_workers(),
        dtype=np.float32,
    )
    partial = process.cpdist(
        [f.norm[:_PARTIAL_CHARS] for f in left],
        [f.norm[:_PARTIAL_CHARS] for f in right],
        scorer=fuzz.partial_ratio,
        workers=library_workers(),
        dtype=np.float32,
    )
    out[r, c] = (token_set + partial) / np.float32(2.0)
    return out
