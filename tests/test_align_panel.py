"""A story told by many outlets: aligned against a panel (sources, then medoids), not all pairs.

The outlets retell one set of facts in their own order and words (plain or paraphrased), a
few with a changed number; the embedder is the real all-MiniLM-L6-v2.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from test_align import make_article

from fidelity.align import AlignConfig, align_articles
from fidelity.align.panel import choose_panel
from fidelity.embed import Embedder, make_embedder
from fidelity.types import AlignmentResult, ExtractedArticle

FACTS = (
    (
        "The central bank raised its key rate by 50 basis points to 4.5% on Thursday.",
        "On Thursday the central bank lifted its main interest rate by half a point to 4.5%.",
    ),
    (
        "Governor Anna Lindqvist said inflation was still too high.",
        "Inflation remains too high, according to governor Anna Lindqvist.",
    ),
    (
        '"We will do what is needed to bring prices under control," Lindqvist told reporters.',
        'Lindqvist told reporters: "We will do what is needed to bring prices under control."',
    ),
    (
        "Economists polled by the agency had expected a smaller increase of 25 basis points.",
        "A smaller rise of 25 basis points had been forecast by economists in the agency's poll.",
    ),
    (
        "The krona strengthened by 1.2% against the euro after the announcement.",
        "After the decision the krona gained 1.2% on the euro.",
    ),
    (
        "The bank said it expects inflation to fall to 3% by the end of next year.",
        "Inflation should ease to 3% by the end of next year, the bank forecast.",
    ),
)
BACKGROUND = (
    "Mortgage holders have faced rising costs for two years.",
    "Food prices rose faster than any other category last month.",
    "The next policy meeting is scheduled for early spring.",
    "Housing starts fell for a third month in a row.",
)


def outlet(k: int, rng: random.Random, *, role: str | None = None) -> ExtractedArticle:
    lines = [pair[rng.random() < 0.5] for pair in FACTS if rng.random() < 0.9]
    if lines and rng.random() < 0.2:
        lines[0] = lines[0].replace("4.5%", "5.4%")
    rng.shuffle(lines)
    lines += rng.sample(BACKGROUND, 2)
    made = make_article(f"o{k:03d}", lines)
    if role is None:
        return made
    article = replace(made.article, role=role)
    detected = replace(made.translated.detected, article=article)
    return replace(made, translated=replace(made.translated, detected=detected))


def story(n: int, *, seed: int = 3, source_at: int | None = None) -> list[ExtractedArticle]:
    rng = random.Random(seed)
    return [outlet(k, rng, role="source" if k == source_at else None) for k in range(n)]


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    made = make_embedder("minilm", tmp_path_factory.mktemp("embeddings"))
    assert made is not None
    return made


PANEL = AlignConfig(panel_above=6, panel_size=4)
EXACT = AlignConfig(panel_above=10_000)


def article_of(claim_id: str) -> str:
    return claim_id.split("#", maxsplit=1)[0]


def panel_of(result: AlignmentResult) -> set[str]:
    """The articles aligned with articles of both kinds: the panel is the set whose members
    are linked to (almost) every other article."""
    partners: dict[str, set[str]] = {}
    for a in result.alignments:
        left, right = article_of(a.left), article_of(a.right)
        partners.setdefault(left, set()).add(right)
        partners.setdefault(right, set()).add(left)
    everyone = len(partners) - 1
    return {a for a, seen in partners.items() if len(seen) >= everyone - 1}


def test_articles_outside_the_panel_align_only_with_the_panel(embedder: Embedder) -> None:
    articles = story(14)
    result = align_articles(articles, embedder=embedder, config=PANEL, one_story=True)
    panel = panel_of(result)
    assert len(panel) == PANEL.panel_size
    for a in result.alignments:
        assert article_of(a.left) in panel or article_of(a.right) in panel
        left, right = article_of(a.left), article_of(a.right)
        order = [x.article.id for x in articles]
        assert order.index(left) < order.index(right), "left is the earlier article"


def test_panel_recovers_the_exact_alignments_that_touch_the_panel(embedder: Embedder) -> None:
    articles = story(14)
    exact = align_articles(articles, embedder=embedder, config=EXACT, one_story=True)
    panelled = align_articles(articles, embedder=embedder, config=PANEL, one_story=True)
    panel = panel_of(panelled)
    wanted = {
        (a.left, a.right)
        for a in exact.alignments
        if article_of(a.left) in panel or article_of(a.right) in panel
    }
    got = {(a.left, a.right) for a in panelled.alignments}
    assert len(wanted & got) / len(wanted) >= 0.95
    assert len(got - wanted) / len(got) <= 0.05
    assert len(got) < len(exact.alignments)


def test_alignments_grow_linearly_with_the_outlets(embedder: Embedder) -> None:
    small = align_articles(story(12), embedder=embedder, config=PANEL, one_story=True)
    large = align_articles(story(36), embedder=embedder, config=PANEL, one_story=True)
    # three times the outlets: about three times the alignments (all pairs: about ten times)
    assert len(large.alignments) / len(small.alignments) < 4.5


def test_each_fact_is_one_cluster_holding_most_outlets(embedder: Embedder) -> None:
    articles = story(14)
    result = align_articles(articles, embedder=embedder, config=PANEL, one_story=True)
    big = [c for c in result.clusters if len({article_of(x) for x in c.claim_ids}) >= 10]
    assert len(big) >= len(FACTS) - 1
    claims = Counter(x for c in result.clusters for x in c.claim_ids)
    assert max(claims.values()) == 1, "a claim sits in one cluster"


def test_sources_are_always_in_the_panel(embedder: Embedder) -> None:
    articles = story(14, source_at=11)
    result = align_articles(articles, embedder=embedder, config=PANEL, one_story=True)
    assert "o011" in panel_of(result)


def test_small_story_is_aligned_exactly(embedder: Embedder) -> None:
    articles = story(6)
    assert align_articles(
        articles, embedder=embedder, config=PANEL, one_story=True
    ) == align_articles(articles, embedder=embedder, config=EXACT, one_story=True)


def test_without_embeddings_the_panel_is_chosen_from_lexical_vectors() -> None:
    articles = story(14)
    result = align_articles(articles, embedder=None, config=PANEL, one_story=True)
    assert len(panel_of(result)) == PANEL.panel_size


@pytest.mark.parametrize("sources", [[], [2], [0, 1, 2, 3, 4]])
def test_choose_panel_takes_sources_then_the_nearest_to_the_centre(sources: list[int]) -> None:
    # five articles of one claim each; 0..2 point one way, 3 the other, 4 in between
    vectors = np.asarray(
        [[1.0, 0.0], [0.99, 0.14], [0.98, 0.2], [0.0, 1.0], [0.7, 0.71]], dtype=np.float32
    )
    panel = choose_panel(np.arange(5), vectors, np.ones(5), sources, 2)
    assert set(sources) <= set(panel)
    assert len(panel) == max(2, len(sources))
    if not sources:
        assert 3 not in panel
