"""Certainty: a plan further along than the counterpart says ("agreed" -> "signed"), a hedge
or weak modal dropped or added on the words both share, a condition stated as fact.

Certainty moves only along graded scales: the stages of one act (considering < agreed <
signed, ``markers.yaml`` status verbs; suspected < charged < convicted, its legal terms), said
of the same thing in both claims, and hedges and modals. A stage inside a condition ("if
convicted") or under a negation ("no decision has been taken") is no stage reached. The act
itself stated plainly ("took bribes", "will hire") is past every stage: it counts against an
early stage of the counterpart (charged with, being considered) when it retells that stage's
object and carries no stage, hedge, condition or weak modal of its own. A plain word pair is
no scale. A condition is "stated as fact" only when the derived claim
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
    status_window: int = 8  # content words after a stage that name what it is said of
    # the act stated plainly counts against a stage up to these levels (charged, on trial;
    # being considered, discussed), when it retells this many words of the stage's object
    bare_levels: tuple[tuple[str, float], ...] = (("legal", 0.6), ("status", 0.2))
    # below a formal charge (suspected, accused), the act said by a speaker ("the opposition
    # says the government mismanaged ...") retells the accusation: only an unattributed
    # statement of it is a shift
    bare_attributed_from: float = 0.5
    bare_shared: int = 2
    bare_window: int = 5

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r, words = pair.derived, pair.reference, pair.words
        # 1. How far a plan or a case has gone: agreed -> signed, charged -> convicted, and
        # an early stage (charged with, being considered) stated as the act itself.
        stage = self._stage_shift(c, r, words)
        if stage is not None:
            yield stage
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
            or bool(_phrase_hedges(c))
        )
        r_has_hedge = (
            bool(hedge_count(r.text, words)) or conditional(r, words) or bool(_phrase_hedges(r))
        )
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
        # ... or a hedging phrase of the extract stage ("is believed to have been caused")
        phrase = _phrase_hedge_on(r, words, c_lemmas)
        if phrase is not None and not c_has_hedge and not weak_modal(c):
            marker, verb = phrase
            yield Divergence(
                Category.CERTAINTY_SHIFTED,
                Severity.MEDIUM,
                f"stated as fact; the counterpart hedges it with “{marker.term}”",
                c,
                r,
                tuple(Span(t.start, t.end) for t in ct if t.lemma == verb.lemma)[:1],
                (marker.span,),
                detail=f"hedge-dropped:{marker.term.lower()}",
            )
            return
        # 2b. An intention ("plans to start") made a fact ("will start", "starts"), on the
        # verb both claims share.
        intention = _intention_on(r, words, c_lemmas)
        if intention is not None and not c_has_hedge and not _intentions(c, words):
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

    def _stage_shift(self, c: Claim, r: Claim, words: Vocabulary) -> Divergence | None:
        """A stage of the derived claim later than the counterpart's on one scale, said of
        the same thing; or the act stated plainly against an early stage of it."""
        for kind in _STAGE_KINDS:
            c_stages, r_stages = _stages(c, kind, words), _stages(r, kind, words)
            if not r_stages:
                continue
            r_top = max(r_stages, key=lambda m: m.level)
            if c_stages:
                c_top = max(c_stages, key=lambda m: m.level)
                gap = round(c_top.level - r_top.level, 6)
                if (
                    c_top.term.lower() != r_top.term.lower()
                    and gap >= self.status_step
                    and _object(c, c_top, words, self.status_window)
                    & _object(r, r_top, words, self.status_window)
                ):
                    return Divergence(
                        Category.CERTAINTY_SHIFTED,
                        Severity.HIGH if gap >= self.status_step_high else Severity.MEDIUM,
                        f"“{c_top.term}” where the counterpart has “{r_top.term}”",
                        c,
                        r,
                        (c_top.span,),
                        (r_top.span,),
                        detail=f"status:{c_top.term}|{r_top.term}",
                    )
                continue
            bare = self._bare_act(c, r, r_stages, kind, words)
            if bare is not None:
                return bare
        return None

    def _bare_act(
        self, c: Claim, r: Claim, r_stages: Sequence[Marker], kind: str, words: Vocabulary
    ) -> Divergence | None:
        """The act stated plainly ("took bribes", "will hire 100 workers") where the
        counterpart has an early stage of it ("charged with accepting bribes", "a call for
        100 positions is being considered"): the derived claim retells the stage's object and
        has no stage of that scale, hedge, condition, weak modal or negation of its own."""
        ceiling = dict(self.bare_levels).get(kind)
        if ceiling is None or _guarded(c, words) or any(m.kind == kind for m in c.markers):
            return None
        mine = _words_of(c, words)
        c_lemmas = {t.lemma for t in tokens_of(c.text, words)}
        for m in sorted(r_stages, key=lambda m: m.level):
            if m.level > ceiling or _head_lemma(m, words) in c_lemmas:
                continue  # "charges of accepting" retells "charged with accepting"
            if kind == "legal" and m.level < self.bare_attributed_from and c.attribution:
                continue
            told = _object(r, m, words, self.bare_window, act=True) & mine
            if len(told) >= self.bare_shared:
                spans = tuple(
                    Span(t.start, t.end) for t in tokens_of(c.text, words) if _word_key(t) in told
                )
                return Divergence(
                    Category.CERTAINTY_SHIFTED,
                    Severity.MEDIUM,
                    f"stated as done; the counterpart has it only at “{m.term}”",
                    c,
                    r,
                    spans[:1],
                    (m.span,),
                    detail=f"stage-dropped:{m.term.lower()}",
                )
        return None


_STAGE_KINDS = ("legal", "status")
_BE = frozenset(["is", "are", "was", "were", "be", "been", "being"])
# words between a stage and the act it names: "charged X WITH accepting", "accused OF"
_ACT_OPENERS = frozenset(["with", "of", "over", "for"])
_SENTENCE_ENDS = frozenset([".", ";", "!", "?", ":"])
_CONTRASTS = frozenset(["but", "although", "though", "while", "whereas", "yet"])


def _stages(claim: Claim, kind: str, words: Vocabulary) -> list[Marker]:
    """The claim's stages of one scale that it states as reached: not inside a condition
    ("if convicted") nor under a negation ("no decision has been", "has not signed")."""
    conditions = clauses(claim.text, words.conditions)
    negations = [m.span for m in claim.markers if m.kind == "negation"]
    out = []
    for m in claim.markers:
        if m.kind != kind or any(s <= m.span.start < e for s, e, _ in conditions):
            continue
        between = [claim.text[n.end : m.span.start] for n in negations if n.end <= m.span.start]
        if any(len(gap.split()) <= 3 for gap in between):
            continue
        out.append(m)
    return out


def _head_lemma(marker: Marker, words: Vocabulary) -> str:
    """The lemma of a stage's main word ("charge" of "charged", "consider" of "being
    considered")."""
    content = [t for t in tokens_of(marker.term, words) if t.content]
    return (content[-1] if content else tokens_of(marker.term, words)[-1]).lemma


def _word_key(t: Token) -> str:
    return t.lemma if t.content else t.lower


def _is_object_word(t: Token, words: Vocabulary) -> bool:
    """A content word or a figure, not a weekday or month (every sentence of a story has
    "on Friday"; they name when, not what)."""
    if t.lower[:1].isdigit():
        return True
    return (
        t.content and not words.weekdays.fullmatch(t.lower) and not words.months.fullmatch(t.lower)
    )


def _words_of(claim: Claim, words: Vocabulary) -> set[str]:
    return {_word_key(t) for t in tokens_of(claim.text, words) if _is_object_word(t, words)}


def _object(
    claim: Claim, marker: Marker, words: Vocabulary, window: int, *, act: bool = False
) -> set[str]:
    """What a stage is said of: the content words (and figures) after it in its sentence, or
    before it when it is passive ("a second call is being considered"). With ``act``, the
    words after "with"/"of" when they follow within a few words ("charged former mayor X
    with accepting bribes": the act, not the person)."""
    tokens = tokens_of(claim.text, words)
    after = [t for t in tokens if t.start >= marker.span.end]
    before = [t for t in tokens if t.end <= marker.span.start]
    passive = marker.term.split()[0].lower() in _BE or any(t.lower in _BE for t in before[-3:])
    if act:
        opener = next(
            (i for i, t in enumerate(after[: window + 3]) if t.lower in _ACT_OPENERS), None
        )
        if opener is not None:
            return set(_clause_words(after[opener + 1 :], words)[:window])
    out = set(_clause_words(after, words)[:window])
    if passive:
        out |= set(_clause_words(list(reversed(before)), words, backwards=True)[:window])
    return out


def _clause_words(
    tokens: Sequence[Token], words: Vocabulary, *, backwards: bool = False
) -> list[str]:
    """The object words of ``tokens`` up to the end of their clause (a full stop, or a
    comma before "but", "although" ...; read ``backwards``, any comma)."""
    out: list[str] = []
    for i, t in enumerate(tokens):
        if t.lower in _SENTENCE_ENDS or (
            t.lower == ","
            and (backwards or (i + 1 < len(tokens) and tokens[i + 1].lower in _CONTRASTS))
        ):
            break
        if _is_object_word(t, words):
            out.append(_word_key(t))
    return out


def _guarded(claim: Claim, words: Vocabulary) -> bool:
    """The claim is no plain statement: a hedge, a condition (or "whether"), a weak modal, a
    negation or an intention of its own."""
    return (
        bool(hedge_count(claim.text, words))
        or any(m.kind in ("hedge", "conditional", "negation") for m in claim.markers)
        or weak_modal(claim)
        or claim.text.rstrip().endswith("?")
    )


def _phrase_hedges(claim: Claim) -> list[Marker]:
    """The extract stage's hedging phrases ("is believed to", "appears to"): single words
    of its hedge list ("possible", "future") name a thing as much as they hedge."""
    return [m for m in claim.markers if m.kind == "hedge" and " " in m.term]


def _phrase_hedge_on(
    claim: Claim, words: Vocabulary, other: frozenset[str]
) -> tuple[Marker, Token] | None:
    """A hedging phrase of ``claim`` and the first content word it governs, when that word
    is one of ``other``'s ("is believed to have been CAUSED" against "was CAUSED")."""
    tokens = tokens_of(claim.text, words)
    for m in _phrase_hedges(claim):
        governed = [t for t in tokens if t.start >= m.span.end and t.content][:2]
        verb = next((t for t in governed if t.lemma in other), None)
        if verb is not None:
            return m, verb
    return None


def _intentions(claim: Claim, words: Vocabulary) -> list[Marker]:
    return [m for m in claim.markers if m.term.lower() in words.intentions]


def _intention_on(
    claim: Claim, words: Vocabulary, other: frozenset[str]
) -> tuple[Marker, Token] | None:
    """An intention of ``claim`` ("plans to") and the verb it governs, when that verb is one
    of ``other``'s content words ("plans to START" against "will START"); a gerund, whose
    lemma is not its verb's, when two of the three words it governs are ("campaigned on
    cutting PROPERTY TAXES" / "will cut property taxes")."""
    tokens = tokens_of(claim.text, words)
    for m in claim.markers:
        if m.kind != "modal" or m.term.lower() not in words.intentions:
            continue
        after = [t for t in tokens if t.start >= m.span.end][:3]
        verb = next((t for t in after if t.content), None)
        if verb is None:
            continue
        governed = [t for t in tokens if t.start >= m.span.end and t.content][:3]
        gerund = verb.lower.endswith("ing") and sum(t.lemma in other for t in governed) >= 2
        if verb.lemma in other or gerund:
            return m, verb
    return None


def weak_modal(claim: Claim) -> bool:
    """A weak modal ("would", "could", "may") makes the claim itself a possibility."""
    return bool(_weak_modals(claim))


def _weak_modals(claim: Claim) -> set[str]:
    return {m.term.lower() for m in claim.markers if m.kind == "modal" and m.level < _FIRM}


_FIRM = 0.85  # "will": the level of markers.yaml at which a modal states, not supposes


def conditional(claim: Claim, words: Vocabulary) -> bool:
    """A conditional marker of the extract stage that makes a condition ("whether" does not)."""
    return any(
        m.kind == "conditional" and m.term.lower() not in words.not_conditions
        for m in claim.markers
    )


def _outside_conditions(text: str, tokens: Sequence[Token], openers: tuple[str, ...]) -> set[str]:
    spans = clauses(text, openers)
    return {t.lemma for t in tokens if t.content and not any(s <= t.start < e for s, e, _ in spans)}
