"""Certainty: a plan further along, a hedge dropped or added, a condition stated as fact."""

from __future__ import annotations

import pytest
from claim_cases import claim, detect, source

from fidelity.score.detectors.certainty import CertaintyDetector

CASES = [
    # (why, derived, reference, expected (severity, detail) or None)
    (
        "a plan -> agreed (levels of markers.yaml)",
        claim("Officials agreed a plan to deploy troops.", markers=[("agreed", "status", 0.8)]),
        source("Officials discussed a plan to deploy troops.", markers=[("plan", "status", 0.5)]),
        ("medium", "status:agreed|plan"),
    ),
    (
        "a draft plan -> signed",
        claim("Officials signed a plan to deploy troops.", markers=[("signed", "status", 1.0)]),
        source(
            "Officials drew up a draft plan to deploy troops.",
            markers=[("draft", "status", 0.4), ("plan", "status", 0.5)],
        ),
        ("high", "status:signed|plan"),
    ),
    (
        "a hedge dropped",
        claim("The company plans to cut 2,000 jobs next year."),
        source(
            "The company reportedly plans to cut 2,000 jobs next year.",
            markers=[("reportedly", "hedge", 0.5)],
        ),
        ("high", "hedge-dropped:reportedly"),
    ),
    (
        "a hedge added",
        claim(
            "The company probably plans to cut 2,000 jobs next year.",
            markers=[("probably", "hedge", 0.6)],
        ),
        source("The company plans to cut 2,000 jobs next year."),
        ("medium", "hedge-added:probably"),
    ),
    (
        "a condition stated as fact",
        claim("The alliance will send troops to the border."),
        source(
            "If the ceasefire collapses, the alliance will send troops to the border.",
            markers=[("If", "conditional", 0.5)],
        ),
        ("high", "cond:If"),
    ),
    (
        "both hedged",
        claim(
            "The company reportedly plans to cut 2,000 jobs.",
            markers=[("reportedly", "hedge", 0.5)],
        ),
        source(
            "The company allegedly plans to cut 2,000 jobs.", markers=[("allegedly", "hedge", 0.3)]
        ),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_certainty(why, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(CertaintyDetector(), derived, reference)
    got = (found[0].severity.value, found[0].detail) if found else None
    assert got == expected, why


def test_a_more_careful_headline_is_fine() -> None:
    headline = claim("Company probably plans to cut 2,000 jobs", kind="headline")
    assert detect(CertaintyDetector(), headline, CASES[2][2]) == []
