"""Times: a year, weekday, month or relative time replaced by another, a time horizon changed
("in the coming weeks" where the counterpart has "in coming months", "next year" for "this
year"), or an ordering word turned round ("after 2015" -> "before 2015")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from fidelity.score.base import Category, Divergence, Pair, Severity, find_all
from fidelity.score.lexical import content_lemmas_of, lower_tokens_of
from fidelity.score.scope import Horizon, scope_words
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Span

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_KINDS = ("year", "weekday", "month", "relative time")
# Times and rates are no evidence that two clauses give the same amount.
_NOT_AMOUNTS = frozenset({"hour", "date", "year", "percent"})
_CLAUSE_STOP = re.compile(r"[,;:()]|[.!?](?:\s|$)")


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
        changed = _changed_horizon(c, r, pair.words)
        if changed is not None:
            (_, a_start, a_end), (_, b_start, b_end) = changed
            here, there = c.text[a_start:a_end], r.text[b_start:b_end]
            yield Divergence(
                Category.TEMPORAL_CHANGED,
                Severity.HIGH,
                f"time horizon “{here}” where the counterpart has “{there}”",
                c,
                r,
                (Span(a_start, a_end),),
                (Span(b_start, b_end),),
                detail=f"time:relative time:{' '.join(here.lower().split())}"
                f"|{' '.join(there.lower().split())}",
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


HorizonAt = tuple[Horizon, int, int]


def _changed_horizon(
    mine: Claim, theirs: Claim, words: Vocabulary
) -> tuple[HorizonAt, HorizonAt] | None:
    """A horizon of ``mine`` and one of ``theirs`` that differ in their unit ("weeks" /
    "months") or in the way they point ("next year" / "this year"), neither found on the
    other side, said of the same thing (their clauses share a content word, or each gives an
    amount of the same kind: "$700bn in the coming weeks" / "$500bn ... in coming months").
    "One week" / "several weeks" is no change ("next year" / "in the coming years")."""
    here, there = _horizons(mine.text, words.language), _horizons(theirs.text, words.language)
    here_keys = {(h.points, h.unit) for h, _, _ in here}
    there_keys = {(h.points, h.unit) for h, _, _ in there}
    for a in here:
        if (a[0].points, a[0].unit) in there_keys:
            continue
        for b in there:
            if (b[0].points, b[0].unit) in here_keys:
                continue
            if _clause_words(mine, a[1], words) & _clause_words(theirs, b[1], words):
                return a, b
    return None


@lru_cache(maxsize=65536)
def _horizons(text: str, language: str) -> tuple[HorizonAt, ...]:
    return tuple(scope_words(language).horizons(text))


def _clause_words(claim: Claim, at: int, words: Vocabulary) -> frozenset[str]:
    """The content lemmas of the clause of the claim around ``at`` (between commas, brackets
    and sentence ends), the time words left out, and the kinds of amount it gives ("#USD")."""
    text = claim.text
    start = max((m.end() for m in _CLAUSE_STOP.finditer(text, 0, at)), default=0)
    stop_at = _CLAUSE_STOP.search(text, at)
    stop = stop_at.start() if stop_at else len(text)
    clause = text[start:stop]
    for _, h_start, h_end in _horizons(clause, words.language):
        clause = clause[:h_start] + " " * (h_end - h_start) + clause[h_end:]
    amounts = {
        f"#{q.unit}"
        for q in claim.quantities
        if start <= q.span.start < stop and q.unit and q.unit not in _NOT_AMOUNTS
    }
    return content_lemmas_of(clause, words) | amounts


@lru_cache(maxsize=65536)
def _time_marks(text: str, words: Vocabulary) -> tuple[frozenset[str], ...]:
    """Years, weekdays, months (ambiguous ones like "May" left out) and relative times (those
    inside a horizon, "next year", are compared as horizons)."""
    horizons = [(s, e) for _, s, e in _horizons(text, words.language)]
    return (
        frozenset(_YEAR.findall(text)),
        frozenset(m.group().lower() for m in words.weekdays.finditer(text)),
        frozenset(m.group().lower() for m in words.months.finditer(text)),
        frozenset(
            m.group().lower()
            for m in words.relative_times.finditer(text)
            if not any(s < m.end() and m.start() < e for s, e in horizons)
        ),
    )
