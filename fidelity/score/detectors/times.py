"""Times: a year, weekday, month or relative time replaced by another, or an ordering word
turned round ("after 2015" -> "before 2015")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from fidelity.score.base import Category, Divergence, Pair, Severity, find_all
from fidelity.score.lexical import lower_tokens_of
from fidelity.types import Span

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_RELATIVE = re.compile(
    r"\b(last|this|next|previous|coming|past)\s+(week|month|year|season|spring|summer|autumn|"
    r"fall|winter|weekend)\b|\b(yesterday|today|tomorrow|tonight)\b|\b(first|second) half\b",
    re.IGNORECASE,
)
_ORDER = {
    "before": "after",
    "after": "before",
    "earlier": "later",
    "later": "earlier",
    "until": "since",
    "since": "until",
}
_WEEKDAY_RE = re.compile(rf"\b(?:{'|'.join(_WEEKDAYS)})\b", re.IGNORECASE)
_MONTH_RE = re.compile(rf"\b(?:{'|'.join(m for m in _MONTHS if m != 'may')})\b", re.IGNORECASE)
_KINDS = ("year", "weekday", "month", "relative time")


@dataclass(frozen=True, slots=True)
class TimeDetector:
    """Only a difference on both sides counts (this side names a time the counterpart lacks
    and the counterpart names one this side lacks): adding or dropping a time is no change."""

    name: ClassVar[str] = "times"
    categories: ClassVar[tuple[Category, ...]] = (Category.TEMPORAL_CHANGED,)
    reads_words: ClassVar[bool] = True
    on_headlines: ClassVar[bool] = True

    anchor_chars: int = 25  # an ordering word's anchor is read within this many characters
    anchor_words: int = 2  # ... and is this many words that must be the same on both sides

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r = pair.derived, pair.reference
        mine_marks, their_marks = _time_marks(c.text), _time_marks(r.text)
        for mine, theirs, kind in zip(mine_marks, their_marks, _KINDS, strict=True):
            extra, missing = mine - theirs, theirs - mine
            if extra and missing:
                a, b = sorted(extra)[0], sorted(missing)[0]
                yield Divergence(
                    Category.TEMPORAL_CHANGED,
                    Severity.HIGH,
                    f"{kind} “{a}” where the counterpart has “{b}”",
                    c,
                    r,
                    find_all(c.text, a)[:1],
                    find_all(r.text, b)[:1],
                    detail=f"time:{kind}:{a}|{b}",
                )
                return
        c_words, r_words = lower_tokens_of(c.text), lower_tokens_of(r.text)
        for word, opposite in _ORDER.items():
            if (
                word in c_words
                and opposite in r_words
                and word not in r_words
                and (opposite not in c_words)
            ):
                # The same anchor must follow both words ("after 2015" / "before 2015").
                tok_a, tok_b = c_words[word], r_words[opposite]
                after_a = c.text[tok_a.end : tok_a.end + self.anchor_chars].split()
                after_b = r.text[tok_b.end : tok_b.end + self.anchor_chars].split()
                after_a, after_b = after_a[: self.anchor_words], after_b[: self.anchor_words]
                if after_a and after_a == after_b:
                    yield Divergence(
                        Category.TEMPORAL_CHANGED,
                        Severity.HIGH,
                        f"“{tok_a.text} {' '.join(after_a)}” where the counterpart has "
                        f"“{tok_b.text} {' '.join(after_b)}”",
                        c,
                        r,
                        (Span(tok_a.start, tok_a.end),),
                        (Span(tok_b.start, tok_b.end),),
                        detail=f"order:{word}|{opposite}",
                    )
                    return


@lru_cache(maxsize=65536)
def _time_marks(text: str) -> tuple[frozenset[str], ...]:
    """Years, weekdays, months ("May" left out: a modal too) and relative times in ``text``."""
    return (
        frozenset(_YEAR.findall(text)),
        frozenset(m.group().lower() for m in _WEEKDAY_RE.finditer(text)),
        frozenset(m.group().lower() for m in _MONTH_RE.finditer(text)),
        frozenset(m.group().lower() for m in _RELATIVE.finditer(text)),
    )
