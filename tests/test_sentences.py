"""The shared sentence splitter."""

from __future__ import annotations

import itertools

import pytest

from fidelity.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith arrived. He left.", ["Mr. Smith arrived.", "He left."]),
        ("J. R. Smith said so. Then he went.", ["J. R. Smith said so.", "Then he went."]),
        ("U.S. officials agreed. The EU did not.", ["U.S. officials agreed.", "The EU did not."]),
        (
            "It rose 3.5% in Jan. to a record. Analysts cheered.",
            ["It rose 3.5% in Jan. to a record.", "Analysts cheered."],
        ),
        ('He said: "We will go." Then he left.', ['He said: "We will go."', "Then he left."]),
        (
            "“We are ready,” she said. “Are you?” he asked.",
            ["“We are ready,” she said.", "“Are you?” he asked."],
        ),
        (
            "«Это так». Он ушёл! 72 hours later it ended.",
            ["«Это так».", "Он ушёл!", "72 hours later it ended."],
        ),
        ("Η συμφωνία υπογράφηκε. Ο Ρούτε μίλησε.", ["Η συμφωνία υπογράφηκε.", "Ο Ρούτε μίλησε."]),
        ("Wait... what happened? Nobody knows.", ["Wait... what happened?", "Nobody knows."]),
        (
            "Headline without stop\nBody sentence one. Body two.",
            ["Headline without stop", "Body sentence one.", "Body two."],
        ),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert [s.of(text) for s in split_sentences(text)] == expected


def test_spans_cover_every_non_blank_character_once() -> None:
    text = "One. Two!  Three?\n\nFour “five.” Six"
    spans = split_sentences(text)
    covered = "".join(s.of(text) for s in spans).replace(" ", "")
    assert covered == text.replace(" ", "").replace("\n", "")
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
