"""Figures: a count, amount or date changed between the two claims, a duration's relation
changed ("within 72 hours" -> "72 hours after"), and figures that no source has anywhere."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Pair, Severity
from fidelity.score.lexical import lemma
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Quantity

TIME_UNITS = frozenset({"hour", "minute", "second"})
DATE_UNITS = frozenset({"date", "month-day", "month", "month-of-year", "year", "relative-day"})
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
            and not any(self.same(q, rq) for q in c_by_unit.get(rq.unit, ()))
        ]
        for q in c.quantities:
            rq = next((rq for rq in r_by_unit.get(q.unit, ()) if self.same(q, rq)), None)
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
            unit = _unit(c, q, pair.words)
            if not unit:
                continue  # a bare number with nothing after it cannot be paired with confidence
            rivals = [rq for rq in unmatched_r if _unit(r, rq, pair.words) == unit]
            if len(rivals) != 1:
                continue  # none, or several candidates: no safe pairing
            digits = re.sub(r"\D", "", quantity_text(c, q))
            if digits and re.search(rf"(?<!\d){digits}(?!\d)", re.sub(r"[,\s]", "", r.text)):
                continue  # the counterpart has this figure too ("34th minute", "1,200")
            rq = rivals[0]
            yield Divergence(
                Category.TEMPORAL_CHANGED if q.unit in DATE_UNITS else Category.NUMBER_CHANGED,
                Severity.HIGH,
                f"“{quantity_text(c, q)}” where the counterpart has “{quantity_text(r, rq)}”",
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
    """Counts, money and shares in an aligned claim that no source has anywhere (against
    sources only)."""

    name: ClassVar[str] = "new_figures"
    categories: ClassVar[tuple[Category, ...]] = (Category.UNSUPPORTED_ADDITION,)

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        if not comparison.strict:
            return
        refs = comparison.references
        ref_values = {round(q.value, 3) for r in refs for c in r.claims for q in c.quantities}
        ref_text = " ".join(c.text for r in refs for c in r.claims).lower()
        for claim in comparison.article.claims:
            best = comparison.matches.get(claim.id)
            if claim.kind == "headline" or not best:
                continue
            counterparts = [comparison.claims[o] for o, _, _ in best.values()]
            for q in claim.quantities:
                if not q.unit or q.unit in TIME_UNITS | DATE_UNITS or q.approximate:
                    continue
                if round(q.value, 3) in ref_values or quantity_text(claim, q).lower() in ref_text:
                    continue
                if any(rq.unit == q.unit for c in counterparts for rq in c.quantities):
                    continue  # a rival figure: that is a changed number, judged pairwise
                yield Divergence(
                    Category.UNSUPPORTED_ADDITION,
                    Severity.MEDIUM,
                    f"the figure “{quantity_text(claim, q)}” appears in no source",
                    claim,
                    None,
                    (q.span,),
                    detail=f"q:{quantity_key(q)}",
                )


def same_quantity(a: Quantity, b: Quantity, tolerance: float, approximate_ratio: float) -> bool:
    """Two quantities that state the same figure (within ``tolerance``, or within
    ``approximate_ratio`` when either is approximate, or a figure inside the other's bound)."""
    if a.unit != b.unit:
        return False
    if a.value == b.value:
        return True
    big = max(abs(a.value), abs(b.value))
    if big and abs(a.value - b.value) / big <= tolerance:
        return True
    if a.approximate or b.approximate:
        # "thousands" vs 5,000; "about 70" vs 72: the same order of magnitude.
        lo, hi = sorted((abs(a.value), abs(b.value)))
        if hi > 0 and lo / hi >= approximate_ratio:
            return True
    # A bound is consistent with a figure inside it: "over a year" and "18 months",
    # "up to 70 million" and "62 million".
    for bound, other in ((a, b), (b, a)):
        if other.relation not in ("exact", "about"):
            continue  # two bounds ("at least 12" / "at least 40") must agree on the figure
        if bound.relation in ("at-least", "beyond") and other.value >= bound.value:
            return True
        if bound.relation == "up-to" and other.value <= bound.value:
            return True
    return False


def quantity_key(q: Quantity) -> tuple[float, str]:
    return (round(q.value, 3), q.unit)


def quantity_text(claim: Claim, q: Quantity) -> str:
    return q.span.of(claim.text)


def _by_unit(quantities: Iterable[Quantity]) -> dict[str, list[Quantity]]:
    grouped: dict[str, list[Quantity]] = defaultdict(list)
    for q in quantities:
        grouped[q.unit].append(q)
    return grouped


def _unit(claim: Claim, q: Quantity, words: Vocabulary) -> str:
    """The quantity's unit, or for a bare number the word that follows it ("12 workers")."""
    if q.unit:
        return q.unit
    m = re.match(r"\s+(?:of\s+)?([^\W\d_]{3,})", claim.text[q.span.end :])
    return f"word:{lemma(m.group(1).lower(), words)}" if m else ""
