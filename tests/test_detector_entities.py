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
    (
        "the Governing Council is a body of the central bank, not another organisation",
        claim(
            "The ECB will restart net asset purchases at €20 billion a month from November.",
            entities=[("ECB", "ECB", "organisation")],
        ),
        source(
            "The Governing Council will restart net asset purchases at €20 billion a month "
            "from November.",
            entities=[("Governing Council", "Governing Council", "organisation")],
        ),
        None,
    ),
    (
        "the Committee of the Fed (translated from Spanish)",
        claim(
            "The Federal Reserve decided to lower the target range to between 0 and 0.25 percent.",
            entities=[("Federal Reserve", "Federal Reserve", "organisation")],
        ),
        source(
            "The Committee decided to lower the target range to 0 to 1/4 percent.",
            entities=[("Committee", "Committee", "organisation")],
        ),
        None,
    ),
    (
        "the ministry and its spokeswoman",
        claim(
            "The foreign ministry rejected the accusations as baseless on Tuesday.",
            entities=[("foreign ministry", "foreign ministry", "organisation")],
        ),
        source(
            "Its spokeswoman rejected the accusations as baseless on Tuesday.",
            entities=[("spokeswoman", "spokeswoman", "person")],
        ),
        None,
    ),
    (
        "another named organisation is still a swap",
        claim(
            "The ECB will restart net asset purchases at €20 billion a month from November.",
            entities=[("ECB", "ECB", "organisation")],
        ),
        source(
            "The Bank of England will restart net asset purchases at £20 billion a month "
            "from November.",
            entities=[("Bank of England", "Bank of England", "organisation")],
        ),
        ("high", "ent:organisation:ECB>Bank of England"),
    ),
    (
        "a named committee is a name (the Senate Banking Committee for the Fed)",
        claim(
            "The Federal Reserve approved the emergency lending plan on Sunday.",
            entities=[("Federal Reserve", "Federal Reserve", "organisation")],
        ),
        source(
            "The Senate Banking Committee approved the emergency lending plan on Sunday.",
            entities=[("Senate Banking Committee", "Senate Banking Committee", "organisation")],
        ),
        ("high", "ent:organisation:Federal Reserve>Senate Banking Committee"),
    ),
    (
        "a shared generic word names nothing (Bank of England / Bank of Japan)",
        claim(
            "The Bank of England left its key rate unchanged at 0.5% on Thursday.",
            entities=[("Bank of England", "Bank of England", "organisation")],
        ),
        source(
            "The Bank of Japan left its key rate unchanged at 0.5% on Thursday.",
            entities=[("Bank of Japan", "Bank of Japan", "organisation")],
        ),
        ("high", "ent:organisation:Bank of England>Bank of Japan"),
    ),
    (
        "the bank's own name against a generic mention (translated from German: die Notenbank)",
        claim(
            "The European Central Bank left its key rate unchanged on Thursday.",
            entities=[("European Central Bank", "European Central Bank", "organisation")],
        ),
        source(
            "The central bank left its key rate unchanged on Thursday, the Bank said.",
            entities=[("Bank", "Bank", "organisation")],
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
