"""The judge after the score stage: it decides which claims are unsupported; detectors explain.

For every article that was scored, each translated claim that has a counterpart in what it
was compared with (the sources in ``check`` and with ``--reference``, the other outlets of
its story in consensus mode) is read by the judge against the best windows of that text, and so
is a claim without a counterpart that a detector flagged (an unsupported addition, say). Then:

- findings of the exact detectors (numbers and time relations) are kept as they are;
- a finding of another detector on a claim is kept only when the judge finds the claim
  unsupported (P(supported) below the sentence threshold); otherwise it is dropped as a
  paraphrase the word rules misread;
- a claim the judge rejects that no kept finding explains becomes ``meaning_changed``, with its
  closest counterpart and the derived words the counterpart lacks highlighted; its severity
  comes from the probability;
- the score becomes the share of the article's judged claims that are supported: the mean of
  P(supported), where a claim with a kept finding counts at most 0 (high), 0.5 (medium) or
  0.8 (low).

Omissions and findings on untranslated claims are not the judge's to decide and pass through.
The judge reads words, so it only decides for claims written in the pivot language compared
with counterparts written in it too: a translated retelling uses other words than its source
for the same meaning. For a translated claim (or one compared with a translated counterpart)
the detectors' findings stand as they are, no ``meaning_changed`` is made, and it counts in
the score as supported unless a finding caps it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from fidelity.judge.windows import SourceIndex
from fidelity.score.base import Category
from fidelity.types import (
    SEVERITY_RANK,
    AlignmentResult,
    Claim,
    Evidence,
    ExtractedArticle,
    FidelityScore,
    Finding,
    Severity,
    Span,
)

__all__ = ["EXACT_CATEGORIES", "MEANING_CHANGED", "GateSettings", "apply_judge"]

MEANING_CHANGED = Category.MEANING_CHANGED.value
# what a detector measures exactly (normalised figures and time relations): never overruled
EXACT_CATEGORIES = frozenset({"number_changed", "temporal_changed"})
# what the judge does not read: a fact left out is not a sentence to judge
PASS_THROUGH = frozenset({"omission"})
_CAP = {"high": 0.0, "medium": 0.5, "low": 0.8}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


class Judging(Protocol):
    """What the gate needs of a judge (``fidelity.judge.Judge`` provides it)."""

    def supported(self, pairs: Sequence[tuple[str, str]]) -> Iterable[float]:
        """P(supported) of each (derived sentence, premise) pair."""
        ...


def _in_pivot(claim: Claim) -> bool:
    """Written in the pivot language (not translated, supplied or untranslated)."""
    return claim.status == "original"


def _classifier_id() -> float:
    from fidelity.judge.info import shipped_judge

    info = shipped_judge()
    return float(int(info.sha256[:4], 16)) if info is not None else 0.0


@dataclass(frozen=True, slots=True)
class GateSettings:
    """Thresholds of the gate, recorded in the signature as ``judge.*``."""

    sentence: float  # P(supported) below this: the claim is unsupported
    high_below: float = 0.15  # meaning_changed is high below this P(supported)
    medium_below: float = 0.35  # ... medium below this, low otherwise
    min_alignment: float = 0.45  # a counterpart weaker than this does not count
    # which classifier judged: the first 4 hex digits of the shipped judge.json's sha256 as a
    # number (the signature's thresholds are numbers; `fidelity models list` shows the digest)
    classifier: float = field(default_factory=_classifier_id)

    def as_dict(self) -> dict[str, float]:
        return {
            "judge.classifier": self.classifier,
            "judge.sentence": self.sentence,
            "judge.high_below": self.high_below,
            "judge.medium_below": self.medium_below,
            "judge.min_alignment": self.min_alignment,
        }


def apply_judge(
    extracted: Sequence[ExtractedArticle],
    alignment: AlignmentResult,
    findings: Sequence[Finding],
    scores: Sequence[FidelityScore],
    judge: Judging,
    settings: GateSettings,
) -> tuple[tuple[Finding, ...], tuple[FidelityScore, ...]]:
    """Findings and scores after the judge has read every compared claim.

    Args:
        extracted: the articles with their claims.
        alignment: the align stage's result.
        findings: the score stage's findings (most severe first).
        scores: the score stage's scores; ``compared_with`` names what each article was
            compared with.
        judge: reads (derived sentence, premise) pairs.
        settings: thresholds.
    """
    claims = {c.id: c for a in extracted for c in a.claims}
    by_article = {a.article.id: a for a in extracted}
    partners: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for al in alignment.alignments:
        if al.confidence >= settings.min_alignment:
            partners[al.left].append((al.confidence, al.right))
            partners[al.right].append((al.confidence, al.left))

    # every judged claim: (claim, its best counterpart, the premise it is read against)
    # a claim with no counterpart is read too when a detector flagged it (an addition the
    # source may state in other words): the judge decides whether the source supports it
    flagged = {f.derived.claim_id for f in findings}
    judged: list[tuple[Claim, Claim | None, str]] = []
    other_words: set[str] = set()  # compared claims left to the detectors (translations)
    for score in scores:
        art = by_article.get(score.article_id)
        if art is None:
            continue
        refs = set(score.compared_with)
        index = SourceIndex(
            [
                c.text
                for r in score.compared_with
                if r in by_article
                for c in by_article[r].claims
                if c.status != "untranslated"
            ]
        )
        for claim in art.claims:
            if claim.status == "untranslated":
                continue
            best = max(
                (
                    (conf, o)
                    for conf, o in partners.get(claim.id, ())
                    if claims[o].article_id in refs
                ),
                default=None,
            )
            if best is None and claim.id not in flagged:
                continue
            counterpart = claims[best[1]] if best is not None else None
            if not _in_pivot(claim) or (counterpart is not None and not _in_pivot(counterpart)):
                other_words.add(claim.id)  # in other words than the source's: not the judge's
                continue
            judged.append((claim, counterpart, index.premise(claim.text)))
    probability = dict(
        zip(
            (c.id for c, _, _ in judged),
            (float(p) for p in judge.supported([(c.text, premise) for c, _, premise in judged])),
            strict=True,
        )
    )

    kept: list[Finding] = []
    explained: set[str] = set()
    for f in findings:
        p = probability.get(f.derived.claim_id)
        if f.category in PASS_THROUGH or p is None:
            kept.append(f)
        elif f.category in EXACT_CATEGORIES or p < settings.sentence:
            kept.append(replace(f, signals={**f.signals, "judge_supported": round(p, 4)}))
        else:
            continue
        explained.add(f.derived.claim_id)
    for claim, counterpart, _premise in judged:
        p = probability[claim.id]
        if counterpart is not None and p < settings.sentence and claim.id not in explained:
            kept.append(_meaning_changed(claim, counterpart, p, settings))
    kept.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.category, f.id))

    worst: dict[str, float] = {}
    for f in kept:
        cap = _CAP[f.severity]
        worst[f.derived.claim_id] = min(worst.get(f.derived.claim_id, 1.0), cap)
    rescored = []
    for score in scores:
        art = by_article.get(score.article_id)
        values = [
            min(probability.get(c.id, 1.0), worst.get(c.id, 1.0))
            for c in (art.claims if art else ())
            if c.id in probability or c.id in other_words
        ]
        counts = Counter(f.category for f in kept if f.derived.article_id == score.article_id)
        rescored.append(
            replace(
                score,
                score=round(100.0 * sum(values) / len(values), 1) if values else score.score,
                counts={**dict.fromkeys(score.counts, 0), **counts},
            )
        )
    return tuple(kept), tuple(rescored)


def _meaning_changed(
    claim: Claim, counterpart: Claim, supported: float, settings: GateSettings
) -> Finding:
    severity: Severity = (
        "high"
        if supported < settings.high_below
        else "medium"
        if supported < settings.medium_below
        else "low"
    )
    theirs = {w.lower() for w in _WORD.findall(counterpart.text)}
    marks = tuple(
        Span(m.start(), m.end())
        for m in _WORD.finditer(claim.text)
        if m.group(0).lower() not in theirs
    )
    key = f"{MEANING_CHANGED}|{claim.id}|{counterpart.id}|judge"
    return Finding(
        id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:12],
        category=MEANING_CHANGED,
        severity=severity,
        message=(
            f"the judge finds this claim not supported by its counterparts "
            f"(P(supported) {supported:.2f}); no specific change was identified"
        ),
        derived=Evidence(claim.article_id, claim.id, claim.span, claim.text, marks),
        reference=Evidence(
            counterpart.article_id, counterpart.id, counterpart.span, counterpart.text, ()
        ),
        signals={"judge_supported": round(supported, 4)},
    )
