"""Polarity case tables: a change stated in the other direction, a negation dropped or added on
the same predicate, and the paraphrases that must stay silent (a word of the same direction,
a negation that negates nothing, a direction tied to another figure or subject). Sentences are
invented; "translated from" rows are what the pivot translation of such a sentence reads."""

from __future__ import annotations

import pytest
from claim_cases import article, claim, comparison, detect, source

from fidelity.score.detectors.polarity import OtherSentenceDetector, PolarityDetector
from fidelity.types import Claim

Q = tuple[object, ...]


def _claims(
    derived: str, reference: str, dq: tuple[Q, ...], rq: tuple[Q, ...]
) -> tuple[Claim, Claim]:
    return claim(derived, quantities=dq), source(reference, quantities=rq)


DIRECTION_FLAGGED = [
    (
        "a currency moves the other way by the same figure",
        "The krone weakened 0.3% against the dollar on Friday.",
        "The krone firmed 0.3% against the dollar on Friday.",
        (("0.3%", 0.3, "percent"),),
        (("0.3%", 0.3, "percent"),),
        "dir:weakened|firmed",
    ),
    (
        "the counterpart holds both directions, each for its own figure",
        "Car exports rose 2.1% in June.",
        "Car exports dropped 2.1% in June, while imports of parts rose 4.0%.",
        (("2.1%", 2.1, "percent"),),
        (("2.1%", 2.1, "percent"), ("4.0%", 4.0, "percent")),
        "dir:rose|dropped",
    ),
    (
        "the figures say down: 'rose to 52% from 58%'",
        "Attendance rose to 52% from 58% last season.",
        "Attendance was 52%, down from 58% last season.",
        (("52%", 52.0, "percent"), ("58%", 58.0, "percent")),
        (("52%", 52.0, "percent"), ("58%", 58.0, "percent")),
        "dir:rose|down",
    ),
    (
        "'up N points' against 'down N points' for the same party",
        "Labour is up two points from last month.",
        "The Greens are up one point, while Labour is down two points.",
        (("two points", 2.0, "point"),),
        (("one point", 1.0, "point"), ("two points", 2.0, "point")),
        "dir:up|down",
    ),
    (
        "a duration in both ('from a month ago') is not the figure that moved",
        "Labour is up two points from a month ago.",
        "The Greens are up one point from a month ago, while Labour is down two points.",
        (("two points", 2.0, "point"), ("a month", 730.0, "hour", "before")),
        (
            ("one point", 1.0, "point"),
            ("a month", 730.0, "hour", "before"),
            ("two points", 2.0, "point"),
        ),
        "dir:up|down",
    ),
    (
        "translated from Russian (сократились / выросли): the same subject, no figure",
        "Retail sales shrank in the third quarter.",
        "Retail sales grew in the third quarter.",
        (),
        (),
        "dir:shrank|grew",
    ),
    (
        "translated from Ukrainian (прискорилася / сповільнилася)",
        "Inflation accelerated to 6.1% in October.",
        "Inflation slowed to 6.1% in October.",
        (("6.1%", 6.1, "percent"),),
        (("6.1%", 6.1, "percent"),),
        "dir:accelerated|slowed",
    ),
    (
        "a headline's verb against the sentence's figure",
        "Copper prices rebound",
        "Copper prices fell 3% on Monday after the central bank's decision.",
        (),
        (("3%", 3.0, "percent"),),
        "dir:rebound|fell",
    ),
    (
        "an expectation turned around",
        "Forecasters had expected exports to fall.",
        "Forecasters had expected exports to rise to a record.",
        (),
        (),
        "dir:fall|rise",
    ),
    (
        "an adjective of direction on the same noun",
        "The weather service forecast colder temperatures for the weekend.",
        "The weather service forecast warmer temperatures for the weekend.",
        (),
        (),
        "dir:colder|warmer",
    ),
]

DIRECTION_SILENT = [
    (
        "two verbs of one direction",
        "Prices rose 3% in March.",
        "Prices increased 3% in March.",
        (("3%", 3.0, "percent"),),
        (("3%", 3.0, "percent"),),
    ),
    (
        "fell / dropped",
        "Shares fell 4% in early trading.",
        "Shares dropped 4% in early trading.",
        (("4%", 4.0, "percent"),),
        (("4%", 4.0, "percent"),),
    ),
    (
        "the opposite word moves another figure (a forecast), the claim's own word agrees",
        "Output slid 4.2% last month, confounding forecasts for a rise to 1.36 million.",
        "Output fell 4.2% in May to 1.28 million units.",
        (("4.2%", 4.2, "percent"), ("1.36 million", 1.36e6, "")),
        (("4.2%", 4.2, "percent"), ("1.28 million units", 1.28e6, "unit")),
    ),
    (
        "both directions on both sides, each for its own subject and figure",
        "Exports climbed 2% and imports slipped 3%.",
        "Imports dropped 3% while exports rose 2%.",
        (("2%", 2.0, "percent"), ("3%", 3.0, "percent")),
        (("3%", 3.0, "percent"), ("2%", 2.0, "percent")),
    ),
    (
        "the same figure, but the counterpart gives it another subject and says this one's",
        "Their support is up three points from a month ago.",
        "Support for the Greens is up one point, while Labour is down three points.",
        (("three points", 3.0, "point"),),
        (("one point", 1.0, "point"), ("three points", 3.0, "point")),
    ),
    (
        "'declined to comment' states no change",
        "The company declined to comment on the report.",
        "The company's shares rose 5% after the report.",
        (),
        (("5%", 5.0, "percent"),),
    ),
    (
        "'up to' is a bound, not a rise",
        "Up to 300 jobs could go at the plant.",
        "Jobs at the plant fell by 300 last year.",
        (("300 jobs", 300.0, "job"),),
        (("300", 300.0, ""),),
    ),
    (
        "'stepped down from' the board states no change of a figure",
        "The chief executive stepped down from the board in March.",
        "The chief executive rose to chairman of the board in March.",
        (),
        (),
    ),
    (
        "a negated rise is not a rise",
        "Rents did not rise in March.",
        "Rents fell in March.",
        (),
        (),
    ),
    (
        "unchanged / held steady",
        "The key rate was unchanged.",
        "The key rate held steady.",
        (),
        (),
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "dq", "rq", "detail"),
    DIRECTION_FLAGGED,
    ids=[c[0] for c in DIRECTION_FLAGGED],
)
def test_a_change_in_the_other_direction_is_flagged(
    why: str, derived: str, reference: str, dq: tuple[Q, ...], rq: tuple[Q, ...], detail: str
) -> None:
    found = detect(PolarityDetector(), *_claims(derived, reference, dq, rq))
    assert [(f.category.value, f.detail) for f in found] == [("antonym_swapped", detail)], why
    # the message names both words in plain words
    word, theirs = detail.removeprefix("dir:").split("|")
    assert f"“{derived[found[0].derived_marks[0].start : found[0].derived_marks[0].end]}”" in (
        found[0].message
    )
    assert word in found[0].message.lower() and theirs in found[0].message.lower()


@pytest.mark.parametrize(
    ("why", "derived", "reference", "dq", "rq"),
    DIRECTION_SILENT,
    ids=[c[0] for c in DIRECTION_SILENT],
)
def test_a_change_in_the_same_direction_is_silent(
    why: str, derived: str, reference: str, dq: tuple[Q, ...], rq: tuple[Q, ...]
) -> None:
    assert detect(PolarityDetector(), *_claims(derived, reference, dq, rq)) == [], why


ANTONYMS = [
    ("the same team lost and won", "Ajax lost the final 3-1.", "Ajax won the final 3-1.", True),
    (
        "'lost to' names the winner: the same result told from the other side",
        "Ajax lost 3-1 to Feyenoord in the final on Sunday.",
        "Feyenoord beat Ajax 3-1 on Sunday to win the cup.",
        False,
    ),
    (
        "'beaten by' names the winner (translated from German: von ... geschlagen)",
        "The incumbent was defeated by Weber in the runoff.",
        "Weber claimed victory over the incumbent in the runoff.",
        False,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "flagged"), ANTONYMS, ids=[c[0] for c in ANTONYMS]
)
def test_a_converse_is_no_antonym(why: str, derived: str, reference: str, flagged: bool) -> None:
    found = detect(PolarityDetector(), claim(derived), source(reference))
    assert [f.category.value for f in found] == (["antonym_swapped"] if flagged else []), why


NEGATION = [
    (
        "a plea turned around: the negator inside the phrase",
        "The senator has pleaded guilty to fraud charges brought last year, prosecutors said.",
        "The senator, who resigned in March, has pleaded not guilty, her lawyer said.",
        "neg-dropped:guilty",
    ),
    (
        "an offer denied: the other side says it in a longer clause",
        "The airline has not offered passengers any refunds, the union said.",
        "The airline has offered a full refund to every passenger on the cancelled flights as "
        "part of a settlement.",
        "neg-added:offer",
    ),
    (
        "a confirmation the counterpart withholds",
        "The ministry confirmed that the attack came from abroad.",
        "The ministry did not confirm the origin of the attack.",
        "neg-dropped:confirm",
    ),
    (
        "'rather than' negates what follows it",
        "The court found the delay was deliberate.",
        "The court found the delay careless rather than deliberate.",
        "neg-dropped:deliberate",
    ),
    (
        "a double negation asserts: 'did not rule out' against 'ruled out'",
        "The minister ruled out new taxes this year.",
        "The minister did not rule out new taxes this year.",
        "neg-added:new",
    ),
    (
        "a double negation asserts: 'did not stop' against 'stopped'",
        "The ceasefire stopped the fighting in the east.",
        "The ceasefire did not stop the fighting in the east.",
        "neg-added:fight",
    ),
]

NEGATION_SILENT = [
    (
        "'did not rule out' is 'left open'",
        "The minister did not rule out new taxes.",
        "The minister left open the possibility of new taxes.",
    ),
    (
        "'not only X but Y' asserts X",
        "The plan not only cuts costs but also raises revenue.",
        "The plan cuts costs and raises revenue.",
    ),
    (
        "'no later than' is a deadline",
        "Payment is due no later than March 1.",
        "Payment is due by March 1.",
    ),
    (
        "'will not open until' is a date",
        "The plant will not open until 2027.",
        "The plant will open in 2027.",
    ),
    (
        "'failed to' and 'did not' agree",
        "The firm failed to pay its debts.",
        "The firm did not pay its debts.",
    ),
    (
        "'failed to stop' and 'does not stop' agree",
        "If that failed to stop the fighting, troops would step in.",
        "If this does not stop the fighting, forces may be deployed.",
    ),
    (
        "'neither' and 'not ... either' agree, the other clause asserts another thing",
        "The party, which took 17% in the first round, endorsed neither candidate in the runoff.",
        "The party, whose candidate came third in the first round, had not endorsed either "
        "candidate in the runoff.",
    ),
    (
        "'turned down' is 'rejected'",
        "A judge has turned down a defence bid to have the case thrown out.",
        "The judge had rejected a defence request to dismiss the case.",
    ),
    (
        "'says nothing about whether' neither asserts nor denies",
        "The finding suggests the planet could support life.",
        "The authors said the result says nothing about whether the planet could support life.",
    ),
    (
        "a negation about another thing in another clause",
        "No injuries were reported, and the fire destroyed two warehouses.",
        "The fire destroyed two warehouses near the port.",
    ),
    (
        "the phrase around the negator differs: another object",
        "The union said the company would not cut jobs at the plant.",
        "The company cut its prices by 5%, the union said.",
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "detail"), NEGATION, ids=[c[0] for c in NEGATION]
)
def test_a_negation_on_the_same_predicate_is_flagged(
    why: str, derived: str, reference: str, detail: str
) -> None:
    found = detect(PolarityDetector(), claim(derived), source(reference))
    assert [(f.category.value, f.detail) for f in found] == [("negation_flipped", detail)], why


@pytest.mark.parametrize(
    ("why", "derived", "reference"), NEGATION_SILENT, ids=[c[0] for c in NEGATION_SILENT]
)
def test_a_negation_that_says_the_same_is_silent(why: str, derived: str, reference: str) -> None:
    assert detect(PolarityDetector(), claim(derived), source(reference)) == [], why


ELSEWHERE = [
    (
        "unaligned: the source sentence says it with a negation in a longer clause",
        "Bank details and passwords were also taken.",
        [
            "The operator said hackers took names and addresses of customers.",
            "The operator said that no bank details or passwords were taken.",
        ],
        [],
        True,
        ["negation_flipped"],
    ),
    (
        "a claim merging two source sentences contradicts the one it was not aligned with",
        "The drug slowed decline by 27%, according to results published in a journal.",
        [
            "The drug slowed decline by 27% in the trial.",
            "The results have not yet been published in a journal.",
        ],
        [("derived#0", "source#0")],
        True,
        ["negation_flipped"],
    ),
    (
        "an expectation turned around in a sentence the aligner missed",
        "Economists had expected exports to fall.",
        ["Economists polled by the agency had expected exports to rise to a record."],
        [],
        True,
        ["antonym_swapped"],
    ),
    (
        "a swapped word of the antonym table is tied to nothing: not held against a sentence "
        "the claim was not aligned with",
        "The bank cut its deposit rate to -0.5% on Thursday.",
        ["The bank said it would keep its deposit rate low until inflation allows raising it."],
        [],
        True,
        [],
    ),
    (
        "the same negation in other words",
        "No bank details were taken, the operator said.",
        ["The operator said hackers took no bank details or passwords."],
        [],
        True,
        [],
    ),
    (
        "too few words in common to be the same statement",
        "Prices did not rise in May.",
        ["Wages rose in May as the labour market tightened further across the region."],
        [],
        True,
        [],
    ),
    (
        "consensus of outlets (no source): another outlet's sentence is not held against it",
        "Bank details and passwords were also taken.",
        ["The operator said that no bank details or passwords were taken."],
        [],
        False,
        [],
    ),
    (
        "the compared counterpart already says it: no second finding",
        "The deal is legally binding.",
        ["The deal is not legally binding.", "It is not legally binding, officials said."],
        [("derived#0", "source#0")],
        True,
        [],
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "sentences", "links", "strict", "expected"),
    ELSEWHERE,
    ids=[c[0] for c in ELSEWHERE],
)
def test_a_source_sentence_the_claim_was_not_aligned_with(
    why: str,
    derived: str,
    sentences: list[str],
    links: list[tuple[str, str]],
    strict: bool,
    expected: list[str],
) -> None:
    mine = article("derived", claim(derived, ident="derived#0"))
    theirs = article("source", *(claim(s, ident=f"source#{i}") for i, s in enumerate(sentences)))
    found = list(OtherSentenceDetector().detect(comparison(mine, [theirs], links, strict=strict)))
    assert [f.category.value for f in found] == expected, why
    for f in found:
        assert "not aligned" in f.message and f.reference is not None
