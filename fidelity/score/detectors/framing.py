"""Framing: loaded wording in the outlet's own voice that intensifies the counterpart's (or
that the counterpart has only inside a quote), and wording that softens it.

Framing is relative: a term counts only against the counterpart's wording for the same concept,
on that concept's graded scale (``lexicons/framing.yaml``). The ordinary words for a thing
("hostilities", "invasion", "pandemic") never count on their own; a term loaded in itself
(``added_level`` and up: "world war", "regime") does when the counterpart has no word for the
concept, unless the claim reports someone's words ("Rutte said ... Russian aggression"), which
are the speaker's choice as much as the outlet's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Pair, Severity
from fidelity.types import Claim, FramingTerm


@dataclass(frozen=True, slots=True)
class FramingDetector:
    name: ClassVar[str] = "framing"
    categories: ClassVar[tuple[Category, ...]] = (Category.FRAMING_SHIFTED,)
    reads_words: ClassVar[bool] = False
    on_headlines: ClassVar[bool] = True

    delta: int = 1  # escalation steps above the counterpart's that count as a shift
    min_level: int = 2  # a term must be at least this loaded to intensify
    # ... and this loaded (loaded in itself, not an ordinary word) when the counterpart has no
    # term of the concept
    added_level: int = 3
    high_step: int = 2  # steps above the counterpart's that make it high severity
    # an ordinary word must stand this many steps above the counterpart's to intensify it
    # ("epidemic" for "cases"; not "war" for "hostilities")
    ordinary_step: int = 2

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r = pair.derived, pair.reference
        r_outlet: dict[str, int] = {}
        r_any: dict[str, int] = {}
        for t in r.framing:
            r_any[t.concept] = max(r_any.get(t.concept, 0), t.level)
            if t.voice == "outlet":
                r_outlet[t.concept] = max(r_outlet.get(t.concept, 0), t.level)
        c_outlet: dict[str, list[FramingTerm]] = defaultdict(list)
        for t in outlet_framing(c):
            c_outlet[t.concept].append(t)
        for concept, terms in c_outlet.items():
            top = max(terms, key=lambda t: t.level)
            present = concept in r_any
            base = r_outlet.get(concept, 0)
            # an ordinary word (under added_level) intensifies only by a wider step
            step = self.delta if top.level >= self.added_level else self.ordinary_step
            if present and top.level - base >= step and top.level >= self.min_level:
                adopted = r_any[concept] >= top.level
                yield Divergence(
                    Category.FRAMING_SHIFTED,
                    Severity.HIGH if top.level - base >= self.high_step else Severity.MEDIUM,
                    f"“{top.term}” in the outlet's own voice; in the counterpart it is only "
                    "inside a quote"
                    if adopted
                    else f"“{top.term}” intensifies the counterpart's “{_best_term(r, concept)}”",
                    c,
                    r,
                    (top.span,),
                    tuple(t.span for t in r.framing if t.concept == concept),
                    detail=f"frame:{concept}:{top.level}>{base}",
                    signals={"level": top.level, "reference_level": base},
                )
            elif not present and top.level >= self.added_level and not reported_speech(c):
                yield Divergence(
                    Category.FRAMING_SHIFTED,
                    Severity.MEDIUM,
                    f"“{top.term}” is the outlet's own loaded wording; the counterpart has none",
                    c,
                    r,
                    (top.span,),
                    (),
                    detail=f"frame-added:{concept}:{top.level}",
                    signals={"level": top.level},
                )
        for concept, base in r_outlet.items():
            if concept in c_outlet:
                top_level = max(t.level for t in c_outlet[concept])
                if base - top_level >= self.delta + 1:
                    yield Divergence(
                        Category.FRAMING_SHIFTED,
                        Severity.LOW,
                        f"softens the counterpart's “{_best_term(r, concept)}”",
                        c,
                        r,
                        tuple(t.span for t in c_outlet[concept]),
                        tuple(t.span for t in r.framing if t.concept == concept),
                        detail=f"soften:{concept}",
                    )


def outlet_framing(claim: Claim) -> list[FramingTerm]:
    """Framing terms in the outlet's own voice. In a headline, words inside quotation marks
    that nobody is said to have spoken (‘World war in 72 hours’) are the outlet's too."""
    out = [t for t in claim.framing if t.voice == "outlet"]
    if claim.kind == "headline":
        for t in claim.framing:
            if t.voice == "quote" and not any(
                q.span.overlaps(t.span) and q.speaker is not None for q in claim.quotes
            ):
                out.append(t)
    return out


def reported_speech(claim: Claim) -> bool:
    """A body claim that reports someone's words ("Rutte said Ukraine needs ... to prevent
    Russian aggression", "officials ... saying it would help Kiev and its sponsors"): its
    wording is the speaker's as much as the outlet's."""
    return claim.kind != "headline" and claim.attribution is not None


def strongest(claims: Iterable[Claim], concept: str) -> Claim | None:
    """The claim with the most loaded term of ``concept``."""
    best: tuple[int, Claim | None] = (-1, None)
    for c in claims:
        for t in c.framing:
            if t.concept == concept and t.level > best[0]:
                best = (t.level, c)
    return best[1]


def _best_term(claim: Claim, concept: str) -> str:
    terms = [t for t in claim.framing if t.concept == concept]
    return max(terms, key=lambda t: t.level).term if terms else concept


@dataclass(frozen=True, slots=True)
class LoadedWordingDetector:
    """Loaded wording beyond the sources: a claim with no counterpart (the outlet's own
    sentence) that uses a term loaded in itself (``added_level`` and up) in its own voice,
    more loaded than any word the references use for the concept ("total conflict within 72
    hours", "a humiliating climbdown"). Aligned claims are the pair detector's."""

    name: ClassVar[str] = "loaded_wording"
    categories: ClassVar[tuple[Category, ...]] = (Category.FRAMING_SHIFTED,)

    added_level: int = 3  # a term at least this loaded (as FramingDetector.added_level)

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        ceiling: dict[str, int] = {}
        for ref in comparison.references:
            for claim in ref.claims:
                for t in claim.framing:
                    ceiling[t.concept] = max(ceiling.get(t.concept, 0), t.level)
        for claim in comparison.article.claims:
            if (
                claim.kind == "headline"
                or comparison.matches.get(claim.id)
                or claim.status == "untranslated"
                or reported_speech(claim)
            ):
                continue
            loaded = [
                t
                for t in outlet_framing(claim)
                if t.level >= self.added_level and t.level > ceiling.get(t.concept, 0)
            ]
            if not loaded:
                continue
            top = max(loaded, key=lambda t: t.level)
            yield Divergence(
                Category.FRAMING_SHIFTED,
                Severity.MEDIUM,
                f"“{top.term}” is the outlet's own loaded wording; no source words it so",
                claim,
                None,
                tuple(t.span for t in loaded),
                (),
                detail=f"frame-beyond:{top.concept}:{top.level}",
                signals={"level": top.level, "reference_level": ceiling.get(top.concept, 0)},
            )
