"""Additions a desk can trust: a cause or consequence stated as fact that no source gives is
an ``unsupported_addition``; background dated to an earlier occasion is context, not a change
to the story. Rows are invented; several are English as a machine translation of German,
Spanish or French puts it."""

from __future__ import annotations

import dataclasses

import pytest
from claim_cases import article, claim, comparison, speaker

from fidelity.score.detectors.background import dated_elsewhere
from fidelity.score.detectors.numbers import NewFigureDetector
from fidelity.score.detectors.unsupported import UnsupportedDetector
from fidelity.types import ExtractedArticle

SOURCE = article(
    "source",
    claim(
        "The central bank raised its key rate by 25 basis points to 4% on Thursday.",
        ident="source#0",
        quantities=[("25 basis points", 0.25, "percentage-point"), ("4%", 4, "percent")],
    ),
    claim(
        "In light of persistent inflation, the board judged a further step necessary.",
        ident="source#1",
    ),
)


def _published(art: ExtractedArticle, day: str) -> ExtractedArticle:
    detected = art.translated.detected
    detected = dataclasses.replace(
        detected, article=dataclasses.replace(detected.article, published=day)
    )
    return dataclasses.replace(
        art, translated=dataclasses.replace(art.translated, detected=detected)
    )


def _found(derived_text: str, **parts: object) -> list[str]:
    derived = _published(
        article("derived", claim(derived_text, ident="derived#0", **parts)),  # type: ignore[arg-type]
        "2026-03-12",
    )
    found = UnsupportedDetector().detect(comparison(derived, [SOURCE]))
    return [f"{d.category.value}/{d.severity.value}" for d in found]


CAUSES = [
    # (why, derived sentence, expected)
    # de: "Das ist der Grund für die Zinserhöhung."
    ("the reason for", "That is the reason for the tightening of policy.", "unsupported_addition"),
    ("because of", "The step came because of the weak currency.", "unsupported_addition"),
    # de: "ist auf ... zurückzuführen"
    ("due to", "The move is due to soaring energy costs abroad.", "unsupported_addition"),
    # fr: "En conséquence, les mensualités vont grimper."
    ("a consequence", "As a result, mortgage payments will climb sharply.", "unsupported_addition"),
    # es: "Los especuladores tienen la culpa"
    ("to blame", "Speculators on the bond market are to blame for it.", "unsupported_addition"),
    ("caused by", "The tightening was driven by wage settlements.", "unsupported_addition"),
    ("the main reason was", "The main reason was the housing boom.", "unsupported_addition"),
    # must not flag
    (
        "the sources give the cause in other words",
        "The rise came because inflation has been persistent.",
        None,
    ),
    ("no causal link", "Mortgage holders in the capital face higher payments.", None),
    (
        "an analyst's view, not the outlet's",
        "Analyst Jonas Berg said the step was due to the weak currency.",
        None,
    ),
    (
        "a cause inside a quote",
        "“This is the reason for our decision,” a board member told the paper.",
        "context_added",  # a quote no source holds: background, not the outlet's cause
    ),
]


@pytest.mark.parametrize(("why", "text", "expected"), CAUSES, ids=[c[0] for c in CAUSES])
def test_an_added_cause(why: str, text: str, expected: str | None) -> None:
    parts: dict[str, object] = {}
    if "said" in text:
        parts["attribution"] = speaker("Jonas Berg")
    if "“" in text:
        parts["quotes"] = [("This is the reason for our decision,", speaker("a board member"))]
    got = [c.split("/")[0] for c in _found(text, **parts)]
    assert (got[0] if got else None) == expected, why


def test_an_added_cause_says_what_was_added() -> None:
    derived = _published(
        article(
            "derived",
            claim("That is the reason for the tightening of policy.", ident="derived#0"),
        ),
        "2026-03-12",
    )
    (found,) = UnsupportedDetector().detect(comparison(derived, [SOURCE]))
    assert found.severity.value == "medium"
    assert "cause" in found.message and "the reason for" in found.message
    assert [m.of(found.derived.text) for m in found.derived_marks] == ["the reason for"]


def test_a_cause_of_an_earlier_occasion_is_background() -> None:
    got = _found("The bank cut rates on 15 October 2008 because of the financial crisis.")
    assert got == ["context_added/low"]


DATES = [
    # (why, sentence, published, expected date or None)
    (
        "a day before publication",
        "It declared an emergency on January 30.",
        "2026-03-11",
        "January 30",
    ),
    ("day first", "It declared an emergency on 30 January.", "2026-03-11", "30 January"),
    ("an earlier year", "The bank last cut rates in 2008.", "2026-03-11", "in 2008"),
    ("a plan after publication", "The council will vote on October 30.", "2026-03-11", None),
    ("a future year", "The plant will open in 2028.", "2026-03-11", None),
    ("the story's own day, as the sources give it", "It met on March 5.", "2026-03-11", None),
    ("a bare year with no date to compare", "The bank last cut rates in 2008.", None, None),
    ("no date at all", "Cases rose 13-fold in two weeks.", "2026-03-11", None),
]


@pytest.mark.parametrize(("why", "text", "published", "expected"), DATES, ids=[c[0] for c in DATES])
def test_dated_elsewhere(why: str, text: str, published: str | None, expected: str | None) -> None:
    sources = [claim("The board met on March 5 and raised rates.", ident="source#0")]
    assert dated_elsewhere(text, sources, published) == expected, why


def test_a_figure_of_an_earlier_occasion_is_context_not_an_addition() -> None:
    """'... on January 30, when there were fewer than 100 cases': the aligned sentence's new
    figure tells of January, not of the story's day."""
    src = article(
        "source",
        claim(
            "The number of cases outside China has increased 13-fold in two weeks.",
            ident="source#0",
            quantities=[("13-fold", 13, "fold")],
        ),
    )
    mine = "The emergency was declared on January 30, when there were fewer than 100 cases."
    now = "The number of cases outside China has increased 13-fold in two weeks, to 4,000."
    for text, expected in ((mine, "context_added"), (now, "unsupported_addition")):
        q = ("100 cases", 100, "case") if text is mine else ("4,000", 4000, "case")
        derived = _published(
            article("derived", claim(text, ident="derived#0", quantities=[q])), "2026-03-11"
        )
        found = NewFigureDetector().detect(comparison(derived, [src], [("derived#0", "source#0")]))
        assert [d.category.value for d in found] == [expected], text
