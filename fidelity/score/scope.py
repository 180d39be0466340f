"""Scope words of the pivot language (``lexicons/score/scope.yaml``): the qualifiers that
narrow a claim (a part, a place left out, a temporary measure) and the relative time horizons
("in the coming weeks", "within days") the omission and time detectors read."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from fidelity.text.packaged import packaged_lexicon

FILE = "score/scope.yaml"

Governs = Literal["after", "before", "around"]


@dataclass(frozen=True, slots=True)
class QualifierGroup:
    """One kind of scope qualifier: how to find it and what keeps it in a retelling."""

    name: str
    marks: re.Pattern[str]
    kept: re.Pattern[str]
    governs: Governs
    why: str
    names_object: bool = False  # the mark names what it leaves out ("outside [China]")
    proper: frozenset[str] = frozenset()  # marks whose object must be a name
    kept_words: frozenset[str] = frozenset()  # the single kept words (said elsewhere?)


@dataclass(frozen=True, slots=True)
class Horizon:
    """A relative time horizon: which way it points (ahead, behind, current), its unit and
    whether it spans several units ("the coming weeks") or one ("next week")."""

    points: str
    unit: str
    several: bool

    def __str__(self) -> str:
        return f"{self.points} {self.unit}{'s' if self.several else ''}"


@dataclass(frozen=True, slots=True)
class ScopeWords:
    """The scope words of one language (empty where the lexicon has none for it)."""

    qualifiers: tuple[QualifierGroup, ...] = ()
    horizon_patterns: tuple[tuple[re.Pattern[str], str], ...] = ()  # pattern, how it reads
    pointing: Mapping[str, str] | None = None  # modifier -> ahead | behind | current
    units: Mapping[str, tuple[str, bool]] | None = None  # written period -> unit, plural
    terms: Mapping[str, str] | None = None  # "short" (term) -> near | medium | long

    def horizons(self, text: str) -> list[tuple[Horizon, int, int]]:
        """The relative time horizons of ``text`` with their spans, in order."""
        if not self.horizon_patterns or self.pointing is None or self.units is None:
            return []
        out: dict[int, tuple[Horizon, int, int]] = {}
        for pattern, reading in self.horizon_patterns:
            for m in pattern.finditer(text):
                if reading == "term":  # "in the short term" / "in the long run"
                    key = m.group("term").lower()
                    if m.start() not in out and self.terms and key in self.terms:
                        out[m.start()] = (Horizon(self.terms[key], "term", False), *m.span())
                    continue
                unit, plural = self.units[m.group("period").lower()]
                few = bool(m.groupdict().get("few"))
                if reading == "modifier":
                    points = self.pointing[" ".join(m.group("mod").lower().split())]
                else:  # "the weeks ahead", "within days"
                    points = "ahead"
                if m.start() not in out:
                    out[m.start()] = (Horizon(points, unit, plural or few), m.start(), m.end())
        return [out[k] for k in sorted(out)]


def _alternatives(terms: list[str]) -> str:
    ordered = sorted({" ".join(t.split()) for t in terms}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, t.split())) for t in ordered)


def _whole(terms: list[str], patterns: Sequence[str] = ()) -> re.Pattern[str]:
    alternatives = "|".join([_alternatives(terms), *patterns] if terms else patterns)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _map(value: object) -> Mapping[str, object]:
    return value if isinstance(value, dict) else {}


@lru_cache(maxsize=16)
def scope_words(language: str) -> ScopeWords:
    """The scope words of ``language`` (none where the lexicon has no entry for it)."""
    data = packaged_lexicon(FILE)
    groups = []
    for name, raw in _map(_map(data.get("qualifiers")).get(language)).items():
        entry = _map(raw)
        marks, kept = _list(entry.get("marks")), _list(entry.get("kept"))
        regexes = _list(entry.get("patterns"))
        governs = str(entry.get("governs", "around"))
        if not (marks or regexes) or governs not in ("after", "before", "around"):
            continue
        groups.append(
            QualifierGroup(
                name=str(name),
                marks=_whole(marks, regexes),
                kept=_whole(kept + marks, regexes + _list(entry.get("kept_patterns"))),
                governs=governs,  # type: ignore[arg-type]
                why=str(entry.get("why", "")),
                names_object=bool(entry.get("object", False)),
                proper=frozenset(m.lower() for m in _list(entry.get("proper"))),
                kept_words=frozenset(w.lower() for w in kept if " " not in w),
            )
        )
    horizon = _map(_map(data.get("horizons")).get(language))
    if not horizon:
        return ScopeWords(tuple(groups))
    pointing = {
        " ".join(w.lower().split()): way
        for key, way in (("ahead", "ahead"), ("behind", "behind"), ("current", "current"))
        for w in _list(horizon.get(key))
    }
    units: dict[str, tuple[str, bool]] = {}
    for unit, forms in _map(horizon.get("periods")).items():
        for i, form in enumerate(_list(forms)):
            units[form.lower()] = (str(unit), i > 0)
    plural = [f for f, (_, many) in units.items() if many]
    period = rf"(?P<period>{_alternatives(list(units))})"
    few = rf"(?:(?P<few>{_alternatives(_list(horizon.get('few')))})\s+)?"
    flags = re.IGNORECASE
    patterns: tuple[tuple[re.Pattern[str], str], ...] = (
        (
            re.compile(rf"\b(?P<mod>{_alternatives(list(pointing))})\s+{few}{period}\b", flags),
            "modifier",
        ),
        (
            re.compile(
                rf"\b{few}{period}\s+(?:{_alternatives(_list(horizon.get('after')))})\b",
                flags,
            ),
            "after",
        ),
        (
            re.compile(
                rf"\b(?:{_alternatives(_list(horizon.get('within')))})\s+"
                rf"(?P<period>{_alternatives(plural)})\b",
                flags,
            ),
            "within",
        ),
    )
    terms = {
        w.lower(): str(way)
        for way, forms in _map(horizon.get("terms")).items()
        for w in _list(forms)
    }
    if terms:
        patterns += (
            (
                re.compile(rf"\b(?P<term>{_alternatives(list(terms))})[-\s]+(?:term|run)\b", flags),
                "term",
            ),
        )
    return ScopeWords(tuple(groups), patterns, pointing, units, terms)
