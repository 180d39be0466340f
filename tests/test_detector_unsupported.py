"""Unsupported additions: a substantive claim of the retelling that no source supports."""

from __future__ import annotations

import pytest
from claim_cases import article, claim, comparison

from fidelity.score.detectors.unsupported import UnsupportedDetector

SOURCE = article(
    "source",
    claim("The central bank raised its key rate by 25 basis points on Thursday.", ident="source#0"),
)

CASES = [
    # (why, derived claim, expected "category/severity" or None)
    (
        "a new figure",
        claim(
            "The bank will cut 300 jobs in Frankfurt this year.",
            ident="derived#0",
            quantities=[("300 jobs", 300, "job")],
            entities=[("Frankfurt", "Frankfurt", "place")],
        ),
        "unsupported_addition/medium",
    ),
    (
        "a new name",
        claim(
            "Analysts at Goldman Sachs expect another hike in June.",
            ident="derived#0",
            entities=[("Goldman Sachs", "Goldman Sachs", "organisation")],
        ),
        "context_added/low",
    ),
    (
        "a rewording the aligner missed",
        claim(
            "On Thursday the central bank raised its key rate by 25 basis points.",
            ident="derived#0",
            quantities=[("25 basis points", 25, "basis-point")],
        ),
        None,
    ),
    ("nothing substantive", claim("Markets were calm.", ident="derived#0"), None),
]


@pytest.mark.parametrize(("why", "derived", "expected"), CASES, ids=[c[0] for c in CASES])
def test_unsupported(why, derived, expected) -> None:  # type: ignore[no-untyped-def]
    found = list(UnsupportedDetector().detect(comparison(article("derived", derived), [SOURCE])))
    got = f"{found[0].category.value}/{found[0].severity.value}" if found else None
    assert got == expected, why


def test_an_aligned_claim_is_supported() -> None:
    derived = CASES[0][1]
    found = UnsupportedDetector().detect(
        comparison(article("derived", derived), [SOURCE], [(derived.id, "source#0")])
    )
    assert list(found) == []
