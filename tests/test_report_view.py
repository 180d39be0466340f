"""The shared reading of a result: word differences, highlighted pieces, grouping, anchors."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_report_sample import sample_result

from fidelity.report.view import (
    ResultIndex,
    anchor_ids,
    changed_spans,
    pieces,
    redline,
    similarity,
    visible,
)
from fidelity.types import Span


@pytest.mark.parametrize(
    ("reference", "derived", "inserted", "deleted"),
    [
        (
            "The draft could see European forces deployed within 72 hours.",
            "The draft will see European forces deployed within 72 hours.",
            ["will"],
            ["could "],
        ),
        (
            "At least 40 delegates would attend the session.",
            "Only 4 delegates would attend the session.",
            ["Only 4"],
            ["At least 40 "],
        ),
        (
            "Medvedev said foreign troops would become a legitimate target.",
            "Medvedev said foreign troops would become a target.",
            [],
            ["legitimate "],
        ),
        (
            'He called it a "legitimate target for destruction."',
            "He called it a «legitimate target for destruction».",
            [],
            [],
        ),
        (
            "Talks will resume in Abu Dhabi.",
            "TALKS WILL RESUME IN ABU DHABI.",
            [],
            [],
        ),
    ],
)
def test_redline_on_sentence_pairs(
    reference: str, derived: str, inserted: list[str], deleted: list[str]
) -> None:
    runs = redline(reference, derived)
    assert [t for k, t in runs if k == "ins"] == inserted
    assert [t for k, t in runs if k == "del"] == deleted
    assert [derived[s.start : s.end] for s in changed_spans(reference, derived)] == inserted


@given(st.text(max_size=60), st.text(max_size=60))
def test_redline_rebuilds_the_derived_text(reference: str, derived: str) -> None:
    runs = redline(reference, derived)
    assert "".join(t for k, t in runs if k != "del") == derived
    assert all(t for _, t in runs)
    assert 0.0 <= similarity(reference, derived) <= 1.0


@given(
    st.text(max_size=40),
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=5),
)
def test_pieces_cover_the_text_once(text: str, bounds: list[tuple[int, int]]) -> None:
    spans = [Span(min(a, b), max(a, b)) for a, b in bounds]
    out = pieces(text, spans)
    assert "".join(t for t, _ in out) == text
    assert all(t for t, _ in out)
    # no two highlighted runs touch: overlapping and adjacent highlights merge
    assert all(not (a[1] and b[1]) for a, b in itertools.pairwise(out))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("clear \x1b[2J screen", "clear ␛[2J screen"),
        ("bell\x07", "bell␇"),
        ("right-to-left \u202eoverride", "right-to-left \ufffdoverride"),
        ("c1 \x9b control", "c1 \ufffd control"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("Ελληνικά και русский", "Ελληνικά και русский"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_groups_most_severe_first_unclustered_after_equal_rank() -> None:
    index = ResultIndex(sample_result())
    groups = index.groups()
    assert [g.key for g in groups] == ["c3", "c4", "c1", "unclustered"]
    for group in groups:
        ranks = [{"high": 3, "medium": 2, "low": 1}[f.severity] for f in group.findings]
        assert ranks == sorted(ranks, reverse=True)


def test_reference_falls_back_to_the_source_role() -> None:
    from dataclasses import replace

    result = replace(sample_result(), reference_id=None)
    assert ResultIndex(result).reference_id == "wire"


def test_anchor_ids_are_unique_and_safe() -> None:
    ids = ["wire#1", "wire 1", "wire-1", "<script>", "", "wire#1"]
    anchors = anchor_ids(ids, "claim-")
    assert len(set(anchors.values())) == len(anchors) == 5
    for value in anchors.values():
        assert value.startswith("claim-")
        assert all(c.isalnum() or c in "-_" for c in value)
