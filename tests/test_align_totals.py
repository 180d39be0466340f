"""A figure as a counterpart's mark: totals of a claim's parts are anchors, and a derived claim
that merges two source sentences is compared with the sentence that alone states its other
figure (issue 21). Invented sentences; quantities from the real extractor."""

from __future__ import annotations

import dataclasses

import pytest
from claim_cases import article, claim

from fidelity.align.features import claim_anchors
from fidelity.extract import load_lexicon
from fidelity.extract.quantities import QuantityFinder, part_totals
from fidelity.score.base import Match
from fidelity.score.config import ScoreConfig
from fidelity.score.engine import (
    compare_article,
    figure_counterpart,
    figure_holders,
    to_findings,
)
from fidelity.types import Claim

FINDER = QuantityFinder(load_lexicon().language("en"))


def measured(text: str, ident: str = "derived#0") -> Claim:
    """A claim with the quantities the extractor finds in ``text``."""
    made = claim(text, ident=ident)
    return dataclasses.replace(made, quantities=tuple(FINDER.find(text, None)))


@pytest.mark.parametrize(
    ("text", "total", "unit"),
    [
        ("It will buy $500 billion of bonds and $200 billion of mortgage securities.", 7e11, "USD"),
        ("Grants of €10 million, €15 million and €25 million were approved.", 5e7, "EUR"),
        ("The fund gets €10 million and the agency €15 million.", 2.5e7, "EUR"),
    ],
)
def test_totals_of_a_claims_parts(text: str, total: float, unit: str) -> None:
    assert (total, unit) in part_totals(measured(text).quantities)
    key = f"q:{total:g} {unit}"
    assert key in claim_anchors(measured(text))


@pytest.mark.parametrize(
    "text",
    [
        "Rates rose by 2% in May and 3% in June.",  # rates do not add up
        "It will buy $500 billion of bonds.",  # one figure: no parts
        "The talks lasted 3 hours on Monday and 5 hours on Tuesday.",  # durations
        "Prices rose 2 percentage points in 2019 and 3 percentage points in 2020.",
    ],
)
def test_no_totals_of_rates_durations_or_single_figures(text: str) -> None:
    assert part_totals(measured(text).quantities) == []


SOURCE = (
    "The central bank cut its key rate to 0.25 percent.",
    "It will buy $500 billion of government bonds and $200 billion of mortgage securities "
    "in the coming months.",
    "The governor said inflation would stay low.",
)
# parts of a coincidental total told in two different sentences
SPLIT = ("The bank lent $400 billion to lenders.", "It added $300 billion to swap lines.")
# one figure told by two sentences: it marks no single one of them
TWICE = ("The bank will buy $700 billion of bonds.", "Markets had expected $700 billion.")


def _refs(sentences: tuple[str, ...]) -> list[Claim]:
    return [measured(s, f"source#{i}") for i, s in enumerate(sentences)]


@pytest.mark.parametrize(
    ("derived", "aligned", "sentences", "expected"),
    [
        # a merged sentence: its total marks the second source sentence
        (
            "The bank cut rates to 0.25 percent and will spend at least $700 billion on bonds.",
            [0],
            SOURCE,
            1,
        ),
        # translated retellings that found no counterpart at all
        ("It will also put at least 700 billion dollars into the market.", [], SOURCE, 1),
        ("The central bank would widen its balance sheet by $700 billion.", [], SOURCE, 1),
        # a part, not the total
        ("Rates fell to 0.25 percent and it will buy $500 billion of bonds.", [0], SOURCE, 1),
        # must not: another total, a rate, a figure the aligned counterpart already states,
        # a sum of two sentences' figures, a figure told twice
        ("The bank will spend $800 billion on bonds.", [], SOURCE, None),
        ("Rates fell to 0.25 percent.", [], SOURCE, None),
        ("It will buy $700 billion of bonds over months.", [1], SOURCE, None),
        ("The bank put $700 billion to work.", [], SPLIT, None),
        ("The bank put $700 billion to work.", [], TWICE, None),
    ],
)
def test_figure_counterpart(
    derived: str, aligned: list[int], sentences: tuple[str, ...], expected: int | None
) -> None:
    refs = _refs(sentences)
    found = figure_counterpart(
        measured(derived), [refs[i] for i in aligned], figure_holders([article("source", *refs)])
    )
    assert (found[0].id if found else None) == (
        f"source#{expected}" if expected is not None else None
    )


def _compare(derived_text: str) -> list[str]:
    derived = measured(derived_text, "derived#1")
    refs = _refs(SOURCE)
    claims = {c.id: c for c in (derived, *refs)}
    # the merged claim aligned with the rate sentence only
    partners: dict[str, list[Match]] = {
        derived.id: [(refs[0].id, 0.7, {})],
        refs[0].id: [(derived.id, 0.7, {})],
    }
    found, _ = compare_article(
        article("derived", derived),
        [article("source", *refs)],
        claims,
        partners,
        True,
        ScoreConfig(),
    )
    return sorted({f.category for f in to_findings(found)})


def test_a_merged_claim_is_held_to_the_sentence_of_its_other_figure() -> None:
    assert "temporal_changed" in _compare(
        "The Federal Reserve cut rates to 0.25 percent and will buy at least $700 billion of "
        "bonds in the coming weeks."
    )
    assert "number_changed" in _compare(
        "The bank cut rates to 0.25 percent and will buy $500 billion of government bonds and "
        "$900 billion of mortgage securities in the coming months."
    )


@pytest.mark.parametrize(
    "text",
    [
        "The Federal Reserve cut rates to 0.25 percent and will buy at least $700 billion of "
        "bonds in the coming months.",
        "The bank cut its rate to 0.25 percent; it will also buy $700 billion of securities "
        "in the months ahead.",
    ],
)
def test_a_faithful_merged_claim_stays_silent(text: str) -> None:
    # the other half's words (the Federal Reserve, the rate) are not held against it
    assert _compare(text) == []


def test_words_of_the_aligned_sentence_are_not_held_to_the_figures_sentence() -> None:
    """The merged claim's year retells its aligned sentence: the sentence found by its other
    figure (which gives a later year for another event) does not judge it."""
    lede = measured(
        "The chipmaker will delay its 12 billion euro plant in Leipzig by two years, to 2031.",
        "source#0",
    )
    body = measured(
        "The plant gets 4.8 billion euros in state aid and was due to open in 2029.", "source#1"
    )
    derived = measured(
        "The 12 billion euro plant gets 4.8 billion euros in aid and was due to open in 2029.",
        "derived#1",
    )
    assert figure_counterpart(derived, [body], figure_holders([article("source", lede, body)])) == (
        lede,
        "1.2e+10 EUR",
    )
    claims = {c.id: c for c in (derived, lede, body)}
    partners: dict[str, list[Match]] = {
        derived.id: [(body.id, 0.8, {})],
        body.id: [(derived.id, 0.8, {})],
    }
    found, _ = compare_article(
        article("derived", derived),
        [article("source", lede, body)],
        claims,
        partners,
        True,
        ScoreConfig(),
    )
    assert to_findings(found) == []
