"""Findings on real sentence pairs: each case is a source, a derived retelling, and the
divergence it shows (or none, for a faithful paraphrase). Runs the whole pipeline as
`fidelity check` does (real detector, extractor, MiniLM embedder)."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import pytest

from fidelity.pipeline import (
    Backends,
    RunConfig,
    articles_from_texts,
    build_backends,
    check_articles,
)
from fidelity.score import CATEGORIES, verdict

DISTORTIONS = [
    # (category, source, derived)
    (
        "number_changed",
        "The central bank raised its key rate by 25 basis points to 4.5%, the bank said on Thursday.",
        "The central bank raised its key rate by 50 basis points to 4.5%, the bank said on Thursday.",
    ),
    (
        "number_changed",
        "At least 12 people were killed when the bridge collapsed in Genoa, officials said.",
        "At least 40 people were killed when the bridge collapsed in Genoa, officials said.",
    ),
    (
        "temporal_changed",
        "The coalition would respond within 72 hours of a breach of the ceasefire, the officials said.",
        "The coalition would respond 72 hours after a breach of the ceasefire, the officials said.",
    ),
    (
        "negation_flipped",
        "The ministry said the vaccine was approved for children under five.",
        "The ministry said the vaccine was not approved for children under five.",
    ),
    (
        "antonym_swapped",
        "Unemployment rose to 6.1% in March, the statistics office said.",
        "Unemployment fell to 6.1% in March, the statistics office said.",
    ),
    (
        "antonym_swapped",
        "Parliament accepted the government's proposal to extend the emergency measures.",
        "Parliament rejected the government's proposal to extend the emergency measures.",
    ),
    (
        "entity_swapped",
        "German Chancellor Olaf Scholz met the Polish prime minister in Warsaw on Monday.",
        "German Chancellor Olaf Scholz met the Polish prime minister in Berlin on Monday.",
    ),
    (
        "attribution_changed",
        "“We will not accept foreign troops on our border,” foreign ministry spokeswoman Maria Zakharova said.",
        "“We will not accept foreign troops on our border,” former president Dmitry Medvedev said.",
    ),
    (
        "certainty_shifted",
        "Officials agreed a draft plan that could see troops deployed after a ceasefire.",
        "Officials signed a plan that will see troops deployed after a ceasefire.",
    ),
    (
        "certainty_shifted",
        "The company reportedly plans to cut 2,000 jobs next year.",
        "The company plans to cut 2,000 jobs next year.",
    ),
    (
        "quote_altered",
        "“The situation is difficult but under control,” the mayor told reporters.",
        "“The situation is out of control,” the mayor told reporters.",
    ),
    (
        "framing_shifted",
        "Protesters gathered outside parliament on Sunday to oppose the pension reform.",
        "Rioters stormed the area outside parliament on Sunday to oppose the pension reform.",
    ),
]

PARAPHRASES = [
    (
        "The coalition would respond within 72 hours of a breach, officials said.",
        "Officials said the coalition would respond within three days of a breach.",
    ),
    (
        "Kyiv and its allies agreed a plan on Tuesday, the Financial Times reported.",
        "Kiev and its allies agreed a plan on Tuesday, the FT reported.",
    ),
    (
        "The army has 800,000 troops, according to the defence ministry.",
        "According to the defence ministry, the army is 800,000-strong.",
    ),
    (
        "The talks will resume in Abu Dhabi on Wednesday, officials said.",
        "Officials said the talks would resume on Wednesday in Abu Dhabi.",
    ),
    (
        "The Coalition of the Willing includes the UK, Norway, Iceland and Turkey.",
        "The Coalition of the Willing includes the UK, Norway, Iceland and Türkiye.",
    ),
    (
        "Prices rose by 3.2% in the year to May, the statistics office said.",
        "The statistics office said prices increased 3.2% in the twelve months to May.",
    ),
]


@pytest.fixture(scope="module")
def backends() -> Backends:
    return build_backends(RunConfig(use_cache=False))


def _check(source: str, derived: str, backends: Backends):  # type: ignore[no-untyped-def]
    articles = articles_from_texts(derived, [source], ident="case")
    return check_articles(articles, RunConfig(use_cache=False), backends=backends)


@pytest.mark.parametrize(("category", "source", "derived"), DISTORTIONS)
def test_distortion_is_found(category: str, source: str, derived: str, backends: Backends) -> None:
    assert category in CATEGORIES
    result = _check(source, derived, backends)
    found = {f.category for f in result.findings}
    assert category in found, [(f.category, f.message) for f in result.findings]
    finding = next(f for f in result.findings if f.category == category)
    assert finding.reference is not None
    assert finding.derived.span.of(result.articles[0].article.text)


@pytest.mark.parametrize(("source", "derived"), PARAPHRASES)
def test_faithful_paraphrase_has_no_finding(source: str, derived: str, backends: Backends) -> None:
    result = _check(source, derived, backends)
    serious = [f for f in result.findings if f.severity != "low"]
    assert not serious, [(f.category, f.message) for f in serious]
    score = result.scores[0].score if result.scores else 100.0
    assert verdict(result.findings, score) == "consistent"


def test_identical_text_scores_100(backends: Backends) -> None:
    text = "The central bank raised its key rate by 25 basis points to 4.5% on Thursday."
    result = _check(text, text, backends)
    assert not result.findings
    assert result.scores[0].score == 100.0


@pytest.mark.parametrize(
    ("source", "named"),
    [
        (
            "Three people familiar with the matter said the plan had been drawn up last week.",
            "three people familiar with the matter",
        ),
        ("Kremlin sources said the plan had been drawn up last week.", "Kremlin sources"),
    ],
)
def test_a_dropped_source_is_named_as_it_reads_in_a_sentence(
    source: str, named: str, backends: Backends
) -> None:
    result = _check(source, "The plan had been drawn up last week.", backends)
    dropped = [f for f in result.findings if f.category == "attribution_changed"]
    assert dropped, [(f.category, f.message) for f in result.findings]
    assert f"attributes this to {named}; here it stands as fact" in dropped[0].message
