"""Quotations: changed words, a paraphrase presented as a quote, the same words given to
another speaker. Hand-made claims, no pipeline."""

from __future__ import annotations

import pytest
from claim_cases import claim, detect, source, speaker

from fidelity.score.detectors.quotes import QuoteDetector

MAYOR = speaker("the mayor", kind="person")
ZAKHAROVA = speaker("Maria Zakharova")
MEDVEDEV = speaker("Dmitry Medvedev")

CASES = [
    # (why, derived, reference, expected (category, severity) or None)
    (
        "words inside the marks changed",
        claim(
            "“The situation is out of control,” the mayor told reporters.",
            quotes=[("The situation is out of control", MAYOR)],
        ),
        source(
            "“The situation is difficult but under control,” the mayor told reporters.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        ("quote_altered", "medium"),
    ),
    (
        "a negation slipped into the quote",
        claim(
            "“We will accept foreign troops on our border,” the minister said.",
            quotes=[("We will accept foreign troops on our border", None)],
        ),
        source(
            "“We will not accept foreign troops on our border,” the minister said.",
            quotes=[("We will not accept foreign troops on our border", None)],
        ),
        ("quote_altered", "high"),
    ),
    (
        "the same words in another speaker's mouth",
        claim(
            "“We will not accept foreign troops on our border,” Dmitry Medvedev said.",
            quotes=[("We will not accept foreign troops on our border", MEDVEDEV)],
        ),
        source(
            "“We will not accept foreign troops on our border,” Maria Zakharova said.",
            quotes=[("We will not accept foreign troops on our border", ZAKHAROVA)],
        ),
        ("attribution_changed", "high"),
    ),
    (
        "a paraphrase presented as a direct quote",
        claim(
            "The minister said: “we will answer every provocation with all our force”.",
            quotes=[("we will answer every provocation with all our force", None)],
        ),
        source("The minister said the country would answer any provocation with force."),
        ("quote_altered", "medium"),
    ),
    (
        "the same quote",
        claim(
            "“The situation is difficult but under control,” the mayor said.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        source(
            "“The situation is difficult but under control,” the mayor told reporters.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        None,
    ),
    (
        "a trimmed excerpt of the quote",
        claim(
            "The mayor said the situation was “difficult but under control”.",
            quotes=[("difficult but under control", MAYOR)],
        ),
        source(
            "“The situation is difficult but under control,” the mayor told reporters.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        None,
    ),
    (
        "two translations of one quote",
        claim(
            "“The situation is hard but controlled,” the mayor said.",
            status="translated",
            quotes=[("The situation is hard but controlled", MAYOR)],
        ),
        source(
            "“The situation is difficult but under control,” the mayor said.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        None,
    ),
    (
        "scare quotes are framing, not a quotation",
        claim(
            "Officials called it a “special operation” on Monday.",
            quotes=[("special operation", None)],
        ),
        source(
            "Officials called it a “military campaign” on Monday.",
            quotes=[("military campaign", None)],
        ),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_quotes(why: str, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(QuoteDetector(), derived, reference)
    got = (found[0].category.value, found[0].severity.value) if found else None
    assert got == expected, why


def test_a_headline_leaves_the_speaker_to_its_body() -> None:
    headline = claim(
        "“We will not accept foreign troops on our border,” Dmitry Medvedev said",
        kind="headline",
        quotes=[("We will not accept foreign troops on our border", MEDVEDEV)],
    )
    body = source(
        "“We will not accept foreign troops on our border,” Maria Zakharova said.",
        quotes=[("We will not accept foreign troops on our border", ZAKHAROVA)],
    )
    assert detect(QuoteDetector(), headline, body) == []


def test_the_match_floor_is_a_threshold() -> None:
    derived, reference = CASES[0][1], CASES[0][2]
    assert detect(QuoteDetector(match_floor=100.0), derived, reference) == []
