"""Attribution: another source, a source dropped, a named source added."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import pytest
from claim_cases import claim, detect, source, speaker

from fidelity.score.detectors.attribution import AttributionDetector

ZAKHAROVA = speaker("Maria Zakharova")
MEDVEDEV = speaker("Dmitry Medvedev")
SOURCES = speaker(
    "people familiar with the matter", "Three people familiar with the matter", "anonymous"
)
MINISTRY = speaker("Russian foreign ministry", "the ministry", "organisation")

CASES = [
    # (why, derived text, its speaker, reference text, its speaker, expected (severity, detail) or None)
    (
        "another person",
        "Troops will not be accepted, Dmitry Medvedev said.",
        MEDVEDEV,
        "Troops will not be accepted, Maria Zakharova said.",
        ZAKHAROVA,
        ("high", "attr:Dmitry Medvedev|Maria Zakharova"),
    ),
    (
        "anonymous sources stated as fact",
        "The deal will be signed on Friday.",
        None,
        "Three people familiar with the matter said the deal will be signed on Friday.",
        SOURCES,
        ("medium", "attr-dropped:people familiar with the matter"),
    ),
    (
        "a named source added",
        "The deal will be signed on Friday, Maria Zakharova said.",
        ZAKHAROVA,
        "The deal will be signed on Friday.",
        None,
        ("medium", "attr-added:Maria Zakharova"),
    ),
    (
        "the ministry and its spokeswoman may be one source",
        "Troops will not be accepted, the ministry said.",
        MINISTRY,
        "Troops will not be accepted, Maria Zakharova said.",
        ZAKHAROVA,
        None,
    ),
    (
        "a pronoun is too uncertain",
        "Troops will not be accepted, she said.",
        speaker("Maria Zakharova", "she"),
        "Troops will not be accepted, Dmitry Medvedev said.",
        MEDVEDEV,
        None,
    ),
    (
        "both named in both",
        "Medvedev echoed Zakharova: troops will not be accepted.",
        MEDVEDEV,
        "Zakharova, like Medvedev, said troops will not be accepted.",
        ZAKHAROVA,
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "mine", "mine_by", "theirs", "theirs_by", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_attribution(why, mine, mine_by, theirs, theirs_by, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(
        AttributionDetector(),
        claim(mine, attribution=mine_by),
        source(theirs, attribution=theirs_by),
    )
    got = (found[0].severity.value, found[0].detail) if found else None
    assert got == expected, why


def test_a_dropped_source_reads_as_mid_sentence() -> None:
    (found,) = detect(
        AttributionDetector(), claim(CASES[1][1]), source(CASES[1][3], attribution=SOURCES)
    )
    assert "attributes this to three people familiar with the matter;" in found.message
