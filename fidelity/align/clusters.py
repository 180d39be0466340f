"""Claim clusters: one fact as told by every outlet of a story.

Connected components over the accepted alignments, joined strongest first, with a guard
against chaining: two partial clusters join only when the mean confidence over all their
cross-article claim pairs reaches ``cluster_link`` (average linkage), so "A~B" and "B~C" do not
pull in a C that has nothing to do with A.
"""

from __future__ import annotations

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
    parent = list(range(confidence.shape[0]))
    members: dict[int, list[int]] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

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
        block = confidence[left][:, right].toarray()
        cross = article[left][:, None] != article[right][None, :]
        if not cross.any() or block[cross].mean() < link:
            continue
        parent[rj] = ri
        members[ri] = left + right
        members.pop(rj, None)
    groups = [sorted(g) for g in members.values() if len(g) > 1]
    return sorted(groups, key=lambda g: g[0])
