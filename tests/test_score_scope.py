"""Scope words: the relative time horizons and scope qualifiers of the pivot language."""

from __future__ import annotations

import pytest

from fidelity.score.scope import scope_words

HORIZONS = [
    ("in the coming weeks", "ahead week", True),
    ("over the next few months", "ahead month", True),
    ("in the months ahead", "ahead month", True),
    ("in the years to come", "ahead year", True),
    ("within days", "ahead day", True),
    ("next year", "ahead year", False),
    ("this week", "current week", False),
    ("in recent weeks", "behind week", True),
    ("over the past decade", "behind decade", False),
    ("in the near term", "near term", False),
    ("in the long run", "long term", False),
]


@pytest.mark.parametrize(("text", "reads", "several"), HORIZONS, ids=[h[0] for h in HORIZONS])
def test_horizons(text: str, reads: str, several: bool) -> None:
    found = scope_words("en").horizons(f"Prices will rise {text}, the bank said.")
    assert [(f"{h.points} {h.unit}", h.several) for h, _, _ in found] == [(reads, several)]


@pytest.mark.parametrize(
    "text", ["within 72 hours", "in a week", "the weekly meeting", "every month", "days later"]
)
def test_not_horizons(text: str) -> None:
    # durations with a count are figures (the quantity finder reads them), not horizons
    assert scope_words("en").horizons(f"It happened {text}.") == []


def test_a_language_without_scope_words_has_none() -> None:
    words = scope_words("xx")
    assert words.qualifiers == ()
    assert words.horizons("in the coming weeks") == []


def test_every_english_group_reads_its_own_marks() -> None:
    groups = {g.name: g for g in scope_words("en").qualifiers}
    assert set(groups) >= {"disjunct", "exclusion", "partitive", "regional", "temporary"}
    assert groups["regional"].marks.search("flooding in the northern provinces")
    assert groups["duration"].marks.search("frozen for 90 days")
    assert groups["duration"].kept.search("a two-year freeze")
    assert not groups["duration"].marks.search("forty years ago")
