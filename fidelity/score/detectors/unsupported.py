"""Unsupported additions: a substantive claim of the retelling that no source supports
(against sources only)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Severity
from fidelity.score.lexical import content_lemmas_of
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, ExtractedArticle


@dataclass(frozen=True, slots=True)
class UnsupportedDetector:
    name: ClassVar[str] = "unsupported"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.UNSUPPORTED_ADDITION,
        Category.CONTEXT_ADDED,
    )

    min_length: int = 25  # characters a claim with a figure, quote or name needs to count
    reworded_min_words: int = 3  # content words a claim needs to be recognised as reworded
    reworded: float = 0.5  # share of them in one source sentence: a rewording, not an addition

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        if not comparison.strict:
            return
        refs = comparison.references
        ref_values = {round(q.value, 3) for r in refs for c in r.claims for q in c.quantities}
        for claim in comparison.article.claims:
            if claim.kind == "headline" or comparison.matches.get(claim.id):
                continue
            if self._reworded(claim, refs, comparison.words) or not self._substantive(claim):
                continue
            if claim.status == "untranslated" or not claim.text.strip():
                continue
            new_numbers = [q for q in claim.quantities if round(q.value, 3) not in ref_values]
            if new_numbers or claim.quotes:
                category, severity, why = (
                    Category.UNSUPPORTED_ADDITION,
                    Severity.MEDIUM,
                    "no source supports this claim",
                )
            else:  # a name or a known figure: background, not a claim the sources deny
                category, severity, why = (
                    Category.CONTEXT_ADDED,
                    Severity.LOW,
                    "background no source covers",
                )
            yield Divergence(
                category,
                severity,
                why,
                claim,
                None,
                tuple(q.span for q in new_numbers),
                detail="claim",
            )

    def _substantive(self, claim: Claim) -> bool:
        return bool(claim.quantities or claim.quotes or claim.entities) and (
            len(claim.text) > self.min_length
        )

    def _reworded(self, claim: Claim, refs: Sequence[ExtractedArticle], words: Vocabulary) -> bool:
        """Most of the claim's content words stand together in one source sentence: a
        rewording the aligner missed, not an addition."""
        mine = content_lemmas_of(claim.text, words)
        if len(mine) < self.reworded_min_words:
            return False
        best = max(
            (len(mine & content_lemmas_of(c.text, words)) for r in refs for c in r.claims),
            default=0,
        )
        return best / len(mine) >= self.reworded
