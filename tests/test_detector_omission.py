"""Omissions: a caveat clause of the counterpart left out, a source sentence carrying a caveat
with no counterpart in the retelling."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import pytest
from claim_cases import ENGLISH, article, claim, comparison, detect, source

from fidelity.score.base import Pair
from fidelity.score.detectors.omission import DroppedClauseDetector, OmittedCaveatDetector
from fidelity.score.lexical import content_lemmas_of

CASES = [
    (
        "a dissent left out",
        "The government will raise the retirement age to 67 next year.",
        "The government will raise the retirement age to 67 next year, although unions dispute the actuarial figures.",
        "omission",
    ),
    (
        "the caveat kept",
        "The government will raise the retirement age to 67, although unions dispute the figures.",
        "The government will raise the retirement age to 67 next year, although unions dispute the actuarial figures.",
        None,
    ),
    (
        "a loose match is not an omission",
        "Unions called a strike for Monday over the new retirement rules.",
        "The government will raise the retirement age to 67 next year, although unions dispute the actuarial figures.",
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_dropped_clauses(why: str, derived: str, reference: str, expected: str | None) -> None:
    found = detect(DroppedClauseDetector(), claim(derived), source(reference))
    assert (found[0].category.value if found else None) == expected, why


def test_a_caveat_said_elsewhere_in_the_article_is_not_lost() -> None:
    context = content_lemmas_of("Unions dispute the actuarial figures.", ENGLISH)
    pair = Pair(claim(CASES[0][1]), source(CASES[0][2]), ENGLISH, context)
    assert list(DroppedClauseDetector().detect(pair)) == []


def _story() -> tuple:  # type: ignore[type-arg]
    src = [
        claim("The ministry said 40 homes were destroyed in the strike.", ident="source#0"),
        claim("The figures could not be independently verified.", ident="source#1"),
        claim("Rescue teams were searching the rubble on Tuesday.", ident="source#2"),
    ]
    mine = [
        claim("Forty homes were destroyed in the strike, the ministry said.", ident="derived#0"),
        claim("Rescuers searched the rubble on Tuesday.", ident="derived#1"),
    ]
    return article("derived", *mine), article("source", *src)


def test_a_lost_verification_caveat() -> None:
    derived, ref = _story()
    links = [("derived#0", "source#0"), ("derived#1", "source#2")]
    found = list(OmittedCaveatDetector().detect(comparison(derived, [ref], links)))
    assert [(d.category.value, d.derived.id, d.detail) for d in found] == [
        ("omission", "derived#0", "omit:source#1")
    ]
    # in consensus mode it is not judged
    assert (
        list(OmittedCaveatDetector().detect(comparison(derived, [ref], links, strict=False))) == []
    )
