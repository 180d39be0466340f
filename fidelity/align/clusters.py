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
    parent = list(range(confidence.shape[0]))
    members: dict[int, list[int]] = {}
    in_other = np.zeros(confidence.shape[0], dtype=bool)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def cross_mean(left: list[int], right: list[int]) -> float:
        """Mean confidence over the pairs of ``left`` x ``right`` from different articles,
        read straight from the stored entries of the smaller side's rows (-1: no such pair)."""
        if len(left) > len(right):
            left, right = right, left
        same = Counter(article[left].tolist())
        cross = len(left) * len(right) - sum(same[a] for a in article[right].tolist())
        if cross <= 0:
            return -1.0
        rows = np.asarray(left, dtype=np.int64)
        starts, ends = confidence.indptr[rows], confidence.indptr[rows + 1]
        lengths = ends - starts
        if not lengths.sum():
            return 0.0
        # positions of the stored entries of every row, without a Python loop over rows
        offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        entries = offsets + np.arange(int(lengths.sum()))
        cols = confidence.indices[entries]
        owners = np.repeat(article[rows], lengths)
        in_other[right] = True
        keep = in_other[cols] & (article[cols] != owners)
        in_other[right] = False
        return float(confidence.data[entries][keep].sum()) / cross

    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    strength = np.zeros(len(pairs))
    if len(pairs):
        strength = np.asarray(confidence[pairs[:, 0], pairs[:, 1]], dtype=np.float64).ravel()
    for k in np.argsort(-strength, kind="stable"):
        i, j = int(pairs[k, 0]), int(pairs[k, 1])
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        left = members.get(ri, [ri])
        right = members.get(rj, [rj])
        # two single claims: their mean is the edge itself (edges join different articles)
        single = len(left) == len(right) == 1 and article[i] != article[j]
        if (strength[k] if single else cross_mean(left, right)) < link:
            continue
        parent[rj] = ri
        members[ri] = left + right
        members.pop(rj, None)
    groups = [sorted(g) for g in members.values() if len(g) > 1]
    return sorted(groups, key=lambda g: g[0])
