"""The shared sentence splitter."""

from __future__ import annotations

import itertools

import pytest

from fidelity.text.sentences import MAX_SENTENCE, split_sentences


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


@pytest.mark.parametrize(
    "run",
    [
        "At 12:30, ",  # a timetable flattened into one line
        "3.5% ",  # figures with no full stop
        "x" * 50,  # long tokens, no clause break
        "y",  # one unbroken token: a hard cut
    ],
)
def test_a_run_without_boundaries_is_cut_into_bounded_pieces(run: str) -> None:
    text = "First sentence. " + run * (3 * MAX_SENTENCE // len(run) + 7) + "end. Last one."
    spans = split_sentences(text)
    assert spans[0].of(text) == "First sentence."
    assert spans[-1].of(text) == "Last one."
    assert len(spans) >= 5
    assert all(len(s.of(text)) <= MAX_SENTENCE for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    covered = "".join(s.of(text) for s in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")


def test_long_pieces_end_at_a_clause_break_when_there_is_one() -> None:
    clause = "the council said it would review the figures again next week, "
    text = clause * (2 * MAX_SENTENCE // len(clause)) + "and then it did."
    pieces = [s.of(text) for s in split_sentences(text)]
    assert len(pieces) >= 2
    assert all(piece.endswith(",") for piece in pieces[:-1])
    assert pieces[-1].endswith("and then it did.")


def test_a_long_real_sentence_under_the_limit_stays_whole() -> None:
    clause = "officials in three regions, speaking on condition of anonymity, said so; "
    sentence = (clause * (MAX_SENTENCE // len(clause)))[: MAX_SENTENCE - 1].rstrip() + "."
    assert [s.of(sentence) for s in split_sentences(sentence)] == [sentence]
