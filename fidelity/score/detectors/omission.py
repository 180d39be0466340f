"""Omissions: a caveat, condition or limit of the counterpart's sentence left out of the
retelling, and a whole source sentence carrying a caveat or dissent with no counterpart."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Pair, Severity
from fidelity.score.lexical import clauses, content_lemmas_of, lemma, tokens_of
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
