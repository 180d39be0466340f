"""The align stage: which claims of different articles state the same fact.

    extracted articles -> stories (groups of documents) -> claim alignments -> claim clusters

Documents are first grouped into stories by the facts they share; only claims of one story
are compared. Each alignment carries its separate signals (fuzzy, cosine, anchors, quote
match) besides its confidence. Untranslated claims take part through anchors alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from fidelity.align.clusters import cluster_claims
from fidelity.align.config import AlignConfig
from fidelity.align.features import (
    ClaimFeatures,
    FloatMatrix,
    claim_features,
    claim_vectors,
    lexical_vectors,
    quote_texts,
)
from fidelity.align.pairs import StoryPairs, story_pairs
from fidelity.align.panel import align_with_panel, choose_panel
from fidelity.align.stories import StoryGroups, group_stories
from fidelity.embed import Embedder
from fidelity.parallel import run_pieces
from fidelity.types import Alignment, AlignmentResult, ClaimCluster, ExtractedArticle, Story

__all__ = ["AlignConfig", "align_articles", "group_articles"]

logger = logging.getLogger(__name__)

# Below this many claim pairs within stories, in all, workers cost more than they save.
_PARALLEL_CLAIM_PAIRS = 100_000


def align_articles(
    extracted: Sequence[ExtractedArticle],
    *,
    embedder: Embedder | None,
    config: AlignConfig | None = None,
    one_story: bool = False,
    jobs: int = 1,
) -> AlignmentResult:
    """Group articles into stories and align the claims of each story.

    Args:
        extracted: articles with their claims, in the order reports should list them.
        embedder: sentence embedder, or ``None`` for fuzzy matching and anchors only.
        config: thresholds (default ``AlignConfig()``).
        one_story: treat all articles as one story (skip grouping).
        jobs: worker processes for a large corpus (0: one per CPU); the result is the same.

    Returns:
        Stories, alignments (left claim from the earlier article), clusters of two or more
        claims, and the ids of claims with no counterpart in their story.

    Raises:
        ModelError: the embedder cannot be loaded.
    """
    config = config or AlignConfig()
    features = claim_features(extracted)
    vectors, quote_vectors = claim_vectors(features, embedder, quote_texts(features))

    stories, groups = _stories(extracted, features, vectors, config, one_story, jobs)

    # Row of each translated claim's quotes inside ``quote_vectors``.
    quote_row: dict[int, list[int]] = {}
    cursor = 0
    for i, f in enumerate(features):
        if f.translated:
            quote_row[i] = list(range(cursor, cursor + len(f.quotes)))
            cursor += len(f.quotes)

    article_of = np.asarray([f.article for f in features], dtype=np.int64)
    story_rows = [np.flatnonzero(np.isin(article_of, group)) for group in groups]

    sources = {a for a, e in enumerate(extracted) if e.article.role == "source"}
    weights = np.asarray([f.weight for f in features])

    def align_story(
        s: int,
    ) -> tuple[list[Alignment], list[str], list[tuple[str, ...]]]:
        """The alignments, unmatched claim ids and clusters (claim ids) of story ``s``."""
        rows = story_rows[s]
        story_features = [features[i] for i in rows]
        if not story_features:
            return [], [], []
        story_vectors = vectors[rows] if vectors is not None else None
        story_quotes = _story_quote_vectors(story_features, rows, quote_vectors, quote_row)
        told_by = np.unique(article_of[rows])
        if len(told_by) > config.panel_above:
            return _align_large_story(
                story_features,
                rows,
                story_vectors,
                story_quotes,
                told_by,
                sources,
                weights[rows],
                config,
                jobs,
            )
        pairs = story_pairs(story_features, story_vectors, story_quotes, config)
        linked = {i for e in pairs.edges for i in e}
        return (
            [_alignment(story_features[i], story_features[j], pairs, i, j) for i, j in pairs.edges],
            [f.claim.id for i, f in enumerate(story_features) if i not in linked],
            [
                tuple(story_features[m].claim.id for m in members)
                for members in cluster_claims(
                    pairs.confidence, article_of[rows], pairs.edges, config.cluster_link
                )
            ],
        )

    # The cost of a story grows with the square of its claims.
    per_story = run_pieces(
        align_story,
        range(len(stories)),
        jobs=jobs,
        weights=[len(rows) ** 2 for rows in story_rows],
        min_weight=_PARALLEL_CLAIM_PAIRS,
    )
    alignments: list[Alignment] = []
    clusters: list[ClaimCluster] = []
    unmatched: list[str] = []
    for story, (story_alignments, story_unmatched, story_clusters) in zip(
        stories, per_story, strict=True
    ):
        alignments.extend(story_alignments)
        unmatched.extend(story_unmatched)
        clusters.extend(
            ClaimCluster(id=f"{story.id}/fact-{c + 1}", story_id=story.id, claim_ids=members)
            for c, members in enumerate(story_clusters)
        )
    logger.info(
        "aligned %d claims of %d articles in %d stories: %d alignments, %d clusters",
        len(features),
        len(extracted),
        len(stories),
        len(alignments),
        len(clusters),
    )
    return AlignmentResult(
        stories=tuple(stories),
        alignments=tuple(alignments),
        clusters=tuple(clusters),
        unmatched=tuple(unmatched),
    )


def group_articles(
    extracted: Sequence[ExtractedArticle],
    *,
    embedder: Embedder | None,
    config: AlignConfig | None = None,
    jobs: int = 1,
) -> tuple[Story, ...]:
    """The stories of ``extracted``, as ``align_articles`` groups them (without aligning).

    A distributed run groups the whole corpus once, then aligns each story apart: aligning a
    story's articles with ``one_story=True`` gives the same alignments as the whole run.
    """
    config = config or AlignConfig()
    features = claim_features(extracted)
    vectors, _ = claim_vectors(features, embedder)
    return tuple(_stories(extracted, features, vectors, config, False, jobs)[0])


def _stories(
    extracted: Sequence[ExtractedArticle],
    features: Sequence[ClaimFeatures],
    vectors: FloatMatrix | None,
    config: AlignConfig,
    one_story: bool,
    jobs: int,
) -> tuple[list[Story], list[list[int]]]:
    """The stories and the article positions of each."""
    ids = [a.article.id for a in extracted]
    if one_story or len(extracted) < 2:
        if not extracted:
            return [], []
        reason = (
            "all documents compared with each other (one story was asked for)"
            if one_story
            else "a single document"
        )
        return [Story(id="story-1", article_ids=tuple(ids), reason=reason)], [
            list(range(len(extracted)))
        ]
    grouping = group_stories(
        features,
        len(extracted),
        vectors if vectors is not None else lexical_vectors(features),
        config,
        lexical=vectors is None,
        jobs=jobs,
    )
    stories = [
        Story(
            id=f"story-{s + 1}",
            article_ids=tuple(ids[a] for a in group),
            reason=_story_reason(group, grouping, ids, config),
        )
        for s, group in enumerate(grouping.groups)
    ]
    return stories, grouping.groups


def _align_large_story(
    story_features: Sequence[ClaimFeatures],
    rows: npt.NDArray[np.intp],
    vectors: FloatMatrix | None,
    quote_vectors: FloatMatrix | None,
    told_by: npt.NDArray[np.int64],
    sources: set[int],
    weights: npt.NDArray[np.float64],
    config: AlignConfig,
    jobs: int,
) -> tuple[list[Alignment], list[str], list[tuple[str, ...]]]:
    """A story of more than ``panel_above`` articles, aligned against a panel of them."""
    local = np.searchsorted(told_by, [f.article for f in story_features])
    panel = told_by[
        choose_panel(
            local,
            vectors if vectors is not None else lexical_vectors(story_features),
            weights,
            [k for k, a in enumerate(told_by.tolist()) if a in sources],
            config.panel_size,
        )
    ]
    logger.info(
        "a story of %d articles: aligned against a panel of %d (%s)",
        len(told_by),
        len(panel),
        ", ".join(sorted({f.claim.article_id for f in story_features if f.article in set(panel)})),
    )
    edges, unmatched, clusters = align_with_panel(
        story_features,
        vectors,
        quote_vectors,
        panel.tolist(),
        config,
        jobs=jobs,
        progress=lambda count: logger.debug("%d alignments so far", count),
    )
    return (
        [
            _alignment(story_features[left], story_features[right], pairs, i, j)
            for left, right, pairs, i, j in edges
        ],
        [story_features[r].claim.id for r in unmatched],
        [tuple(story_features[m].claim.id for m in members) for members in clusters],
    )


def _story_quote_vectors(
    story_features: Sequence[ClaimFeatures],
    rows: npt.NDArray[np.intp],
    quote_vectors: FloatMatrix | None,
    quote_row: dict[int, list[int]],
) -> FloatMatrix | None:
    """Vectors of the story's quotes, claim by claim (zero rows for untranslated quotes)."""
    if quote_vectors is None:
        return None
    count = sum(len(f.quotes) for f in story_features)
    out = np.zeros((count, quote_vectors.shape[1]), dtype=np.float32)
    k = 0
    for i, f in zip(rows.tolist(), story_features, strict=True):
        for r in quote_row.get(i, [-1] * len(f.quotes)):
            if r >= 0:
                out[k] = quote_vectors[r]
            k += 1
    return out


def _alignment(
    left: ClaimFeatures, right: ClaimFeatures, pairs: StoryPairs, i: int, j: int
) -> Alignment:
    """The alignment of ``left`` and ``right``, claims ``i`` and ``j`` of ``pairs``."""
    labels = _anchor_labels([k for k in left.anchors if k in right.anchors], left, right)
    quote = pairs.quotes.label.get((i, j))
    if quote is not None:
        labels.append(quote)
    # a pair is stored from its first claim in ``pairs``, which is not the earlier article's
    # when one article was aligned against a panel
    signals = pairs.signals[(i, j) if (i, j) in pairs.signals else (j, i)]
    return Alignment(
        left=left.claim.id,
        right=right.claim.id,
        confidence=round(min(1.0, max(0.0, signals.confidence)), 4),
        fuzzy=round(signals.fuzzy, 2),
        cosine=round(signals.cosine, 4) if signals.cosine is not None else None,
        anchors=tuple(labels),
        quote_match=pairs.quotes.kind.get((i, j)),
    )


def _anchor_labels(keys: list[str], left: ClaimFeatures, right: ClaimFeatures) -> list[str]:
    """Human labels of shared anchors; a bare number is dropped when its quantity is shown."""
    quantities = {k[2:].split(" ", 1)[0] for k in keys if k.startswith("q:")}
    labels: list[str] = []
    for key in keys:
        if key.startswith("n:") and key[2:] in quantities:
            continue
        label = left.anchors[key]
        if key.startswith("e:") and right.anchors[key] != label:
            label = f"{label}/{right.anchors[key]}"
        labels.append(label)
    return labels


def _story_reason(
    group: list[int], grouping: StoryGroups, ids: list[str], config: AlignConfig
) -> str:
    share = grouping.share
    if len(group) == 1:
        a = group[0]
        row = np.where(grouping.compared[a], share[a], -1.0)
        row[a] = -1.0
        if row.max() < 0:
            return "compared with no other document (none was close)"
        b = int(row.argmax())
        best = next(g for g in grouping.groups if b in g)
        links = [share[a, x] for x in best if grouping.compared[a, x]]
        story = (
            f"; with the story it is in ({len(best)} documents) {np.mean(links):.0%} on average"
            if len(best) > 1
            else ""
        )
        return (
            f"compared with {int(grouping.compared[a].sum())} documents; the closest, {ids[b]}, "
            f"shares {share[a, b]:.0%} of facts with it{_apart(grouping, a, b, config)}{story}; "
            f"{config.story_link:.0%} on average is needed to join"
        )
    pairs = []
    for x, a in enumerate(group):
        for b in group[x + 1 :]:
            if grouping.compared[a, b]:
                pairs.append(f"{ids[a]}~{ids[b]} {share[a, b]:.0%}{_apart(grouping, a, b, config)}")
    return (
        "grouped by shared facts (per pair of documents, the mean share of each one's claims "
        "with a counterpart in the other, or a brief's own share; the group's mean over its "
        f"pairs reaches {config.story_link:.0%}): " + ", ".join(pairs)
    )


def _apart(grouping: StoryGroups, a: int, b: int, config: AlignConfig) -> str:
    """How the days between two publications lowered their link, if they did."""
    factor = 1.0 if grouping.apart is None else float(grouping.apart[a, b])
    if factor >= 1.0:
        return ""
    days = config.story_days / factor
    before = grouping.share[a, b] / factor
    return f" (published {days:.0f} days apart: {before:.0%} before x{factor:.2f} for the gap)"
