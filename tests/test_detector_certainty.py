"""Certainty: a plan further along, a hedge dropped or added, a condition stated as fact."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import pytest
from claim_cases import claim, detect, source

from fidelity.score.detectors.certainty import CertaintyDetector
from fidelity.types import Claim, Span

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
