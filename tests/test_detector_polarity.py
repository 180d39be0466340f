"""Polarity: a word swapped for its opposite, a negation dropped or added on the same clause."""

from __future__ import annotations

import pytest
from claim_cases import claim, detect, source

from fidelity.score.detectors.polarity import PolarityDetector

CASES = [
    (
        "antonym",
        "Unemployment fell to 6.1% in March.",
        "Unemployment rose to 6.1% in March.",
        ("antonym_swapped", "dir:fell|rose"),
    ),
    (
        "antonym verb",
        "Parliament rejected the proposal to extend the measures.",
        "Parliament accepted the proposal to extend the measures.",
        ("antonym_swapped", "ant:reject|accepted"),
    ),
    (
        "negation added",
        "The ministry said the vaccine was not approved for children.",
        "The ministry said the vaccine was approved for children.",
        ("negation_flipped", "neg-added:approve"),
    ),
    (
        "negation dropped",
        "The ministry said the vaccine was approved for children.",
        "The ministry said the vaccine was not approved for children.",
        ("negation_flipped", "neg-dropped:approve"),
    ),
    (
        "a negation on another clause",
        "No library will close, the mayor said.",
        "The mayor said 12 libraries will close their reading rooms, but staff will stay.",
        None,
    ),
    (
        "the same polarity",
        "The vaccine was not approved for children.",
        "The vaccine has not been approved for children.",
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_polarity(why: str, derived: str, reference: str, expected: tuple[str, str] | None) -> None:
    found = detect(PolarityDetector(), claim(derived), source(reference))
    got = (found[0].category.value, found[0].detail) if found else None
    assert got == expected, why
