"""Evaluative framing added in the outlet's own voice: a verdict on a measure ("the
controversial reform", "the much-criticised levy") or a charge relabelled as a punishment
("penalty rate" for the deposit rate), read through the real lexicon. Several rows are English
as a machine translation of German, Spanish, Italian or French puts it."""

from __future__ import annotations

import pytest
from claim_cases import detect
from test_detector_framing import _lexicon_claim

from fidelity.score.detectors.framing import FramingDetector

CASES = [
    # (why, derived, counterpart, expected detail or None)
    (
        # de: "den umstrittenen Strafzins für Einlagen"
        "a verdict and a relabelling the counterpart has neither of",
        "The central bank is lowering the controversial penalty rate on deposits further.",
        "The interest rate on the deposit facility will be decreased by 10 basis points.",
        "frame-added:contested:3",
    ),
    (
        # es: "la polémica reforma de las pensiones"
        "a verdict on a reform",
        "Parliament passed the controversial pension reform on Thursday.",
        "Parliament passed the pension reform on Thursday.",
        "frame-added:contested:3",
    ),
    (
        # it: "la tanto criticata tassa sugli extraprofitti"
        "much-criticised",
        "The government will keep the much-criticised windfall levy next year.",
        "The government will keep the windfall levy next year.",
        "frame-added:contested:3",
    ),
    (
        # fr: "le taux punitif"
        "a punitive relabelling",
        "Banks must keep paying the punitive rate on their reserves.",
        "Banks must keep paying the deposit rate on their reserves.",
        "frame:penalty:4>0",
    ),
    (
        "a penalty rate against the counterpart's own neutral name",
        "Banks will pay a higher penalty rate from next month.",
        "Banks will pay a higher deposit rate from next month.",
        "frame:penalty:2>0",
    ),
    (
        "an infamous measure",
        "The infamous curfew will be lifted on Monday.",
        "The curfew will be lifted on Monday.",
        "frame-added:contested:4",
    ),
    (
        "a stealth tax for a charge",
        "Savers face a stealth tax from January.",
        "Savers face a new charge from January.",
        "frame-added:penalty:4",
    ),
    # must not flag
    (
        "the counterpart uses the same verdict",
        "The controversial pension reform passed on Thursday.",
        "Parliament passed the controversial pension reform on Thursday.",
        None,
    ),
    (
        "the counterpart calls it a penalty rate too",
        "Banks pay a penalty rate on deposits at the central bank.",
        "Banks are charged a penalty rate on the money they park at the central bank.",
        None,
    ),
    (
        "the verdict is inside a quote",
        "Critics called it “a controversial and punitive rate”.",
        "Critics attacked the rate.",
        None,
    ),
    (
        "a descriptive word: a disputed territory",
        "Troops withdrew from the disputed region.",
        "Troops withdrew from the region.",
        None,
    ),
    (
        "a contested result is the ordinary word",
        "The contested election result will be reviewed by the court.",
        "The election result will be reviewed by the court.",
        None,
    ),
    (
        # de: "Strafzins", the ordinary German name of a negative deposit rate
        "penalty interest where the counterpart names no rate",
        "Banks now have to pay even higher penalty interest.",
        "The rate on the deposit facility will be decreased by 10 basis points.",
        None,
    ),
    (
        "negative rates are the ordinary name",
        "The bank kept negative rates in place.",
        "The bank left the deposit rate unchanged.",
        None,
    ),
    (
        "the outlet's paraphrase without a verdict",
        "The central bank cut the rate it pays on deposits to minus 0.5%.",
        "The interest rate on the deposit facility will be decreased to -0.50%.",
        None,
    ),
]


@pytest.mark.parametrize(("why", "mine", "theirs", "expected"), CASES, ids=[c[0] for c in CASES])
def test_evaluative_framing(why: str, mine: str, theirs: str, expected: str | None) -> None:
    found = detect(
        FramingDetector(), _lexicon_claim(mine, "derived#1"), _lexicon_claim(theirs, "source#1")
    )
    got = found[0].detail if found else None
    assert got == expected, why
