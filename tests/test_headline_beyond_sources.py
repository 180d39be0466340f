"""What only a headline does: it claims what a source sentence denies, an absolute word for
the sources' limited one, one of two competing estimates as fact, or "the first" for "one of
the first"; and it is held to every source sentence that shares its words, not only to the
one it aligns with. Each case is an invented sentence pair (some translated into English)."""

from __future__ import annotations

import pytest
from claim_cases import article, claim, comparison

from fidelity.score.base import Match
from fidelity.score.config import ScoreConfig
from fidelity.score.detectors.headline import HeadlineDetector, headline_words
from fidelity.score.engine import compare_article
from fidelity.types import Claim

BODY = claim("The report was published on Monday.", ident="derived#1")


def _details(headline: Claim, *sources: Claim) -> list[str]:
    found = HeadlineDetector().detect(
        comparison(article("derived", headline, BODY), [article("source", *sources)])
    )
    return [d.detail for d in found]


def _h(text: str, **parts: object) -> Claim:
    return claim(text, ident="derived#0", kind="headline", **parts)  # type: ignore[arg-type]


def _s(text: str, n: int = 0, **parts: object) -> Claim:
    return claim(text, ident=f"source#{n}", **parts)  # type: ignore[arg-type]


CASES = [
    # (why, headline, source sentences, the finding expected or None)
    (
        "asserts what the source says it did not do",
        _h("Minister confirms resignation"),
        (_s("The minister did not confirm her resignation on Friday."),),
        "hdenied:confirm",
    ),
    (
        "deaths where the source reports none (dead / no deaths)",
        _h("Two climbers dead after avalanche in Tyrol"),
        (_s("No deaths were reported after the avalanche in Tyrol, police said."),),
        "hdenied:death",
    ),
    (
        "a noun of the headline's verb denied (cancels / not a cancellation)",
        _h("Airline cancels Lisbon route"),
        (_s("“This is a suspension, not a cancellation,” the airline said of its Lisbon route."),),
        "hdenied:cancellation",
    ),
    (
        "translated from German (für nicht schuldig befunden): found not guilty",
        _h("Court finds former mayor guilty"),
        (_s("The former mayor was found not guilty by the regional court."),),
        "hdenied:guilty",
    ),
    (
        "another source sentence asserts what one denies",
        _h("Three dead in warehouse blaze"),
        (
            _s("No deaths were reported in the first hours."),
            _s("Three workers later died in hospital, officials said.", 1),
        ),
        None,
    ),
    (
        "the headline denies it too",
        _h("No deaths in Tyrol avalanche"),
        (_s("No deaths were reported after the avalanche in Tyrol."),),
        None,
    ),
    (
        "cases the source says there are none of",
        _h("New measles cases in Seville"),
        (_s("No new measles cases were reported in Seville on Sunday."),),
        "hdenied:measle",
    ),
    (
        "a word the denial carries along (no new cases / new vaccine)",
        _h("New measles vaccine approved in Seville"),
        (_s("No new cases were reported in Seville on Sunday."),),
        None,
    ),
    (
        "the negation stands before another word of the sentence",
        _h("Vaccine works, study finds"),
        (_s("Officials cannot say yet whether the vaccine works in older people."),),
        None,
    ),
    (
        "a headline in question form claims nothing",
        _h("Will the minister confirm her resignation?"),
        (_s("The minister did not confirm her resignation on Friday."),),
        None,
    ),
    (
        "an end for a slowing",
        _h("Gene therapy halts sickle cell disease"),
        (_s("The therapy reduced painful crises by 40% in a trial of sickle cell patients."),),
        "hover:halted",
    ),
    (
        "an end for a slowing (translated from Spanish: frena en seco)",
        _h("New pill stops diabetes in its tracks"),
        (_s("The pill slowed the progression of diabetes in a trial of 300 patients."),),
        "hover:halted",
    ),
    (
        "the same word as the source: nothing claimed beyond it",
        _h("Drug slows Alzheimer's decline"),
        (_s("The antibody slowed cognitive decline in Alzheimer's patients by 27%."),),
        None,
    ),
    (
        "a verdict for a charge",
        _h("Ex-minister jailed for fraud"),
        (_s("The former minister was charged with fraud and denies wrongdoing."),),
        "hover:verdict",
    ),
    (
        "a verdict the sources give only as a condition",
        _h("Former minister convicted of fraud"),
        (
            _s("If convicted, the former minister faces up to five years in prison."),
            _s("He was charged with fraud in March.", 1),
        ),
        "hover:verdict",
    ),
    (
        "a verdict a source states",
        _h("Former minister convicted of fraud"),
        (_s("A court convicted the former minister of fraud; he had been charged in 2024."),),
        None,
    ),
    (
        "the charge as the sources give it",
        _h("Ex-minister charged with fraud"),
        (_s("The former minister was charged with fraud and denies wrongdoing."),),
        None,
    ),
    (
        "a clear lead for one within the margin of error (translated from Danish)",
        _h("Greens storm into commanding lead"),
        (_s("The Greens are ahead, but within the poll's margin of error."),),
        "hover:lead",
    ),
    (
        "a clear lead the poll reports",
        _h("Greens hold clear lead"),
        (_s("The Greens hold a clear lead of nine points, well outside the margin of error."),),
        None,
    ),
    (
        "independent for a study its maker paid for",
        _h("Independent study backs new diet"),
        (_s("The study of the diet was funded by the company that sells it."),),
        "hover:independent",
    ),
    (
        "an independent candidate is no independent study",
        _h("Independent candidate wins Galway seat"),
        (_s("The Galway campaign was funded by local donors."),),
        None,
    ),
    (
        "a noun, not the verb of an end (tram stops)",
        _h("Tram stops close as strike reduces service"),
        (_s("The strike reduced tram service by half on Monday."),),
        None,
    ),
    (
        "independent as the source says it",
        _h("Independent review clears hospital"),
        (_s("An independent review of the hospital, funded by the ministry, found no fault."),),
        None,
    ),
    (
        "one side's figure as fact",
        _h("50,000 rally in Madrid", quantities=[("50,000", 50000.0, "")]),
        (
            _s(
                "Organisers said 50,000 people attended; police put the number at 18,000.",
                quantities=[("50,000 people", 50000.0, "person"), ("18,000", 18000.0, "")],
            ),
        ),
        "hestimate:(50000.0, '')",
    ),
    (
        "the headline says whose figure it is",
        _h("50,000 rally in Madrid, organisers say", quantities=[("50,000", 50000.0, "")]),
        (
            _s(
                "Organisers said 50,000 people attended; police put the number at 18,000.",
                quantities=[("50,000 people", 50000.0, "person"), ("18,000", 18000.0, "")],
            ),
        ),
        None,
    ),
    (
        "one estimate and last year's figure",
        _h("50,000 rally in Madrid", quantities=[("50,000", 50000.0, "")]),
        (
            _s(
                "Police said 50,000 people attended, up from 30,000 last year.",
                quantities=[("50,000 people", 50000.0, "person"), ("30,000", 30000.0, "")],
            ),
        ),
        None,
    ),
    (
        "criticism the speaker said he would not make (slams / would not blame)",
        _h("Coach slams referee after derby defeat"),
        (_s("The coach said he would not blame the referee for the defeat."),),
        "hdenied:blame",
    ),
    (
        "criticism the source reports",
        _h("Coach slams referee after derby defeat"),
        (
            _s("The coach said he would not blame his players."),
            _s("He criticised the referee for two penalty decisions.", 1),
        ),
        None,
    ),
    (
        "a fire under control that the source says is not",
        _h("Forest fire near Valencia contained"),
        (_s("Crews are battling the blaze, which officials called “out of control”."),),
        "hover:contained",
    ),
    (
        "a fire the source says is contained",
        _h("Forest fire near Valencia contained"),
        (
            _s("The blaze was out of control on Monday."),
            _s("By Tuesday evening firefighters had it contained.", 1),
        ),
        None,
    ),
    (
        "the headline quotes words the speaker negated",
        _h("Minister: 'these cuts are fair'"),
        (_s("“I will not claim these cuts are fair,” the minister told parliament."),),
        "hquote-cut",
    ),
    (
        "the headline quotes words as the speaker said them",
        _h("Minister: 'these cuts are fair'"),
        (_s("“I believe these cuts are fair,” the minister told parliament."),),
        None,
    ),
    (
        "a record set in a wider history than the source's",
        _h("Striker becomes most expensive signing in Dutch football history"),
        (_s("The fee makes him the most expensive signing in Ajax's history."),),
        "hrecord-scope",
    ),
    (
        "a record in the source's history",
        _h("Striker becomes most expensive signing in Ajax history"),
        (_s("The fee makes him the most expensive signing in Ajax's history."),),
        None,
    ),
    (
        "fraud for irregularities",
        _h("Defeated candidate cries fraud in Graz"),
        (_s("He said his party would examine “irregularities” in the postal vote count."),),
        "hover:fraud",
    ),
    (
        "irregularities as the source says",
        _h("Defeated candidate alleges irregularities in Graz"),
        (_s("He said his party would examine “irregularities” in the postal vote count."),),
        None,
    ),
    (
        "a commitment to what the deal does not mention",
        _h("Summit deal commits nations to phase-out of coal"),
        (_s("The deal does not mention a coal phase-out, which 60 countries wanted."),),
        "hdenied:coal",
    ),
    (
        "what the deal does commit to, beside what it does not mention",
        _h("Summit deal commits nations to triple climate finance"),
        (
            _s("The deal does not mention a phase-out of coal."),
            _s("Nations agreed to triple climate finance by 2035.", 1),
        ),
        None,
    ),
    (
        "two figures of one statement (profit and revenue)",
        _h("Retailer's profit rises to $5 billion", quantities=[("$5 billion", 5e9, "USD")]),
        (
            _s(
                "The retailer said profit rose to $5 billion, according to its report, "
                "and revenue to $20 billion.",
                quantities=[("$5 billion", 5e9, "USD"), ("$20 billion", 2e10, "USD")],
            ),
        ),
        None,
    ),
    (
        "the loser named the winner",
        _h("Ajax lift Dutch Cup"),
        (_s("PSV won the Dutch Cup on Sunday, beating Ajax 2-0 in Rotterdam."),),
        "hlost:ajax",
    ),
    (
        "the unseated mayor named the winner (translated from German: abgewählt)",
        _h("Steiner wins Linz runoff"),
        (_s("Andrea Huber won the Linz runoff with 52%, unseating Steiner."),),
        "hlost:steiner",
    ),
    (
        "the winner as the source names it",
        _h("PSV lift Dutch Cup"),
        (_s("PSV won the Dutch Cup on Sunday, beating Ajax 2-0 in Rotterdam."),),
        None,
    ),
    (
        "a loser the headline does not call the winner",
        _h("Ajax lose Dutch Cup final"),
        (_s("PSV won the Dutch Cup on Sunday, beating Ajax 2-0 in Rotterdam."),),
        None,
    ),
    (
        "one of the largest made the largest",
        _h("Largest wind farm opens off Scotland"),
        (_s("The site off Scotland is one of the largest wind farms in Europe."),),
        "hrank:largest",
    ),
    (
        "one of the first made the first (translated from French: l'une des premières)",
        _h("First atmosphere found on rocky planet"),
        (_s("It would be one of the first atmospheres detected on a rocky planet."),),
        "hrank:first",
    ),
    (
        "the source ranks it alone too",
        _h("Largest wind farm opens off Scotland"),
        (
            _s("The site is one of the largest wind farms in Europe."),
            _s("It is the largest wind farm off Scotland.", 1),
        ),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "headline", "sources", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_what_a_headline_claims_beyond_its_sources(  # type: ignore[no-untyped-def]
    why, headline, sources, expected
) -> None:
    found = _details(headline, *sources)
    if expected is None:
        assert found == [], why
    else:
        assert expected in found, why


def test_each_finding_names_both_passages() -> None:
    found = list(
        HeadlineDetector().detect(
            comparison(
                article("derived", _h("Minister confirms resignation"), BODY),
                [article("source", _s("The minister did not confirm her resignation."))],
            )
        )
    )
    assert len(found) == 1
    assert found[0].message == "the headline asserts “confirms”; the source says “not … confirm”"
    assert [m.of(found[0].derived.text) for m in found[0].derived_marks] == ["confirms"]
    assert found[0].reference is not None
    assert [m.of(found[0].reference.text) for m in found[0].reference_marks] == ["not", "confirm"]


def test_a_pivot_without_headline_words_gets_none_of_these_checks() -> None:
    words = headline_words("xx")
    assert words.overstatements == () and words.ranks is None and words.estimates is None


# The engine holds a headline to each source sentence that shares two of its words, for a
# contradiction of those words; its alignment may be with another fact of the headline.
def _engine(headline: Claim, counterpart: Claim, *others: Claim) -> list[str]:
    derived, reference = article("derived", headline, BODY), article("source", counterpart, *others)
    claims = {c.id: c for c in (headline, BODY, counterpart, *others)}
    partners: dict[str, list[Match]] = {
        headline.id: [(counterpart.id, 0.9, {})],
        counterpart.id: [(headline.id, 0.9, {})],
    }
    found, _ = compare_article(derived, [reference], claims, partners, True, ScoreConfig())
    # the category of what the pair showed (its detail is the pair detector's own)
    return [
        str((d.signals or {}).get("divergence"))
        for d in found
        if d.category.value == "headline_unsupported"
    ]


ENGINE_CASES = [
    (
        "the other fact of a two-part headline is contradicted",
        _h("Mayor backs congestion charge as thousands protest"),
        _s("Thousands protested in the city centre on Saturday."),
        (_s("The mayor rejected a congestion charge for the city centre.", 1),),
        ["antonym_swapped"],
    ),
    (
        "a hedge on the headline's own words in a further sentence",
        _h("Government to ban new holiday rentals"),
        _s("Thousands marched against holiday rentals on Saturday."),
        (_s("The government could suspend new holiday rental licences next year.", 1),),
        ["certainty_shifted"],
    ),
    (
        "a hedge on another figure of a further sentence",
        _h(
            "Wheat harvest to shrink 8% to 30 million tonnes",
            quantities=[("8%", 8.0, "percent"), ("30 million tonnes", 3e7, "tonne")],
        ),
        _s(
            "The wheat harvest will shrink 8% to 30 million tonnes this year.",
            quantities=[("8%", 8.0, "percent"), ("30 million tonnes", 3e7, "tonne")],
        ),
        (
            _s(
                "Wheat exports are likely to drop to 7 million tonnes.",
                1,
                quantities=[("7 million tonnes", 7e6, "tonne")],
            ),
        ),
        [],
    ),
    (
        "a month named May is no hedge",
        _h("Housing starts slide to six-year low"),
        _s("Housing starts fell to a six-year low."),
        (_s("Housing starts fall 4% in May to lowest since 2020.", 1),),
        [],
    ),
    (
        "one word in common: its direction swapped (shares slump / shares rose)",
        _h("Biotech shares slump after trial result"),
        _s("The trial met its main goal, the company said."),
        (_s("The company's shares rose 30% in early trading.", 1),),
        ["antonym_swapped"],
    ),
    (
        "one word in common: a direction of another subject",
        _h("Biotech shares slump after trial result"),
        _s("The trial met its main goal, the company said."),
        (_s("Sales rose 30% in the quarter, while shares were unchanged.", 1),),
        [],
    ),
    (
        "a question asserts nothing the source contradicts",
        _h("Will the mayor back a congestion charge?"),
        _s("The mayor rejected a congestion charge for the city centre."),
        (),
        [],
    ),
    (
        "the same headline as a statement",
        _h("Mayor backs a congestion charge"),
        _s("The mayor rejected a congestion charge for the city centre."),
        (),
        ["antonym_swapped"],
    ),
    (
        "a further sentence agrees in other words",
        _h("Mayor backs congestion charge as thousands protest"),
        _s("Thousands protested in the city centre on Saturday."),
        (_s("The mayor supported a congestion charge for the city centre.", 1),),
        [],
    ),
]


@pytest.mark.parametrize(
    ("why", "headline", "counterpart", "others", "expected"),
    ENGINE_CASES,
    ids=[c[0] for c in ENGINE_CASES],
)
def test_a_headline_meets_every_sentence_sharing_its_words(  # type: ignore[no-untyped-def]
    why, headline, counterpart, others, expected
) -> None:
    assert _engine(headline, counterpart, *others) == expected, why
