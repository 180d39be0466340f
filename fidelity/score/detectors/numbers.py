"""Figures: a count, amount or date changed between the two claims, a duration's relation
changed ("within 72 hours" -> "72 hours after"), and figures that no source has anywhere."""

from __future__ import annotations

import dataclasses
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Pair, Severity
from fidelity.score.detectors.background import dated_background, dated_elsewhere
from fidelity.score.figures import (
    DATE_UNITS,
    TIME_UNITS,
    bound_words,
    ceiling_of_exact,
    dimension,
    said_as,
    same_quantity,
)
from fidelity.score.lexical import lemma
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Quantity, Span

_ORDERING = frozenset({"within", "after", "before", "beyond"})


@dataclass(frozen=True, slots=True)
class NumberDetector:
    name: ClassVar[str] = "numbers"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.NUMBER_CHANGED,
        Category.TEMPORAL_CHANGED,
        Category.QUOTE_ALTERED,  # a figure changed inside the speaker's own words
    )
    reads_words: ClassVar[bool] = False
    on_headlines: ClassVar[bool] = True

    tolerance: float = 0.01  # relative difference under which two figures are one
    approximate_ratio: float = 0.75  # "about 70" / "thousands" match a figure this close

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r = pair.derived, pair.reference
        if (swap := swapped_tally(c, r)) is not None:
            mine, theirs = swap
            yield Divergence(
                Category.NUMBER_CHANGED,
                Severity.HIGH,
                f"“{mine.of(c.text)}” where the counterpart has “{theirs.of(r.text)}”: the "
                "votes for and against are swapped",
                c,
                r,
                (mine,),
                (theirs,),
                detail=f"tally:{mine.of(c.text)}",
            )
        if (part := part_for_whole(c, r)) is not None:
            mine, theirs, count = part
            yield Divergence(
                Category.NUMBER_CHANGED,
                Severity.HIGH,
                f"“{mine.of(c.text)}” where the counterpart has “{theirs.of(r.text)}”: {count}",
                c,
                r,
                (mine,),
                (theirs,),
                detail=f"part:{mine.of(c.text).lower()}",
            )
        # Quantities of different units never match: compare within a unit only, and take an
        # exact figure as matched without a scan (a list of figures made this quadratic).
        c_by_unit = _by_unit(c.quantities)
        r_by_unit = _by_unit(r.quantities)
        c_exact = {(q.unit, q.value) for q in c.quantities}
        unmatched_r = [
            rq
            for rq in r.quantities
            if (rq.unit, rq.value) not in c_exact
            and not any(self.same(q, rq) for q in c_by_unit.get(dimension(rq.unit), ()))
        ]
        rivals = pair_figures(pair, unmatched_r, self.same)
        for q in c.quantities:
            # the counterpart's equal figure first, in the same relation: "more than 30 hours"
            # is its "more than 30 hours", not the "a year" of a rate that a bound would also
            # admit
            mates = sorted(
                r_by_unit.get(dimension(q.unit), ()),
                key=lambda rq: (rq.value != q.value, rq.relation != q.relation),
            )
            rq = next((rq for rq in mates if self.same(q, rq)), None)
            if rq is not None and (actual := limit_as_figure(c, q, r, rq)) is not None:
                limit = _limit_noun(r, rq)
                yield Divergence(
                    Category.NUMBER_CHANGED,
                    Severity.HIGH,
                    f"“{quantity_text(c, q)}” is stated as the figure itself, where the "
                    f"counterpart's “{quantity_text(r, rq)}” is the {limit} and its figure "
                    f"is “{quantity_text(r, actual)}”",
                    c,
                    r,
                    (q.span,),
                    (actual.span, rq.span),
                    detail=f"limit:{quantity_key(q)}:{quantity_key(actual)}",
                )
                continue
            if rq is None and (parts := ceiling_sum(c, q, r)) is not None:
                base, most = parts
                yield Divergence(
                    Category.NUMBER_CHANGED,
                    Severity.HIGH,
                    f"“{quantity_text(c, q)}” (an exact figure) where the counterpart has "
                    f"“{quantity_text(r, base)}” and at most “{quantity_text(r, most)}” more: "
                    f"{quantity_text(c, q)} is the most it may reach, not the figure",
                    c,
                    r,
                    (q.span,),
                    (base.span, most.span),
                    detail=f"sum:{quantity_key(q)}:{quantity_key(base)}:{quantity_key(most)}",
                )
                continue
            if rq is not None and (ceiling_of_exact(q, rq) or ceiling_of_exact(rq, q)):
                yield Divergence(
                    Category.NUMBER_CHANGED,
                    Severity.HIGH,
                    f"“{quantity_text(c, q)}” ({bound_words(q)}) where the counterpart "
                    f"has “{quantity_text(r, rq)}” ({bound_words(rq)})",
                    c,
                    r,
                    (q.span,),
                    (rq.span,),
                    detail=f"bound:{quantity_key(q)}:{q.relation}:{rq.relation}",
                )
                continue
            if rq is not None:
                if (
                    q.unit in TIME_UNITS
                    and q.relation != rq.relation
                    and {q.relation, rq.relation} & _ORDERING
                ):
                    yield Divergence(
                        Category.TEMPORAL_CHANGED,
                        Severity.HIGH,
                        f"“{quantity_text(c, q)}” ({q.relation}) where the counterpart has "
                        f"“{quantity_text(r, rq)}” ({rq.relation})",
                        c,
                        r,
                        (q.span,),
                        (rq.span,),
                        detail=f"rel:{quantity_key(q)}:{q.relation}:{rq.relation}",
                    )
                continue
            rq = rivals.get(q)
            if rq is None:
                continue  # no rival of its unit, or no safe pairing
            quoted = _quoted(c, q) and _quoted(r, rq)
            category = Category.QUOTE_ALTERED if quoted else Category.NUMBER_CHANGED
            opening, other = (
                ("the quote has ", "the counterpart's quote") if quoted else ("", "the counterpart")
            )
            yield Divergence(
                Category.TEMPORAL_CHANGED if q.unit in DATE_UNITS else category,
                Severity.HIGH,
                f"{opening}“{quantity_text(c, q)}”{said_as(q)} where {other} has "
                f"“{quantity_text(r, rq)}”{said_as(rq)}",
                c,
                r,
                (q.span,),
                (rq.span,),
                detail=f"num:{quantity_key(q)}:{quantity_key(rq)}",
            )

    def same(self, a: Quantity, b: Quantity) -> bool:
        return same_quantity(a, b, self.tolerance, self.approximate_ratio)


@dataclass(frozen=True, slots=True)
class NewFigureDetector:
    """Figures of an aligned claim that its counterparts do not state (against sources only).

    Another source sentence that states the same kind of figure in the same words, close in
    value, is where the figure comes from: the figure changed (``number_changed``, shown with
    that sentence, at a lower confidence). A count, amount or share that no source has
    anywhere is an ``unsupported_addition``.
    """

    name: ClassVar[str] = "new_figures"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.NUMBER_CHANGED,
        Category.UNSUPPORTED_ADDITION,
        Category.CONTEXT_ADDED,
    )

    tolerance: float = 0.01  # as the numbers detector's
    approximate_ratio: float = 0.75
    elsewhere_closeness: float = 0.5  # a figure elsewhere in the sources at least this close
    elsewhere_confidence: float = 0.5  # how sure a change against a sentence not aligned is

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        if not comparison.strict:
            return
        refs = comparison.references
        sources = [c for r in refs for c in r.claims]
        words = comparison.words
        published = comparison.article.article.published
        for claim in comparison.article.claims:
            best = comparison.matches.get(claim.id)
            if claim.kind == "headline" or not best:
                continue
            counterparts = [comparison.claims[o] for o, _, _ in best.values()]
            listed = set(figures(claim))
            for q in claim.quantities:
                if q.unit in TIME_UNITS | DATE_UNITS or stated_by_sources(
                    claim, q, sources, self.same
                ):
                    continue
                keys = unit_keys(claim, q, words)
                if not keys or any(
                    keys & unit_keys(c, rq, words) for c in counterparts for rq in c.quantities
                ):
                    continue  # a rival figure: that is a changed number, judged pairwise
                rival = self._elsewhere(claim, q, keys, sources, words)
                if rival is not None:
                    ref, rq = rival
                    yield Divergence(
                        Category.NUMBER_CHANGED,
                        Severity.HIGH,
                        f"“{quantity_text(claim, q)}” where a source has "
                        f"“{quantity_text(ref, rq)}”",
                        claim,
                        ref,
                        (q.span,),
                        (rq.span,),
                        detail=f"num:{quantity_key(q)}:{quantity_key(rq)}",
                        signals={"confidence": self.elsewhere_confidence},
                    )
                elif q in listed:
                    # shown with the sentence it was compared with (its best-aligned one)
                    other, conf, _ = max(best.values(), key=lambda m: m[1])
                    if dated := dated_elsewhere(claim.text, sources, published):
                        yield dated_background(claim, dated, comparison.claims[other])
                        break  # a figure of an earlier occasion: background, once
                    yield Divergence(
                        Category.UNSUPPORTED_ADDITION,
                        Severity.MEDIUM,
                        f"the figure “{quantity_text(claim, q)}” appears in no source",
                        claim,
                        comparison.claims[other],
                        (q.span,),
                        detail=f"q:{quantity_key(q)}",
                        signals={"confidence": round(conf, 3)},
                    )

    def _elsewhere(
        self,
        claim: Claim,
        q: Quantity,
        keys: frozenset[str],
        sources: Sequence[Claim],
        words: Vocabulary,
    ) -> tuple[Claim, Quantity] | None:
        """The one source figure that ``q`` stands in place of, in the same words around it:
        of the same kind and close in value, or off by a power of ten (1,025 / 10,250 adults),
        or with its digits swapped whatever it counts (47 new cases / 74 new infections).
        None when there is none or no single best."""
        found = []
        for ref in sources:
            for rq in ref.quantities:
                if rq.value == q.value:
                    continue
                kind = _kin(q, rq) and bool(keys & unit_keys(ref, rq, words))
                swapped = _swapped(q.value, rq.value)
                if not (kind or swapped):
                    continue
                shared, closeness = _fit(claim, q, ref, rq, words)
                slip = _power_of_ten(q.value, rq.value)
                if shared and (swapped or closeness >= self.elsewhere_closeness or slip):
                    found.append(((shared, closeness), ref, rq))
        found.sort(key=lambda x: x[0], reverse=True)
        if not found or (len(found) > 1 and found[1][0] == found[0][0]):
            return None
        return found[0][1], found[0][2]

    def same(self, a: Quantity, b: Quantity) -> bool:
        return same_quantity(a, b, self.tolerance, self.approximate_ratio)


# Nouns that make a figure a limit rather than what happened: "the 4.99% maximum", "the
# 5-sigma threshold", "a cap of 2%", "an inflation target of 2%".
_LIMIT_NOUN = (
    r"(?:threshold|maximum|minimum|cap|ceiling|limit|floor|target|standard|benchmark|"
    r"requirement)s?"
)
_LIMIT_AFTER = re.compile(
    rf"[\s-]*(?:[^\W\d_]+[\s-]+)?(?P<noun>{_LIMIT_NOUN})\b"
    # "a 10% minimum wage rise", "a 5-year maximum sentence": a noun the limit word qualifies
    r"(?!\s+(?:wages?|pay|salar\w*|sentences?|security|temperatures?|prices?|age|stay|"
    r"balances?|deposits?|orders?)\b)",
    re.IGNORECASE,
)
_LIMIT_BEFORE = re.compile(
    rf"\b(?P<noun>{_LIMIT_NOUN})\s+(?:of|at|is|was|set\s+at)\s+(?:about\s+|around\s+)?$", re.I
)
# A claim with any of these words tells a limit or a most itself ("stayed below the cap",
# "could reach", "including add-ons"): its figure is not stated as the outcome.
_TELLS_LIMIT = re.compile(
    rf"\b(?:{_LIMIT_NOUN}|capped|allowed|permitted|required|needed|necessary|up\s+to|"
    r"at\s+most|no\s+more\s+than|at\s+least|could|may|might|potentially|possible|"
    r"rising|rise\s+to|add-ons?|bonus(?:es)?|including|variables?|in\s+total)\b",
    re.I,
)


def _limit_noun(claim: Claim, q: Quantity) -> str:
    """The limit noun written next to ``q`` ("maximum" in "the 4.99% maximum"), or ""."""
    after = _LIMIT_AFTER.match(claim.text, q.span.end)
    if after:
        return after.group("noun").lower()
    before = _LIMIT_BEFORE.search(claim.text[: q.span.start])
    return before.group("noun").lower() if before else ""


def limit_as_figure(c: Claim, q: Quantity, r: Claim, rq: Quantity) -> Quantity | None:
    """The counterpart's own figure, when ``q`` takes the value of a limit it names beside it
    ("rise by 4.99%" for "a 2.9% rise, below the 4.99% maximum"; "a significance of 5
    sigma" for "about 3 sigma, below the 5-sigma threshold"): the counterpart's one other
    figure of that unit, which the claim does not state. None when ``q`` is no such figure,
    or the claim itself speaks of a limit."""
    if (
        q.value != rq.value
        or q.relation not in ("exact", "about")
        or not _limit_noun(r, rq)
        or _TELLS_LIMIT.search(c.text)
    ):
        return None
    others = [
        o
        for o in r.quantities
        if dimension(o.unit) == dimension(q.unit)
        and o.value != q.value
        and not _limit_noun(r, o)
        and not any(x.value == o.value for x in c.quantities)
    ]
    return others[0] if len(others) == 1 else None


def ceiling_sum(c: Claim, q: Quantity, r: Claim) -> tuple[Quantity, Quantity] | None:
    """The counterpart's figure and the most that may come on top of it ("an initial fee of
    62 million euros, with up to 8 million euros more") when ``q`` states their sum as an
    exact figure ("for 70 million euros"); None otherwise, or when the claim itself says the
    sum is a most ("could rise to", "including add-ons")."""
    if q.relation != "exact" or q.approximate or not q.unit or _TELLS_LIMIT.search(c.text):
        return None
    mine = [rq for rq in r.quantities if rq.unit == q.unit]
    close = 1e-9 + 0.001 * abs(q.value)
    for base in mine:
        for most in mine:
            if (
                base is not most
                and base.relation == "exact"
                and most.relation == "up-to"
                and abs(base.value + most.value - q.value) <= close
            ):
                return base, most
    return None


# A vote's tally, for and against: "by 38 votes to 29", "voted 38-29", "38 to 29".
_TALLY = re.compile(
    r"(?<![\d.,])(\d+)(?:\s+votes?)?\s*(?:to|[-–])\s*(\d+)(?!\d|[.,]\d)", re.IGNORECASE
)
_VOTING = re.compile(r"\bvot(?:e|es|ed|ing)\b|\bballots?\b", re.I)
# A tally told from the losing side ("defeated by 38 votes to 29") may put either side first.
_LOSING = re.compile(r"\b(?:reject\w*|defeat\w*|fail\w*|against|oppos\w*|down)\b", re.I)


# "all seven board members", "all of the 14 economists": the whole of a counted group
_ALL = re.compile(r"\b(?:all|every\s+one)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?$", re.I)
# "five of the seven board members": a part of it (the part's figure ends where this starts)
_PART_OF = re.compile(r"\s+of\s+(?:the|its|their|all)\s+$", re.IGNORECASE)


def _part(claim: Claim, whole: Quantity) -> Quantity | None:
    """The count of a part before ``whole`` ("five" in "five of the seven members")."""
    for q in claim.quantities:
        if q.span.end <= whole.span.start and _PART_OF.fullmatch(
            claim.text[q.span.end : whole.span.start]
        ):
            return q if 0 < q.value < whole.value else None
    return None


def part_for_whole(c: Claim, r: Claim) -> tuple[Span, Span, str] | None:
    """A part of a counted group told as all of it ("all seven board members" for "five of
    the seven board members"), or all of it told as a part: the two phrases' spans and what
    changed, or None."""
    for q in c.quantities:
        for rq in r.quantities:
            if rq.unit != q.unit or rq.value != q.value or not q.unit:
                continue
            mine, theirs = _part(c, q), _part(r, rq)
            if theirs is not None and mine is None and _ALL.search(c.text[: q.span.start]):
                start = _ALL.search(c.text[: q.span.start])
                assert start is not None
                return (
                    Span(start.start(), q.span.end),
                    Span(theirs.span.start, rq.span.end),
                    f"the whole group, not {quantity_text(r, theirs).lower()} of it",
                )
            if (
                mine is not None
                and theirs is None
                and (all_ := _ALL.search(r.text[: rq.span.start]))
            ):
                return (
                    Span(mine.span.start, q.span.end),
                    Span(all_.start(), rq.span.end),
                    f"{quantity_text(c, mine).lower()} of the group, not all of it",
                )
    return None


_RANGE_START = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)


def swapped_tally(c: Claim, r: Claim) -> tuple[Span, Span] | None:
    """A vote's tally with its sides swapped ("by 29 votes to 38" for "passed by 38 votes to
    29"): the spans of the two tallies, or None. Only in claims about a vote, neither told
    from the losing side."""
    if not (_VOTING.search(c.text) and _VOTING.search(r.text)):
        return None
    if _LOSING.search(c.text) or _LOSING.search(r.text):
        return None
    theirs = {
        (int(m.group(1)), int(m.group(2))): Span(m.start(), m.end())
        for m in _TALLY.finditer(r.text)
        if not _RANGE_START.search(r.text[: m.start()])
    }
    for m in _TALLY.finditer(c.text):
        a, b = int(m.group(1)), int(m.group(2))
        if _RANGE_START.search(c.text[: m.start()]):
            continue  # "fell from 38 to 29": two figures in time, not a tally
        if a != b and (b, a) in theirs and (a, b) not in theirs:
            return Span(m.start(), m.end()), theirs[(b, a)]
    return None


def _quoted(claim: Claim, q: Quantity) -> bool:
    """Whether a figure stands inside quotation marks: the speaker's own words."""
    return any(
        quote.span.start <= q.span.start and q.span.end <= quote.span.end for quote in claim.quotes
    )


def pair_figures(
    pair: Pair, unmatched: Sequence[Quantity], same: Callable[[Quantity, Quantity], bool]
) -> dict[Quantity, Quantity]:
    """Each derived figure that the counterpart states differently, with the counterpart figure
    it replaces ("4.5 billion" -> "5.4 billion", not the unrelated "10 billion" beside it).

    Figures pair when they count the same thing: one unit, or for a bare number a word of the
    few after it ("nine telescopes" / "eight ground-based radio telescopes"). A figure with one
    candidate that has no other is paired; otherwise pairs are taken best first by the words
    around the two figures, then by how close the values are (digits swapped, same order of
    magnitude); a figure the counterpart also states, or a pairing another fits as well, is
    left.
    """
    c, r = pair.derived, pair.reference
    flat_ref = re.sub(r"[,\s]", "", r.text)
    mine: list[tuple[Quantity, frozenset[str]]] = []
    for q in c.quantities:
        # the start of a range ("from -0.4 to -0.5 percent") is in the unit of its end
        if stated_by_sources(c, in_range_unit(c, q), (r,), same):
            continue  # the counterpart states it, in its words or as a sum of its figures
        digits = re.sub(r"\D", "", quantity_text(c, q))
        if (
            digits
            and re.search(rf"(?<![\d.]){digits}(?!\d|[.,]\d)", flat_ref)
            and not _other_unit(q, digits, r)
        ):
            continue  # the counterpart has this figure too ("34th minute", "1,200")
        if _OTHER.match(c.text[q.span.end :]) and any(
            rq.value == q.value + 1 for rq in r.quantities
        ):
            continue  # "the Fed and five other central banks" are six central banks
        if in_range_unit(c, q) is not q:
            continue  # the start of a range: its end is the figure compared
        if keys := unit_keys(c, q, pair.words):
            mine.append((q, keys))
    theirs = [(rq, keys) for rq in unmatched if (keys := unit_keys(r, rq, pair.words))]
    options = {
        (i, j)
        for i, (q, qk) in enumerate(mine)
        for j, (rq, rk) in enumerate(theirs)
        if qk & rk and _kin(q, rq)
    }
    out: dict[Quantity, Quantity] = {}
    ranked = sorted(
        ((_fit(c, mine[i][0], r, theirs[j][0], pair.words), i, j) for i, j in options),
        reverse=True,
    )
    used_q: set[int] = set()
    used_r: set[int] = set()
    for k, (fit, i, j) in enumerate(ranked):
        if i in used_q or j in used_r:
            continue
        lone = (
            sum(1 for x, _ in options if x == i) == 1 and sum(1 for _, y in options if y == j) == 1
        )
        # a tie with another open pairing of either figure: no safe choice
        tied = any(
            f == fit and (i2 == i) != (j2 == j) and i2 not in used_q and j2 not in used_r
            for f, i2, j2 in ranked[k + 1 :]
        )
        used_q.add(i)
        used_r.add(j)
        if lone or not tied:
            out[mine[i][0]] = theirs[j][0]
    return out


def _other_unit(q: Quantity, digits: str, r: Claim) -> bool:
    """The counterpart writes the same digits in another unit ("10 km" for "10 miles", "0.25
    percent" for "0.25 basis points"): the same digits, another figure."""
    return bool(q.unit) and any(
        rq.unit and rq.unit != q.unit and re.sub(r"\D", "", quantity_text(r, rq)) == digits
        for rq in r.quantities
    )


def in_range_unit(claim: Claim, q: Quantity) -> Quantity:
    """A bare number that starts a range takes the unit of the figure that ends it ("zero to
    0.25 percent", "from -0.4 to -0.5 percent"); any other quantity is returned as it is."""
    if q.unit:
        return q
    for other in claim.quantities:
        if other.span.start >= q.span.end and other.unit:
            between = claim.text[q.span.end : other.span.start]
            if _RANGE.fullmatch(between):
                return dataclasses.replace(q, unit=other.unit)
            break
    return q


_RANGE = re.compile(r"\s*(?:to|and|-|–|—)\s*-?\s*", re.IGNORECASE)


def _kin(q: Quantity, rq: Quantity) -> bool:
    """Two figures that may be one figure changed: the same unit (or a bare number), or the
    same digits read in basis points on one side and in percent on the other (0 to 0.25
    basis points for 0 to 0.25 percent)."""
    if dimension(q.unit) == dimension(rq.unit) or not q.unit or not rq.unit:
        return True
    if {q.unit, rq.unit} == {"percent", "percentage-point"}:
        low, high = sorted((q.value, rq.value))
        return low > 0 and math.isclose(high, 100 * low)
    return False


def unit_keys(claim: Claim, q: Quantity, words: Vocabulary, width: int = 4) -> frozenset[str]:
    """What a figure counts: its unit, or for a bare number the content words of the few after
    it in its clause; for a share or multiple in words, the words around it (what it is a
    share or multiple of: "three million times the diameter of the Earth" is no rival of "2.5
    times smaller than the shadow")."""
    if q.unit in _IN_WORDS:
        own = {lemma(w.lower(), words) for w in re.findall(r"\w+", quantity_text(claim, q))}
        return frozenset(f"{q.unit}:{w}" for w in _around(claim, q, words) - own)
    if q.unit:
        return frozenset({q.unit, _ADDS_TO.get(q.unit, q.unit), dimension(q.unit)})
    rest = claim.text[q.span.end :]
    if _ORDINAL.match(rest):
        return frozenset()  # "the 82nd minute" is a position, not a count
    if q.value == 1 and not re.search(r"\d", quantity_text(claim, q)):
        return frozenset()  # "a", "one", "single": an article more often than a count
    near = re.findall(r"[^\W\d_]{3,}", _CLAUSE.split(rest)[0])[:width]
    keys = frozenset(lemma(w.lower(), words) for w in near) - words.stop_words
    # with no content word after it ("users under 16 and ..."), the word that follows
    return keys or frozenset({_unit(claim, q, words)} - {""})


_OTHER = re.compile(r"\s+other\b", re.IGNORECASE)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)


def _fit(c: Claim, q: Quantity, r: Claim, rq: Quantity, words: Vocabulary) -> tuple[int, float]:
    """How well two figures of one unit fit as one figure changed: the content words they share
    within a few words around them, then the closeness of their values."""
    shared = len(_around(c, q, words) & _around(r, rq, words))
    a, b = abs(q.value), abs(rq.value)
    if _swapped(a, b):
        closeness = 1.0  # the same digits in another order: a transposition
    elif a and b:
        closeness = min(a, b) / max(a, b)
    else:
        closeness = 0.0
    return shared, closeness


def _swapped(a: float, b: float) -> bool:
    """Two different figures of two digits or more written with the same digits (47 / 74)."""
    da, db = re.sub(r"\D", "", f"{abs(a):g}"), re.sub(r"\D", "", f"{abs(b):g}")
    return len(da) >= 2 and da != db and sorted(da) == sorted(db)


def _power_of_ten(a: float, b: float) -> bool:
    """One figure is the other with a digit or decimal slipped (1,025 / 10,250)."""
    low, high = sorted((abs(a), abs(b)))
    return low > 0 and any(math.isclose(high, low * 10**k) for k in (1, 2, 3))


def _around(claim: Claim, q: Quantity, words: Vocabulary, width: int = 3) -> set[str]:
    """The content words next to a figure within its own clause."""
    before = _CLAUSE.split(claim.text[: q.span.start])[-1]
    after = _CLAUSE.split(claim.text[q.span.end :])[0]
    near = [
        *re.findall(r"[^\W\d_]{3,}", before)[-width:],
        *re.findall(r"[^\W\d_]{3,}", after)[:width],
        # the unit as written ("53 million light-years"): a unit read off the words after a
        # figure is still a word beside it
        *re.findall(r"[^\W\d_]{3,}", _SCALE.sub(" ", quantity_text(claim, q))),
    ]
    return {lemma(w.lower(), words) for w in near} - words.stop_words


_SCALE = re.compile(r"\b(?:hundreds?|thousands?|millions?|billions?|trillions?)\b", re.I)


# where a clause ends: the words on the far side of it belong to another figure
_CLAUSE = re.compile(r"[,;:()\[\]–—]|\b(?:and|but|while|whereas)\b", re.IGNORECASE)


def figures(claim: Claim, *, rough: bool = False) -> list[Quantity]:
    """The claim's figures that can be checked against a source: not a date (the times
    detector's), not a bare number, not an approximation ("several", "thousands"; kept when
    ``rough``), not the "a month" of a rate, not a conversion in brackets after another
    figure, not a share or multiple in words, and not a count in words after "the" ("the
    two sides": parties the story names)."""
    out = []
    for q in claim.quantities:
        text = quantity_text(claim, q).lower()
        if not q.unit or q.unit in DATE_UNITS | _IN_WORDS or (q.approximate and not rough):
            continue
        if q.unit in TIME_UNITS and re.match(r"(?:a|an|per|each|every)\s", text):
            continue
        before = claim.text[: q.span.start].rstrip()
        if before.endswith("(") and re.search(r"\d[^\d(]*\($", before):
            continue  # "€20 billion ($22 billion)": the outlet's conversion
        if _DEFINITE.search(before) and not re.search(r"\d", text):
            continue  # "talks between the two sides": parties the story names, not a figure
        out.append(q)
    return out


_DEFINITE = re.compile(r"\b(?:the|these|those|both)$", re.IGNORECASE)


# Shares and multiples in words ("a third of", "doubled") are compared with the counterpart's
# own, not looked for in the sources: "doubled" may be a source's "rose 100%".
_IN_WORDS = frozenset({"share", "fold"})


def stated_by_sources(
    claim: Claim,
    q: Quantity,
    sources: Sequence[Claim],
    same: Callable[[Quantity, Quantity], bool],
    *,
    any_unit: bool = True,
) -> bool:
    """A source states the figure: the same value (in any unit, unless not ``any_unit``), the
    same words, the same figure within rounding, or the sum or difference of two of the
    sources' figures of its unit ($500bn + $200bn = $700bn; a cut of 10 basis points from
    -0.5% leaves -0.4%)."""
    text = quantity_text(claim, q).lower()
    if (any_unit or re.search(r"\d", text)) and any(text in ref.text.lower() for ref in sources):
        return True
    unit = _ADDS_TO.get(q.unit, q.unit)
    theirs = [rq for ref in sources for rq in ref.quantities]
    if any(
        (
            any_unit
            and round(rq.value, 3) == round(q.value, 3)
            and not _measured_apart(q.unit, rq.unit)
        )
        or (dimension(_ADDS_TO.get(rq.unit, rq.unit)) == dimension(unit) and same(q, rq))
        for rq in theirs
    ):
        return True
    values = [rq.value for rq in theirs if _ADDS_TO.get(rq.unit, rq.unit) == unit]
    close = 1e-9 + 0.001 * abs(q.value)
    return any(
        abs(abs(a + b) - q.value) <= close or abs(abs(a - b) - q.value) <= close
        for i, a in enumerate(values)
        for b in values[i + 1 :]
    )


def _measured_apart(a: str, b: str) -> bool:
    """Two units of one dimension ("mile" and "km"): the same value in them is two figures.
    (Percent and percentage points are told for each other freely: 0.5 and 0.5 agree.)"""
    return bool(a) and bool(b) and a != b and dimension(a) == dimension(b)


# Units whose figures add up with another's: percentage points move a percentage.
_ADDS_TO = {"percentage-point": "percent"}


def quantity_key(q: Quantity) -> tuple[float, str]:
    return (round(q.value, 3), q.unit)


def quantity_text(claim: Claim, q: Quantity) -> str:
    return q.span.of(claim.text)


def _by_unit(quantities: Iterable[Quantity]) -> dict[str, list[Quantity]]:
    """Quantities by what they measure (their unit, or its dimension)."""
    grouped: dict[str, list[Quantity]] = defaultdict(list)
    for q in quantities:
        grouped[dimension(q.unit)].append(q)
    return grouped


def _unit(claim: Claim, q: Quantity, words: Vocabulary) -> str:
    """The quantity's unit, or for a bare number the word that follows it ("12 workers")."""
    if q.unit:
        return q.unit
    m = re.match(r"\s+(?:of\s+)?([^\W\d_]{3,})", claim.text[q.span.end :])
    return f"word:{lemma(m.group(1).lower(), words)}" if m else ""
