"""Entities: another person, organisation or place in the same statement."""

from __future__ import annotations

import pytest
from claim_cases import claim, detect, source

from fidelity.score.detectors.entities import EntityDetector

CASES = [
    (
        "another place",
        claim(
            "Olaf Scholz met the Polish prime minister in Berlin on Monday.",
            entities=[("Olaf Scholz", "Olaf Scholz", "person"), ("Berlin", "Berlin", "place")],
        ),
        source(
            "Olaf Scholz met the Polish prime minister in Warsaw on Monday.",
            entities=[("Olaf Scholz", "Olaf Scholz", "person"), ("Warsaw", "Warsaw", "place")],
        ),
        ("medium", "ent:place:Berlin>Warsaw"),
    ),
    (
        "another person",
        claim(
            "Emmanuel Macron will chair the summit in Brussels.",
            entities=[("Emmanuel Macron", "Emmanuel Macron", "person")],
        ),
        source(
            "Olaf Scholz will chair the summit in Brussels.",
            entities=[("Olaf Scholz", "Olaf Scholz", "person")],
        ),
        ("high", "ent:person:Emmanuel Macron>Olaf Scholz"),
    ),
    (
        "Kiev and Kyiv are one city",
        claim(
            "Drones struck Kiev overnight, officials said.", entities=[("Kiev", "Kyiv", "place")]
        ),
        source(
            "Drones struck Kyiv overnight, officials said.", entities=[("Kyiv", "Kyiv", "place")]
        ),
        None,
    ),
    (
        "different statements naming different places",
        claim(
            "Farmers protested in Berlin against fuel taxes.",
            entities=[("Berlin", "Berlin", "place")],
        ),
        source(
            "The summit in Warsaw ended without a joint declaration on trade.",
            entities=[("Warsaw", "Warsaw", "place")],
        ),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_entities(why, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(EntityDetector(), derived, reference)
    got = (found[0].severity.value, found[0].detail) if found else None
    assert got == expected, why
