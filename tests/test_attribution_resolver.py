"""A noun phrase as a speaker: lexicon entities, roles with names, bare roles and pronouns
resolved against what the article named before, new names."""

from __future__ import annotations

import pytest

from fidelity.extract import load_lexicon
from fidelity.extract.attribution import Registry
from fidelity.extract.attribution.resolver import Resolver
from fidelity.types import Speaker

ZAKHAROVA = Speaker("Maria Zakharova", "Maria Zakharova", "person", "spokeswoman")
MINISTRY = Speaker("Russian foreign ministry", "the Russian foreign ministry", "organisation")
FT = Speaker("Financial Times", "FT", "outlet")
COSTA = Speaker("Ana Costa", "Ana Costa", "person")
ZELENSKY = Speaker("Volodymyr Zelensky", "Zelensky", "person", "Ukrainian President")
STEINER = Speaker("Markus Steiner", "Steiner", "person")
HUBER = Speaker("Andrea Huber", "Huber", "person")
PESKOV = Speaker("Dmitry Peskov", "Peskov", "person")
SPOKESWOMAN = Speaker("Lena Brandt", "Lena Brandt", "person", "government spokeswoman")


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    lexicon = load_lexicon()
    return Resolver(lexicon, lexicon.language("en"))


def registry(*named: Speaker) -> Registry:
    out = Registry()
    for speaker in named:
        out.note_speaker(speaker)
    return out


CASES = [
    # (phrase, named before, expected (name, kind, role) or None)
    ("Mark Rutte", (), ("Mark Rutte", "person", "NATO Secretary General")),
    ("NATO Secretary General Mark Rutte", (), ("Mark Rutte", "person", "NATO Secretary General")),
    ("Health Minister John Smith", (), ("John Smith", "person", "Health Minister")),
    ("Russian officials", (), ("anonymous sources", "anonymous", None)),
    ("the Financial Times", (), ("Financial Times", "outlet", None)),
    ("Kremlin representatives", (), ("Kremlin", "organisation", None)),
    ("the ministry", (MINISTRY,), ("Russian foreign ministry", "organisation", None)),
    ("the newspaper", (FT,), ("Financial Times", "outlet", None)),
    ("Costa", (COSTA,), ("Ana Costa", "person", None)),
    ("she", (MINISTRY, ZAKHAROVA), ("Maria Zakharova", "person", "spokeswoman")),
    # the nearest speaker the pronoun can stand for, not merely the nearest person
    ("she", (ZAKHAROVA, ZELENSKY), ("Maria Zakharova", "person", "spokeswoman")),
    ("he", (ZELENSKY, ZAKHAROVA), ("Volodymyr Zelensky", "person", "Ukrainian President")),
    ("she", (HUBER, STEINER), ("Andrea Huber", "person", None)),  # gender unknown: a candidate
    ("he", (PESKOV, SPOKESWOMAN), ("Dmitry Peskov", "person", None)),
    ("she", (ZELENSKY,), None),  # no woman named before
    ("they", (ZAKHAROVA, MINISTRY), ("Russian foreign ministry", "organisation", None)),
    ("the weather", (), None),
    # an indefinite article introduces someone new, not the last organisation named
    (
        "a transport ministry spokesman",
        (MINISTRY,),
        ("transport ministry spokesman", "organisation", None),
    ),
]


@pytest.mark.parametrize(("phrase", "named", "expected"), CASES, ids=[c[0] for c in CASES])
def test_resolve(
    resolver: Resolver,
    phrase: str,
    named: tuple[Speaker, ...],
    expected: tuple[str, str, str | None] | None,
) -> None:
    speaker = resolver.resolve(phrase, registry(*named))
    got = (speaker.name, speaker.kind, speaker.role) if speaker else None
    assert got == expected
    if speaker is not None and named:
        assert speaker.surface in (phrase, named[-1].surface)


@pytest.mark.parametrize(
    ("pronoun", "named", "expected"),
    [
        ("він", (ZELENSKY, ZAKHAROVA), "Volodymyr Zelensky"),
        ("вона", (ZAKHAROVA, ZELENSKY), "Maria Zakharova"),
    ],
)
def test_an_untranslated_pronoun_skips_the_nearer_speaker_of_the_other_gender(
    pronoun: str, named: tuple[Speaker, ...], expected: str
) -> None:
    lexicon = load_lexicon()
    speaker = Resolver(lexicon, lexicon.language("uk")).pronoun(pronoun, registry(*named))
    assert speaker is not None and speaker.name == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mortgage finance agency Freddie Mac.", "Freddie Mac"),
        ("lead author Mateo Ruiz of the Autonomous University of Madrid.", "Mateo Ruiz"),
        ("the study's lead author, Alexei Fedorov.", "Alexei Fedorov"),
        ("the Financial Times, citing sources", "Financial Times"),
        ("mortgage rates in general.", None),
    ],
)
def test_a_source_after_its_description(
    resolver: Resolver, text: str, expected: str | None
) -> None:
    """ "according to mortgage finance agency Freddie Mac": the name after a description."""
    speaker = resolver.phrase_after(text, 0, registry())
    assert (speaker.name if speaker else None) == expected


@pytest.mark.parametrize("pronoun", ["she", "She", "he"])
def test_a_pronoun_is_written_as_the_pronoun(resolver: Resolver, pronoun: str) -> None:
    """The speaker a pronoun resolves to keeps the pronoun as its surface, so the scorer
    can tell an inferred speaker from a named one."""
    speaker = resolver.resolve(pronoun, registry(ZELENSKY, ZAKHAROVA))
    assert speaker is not None and speaker.surface == pronoun


def test_the_source_after_according_to(resolver: Resolver) -> None:
    text = "According to Reuters, the ministry said talks were over."
    speaker = resolver.phrase_after(text, len("According to"), registry())
    assert speaker is not None and (speaker.name, speaker.kind) == ("Reuters", "outlet")
    assert resolver.phrase_after("sources close to the talks", 0, registry()) == Speaker(
        "anonymous sources", "sources close to the talks", "anonymous"
    )
