"""Quotations: the words inside the marks changed, a paraphrase presented as a quote, or the
same words put in another speaker's mouth."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Divergence, Pair, Severity
from fidelity.score.detectors.attribution import speakers_differ
from fidelity.score.lexical import normalised
from fidelity.types import Quote


@dataclass(frozen=True, slots=True)
class QuoteDetector:
    name: ClassVar[str] = "quotes"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.QUOTE_ALTERED,
        Category.ATTRIBUTION_CHANGED,
    )
    reads_words: ClassVar[bool] = False
    on_headlines: ClassVar[bool] = True

    min_words: int = 3  # fewer words in quotation marks are scare quotes: framing, not a quote
    match_floor: float = 55.0  # token-set ratio at which two quotes are the same quotation
    verbatim: float = 96.0  # ratio at or above which the words are the same
    translated_floor: float = 60.0  # looser when either side was translated
    paraphrase_min_words: int = 5  # a quote the counterpart only paraphrases: at least this long
    paraphrase_low: float = 50.0  # partial ratio of a paraphrase: at least this ...
    paraphrase_high: float = 90.0  # ... and under this (higher: the words are there verbatim)

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        from rapidfuzz import fuzz

        c, r, translated = pair.derived, pair.reference, pair.translated
        for q in c.quotes:
            words = normalised(q.span.of(c.text))
            if len(words.split()) < self.min_words:
                continue
            best: tuple[float, Quote | None] = (0.0, None)
            for candidate in r.quotes:
                score = fuzz.token_set_ratio(words, normalised(candidate.span.of(r.text)))
                if score > best[0]:
                    best = (score, candidate)
            score, rq = best[0], best[1]
            if rq is not None and score >= self.match_floor:
                ref_words = normalised(rq.span.of(r.text))
                ratio = fuzz.ratio(words, ref_words)
                floor = self.translated_floor if translated else self.verbatim
                if ratio >= floor or words in ref_words:
                    # Same words (or a trimmed excerpt): check who said them. A headline's
                    # speaker is left to the attribution of its body.
                    if (
                        not pair.headline
                        and q.speaker is not None
                        and rq.speaker is not None
                        and speakers_differ(q.speaker, rq.speaker, c, r, pair.words)
                    ):
                        yield Divergence(
                            Category.ATTRIBUTION_CHANGED,
                            Severity.HIGH,
                            f"quote attributed to {q.speaker.name}; the counterpart has "
                            f"{rq.speaker.name} saying it",
                            c,
                            r,
                            (q.span,),
                            (rq.span,),
                            detail=f"quote-speaker:{q.speaker.name}|{rq.speaker.name}",
                        )
                    continue
                if translated:
                    continue  # two translations of one quote differ in wording, not in fact
                yield Divergence(
                    Category.QUOTE_ALTERED,
                    Severity.HIGH
                    if changes_meaning(words, ref_words, pair.words.quote_negations)
                    else Severity.MEDIUM,
                    "the words inside the quotation marks differ from the counterpart's quote",
                    c,
                    r,
                    (q.span,),
                    (rq.span,),
                    detail=f"quote:{words[:40]}",
                    signals={"quote_ratio": round(ratio, 1)},
                )
            elif (
                not r.quotes and not translated and len(words.split()) >= self.paraphrase_min_words
            ):
                # Quoted words the counterpart only paraphrases: paraphrase presented as quote.
                partial = fuzz.partial_ratio(words, normalised(r.text))
                if self.paraphrase_low <= partial < self.paraphrase_high:
                    yield Divergence(
                        Category.QUOTE_ALTERED,
                        Severity.MEDIUM,
                        "presented as a direct quote, but the counterpart has these words only "
                        "as paraphrase",
                        c,
                        r,
                        (q.span,),
                        detail=f"paraphrase-as-quote:{words[:40]}",
                    )


def changes_meaning(a: str, b: str, negations: frozenset[str]) -> bool:
    """A quote change that touches a number or a negation is a high-severity change."""
    diff = set(a.split()) ^ set(b.split())
    return any(w.isdigit() for w in diff) or bool(diff & negations)
