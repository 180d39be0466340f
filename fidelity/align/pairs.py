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

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from scipy import sparse

from fidelity.align.config import AlignConfig
from fidelity.align.features import ClaimFeatures, FloatMatrix

QuoteMatch = str  # verbatim | trimmed | altered | paraphrased-as-quote
_QUOTE_VALUE = {"verbatim": 1.0, "trimmed": 0.9, "altered": 0.75, "paraphrased-as-quote": 0.6}


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
    idf = np.log((n + 1.0) / np.maximum(df, 1.0)) / math.log(n + 1.0)
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
    if len(texts) < 2:
        return evidence
    own = np.asarray(owner)
    article = np.asarray([features[i].article for i in owner])
    translated = np.asarray([features[i].translated for i in owner])
    ratio = process.cdist(texts, texts, scorer=fuzz.ratio, workers=-1)
    partial = process.cdist(texts, texts, scorer=fuzz.partial_ratio, workers=-1)
    token_set = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, workers=-1)
    words = np.asarray([len(t.split()) for t in texts])
    shorter = np.minimum.outer(words, words)
    lengths = np.asarray([len(t) for t in texts])
    length_ratio = np.minimum.outer(lengths, lengths) / np.maximum.outer(lengths, lengths)
    cosine = None
    if quote_vectors is not None:
        cosine = quote_vectors @ quote_vectors.T

    verbatim = ratio >= config.quote_verbatim
    trimmed = ~verbatim & (partial >= config.quote_trimmed) & (shorter >= 2) & (length_ratio < 0.95)
    altered = (
        ~verbatim
        & ~trimmed
        & (np.maximum(ratio, np.where(shorter >= 2, token_set, 0)) >= config.quote_altered)
    )
    paraphrased = np.zeros_like(verbatim)
    if cosine is not None:
        both = np.outer(translated, translated)
        paraphrased = (
            ~verbatim & ~trimmed & ~altered & both & (cosine >= config.quote_paraphrase_cosine)
        )
    best: dict[tuple[int, int], float] = {}
    matched = verbatim | trimmed | altered | paraphrased
    matched &= article[:, None] != article[None, :]
    # A quote echoed by many claims ("coalition of the willing") says less about any pair.
    claims_sharing = np.zeros(len(texts))
    for k in range(len(texts)):
        claims_sharing[k] = len(set(own[matched[k]].tolist())) + 1
    specificity = np.log((n + 1.0) / (claims_sharing + 1.0)) / math.log(n + 1.0)
    specificity = np.clip(specificity, 0.0, 1.0) ** 0.5
    for a, b in zip(*np.nonzero(np.triu(matched, 1)), strict=True):
        kind = (
            "verbatim"
            if verbatim[a, b]
            else "trimmed"
            if trimmed[a, b]
            else "altered"
            if altered[a, b]
            else "paraphrased-as-quote"
        )
        value = (
            _QUOTE_VALUE[kind] * min(1.0, shorter[a, b] / 4.0) * min(specificity[a], specificity[b])
        )
        i, j = int(own[a]), int(own[b])
        if value > best.get((i, j), 0.0):
            best[(i, j)] = best[(j, i)] = value
            evidence.kind[(i, j)] = evidence.kind[(j, i)] = kind
            short = labels[a] if len(texts[a]) <= len(texts[b]) else labels[b]
            evidence.label[(i, j)] = evidence.label[(j, i)] = f"“{short}”"
    if best:
        pairs = np.asarray(list(best), dtype=np.int64)
        evidence.value = sparse.csr_matrix(
            (np.fromiter(best.values(), dtype=np.float64), (pairs[:, 0], pairs[:, 1])),
            shape=(n, n),
        )
    return evidence


KEEP = 0.05  # confidences below this are not stored: clusters count them as 0


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


def story_pairs(
    features: Sequence[ClaimFeatures],
    vectors: FloatMatrix | None,
    quote_vectors: FloatMatrix | None,
    config: AlignConfig,
) -> StoryPairs:
    """Confidence of the claim pairs of a story and the pairs to report.

    ``features`` must list the claims article by article. A pair is reported when it is
    confident (``accept``) and within ``margin`` of the best match of one of its claims in
    the other's article, so one sentence may summarise two and two may split one.
    """
    n = len(features)
    article = np.asarray([f.article for f in features], dtype=np.int64)
    translated = np.asarray([f.translated for f in features])
    incidence, weighted, _ = anchor_incidence(features)
    quotes = quote_evidence(features, quote_vectors, config)
    # Token-set and partial ratios reach 100 for any two-word heading inside a sentence;
    # below four content words the fuzzy evidence fades out.
    words = np.asarray([len(f.content.split()) for f in features], dtype=np.float32)
    starts = np.flatnonzero(np.r_[True, article[1:] != article[:-1]]) if n else np.zeros(0, int)
    ends = np.r_[starts[1:], n].astype(np.int64)
    keep_rows: list[npt.NDArray[np.int64]] = []
    keep_cols: list[npt.NDArray[np.int64]] = []
    keep_vals: list[npt.NDArray[np.float64]] = []
    edges: list[tuple[int, int]] = []
    signals: dict[tuple[int, int], PairSignals] = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end >= n:
            break
        rows = np.arange(start, end)
        block = _block(features, rows, end, vectors, incidence, weighted, quotes, words, config)
        confidence, fuzzy, cosine = block
        comparable = np.outer(translated[rows], translated[end:])
        # best[i, j]: the best match of row i in the article of column j (later articles
        # are contiguous: one reduceat over their starts); column_best[j]: of j in this one
        later = starts[starts >= end] - end
        span = np.diff(np.r_[later, n - end])
        best = np.maximum.reduceat(confidence, later, axis=1)[
            :, np.repeat(np.arange(len(later)), span)
        ]
        column_best = confidence.max(axis=0)
        keep = (confidence >= config.accept) & (
            (confidence >= best - config.margin) | (confidence >= column_best - config.margin)
        )
        for r, c in zip(*np.nonzero(keep), strict=True):
            i, j = int(rows[r]), int(end + c)
            edges.append((i, j))
            signals[(i, j)] = PairSignals(
                confidence=float(confidence[r, c]),
                fuzzy=float(fuzzy[r, c]),
                cosine=float(cosine[r, c]) if cosine is not None and comparable[r, c] else None,
                comparable=bool(comparable[r, c]),
            )
        r, c = np.nonzero(confidence >= KEEP)
        keep_rows.append(rows[r])
        keep_cols.append(end + c)
        keep_vals.append(confidence[r, c])
    rows_all = np.concatenate(keep_rows or [np.zeros(0, np.int64)])
    cols_all = np.concatenate(keep_cols or [np.zeros(0, np.int64)])
    vals_all = np.concatenate(keep_vals or [np.zeros(0)])
    upper = sparse.csr_matrix((vals_all, (rows_all, cols_all)), shape=(n, n))
    return StoryPairs((upper + upper.T).tocsr(), edges, signals, quotes)


def _block(
    features: Sequence[ClaimFeatures],
    rows: npt.NDArray[np.int64],
    first_col: int,
    vectors: FloatMatrix | None,
    incidence: sparse.csr_matrix,
    weighted: sparse.csr_matrix,
    quotes: QuoteEvidence,
    words: npt.NDArray[np.float32],
    config: AlignConfig,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float32], npt.NDArray[np.float32] | None]:
    """Confidence, fuzzy score and cosine of ``rows`` (one article's claims) against every
    claim from ``first_col`` on (the later articles)."""
    cols = slice(first_col, len(features))
    translated = np.asarray([f.translated for f in features])
    comparable = np.outer(translated[rows], translated[cols])
    shared = (weighted[rows] @ incidence[cols].T).toarray()
    anchor = 1.0 - np.exp(-config.anchor_gain * shared)
    quote = quotes.value[rows][:, cols].toarray()
    fuzzy_weight = np.minimum(1.0, np.minimum.outer(words[rows], words[cols]) / 4.0)
    cosine = None
    if vectors is not None:
        cosine = np.clip(vectors[rows] @ vectors[cols].T, -1.0, 1.0)
        without_fuzzy = (
            config.bias
            + config.w_cosine * cosine
            + config.w_anchor * anchor
            + config.w_quote * quote
        )
        # Fuzzy is scored only for pairs that the best possible fuzzy score could lift to
        # ``accept``: elsewhere it cannot change which pairs are reported.
        reachable = without_fuzzy + config.w_fuzzy * fuzzy_weight >= _logit(config.accept)
        fuzzy = fuzzy_block(
            features, rows, np.arange(first_col, len(features)), reachable & comparable
        )
        z = without_fuzzy + config.w_fuzzy * fuzzy_weight * fuzzy / 100.0
    else:
        fuzzy = fuzzy_block(features, rows, np.arange(first_col, len(features)), comparable)
        z = (
            config.bias_lexical
            + config.w_fuzzy_lexical * fuzzy_weight * fuzzy / 100.0
            + config.w_anchor_lexical * anchor
            + config.w_quote_lexical * quote
        )
    z_anchor = config.bias_anchor_only + config.w_anchor_anchor_only * anchor
    confidence = sigmoid(np.where(comparable, z, z_anchor).astype(np.float64))
    return confidence, fuzzy, cosine


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
        workers=-1,
        dtype=np.float32,
    )
    partial = process.cpdist(
        [f.norm for f in left],
        [f.norm for f in right],
        scorer=fuzz.partial_ratio,
        workers=-1,
        dtype=np.float32,
    )
    out[r, c] = (token_set + partial) / np.float32(2.0)
    return out
