"""Framing: loaded wording in the outlet's own voice, intensified, adopted from a quote, added
or softened."""

from __future__ import annotations

import pytest
from claim_cases import claim, detect, source

from fidelity.score.detectors.framing import FramingDetector

CASES = [
    (
        "protesters -> rioters",
        claim(
            "Rioters gathered outside parliament on Sunday.",
            framing=[("Rioters", "unrest", 3, "outlet")],
        ),
        source(
            "Protesters gathered outside parliament on Sunday.",
            framing=[("Protesters", "unrest", 1, "outlet")],
        ),
        ("high", "frame:unrest:3>1"),
    ),
    (
        "a quoted word adopted in the outlet's voice",
        claim(
            "The regime cracked down on the march.", framing=[("regime", "legitimacy", 3, "outlet")]
        ),
        source(
            "Critics called the government a “regime” after the march.",
            framing=[
                ("government", "legitimacy", 0, "outlet"),
                ("regime", "legitimacy", 3, "quote"),
            ],
        ),
        ("high", "frame:legitimacy:3>0"),
    ),
    (
        "loaded wording the counterpart has none of",
        claim(
            "The invasion force crossed the river at dawn.",
            framing=[("invasion", "conflict", 4, "outlet")],
        ),
        source("The troops crossed the river at dawn."),
        ("medium", "frame-added:conflict:4"),
    ),
    (
        "softened",
        claim(
            "Protesters gathered outside parliament on Sunday.",
            framing=[("Protesters", "unrest", 1, "outlet")],
        ),
        source(
            "Rioters gathered outside parliament on Sunday.",
            framing=[("Rioters", "unrest", 3, "outlet")],
        ),
        ("low", "soften:unrest"),
    ),
    (
        "the same term",
        claim("Protesters gathered on Sunday.", framing=[("Protesters", "unrest", 1, "outlet")]),
        source("Protesters marched on Sunday.", framing=[("Protesters", "unrest", 1, "outlet")]),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_framing(why, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(FramingDetector(), derived, reference)
    got = (found[0].severity.value, found[0].detail) if found else None
    assert got == expected, why
