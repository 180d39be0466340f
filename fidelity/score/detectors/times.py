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
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Span

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
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
        mine_marks, their_marks = _time_marks(c.text, pair.words), _time_marks(r.text, pair.words)
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
        c_words, r_words = lower_tokens_of(c.text, pair.words), lower_tokens_of(r.text, pair.words)
        for word, opposite in pair.words.time_order.items():
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
def _time_marks(text: str, words: Vocabulary) -> tuple[frozenset[str], ...]:
    """Years, weekdays, months (ambiguous ones like "May" left out) and relative times."""
    return (
        frozenset(_YEAR.findall(text)),
        frozenset(m.group().lower() for m in words.weekdays.finditer(text)),
        frozenset(m.group().lower() for m in words.months.finditer(text)),
        frozenset(m.group().lower() for m in words.relative_times.finditer(text)),
    )
