"""Offices a speaker holds (``lexicons/score/offices.yaml``): the posts named in a speaker's
role and surface ("UN Secretary-General", "chief financial officer"), so attribution can tell a
statement given to someone in another office from one source named two ways."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from fidelity.text.packaged import packaged_lexicon

FILE = "score/offices.yaml"


@dataclass(frozen=True, slots=True)
class Office:
    """One office named in a text: which post, and where its words stand."""

    name: str  # the office ("president"; "deputy president" for a vice president)
    start: int
    end: int

    @property
    def deputy_of(self) -> str | None:
        return self.name.split(" ", 1)[1] if self.name.startswith("deputy ") else None


@dataclass(frozen=True, slots=True)
class OfficeWords:
    """The office words of one language (none where the lexicon has none for it)."""

    pattern: re.Pattern[str] | None = None
    office_of: Mapping[str, str] = field(default_factory=dict)  # normalised words -> office
    deputies: frozenset[str] = frozenset()
    formers: frozenset[str] = frozenset()

    def offices(self, text: str) -> list[Office]:
        """The offices ``text`` names, in order; one held no longer ("former") is left out."""
        if self.pattern is None:
            return []
        found: list[Office] = []
        for m in self.pattern.finditer(text):
            modifier = (m.group("mod") or "").lower()
            if modifier in self.formers:
                continue
            office = self.office_of.get(_normal(m.group("office")))
            if office is None:
                continue
            if modifier in self.deputies:
                office = f"deputy {office}"
            found.append(Office(office, m.start(), m.end()))
        return found


def other_office(mine: list[Office], theirs: list[Office]) -> tuple[Office, Office] | None:
    """An office of each side where the two sides name no office in common, if they do: a
    deputy counts only against the post it deputises for (a vice-president may also be a
    commissioner)."""
    names_a = {o.name for o in mine}
    names_b = {o.name for o in theirs}
    if names_a & names_b:
        return None
    a = [o for o in mine if o.deputy_of is None or o.deputy_of in names_b]
    b = [o for o in theirs if o.deputy_of is None or o.deputy_of in names_a]
    return (a[0], b[0]) if a and b else None


def _listed(section: object, language: str) -> frozenset[str]:
    words = section.get(language) if isinstance(section, dict) else None
    return frozenset(str(w).lower() for w in words) if isinstance(words, list) else frozenset()


def _normal(words: str) -> str:
    return " ".join(re.split(r"[\s\-‐–]+", words.lower().strip()))


@lru_cache(maxsize=16)
def office_words(language: str) -> OfficeWords:
    """The office words of ``language`` (empty where the lexicon has none)."""
    data = packaged_lexicon(FILE)
    section = (data.get("offices") or {}).get(language)
    if not isinstance(section, dict) or not section:
        return OfficeWords()
    office_of = {
        _normal(str(w)): str(office)
        for office, members in section.items()
        for w in (members if isinstance(members, list) else [])
    }
    deputies = _listed(data.get("deputies"), language)
    formers = _listed(data.get("formers"), language)

    def words(phrase: str) -> str:
        return r"[\s\-‐–]+".join(re.escape(w) for w in phrase.split())

    offices = "|".join(words(p) for p in sorted(office_of, key=len, reverse=True))
    modifiers = "|".join(re.escape(w) for w in sorted(deputies | formers, key=len, reverse=True))
    mod = rf"(?:(?P<mod>{modifiers})[\s\-‐–]+)?" if modifiers else r"(?P<mod>(?!))?"
    pattern = re.compile(rf"(?<![\w-]){mod}(?P<office>{offices})(?![\w-])", re.IGNORECASE)
    return OfficeWords(pattern, office_of, deputies, formers)
