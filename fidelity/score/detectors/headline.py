"""Headlines: a figure or loaded wording of the headline that neither the article's body nor
its references carry. (What the headline's counterparts contradict comes from the pair
detectors that run on headlines; the engine reports it as ``headline_unsupported`` too.)

A headline is held to the whole of its sources, not to one sentence: what one counterpart
seems to contradict is supported when another source sentence says it in the headline's
terms ("slash rates" in the wire's headline for "Fed slashes rate to zero"; "lower" for
"lowers"; "ECB" named elsewhere for "the Governing Council"), and a headline that says less
than a source (a softer word) claims nothing unsupported."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Severity
from fidelity.score.detectors.framing import outlet_framing, strongest
from fidelity.score.detectors.numbers import quantity_key, quantity_text
from fidelity.score.figures import same_quantity
from fidelity.score.lexical import clause_index_of, negated_in, tokens_of
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Quantity

_NAME_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class HeadlineDetector:
    name: ClassVar[str] = "headline"
    categories: ClassVar[tuple[Category, ...]] = (Category.HEADLINE_UNSUPPORTED,)

    tolerance: float = 0.01  # as the numbers detector's: a body figure this close supports it
    approximate_ratio: float = 0.75
    framing_level: int = 3  # a headline term at least this loaded is checked against the body
    framing_delta: int = 1  # escalation steps above the body's that count
    framing_high_step: int = 2  # ... and that make it high severity

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        art, refs = comparison.article, comparison.references
        body = [c for c in art.claims if c.kind != "headline"]
        # A reference's own headline is sourced too: a relayed "Fed cuts rates to 0%" is
        # supported by the wire's headline even when the wire's body words it otherwise.
        sourced = [c for r in refs for c in r.claims]
        support = body + sourced
        # Loaded wording is measured against the references: a body that repeats the
        # headline's "world war" (or escalates on its own) does not make it sourced. With no
        # reference, the body is all there is to hold the headline to.
        levels = _levels(sourced if refs else body)
        in_body = _levels(body)
        for headline in art.claims:
            if headline.kind != "headline":
                continue
            for q in headline.quantities:
                if (
                    q.unit
                    and not any(
                        same_quantity(q, sq, self.tolerance, self.approximate_ratio)
                        for s in support
                        for sq in s.quantities
                    )
                    and not worked_out(headline, q, support, art.article.published)
                ):
                    yield Divergence(
                        Category.HEADLINE_UNSUPPORTED,
                        Severity.HIGH,
                        f"the headline's “{quantity_text(headline, q)}” appears nowhere in the "
                        "body or sources",
                        headline,
                        None,
                        (q.span,),
                        detail=f"hq:{quantity_key(q)}",
                    )
            for t in outlet_framing(headline):
                if t.level < self.framing_level:
                    continue
                step = t.level - levels.get(t.concept, 0)
                if step >= self.framing_delta:
                    top = strongest(sourced or body, t.concept)
                    where = (
                        "the sources say (the body words it as strongly)"
                        if refs and in_body.get(t.concept, 0) >= t.level
                        else "the body and sources say"
                    )
                    yield Divergence(
                        Category.HEADLINE_UNSUPPORTED,
                        Severity.HIGH if step >= self.framing_high_step else Severity.MEDIUM,
                        f"the headline's “{t.term}” goes beyond what {where}",
                        headline,
                        top,
                        (t.span,),
                        tuple(x.span for x in top.framing if x.concept == t.concept) if top else (),
                        detail=f"hframe:{t.concept}",
                    )


def _levels(claims: list[Claim]) -> dict[str, int]:
    """The most loaded level of each framing concept the claims use."""
    levels: dict[str, int] = {}
    for c in claims:
        for t in c.framing:
            levels[t.concept] = max(levels.get(t.concept, 0), t.level)
    return levels


def supported_elsewhere(found: Divergence, sources: Sequence[Claim], words: Vocabulary) -> bool:
    """Whether a pair detector's divergence between a headline and one counterpart is
    answered by the sources as a whole: a softer word than the source's (the headline says
    less), loaded wording a source uses as strongly, a word (or one with the same opposite:
    "lower" / "cut") a source uses for what the counterpart seems to contradict, a negation a
    source sentence makes too, a name the sources carry elsewhere; or by the headline itself,
    hedged in its own words where the counterpart hedges."""
    kind, _, rest = found.detail.partition(":")
    if kind == "soften":
        return True
    if kind in ("frame", "frame-added"):
        concept, _, level = rest.partition(":")
        need = int(level.partition(">")[0] or 0)
        return any(t.concept == concept and t.level >= need for c in sources for t in c.framing)
    if kind == "ant":
        lem = rest.partition("|")[0]
        opposites = words.antonyms.get(lem, frozenset())
        same = {lem} | {w for w, opp in words.antonyms.items() if opp & opposites}
        return any(
            same & {t.lemma for t in tokens} or same & {t.lower for t in tokens}
            for tokens in (tokens_of(c.text, words) for c in sources)
        )
    if kind == "rel" and rest.split(":")[1:2] == ["exact"] and found.derived_marks:
        # a compound modifier ("a 72-hour response") names a length, not that it is exact
        return bool(_COMPOUND.search(found.derived_marks[0].of(found.derived.text)))
    if kind in ("hedge-dropped", "modal-dropped"):
        # a headline that hedges in its own words ("Webb spots possible water vapour") does
        # not state it as fact
        own = {t.lower for t in tokens_of(found.derived.text, words)}
        return any(w in words.hedges or f"{w[:-1]}y" in words.hedges for w in own)
    if kind == "neg-added":
        # a source sentence negates the same thing ("No metro ..." / "metro trains will not run")
        return any(negated_in(rest, clause_index_of(c.text, words)) is not None for c in sources)
    if kind == "ent" and found.derived_marks:
        named = {
            w.lower() for w in _NAME_WORD.findall(found.derived_marks[0].of(found.derived.text))
        }
        return any(named & {w.lower() for w in _NAME_WORD.findall(c.text)} for c in sources)
    return False


_COMPOUND = re.compile(r"\d-[^\W\d_]+")
_CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
_SINCE_YEAR = re.compile(r"\bsince\s+(?:[^\W\d_]+\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
_HOURS_A_YEAR = 8760.0


def worked_out(
    headline: Claim, q: Quantity, support: Sequence[Claim], published: str | None
) -> bool:
    """Whether a headline's figure is no figure ("in a week") or one the support states in
    another form that arithmetic turns into it: a duration between two clock times of one
    sentence ("five hours" / "from 11:00 to 16:00"), or the years since a year the sentence
    names, counted from the article's date ("six-year low" / "the lowest since June 2020")."""
    surface = q.span.of(headline.text).strip().lower()
    if not any(ch.isdigit() for ch in surface) and surface.split()[:1] in (["a"], ["an"]):
        return True
    if q.unit != "hour":
        return False
    for claim in support:
        times = [int(h) * 60 + int(m) for h, m in _CLOCK.findall(claim.text)]
        if any(
            abs((b - a) / 60 - q.value) < 1e-6 for i, a in enumerate(times) for b in times[i + 1 :]
        ):
            return True
    years = q.value / _HOURS_A_YEAR
    if published and years.is_integer() and published[:4].isdigit():
        since = (int(y) for c in support for y in _SINCE_YEAR.findall(c.text))
        return any(int(published[:4]) - y == years for y in since)
    return False
