"""Grammatical gender of pronouns and of the people they may stand for, so that "… Zakharova
said. … she said" resolves to Zakharova and not to a man named in between.

A person's gender is read only from what the text gives: a gendered title or role word
("spokeswoman", "Mr"), a common given name, or a Slavic surname ending that marks it
("Zakharova", "Peskov"). When nothing does, the gender is unknown and the person stays a
candidate for either pronoun.
"""

from __future__ import annotations

import re
from typing import Literal

from fidelity.types import Speaker

Gender = Literal["f", "m"]

# Pronouns (and possessives) that name one gender, in the pivot and the languages of the
# seeds' untranslated sentences.
PRONOUN_GENDER: dict[str, Gender] = {
    "he": "m",
    "him": "m",
    "his": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "он": "m",
    "она": "f",
    "він": "m",
    "вона": "f",
    "αυτός": "m",
    "αυτή": "f",
}

_ROLE_WORDS: dict[str, Gender] = {
    "mr": "m",
    "mister": "m",
    "sir": "m",
    "spokesman": "m",
    "chairman": "m",
    "congressman": "m",
    "businessman": "m",
    "king": "m",
    "prince": "m",
    "duke": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "madam": "f",
    "dame": "f",
    "lady": "f",
    "spokeswoman": "f",
    "chairwoman": "f",
    "congresswoman": "f",
    "businesswoman": "f",
    "queen": "f",
    "princess": "f",
    "duchess": "f",
}

# Common given names whose gender is not in doubt across the languages of the news this
# tool reads (names used for both, like Andrea or Sasha, are left out on purpose).
_GIVEN: dict[str, Gender] = {
    **dict.fromkeys(
        "mark marco markus marcus john james michael david peter pieter paul thomas tom "
        "daniel robert richard william george charles joseph josé jose juan carlos luis "
        "miguel antonio antónio francesco giuseppe giovanni luca matteo mateo pierre "
        "jean jacques emmanuel françois francois hans klaus olaf friedrich stefan "
        "wolfgang jürgen erik lars jan piotr pavel dmitry dmitri sergey sergei vladimir "
        "volodymyr andrei andrey andrii andriy alexei alexey oleksandr mykhailo "
        "kirill rustem boris ivan igor yuri oleg nikolai mikhail viktor "
        "recep benjamin keir donald joe steve kyriakos luc "
        "ahmed mohammed muhammad ali hassan omar".split(),
        "m",
    ),
    **dict.fromkeys(
        "maria marie mary anna ana anne ann elena helena olga irina tatiana "
        "natalia natalya yulia julia svetlana ekaterina kateryna oksana iryna "
        "ursula giorgia kaja kamala hillary angela theresa liz elizabeth margaret "
        "sarah sara laura claire camilla karen jana eva emma sophie sofia lucia "
        "ines inês rocío rocio priya amina freja marieke ingrid kristin hanne "
        "christine christina catherine caroline susan jennifer jessica linda "
        "barbara patricia nancy michelle rachel rebecca ruth hannah "
        "fatima aisha leyla".split(),
        "f",
    ),
}

# Surname endings of Slavic names, which carry gender (Latin transliteration and Cyrillic).
_FEMININE_ENDING = re.compile(
    r"(?:ova|eva|yova|ina|yna|skaya|tskaya|aya|ská|ова|ева|іна|ина|ая|ська)$"
)
_MASCULINE_ENDING = re.compile(r"(?:ov|ev|yov|in|yn|sky|skiy|skyi|ski|ский|ов|ев|ін|ин|ський)$")


def pronoun_gender(pronoun: str) -> Gender | None:
    """The gender a pronoun names, or None (``they``, ``it``, a language without it)."""
    return PRONOUN_GENDER.get(pronoun.lower())


def speaker_gender(speaker: Speaker) -> Gender | None:
    """What the text says of a person's gender: a gendered role word, a given name, a
    Slavic surname ending; None when it says nothing."""
    if speaker.kind != "person":
        return None
    words = re.findall(r"[^\W\d_]+", f"{speaker.role or ''} {speaker.surface} {speaker.name}")
    for w in words:
        found = _ROLE_WORDS.get(w.lower())
        if found is not None:
            return found
    names = re.findall(r"[^\W\d_]+", speaker.name)
    if names:
        found = _GIVEN.get(names[0].lower()) if len(names) > 1 else None
        if found is not None:
            return found
        last = names[-1].lower()
        if len(last) > 4 and last[0].isalpha():
            if _FEMININE_ENDING.search(last):
                return "f"
            if _MASCULINE_ENDING.search(last):
                return "m"
    return None


def compatible(speaker: Speaker, gender: Gender | None) -> bool:
    """Whether ``speaker`` can be what a pronoun of ``gender`` stands for."""
    if gender is None:
        return True
    if speaker.kind != "person":
        return False
    found = speaker_gender(speaker)
    return found is None or found == gender
