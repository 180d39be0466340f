"""Framing: loaded wording in the outlet's own voice, intensified, adopted from a quote, added
or softened."""

from __future__ import annotations

import pytest
from claim_cases import claim, detect, source

from fidelity.extract.markers import find_framing
from fidelity.score.detectors.framing import FramingDetector
from fidelity.types import Claim, Span, Speaker

CASES = [
    (
        "protesters -> rioters",
        claim(
            "Rioters gathered outside parliament on Sunday.",
            framing=[("Rioters", "unrest", 3, "outlet")],
        ),
        source(
            "Protesters gathered outside parliament on Sunday.",
            framing=[("Protesters", "unrest", 1, "outlet")],
        ),
        ("high", "frame:unrest:3>1"),
    ),
    (
        "a quoted word adopted in the outlet's voice",
        claim(
            "The regime cracked down on the march.", framing=[("regime", "legitimacy", 3, "outlet")]
        ),
        source(
            "Critics called the government a “regime” after the march.",
            framing=[
                ("government", "legitimacy", 0, "outlet"),
                ("regime", "legitimacy", 3, "quote"),
            ],
        ),
        ("high", "frame:legitimacy:3>0"),
    ),
    (
        "loaded wording the counterpart has none of",
        claim(
            "The invasion force crossed the river at dawn.",
            framing=[("invasion", "conflict", 4, "outlet")],
        ),
        source("The troops crossed the river at dawn."),
        ("medium", "frame-added:conflict:4"),
    ),
    (
        "softened",
        claim(
            "Protesters gathered outside parliament on Sunday.",
            framing=[("Protesters", "unrest", 1, "outlet")],
        ),
        source(
            "Rioters gathered outside parliament on Sunday.",
            framing=[("Rioters", "unrest", 3, "outlet")],
        ),
        ("low", "soften:unrest"),
    ),
    (
        "the same term",
        claim("Protesters gathered on Sunday.", framing=[("Protesters", "unrest", 1, "outlet")]),
        source("Protesters marched on Sunday.", framing=[("Protesters", "unrest", 1, "outlet")]),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_framing(why, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(FramingDetector(), derived, reference)
    got = (found[0].severity.value, found[0].detail) if found else None
    assert got == expected, why


# Rows read through the real lexicon (lexicons/framing.yaml): the grading itself is under test.
def _lexicon_claim(text: str, ident: str, speaker_name: str | None = None) -> Claim:
    from fidelity.extract import load_lexicon
    from fidelity.extract.quotes import find_quotes

    lexicon = load_lexicon().language("en")
    quotes, _ = find_quotes(text, None)
    spans = [Span(q.start, q.end) for q in quotes]
    framing = tuple(find_framing(text, lexicon, spans))
    article, _, index = ident.partition("#")
    return Claim(
        id=ident,
        article_id=article,
        index=int(index),
        kind="body",
        span=Span(0, len(text)),
        text=text,
        attribution=Speaker(speaker_name, speaker_name, "person") if speaker_name else None,
        framing=framing,
    )


LEXICON_CASES = [
    # (why, derived, its speaker, counterpart, expected detail prefix or None)
    (
        "an ordinary word for the fighting is not loaded on its own",
        "The UK and France will send troops after the cessation of hostilities.",
        None,
        "The UK and France will send troops once a peace deal is signed.",
        None,
    ),
    (
        "intervention, a descriptive word",
        "The second phase would see an intervention by the coalition of the willing.",
        None,
        "In the second phase the coalition of the willing would step in.",
        None,
    ),
    (
        "a full-scale invasion is what it is",
        "Russia's full-scale invasion began in February 2022.",
        None,
        "Russian troops crossed the border in February 2022.",
        None,
    ),
    (
        "a coordinated response",
        "The plan provides for a coordinated military response to a violation.",
        None,
        "The plan provides for an answer by Western forces to a violation.",
        None,
    ),
    (
        "a pandemic is the WHO's own word",
        "The Fed cut rates because of the coronavirus pandemic.",
        None,
        "The Fed cut rates because of the coronavirus.",
        None,
    ),
    (
        "a world war where the counterpart has a response",
        "The plan provides for total conflict within 72 hours.",
        None,
        "The plan provides for a coordinated military response within 72 hours.",
        "frame:conflict:5>1",
    ),
    (
        "a world war the counterpart has no word for",
        "A world war would follow within 72 hours.",
        None,
        "Western forces would respond within 72 hours.",
        "frame-added:conflict:5",
    ),
    (
        "two ordinary words one step apart: war for hostilities",
        "The war would resume at once.",
        None,
        "Hostilities would resume at once.",
        None,
    ),
    (
        "an ordinary word two steps above: an epidemic for cases",
        "An epidemic is spreading in the region.",
        None,
        "Cases are rising in the region.",
        "frame:disease:2>0",
    ),
    (
        "the speaker's word inside a quotation is not the outlet's",
        "The ministry called it “a world war in the making”.",
        None,
        "The ministry warned of the consequences.",
        None,
    ),
    (
        "a named speaker's reported words",
        "Officials have rejected a truce that would only help Kiev and its sponsors.",
        "Vladimir Putin",
        "Moscow has rejected a truce.",
        None,
    ),
    (
        "unnamed officials' reported words",
        "Russian officials say a truce would only help Kiev and its sponsors.",
        "anonymous sources",
        "Moscow has rejected a truce.",
        None,
    ),
    (
        "the same loaded word in the outlet's voice",
        "Kiev and its sponsors rejected the offer.",
        None,
        "The offer was rejected by Kiev and its sponsors.",
        None,
    ),
    (
        # machine-translated from Russian: "развязать мировую войну"
        "translated: a world war against a conflict",
        "The deployment may unleash a world war, the outlet wrote.",
        None,
        "The deployment may deepen the conflict.",
        "frame-added:conflict:5",
    ),
]


@pytest.mark.parametrize(
    ("why", "mine", "speaker_name", "theirs", "expected"),
    LEXICON_CASES,
    ids=[c[0] for c in LEXICON_CASES],
)
def test_framing_on_the_lexicon(
    why: str, mine: str, speaker_name: str | None, theirs: str, expected: str | None
) -> None:
    found = detect(
        FramingDetector(),
        _lexicon_claim(mine, "derived#1", speaker_name),
        _lexicon_claim(theirs, "source#1"),
    )
    got = found[0].detail if found else None
    assert got == expected, why


def _loaded(
    derived_text: str, ref_text: str, *, aligned: bool = False, said: bool = False
) -> list[str]:
    from claim_cases import article, comparison

    from fidelity.score.detectors.framing import LoadedWordingDetector

    mine = _lexicon_claim(derived_text, "derived#1", "Vladimir Putin" if said else None)
    theirs = _lexicon_claim(ref_text, "source#1")
    found = LoadedWordingDetector().detect(
        comparison(
            article("derived", mine),
            [article("source", theirs)],
            [("derived#1", "source#1")] if aligned else [],
        )
    )
    return [d.detail for d in found]


def test_loaded_wording_no_source_uses_is_framing_beyond_the_sources() -> None:
    assert _loaded(
        "The plan means total conflict within 72 hours.",
        "The counter-measures would start within 24 hours with a diplomatic warning.",
    ) == ["frame-beyond:conflict:5"]


def test_ordinary_wording_beyond_the_sources_is_not_loaded() -> None:
    assert (
        _loaded(
            "The invasion began three years ago.",
            "The counter-measures would start within 24 hours.",
        )
        == []
    )


def test_wording_as_loaded_as_a_source_s_is_not_beyond_it() -> None:
    assert (
        _loaded(
            "The plan means a world war within 72 hours.",
            "Moscow warned of a “third world war” if troops were sent.",
        )
        == []
    )


def test_an_aligned_claim_is_left_to_the_pair_detector() -> None:
    assert (
        _loaded(
            "The plan means total conflict within 72 hours.",
            "The plan means a response within 72 hours.",
            aligned=True,
        )
        == []
    )


def test_a_speaker_s_reported_words_are_not_the_outlet_s() -> None:
    assert (
        _loaded(
            "Putin said the plan means total conflict within 72 hours.",
            "The counter-measures would start within 24 hours.",
            said=True,
        )
        == []
    )
