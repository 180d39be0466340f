"""A story told by many outlets: every article aligned against a panel, not against each other.

Exact alignment compares every article of a story with every other one, so its cost and its
alignments grow with the square of the outlets (a wire report picked up by hundreds of
outlets is the common case). Above ``panel_above`` articles a story is aligned against a
panel instead: the story's sources (``role: source``) and then the articles nearest the
story's centre (medoids of the article vectors), up to ``panel_size`` articles. The panel is
aligned exactly among itself; every other article only against the panel, one article at a
time, with the same pair model. Claim clusters are the panel's clusters; a claim of another
article joins the cluster of its most confident panel counterpart. Cost and alignments grow
linearly with the outlets, and the scorer's consensus for an article outside the panel is the
panel's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fidelity.align.clusters import cluster_claims
from fidelity.align.config import AlignConfig
from fidelity.align.features import ClaimFeatures, FloatMatrix
from fidelity.align.pairs import StoryPairs, story_pairs
from fidelity.parallel import run_pieces

__all__ = ["PanelAlignment", "align_with_panel", "choose_panel"]

# (left position, right position, pairs it came from, i, j inside those pairs): enough to build
# the public ``Alignment`` in the caller
PanelEdge = tuple[int, int, StoryPairs, int, int]
PanelAlignment = tuple[list[PanelEdge], list[int], list[list[int]]]

# Below this many claim pairs against the panel in all, workers cost more than they save.
_PARALLEL_CLAIM_PAIRS = 100_000


def choose_panel(
    article_of: npt.NDArray[np.int64],
    vectors: FloatMatrix | sparse.csr_matrix,
    weights: npt.NDArray[np.float64],
    sources: Sequence[int],
    size: int,
) -> list[int]:
    """The panel's articles (story-local positions, ascending): sources first, then medoids.

    Args:
        article_of: story-local article position of each claim (claims article by article).
        vectors: unit claim vectors (dense or sparse lexical stand-ins), one row per claim.
        weights: each claim's share of its article's identity.
        sources: story-local positions of the articles with ``role: source``.
        size: articles in the panel (sources beyond it are all kept).
    """
    d = int(article_of.max()) + 1 if len(article_of) else 0
    owner = sparse.csr_matrix(
        (weights, (article_of, np.arange(len(article_of)))), shape=(d, len(article_of))
    )
    doc = owner @ vectors
    doc = np.asarray(doc.toarray() if sparse.issparse(doc) else doc, dtype=np.float64)
    norms = np.linalg.norm(doc, axis=1, keepdims=True)
    np.divide(doc, norms, out=doc, where=norms > 0)
    centre = doc.sum(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-12)
    closeness = doc @ centre
    panel = sorted(set(sources))
    for a in np.argsort(-closeness, kind="stable").tolist():
        if len(panel) >= max(size, len(set(sources))):
            break
        if a not in panel:
            panel.append(a)
    return sorted(panel)


def align_with_panel(
    features: Sequence[ClaimFeatures],
    vectors: FloatMatrix | None,
    quote_vectors: FloatMatrix | None,
    panel: Sequence[int],
    config: AlignConfig,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> PanelAlignment:
    """Align one story's claims against its panel.

    Args:
        features: the story's claims, article by article (``features[i].article`` is the
            corpus position of its article).
        vectors: their unit vectors, or ``None``.
        quote_vectors: their quotes' vectors claim by claim and quote by quote, or ``None``.
        panel: corpus positions of the panel's articles.
        config: thresholds.
        jobs: worker processes for the articles outside the panel.
        progress: called with the number of alignments found so far, after each block.

    Returns:
        ``(edges, unmatched, clusters)``: the reported pairs (left from the earlier article),
        the positions of claims with no counterpart, and clusters of two or more positions.
    """
    corpus_article = np.asarray([f.article for f in features], dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, corpus_article[1:] != corpus_article[:-1]])
    ends = np.r_[starts[1:], len(features)]
    article_rows = [np.arange(s, e) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    in_panel = set(panel)
    panel_runs = [k for k, s in enumerate(starts.tolist()) if int(corpus_article[s]) in in_panel]
    others = [k for k, s in enumerate(starts.tolist()) if int(corpus_article[s]) not in in_panel]
    quote_counts = np.asarray([len(f.quotes) for f in features], dtype=np.int64)
    quote_start = np.r_[0, np.cumsum(quote_counts)]

    def sub(
        rows: npt.NDArray[np.int64],
    ) -> tuple[list[ClaimFeatures], FloatMatrix | None, FloatMatrix | None]:
        quotes = None
        if quote_vectors is not None:
            parts = [quote_vectors[quote_start[r] : quote_start[r + 1]] for r in rows.tolist()]
            quotes = np.concatenate(parts) if parts else quote_vectors[:0]
        return [features[r] for r in rows], (vectors[rows] if vectors is not None else None), quotes

    panel_rows = np.concatenate([article_rows[k] for k in panel_runs] or [np.zeros(0, np.int64)])
    panel_pairs = story_pairs(*sub(panel_rows), config)
    edges: list[PanelEdge] = [
        (int(panel_rows[i]), int(panel_rows[j]), panel_pairs, i, j) for i, j in panel_pairs.edges
    ]
    if progress is not None:
        progress(len(edges))

    def against_panel(a: int) -> tuple[npt.NDArray[np.int64], StoryPairs]:
        rows = np.r_[article_rows[a], panel_rows]
        return rows, story_pairs(*sub(rows), config, first_article_only=True)

    per_article = run_pieces(
        against_panel,
        others,
        jobs=jobs,
        weights=[len(article_rows[a]) * len(panel_rows) for a in others],
        min_weight=_PARALLEL_CLAIM_PAIRS,
    )
    # each claim outside the panel: its most confident panel counterpart
    best: dict[int, tuple[float, int]] = {}
    for rows, pairs in per_article:
        for i, j in pairs.edges:
            left, right = int(rows[i]), int(rows[j])
            if left < right:
                edges.append((left, right, pairs, i, j))
            else:  # the panel article came first in the input
                edges.append((right, left, pairs, j, i))
            confidence = pairs.signals[(i, j)].confidence
            if confidence > best.get(left, (-1.0, 0))[0]:
                best[left] = (confidence, right)
        if progress is not None:
            progress(len(edges))

    linked = {e[0] for e in edges} | {e[1] for e in edges}
    unmatched = [r for r in range(len(features)) if r not in linked]
    panel_article = np.asarray([features[r].article for r in panel_rows], dtype=np.int64)
    groups = [
        [int(panel_rows[m]) for m in members]
        for members in cluster_claims(
            panel_pairs.confidence, panel_article, panel_pairs.edges, config.cluster_link
        )
    ]
    group_of = {m: g for g, members in enumerate(groups) for m in members}
    for claim, (_, counterpart) in sorted(best.items()):
        g = group_of.get(counterpart)
        if g is None:  # a panel claim no other panel article tells: a fact of its own
            g = group_of[counterpart] = len(groups)
            groups.append([counterpart])
        groups[g].append(claim)
    clusters = sorted((sorted(members) for members in groups), key=lambda m: m[0])
    return sorted(edges, key=lambda e: (e[0], e[1])), unmatched, clusters
