"""Certainty: a plan further along than the counterpart says ("agreed" -> "signed"), a hedge
or weak modal dropped or added on the words both share, a condition stated as fact.

Certainty moves only along graded scales: the stages of one act (drawn up < agreed < signed,
``markers.yaml`` status verbs, said of the same thing in both claims) and hedges and modals. A
plain word pair is no scale. A condition is "stated as fact" only when the derived claim
asserts the counterpart's consequence (most of its words) and is not itself conditional or
modal ("Should hostilities continue ...", "troops would be treated as targets")."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Divergence, Pair, Severity
from fidelity.score.lexical import (
    Token,
    clauses,
    content_lemmas_of,
    hedge_count,
    hedged_of,
    tokens_of,
)
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Marker, Span


@dataclass(frozen=True, slots=True)
class CertaintyDetector:
    name: ClassVar[str] = "certainty"
    categories: ClassVar[tuple[Category, ...]] = (Category.CERTAINTY_SHIFTED,)
    reads_words: ClassVar[bool] = True
    on_headlines: ClassVar[bool] = True  # but a more careful headline (a hedge added) is fine

    status_step: float = 0.2  # status levels apart that count as a shift ...
    status_step_high: float = 0.4  # ... and as a high-severity one
    condition_shared: int = 2  # content words a condition's consequence shares with the claim
    # ... and the share of the consequence's content words the derived claim asserts: the
    # same proposition, not another sentence of the story that shares a few words
    condition_share: float = 0.5
    status_window: int = 3  # words after a status verb that name what it is said of

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r, words = pair.derived, pair.reference, pair.words
        # 1. How far a plan has gone: agreed -> signed, plan -> decision.
        c_level, c_top = _status_level(c)
        r_level, r_top = _status_level(r)
        if (
            c_top is not None
            and r_top is not None
            and c_top.term.lower() != r_top.term.lower()
            and c_level - r_level >= self.status_step
            and self._same_object(c, c_top, r, r_top, words)
        ):
            yield Divergence(
                Category.CERTAINTY_SHIFTED,
                Severity.HIGH if c_level - r_level >= self.status_step_high else Severity.MEDIUM,
                f"“{c_top.term}” where the counterpart has “{r_top.term}”",
                c,
                r,
                (c_top.span,),
                (r_top.span,),
                detail=f"status:{c_top.term}|{r_top.term}",
            )
            return
        # 2. A hedge or weak modal dropped (or added) on words both claims share.
        ct, rt = tokens_of(c.text, words), tokens_of(r.text, words)
        c_lemmas, r_lemmas = content_lemmas_of(c.text, words), content_lemmas_of(r.text, words)
        hedge_c, hedge_r = hedged_of(c.text, words), hedged_of(r.text, words)
        # a weak modal the counterpart lacks ("would be treated") is no statement of fact
        # either; one both have ("plans to") is the claim itself, not a hedge on it
        c_has_hedge = (
            bool(hedge_count(c.text, words))
            or conditional(c, words)
            or bool(_weak_modals(c) - _weak_modals(r))
        )
        r_has_hedge = bool(hedge_count(r.text, words)) or conditional(r, words)
        shared_r = [lem for lem in hedge_r if lem in c_lemmas]
        if shared_r and not c_has_hedge:
            h = hedge_r[shared_r[0]]
            yield Divergence(
                Category.CERTAINTY_SHIFTED,
                Severity.HIGH if h.lower in words.strong_hedges else Severity.MEDIUM,
                f"stated as fact; the counterpart hedges it with “{h.text}”",
                c,
                r,
                tuple(Span(t.start, t.end) for t in ct if t.lemma == shared_r[0])[:1],
                (Span(h.start, h.end),),
                detail=f"hedge-dropped:{h.lower}",
            )
            return
        # 2b. An intention ("plans to start") made a fact ("will start", "starts"), on the
        # verb both claims share.
        intention = _intention_on(r, words, c_lemmas)
        if intention is not None and not c_has_hedge:
            marker, verb = intention
            yield Divergence(
                Category.CERTAINTY_SHIFTED,
                Severity.MEDIUM,
                f"stated as fact; the counterpart has “{marker.term} {verb.text}”",
                c,
                r,
                tuple(Span(t.start, t.end) for t in ct if t.lemma == verb.lemma)[:1],
                (marker.span,),
                detail=f"modal-dropped:{marker.term.lower()}",
            )
            return
        shared_c = [lem for lem in hedge_c if lem in r_lemmas]
        if shared_c and not r_has_hedge:
            if pair.headline:
                return  # a more careful headline is fine
            h = hedge_c[shared_c[0]]
            yield Divergence(
                Category.CERTAINTY_SHIFTED,
                Severity.MEDIUM,
                f"hedged with “{h.text}” where the counterpart states it as fact",
                c,
                r,
                (Span(h.start, h.end),),
                tuple(Span(t.start, t.end) for t in rt if t.lemma == shared_c[0])[:1],
                detail=f"hedge-added:{h.lower}",
            )
            return
        # 3. A condition dropped while the same proposition is stated as fact.
        if (
            conditional(r, words)
            and not conditional(c, words)
            and not c_has_hedge
            and not weak_modal(c)
        ):
            cond = [m for m in r.markers if m.kind == "conditional"]
            consequence = _outside_conditions(r.text, rt, words.conditions)
            shared = len(consequence & c_lemmas)
            if (
                cond
                and shared >= self.condition_shared
                and shared >= self.condition_share * len(consequence)
            ):
                yield Divergence(
                    Category.CERTAINTY_SHIFTED,
                    Severity.HIGH,
                    f"a conditional (“{cond[0].term} …”) is stated as fact",
                    c,
                    r,
                    (),
                    (cond[0].span,),
                    detail=f"cond:{cond[0].term}",
                )

    def _same_object(
        self, c: Claim, c_top: Marker, r: Claim, r_top: Marker, words: Vocabulary
    ) -> bool:
        """Whether the two status verbs are said of the same thing: a content word after
        each ("signed a plan" / "drew up a plan") in common."""
        return bool(
            _after(c, c_top, words, self.status_window)
            & _after(r, r_top, words, self.status_window)
        )


def _after(claim: Claim, marker: Marker, words: Vocabulary, window: int) -> set[str]:
    following = [t for t in tokens_of(claim.text, words) if t.start >= marker.span.end]
    return {t.lemma for t in following[:window] if t.content}


def _intention_on(
    claim: Claim, words: Vocabulary, other: frozenset[str]
) -> tuple[Marker, Token] | None:
    """An intention of ``claim`` ("plans to") and the verb it governs, when that verb is one
    of ``other``'s content words ("plans to START" against "will START")."""
    tokens = tokens_of(claim.text, words)
    for m in claim.markers:
        if m.kind != "modal" or m.term.lower() not in words.intentions:
            continue
        after = [t for t in tokens if t.start >= m.span.end][:3]
        verb = next((t for t in after if t.content), None)
        if verb is not None and verb.lemma in other:
            return m, verb
    return None


def weak_modal(claim: Claim) -> bool:
    """A weak modal ("would", "could", "may") makes the claim itself a possibility."""
    return bool(_weak_modals(claim))


def _weak_modals(claim: Claim) -> set[str]:
    return {m.term.lower() for m in claim.markers if m.kind == "modal" and m.level < _FIRM}


_FIRM = 0.85  # "will": the level of markers.yaml at which a modal states, not supposes


def _status_level(claim: Claim) -> tuple[float, Marker | None]:
    status = [m for m in claim.markers if m.kind == "status"]
    if not status:
        return -1.0, None
    top = max(status, key=lambda m: m.level)
    return top.level, top


def conditional(claim: Claim, words: Vocabulary) -> bool:
    """A conditional marker of the extract stage that makes a condition ("whether" does not)."""
    return any(
        m.kind == "conditional" and m.term.lower() not in words.not_conditions
        for m in claim.markers
    )


def _outside_conditions(text: str, tokens: Sequence[Token], openers: tuple[str, ...]) -> set[str]:
    spans = clauses(text, openers)
    return {t.lemma for t in tokens if t.content and not any(s <= t.start < e for s, e, _ in spans)}
