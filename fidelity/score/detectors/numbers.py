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
from fidelity.types import Claim, Quantity

_ORDERING = frozenset({"within", "after", "before", "beyond"})


@dataclass(frozen=True, slots=True)
class NumberDetector:
    name: ClassVar[str] = "numbers"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.NUMBER_CHANGED,
        Category.TEMPORAL_CHANGED,
    )
    reads_words: ClassVar[bool] = False
    on_headlines: ClassVar[bool] = True

    tolerance: float = 0.01  # relative difference under which two figures are one
    approximate_ratio: float = 0.75  # "about 70" / "thousands" match a figure this close

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r = pair.derived, pair.reference
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
            yield Divergence(
                Category.TEMPORAL_CHANGED if q.unit in DATE_UNITS else Category.NUMBER_CHANGED,
                Severity.HIGH,
                f"“{quantity_text(c, q)}”{said_as(q)} where the counterpart has "
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
    it in its clause."""
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
    ``rough``), not the "a month" of a rate, and not a conversion in brackets after another
    figure."""
    out = []
    for q in claim.quantities:
        text = quantity_text(claim, q).lower()
        if not q.unit or q.unit in DATE_UNITS or (q.approximate and not rough):
            continue
        if q.unit in TIME_UNITS and re.match(r"(?:a|an|per|each|every)\s", text):
            continue
        before = claim.text[: q.span.start].rstrip()
        if before.endswith("(") and re.search(r"\d[^\d(]*\($", before):
            continue  # "€20 billion ($22 billion)": the outlet's conversion
        out.append(q)
    return out


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
