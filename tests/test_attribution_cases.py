"""Who said it, end to end on sentence pairs: the speaker the extract stage finds in each
sentence, then the attribution detector on the pair. Must-flag rows: another office for the
same name (or for an unnamed speaker), the other party to a dispute, an on-record statement
against unnamed sources, unnamed sources dropped. Must-stay-silent rows: one source named two
ways, a name added to a matching role, "told reporters" for "said", reported speech moved."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import re

import pytest
from claim_cases import claim, detect, source

from fidelity.extract import load_lexicon
from fidelity.extract.attribution import Attributor, Registry
from fidelity.score.detectors.attribution import AttributionDetector
from fidelity.score.offices import office_words, other_office
from fidelity.types import Span, Speaker

UNION = Speaker("Nordic Pilots' Union", "Nordic Pilots' Union", "organisation")
TELVIA = Speaker("Telvia", "Telvia", "organisation")
MINISTRY = Speaker("transport ministry", "the transport ministry", "organisation")


@pytest.fixture(scope="module")
def attributor() -> Attributor:
    lexicon = load_lexicon()
    return Attributor(lexicon, lexicon.language("en"))


def _speaker(attributor: Attributor, text: str, named: tuple[Speaker, ...]) -> Speaker | None:
    registry = Registry()
    for speaker in named:
        registry.note_speaker(speaker)
    quotes = [Span(m.start() + 1, m.end() - 1) for m in re.finditer(r"“[^”]*”", text)]
    found = attributor.attribute(text, quotes, registry)
    return found.speaker if found is not None else None


FLAG = [
    # (why, derived sentence, reference sentence, named before in both articles, detail starts with)
    (
        "same name, another office (secretary-general / conference president)",
        "“This is the deal we could reach,” UN Secretary-General Amara Osei said.",
        "“This is the deal we could reach,” conference president Amara Osei told the plenary.",
        (),
        "attr-office:secretary general|head",
    ),
    (
        "same name, another office (commission president / commissioner)",
        "Platforms must show their homework, Commission President Liisa Varga said.",
        "Platforms must show their homework, EU digital commissioner Liisa Varga said.",
        (),
        "attr-office:head|commissioner",
    ),
    (
        # translated from Russian ("заявил генеральный директор компании")
        "the chief executive for the chief financial officer",
        "“This is a delay, not a cancellation,” the company's chief executive said on a call with analysts.",
        "“This is a delay, not a cancellation,” chief financial officer Mei Tanaka told analysts.",
        (),
        "attr-office:head|chief financial officer",
    ),
    (
        "a vice president is not the president",
        "The border will stay open, Vice President Rafael Ortiz said.",
        "The border will stay open, President Rafael Ortiz said.",
        (),
        "attr-office:deputy head|head",
    ),
    (
        "the mayor for the city's spokeswoman",
        "The tram line will reopen on Monday, Mayor Ingrid Holm said.",
        "The tram line will reopen on Monday, city spokeswoman Ingrid Holm said.",
        (),
        "attr-office:mayor|spokesperson",
    ),
    (
        # the union was named last; "the company" is not it
        "the union for the company (the other party to the dispute)",
        "A strike could ground 250 flights a day, the union said.",
        "A strike could ground 250 flights a day, according to the company.",
        (UNION,),
        "attr:",
    ),
    (
        # the second verb shares the subject of the first, a stance verb
        "the union for the airline that disputes the figure",
        "The union says the average cut would be about 12%.",
        "The airline disputes that figure and says the average cut would be about 12%.",
        (),
        "attr:",
    ),
    (
        "the other side's lawyer for the prosecutors",
        "The builder is cooperating with investigators, the mayor's lawyer said.",
        "The builder is cooperating with investigators, according to the prosecutor's office.",
        (),
        "attr:",
    ),
    (
        # translated from Greek ("σύμφωνα με πηγές του υπουργείου")
        "an official statement for unnamed ministry sources",
        "Another 100 workers will be hired, the ministry said.",
        "Another 100 workers will be hired, according to ministry sources.",
        (MINISTRY,),
        "attr:",
    ),
    (
        "the company on record for people familiar with the talks",
        "The talks stalled over landing fees, the airline said.",
        "The talks stalled over landing fees, two people familiar with the talks said.",
        (),
        "attr:",
    ),
    (
        "a company spokesman on record for people familiar with the matter",
        "The plant will close in March, a company spokesman said.",
        "The plant will close in March, people familiar with the matter said.",
        (),
        "attr:",
    ),
    (
        "negotiators who asked not to be named, stated as fact",
        "Saudi Arabia led opposition to the fossil fuel wording.",
        "Saudi Arabia led opposition to the fossil fuel wording, according to three negotiators who asked not to be named.",
        (),
        "attr-dropped:",
    ),
    (
        "an executive who asked not to be identified, stated as fact",
        "The plant will close in March.",
        "The plant will close in March, said an executive who asked not to be identified.",
        (),
        "attr-dropped:",
    ),
]

SILENT = [
    # (why, derived sentence, reference sentence, named before in both articles)
    (
        "the company is Telvia",
        "Customer data was taken, the company said.",
        "Customer data was taken, Telvia said.",
        (TELVIA,),
    ),
    (
        # "The" opening the sentence names no one: the company may be Telvia
        "the company, opening the sentence, for a name",
        "The company said fares will rise in May.",
        "Telvia said fares will rise in May.",
        (),
    ),
    (
        "a diplomat and people familiar with the talks are both unnamed",
        "The talks stalled over fees, a diplomat said.",
        "The talks stalled over fees, two people familiar with the talks said.",
        (),
    ),
    (
        "a senior official and sources are both unnamed",
        "The talks stalled over fees, a senior official said.",
        "The talks stalled over fees, according to sources.",
        (),
    ),
    (
        "officials for the ministry",
        "Another 100 workers will be hired, officials said.",
        "Another 100 workers will be hired, the ministry said.",
        (MINISTRY,),
    ),
    (
        "a name added to the role the source gives",
        "“We respect the vote,” chief executive Camilla Aas said.",
        "“We respect the vote,” the chief executive said.",
        (),
    ),
    (
        "told reporters for said",
        "Talks will resume on Monday, Prime Minister Jonas Berg told reporters.",
        "Talks will resume on Monday, Prime Minister Jonas Berg said.",
        (),
    ),
    (
        "reported speech moved to the end",
        "Talks will resume on Monday, the union said.",
        "According to the union, talks will resume on Monday.",
        (UNION,),
    ),
    (
        # translated from Spanish ("el presidente del Gobierno")
        "Spain's president of the government is its prime minister",
        "Taxes will not rise, President of the Government Pedro Alvar said.",
        "Taxes will not rise, Prime Minister Pedro Alvar said.",
        (),
    ),
    (
        # translated from Russian ("председатель правления"): one post, named two ways
        "chairman of the board and chief executive",
        "Lending will slow next year, Nordbank chairman Pavel Orlov said.",
        "Lending will slow next year, Nordbank chief executive Pavel Orlov said.",
        (),
    ),
    (
        "an office held no longer",
        "Allies must spend more, former prime minister Jan Kral said.",
        "Allies must spend more, Secretary General Jan Kral said.",
        (),
    ),
    (
        "an executive vice-president is also a commissioner",
        "Fines will follow, Executive Vice-President Margit Lund said.",
        "Fines will follow, competition commissioner Margit Lund said.",
        (),
    ),
    (
        "the same unnamed negotiators",
        "Saudi Arabia, according to three negotiators, led the opposition to the wording.",
        "Saudi Arabia led opposition to the wording, according to three negotiators who asked not to be named.",
        (),
    ),
    (
        "the company and its spokeswoman",
        "The deal will be signed on Friday, the company said.",
        "The deal will be signed on Friday, company spokeswoman Ana Ruiz said.",
        (),
    ),
    (
        "the minister's role given, the name the same",
        "Schools will reopen, Fiji's education minister, Losa Tuilagi, said.",
        "Schools will reopen, Losa Tuilagi said.",
        (),
    ),
]


@pytest.mark.parametrize(
    ("why", "mine", "theirs", "named", "detail"), FLAG, ids=[c[0] for c in FLAG]
)
def test_changed_attribution_is_flagged(attributor, why, mine, theirs, named, detail) -> None:  # type: ignore[no-untyped-def]
    found = detect(
        AttributionDetector(),
        claim(mine, attribution=_speaker(attributor, mine, named)),
        source(theirs, attribution=_speaker(attributor, theirs, named)),
    )
    assert [d.detail for d in found if d.detail.startswith(detail)], why


@pytest.mark.parametrize(("why", "mine", "theirs", "named"), SILENT, ids=[c[0] for c in SILENT])
def test_one_source_named_two_ways_is_silent(attributor, why, mine, theirs, named) -> None:  # type: ignore[no-untyped-def]
    found = detect(
        AttributionDetector(),
        claim(mine, attribution=_speaker(attributor, mine, named)),
        source(theirs, attribution=_speaker(attributor, theirs, named)),
    )
    assert found == [], why


def test_an_office_change_says_both_offices_and_marks_them(attributor) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = FLAG[0][1], FLAG[0][2]
    (found,) = detect(
        AttributionDetector(),
        claim(mine, attribution=_speaker(attributor, mine, ())),
        source(theirs, attribution=_speaker(attributor, theirs, ())),
    )
    assert "UN Secretary-General Amara Osei" in found.message
    assert "president Amara Osei" in found.message
    assert [mine[m.start : m.end] for m in found.derived_marks] == ["Secretary-General"]
    assert [theirs[m.start : m.end] for m in found.reference_marks] == ["president"]


EXTRACTED = [
    # (sentence, named before, expected (name, kind))
    (
        "A strike could ground 250 flights a day, according to the company.",
        (UNION,),
        ("company", "organisation"),
    ),
    (
        "A strike could ground 250 flights a day, the union said.",
        (UNION,),
        ("Nordic Pilots' Union", "organisation"),
    ),
    ("The builder is cooperating, the mayor's lawyer said.", (), ("mayor's lawyer", "person")),
    ("Fares will rise, the airline said.", (), ("airline", "organisation")),
    (
        "The carrier disputes that figure and says cuts will be smaller.",
        (),
        ("carrier", "organisation"),
    ),
    ("The march was the largest since 2023, police said.", (), ("police", "organisation")),
    (
        "Talks stalled, according to three negotiators who asked not to be named.",
        (),
        ("anonymous sources", "anonymous"),
    ),
    (
        "Talks stalled, said a diplomat who spoke on condition of anonymity.",
        (),
        ("anonymous sources", "anonymous"),
    ),
    (
        "Saudi Arabia, according to two negotiators, led the opposition.",
        (),
        ("anonymous sources", "anonymous"),
    ),
    (
        "“Our islands cannot wait,” said Fiji's climate minister, Losa Tuilagi.",
        (),
        ("Losa Tuilagi", "person"),
    ),
    (
        "“It is a delay,” chief financial officer Mei Tanaka told analysts.",
        (),
        ("Mei Tanaka", "person"),
    ),
]


@pytest.mark.parametrize(
    "text",
    [
        "Trade disputes have risen sharply this year.",  # a noun
        "The disputed region voted on Sunday.",  # an adjective
        "Turnout fell, according to two polls.",  # documents counted are no people
    ],
)
def test_no_speaker(attributor, text) -> None:  # type: ignore[no-untyped-def]
    assert _speaker(attributor, text, ()) is None


@pytest.mark.parametrize(
    ("text", "named", "expected"), EXTRACTED, ids=[c[0][:50] for c in EXTRACTED]
)
def test_the_speaker_extracted(attributor, text, named, expected) -> None:  # type: ignore[no-untyped-def]
    found = _speaker(attributor, text, named)
    assert found is not None and (found.name, found.kind) == expected


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        ("UN Secretary-General", "conference president", ("secretary general", "head")),
        ("chief executive", "CEO", None),
        (
            "president and chief executive",
            "chief operating officer",
            ("head", "chief operating officer"),
        ),
        ("Deputy Prime Minister", "Prime Minister", ("deputy prime minister", "prime minister")),
        ("Deputy Prime Minister", "finance minister", None),  # one person may hold both
        ("former mayor", "ambassador", None),
        ("governor", "chairwoman", None),  # a central bank's governor is its chair elsewhere
        ("the presidency", "mayor", None),
    ],
)
def test_offices(mine: str, theirs: str, expected: tuple[str, str] | None) -> None:
    words = office_words("en")
    found = other_office(words.offices(mine), words.offices(theirs))
    assert (None if found is None else (found[0].name, found[1].name)) == expected


def test_the_opening_a_sentence_names_no_one() -> None:
    # the surface as the sentence writes it: "The" is no name to tell the company from Telvia
    found = detect(
        AttributionDetector(),
        claim(
            "The company said fares will rise.",
            attribution=Speaker("company", "The company", "organisation"),
        ),
        source("Telvia said fares will rise.", attribution=TELVIA),
    )
    assert found == []
