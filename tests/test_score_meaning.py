"""What the fidelity score means: the share of an article's checkable claims that are supported,
weighted by severity and by each finding's confidence. The formula on hand-made findings, then
real pipeline runs (as `fidelity check` does: real extractor, MiniLM embedder) on small made-up
stories: a verbatim relay scores at least 95, a faithful paraphrase at least 85, and a retelling
that changes the facts scores below the faithful one."""

from __future__ import annotations

# ruff: noqa: E501  (stories are whole sentences)
import pytest

from fidelity.pipeline import (
    Backends,
    RunConfig,
    articles_from_texts,
    build_backends,
    check_articles,
)
from fidelity.types import Evidence, Finding, Span


def _finding(
    claim: str, severity: str, category: str = "number_changed", **signals: float
) -> Finding:
    evidence = Evidence("derived", claim, Span(0, 1), "x")
    return Finding(
        "id-" + claim + severity + category, category, severity, "m", evidence, None, signals
    )  # type: ignore[arg-type]


def test_the_score_is_the_share_of_supported_claims() -> None:
    from fidelity.score.engine import fidelity_score

    assert fidelity_score([], 10) == 100.0
    # one claim of ten with a sure high-severity finding: nine of ten supported
    assert fidelity_score([_finding("d#1", "high")], 10) == 90.0
    # medium costs half a claim, low a fifth
    assert fidelity_score([_finding("d#1", "medium")], 10) == 95.0
    assert fidelity_score([_finding("d#1", "low")], 10) == 98.0
    # several findings on one claim cost that claim once, at its worst
    assert (
        fidelity_score([_finding("d#1", "high"), _finding("d#1", "medium", "quote_altered")], 10)
        == 90.0
    )
    # a finding's confidence scales what it costs
    assert fidelity_score([_finding("d#1", "high", confidence=0.6)], 10) == 94.0
    # informational context costs nothing
    assert fidelity_score([_finding("d#1", "low", "context_added")], 10) == 100.0
    # a flagged claim is always checkable: an article of one unsupported claim scores 0
    assert fidelity_score([_finding("d#1", "high")], 0) == 0.0


# Three small made-up stories: the source, a verbatim relay (a wire copy with its dateline and
# credit line), a faithful paraphrase, and a retelling that changes figures and a quote.
STORIES = [
    {
        "source": (
            "The city council approved a budget of 412 million euros on Tuesday, with 30 votes in favour and 11 against.\n\n"
            "Spending on public transport will rise by 8% next year, the council said.\n\n"
            "“This budget protects the services people rely on,” Mayor Ana Ruiz said after the vote.\n\n"
            "The opposition said the plan relies on optimistic tax forecasts."
        ),
        "relay": (
            "MADRID (Wire) - The city council approved a budget of 412 million euros on Tuesday, with 30 votes in favour and 11 against.\n\n"
            "Spending on public transport will rise by 8% next year, the council said.\n\n"
            "“This budget protects the services people rely on,” Mayor Ana Ruiz said after the vote.\n\n"
            "The opposition said the plan relies on optimistic tax forecasts."
        ),
        "paraphrase": (
            "Councillors voted 30 to 11 on Tuesday to approve a 412 million euro budget for the city.\n\n"
            "The council said public transport spending would increase by 8% next year.\n\n"
            "After the vote, Mayor Ana Ruiz said: “This budget protects the services people rely on.”\n\n"
            "Opposition members said the plan rested on optimistic tax forecasts."
        ),
        "distorted": (
            "The city council approved a budget of 512 million euros on Tuesday, with 30 votes in favour and 11 against.\n\n"
            "Spending on public transport will rise by 18% next year, the council said.\n\n"
            "“This budget cuts the services people rely on,” Mayor Ana Ruiz said after the vote.\n\n"
            "The opposition said the plan relies on optimistic tax forecasts."
        ),
    },
    {
        "source": (
            "A magnitude 5.8 earthquake struck off the coast of Crete early on Sunday, the geological institute said.\n\n"
            "No injuries were reported, but 14 houses in two villages were damaged.\n\n"
            "Ferry services to the island were suspended for three hours as a precaution.\n\n"
            "Aftershocks are possible in the coming days, seismologists warned."
        ),
        "relay": (
            "A magnitude 5.8 earthquake struck off the coast of Crete early on Sunday, the geological institute said.\n\n"
            "No injuries were reported, but 14 houses in two villages were damaged.\n\n"
            "Ferry services to the island were suspended for three hours as a precaution.\n\n"
            "Aftershocks are possible in the coming days, seismologists warned.\n\n"
            "(Reporting by the news desk)"
        ),
        "paraphrase": (
            "An earthquake of magnitude 5.8 hit the sea off Crete early on Sunday, according to the geological institute.\n\n"
            "Fourteen houses in two villages were damaged, but no one was reported injured.\n\n"
            "As a precaution, ferries to the island were halted for three hours.\n\n"
            "Seismologists warned that aftershocks may follow in the coming days."
        ),
        "distorted": (
            "A magnitude 6.8 earthquake struck off the coast of Crete early on Sunday, the geological institute said.\n\n"
            "No injuries were reported, but 40 houses in two villages were damaged.\n\n"
            "Ferry services to the island were suspended for three days as a precaution.\n\n"
            "Aftershocks are certain in the coming days, seismologists warned."
        ),
    },
]


@pytest.fixture(scope="module")
def backends() -> Backends:
    return build_backends(RunConfig(use_cache=False))


def _score(source: str, derived: str, backends: Backends) -> tuple[float, list[str]]:
    articles = articles_from_texts(derived, [source], ident="story")
    result = check_articles(articles, RunConfig(use_cache=False), backends=backends)
    (score,) = [s.score for s in result.scores if s.article_id == "story"]
    return score, [f"{f.category}/{f.severity}: {f.message}" for f in result.findings]


@pytest.mark.parametrize("story", STORIES, ids=["budget", "earthquake"])
def test_a_verbatim_relay_scores_at_least_95(story: dict[str, str], backends: Backends) -> None:
    score, findings = _score(story["source"], story["relay"], backends)
    assert score >= 95, findings


@pytest.mark.parametrize("story", STORIES, ids=["budget", "earthquake"])
def test_a_faithful_paraphrase_scores_at_least_85(
    story: dict[str, str], backends: Backends
) -> None:
    score, findings = _score(story["source"], story["paraphrase"], backends)
    assert score >= 85, findings


@pytest.mark.parametrize("story", STORIES, ids=["budget", "earthquake"])
def test_a_distorting_retelling_scores_below_the_faithful_ones(
    story: dict[str, str], backends: Backends
) -> None:
    faithful, _ = _score(story["source"], story["paraphrase"], backends)
    distorted, findings = _score(story["source"], story["distorted"], backends)
    assert distorted < faithful, findings
    assert distorted <= 80, findings
