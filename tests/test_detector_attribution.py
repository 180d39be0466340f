"""Attribution: another source for the same statement, a source dropped; one chain, another occasion and an inferred speaker are no change."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import pytest
from claim_cases import claim, detect, source, speaker

from fidelity.score.detectors.attribution import AttributionDetector
from fidelity.types import Speaker

ZAKHAROVA = speaker("Maria Zakharova")
MEDVEDEV = speaker("Dmitry Medvedev")
SOURCES = speaker(
    "people familiar with the matter", "Three people familiar with the matter", "anonymous"
)
MINISTRY = speaker("Russian foreign ministry", "the ministry", "organisation")
PUTIN = speaker("Vladimir Putin", "Putin")
FT = speaker("Financial Times", "the Financial Times", "outlet")
FT_SOURCES = Speaker(
    "anonymous sources",
    "Three people familiar with the matter",
    "anonymous",
    None,
    ("Financial Times",),
)
OFFICIALS = speaker("anonymous sources", "officials familiar with the talks", "anonymous")

CASES = [
    # (why, derived text, its speaker, reference text, its speaker, expected (severity, detail) or None)
    (
        "another person",
        "Troops will not be accepted, Dmitry Medvedev said.",
        MEDVEDEV,
        "Troops will not be accepted, Maria Zakharova said.",
        ZAKHAROVA,
        ("high", "attr:Dmitry Medvedev|Maria Zakharova"),
    ),
    (
        "anonymous sources stated as fact",
        "The deal will be signed on Friday.",
        None,
        "Three people familiar with the matter said the deal will be signed on Friday.",
        SOURCES,
        ("medium", "attr-dropped:people familiar with the matter"),
    ),
    (
        # naming who said what the counterpart states in its own voice is ordinary reporting
        # (and a primary source's own words carry no "said" at all)
        "a named source added",
        "The deal will be signed on Friday, Maria Zakharova said.",
        ZAKHAROVA,
        "The deal will be signed on Friday.",
        None,
        None,
    ),
    (
        "the outlet and its sources are one chain",
        "Ukraine and its allies have signed a plan to back a peace deal, the Financial Times reports.",
        FT,
        "Three people familiar with the matter told the Financial Times that the allies have agreed a plan to back a peace deal.",
        FT_SOURCES,
        None,
    ),
    (
        "an outlet against unnamed sources",
        "Kyiv and its allies have drawn up a plan, the Financial Times reported.",
        FT,
        "Kyiv and its allies have drawn up a plan, officials familiar with the talks said.",
        OFFICIALS,
        None,
    ),
    (
        "a hypothetical (would) is not stated as fact",
        "In the first 24 hours, Western countries would issue only a diplomatic warning.",
        None,
        "Three people familiar with the matter said the counter-measures would start with a diplomatic warning.",
        SOURCES,
        None,
    ),
    (
        "a named person against unnamed sources",
        "Two board members argued for a larger cut, Finance Minister Jana Vesela said.",
        speaker("Jana Vesela", "Finance Minister Jana Vesela"),
        "Two board members argued for a larger cut, officials familiar with the talks said.",
        OFFICIALS,
        ("high", "attr:Jana Vesela|anonymous sources"),
    ),
    (
        "two people on different occasions",
        "Putin warned last September that foreign troops would be legitimate targets.",
        PUTIN,
        "Foreign troops will be a legitimate target for destruction, Dmitry Medvedev said.",
        MEDVEDEV,
        None,
    ),
    (
        # machine-translated from Russian ("как заявил Путин в сентябре прошлого года")
        "different occasions, translated word order",
        "As Putin stated in September of last year, foreign troops will be legitimate targets.",
        PUTIN,
        "Foreign troops will be a legitimate target for destruction, Dmitry Medvedev said.",
        MEDVEDEV,
        None,
    ),
    (
        "two people, one occasion",
        "Foreign troops will be a legitimate target for destruction, Vladimir Putin said.",
        PUTIN,
        "Foreign troops will be a legitimate target for destruction, Dmitry Medvedev said.",
        MEDVEDEV,
        ("high", "attr:Vladimir Putin|Dmitry Medvedev"),
    ),
    (
        "both dated, to different occasions",
        "Troops will become a legitimate target for destruction, Medvedev told Reuters yesterday.",
        MEDVEDEV,
        "Putin warned last September that troops would be legitimate targets for destruction.",
        PUTIN,
        None,
    ),
    (
        "the counterpart dated, ours not: one statement pinned on another",
        "According to the World Health Organization, coverage has fallen below 95%.",
        speaker("World Health Organization", kind="organisation"),
        "The European Centre for Disease Prevention and Control said last month that coverage had fallen below 95%.",
        speaker("European Centre for Disease Prevention and Control", kind="organisation"),
        (
            "medium",
            "attr:World Health Organization|European Centre for Disease Prevention and Control",
        ),
    ),
    (
        "an acronym and its full name",
        "The ECDC said coverage had fallen below 95%.",
        speaker("ECDC", kind="organisation"),
        "The European Centre for Disease Prevention and Control said coverage had fallen below 95%.",
        speaker("European Centre for Disease Prevention and Control", kind="organisation"),
        None,
    ),
    (
        "repeatedly: many occasions, not this one",
        "Russian officials have repeatedly rejected a ceasefire, Vladimir Putin said.",
        PUTIN,
        "A ceasefire is rejected, Dmitry Medvedev said.",
        MEDVEDEV,
        None,
    ),
    (
        "a pronoun resolved to a woman is still an inference",
        "Troops will not be accepted, she said.",
        speaker("Maria Zakharova", "she"),
        "Troops will not be accepted, Maria Zakharova said.",
        ZAKHAROVA,
        None,
    ),
    (
        "the ministry and its spokeswoman may be one source",
        "Troops will not be accepted, the ministry said.",
        MINISTRY,
        "Troops will not be accepted, Maria Zakharova said.",
        ZAKHAROVA,
        None,
    ),
    (
        "a pronoun is too uncertain",
        "Troops will not be accepted, she said.",
        speaker("Maria Zakharova", "she"),
        "Troops will not be accepted, Dmitry Medvedev said.",
        MEDVEDEV,
        None,
    ),
    (
        "both named in both",
        "Medvedev echoed Zakharova: troops will not be accepted.",
        MEDVEDEV,
        "Zakharova, like Medvedev, said troops will not be accepted.",
        ZAKHAROVA,
        None,
    ),
    (
        "a ministry spokesman for the union's president (translated from Greek)",
        "Passengers' safety cannot be guaranteed, a transport ministry spokesman said.",
        speaker("transport ministry spokesman", "a transport ministry spokesman"),
        "Passengers' safety cannot be guaranteed, said the union's president, Nikos Papadakis.",
        speaker("Nikos Papadakis", "the union's president, Nikos Papadakis"),
        ("high", "attr:transport ministry spokesman|Nikos Papadakis"),
    ),
    (
        "the union for the company (translated from Danish)",
        "Pensions would fall by about 12%, the union said.",
        speaker("the union", "the union", "organisation"),
        "Pensions would fall by about 12%, according to the company.",
        speaker("the company", "the company", "organisation"),
        ("medium", "attr:the union|the company"),
    ),
    (
        "the ministry and the government are one side",
        "The tax will rise in May, the finance ministry said.",
        speaker("finance ministry", "the finance ministry", "organisation"),
        "The tax will rise in May, the government said.",
        speaker("the government", "the government", "organisation"),
        None,
    ),
    (
        "a body of no known kind decides nothing (the ministry, an agency)",
        "Exports will drop to 7 million tonnes, the agriculture ministry estimated.",
        speaker("agriculture ministry", "the agriculture ministry", "organisation"),
        "Exports will drop to 7 million tonnes, the farm agency estimated.",
        speaker("farm agency", "the farm agency", "organisation"),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "mine", "mine_by", "theirs", "theirs_by", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_attribution(why, mine, mine_by, theirs, theirs_by, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(
        AttributionDetector(),
        claim(mine, attribution=mine_by, markers=_modals(mine)),
        source(theirs, attribution=theirs_by, markers=_modals(theirs)),
    )
    got = (found[0].severity.value, found[0].detail) if found else None
    assert got == expected, why


def _modals(text: str) -> list[tuple[str, str, float]]:
    """The modal markers the extract stage gives the sentence (markers.yaml levels)."""
    from fidelity.extract import load_lexicon
    from fidelity.extract.markers import find_markers

    found = find_markers(text, load_lexicon().language("en"))
    return [(m.term, m.kind, m.level) for m in found if m.kind == "modal"]


def test_a_speaker_swap_marks_the_two_names() -> None:
    mine = "Foreign troops will be a legitimate target, Vladimir Putin said."
    theirs = "Foreign troops will be a legitimate target, Medvedev said."
    (found,) = detect(
        AttributionDetector(),
        claim(mine, attribution=PUTIN),
        source(theirs, attribution=speaker("Dmitry Medvedev", "Medvedev")),
    )
    assert [mine[m.start : m.end] for m in found.derived_marks] == ["Vladimir", "Putin"]
    assert [theirs[m.start : m.end] for m in found.reference_marks] == ["Medvedev"]


def test_a_dropped_source_reads_as_mid_sentence() -> None:
    (found,) = detect(
        AttributionDetector(), claim(CASES[1][1]), source(CASES[1][3], attribution=SOURCES)
    )
    assert "attributes this to three people familiar with the matter;" in found.message
