"""Omissions: a caveat clause of the counterpart left out, a source sentence carrying a caveat
with no counterpart in the retelling."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import pytest
from claim_cases import ENGLISH, article, claim, comparison, detect, source

from fidelity.score.base import Pair
from fidelity.score.detectors.omission import (
    DroppedClauseDetector,
    DroppedQualifierDetector,
    OmittedCaveatDetector,
)
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


QUALIFIERS = [
    # must flag: a scope qualifier dropped
    (
        "a disjunct dropped ('or lower')",
        "The bank expects interest rates to remain at present levels until inflation returns to target.",
        "The bank expects interest rates to remain at present or lower levels until inflation returns to target.",
        "qualifier:disjunct:or lower",
    ),
    (
        "a disjunct dropped (translated from Italian, 'current' for 'present')",
        "The central bank expects its key rates to stay at current levels for as long as necessary.",
        "The central bank expects its key rates to stay at their present or lower levels for as long as necessary.",
        "qualifier:disjunct:or lower",
    ),
    (
        "an exclusion dropped ('outside China')",
        "In the past two weeks the number of infections has risen 13-fold, the agency said.",
        "In the past two weeks the number of infections outside China has risen 13-fold, the agency said.",
        "qualifier:exclusion:outside",
    ),
    (
        "an exclusion dropped ('excluding fuel')",
        "Retail sales rose 4% in the third quarter, the statistics office said.",
        "Retail sales excluding fuel rose 4% in the third quarter, the statistics office said.",
        "qualifier:exclusion:excluding",
    ),
    (
        "a partitive dropped ('part of'; translated from French)",
        "Under the new system, the excess reserves of banks will be exempted from the negative rate.",
        "Under the new system, part of the excess reserves of banks will be exempt from the negative rate.",
        "qualifier:partitive:part of",
    ),
    (
        "a partitive dropped ('most of')",
        "The ministry said the schools in the region would reopen on Monday.",
        "The ministry said most of the schools in the region would reopen on Monday.",
        "qualifier:partitive:most of",
    ),
    (
        "a temporary measure made lasting ('for now')",
        "The government has suspended the fuel tax, the finance minister said.",
        "The government has suspended the fuel tax for now, the finance minister said.",
        "qualifier:temporary:for now",
    ),
    (
        "a first step made the whole ('initially'; translated from German)",
        "The new factory will employ 2,000 workers, the carmaker said.",
        "The new factory will initially employ 2,000 workers, the carmaker said.",
        "qualifier:temporary:initially",
    ),
    (
        "a regional limit dropped ('in some regions'; translated from Spanish)",
        "Heavy rain caused severe flooding, the weather service said.",
        "Heavy rain caused severe flooding in some regions, the weather service said.",
        "qualifier:regional:in some regions",
    ),
    (
        "a restricting locative dropped ('in coastal areas')",
        "The regional government will ban new holiday flats, officials said.",
        "The regional government will ban new holiday flats in coastal areas, officials said.",
        "qualifier:regional:in coastal areas",
    ),
    (
        "a time limit dropped ('for two years'; translated from Italian)",
        "The city council will freeze parking fees in the old town, the mayor said.",
        "The city council will freeze parking fees in the old town for two years, the mayor said.",
        "qualifier:duration:for two years",
    ),
    (
        "a partial cause made the whole ('partly')",
        "The drop in exports was caused by the strong currency, the central bank said.",
        "The drop in exports was partly caused by the strong currency, the central bank said.",
        "qualifier:partitive:partly",
    ),
    (
        "the limits of a measure dropped, the attribution after a comma not counted",
        "The government will present a bill in June that will ban new holiday rental licences.",
        "The government is expected to present a bill in June that could suspend new holiday rental licences in coastal towns for three years, according to two officials familiar with the draft.",
        "qualifier:regional:in coastal towns",
    ),
    # must not flag
    (
        "a time limit kept in other words",
        "The city council will freeze parking fees in the old town until 2027, the mayor said.",
        "The city council will freeze parking fees in the old town for two years, the mayor said.",
        None,
    ),
    (
        "'or to fall further' renders 'or lower'",
        "The bank expects interest rates to stay at current levels or to fall further until inflation returns to target.",
        "The bank expects interest rates to remain at present or lower levels until inflation returns to target.",
        None,
    ),
    (
        "'international cases' renders 'cases outside China' (translated from German)",
        "The number of international cases has risen 13-fold in two weeks.",
        "The number of cases outside China has risen 13-fold in two weeks.",
        None,
    ),
    (
        "'non-EU' renders 'outside the European Union'",
        "Non-EU wheat exports are likely to drop to 7 million tonnes, the ministry said.",
        "Wheat exports outside the European Union are likely to drop to 7 million tonnes, the ministry said.",
        None,
    ),
    (
        "a partitive of another statement of the counterpart",
        "All 14 economists polled by the agency had expected Thursday's cut.",
        "Economists polled by the agency had unanimously expected Thursday's cut, and a majority of the 14 respondents expected another cut by June.",
        None,
    ),
    (
        "'mostly' renders 'most of'",
        "The ministry said the region's schools would mostly reopen on Monday.",
        "The ministry said most of the schools in the region would reopen on Monday.",
        None,
    ),
    (
        "'will first employ' renders 'will initially employ'",
        "The new factory will first employ 2,000 workers, the carmaker said.",
        "The new factory will initially employ 2,000 workers, the carmaker said.",
        None,
    ),
    (
        "'a two-year freeze' renders 'freeze ... for two years'",
        "The mayor campaigned on a two-year freeze of rents in city-owned flats.",
        "The mayor campaigned on freezing rents in city-owned flats for two years.",
        None,
    ),
    (
        "a locative kept in other words ('on the coast')",
        "The regional government will ban new holiday flats on the coast, officials said.",
        "The regional government will ban new holiday flats in coastal areas, officials said.",
        None,
    ),
    (
        "a limit on another clause, after 'and', not retold",
        "Heavy rain cut power to thousands of homes.",
        "Heavy rain caused flooding in some regions and cut power to thousands of homes.",
        None,
    ),
    (
        "an uninformative word dropped ('also', 'now')",
        "The bank expects interest rates to remain at present levels.",
        "The bank now also expects interest rates to remain at present levels.",
        None,
    ),
    (
        "a faithful shortening that keeps the scope",
        "Retail sales excluding fuel rose 4%.",
        "Retail sales excluding fuel rose 4% in the third quarter, helped by strong demand for clothing.",
        None,
    ),
    (
        "'beyond China' renders 'outside China'",
        "The number of infections beyond China has risen 13-fold in two weeks.",
        "The number of infections outside China has risen 13-fold in two weeks.",
        None,
    ),
    (
        "'other than China' renders 'outside China'",
        "In countries other than China, the number of infections has risen 13-fold in two weeks.",
        "The number of infections outside China has risen 13-fold in two weeks.",
        None,
    ),
    (
        "'apart from China' renders 'outside China'",
        "Apart from China, infections have risen 13-fold in two weeks.",
        "The number of infections outside China has risen 13-fold in two weeks.",
        None,
    ),
    (
        "'a portion of' renders 'part of'",
        "A portion of the banks' excess reserves will be exempt from the negative rate.",
        "Part of the excess reserves of banks will be exempt from the negative rate.",
        None,
    ),
    (
        "'partly' renders 'part of'",
        "The banks' excess reserves will be partly exempt from the negative rate.",
        "Part of the excess reserves of banks will be exempt from the negative rate.",
        None,
    ),
    (
        "'or below' renders 'or lower'",
        "The bank expects interest rates to remain at current levels or below until inflation returns to target.",
        "The bank expects interest rates to remain at present or lower levels until inflation returns to target.",
        None,
    ),
    (
        "'temporarily' renders 'for now'",
        "The government has temporarily suspended the fuel tax, the finance minister said.",
        "The government has suspended the fuel tax for now, the finance minister said.",
        None,
    ),
    (
        "a figure's bound is the number detector's ('10 or more')",
        "Ten people were injured in the blast, police said.",
        "10 or more people were injured in the blast, police said.",
        None,
    ),
    (
        "'outside' a building is a place, not an exclusion",
        "Protesters gathered at the parliament building on Sunday.",
        "Protesters gathered outside the parliament building on Sunday.",
        None,
    ),
    (
        "the qualifier narrows a part of the counterpart not retold",
        "The factory will open in May, the carmaker said.",
        "The factory will open in May and initially employ 2,000 workers, the carmaker said.",
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), QUALIFIERS, ids=[c[0] for c in QUALIFIERS]
)
def test_dropped_qualifiers(why: str, derived: str, reference: str, expected: str | None) -> None:
    found = detect(DroppedQualifierDetector(), claim(derived), source(reference))
    assert (found[0].detail if found else None) == expected, why
    if found:  # the message names both sides' words
        assert "without the counterpart's" in found[0].message
        assert found[0].derived_marks and found[0].reference_marks


def test_a_qualifier_moved_to_another_sentence_is_not_lost() -> None:
    derived = "In the past two weeks the number of infections has risen 13-fold."
    reference = "In the past two weeks the number of infections outside China has risen 13-fold."
    elsewhere = "The figures count only cases outside China, the agency stressed."
    context = content_lemmas_of(f"{derived} {elsewhere}", ENGLISH)
    pair = Pair(claim(derived), source(reference), ENGLISH, context)
    assert list(DroppedQualifierDetector().detect(pair)) == []
    # ... and the same article without that sentence loses it
    alone = Pair(claim(derived), source(reference), ENGLISH, content_lemmas_of(derived, ENGLISH))
    assert [d.category.value for d in DroppedQualifierDetector().detect(alone)] == ["omission"]


def test_the_same_figure_retold_without_its_qualifier() -> None:
    # the words differ ("the epidemic multiplied" / "infections rose"), the figure is the same
    # (translated from Spanish)
    derived = claim(
        "The minister said that in the last two weeks the epidemic had multiplied by 13.",
        quantities=[("13", 13.0, "")],
    )
    reference = source(
        "In the past two weeks, the number of infections outside Italy has increased 13-fold, "
        "and the number of affected regions has tripled.",
        quantities=[("13", 13.0, "")],
    )
    found = list(DroppedQualifierDetector().detect(Pair(derived, reference, ENGLISH)))
    assert [d.detail for d in found] == ["qualifier:exclusion:outside"]
    # another figure is another statement; a number inside a name ("COVID-19") is no figure
    other = claim(derived.text.replace("13", "12"), quantities=[("12", 12.0, "")])
    assert list(DroppedQualifierDetector().detect(Pair(other, reference, ENGLISH))) == []
    named = source(
        "In the past two weeks, COVID-19 infections outside Italy have increased, officials said.",
        quantities=[("19", 19.0, "")],
    )
    mentions = claim(
        "The minister said COVID-19 vaccines would arrive.", quantities=[("19", 19.0, "")]
    )
    assert list(DroppedQualifierDetector().detect(Pair(mentions, named, ENGLISH))) == []


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
