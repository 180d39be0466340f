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
    ("the weather", (), None),
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


def test_the_source_after_according_to(resolver: Resolver) -> None:
    text = "According to Reuters, the ministry said talks were over."
    speaker = resolver.phrase_after(text, len("According to"), registry())
    assert speaker is not None and (speaker.name, speaker.kind) == ("Reuters", "outlet")
    assert resolver.phrase_after("sources close to the talks", 0, registry()) == Speaker(
        "anonymous sources", "sources close to the talks", "anonymous"
    )
