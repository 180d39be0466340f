"""Group documents into stories by the facts they share.

Two documents tell the same story when a good share of each one's claims (headline and lede
counting double) finds a confident counterpart in the other. The counterpart test is the
alignment model without the fuzzy and quote terms (cosine + anchors, or anchors alone for
untranslated claims), run only between each document and its nearest documents by mean claim
vector, so the cost grows linearly with the number of documents. Groups are then formed by
agglomeration: a group joins another when a good share of its claims finds a counterpart
somewhere in the other group.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fidelity.align.config import AlignConfig
from fidelity.align.features import ClaimFeatures, FloatMatrix
from fidelity.align.pairs import sigmoid


@dataclass(frozen=True, slots=True)
class StoryGroups:
    groups: list[list[int]]  # article positions, each group sorted, groups by first article
    share: npt.NDArray[np.float64]  # D x D symmetric share of facts (0 where not compared)
    compared: npt.NDArray[np.bool_]  # D x D: the pair was compared
    found: npt.NDArray[np.float64]  # D x D: weighted share of row's claims found in column


def _global_anchor_incidence(
    features: Sequence[ClaimFeatures],
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    n = len(features)
    index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, f in enumerate(features):
        for key in f.anchors:
            rows.append(i)
            cols.append(index.setdefault(key, len(index)))
    incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(1, len(index))))
    df = np.asarray(incidence.sum(axis=0)).ravel()
    idf = np.log((n + 1.0) / np.maximum(df, 1.0)) / math.log(n + 1.0)
    weighted = (incidence @ sparse.diags(np.clip(idf, 0.0, 1.0) ** 2)).tocsr()
    return incidence.tocsr(), weighted


def group_stories(
    features: Sequence[ClaimFeatures],
    n_articles: int,
    vectors: FloatMatrix,
    config: AlignConfig,
) -> StoryGroups:
    """Group articles into stories.

    Args:
        features: all claims, article by article.
        n_articles: number of articles (some may have no claims).
        vectors: unit claim vectors (embeddings, or lexical vectors without an embedder);
            zero rows for claims that have none.
        config: thresholds.
    """
    d = n_articles
    share = np.zeros((d, d))
    compared = np.zeros((d, d), dtype=bool)
    if d < 2:
        return StoryGroups([[a] for a in range(d)], share, compared, share.copy())
    article = np.asarray([f.article for f in features], dtype=np.int64)
    weight = np.asarray([f.weight for f in features])
    translated = np.asarray([f.translated for f in features])
    members = [np.flatnonzero(article == a) for a in range(d)]

    doc = np.zeros((d, vectors.shape[1]), dtype=np.float32)
    for a, rows in enumerate(members):
        if len(rows):
            doc[a] = (vectors[rows] * weight[rows, None]).sum(axis=0)
    norms = np.linalg.norm(doc, axis=1, keepdims=True)
    np.divide(doc, norms, out=doc, where=norms > 0)
    doc_cos = doc @ doc.T
    np.fill_diagonal(doc_cos, -np.inf)

    incidence, weighted = _global_anchor_incidence(features)
    # Documents sharing any rare anchor are candidates too (untranslated ones have no vector).
    doc_incidence = sparse.csr_matrix(
        (np.ones(len(article)), (article, np.arange(len(article)))), shape=(d, len(article))
    )
    doc_anchor = (doc_incidence @ weighted @ incidence.T @ doc_incidence.T).toarray()
    np.fill_diagonal(doc_anchor, 0.0)

    k = min(d - 1, config.story_neighbours)
    # hits[i, b]: claim i has a confident counterpart in document b
    hit_rows: list[npt.NDArray[np.int64]] = []
    hit_cols: list[npt.NDArray[np.int64]] = []
    for a in range(d):
        rows = members[a]
        if not len(rows):
            continue
        by_vector = np.argsort(-doc_cos[a], kind="stable")[:k]
        by_anchor = np.argsort(-doc_anchor[a], kind="stable")[:k]
        by_anchor = by_anchor[doc_anchor[a, by_anchor] > 0]
        others = np.unique(np.r_[by_vector, by_anchor])
        others = others[others != a]
        cols = np.concatenate([members[b] for b in others]) if len(others) else rows[:0]
        if not len(cols):
            continue
        compared[a, others] = compared[others, a] = True
        cos = vectors[rows] @ vectors[cols].T
        shared = (weighted[rows] @ incidence[cols].T).toarray()
        anchor = 1.0 - np.exp(-config.anchor_gain * shared)
        comparable = np.outer(translated[rows], translated[cols])
        z = np.where(
            comparable,
            config.bias
            + config.w_cosine * cos
            + config.w_anchor * anchor
            # the fuzzy term is not computed here: count it at its typical paraphrase value
            + config.w_fuzzy * 0.5,
            config.bias_anchor_only + config.w_anchor_anchor_only * anchor,
        )
        r, c = np.nonzero(sigmoid(z) >= config.story_claim_accept)
        hit_rows.append(rows[r])
        hit_cols.append(article[cols[c]])
    n = len(features)
    hits = sparse.csr_matrix(
        (
            np.ones(sum(len(x) for x in hit_rows)),
            (
                np.concatenate(hit_rows or [np.zeros(0, np.int64)]),
                np.concatenate(hit_cols or [np.zeros(0, np.int64)]),
            ),
        ),
        shape=(n, d),
    )
    hits.data[:] = 1.0
    hits.sum_duplicates()
    hits.data = np.minimum(hits.data, 1.0)
    # owner[a, i] = weight of claim i if it belongs to document a
    owner = sparse.csr_matrix((weight, (article, np.arange(n))), shape=(d, n))
    totals = np.maximum(np.asarray(owner.sum(axis=1)).ravel(), 1e-9)
    found = (owner @ hits).toarray() / totals[:, None]
    np.fill_diagonal(found, 0.0)
    share = np.where(compared, np.maximum(found, found.T), 0.0)
    groups = _agglomerate(owner, hits, totals, compared, config.story_link)
    return StoryGroups(sorted(groups, key=lambda g: g[0]), share, compared, found)


def _agglomerate(
    owner: sparse.csr_matrix,
    hits: sparse.csr_matrix,
    totals: npt.NDArray[np.float64],
    compared: npt.NDArray[np.bool_],
    link: float,
) -> list[list[int]]:
    """Merge groups of documents, best link first, while the link reaches ``link``.

    The link of two groups is the larger of the (lede-weighted) share of one group's claims
    that have a counterpart somewhere in the other group, and the reverse: a short report
    whose facts all appear in the story joins it even if no single retelling holds them all.
    Each merge updates one row and one column of the group-to-group shares.
    """
    d = owner.shape[0]
    label = np.arange(d)  # group of each document (the group's first document)
    alive = np.ones(d, dtype=bool)
    weight = totals.astype(np.float64).copy()  # claim weight of each group
    found = hits.toarray() > 0  # claims x groups: claim has a counterpart in the group
    covered = (owner @ found.astype(np.float64)) / weight[:, None]  # groups x groups
    np.fill_diagonal(covered, 0.0)
    near = compared.copy()
    while True:
        score = np.where(near, np.maximum(covered, covered.T), -1.0)
        score[~alive, :] = -1.0
        score[:, ~alive] = -1.0
        np.fill_diagonal(score, -1.0)
        x, y = np.unravel_index(int(np.argmax(score)), score.shape)
        if score[x, y] < link:
            break
        x, y = min(x, y), max(x, y)
        # Row x: claims of the merged group found in each other group.
        covered[x] = (weight[x] * covered[x] + weight[y] * covered[y]) / (weight[x] + weight[y])
        weight[x] += weight[y]
        label[label == y] = x
        alive[y] = False
        # Column x: claims of each group found somewhere in the merged group.
        found[:, x] |= found[:, y]
        per_document = owner @ found[:, x].astype(np.float64)
        covered[:, x] = np.bincount(label, per_document, minlength=d) / weight
        covered[x, x] = 0.0
        near[x] |= near[y]
        near[:, x] |= near[:, y]
    groups: dict[int, list[int]] = {}
    for a, g in enumerate(label.tolist()):
        groups.setdefault(g, []).append(a)
    return list(groups.values())
