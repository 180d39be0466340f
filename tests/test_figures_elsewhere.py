"""A figure a draft takes from a source sentence it was not aligned with: a claim that merges
two source sentences retells the other one's figure in that sentence's words, and is no change
of the aligned sentence's rival figure; a figure moved onto other words is still a change.
Invented sentences, through the real `check` pipeline (no embedder)."""

from __future__ import annotations

import pytest

import fidelity

FAST = {"embedder": "none", "use_cache": False, "jobs": 1}

# (source, draft, must flag number_changed)
CASES = [
    pytest.param(
        "Diluted GAAP earnings per common share were $3.69 for the third quarter of 2021, "
        "improved from $3.41 in the second quarter of 2021 and $2.75 in the third quarter of "
        "2020. Taxable equivalent net interest income was $971 million, up $12 million from "
        "the prior quarter.",
        "The company's third quarter of 2021 diluted GAAP earnings per common share improved "
        "to $3.69 and taxable equivalent net interest income was $971 million.",
        False,
        id="merged sentences: each figure in its own words",
    ),
    pytest.param(
        "With the Platinum Plan at just $700/month, you'll work closely with our seasoned "
        "financial advisors, people like Sarah Thompson, who has over 20 years of experience "
        "in the field. For a limited time, we're offering an exclusive 10% discount on your "
        "first three months with any subscription plan!",
        "There is an exclusive discount for the first three months, and the Platinum plan "
        "gives access to seasoned financial advisors like Sarah Thompson.",
        False,
        id="a duration from the other sentence",
    ),
    pytest.param(
        "The storm killed 12 people across the region on Monday. Some 40 people were "
        "injured, officials said.",
        "The storm killed 40 people across the region on Monday.",
        True,
        id="the injured counted as the dead",
    ),
    pytest.param(
        "The company cut 300 jobs at its plant in Ohio this year. It employs 4,000 people "
        "in the state.",
        "The company cut 4,000 jobs at its plant in Ohio this year.",
        True,
        id="the workforce told as the cuts",
    ),
]


@pytest.mark.parametrize(("source", "draft", "flagged"), CASES)
def test_a_figure_from_another_source_sentence(source: str, draft: str, flagged: bool) -> None:
    report = fidelity.check(draft, [source], **FAST)
    found = [f for f in report.findings if f.category == "number_changed"]
    assert bool(found) is flagged, [f.message for f in report.findings]
