"""Claim-pair evidence as matrices over one story: fuzzy, cosine, anchors, quotes, confidence.

Every signal is one vectorised computation over all claims of the story (rapidfuzz ``cdist``,
one matrix product, one sparse product); Python loops run only over the few pairs that pass.
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


def anchor_matrix(
    features: Sequence[ClaimFeatures], gain: float
) -> tuple[npt.NDArray[np.float64], sparse.csr_matrix, list[str]]:
    """Anchor strength of every claim pair and the incidence matrix behind it.

    Each anchor key weighs ``(log((n+1)/df) / log(n+1))**2``: the inverse share of claims
    that carry it, squared so that a story's ubiquitous names add almost nothing.

    Returns:
        ``(strength, incidence, keys)``: strength in [0, 1), incidence ``n x K`` (0/1) and the
        key of each column.
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
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, len(keys))
    )
    if not keys:
        return np.zeros((n, n)), incidence, keys
    df = np.asarray(incidence.sum(axis=0)).ravel()
    idf = np.log((n + 1.0) / np.maximum(df, 1.0)) / math.log(n + 1.0)
    weights = np.clip(idf, 0.0, 1.0) ** 2
    weighted = incidence @ sparse.diags(weights)
    shared = (weighted @ incidence.T).toarray()
    return 1.0 - np.exp(-gain * shared), incidence, keys


@dataclass(slots=True)
class QuoteEvidence:
    """Best quote-pair match of each claim pair that has one."""

    value: npt.NDArray[np.float64]  # n x n, 0 where no quote pair matched
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
    evidence = QuoteEvidence(value=np.zeros((n, n)))
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
        if value > evidence.value[i, j]:
            evidence.value[i, j] = evidence.value[j, i] = value
            evidence.kind[(i, j)] = evidence.kind[(j, i)] = kind
            short = labels[a] if len(texts[a]) <= len(texts[b]) else labels[b]
            evidence.label[(i, j)] = evidence.label[(j, i)] = f"“{short}”"
    return evidence


@dataclass(slots=True)
class PairMatrices:
    """All evidence for the claim pairs of one story."""

    confidence: npt.NDArray[np.float64]  # 0 on the diagonal and within one article
    fuzzy: npt.NDArray[np.float32]  # 0..100
    cosine: npt.NDArray[np.float32] | None
    anchor: npt.NDArray[np.float64]
    incidence: sparse.csr_matrix
    anchor_keys: list[str]
    quotes: QuoteEvidence
    comparable: npt.NDArray[np.bool_]  # cosine and fuzzy meaningful (both translated)


def fuzzy_matrix(
    features: Sequence[ClaimFeatures], candidates: npt.NDArray[np.bool_] | None = None
) -> npt.NDArray[np.float32]:
    """Mean of token-set ratio on content words and partial ratio on normalised text.

    Args:
        features: the story's claims.
        candidates: if given, only these pairs are scored (one vectorised ``cpdist`` call per
            scorer over the pair lists); the others stay 0.
    """
    content = [f.content for f in features]
    norm = [f.norm for f in features]
    if candidates is None:
        token_set = process.cdist(
            content, content, scorer=fuzz.token_set_ratio, workers=-1, dtype=np.float32
        )
        partial = process.cdist(norm, norm, scorer=fuzz.partial_ratio, workers=-1, dtype=np.float32)
        out: npt.NDArray[np.float32] = (token_set + partial) / np.float32(2.0)
        return out
    n = len(features)
    out = np.zeros((n, n), dtype=np.float32)
    rows, cols = np.nonzero(np.triu(candidates, 1))
    if not len(rows):
        return out
    left_content = [content[i] for i in rows]
    right_content = [content[j] for j in cols]
    left_norm = [norm[i] for i in rows]
    right_norm = [norm[j] for j in cols]
    token_set = process.cpdist(
        left_content, right_content, scorer=fuzz.token_set_ratio, workers=-1, dtype=np.float32
    )
    partial = process.cpdist(
        left_norm, right_norm, scorer=fuzz.partial_ratio, workers=-1, dtype=np.float32
    )
    values = (token_set + partial) / np.float32(2.0)
    out[rows, cols] = values
    out[cols, rows] = values
    return out


def pair_matrices(
    features: Sequence[ClaimFeatures],
    vectors: FloatMatrix | None,
    quote_vectors: FloatMatrix | None,
    config: AlignConfig,
) -> PairMatrices:
    """Confidence of every claim pair of a story from its separate signals."""
    article = np.asarray([f.article for f in features])
    translated = np.asarray([f.translated for f in features])
    comparable = np.outer(translated, translated)
    anchor, incidence, keys = anchor_matrix(features, config.anchor_gain)
    quotes = quote_evidence(features, quote_vectors, config)
    # Token-set and partial ratios reach 100 for any two-word heading inside a sentence;
    # below four content words the fuzzy evidence fades out.
    words = np.asarray([len(f.content.split()) for f in features], dtype=np.float32)
    fuzzy_weight = np.minimum(1.0, np.minimum.outer(words, words) / 4.0)
    cosine = None
    if vectors is not None:
        cosine = np.clip(vectors @ vectors.T, -1.0, 1.0)
        # Fuzzy is scored only for pairs that the best possible fuzzy score could lift to
        # ``accept``: elsewhere it cannot change which pairs are reported.
        without_fuzzy = (
            config.bias
            + config.w_cosine * cosine
            + config.w_anchor * anchor
            + config.w_quote * quotes.value
        )
        reachable = without_fuzzy + config.w_fuzzy * fuzzy_weight >= _logit(config.accept)
        other_article = article[:, None] != article[None, :]
        fuzzy = fuzzy_matrix(features, reachable & comparable & other_article)
    else:
        fuzzy = fuzzy_matrix(features)
    if cosine is not None:
        z = (
            config.bias
            + config.w_cosine * cosine
            + config.w_fuzzy * fuzzy_weight * fuzzy / 100.0
            + config.w_anchor * anchor
            + config.w_quote * quotes.value
        )
    else:
        z = (
            config.bias_lexical
            + config.w_fuzzy_lexical * fuzzy_weight * fuzzy / 100.0
            + config.w_anchor_lexical * anchor
            + config.w_quote_lexical * quotes.value
        )
    z_anchor = config.bias_anchor_only + config.w_anchor_anchor_only * anchor
    z = np.where(comparable, z, z_anchor)
    confidence = sigmoid(z.astype(np.float64))
    confidence[article[:, None] == article[None, :]] = 0.0
    return PairMatrices(
        confidence=confidence,
        fuzzy=fuzzy,
        cosine=cosine,
        anchor=anchor,
        incidence=incidence,
        anchor_keys=keys,
        quotes=quotes,
        comparable=comparable,
    )


def select_pairs(
    confidence: npt.NDArray[np.float64], article: npt.NDArray[np.int64], config: AlignConfig
) -> list[tuple[int, int]]:
    """Pairs ``i < j`` to report.

    A pair is kept when it is confident (``accept``) and near the best match of ``i`` in
    ``j``'s article or of ``j`` in ``i``'s (``margin``), so one sentence may summarise two and
    two may split one.

    ``article`` must be sorted (claims of one article contiguous).
    """
    n = confidence.shape[0]
    if n < 2:
        return []
    starts = np.flatnonzero(np.r_[True, article[1:] != article[:-1]])
    block = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    best = np.maximum.reduceat(confidence, starts, axis=1)[:, block]  # best of row i in art(j)
    near_row = confidence >= best - config.margin
    near_col = near_row.T  # confidence is symmetric
    keep = (confidence >= config.accept) & (near_row | near_col)
    rows, cols = np.nonzero(np.triu(keep, 1))
    return list(zip(rows.tolist(), cols.tolist(), strict=True))
