"""Omissions: a caveat, condition or limit of the counterpart's sentence left out of the
retelling, a scope qualifier of it dropped (a part made the whole, "cases outside China" made
all cases, "present or lower levels" made "present levels"), and a whole source sentence
carrying a caveat or dissent with no counterpart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Pair, Severity
from fidelity.score.lexical import Token, clauses, content_lemmas_of, lemma, tokens_of
from fidelity.score.scope import QualifierGroup, scope_words
from fidelity.types import Span


@dataclass(frozen=True, slots=True)
class DroppedClauseDetector:
    """A caveat, condition or limit of the counterpart that this claim leaves out (and that
    the rest of the article, ``Pair.context``, does not carry either)."""

    name: ClassVar[str] = "dropped_clauses"
    categories: ClassVar[tuple[Category, ...]] = (Category.OMISSION,)
    reads_words: ClassVar[bool] = True
    on_headlines: ClassVar[bool] = False  # a headline leaves out by nature

    min_words: int = 2  # content words a caveat clause needs to count
    min_words_kept: int = 3  # ... and to be judged by the share kept
    kept: float = 0.34  # share of the clause's words here at which it counts as kept
    elsewhere: float = 0.5  # share found elsewhere in the article at which it is not lost
    rest: float = 0.4  # share of the rest of the counterpart that must be here (a true match)

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r, words = pair.derived, pair.reference, pair.words
        ct, rt = tokens_of(c.text, words), tokens_of(r.text, words)
        c_lemmas = content_lemmas_of(c.text, words)
        for start, end, opener in clauses(r.text, words.caveats):
            inside = {t.lemma for t in rt if t.content and start <= t.start < end}
            inside -= {lemma(w, words) for w in opener.split()}
            if len(inside) < self.min_words:
                continue
            kept = len(inside & c_lemmas) / len(inside)
            if kept >= self.kept or len(inside) < self.min_words_kept or opener in c.text.lower():
                continue
            if len(inside & pair.context) / len(inside) >= self.elsewhere:
                continue  # said elsewhere in the article
            if opener in words.conditions and not any(t.lower in words.hedges for t in ct):
                continue  # reported as a certainty shift (a condition stated as fact)
            rest = {t.lemma for t in rt if t.content and not start <= t.start < end}
            if not rest or len(rest & c_lemmas) / len(rest) < self.rest:
                continue
            yield Divergence(
                Category.OMISSION,
                Severity.MEDIUM,
                f"leaves out the counterpart's “{r.text[start:end].strip()}”",
                c,
                r,
                (),
                (Span(start, end),),
                detail=f"clause:{start}",
            )
            return


@dataclass(frozen=True, slots=True)
class DroppedQualifierDetector:
    """A scope qualifier of the counterpart (``lexicons/score/scope.yaml``) that this claim
    drops while it retells the words the qualifier narrows: "part of the holdings" told as
    "the holdings", "cases outside China" as "cases", "for now" left off a measure.

    The qualifier counts as kept where a word of its kind stands near the qualified words here
    ("beyond China", "some of the holdings"), where the place it leaves out is named here, or
    where the rest of the article carries its words (moved to another sentence)."""

    name: ClassVar[str] = "dropped_qualifiers"
    categories: ClassVar[tuple[Category, ...]] = (Category.OMISSION,)
    reads_words: ClassVar[bool] = True
    on_headlines: ClassVar[bool] = False  # a headline leaves out by nature

    governed: int = 2  # content words each side of the qualifier, in its clause, it narrows
    phrase: int = 4  # ... after it, where it governs what follows ("part of [credit ...]")
    window: int = 4  # content words each side of the qualifier, in its clause, that place it
    anchored: float = 0.5  # ... and the share of them this claim must retell
    min_anchored: int = 2  # ... at the least
    near: int = 5  # a kept word this many words from the qualified ones keeps the limit
    object_words: int = 3  # the most words of what an exclusion names ("outside [China]")

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r, words = pair.derived, pair.reference, pair.words
        groups = scope_words(words.language).qualifiers
        if not groups:
            return
        ct, rt = tokens_of(c.text, words), tokens_of(r.text, words)
        c_lemmas = content_lemmas_of(c.text, words)
        for group in groups:
            for m in group.marks.finditer(r.text):
                found = self._dropped(group, m.start(), m.end(), pair, ct, rt, c_lemmas)
                if found is None:
                    continue
                r_span, c_span, q_end = found
                yield Divergence(
                    Category.OMISSION,
                    Severity.MEDIUM,
                    f"“{c.text[c_span.start : c_span.end]}” without the counterpart's "
                    f"“{r.text[m.start() : q_end]}” "
                    f"(in “{r.text[r_span.start : r_span.end]}”): {group.why}",
                    c,
                    r,
                    (c_span,),
                    (Span(m.start(), m.end()),),
                    detail=f"qualifier:{group.name}:{' '.join(m.group().lower().split())}",
                )
                return

    def _dropped(
        self,
        group: QualifierGroup,
        start: int,
        end: int,
        pair: Pair,
        ct: tuple[Token, ...],
        rt: tuple[Token, ...],
        c_lemmas: frozenset[str],
    ) -> tuple[Span, Span, int] | None:
        """(the counterpart's qualified passage, the retold words, where the qualifier and
        what it names end) where the qualifier at ``start:end`` of the counterpart is lost
        here, else None."""
        r = pair.reference
        mark = " ".join(r.text[start:end].lower().split())
        before = [t for t in rt if t.content and t.end <= start]
        after = [t for t in rt if t.start >= end]
        if group.name == "disjunct" and _numeric(rt, start):
            return None  # "10 or more": a figure's bound, read by the number detector
        obj: list[Token] = []
        if group.names_object:
            obj = _object(after, r.text, self.object_words, proper=mark in group.proper)
            if not obj:
                return None
            if {t.lemma for t in obj if t.content} & c_lemmas:
                return None  # the place or group left out is named here ("beyond China")
        after = [t for t in after if t.content and t not in obj]
        ends = pair.words.scope_ends
        left = _phrase(before[::-1], r.text, start, self.governed, ends)
        most = self.phrase if group.governs == "after" else self.governed
        right = _phrase(after, r.text, end, most, ends)
        # The words the qualifier narrows, in its clause ("initially [employ]" is not "[open]
        # in May and initially employ"); around it, either side retold will do.
        sides = {"after": [right], "before": [left], "around": [left, right]}[group.governs]
        sides = [side for side in sides if side]
        retold = sorted(
            i
            for i, t in enumerate(ct)
            if t.content and t.lemma in {g.lemma for side in sides for g in side}
        )
        # The figure an exclusion narrows, given here too ("cases outside China rose 13-fold"
        # / "the outbreak multiplied by 13"): the same statement, whatever its words.
        figure = _same_figure(pair, ct, end) if group.names_object else None
        if figure is not None:
            retold = sorted({*retold, figure})
        if not retold:
            return None  # the qualified words are not retold here
        governed = [t for side in sides for t in side]
        around = {
            t.lemma
            for t in _phrase(before[::-1], r.text, start, self.window, ends)
            + _phrase(after, r.text, end, self.window, ends)
        }
        shared = len(around & c_lemmas)
        if figure is None and (shared < self.min_anchored or shared < self.anchored * len(around)):
            return None  # another part of the counterpart
        if _retells_another_clause(pair, c_lemmas, start):
            return None  # this claim retells another clause of the counterpart's sentence
        for k in group.kept.finditer(pair.derived.text):
            at = next((i for i, t in enumerate(ct) if t.end > k.start()), len(ct))
            if group.names_object or min(abs(at - i) for i in retold) <= self.near:
                # rendered near the qualified words ("some of"); an exclusion anywhere in
                # the claim ("non-EU", "beyond China")
                return None
        own = {t.lemma for t in rt if t.content and start <= t.start < end}
        own |= {t.lemma for t in obj if t.content}
        if own and own <= pair.context and not own <= c_lemmas:
            return None  # said in another sentence of the article
        if group.names_object and own & pair.context and group.kept_words & pair.context:
            return None  # "outside China" moved to another sentence, in other words
        spread = [*governed, *obj, *[t for t in rt if start <= t.start < end]]
        r_span = Span(min(t.start for t in spread), max(t.end for t in spread))
        c_span = Span(ct[retold[0]].start, ct[retold[-1]].end)
        return r_span, c_span, max([end, *(t.end for t in obj)])


def _phrase(
    words: list[Token], text: str, edge: int, most: int, joiners: frozenset[str]
) -> list[Token]:
    """The first ``most`` of ``words`` read from ``edge`` (backwards where ``words`` run
    backwards), up to a comma, bracket or clause word ("and", "but") between two of them."""
    out: list[Token] = []
    last = edge
    for t in words:
        gap = text[t.end : last] if t.end <= last else text[last : t.start]
        if any(ch in ",;:.()" for ch in gap) or joiners & set(gap.lower().split()):
            break
        out.append(t)
        last = t.start if t.end <= last else t.end
        if len(out) >= most:
            break
    return sorted(out, key=lambda t: t.start)


_CLAUSE_STOP = re.compile(r"[,;:()]|[.!?](?:\s|$)")
# times place a statement, they are not its figure
_NOT_FIGURES = frozenset({"hour", "date", "year", "month-of-year"})
_NAMED = re.compile(r"[^\W\d_]-$")  # a number in a name: "COVID-19", "G-20"


def _same_figure(pair: Pair, ct: tuple[Token, ...], end: int) -> int | None:
    """Where this claim gives a figure (not a time) that the counterpart gives after its
    qualifier ending at ``end``, in the same clause: the index of its first word in ``ct``,
    else None."""
    r, c = pair.reference, pair.derived
    stop_at = _CLAUSE_STOP.search(r.text, end)
    stop = stop_at.start() if stop_at else len(r.text)
    theirs = {
        (q.value, q.unit)
        for q in r.quantities
        if end <= q.span.start < stop
        and q.unit not in _NOT_FIGURES
        and not _NAMED.search(r.text, 0, q.span.start)
    }
    for q in c.quantities:
        if (q.value, q.unit) in theirs and not _NAMED.search(c.text, 0, q.span.start):
            return next((i for i, t in enumerate(ct) if t.end > q.span.start), None)
    return None


def _retells_another_clause(pair: Pair, c_lemmas: frozenset[str], at: int) -> bool:
    """The counterpart's sentence joins clauses (", and", "; but") and this claim shares more
    content words with another of them than with the clause at ``at``."""
    r, words = pair.reference, pair.words
    joiners = "|".join(sorted(map(re.escape, words.scope_ends)))
    cuts = [m.start() for m in re.finditer(rf"[,;]\s*(?:{joiners})\b|;", r.text, re.IGNORECASE)]
    if not cuts:
        return False
    spans = list(pairwise([0, *cuts, len(r.text)]))
    shared = [len(content_lemmas_of(r.text[a:b], words) & c_lemmas) for a, b in spans]
    mine = next(i for i, (a, b) in enumerate(spans) if a <= at < b)
    return max(shared) > shared[mine]


def _numeric(tokens: tuple[Token, ...], start: int) -> bool:
    """The word right before ``start`` is a figure ("10 or more")."""
    prev = [t for t in tokens if t.end <= start]
    return bool(prev) and any(ch.isdigit() for ch in prev[-1].text)


def _object(after: list[Token], text: str, most: int, *, proper: bool) -> list[Token]:
    """What an exclusion leaves out: its first word after it ("excluding [fuel]"), and the
    capitalised words that continue a name ("outside [Hubei Province]"); only a name (a
    capitalised word) where ``proper``."""
    out: list[Token] = []
    for t in after:
        if not out and t.lower in ("of", "the", "for"):
            continue  # "outside of China", "except the ..."
        if out and (
            any(ch in ",;:.()" for ch in text[out[-1].end : t.start]) or not t.text[:1].isupper()
        ):
            break
        if not out and ((proper and not t.text[:1].isupper()) or not t.content):
            break
        out.append(t)
        if len(out) >= most:
            break
    return out


@dataclass(frozen=True, slots=True)
class OmittedCaveatDetector:
    """A whole source sentence carrying a caveat or dissent, with no counterpart here (against
    sources only). The finding is anchored on the derived sentence that retells the source
    sentence just before (or after) the omitted one: where the missing material belongs."""

    name: ClassVar[str] = "omitted_caveats"
    categories: ClassVar[tuple[Category, ...]] = (Category.OMISSION,)

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        if not comparison.strict:
            return
        art, claims = comparison.article, comparison.claims
        caveats = comparison.words.verification_caveats
        here = {c.id for c in art.claims}

        def counterpart(claim_id: str) -> str | None:
            best = max(
                (
                    (conf, other)
                    for other, conf, _ in comparison.counterparts.get(claim_id, ())
                    if other in here and conf >= comparison.min_alignment
                ),
                default=None,
            )
            return best[1] if best else None

        for ref in comparison.references:
            body = [c for c in ref.claims if c.kind != "headline"]
            for i, claim in enumerate(body):
                if counterpart(claim.id) is not None:
                    continue
                caveat = caveats.search(claim.text)
                if caveat is None:
                    continue  # a summary may drop detail; only a lost caveat is an omission
                if any(caveats.search(c.text) for c in art.claims):
                    continue  # the retelling keeps a caveat of its own
                anchor = None
                for j in (i - 1, i + 1, i - 2, i + 2):
                    if 0 <= j < len(body) and (found := counterpart(body[j].id)) is not None:
                        anchor = claims[found]
                        break
                if anchor is None:
                    continue
                yield Divergence(
                    Category.OMISSION,
                    Severity.MEDIUM,
                    f"leaves out the source's “{claim.text[:90]}”",
                    anchor,
                    claim,
                    (),
                    (Span(caveat.start(), caveat.end()),),
                    detail=f"omit:{claim.id}",
                )
