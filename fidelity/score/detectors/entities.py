"""Entities: another person, organisation or place in an otherwise identical statement.

Not a change: a body or officer of an organisation against the organisation ("the Governing
Council" / "the ECB", "the Committee" / "the Fed", "its spokeswoman" / "the ministry"): a name
made only of generic words names no one in particular, so it cannot be another one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from fidelity.score.base import Category, Divergence, Pair, Severity, find_all
from fidelity.score.lexical import normalised
from fidelity.types import Claim, Entity, Span

_NAME_WORD = re.compile(r"[^\W\d_]{3,}")
_KINDS = ("person", "organisation", "place")


@dataclass(frozen=True, slots=True)
class EntityDetector:
    name: ClassVar[str] = "entities"
    categories: ClassVar[tuple[Category, ...]] = (Category.ENTITY_SWAPPED,)
    reads_words: ClassVar[bool] = True
    on_headlines: ClassVar[bool] = True

    # A swap needs the rest of the two sentences to say the same thing: their similarity
    # with the names taken out (token-set ratio, 0-100) at least this.
    masked_similarity: float = 60.0

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r = pair.derived, pair.reference
        generic = pair.words.generic_speakers | pair.words.stop_words
        c_extra = _extra(c, _speaker_spans(c), r.text.lower(), r, generic)
        r_extra = _extra(r, _speaker_spans(r), c.text.lower(), c, generic)
        if not (set(c_extra) & set(r_extra)) or _masked_similarity(c, r) < self.masked_similarity:
            return
        for kind, e in c_extra.items():
            if kind in r_extra:
                o = r_extra[kind]
                yield Divergence(
                    Category.ENTITY_SWAPPED,
                    Severity.MEDIUM if kind == "place" else Severity.HIGH,
                    f"{e.span.of(c.text)} where the counterpart has {o.span.of(r.text)}",
                    c,
                    r,
                    (e.span,),
                    (o.span,),
                    detail=f"ent:{kind}:{e.canonical}>{o.canonical}",
                )


def _extra(
    claim: Claim, skip: list[Span], other_text: str, other: Claim, generic: frozenset[str]
) -> dict[str, Entity]:
    """The first entity of each kind that the other claim names in no way (speakers aside,
    and bodies named only in generic words: "the Governing Council"). A generic word the
    other claim shares names nothing: "the Labor Department" is not named by "the Commerce
    Department"."""
    out: dict[str, Entity] = {}
    for e in claim.entities:
        if e.kind not in _KINDS or any(e.span.overlaps(s) for s in skip):
            continue
        words = _entity_words(e.span.of(claim.text), e.canonical)
        if words and words <= generic:
            continue
        proper = words - generic or words
        if any(w in other_text for w in proper) or _spelled_out(e.span.of(claim.text), other_text):
            continue
        if any(e.canonical == o.canonical for o in other.entities):
            continue
        out.setdefault(e.kind, e)
    return out


_MINOR = frozenset({"of", "for", "the", "and", "on", "de", "des", "du", "la", "le", "der"})


def _spelled_out(surface: str, other_text: str) -> bool:
    """Whether an acronym ("APP") stands spelled out in the other text as the initials of
    consecutive words ("asset purchase programme"), small words aside."""
    letters = surface.strip()
    if not (3 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return False
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", other_text) if w not in _MINOR)
    return letters.lower() in initials


@lru_cache(maxsize=65536)
def _entity_words(surface: str, canonical: str) -> frozenset[str]:
    """Lower-cased words (3+ letters) of an entity as written and of its canonical name."""
    return frozenset(w.lower() for w in _NAME_WORD.findall(f"{surface} {canonical}"))


def _speaker_spans(claim: Claim) -> list[Span]:
    spans: list[Span] = []
    for sp in [claim.attribution] + [q.speaker for q in claim.quotes]:
        if sp is not None and sp.surface:
            spans.extend(find_all(claim.text, sp.surface))
    return spans


def _masked_similarity(c: Claim, r: Claim) -> float:
    """How alike two claims are once their named entities are taken out (0-100)."""
    from rapidfuzz import fuzz

    def masked(claim: Claim) -> str:
        text = claim.text
        for e in sorted(claim.entities, key=lambda e: e.span.start, reverse=True):
            text = text[: e.span.start] + " " + text[e.span.end :]
        return normalised(text)

    return float(fuzz.token_set_ratio(masked(c), masked(r)))
