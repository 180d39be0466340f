"""Claim clusters against a plain statement of the rule they follow.

The rule: take the accepted pairs strongest first; two groups join when the mean confidence
over all their pairs of claims from different articles reaches the link. ``cluster_claims``
computes it with labels, counts and sparse rows; the reference below with dense blocks.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from fidelity.align.clusters import cluster_claims


def reference(
    confidence: np.ndarray, article: np.ndarray, edges: list[tuple[int, int]], link: float
) -> list[list[int]]:
    group = list(range(len(article)))
    strength = [confidence[i, j] for i, j in edges]
    for k in np.argsort([-s for s in strength], kind="stable"):
        i, j = edges[k]
        if group[i] == group[j]:
            continue
        left = [x for x in range(len(article)) if group[x] == group[i]]
        right = [x for x in range(len(article)) if group[x] == group[j]]
        block = confidence[np.ix_(left, right)]
        cross = article[left][:, None] != article[right][None, :]
        if not cross.any() or block[cross].mean() < link - 1e-9:  # a tie reaches the link
            continue
        old = group[j]
        group = [group[i] if g == old else g for g in group]
    out: dict[int, list[int]] = {}
    for x, g in enumerate(group):
        out.setdefault(g, []).append(x)
    return sorted((g for g in out.values() if len(g) > 1), key=lambda g: g[0])


@st.composite
def stories(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]], float]:
    n = draw(st.integers(2, 14))
    article = np.asarray(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    values = draw(
        st.lists(
            st.sampled_from([0.0, 0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]),
            min_size=n * n,
            max_size=n * n,
        )
    )
    confidence = np.asarray(values, dtype=np.float64).reshape(n, n)
    confidence = np.triu(confidence, 1)
    confidence = confidence + confidence.T
    confidence[article[:, None] == article[None, :]] = 0.0  # alignments join articles
    cross = [(i, j) for i in range(n) for j in range(i + 1, n) if article[i] != article[j]]
    edges = [e for e in cross if confidence[e] >= 0.5 and draw(st.booleans())]
    link = draw(st.sampled_from([0.2, 0.3, 0.5, 0.8]))
    return confidence, article, edges, link


@settings(max_examples=300, deadline=None)
@given(stories())
def test_clusters_follow_the_average_linkage_rule(
    case: tuple[np.ndarray, np.ndarray, list[tuple[int, int]], float],
) -> None:
    confidence, article, edges, link = case
    got = cluster_claims(sparse.csr_matrix(confidence), article, edges, link)
    assert got == reference(confidence, article, edges, link)


def test_a_mean_equal_to_the_link_joins_in_any_summing_order() -> None:
    # found by the property test: the cross mean of the two groups is 2.6 / 13 = 0.2, which
    # summed one way is 0.19999999999999998
    confidence = np.zeros((11, 11))
    for (i, j), v in {
        (0, 1): 0.5,
        (0, 5): 0.5,
        (0, 6): 0.5,
        (0, 7): 0.5,
        (0, 10): 0.5,
        (1, 3): 0.3,
        (1, 7): 0.3,
        (2, 7): 0.9,
        (2, 10): 0.5,
        (3, 7): 0.5,
        (7, 8): 0.5,
        (7, 10): 0.7,
        (8, 10): 0.7,
    }.items():
        confidence[i, j] = confidence[j, i] = v
    article = np.asarray([0, 2, 0, 0, 0, 2, 2, 1, 2, 0, 3])
    edges = [(0, 1), (0, 5), (0, 6), (0, 7), (2, 10), (3, 7), (7, 8), (8, 10)]
    got = cluster_claims(sparse.csr_matrix(confidence), article, edges, 0.2)
    assert got == reference(confidence, article, edges, 0.2) == [[0, 1, 2, 3, 5, 6, 7, 8, 10]]


def test_one_long_article_joins_a_fact_without_chaining() -> None:
    # One claim of a short report matched by 3,000 near-copies in one long article, and a
    # second fact matched by 3,000 others; one near-copy of the first also matches the
    # second fact: two clusters, not one (the mean over their cross pairs is near 0), each
    # whole.
    n = 6002
    article = np.zeros(n, dtype=np.int64)
    article[[0, 1]] = 1
    rows, cols, vals, edges = [], [], [], []
    for k in range(2, n):
        fact = 0 if k < 3002 else 1
        rows += [fact, k]
        cols += [k, fact]
        vals += [0.9, 0.9]
        edges.append((fact, k))
    rows += [1, 2]
    cols += [2, 1]
    vals += [0.6, 0.6]
    edges.append((1, 2))
    confidence = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    groups = cluster_claims(confidence, article, edges, 0.3)
    assert [len(g) for g in groups] == [3001, 3001]
    assert groups[0][0] == 0 and groups[1][0] == 1
