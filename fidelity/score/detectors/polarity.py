"""Polarity: a word swapped for its opposite ("rose" -> "fell") or a negation dropped or
added on the same clause, judged on the words both claims share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Divergence, Pair, Severity
from fidelity.score.lexical import (
    asserted_in,
    clause_index_of,
    lemma_tokens_of,
    negated_in,
    negated_of,
    tokens_of,
)
from fidelity.types import Span


@dataclass(frozen=True, slots=True)
class PolarityDetector:
    name: ClassVar[str] = "polarity"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.ANTONYM_SWAPPED,
        Category.NEGATION_FLIPPED,
        Category.TEMPORAL_CHANGED,
    )
    reads_words: ClassVar[bool] = True
    on_headlines: ClassVar[bool] = True

    # The negated and the asserted clause must state the same thing, not merely share a word
    # ("no library will close" is not the clause "12 libraries will have ..."): this share of
    # the larger clause's content words in common.
    same_clause: float = 0.5

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r, words = pair.derived, pair.reference, pair.words
        ct, rt = tokens_of(c.text, words), tokens_of(r.text, words)
        c_lemmas, r_lemmas = lemma_tokens_of(c.text, words), lemma_tokens_of(r.text, words)
        table = words.antonyms
        for lem, tok in c_lemmas.items():
            if lem in r_lemmas:
                continue
            for cand in (tok.lower, lem):
                opposite = [
                    o
                    for o in table.get(cand, ())
                    if (o in r_lemmas or any(t.lower == o for t in rt)) and o not in c_lemmas
                ]
                if opposite:
                    o = opposite[0]
                    rtok = r_lemmas.get(o) or next(t for t in rt if t.lower == o)
                    yield Divergence(
                        Category.TEMPORAL_CHANGED
                        if cand in words.time_order  # before/after: a change of time
                        else Category.ANTONYM_SWAPPED,
                        Severity.HIGH,
                        f"“{tok.text}” where the counterpart says “{rtok.text}”",
                        c,
                        r,
                        (Span(tok.start, tok.end),),
                        (Span(rtok.start, rtok.end),),
                        detail=f"ant:{lem}|{o}",
                    )
                    return
        neg_c, neg_r = negated_of(c.text, words), negated_of(r.text, words)
        clauses_c, clauses_r = clause_index_of(c.text, words), clause_index_of(r.text, words)

        def same_clause(a: set[str] | None, b: set[str] | None) -> bool:
            if not a or not b:
                return False
            return len(a & b) / max(len(a), len(b)) >= self.same_clause

        for lem, negator in neg_r.items():
            here = asserted_in(lem, clauses_c)
            if here is not None and same_clause(here, negated_in(lem, clauses_r)):
                tok = c_lemmas.get(lem) or next(t for t in ct if t.lemma == lem)
                yield Divergence(
                    Category.NEGATION_FLIPPED,
                    Severity.HIGH,
                    f"“{tok.text}” is asserted here; the counterpart says "
                    f"“{negator.text} … {r_lemmas.get(lem, tok).text}”",
                    c,
                    r,
                    (Span(tok.start, tok.end),),
                    (Span(negator.start, negator.end),),
                    detail=f"neg-dropped:{lem}",
                )
                return
        for lem, negator in neg_c.items():
            there = asserted_in(lem, clauses_r)
            if there is not None and same_clause(there, negated_in(lem, clauses_c)):
                rtok = r_lemmas.get(lem) or next(t for t in rt if t.lemma == lem)
                yield Divergence(
                    Category.NEGATION_FLIPPED,
                    Severity.HIGH,
                    f"“{negator.text}” negates “{c_lemmas.get(lem, negator).text}”, which the "
                    "counterpart asserts",
                    c,
                    r,
                    (Span(negator.start, negator.end),),
                    (Span(rtok.start, rtok.end),),
                    detail=f"neg-added:{lem}",
                )
                return
