"""Times: a year, weekday, month or relative time replaced, an ordering word turned round."""

from __future__ import annotations

import pytest
from claim_cases import claim, detect, source

from fidelity.score.detectors.times import TimeDetector

CASES = [
    (
        "weekday",
        "The talks resumed on Tuesday in Geneva.",
        "The talks resumed on Monday in Geneva.",
        "time:weekday:tuesday|monday",
    ),
    (
        "month",
        "The vote was moved to October.",
        "The vote was moved to November.",
        "time:month:october|november",
    ),
    (
        "relative time",
        "The law takes effect next year.",
        "The law takes effect this year.",
        "time:relative time:next year|this year",
    ),
    (
        "before and after",
        "Prices rose after 2015, the study found.",
        "Prices rose before 2015, the study found.",
        "order:after|before",
    ),
    (
        "a time added is no change",
        "The talks resumed on Tuesday in Geneva.",
        "The talks resumed in Geneva.",
        None,
    ),
    ("'May' is a modal too", "Officials may meet in May.", "Officials may meet in June.", None),
    ("before a different anchor", "He spoke after the vote.", "He left before the summit.", None),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_times(why: str, derived: str, reference: str, expected: str | None) -> None:
    found = detect(TimeDetector(), claim(derived), source(reference))
    assert (found[0].detail if found else None) == expected, why
