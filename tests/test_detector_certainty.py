"""Certainty: a plan further along, a hedge dropped or added, a condition stated as fact."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import dataclasses

import pytest
from claim_cases import claim, detect, source

from fidelity.score.detectors.certainty import CertaintyDetector
from fidelity.types import Claim, Span, Speaker

CASES = [
    # (why, derived, reference, expected (severity, detail) or None)
    (
        "discussed -> agreed (levels of markers.yaml)",
        claim("Officials agreed a plan to deploy troops.", markers=[("agreed", "status", 0.8)]),
        source(
            "Officials discussed a plan to deploy troops.", markers=[("discussed", "status", 0.3)]
        ),
        ("high", "status:agreed|discussed"),
    ),
    (
        "drawn up -> signed",
        claim("Officials signed a plan to deploy troops.", markers=[("signed", "status", 1.0)]),
        source("Officials drew up a plan to deploy troops.", markers=[("drew up", "status", 0.5)]),
        ("high", "status:signed|drew up"),
    ),
    (
        "two stages of two different things",
        claim("Ministers signed the budget on Friday.", markers=[("signed", "status", 1.0)]),
        source(
            "Ministers discussed troop deployments on Friday.",
            markers=[("discussed", "status", 0.3)],
        ),
        None,
    ),
    (
        "a hedge dropped",
        claim("The company plans to cut 2,000 jobs next year."),
        source(
            "The company reportedly plans to cut 2,000 jobs next year.",
            markers=[("reportedly", "hedge", 0.5)],
        ),
        ("high", "hedge-dropped:reportedly"),
    ),
    (
        "a hedge added",
        claim(
            "The company probably plans to cut 2,000 jobs next year.",
            markers=[("probably", "hedge", 0.6)],
        ),
        source("The company plans to cut 2,000 jobs next year."),
        ("medium", "hedge-added:probably"),
    ),
    (
        "a condition stated as fact",
        claim("The alliance will send troops to the border."),
        source(
            "If the ceasefire collapses, the alliance will send troops to the border.",
            markers=[("If", "conditional", 0.5)],
        ),
        ("high", "cond:If"),
    ),
    (
        "both hedged",
        claim(
            "The company reportedly plans to cut 2,000 jobs.",
            markers=[("reportedly", "hedge", 0.5)],
        ),
        source(
            "The company allegedly plans to cut 2,000 jobs.", markers=[("allegedly", "hedge", 0.3)]
        ),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_certainty(why, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(CertaintyDetector(), derived, reference)
    got = (found[0].severity.value, found[0].detail) if found else None
    assert got == expected, why


def _lexicon_claim(text: str, ident: str) -> Claim:
    """A claim whose markers are read by the extract stage from the real lexicon."""
    from fidelity.extract import load_lexicon
    from fidelity.extract.markers import find_markers

    markers = tuple(find_markers(text, load_lexicon().language("en")))
    article, _, index = ident.partition("#")
    return Claim(ident, article, int(index), "body", Span(0, len(text)), text, markers=markers)


LEXICON_CASES = [
    # (why, derived, counterpart, expected detail or None)
    (
        "a plain word pair is no certainty scale",
        "The plan was considered by the ministers.",
        "The ministers have a plan.",
        None,
    ),
    (
        "drawn up -> signed, said of the same plan",
        "Ukraine and Western countries have signed a plan to support a peace deal.",
        "Kyiv and its Western backers have drawn up a plan to support a peace deal.",
        "status:signed|drawn up",
    ),
    (
        "the derived sentence is itself conditional",
        "Should hostilities continue, the coalition of the willing would intervene.",
        "If this failed to stop the fighting, the coalition of the willing would intervene.",
        None,
    ),
    (
        "the derived claim is a possibility (would)",
        "Any Western troops sent to the country would be treated as legitimate targets.",
        "Should this happen, the foreign forces will become a legitimate target for destruction.",
        None,
    ),
    (
        "a possibility (would) against a hedge (could) is no fact",
        "Russia warned that Western troops would be treated as targets.",
        "Russia warned that Western troops could be targets.",
        None,
    ),
    (
        "will against could: stated as fact",
        "Russia warned that Western troops will be targets.",
        "Russia warned that Western troops could be targets.",
        "hedge-dropped:could",
    ),
    (
        "an intention made a fact",
        "Neurovia will start a late-stage trial of about 1,800 patients next year.",
        "Neurovia said it plans to start a late-stage trial of about 1,800 patients next year.",
        "modal-dropped:plans to",
    ),
    (
        "a forecast against a forecast: expected to and will",
        "The plant will employ about 2,000 people.",
        "The plant is expected to employ about 2,000 people.",
        None,
    ),
    (
        "reported speech's would is the speaker's will",
        "The regulator will lower the rate at its next meetings.",
        "The regulator said it would lower the rate at its next meetings.",
        None,
    ),
    (
        "a hedge dropped from an intention both state",
        "The company plans to cut 2,000 jobs next year.",
        "The company reportedly plans to cut 2,000 jobs next year.",
        "hedge-dropped:reportedly",
    ),
    (
        "the intention kept",
        "Neurovia intends to start a late-stage trial next year.",
        "Neurovia said it plans to start a late-stage trial next year.",
        None,
    ),
    (
        # machine-translated from Ukrainian ("планує розпочати")
        "translated: plans to begin, stated as beginning",
        "The company begins a new trial next year.",
        "The company plans to begin a new trial next year.",
        "modal-dropped:plans to",
    ),
    (
        "another sentence of the story that shares a few words",
        "Russia has ruled out the deployment of Western forces to Ukraine.",
        "If the deployment goes ahead, Western forces will face Russian strikes across Ukraine and Moldova within days.",
        None,
    ),
    (
        "the same proposition without its condition",
        "The alliance will send troops to the border.",
        "If the ceasefire collapses, the alliance will send troops to the border.",
        "cond:If",
    ),
    (
        # machine-translated from Greek ("σε περίπτωση που παραβιαστεί η εκεχειρία")
        "translated: in the event of a violation, stated as fact",
        "European armies will intervene within 72 hours.",
        "In the event that the ceasefire is violated, European armies will intervene within 72 hours.",
        "cond:In the event that",
    ),
]


# Stages of one process (markers.yaml status and legal scales): a later stage than the
# counterpart's, or the act itself stated plainly against an early stage of it.
STAGE_CASES = [
    # (why, derived, counterpart, expected detail or None)
    (
        "charged with -> the act stated plainly",
        "The former minister embezzled 2 million euros from the health fund.",
        "Prosecutors have charged the former minister with embezzling 2 million euros from the health fund.",
        "stage-dropped:charged",
    ),
    (
        "accused of -> the act stated plainly",
        "The coach fixed three matches last season.",
        "The coach is accused of fixing three matches last season.",
        "stage-dropped:accused",
    ),
    (
        # machine-translated from Russian ("подозревается в получении взятки")
        "translated: suspected of taking a bribe, stated as taken",
        "The official took a bribe of 50,000 roubles from a developer.",
        "The official is suspected of taking a bribe of 50,000 roubles from a developer.",
        "stage-dropped:suspected",
    ),
    (
        "charged -> convicted",
        "The trader was convicted of insider dealing in the Veridian takeover.",
        "The trader was charged with insider dealing in the Veridian takeover.",
        "status:convicted|charged",
    ),
    (
        "being considered -> will (the thing considered stated as decided)",
        "The city will build a second tram line to the airport.",
        "A second tram line to the airport is being considered by the city.",
        "stage-dropped:being considered",
    ),
    (
        "examining whether -> done",
        "The regulator will cap card fees at 0.3%.",
        "The regulator is examining whether card fees should be capped at 0.3%.",
        "stage-dropped:examining whether",
    ),
    (
        "agreed -> signed (one step of the scale)",
        "The two unions signed a wage deal for 2027.",
        "The two unions agreed a wage deal for 2027.",
        "status:signed|agreed",
    ),
    (
        "agreed to buy -> completed the purchase",
        "Orlen has completed the purchase of the Gdansk refinery.",
        "Orlen has agreed to buy the Gdansk refinery.",
        "status:completed|agreed",
    ),
    (
        "a strike authorised -> a strike decided",
        "Rail workers have decided to strike over pay.",
        "Rail workers voted to authorise strikes over pay.",
        "status:decided to|to authorise",
    ),
    (
        "a hedging phrase dropped",
        "The blast was caused by a gas leak.",
        "The blast is thought to have been caused by a gas leak.",
        "hedge-dropped:is thought to",
    ),
    (
        "a pledge made a fact",
        "The new government will abolish tuition fees.",
        "The new government pledged to abolish tuition fees.",
        "modal-dropped:pledged to",
    ),
    (
        # machine-translated from Greek ("έκανε προεκλογική εκστρατεία με τη μείωση")
        "translated: a campaign promise made a fact",
        "The mayor will cut property taxes.",
        "The mayor campaigned on cutting property taxes.",
        "modal-dropped:campaigned on",
    ),
    # must stay silent
    (
        "charged = indicted",
        "Prosecutors have indicted the former minister for embezzling 2 million euros.",
        "Prosecutors have charged the former minister with embezzling 2 million euros.",
        None,
    ),
    (
        "the charge retold as a noun",
        "The former minister faces charges of embezzling 2 million euros from the health fund.",
        "Prosecutors have charged the former minister with embezzling 2 million euros from the health fund.",
        None,
    ),
    (
        "a stage inside a condition is no stage reached",
        "He faces up to ten years in prison if convicted of embezzling the funds.",
        "Prosecutors have charged him with embezzling the funds.",
        None,
    ),
    (
        "the act denied is not stated",
        "The former minister denies embezzling 2 million euros from the health fund.",
        "Prosecutors have charged the former minister with embezzling 2 million euros from the health fund.",
        None,
    ),
    (
        "the same early stage in other words",
        "The city is weighing a second tram line to the airport.",
        "A second tram line to the airport is being considered by the city.",
        None,
    ),
    (
        "agreed = reached a deal",
        "The two unions reached a wage deal for 2027.",
        "The two unions agreed a wage deal for 2027.",
        None,
    ),
    (
        "an earlier stage is more careful, not a shift",
        "Rail workers have agreed to strike over pay.",
        "Rail workers decided to strike over pay.",
        None,
    ),
    (
        "a stage under a negation is no stage reached",
        "The two unions have not yet signed the wage deal for 2027.",
        "The two unions agreed a wage deal for 2027.",
        None,
    ),
    (
        "the same arrest in other words",
        "Police arrested a man over the fire.",
        "Police arrested a man suspected of setting the fire.",
        None,
    ),
    (
        "a hedge in other words",
        "The blast was probably caused by a gas leak.",
        "The blast is thought to have been caused by a gas leak.",
        None,
    ),
    (
        "a pledge in other words",
        "The new government has promised to abolish tuition fees.",
        "The new government pledged to abolish tuition fees.",
        None,
    ),
    (
        "the same intention on both sides",
        "Neurovia plans to start a trial next year.",
        "Neurovia said it plans to start a trial next year.",
        None,
    ),
    (
        "a preposition, not a stage: the decision retold",
        "The final was postponed to Sunday.",
        "Considering the storm, the final was postponed to Sunday.",
        None,
    ),
    (
        "a thing examined is no act considered",
        "The damaged bridge was closed by engineers.",
        "Engineers are examining the damaged bridge.",
        None,
    ),
    (
        "talks in other words",
        "Ministers held talks on the 2027 budget.",
        "Ministers discussed the 2027 budget.",
        None,
    ),
    (
        "negotiating = in talks",
        "Apple is negotiating to buy the chip designer.",
        "Apple is in talks to buy the chip designer.",
        None,
    ),
    (
        "a noun 'plans to' is no intention",
        "The agent compared the firm's cover with your current policy.",
        "The agent compared our plans to your current policy.",
        None,
    ),
    (
        "a campaign promise in other words",
        "Huber ran on a promise to expand public transport and freeze rents.",
        "Huber campaigned on expanding public transport and freezing rents.",
        None,
    ),
    (
        "'shown promise to' is no pledge",
        "The method learns policies for many goals.",
        "The method has shown promise to learn policies for many goals.",
        None,
    ),
    (
        "the campaign promise kept",
        "The mayor, who campaigned on cutting property taxes, took office on Monday.",
        "The mayor campaigned on cutting property taxes.",
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "mine", "theirs", "expected"), STAGE_CASES, ids=[c[0] for c in STAGE_CASES]
)
def test_stages_of_a_process(why: str, mine: str, theirs: str, expected: str | None) -> None:
    found = detect(
        CertaintyDetector(), _lexicon_claim(mine, "derived#1"), _lexicon_claim(theirs, "source#1")
    )
    assert (found[0].detail if found else None) == expected, why


def test_an_accusation_said_by_its_accuser_is_retold_not_stated() -> None:
    """Below a formal charge, the act in the accuser's mouth says what "accused" says."""
    accuser = Speaker("opposition", "The opposition", "organisation")
    said = dataclasses.replace(
        _lexicon_claim("The government mismanaged the pension fund.", "derived#1"),
        attribution=accuser,
    )
    told = _lexicon_claim(
        "The opposition accused the government of mismanaging the pension fund.", "source#1"
    )
    assert detect(CertaintyDetector(), said, told) == []
    plain = _lexicon_claim("The government mismanaged the pension fund.", "derived#1")
    assert [d.detail for d in detect(CertaintyDetector(), plain, told)] == ["stage-dropped:accused"]


def test_a_stage_finding_names_both_stages() -> None:
    found = detect(
        CertaintyDetector(),
        _lexicon_claim("The coach fixed three matches last season.", "derived#1"),
        _lexicon_claim("The coach is accused of fixing three matches last season.", "source#1"),
    )
    assert found and "accused" in found[0].message
    assert found[0].reference_marks and found[0].derived_marks


@pytest.mark.parametrize(
    ("why", "mine", "theirs", "expected"), LEXICON_CASES, ids=[c[0] for c in LEXICON_CASES]
)
def test_certainty_on_the_lexicon(why: str, mine: str, theirs: str, expected: str | None) -> None:
    found = detect(
        CertaintyDetector(), _lexicon_claim(mine, "derived#1"), _lexicon_claim(theirs, "source#1")
    )
    assert (found[0].detail if found else None) == expected, why


def test_a_more_careful_headline_is_fine() -> None:
    headline = claim("Company probably plans to cut 2,000 jobs", kind="headline")
    assert detect(CertaintyDetector(), headline, CASES[2][2]) == []
