"""Entities: another person, organisation or place in an otherwise identical statement.

A name counts as swapped when the other sentence names it in no way and names another one of
the same kind, or one of a kind the extract stage could not tell, in the same place of the
sentence ("Starts in the Midwest fell" / "Starts in the Northeast fell"). A word the two names
share does not make them one ("the Labor Department" / "the Commerce Department", "Northern
Yakutia" / "Central Yakutia"); a name whose words the other's contain does ("Macron" /
"President Emmanuel Macron", "Utrecht" / "FC Utrecht"), and so do one spelling for another
("Tsipras" / "Tsípras"), a demonym for its country ("Dutch" / "the Netherlands") and an
acronym for its words ("FDA"). A compass word against another ("in the south" / "in the
north") is another place.

Not a change: a body or officer of an organisation against the organisation ("the Governing
Council" / "the ECB", "the Committee" / "the Fed", "its spokeswoman" / "the ministry"): a name
made only of generic words names no one in particular, so it cannot be another one. A city
before the noun of its club or firm describes it ("the Lisbon club" / "Sporting"). Who said a
statement is attribution's: a speaker's own name is left to it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from fidelity.extract.entities import DATELINE
from fidelity.score.base import Category, Divergence, Pair, Severity, find_all
from fidelity.score.lexical import normalised
from fidelity.text.translit import name_key
from fidelity.types import Claim, Entity, Span, Speaker

_NAME_WORD = re.compile(r"[^\W\d_]{3,}")
_KINDS = ("person", "organisation", "place", "unknown")
_TOKEN = re.compile(r"[^\W_]+|[,.;:()]")

# A place name before one of these nouns describes the body ("the Lisbon club", "the Dutch
# side", "the Munich-based carmaker"): it is not a name of its own.
_DESCRIBED = frozenset(
    [
        "club",
        "side",
        "team",
        "outfit",
        "firm",
        "company",
        "group",
        "lender",
        "bank",
        "insurer",
        "carmaker",
        "automaker",
        "airline",
        "operator",
        "retailer",
        "giant",
        "startup",
        "start-up",
        "government",
        "authorities",
        "officials",
        "council",
        "daily",
        "newspaper",
    ]
)

# Compass words as (east, north) components; "central" is a direction of its own.
_COMPASS: dict[str, tuple[int, int] | None] = {}
for _word, _vector in (
    ("north", (0, 1)),
    ("south", (0, -1)),
    ("east", (1, 0)),
    ("west", (-1, 0)),
    ("northeast", (1, 1)),
    ("northwest", (-1, 1)),
    ("southeast", (1, -1)),
    ("southwest", (-1, -1)),
):
    for _form in (_word, _word + "ern"):
        _COMPASS[_form] = _vector
        if len(_word) > 5:  # north-east, south-western
            _COMPASS[_word[:5] + "-" + _form[5:]] = _vector
for _form in ("central", "centre", "center"):
    _COMPASS[_form] = None
_COMPASS_WORD = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _COMPASS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)

# Demonyms whose country is not their stem ("Dutch" / "the Netherlands").
_DEMONYMS = {
    "dutch": ("netherlands", "holland"),
    "british": ("britain", "uk"),
    "english": ("england",),
    "scottish": ("scotland",),
    "welsh": ("wales",),
    "irish": ("ireland",),
    "french": ("france",),
    "swiss": ("switzerland",),
    "danish": ("denmark",),
    "swedish": ("sweden",),
    "finnish": ("finland",),
    "norwegian": ("norway",),
    "polish": ("poland",),
    "greek": ("greece",),
    "spanish": ("spain",),
    "turkish": ("turkey", "türkiye", "turkiye"),
    "american": ("america", "us", "usa"),
    "emirati": ("emirates", "uae"),
    "saudi": ("arabia",),
    "czech": ("czechia",),
    "belgian": ("belgium",),
    "portuguese": ("portugal",),
    "chinese": ("china",),
    "japanese": ("japan",),
}
_DEMONYM_ENDINGS = frozenset(["n", "an", "ian", "ese", "ish", "i", "ic", "y", "s"])


@dataclass(frozen=True, slots=True)
class EntityDetector:
    name: ClassVar[str] = "entities"
    categories: ClassVar[tuple[Category, ...]] = (Category.ENTITY_SWAPPED,)
    reads_words: ClassVar[bool] = True
    on_headlines: ClassVar[bool] = True

    # A swap needs the rest of the two sentences to say the same thing: their similarity
    # with the names taken out (token-set ratio, 0-100) at least this.
    masked_similarity: float = 60.0
    # Two names of one type ("the Champions League" / "the Europa League") in sentences alike
    # at least this much (the type word is the evidence the masked text lacks).
    type_similarity: float = 50.0

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r = pair.derived, pair.reference
        generic = pair.words.generic_speakers | pair.words.stop_words
        c_extra = _extra(c, r, generic)
        r_extra = _extra(r, c, generic)
        compass = _compass_swaps(c, r)
        if not ((c_extra and r_extra) or compass):
            return
        masked = _masked_similarity(c, r)
        if masked < min(self.masked_similarity, self.type_similarity):
            return
        done: set[str] = set()
        c_said, r_said = _speaker_spans(c), _speaker_spans(r)
        for e in c_extra:
            # who says it is attribution's: a name in the words naming a speaker counts only
            # against a name in the same place ("said Fiji's climate minister" / "said
            # Samoa's climate minister"), not against another speaker
            said = any(e.span.overlaps(s) for s in c_said)
            others = [o for o in r_extra if not any(o.span.overlaps(s) for s in r_said)]
            if said:
                o = next(
                    (
                        o
                        for o in r_extra
                        if _kinds_fit(e.kind, o.kind)
                        and _same_slot(c, e.span, r, o.span, strict=True)
                    ),
                    None,
                )
            else:
                o = _counterpart(e, c, r, others)
            if o is None:
                continue
            if masked < self.masked_similarity and not _one_type(e, c, o, r):
                continue
            if _part_of(c, e.span) != _part_of(r, o.span):
                continue  # a place by its name or as a part of another ("southwestern China")
            kind = e.kind if e.kind != "unknown" else o.kind
            if kind in done:
                continue
            done.add(kind)
            yield Divergence(
                Category.ENTITY_SWAPPED,
                Severity.MEDIUM if kind in ("place", "unknown") else Severity.HIGH,
                f"“{e.span.of(c.text)}” where the counterpart has “{o.span.of(r.text)}”",
                c,
                r,
                (e.span,),
                (o.span,),
                detail=f"ent:{kind}:{e.canonical}>{o.canonical}",
            )
        if "place" in done or "unknown" in done or masked < self.masked_similarity:
            return
        for mine, theirs in compass[:1]:
            yield Divergence(
                Category.ENTITY_SWAPPED,
                Severity.MEDIUM,
                f"“{mine.of(c.text)}” where the counterpart has “{theirs.of(r.text)}”",
                c,
                r,
                (mine,),
                (theirs,),
                detail=f"ent:place:{mine.of(c.text).lower()}>{theirs.of(r.text).lower()}",
            )


def _counterpart(
    e: Entity, claim: Claim, other: Claim, candidates: Sequence[Entity]
) -> Entity | None:
    """The other sentence's name that ``e`` stands in for: one of the same known kind, else
    one of a kind that fits (one of the two unknown) in the same place of the sentence."""
    same = [o for o in candidates if o.kind == e.kind and e.kind != "unknown"]
    if same:
        slotted = [o for o in same if _same_slot(claim, e.span, other, o.span)]
        return (slotted or same)[0]
    fitting = [o for o in candidates if _kinds_fit(e.kind, o.kind)]
    return next((o for o in fitting if _same_slot(claim, e.span, other, o.span)), None)


def _one_type(e: Entity, claim: Claim, o: Entity, other: Claim) -> bool:
    """Whether two names of several words begin or end with the same word ("River Severn" /
    "River Teme", "Champions League" / "Europa League")."""
    mine = [_fold(w) for w in _NAME_WORD.findall(e.span.of(claim.text))]
    theirs = [_fold(w) for w in _NAME_WORD.findall(o.span.of(other.text))]
    if len(mine) < 2 or len(theirs) < 2:
        return False
    return mine[0] == theirs[0] or mine[-1] == theirs[-1]


def _kinds_fit(a: str, b: str) -> bool:
    return a == b or "unknown" in (a, b)


def _extra(claim: Claim, other: Claim, generic: frozenset[str]) -> list[Entity]:
    """The entities of ``claim`` that ``other`` names in no way (speakers' own names aside,
    bodies named only in generic words, and places describing a body)."""
    speakers = _speakers(claim)
    dateline = DATELINE.match(claim.text)
    out: list[Entity] = []
    for e in claim.entities:
        if e.kind not in _KINDS or _speaker_name(e, claim, speakers):
            continue
        if dateline is not None and e.span.start < dateline.end():
            continue  # where the story was filed, not where it happened
        surface = e.span.of(claim.text)
        words = _entity_words(surface, e.canonical)
        if words and words <= generic:
            continue
        if len(set(surface.lower()) - {" ", "."}) == 1:
            continue  # a redaction ("XXXX"), not a name
        if e.kind in ("place", "unknown") and _describes(claim.text, e.span):
            continue
        if _named_in(e, claim, other, generic):
            continue
        out.append(e)
    return out


def _named_in(e: Entity, claim: Claim, other: Claim, generic: frozenset[str]) -> bool:
    """Whether ``other`` names ``e``: the same canonical name, a name whose words hold its
    words or are held by them, its acronym or spelled-out words, or one of its own words
    standing outside the other's names ("the ministry" for "the Russian Foreign Ministry")."""
    surface = e.span.of(claim.text)
    mine = _proper(surface, e.canonical, generic)
    for o in other.entities:
        if o.canonical.lower() == e.canonical.lower():
            return True
        o_surface = o.span.of(other.text)
        theirs = _proper(o_surface, o.canonical, generic)
        if mine and theirs and (_held(mine, theirs) or _held(theirs, mine)):
            return True
        if any(_acronym_of(surface, n) for n in (o_surface, o.canonical)) or any(
            _acronym_of(o_surface, n) for n in (surface, e.canonical)
        ):
            return True
    if _spelled_out(surface, other.text.lower()):
        return True
    free = _free_words(other)
    return any(any(_same_word(w, f) for f in free) for w in mine)


def _held(words: frozenset[str], within: frozenset[str]) -> bool:
    """Whether every word of ``words`` is one of ``within``; in a name of several words of
    which one is the same, a word may be another form of the same stem, as two translations
    give it ("Russian Science Foundation" / "Russian Scientific Foundation")."""
    same = {w for w in words if any(_same_word(w, x) for x in within)}
    if same == words:
        return True
    return bool(same) and all(any(_same_stem(w, x) for x in within) for w in words - same)


def _same_stem(a: str, b: str) -> bool:
    """Two forms of one stem: a shared beginning of five letters or more, most of the shorter
    word ("science" / "scientific"); compass words are directions, not stems ("Northern" /
    "Northeast")."""
    if a in _COMPASS or b in _COMPASS:
        return False
    shared = next(
        (k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return shared >= 5 and shared >= 0.7 * min(len(a), len(b))


def _proper(surface: str, canonical: str, generic: frozenset[str]) -> frozenset[str]:
    words = _entity_words(surface, canonical)
    return words - generic or words


def _free_words(claim: Claim) -> list[str]:
    """The words of ``claim`` outside its names."""
    text = claim.text
    for e in sorted(claim.entities, key=lambda e: e.span.start, reverse=True):
        text = text[: e.span.start] + " " + text[e.span.end :]
    return [_fold(w) for w in _NAME_WORD.findall(text)]


@lru_cache(maxsize=65536)
def _same_word(a: str, b: str) -> bool:
    """One name word for another: the same letters accents aside, the same transliteration
    key ("Zelensky" / "Zelenskyy"), or a demonym and its country ("Dutch" / "Netherlands",
    "Russian" / "Russia")."""
    if a == b:
        return True
    if len(a) >= 4 and len(b) >= 4 and name_key(a) == name_key(b):
        return True
    if b in _DEMONYMS.get(a, ()) or a in _DEMONYMS.get(b, ()):
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and len(long_) >= 2 * len(short) and _abbreviates(short, long_):
        return True  # a clipped form: "Fed" / "Federal", "Utd" / "United"
    for stem in (short, short[:-1]):
        if len(stem) >= 4 and long_.startswith(stem) and long_[len(stem) :] in _DEMONYM_ENDINGS:
            return True  # Russia / Russian, Ukraine / Ukrainian, Germany / German
    return False


def _abbreviates(short: str, word: str) -> bool:
    """Whether ``short`` is ``word`` clipped ("fed" / "federal") or with letters left out
    ("utd" / "united", "govt" / "government"): its first letter, then its others in order."""
    if word.startswith(short):
        return True
    if len(short) > 4 or short[0] != word[0]:
        return False
    it = iter(word[1:])
    return all(ch in it for ch in short[1:])


def _acronym_of(surface: str, name: str) -> bool:
    """Whether ``surface`` ("ECDC") is made of initials of the words of ``name``, in order,
    small words aside ("European Centre for Disease Prevention and Control")."""
    surface = surface.strip()
    letters = surface.lower()
    if not (
        2 <= len(letters) <= 6 and surface.isalpha() and sum(ch.isupper() for ch in surface) >= 2
    ):
        return False
    minor = _MINOR if surface.isupper() else frozenset()  # "BoE": Bank of England
    initials = [w[0].lower() for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in minor]
    for start, initial in enumerate(initials):
        rest = initials[start:]
        if initial == letters[0] and len(letters) <= len(rest) <= len(letters) + 2:
            it = iter(rest)
            if all(ch in it for ch in letters):
                return True
    # an acronym of the name in its own language ("FSB" / "Federal Security Service"): its
    # first two letters begin the translated name's initials, of about as many words
    return (
        len(initials) >= 2
        and abs(len(initials) - len(letters)) <= 1
        and initials[0] == letters[0]
        and letters[1] in initials[1:]
    )


_MINOR = frozenset({"of", "for", "the", "and", "on", "de", "des", "du", "la", "le", "der"})


def _spelled_out(surface: str, other_text: str) -> bool:
    """Whether an acronym ("APP") stands spelled out in the other text as the initials of
    consecutive words ("asset purchase programme"), small words aside."""
    letters = surface.strip()
    if not (3 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return False
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", other_text) if w not in _MINOR)
    return letters.lower() in initials


def _describes(text: str, span: Span) -> bool:
    """A place name before the noun of the body it describes ("the Lisbon club's")."""
    after = re.match(r"(?:-based)?\s+([a-z-]+)", text[span.end :])
    return after is not None and after.group(1) in _DESCRIBED


@lru_cache(maxsize=65536)
def _entity_words(surface: str, canonical: str) -> frozenset[str]:
    """Lower-cased words (3+ letters, accents folded) of an entity as written and of its
    canonical name."""
    return frozenset(_fold(w) for w in _NAME_WORD.findall(f"{surface} {canonical}"))


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _speakers(claim: Claim) -> list[tuple[Speaker, list[Span]]]:
    out = []
    for sp in [claim.attribution] + [q.speaker for q in claim.quotes]:
        if sp is not None and sp.surface:
            out.append((sp, list(find_all(claim.text, sp.surface))))
    return out


def _speaker_spans(claim: Claim) -> list[Span]:
    return [span for _, spans in _speakers(claim) for span in spans]


def _speaker_name(e: Entity, claim: Claim, speakers: list[tuple[Speaker, list[Span]]]) -> bool:
    """Whether ``e`` names a person who says the claim (attribution's to compare); a place or
    body that describes a speaker ("Fiji's climate minister") is not one."""
    for sp, spans in speakers:
        if not any(e.span.overlaps(s) for s in spans):
            continue
        if e.kind == "person" or (
            sp.kind == "person"
            and _entity_words(e.span.of(claim.text), e.canonical) == _entity_words(sp.name, sp.name)
        ):
            return True
    return False


def _tokens(text: str) -> list[str]:
    return [_fold(t) for t in _TOKEN.findall(text)]


def _context(text: str, span: Span, width: int = 3) -> tuple[list[str], list[str]]:
    before = ["<s>", *_tokens(text[: span.start])][-width:]
    after = re.sub(r"^['’]s\b", "", text[span.end :])
    return before, [*_tokens(after), "</s>"][:width]


def _same_slot(
    claim: Claim, span: Span, other: Claim, other_span: Span, *, strict: bool = False
) -> bool:
    """Whether two names stand in the same place of their sentences: their neighbours on
    either side are alike ("starts in the _ fell 11.4%"); ``strict``: both next words are
    the same ("the _ said", "said _'s climate minister")."""
    left, right = _context(claim.text, span)
    o_left, o_right = _context(other.text, other_span)
    if strict:
        return left[-1] == o_left[-1] and right[0] == o_right[0]
    shared = len(set(left) & set(o_left)) + len(set(right) & set(o_right))
    return shared >= 2 and (left[-1] == o_left[-1] or right[0] == o_right[0])


def _compass_swaps(c: Claim, r: Claim) -> list[tuple[Span, Span]]:
    """A compass word of ``c`` where ``r`` has another direction in the same place ("sowing
    in the south" / "yields in the north"), and no word of ``r`` points the same way."""
    mine = _compass_words(c)
    theirs = _compass_words(r)
    if not mine or not theirs:
        return []
    out = []
    for span, vector in mine:
        if any(_directions_fit(vector, v) for _, v in theirs):
            continue
        for o_span, o_vector in theirs:
            if not any(_directions_fit(o_vector, v) for _, v in mine) and _same_slot(
                c, span, r, o_span
            ):
                out.append((span, o_span))
                break
    return out


_PARTS = frozenset(["capital", "coast", "border", "region", "regions", "province", "provinces"])


def _part_of(claim: Claim, span: Span) -> bool:
    """Whether a name stands for a part of the place it names: after a compass word, in it
    or before it ("Northern Yakutia", "the central United States"; not "the Northeast"), or
    as the owner of a part ("Ukraine's capital", "the capital of Ukraine")."""
    text = claim.text
    words = [w.lower() for w in re.findall(r"[\w-]+", span.of(text))]
    before = re.search(r"([\w-]+)(\s+of(?:\s+the)?)?\s+$", text[: span.start])
    after = re.match(r"['’]s\s+([\w-]+)", text[span.end :])
    if before and before.group(2):
        part = before.group(1).lower()
        modifiers = [part] if part in _PARTS or part in _COMPASS else []
    else:
        modifiers = [before.group(1).lower()] if before else []
    modifiers += words[:-1]
    if after:
        modifiers.append(after.group(1).lower())
    return any(w in _COMPASS or w in _PARTS for w in modifiers)


def _compass_words(claim: Claim) -> list[tuple[Span, tuple[int, int] | None]]:
    out = []
    for m in _COMPASS_WORD.finditer(claim.text):
        span = Span(m.start(), m.end())
        if not any(span.overlaps(e.span) for e in claim.entities):
            out.append((span, _COMPASS[m.group(1).lower()]))
    return out


def _directions_fit(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """The same direction, or one within the other ("north" / "north-east")."""
    if a is None or b is None:
        return a is None and b is None
    pairs = list(zip(a, b, strict=True))
    return all(x in (y, 0) for x, y in pairs) or all(y in (x, 0) for x, y in pairs)


def _masked_similarity(c: Claim, r: Claim) -> float:
    """How alike two claims are once their named entities are taken out (0-100)."""
    from rapidfuzz import fuzz

    def masked(claim: Claim) -> str:
        text = claim.text
        for e in sorted(claim.entities, key=lambda e: e.span.start, reverse=True):
            text = text[: e.span.start] + " " + text[e.span.end :]
        return normalised(text)

    return float(fuzz.token_set_ratio(masked(c), masked(r)))
