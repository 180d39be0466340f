"""Times: a year, weekday, month or relative time replaced, an ordering word turned round."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
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
    # time horizons
    (
        "weeks for months",
        "The central bank will buy at least 700 billion dollars of bonds in the coming weeks.",
        "The central bank will expand its bond holdings by $700 billion in coming months.",
        "time:relative time:coming weeks|coming months",
    ),
    (
        "within days for within months (translated from Spanish)",
        "The ministry said the new border checks would be lifted within days.",
        "The ministry said the new border checks would be lifted within months.",
        "time:relative time:within days|within months",
    ),
    (
        "the months ahead for the next few weeks",
        "Inflation is expected to ease in the months ahead, the governor said.",
        "Inflation is expected to ease over the next few weeks, the governor said.",
        "time:relative time:months ahead|next few weeks",
    ),
    (
        "next year for this year (translated from German)",
        "The pension reform will come into force next year, the minister said.",
        "The pension reform will come into force this year, the minister said.",
        "time:relative time:next year|this year",
    ),
    (
        "the last few days for the past weeks",
        "Prices for heating oil have doubled in the last few days.",
        "Prices for heating oil have doubled in the past weeks.",
        "time:relative time:last few days|past weeks",
    ),
    (
        "by the end of 2026 for by 2028",
        "The plant is due to be finished by the end of 2026.",
        "The plant is due to be finished by 2028.",
        "time:year:2026|2028",
    ),
    (
        "the short term for the long term",
        "The reform will weigh on growth in the short term, the institute said.",
        "The reform will weigh on growth in the long term, the institute said.",
        "time:relative time:short term|long term",
    ),
    (
        "the near term = the short term",
        "The virus will weigh on economic activity in the short term.",
        "The virus will weigh on economic activity in the near term.",
        None,
    ),
    (
        "over the coming months = in the months ahead",
        "The bank will buy bonds over the coming months.",
        "The bank will buy bonds in the months ahead.",
        None,
    ),
    (
        "earlier this year = this year",
        "Unemployment rose earlier this year, the statistics office said.",
        "Unemployment rose this year, the statistics office said.",
        None,
    ),
    (
        "in recent days = in the past few days (translated from Italian)",
        "Thousands of migrants have landed on the island in recent days.",
        "Thousands of migrants have landed on the island in the past few days.",
        None,
    ),
    (
        "within weeks = in the coming weeks",
        "Rescue crews expect to reopen the road within weeks.",
        "Rescue crews expect to reopen the road in the coming weeks.",
        None,
    ),
    (
        "next week = the coming week",
        "Talks resume next week in Brussels.",
        "Talks resume in the coming week in Brussels.",
        None,
    ),
    (
        "72 hours = three days",
        "The ceasefire holds for 72 hours.",
        "The ceasefire holds for three days.",
        None,
    ),
    (
        "a horizon added in another clause about another event",
        "The bank will buy bonds, and parliament will vote on the aid package in the coming weeks.",
        "The bank will buy bonds in coming months.",
        None,
    ),
    (
        "one year or several is no change",
        "The company expects sales to grow in the coming years.",
        "The company expects sales to grow next year.",
        None,
    ),
    (
        "this week for last month",
        "The health agency said this week that measles cases had doubled.",
        "The health agency said last month that measles cases had doubled.",
        "time:relative time:this week|last month",
    ),
    (
        "another horizon in another clause of both sides",
        "Officials confirmed 30 new cases in a week, taking the total this year to 150.",
        "Officials confirmed 30 new cases in the past week, bringing the total since January to 150.",
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_times(why: str, derived: str, reference: str, expected: str | None) -> None:
    found = detect(TimeDetector(), claim(derived), source(reference))
    assert (found[0].detail if found else None) == expected, why


def test_a_horizon_said_of_the_same_amount() -> None:
    # the clauses share no word, but each gives an amount in dollars (translated from German)
    derived = claim(
        "It will also put at least 700 billion dollars into the markets in the coming weeks.",
        quantities=[("700 billion dollars", 7e11, "USD", "at-least")],
    )
    reference = source(
        "The bank says it will act, will expand holdings of bonds by $500 bln in coming months",
        quantities=[("$500 bln", 5e11, "USD")],
    )
    found = detect(TimeDetector(), derived, reference)
    assert [d.detail for d in found] == ["time:relative time:coming weeks|coming months"]
    # without the amounts, nothing says the two horizons are of the same thing
    bare = detect(TimeDetector(), claim(derived.text), source(reference.text))
    assert bare == []
