"""The subject of a reporting verb: before it, after it when inverted, with an appositive
role, unnamed sources in its clause, the sentence's opening subject for a participle."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import pytest

from fidelity.extract import load_lexicon
from fidelity.extract.attribution import Registry
from fidelity.extract.attribution.resolver import Resolver
from fidelity.extract.attribution.subject import SubjectFinder
from fidelity.types import Speaker

ZAKHAROVA = Speaker("Maria Zakharova", "Maria Zakharova", "person", "spokeswoman")
MINISTRY = Speaker("Russian foreign ministry", "the Russian foreign ministry", "organisation")


@pytest.fixture(scope="module")
def finder() -> SubjectFinder:
    lexicon = load_lexicon()
    return SubjectFinder(Resolver(lexicon, lexicon.language("en")))


def registry(*named: Speaker) -> Registry:
    out = Registry()
    for speaker in named:
        out.note_speaker(speaker)
    return out


CASES = [
    # (sentence, reporting verb, named before, expected (name, surface, role) or None)
    (
        "The Carbon Policy Institute, a think tank, estimates that needs exceed $300bn a year.",
        "estimates",
        (),
        ("Carbon Policy Institute", "Carbon Policy Institute", None),
    ),
    (
        "The Environment Agency, which brought the prosecution, said it was the largest fine.",
        "said",
        (),
        ("Environment Agency", "Environment Agency", None),
    ),
    (
        "Rutte said the alliance was ready.",
        "said",
        (),
        ("Mark Rutte", "Rutte", "NATO Secretary General"),
    ),
    (
        "“We are ready,” said NATO chief Mark Rutte.",
        "said",
        (),
        ("Mark Rutte", "NATO chief Mark Rutte", "NATO chief"),
    ),
    (
        "Three people familiar with the matter told Reuters the deal was close.",
        "told",
        (),
        ("anonymous sources", "Three people familiar with the matter", None),
    ),
    (
        "The Secretary of the Russian Security Council, Dmitry Medvedev, reiterated that talks were over.",
        "reiterated",
        (),
        ("Dmitry Medvedev", "Dmitry Medvedev", "Secretary of the Russian Security Council"),
    ),
    (
        "Mark Rutte, speaking to the Rada on February 3, confirmed the plan.",
        "confirmed",
        (),
        ("Mark Rutte", "Mark Rutte", "NATO Secretary General"),
    ),
    (
        "Jane Doe, the finance minister, told parliament the budget was balanced.",
        "told",
        (),
        ("Jane Doe", "Jane Doe", "finance minister"),
    ),
    (
        "She also said the talks would resume.",
        "said",
        (ZAKHAROVA,),
        ("Maria Zakharova", "She", "spokeswoman"),
    ),
    ("The weather was said to be fine.", "said", (), None),
]


@pytest.mark.parametrize(
    ("text", "verb", "named", "expected"), CASES, ids=[c[0][:40] for c in CASES]
)
def test_subject(
    finder: SubjectFinder,
    text: str,
    verb: str,
    named: tuple[Speaker, ...],
    expected: tuple[str, str, str | None] | None,
) -> None:
    at = text.index(verb)
    speaker = finder.subject(text, at, at + len(verb), registry(*named))
    assert ((speaker.name, speaker.surface, speaker.role) if speaker else None) == expected


OPENING = [
    (
        "He also referred to the talks, noting that they would resume.",
        (Speaker("Dmitry Medvedev", "Medvedev", "person"), ZAKHAROVA),
        "Dmitry Medvedev",
    ),
    (
        "She also referred to the talks, noting that they would resume.",
        (ZAKHAROVA, Speaker("Dmitry Medvedev", "Medvedev", "person")),
        "Maria Zakharova",
    ),
    (
        "However, the ministry added that the talks were over.",
        (MINISTRY,),
        "Russian foreign ministry",
    ),
    ("Dmitry Medvedev went further, adding that Kyiv would fall.", (), "Dmitry Medvedev"),
]


def test_a_sentence_opened_by_its_verb_has_no_subject(finder: SubjectFinder) -> None:
    text = "Describing the situation as a pandemic does not change the assessment."
    assert finder.sentence_subject(text, registry(ZAKHAROVA)) is None


@pytest.mark.parametrize(("text", "named", "expected"), OPENING, ids=[c[0][:40] for c in OPENING])
def test_sentence_subject(
    finder: SubjectFinder, text: str, named: tuple[Speaker, ...], expected: str
) -> None:
    speaker = finder.sentence_subject(text, registry(*named))
    assert speaker is not None and speaker.name == expected
