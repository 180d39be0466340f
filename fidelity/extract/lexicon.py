"""The word lists the extractor reads, loaded from YAML data files and compiled once.

Packaged lexicons live in ``fidelity/lexicons/*.yaml`` (documented in its README); users add
files of the same shape (for example Greek or Russian reporting verbs) with
``load_lexicon(extra_paths)``. Every section is keyed by language code except the entity
sections, which hold names in any script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fidelity.errors import ConfigError, InputError
from fidelity.plaindata import parse_yaml, plain
from fidelity.text.translit import name_key

__all__ = ["EntityEntry", "LanguageLexicon", "Lexicon", "load_lexicon", "phrase_pattern"]

LEXICON_MAX_BYTES = 5_000_000  # an extra lexicon file (--lexicon)
SECTIONS = (
    "reporting_verbs",
    "source_phrases",
    "anonymous_sources",
    "titles",
    "pronouns",
    "role_heads",
    "markers",
    "framing",
    "framing_prefixes",
    "numbers",
    "entities",
    "countries",
    "metonyms",
)
LANGUAGE_SECTIONS = SECTIONS[: SECTIONS.index("numbers") + 1]  # keyed by language first
MARKER_KINDS = ("negation", "conditional", "hedge", "modal", "status", "legal")

# Prepositions after which a capital city is a place rather than its government.
PLACE_PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "to",
        "from",
        "near",
        "into",
        "outside",
        "around",
        "across",
        "inside",
        "through",
        "via",
        "towards",
        "toward",
        "over",
        "within",
        "throughout",
    ]
)


def phrase_pattern(terms: Iterable[str], *, ignore_case: bool = True) -> re.Pattern[str] | None:
    """One regex matching any of ``terms`` as whole words, longest first; None if no terms.

    Terms that begin and end with a word character share one word-bounded trie (a flat
    alternation of hundreds of terms with a lookbehind each is tried at every character and
    made extraction slow); the few others keep their own alternatives.
    """
    unique = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    if not unique:
        return None
    worded = [t for t in unique if _wordy(t[0]) and _wordy(t[-1])]
    other = [t for t in unique if t not in set(worded)]
    parts = []
    if worded:
        trie: dict[str, Any] = {}
        for term in worded:
            node = trie
            for ch in " ".join(term.split()).lower() if ignore_case else " ".join(term.split()):
                node = node.setdefault(ch, {})
            node[""] = {}
        parts.append(rf"(?<![\w])(?:{_trie_regex(trie)})(?![\w])")
    for term in other:
        escaped = re.escape(term).replace(r"\ ", r"\s+")
        left = r"(?<![\w])" if term[0].isalnum() or term[0] == "'" else ""
        right = r"(?![\w])" if term[-1].isalnum() or term[-1] in "'’" else ""
        parts.append(f"{left}{escaped}{right}")
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile("|".join(parts), flags)


def _wordy(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _trie_regex(node: dict[str, Any]) -> str:
    """A regex for the words below ``node``; longer continuations are tried first."""
    ends = "" in node
    branches = []
    for ch in sorted(k for k in node if k):
        atom = r"\s+" if ch == " " else re.escape(ch)
        branches.append(atom + _trie_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


def _fold(term: str) -> str:
    return " ".join(term.lower().replace("’", "'").split())


@dataclass(frozen=True, slots=True)
class EntityEntry:
    canonical: str
    kind: str  # person | organisation | outlet | place
    role: str | None = None
    stands_for: str | None = None  # metonymy: the institution a place name stands for
    government: str | None = None  # a country speaking ("Russia warned") is its government


@dataclass
class LanguageLexicon:
    """The compiled entries of one language."""

    language: str
    verbs: dict[str, tuple[str, float]] = field(default_factory=dict)  # form -> (lemma, certainty)
    verb_re: re.Pattern[str] | None = None
    according_re: re.Pattern[str] | None = None
    citing_re: re.Pattern[str] | None = None
    anonymous: tuple[str, ...] = ()
    anonymous_re: re.Pattern[str] | None = None
    titles: frozenset[str] = frozenset()
    title_re: re.Pattern[str] | None = None
    pronouns: dict[str, str] = field(default_factory=dict)
    role_heads: dict[str, str] = field(default_factory=dict)  # head -> kind
    markers: dict[str, tuple[str, float]] = field(default_factory=dict)  # term -> (kind, level)
    marker_re: re.Pattern[str] | None = None
    framing: dict[str, tuple[str, int]] = field(default_factory=dict)  # term -> (concept, level)
    framing_re: re.Pattern[str] | None = None
    framing_prefixes: frozenset[str] = frozenset()  # "post" of "post-war": another word
    numbers: dict[str, Any] = field(default_factory=dict)

    def verb(self, form: str) -> tuple[str, float] | None:
        return self.verbs.get(_fold(form))

    def marker(self, term: str) -> tuple[str, float] | None:
        return self.markers.get(_fold(term))

    def frame(self, term: str) -> tuple[str, int] | None:
        return self.framing.get(_fold(term))


class Lexicon:
    """All lexicon data, merged from the packaged files and any user files, compiled."""

    def __init__(self, data: Mapping[str, Any], sources: Sequence[str] = ()) -> None:
        self.data = data
        self.sources = tuple(sources)
        self._languages: dict[str, LanguageLexicon] = {}
        self.entities: dict[str, EntityEntry] = {}  # folded alias -> entry
        self.entity_keys: dict[str, EntityEntry] = {}  # name_key of alias -> entry
        self._surfaces: dict[str, list[str]] = {}  # folded alias -> aliases as written
        self._build_entities()
        self.entity_re = phrase_pattern(self._surfaces)

    # ------------------------------------------------------------------ languages

    def language(self, code: str) -> LanguageLexicon:
        """The compiled entries for ``code`` (empty when no file has that language)."""
        code = (code or "en").lower().split("-")[0]
        cached = self._languages.get(code)
        if cached is None:
            cached = self._compile(code)
            self._languages[code] = cached
        return cached

    @property
    def languages(self) -> tuple[str, ...]:
        found: set[str] = set()
        for section in LANGUAGE_SECTIONS:
            found.update(self.data.get(section, {}) or {})
        return tuple(sorted(found))

    def _section(self, name: str, code: str) -> Any:
        return (self.data.get(name) or {}).get(code) or {}

    def _compile(self, code: str) -> LanguageLexicon:
        lex = LanguageLexicon(code)
        for lemma, entry in self._section("reporting_verbs", code).items():
            certainty = float(entry.get("certainty", 0.9))
            for form in entry.get("forms", []):
                lex.verbs[_fold(str(form))] = (str(lemma), certainty)
        lex.verb_re = phrase_pattern(lex.verbs)
        phrases = self._section("source_phrases", code)
        lex.according_re = phrase_pattern(phrases.get("according", []))
        lex.citing_re = phrase_pattern(phrases.get("citing", []))
        lex.anonymous = tuple(_fold(a) for a in self._section("anonymous_sources", code))
        lex.anonymous_re = phrase_pattern(lex.anonymous)
        titles = [_fold(t) for t in self._section("titles", code)]
        lex.titles = frozenset(titles)
        lex.title_re = phrase_pattern(titles)
        lex.pronouns = {_fold(k): str(v) for k, v in self._section("pronouns", code).items()}
        for kind, heads in self._section("role_heads", code).items():
            for head in heads:
                lex.role_heads.setdefault(_fold(head), str(kind))
        for kind in MARKER_KINDS:  # earlier kinds win a term listed twice
            for term, level in (self._section("markers", code).get(kind) or {}).items():
                lex.markers.setdefault(_fold(str(term)), (kind, float(level)))
        lex.marker_re = phrase_pattern(lex.markers)
        for concept, terms in self._section("framing", code).items():
            for term, level in (terms or {}).items():
                lex.framing.setdefault(_fold(str(term)), (str(concept), int(level)))
        lex.framing_re = phrase_pattern(lex.framing)
        lex.framing_prefixes = frozenset(
            _fold(str(x)) for x in self._section("framing_prefixes", code)
        )
        lex.numbers = dict(self._section("numbers", code))
        return lex

    # ------------------------------------------------------------------- entities

    def _add_alias(self, alias: str, entry: EntityEntry) -> None:
        alias = alias.strip()
        if not alias:
            return
        folded = _fold(alias)
        self.entities.setdefault(folded, entry)
        self._surfaces.setdefault(folded, []).append(alias)
        stripped = re.sub(r"^(the|The)\s+", "", alias)
        key = name_key(stripped)
        if key and len(key.replace(" ", "")) >= 3:
            self.entity_keys.setdefault(key, entry)

    def alias_case_fits(self, matched: str) -> bool:
        """Whether ``matched`` keeps the case its alias demands.

        An all-capitals alias (US, EU, FT) must match exactly, so the pronoun "us" is not the
        United States; an alias starting with a capital must match with a capital.
        """
        for alias in self._surfaces.get(_fold(matched), ()):
            if alias.isupper() or (len(alias) <= 3 and any(ch.isupper() for ch in alias)):
                if " ".join(matched.split()) == alias:
                    return True
            elif not alias[0].isupper() or matched[0].isupper():
                return True
        return False

    def _build_entities(self) -> None:
        for item in self.data.get("entities") or []:
            entry = EntityEntry(
                canonical=str(item["canonical"]),
                kind=str(item.get("kind", "organisation")),
                role=item.get("role"),
            )
            for alias in [entry.canonical, *(item.get("aliases") or [])]:
                self._add_alias(str(alias), entry)
        for country, item in (self.data.get("countries") or {}).items():
            government = (item or {}).get("government") or f"{country} government"
            place = EntityEntry(canonical=str(country), kind="place", government=government)
            for alias in [country, *((item or {}).get("aliases") or [])]:
                self._add_alias(str(alias), place)
            capital = (item or {}).get("capital")
            if capital:
                entry = EntityEntry(canonical=str(capital), kind="place", stands_for=government)
                for alias in [capital, *((item or {}).get("capital_aliases") or [])]:
                    self._add_alias(str(alias), entry)
        for place, institution in (self.data.get("metonyms") or {}).items():
            self._add_alias(
                str(place), EntityEntry(str(place), "place", stands_for=str(institution))
            )

    def lookup_entity(self, surface: str) -> EntityEntry | None:
        """The entry for an alias as written, or for a name in another script by its key."""
        found = self.entities.get(_fold(surface))
        if found is not None:
            return found
        stripped = re.sub(r"^(the|The)\s+", "", surface)
        found = self.entities.get(_fold(stripped))
        if found is not None:
            return found
        if not any(("\u0370" <= ch <= "\u03ff") or ("\u0400" <= ch <= "\u04ff") for ch in stripped):
            # Latin spellings are matched through their aliases only: a key match between two
            # Latin words is a near-miss ("Rioters" ~ "Reuters"), not the same name.
            return None
        key = name_key(stripped)
        found = self.entity_keys.get(key) if key else None
        if found is not None and len(key.replace(" ", "")) < 4 and found.kind != "person":
            return None  # short keys collide across unrelated words ("Σχόλια" ~ "Seoul")
        return found


def _merge(into: dict[str, Any], new: Mapping[str, Any]) -> None:
    for key, value in new.items():
        old = into.get(key)
        if isinstance(old, dict) and isinstance(value, Mapping):
            _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            old.extend(value)
        elif isinstance(value, Mapping):
            into[key] = {}
            _merge(into[key], value)
        elif isinstance(value, list):
            into[key] = list(value)
        else:
            into[key] = value


def _read_packaged(text: str, origin: str) -> Any:
    """A packaged lexicon file. These are ours, so libyaml's loader reads them (about 10x
    faster); outside YAML stays on the pure-Python safe loader, which turns deep nesting into
    a RecursionError where the C composer would recurse on the C stack."""
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise InputError(origin, f"the packaged file is damaged ({exc}); reinstall") from exc


def _read(text: str, origin: str, *, check: bool = True) -> Mapping[str, Any]:
    """One lexicon file as a mapping of sections.

    A user's file (``check``) is read into plain, bounded data and its every section checked
    against the documented shapes, so a malformed file stops here with a ConfigError naming
    it, never later with a traceback; the packaged files are trusted and read as they are.
    """
    try:
        if check:
            data = parse_yaml(text, origin, "the lexicon file")
        else:
            data = _read_packaged(text, origin)
        if check:
            data = plain(data, origin, "the lexicon file", source_chars=len(text), max_values=10**6)
    except InputError as exc:
        raise ConfigError(f"{exc}; fix the file or remove it") from exc
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{origin}: a lexicon file must be a mapping of sections")
    unknown = sorted(set(map(str, data)) - set(SECTIONS))
    if unknown:
        raise ConfigError(
            f"{origin}: unknown lexicon section(s) {', '.join(unknown)}; "
            f"expected some of {', '.join(SECTIONS)}"
        )
    for name, value in data.items():
        expected = list if name == "entities" else Mapping
        if value is not None and not isinstance(value, expected):
            raise ConfigError(f"{origin}: section {name!r} must be a {expected.__name__}")
    if check:
        for name, value in data.items():
            problem = _shape_problem(value, _maybe(_SHAPES[name]), name)
            if problem:
                raise ConfigError(
                    f"{origin}: {problem}; see the shapes in fidelity/lexicons/README.md"
                )
        return {name: _as_text(value, _maybe(_SHAPES[name])) for name, value in data.items()}
    return data


# The documented shape of each section (fidelity/lexicons/README.md). "text" is a term or
# name (a string or number), "number" an int or float, ("map", V) a mapping whose values have
# shape V, ("list", V) a list, ("pair", A, B) a two-item list, ("fields", required,
# {field: shape}) a mapping with known fields, ("maybe", V) V or null (read as empty).
_TEXT: Any = "text"
_NUMBER: Any = "number"
_MAX_TERM = 200
_TERMS: Any = ("list", _TEXT)


def _maybe(shape: Any) -> Any:
    return ("maybe", shape)


def _per_language(shape: Any) -> Any:
    return ("map", _maybe(shape))


_SHAPES: dict[str, Any] = {
    "reporting_verbs": _per_language(
        ("map", ("fields", (), {"certainty": _NUMBER, "forms": _TERMS}))
    ),
    "source_phrases": _per_language(("map", _TERMS)),
    "anonymous_sources": _per_language(_TERMS),
    "titles": _per_language(_TERMS),
    "pronouns": _per_language(("map", _TEXT)),
    "role_heads": _per_language(("map", _TERMS)),
    "markers": _per_language(("map", _maybe(("map", _NUMBER)))),
    "framing": _per_language(("map", _maybe(("map", _NUMBER)))),
    "framing_prefixes": _per_language(_TERMS),
    "numbers": _per_language(
        (
            "fields",
            (),
            {
                "cardinals": _maybe(("map", _NUMBER)),
                "approximate": _maybe(("map", ("pair", _NUMBER, _TEXT))),
                "multipliers": _maybe(("map", _NUMBER)),
                "units": _maybe(("map", ("pair", _TEXT, _NUMBER))),
                "currencies": _maybe(("map", _TEXT)),
                "relations": _maybe(("map", _TEXT)),
                "months": _maybe(("map", _NUMBER)),
                "relative_days": _maybe(("map", _NUMBER)),
                "relative_months": _maybe(("map", _NUMBER)),
                "count_noun_endings": _maybe(_TERMS),
                "count_noun_stops": _maybe(_TERMS),
                "count_noun_partitives": _maybe(_TERMS),
                "fractions": _maybe(("map", _NUMBER)),
                "multiples": _maybe(("map", _NUMBER)),
                "multiple_verbs": _maybe(("map", _NUMBER)),
                "multiple_cues": _maybe(("map", _TERMS)),
                "spans_back": _maybe(_TERMS),
                "and_a_half": _maybe(_TERMS),
                "factor_phrases": _maybe(_TERMS),
                "number_format": _maybe(("map", _TEXT)),
            },
        )
    ),
    "entities": (
        "list",
        (
            "fields",
            ("canonical",),
            {
                "canonical": _TEXT,
                "kind": _TEXT,
                "role": _maybe(_TEXT),
                "aliases": _maybe(_TERMS),
            },
        ),
    ),
    "countries": (
        "map",
        _maybe(
            (
                "fields",
                (),
                {
                    "aliases": _maybe(_TERMS),
                    "capital": _maybe(_TEXT),
                    "capital_aliases": _maybe(_TERMS),
                    "government": _maybe(_TEXT),
                },
            )
        ),
    ),
    "metonyms": ("map", _TEXT),
}


def _shape_problem(value: Any, shape: Any, where: str) -> str | None:
    """What is wrong with ``value`` against ``shape`` (None when it fits)."""
    if isinstance(shape, tuple) and shape[0] == "maybe":
        return None if value is None else _shape_problem(value, shape[1], where)
    if value is None:
        return f"{where} is empty"
    if shape == "text":
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return f"{where} must be a word or name, not {_kind(value)}"
        if len(str(value)) > _MAX_TERM:  # terms compile into a regex trie, one level a letter
            return f"{where} is longer than {_MAX_TERM} characters"
        return None
    if shape == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"{where} must be a number, not {_kind(value)}"
    kind = shape[0]
    if kind == "map":
        if not isinstance(value, Mapping):
            return f"{where} must be a mapping, not {_kind(value)}"
        for key, item in value.items():
            problem = _shape_problem(item, shape[1], f"{where}.{key}")
            if problem:
                return problem
        return None
    if kind == "list":
        if not isinstance(value, list):
            return f"{where} must be a list, not {_kind(value)}"
        for i, item in enumerate(value):
            problem = _shape_problem(item, shape[1], f"{where}[{i}]")
            if problem:
                return problem
        return None
    if kind == "pair":
        if not isinstance(value, list) or len(value) != 2:
            return f"{where} must be a list of two items"
        return _shape_problem(value[0], shape[1], f"{where}[0]") or _shape_problem(
            value[1], shape[2], f"{where}[1]"
        )
    # "fields"
    if not isinstance(value, Mapping):
        return f"{where} must be a mapping, not {_kind(value)}"
    _, required, fields = shape
    for name in required:
        if name not in value:
            return f"{where} needs {name!r}"
    for name, item in value.items():
        if name not in fields:
            return f"{where} has an unknown field {name!r}; expected some of {', '.join(fields)}"
        problem = _shape_problem(item, fields[name], f"{where}.{name}")
        if problem:
            return problem
    return None


def _as_text(value: Any, shape: Any) -> Any:
    """``value`` (which fits ``shape``) with every term and name a string: YAML reads a term
    written ``0`` or ``2024`` as a number, and the patterns compiled from terms need text."""
    if isinstance(shape, tuple) and shape[0] == "maybe":
        return None if value is None else _as_text(value, shape[1])
    if shape == "text":
        return str(value)
    if shape == "number":
        return value
    kind = shape[0]
    if kind == "map":
        return {key: _as_text(item, shape[1]) for key, item in value.items()}
    if kind == "list":
        return [_as_text(item, shape[1]) for item in value]
    if kind == "pair":
        return [_as_text(value[0], shape[1]), _as_text(value[1], shape[2])]
    return {name: _as_text(item, shape[2][name]) for name, item in value.items()}  # "fields"


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def load_lexicon(extra_paths: Sequence[Path] = ()) -> Lexicon:
    """Load the packaged lexicons, then merge user files over them.

    Args:
        extra_paths: YAML files with the same sections as the packaged ones (see
            ``fidelity/lexicons/README.md``); lists are extended, mappings merged, so a file
            may add a language or a few terms.

    Returns:
        The compiled lexicon.

    Raises:
        ConfigError: a file is missing, not YAML, or has an unknown section.
    """
    merged: dict[str, Any] = {}
    sources: list[str] = []
    package = resources.files("fidelity") / "lexicons"
    for item in sorted(package.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            _merge(merged, _read(item.read_text(encoding="utf-8"), item.name, check=False))
            sources.append(f"fidelity/lexicons/{item.name}")
    for path in extra_paths:
        from fidelity.load.files import display_path, read_bounded

        try:
            # a regular file only, read to a bound: never a FIFO or /dev/zero
            text = read_bounded(path, LEXICON_MAX_BYTES, what="lexicon file").decode("utf-8-sig")
        except InputError as exc:
            raise ConfigError(f"{exc}; check the path") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: the lexicon file is not UTF-8 text") from exc
        _merge(merged, _read(text, display_path(path)))
        sources.append(display_path(path))
    return Lexicon(merged, sources)
