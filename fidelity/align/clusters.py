"""Claim clusters: one fact as told by every outlet of a story.

Connected components over the accepted alignments, joined strongest first, with a guard
against chaining: two partial clusters join only when the mean confidence over all their
cross-article claim pairs reaches ``cluster_link`` (average linkage), so "A~B" and "B~C" do not
pull in a C that has nothing to do with A.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

# A mean that equals the link in exact arithmetic reaches it, whatever order its terms were
# summed in (2.6 / 13 is 0.19999999999999998 one way and 0.2 another).
_TIE = 1e-9


def cluster_claims(
    confidence: sparse.csr_matrix | npt.NDArray[np.float64],
    article: npt.NDArray[np.int64],
    edges: Sequence[tuple[int, int]],
    link: float,
) -> list[list[int]]:
    """Groups of claim positions (two or more each), in order of their first claim.

    Args:
        confidence: symmetric claim-pair confidence of one story (sparse: a missing entry
            counts as 0).
        article: article of each claim.
        edges: accepted pairs.
        link: minimum mean cross confidence for two groups to join.
    """
    confidence = sparse.csr_matrix(confidence)
    confidence.sum_duplicates()
    article = np.asarray(article, dtype=np.int64)
    n = confidence.shape[0]
    # Every claim's group, and each group's members and articles. A smaller group is always
    # folded into the larger, so a long article whose claims all join one fact costs
    # n log n relabelling, not n squared.
    label = np.arange(n)
    members: dict[int, list[int]] = {}
    articles: dict[int, Counter[int]] = {}
    refused: dict[tuple[int, int], tuple[int, int]] = {}  # group pair -> sizes when refused

    def group(g: int) -> list[int]:
        return members.get(g) or [g]

    def counts(g: int) -> Counter[int]:
        return articles.get(g) or Counter([int(article[g])])

    def cross_mean(small: int, large: int) -> float:
        """Mean confidence over the pairs of the two groups from different articles, read
        straight from the stored entries of the smaller group's rows (-1: no such pair)."""
        rows = np.asarray(group(small), dtype=np.int64)
        mine, theirs = counts(small), counts(large)
        same = sum(k * theirs.get(a, 0) for a, k in mine.items())
        cross = len(rows) * len(group(large)) - same
        if cross <= 0:
            return -1.0
        starts, ends = confidence.indptr[rows], confidence.indptr[rows + 1]
        lengths = ends - starts
        if not lengths.sum():
            return 0.0
        # positions of the stored entries of every row, without a Python loop over rows
        offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        entries = offsets + np.arange(int(lengths.sum()))
        cols = confidence.indices[entries]
        keep = (label[cols] == large) & (article[cols] != np.repeat(article[rows], lengths))
        return float(confidence.data[entries][keep].sum()) / cross

    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    strength = np.zeros(len(pairs))
    if len(pairs):
        strength = np.asarray(confidence[pairs[:, 0], pairs[:, 1]], dtype=np.float64).ravel()
    for k in np.argsort(-strength, kind="stable"):
        i, j = int(pairs[k, 0]), int(pairs[k, 1])
        gi, gj = int(label[i]), int(label[j])
        if gi == gj:
            continue
        small, large = sorted((gi, gj), key=lambda g: (len(group(g)), g))
        sizes = (len(group(small)), len(group(large)))
        if refused.get((small, large)) == sizes:
            continue  # the same two groups as when they were last refused
        # two single claims: their mean is the edge itself (edges join different articles)
        single = sizes == (1, 1) and article[i] != article[j]
        if (strength[k] if single else cross_mean(small, large)) < link - _TIE:
            refused[(small, large)] = sizes
            continue
        moved = group(small)
        label[moved] = large
        members.setdefault(large, [large]).extend(moved)
        articles.setdefault(large, counts(large)).update(counts(small))
        members.pop(small, None)
        articles.pop(small, None)
    groups = [sorted(g) for g in members.values() if len(g) > 1]
    return sorted(groups, key=lambda g: g[0])
