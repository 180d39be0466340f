"""The words the scoring stage reads, per language, from ``fidelity/lexicons/score/words.yaml``
(stop words, negators, hedges, caveats, month names, antonyms ...). It lives below the stages
so that any of them can share a list; nothing about a language is written in logic modules.
(A folder of its own: the extract stage's lexicon reads every file of ``lexicons/`` itself.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from fidelity.errors import ConfigError
from fidelity.text.packaged import packaged_lexicon

FILE = "score/words.yaml"
# Every section a language needs, in the file's order.
SECTIONS = (
    "stop_words",
    "negators",
    "hedge_cancellers",
    "ever_words",
    "clause_joiners",
    "scope_ends",
    "caveats",
    "conditions",
    "not_conditions",
    "negative_clitics",
    "infinitive_markers",
    "hedges",
    "strong_hedges",
    "intentions",
    "quote_negations",
    "generic_speakers",
    "speaker_pronouns",
    "source_words",
    "weekdays",
    "months",
    "ambiguous_months",
    "relative_times",
    "earlier_occasions",
    "time_order",
    "antonyms",
    "verification_caveats",
    "lemma_exceptions",
)


@dataclass(frozen=True, slots=True, eq=False)  # one per language: compared and hashed by identity
class Vocabulary:
    """One language's scoring words (see ``lexicons/README.md`` for each section)."""

    language: str
    stop_words: frozenset[str]
    negate_one: frozenset[str]
    negate_phrase: frozenset[str]
    negate_wide: frozenset[str]
    negating_verbs: frozenset[str]
    negating_before_infinitive: frozenset[str]  # lemmas
    negating_before_infinitive_forms: frozenset[str]  # as written
    negating_before_particle: Mapping[str, str]
    # negator phrases that negate nothing ("not only", "no later than"), as tuples of words
    not_negating: tuple[tuple[str, ...], ...]
    hedge_cancellers: frozenset[str]
    ever_words: frozenset[str]
    clause_joiners: frozenset[str]
    scope_ends: frozenset[str]
    caveats: tuple[str, ...]
    conditions: tuple[str, ...]
    not_conditions: frozenset[str]  # conditional markers that make no condition ("whether")
    negative_clitics: Mapping[str, str]  # "n't" -> "not": split off the word it ends
    infinitive_markers: frozenset[str]  # "to": after "declined", "yet", a verb negates
    hedges: frozenset[str]
    strong_hedges: frozenset[str]
    intentions: frozenset[str]  # "plans to": an intention, which "will" makes a fact
    quote_negations: frozenset[str]
    generic_speakers: frozenset[str]
    speaker_pronouns: frozenset[str]
    source_words: re.Pattern[str]
    weekdays: re.Pattern[str]
    months: re.Pattern[str]  # ambiguous month names left out
    relative_times: re.Pattern[str]
    earlier_occasions: re.Pattern[str]  # "repeatedly", "last September": another occasion
    time_order: Mapping[str, str]
    antonyms: Mapping[str, frozenset[str]]
    verification_caveats: re.Pattern[str]
    lemma_exceptions: Mapping[str, str]
    # word -> (family, class) of quote_contrasts (optional section)
    quote_contrasts: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # word -> the kind of body a speaker using it speaks for (optional section)
    speaker_bodies: Mapping[str, str] = field(default_factory=dict)
    # word as written -> direction of change it states: +1 up ("rose"), -1 down ("fell")
    directions: Mapping[str, int] = field(default_factory=dict)
    # direction words that state a change only before a figure or "from" ("up 8%", "down from")
    directions_before_figure: frozenset[str] = frozenset()
    # word -> the words after which it names the other side ("lost to", "beaten by"): "A lost
    # to B" says what "B won" says
    converses: Mapping[str, frozenset[str]] = field(default_factory=dict)


@lru_cache(maxsize=16)
def vocabulary(language: str) -> Vocabulary:
    """The scoring words of ``language``.

    Raises:
        ConfigError: the lexicon lacks sections for the language (each one named).
    """
    data = packaged_lexicon(FILE)
    entries = {name: (data.get(name) or {}).get(language) for name in SECTIONS}
    missing = [name for name, value in entries.items() if not value]
    if missing:
        raise ConfigError(
            f"no scoring words for the pivot language {language!r}: "
            f"fidelity/lexicons/{FILE} lacks its {', '.join(missing)}; add a {language!r} "
            "entry to each section (lexicons/README.md shows how)"
            + (", or use --pivot en" if language != "en" else "")
        )
    negators = _mapping(entries["negators"])
    relative = _mapping(entries["relative_times"])
    ambiguous = set(_words(entries["ambiguous_months"]))
    antonyms: dict[str, set[str]] = {}
    for a, b in _pairs(entries["antonyms"]):
        antonyms.setdefault(a.lower(), set()).add(b.lower())
        antonyms.setdefault(b.lower(), set()).add(a.lower())
    return Vocabulary(
        language=language,
        stop_words=frozenset(_words(entries["stop_words"])),
        negate_one=frozenset(_words(negators.get("one"))),
        negate_phrase=frozenset(_words(negators.get("phrase"))),
        negate_wide=frozenset(_words(negators.get("wide"))),
        negating_verbs=frozenset(_words(negators.get("verbs"))),
        negating_before_infinitive=frozenset(_words(negators.get("before_infinitive"))),
        negating_before_infinitive_forms=frozenset(_words(negators.get("before_infinitive_forms"))),
        negating_before_particle={
            str(k): str(v) for k, v in _mapping(negators.get("before_particle")).items()
        },
        not_negating=tuple(tuple(p.lower().split()) for p in _words(negators.get("not_negating"))),
        hedge_cancellers=frozenset(_words(entries["hedge_cancellers"])),
        ever_words=frozenset(_words(entries["ever_words"])),
        clause_joiners=frozenset(_words(entries["clause_joiners"])),
        scope_ends=frozenset(_words(entries["scope_ends"])),
        caveats=tuple(_words(entries["caveats"])),
        conditions=tuple(_words(entries["conditions"])),
        not_conditions=frozenset(_words(entries["not_conditions"])),
        negative_clitics={str(k): str(v) for k, v in _mapping(entries["negative_clitics"]).items()},
        infinitive_markers=frozenset(_words(entries["infinitive_markers"])),
        hedges=frozenset(_words(entries["hedges"])),
        strong_hedges=frozenset(_words(entries["strong_hedges"])),
        intentions=frozenset(_words(entries["intentions"])),
        quote_negations=frozenset(_words(entries["quote_negations"])),
        generic_speakers=frozenset(_words(entries["generic_speakers"])),
        speaker_pronouns=frozenset(_words(entries["speaker_pronouns"])),
        source_words=re.compile(_alternatives(_words(entries["source_words"])), re.IGNORECASE),
        weekdays=re.compile(_alternatives(_words(entries["weekdays"])), re.IGNORECASE),
        months=re.compile(
            _alternatives(m for m in _words(entries["months"]) if m not in ambiguous),
            re.IGNORECASE,
        ),
        relative_times=re.compile(
            rf"\b(?:{'|'.join(_words(relative.get('modifiers')))})\s+"
            rf"(?:{'|'.join(_words(relative.get('periods')))})\b"
            f"|{_alternatives(_words(relative.get('days')))}"
            f"|{_alternatives(_words(relative.get('halves')))}",
            re.IGNORECASE,
        ),
        earlier_occasions=_earlier_occasions(_mapping(entries["earlier_occasions"]), entries),
        time_order={str(k): str(v) for k, v in _mapping(entries["time_order"]).items()},
        antonyms={k: frozenset(v) for k, v in antonyms.items()},
        verification_caveats=re.compile(
            "|".join(_words(entries["verification_caveats"])), re.IGNORECASE
        ),
        lemma_exceptions={str(k): str(v) for k, v in _mapping(entries["lemma_exceptions"]).items()},
        quote_contrasts=_contrasts(_mapping(data.get("quote_contrasts")).get(language)),
        speaker_bodies={
            w.lower(): str(kind)
            for kind, members in _mapping(
                _mapping(data.get("speaker_bodies")).get(language)
            ).items()
            for w in _words(members)
        },
        directions=_directions(_mapping(_mapping(data.get("directions")).get(language))),
        converses={
            str(w).lower(): frozenset(_words(markers))
            for w, markers in _mapping(_mapping(data.get("converses")).get(language)).items()
        },
        directions_before_figure=frozenset(
            w.lower()
            for w in _words(
                _mapping(_mapping(data.get("directions")).get(language)).get("before_figure")
            )
        ),
    )


def _directions(section: Mapping[str, object]) -> dict[str, int]:
    """word -> +1 for the ``up`` words (``before_figure`` ones included), -1 for ``down``."""
    out = {w.lower(): 1 for w in _words(section.get("up"))}
    out.update((w.lower(), -1) for w in _words(section.get("down")))
    return out


def _earlier_occasions(
    section: Mapping[str, object], entries: Mapping[str, object]
) -> re.Pattern[str]:
    """Its words, or one of its modifiers before a month, weekday or period."""
    times = [
        *_words(entries["months"]),
        *_words(entries["weekdays"]),
        *_words(_mapping(entries["relative_times"]).get("periods")),
    ]
    return re.compile(
        rf"{_alternatives(_words(section.get('words')))}"
        rf"|\b(?:{'|'.join(map(re.escape, _words(section.get('modifiers'))))})\s+"
        rf"(?:{'|'.join(map(re.escape, times))})\b",
        re.IGNORECASE,
    )


def _words(value: object) -> list[str]:
    return [str(w) for w in value] if isinstance(value, list) else []


def _contrasts(value: object) -> dict[str, tuple[int, int]]:
    """word -> (family, class) from a list of families, each a list of classes of words."""
    out: dict[str, tuple[int, int]] = {}
    for f, family in enumerate(value if isinstance(value, list) else []):
        for c, members in enumerate(family if isinstance(family, list) else []):
            for w in _words(members):
                out[w.lower()] = (f, c)
    return out


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, dict) else {}


def _pairs(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return []
    return [(str(p[0]), str(p[1])) for p in value if isinstance(p, list) and len(p) == 2]


def _alternatives(words: Iterable[str]) -> str:
    """A whole-word pattern for any of ``words`` (a phrase's spaces match one space)."""
    return rf"\b(?:{'|'.join(re.escape(w).replace(chr(92) + ' ', ' ') for w in words)})\b"
