"""Figures: a changed count or date, a duration's relation turned round, and figures no source
has anywhere. Hand-made claims, no pipeline."""

from __future__ import annotations

import pytest
from claim_cases import article, claim, comparison, detect, source

from fidelity.score.detectors.numbers import NewFigureDetector, NumberDetector

CASES = [
    # (why, derived, reference, expected (category, detail prefix) or None)
    (
        "a count changed",
        claim(
            "At least 40 people were killed when the bridge collapsed.",
            quantities=[("40 people", 40, "person", "at-least")],
        ),
        source(
            "At least 12 people were killed when the bridge collapsed.",
            quantities=[("12 people", 12, "person", "at-least")],
        ),
        ("number_changed", "num:"),
    ),
    (
        "a duration's relation turned round",
        claim(
            "The coalition would respond 72 hours after a breach.",
            quantities=[("72 hours after", 72, "hour", "after")],
        ),
        source(
            "The coalition would respond within 72 hours of a breach.",
            quantities=[("within 72 hours", 72, "hour", "within")],
        ),
        ("temporal_changed", "rel:"),
    ),
    (
        "a year changed (within 1%: read as the same figure; the times detector reads years)",
        claim(
            "The plant will close in 2027, the company said.", quantities=[("2027", 2027, "year")]
        ),
        source(
            "The plant will close in 2026, the company said.", quantities=[("2026", 2026, "year")]
        ),
        None,
    ),
    (
        "three days are 72 hours",
        claim(
            "Troops must leave within three days.",
            quantities=[("within three days", 72, "hour", "within")],
        ),
        source(
            "Troops must leave within 72 hours.",
            quantities=[("within 72 hours", 72, "hour", "within")],
        ),
        None,
    ),
    (
        "about 70 is 72",
        claim(
            "About 70 homes were flooded.",
            quantities=[("About 70 homes", 70, "home", "about", True)],
        ),
        source("Exactly 72 homes were flooded.", quantities=[("72 homes", 72, "home")]),
        None,
    ),
    (
        "a figure inside the counterpart's bound",
        claim(
            "The project will cost 62 million euros.",
            quantities=[("62 million euros", 62e6, "EUR")],
        ),
        source(
            "The project will cost up to 70 million euros.",
            quantities=[("up to 70 million euros", 70e6, "EUR", "up-to")],
        ),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_numbers(why: str, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(NumberDetector(), derived, reference)
    got = (found[0].category.value, found[0].detail[:4]) if found else None
    assert got == expected, why


def test_a_figure_no_source_has() -> None:
    mine = claim(
        "The strike cost the airline 40 million euros, union officials said.",
        ident="derived#0",
        quantities=[("40 million euros", 40e6, "EUR")],
    )
    theirs = claim("The strike hit the airline hard, union officials said.", ident="source#0")
    derived, ref = article("derived", mine), article("source", theirs)
    found = list(NewFigureDetector().detect(comparison(derived, [ref], [(mine.id, theirs.id)])))
    assert [(d.category.value, d.detail) for d in found] == [
        ("unsupported_addition", "q:(40000000.0, 'EUR')")
    ]
    # in consensus mode (no sources) it is not judged
    assert (
        list(
            NewFigureDetector().detect(
                comparison(derived, [ref], [(mine.id, theirs.id)], strict=False)
            )
        )
        == []
    )
