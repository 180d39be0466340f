"""Additions: what a retelling says that no aligned source sentence backs (against sources only).

A claim the aligner left without a counterpart is one of three things:

- a **retelling the aligner missed**: a source sentence states the same figures (or most of the
  same words, or the same quoted words). Its figures are compared with that sentence
  (``number_changed``), and a figure no source has anywhere is an ``unsupported_addition``;
- a **fabricated attribution**: the claim is pinned on a source (its outlet, or a speaker the
  source quotes) and the sources hold little of it: words put in the source's mouth, HIGH.
  Absence is evidence only where the sources could hold it: when the sources that give that
  voice are shorter than the article itself (an excerpt of the statement, or a few lines of
  another outlet's), the article evidently draws on more than them, and the claim is reported
  as background to check against the full statement (``context_added``, LOW), saying why.
  A direct quote of a speaker whom the sources quote in other words is ``quote_altered``
  (a paraphrase or invention presented as their words), showing what they did say;
- **background** the sources do not cover: ``context_added``, LOW, informational (a true fact
  from elsewhere is not a distortion, and nothing here can tell it from a false one).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Pair, Severity, Signals
from fidelity.score.detectors.background import dated_background, dated_elsewhere
from fidelity.score.detectors.numbers import (
    NumberDetector,
    figures,
    quantity_key,
    quantity_text,
    stated_by_sources,
)
from fidelity.score.figures import same_quantity
from fidelity.score.lexical import content_lemmas_of
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, ExtractedArticle, Quantity, Quote, Span, Speaker


@dataclass(frozen=True, slots=True)
class UnsupportedDetector:
    name: ClassVar[str] = "unsupported"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.NUMBER_CHANGED,
        Category.TEMPORAL_CHANGED,
        Category.UNSUPPORTED_ADDITION,
        Category.FABRICATED_ATTRIBUTION,
        Category.QUOTE_ALTERED,
        Category.CONTEXT_ADDED,
    )

    min_length: int = 25  # characters a claim needs to be more than a fragment
    reworded_min_words: int = 3  # content words a claim needs to be recognised as reworded
    reworded: float = 0.5  # share of them in one source sentence: a rewording, not an addition
    shared_figures: int = 1  # figures a source sentence must state too to be the counterpart
    fabricated_below: float = 0.34  # an attributed claim with less of its words in any source
    quote_found: float = 0.8  # share of a quote's content words in one source sentence
    tolerance: float = 0.01  # as the numbers detector's
    approximate_ratio: float = 0.75

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        if not comparison.strict:
            return
        refs = comparison.references
        ref_claims = [c for r in refs for c in r.claims]
        voices = _voices(refs)
        words = comparison.words
        published = comparison.article.article.published
        for claim in comparison.article.claims:
            if claim.kind == "headline" or comparison.matches.get(claim.id):
                continue
            if claim.status == "untranslated" or not claim.text.strip():
                continue
            counterpart, share, own = self._counterpart(claim, ref_claims, words)
            if counterpart is not None:
                yield from self._retold(claim, counterpart, share, ref_claims, words, published)
                continue
            if len(claim.text) <= self.min_length:
                continue
            speaker = _pinned_on_source(claim, voices)
            # pinned on a source, saying something of its own ("X said so" says nothing)
            if (
                speaker is not None
                and own >= self.reworded_min_words
                and share < self.fabricated_below
            ):
                marks = tuple(q.span for q in claim.quotes) or _find(claim.text, speaker)
                held = _voice_words(speaker, refs)
                relayed = _relayed(comparison, claim, speaker)
                quoted = _quoting(speaker, ref_claims, claim, words) if claim.quotes else None
                if quoted is not None and not relayed:
                    # the sources quote this speaker, in other words: the quote is altered
                    # (a paraphrase or an invention presented as their words)
                    said = _quote_of(quoted, speaker)
                    yield Divergence(
                        Category.QUOTE_ALTERED,
                        Severity.HIGH,
                        f"presented as {speaker}'s words, but no source has them; the sources "
                        f"quote {speaker} saying “{said.span.of(quoted.text).strip(' ,.')}”",
                        claim,
                        quoted,
                        marks,
                        (said.span,),
                        detail="quote-not-said",
                        signals={"speaker": speaker, "best_source_share": round(share, 2)},
                    )
                    continue
                if relayed:
                    # the article retells what the sources hold of this voice elsewhere: it
                    # works from the statement, of which the sources may be an excerpt
                    yield Divergence(
                        Category.CONTEXT_ADDED,
                        Severity.LOW,
                        f"attributed to {speaker}; no source holds it, but the article "
                        f"retells {relayed} other {_statements(relayed)} of {speaker} that "
                        f"the sources hold: it works from {speaker}'s statement, of which "
                        f"the sources that give {speaker} ({held} words) may be an excerpt; "
                        "check it against the full statement",
                        claim,
                        None,
                        marks,
                        detail="pinned-unverifiable",
                        signals={"speaker": speaker, "best_source_share": round(share, 2)},
                    )
                    continue
                paraphrased = None if claim.quotes else _quoting(speaker, ref_claims, claim, words)
                if paraphrased is not None and _topic_shared(claim, paraphrased, speaker, words):
                    # a paraphrase of a speaker the sources quote on the same subject: a loose
                    # retelling of their words, not words put in their mouth
                    said = _quote_of(paraphrased, speaker)
                    yield Divergence(
                        Category.CONTEXT_ADDED,
                        Severity.LOW,
                        f"attributed to {speaker}; no source says it in these words, but the "
                        f"sources quote {speaker} on it: “"
                        f"{said.span.of(paraphrased.text).strip(' ,.')}” (a loose paraphrase?)",
                        claim,
                        paraphrased,
                        marks,
                        (said.span,),
                        detail="pinned-paraphrase",
                        signals={"speaker": speaker, "best_source_share": round(share, 2)},
                    )
                    continue
                yield Divergence(
                    Category.FABRICATED_ATTRIBUTION,
                    Severity.HIGH,
                    f"attributed to {speaker}, but no source holds it (the sources that "
                    f"give {speaker} hold {held} words; the closest sentence has "
                    f"{round(100 * share)}% of the claim's words)",
                    claim,
                    None,
                    marks,
                    detail="pinned",
                    # the more of its words a source has, the likelier a loose retelling
                    signals={
                        "speaker": speaker,
                        "best_source_share": round(share, 2),
                        "confidence": round(1.0 - share, 3),
                    },
                )
            elif (
                claim.attribution is None
                and not claim.quotes
                and (cause := _cause_stated(claim.text)) is not None
                and not _cause_given(claim, ref_claims, words)
            ):
                # a cause or consequence of the story's event stated as fact in the outlet's
                # own voice, that no source sentence gives: a new claim, not background
                dated = dated_elsewhere(claim.text, ref_claims, published)
                if dated is not None:
                    yield dated_background(claim, dated)
                    continue
                yield Divergence(
                    Category.UNSUPPORTED_ADDITION,
                    Severity.MEDIUM,
                    f"a cause or consequence was added: “{cause.of(claim.text)}” states as fact "
                    "a link between events that no source gives",
                    claim,
                    None,
                    (cause,),
                    detail="cause-added",
                )
            elif claim.quantities or claim.quotes or claim.entities:
                yield Divergence(
                    Category.CONTEXT_ADDED,
                    Severity.LOW,
                    "background no source covers",
                    claim,
                    None,
                    detail="claim",
                )

    def _retold(
        self,
        claim: Claim,
        counterpart: Claim,
        share: float,
        sources: Sequence[Claim],
        words: Vocabulary,
        published: str | None = None,
    ) -> Iterator[Divergence]:
        """A retelling the aligner missed: its figures against the sentence it retells."""
        # the pairing is weaker than an alignment: a finding on it is as sure as the pairing
        signals: Signals = {"confidence": round(0.5 + 0.5 * share, 3), "counterpart": "nearest"}
        changed: set[Span] = set()
        pair = Pair(claim, counterpart, words)
        for x in NumberDetector(self.tolerance, self.approximate_ratio).detect(pair):
            changed.update(x.derived_marks)
            yield dataclasses.replace(x, signals={**signals, **(x.signals or {})})
        dated = dated_elsewhere(claim.text, sources, published)
        for q in figures(claim):
            if q.span in changed or stated_by_sources(claim, q, sources, self._same):
                continue
            if dated is not None:
                # a figure of another occasion, dated to it: background, not the story's
                yield dated_background(claim, dated, counterpart)
                return
            yield Divergence(
                Category.UNSUPPORTED_ADDITION,
                Severity.MEDIUM,
                f"the figure “{quantity_text(claim, q)}” appears in no source",
                claim,
                counterpart,
                (q.span,),
                detail=f"q:{quantity_key(q)}",
                signals=signals,
            )

    def _counterpart(
        self, claim: Claim, ref_claims: Sequence[Claim], words: Vocabulary
    ) -> tuple[Claim | None, float, int]:
        """The source sentence the claim retells, the share of the claim's content words in
        the closest source sentence, and how many content words it has besides its speaker's.
        A counterpart states ``shared_figures`` of the claim's figures, or holds most of its
        content words, or the words it quotes."""
        # who said it is not what was said: a source quoting the same person shares the name
        said_by = " ".join(
            " ".join((sp.name, sp.surface, sp.role or ""))
            for sp in (claim.attribution, *(q.speaker for q in claim.quotes))
            if sp is not None
        )
        mine = content_lemmas_of(claim.text, words) - content_lemmas_of(said_by, words)
        quoted = [content_lemmas_of(q.span.of(claim.text), words) for q in claim.quotes]
        # an approximate figure shows which sentence a claim retells too ("almost 4,300")
        checkable = figures(claim, rough=True)
        best: tuple[tuple[int, float], Claim | None] = ((0, 0.0), None)
        top_share = 0.0
        for ref in ref_claims:
            theirs = content_lemmas_of(ref.text, words)
            share = len(mine & theirs) / len(mine) if mine else 0.0
            top_share = max(top_share, share)
            same = sum(
                stated_by_sources(claim, q, (ref,), self._same, any_unit=False) for q in checkable
            )
            found = any(w and len(w & theirs) / len(w) >= self.quote_found for w in quoted)
            reworded = len(mine) >= self.reworded_min_words and share >= self.reworded
            if (same >= self.shared_figures or found or reworded) and (same, share) > best[0]:
                best = ((same, share), ref)
        return best[1], top_share, len(mine)

    def _same(self, a: Quantity, b: Quantity) -> bool:
        return same_quantity(a, b, self.tolerance, self.approximate_ratio)


# a cause or a consequence stated as fact: "X is the reason for Y", "Y happened because of X",
# "due to", "as a result", "to blame for", "led to" (English: the pivot language every source
# language is read in)
_CAUSE = re.compile(
    r"\b(?:(?:the|a|one|main|chief|real) (?:main |real |chief )?(?:reason|cause)s? (?:for|of|"
    r"behind|was|is|were)|(?:that|this) is why|which is why|because(?: of)?|due to|owing to|"
    r"as a (?:direct )?(?:result|consequence)|in consequence|consequently|"
    r"(?:is|are|was|were|be) to blame|(?:was|were|is|are|been) (?:caused|triggered|"
    r"prompted|driven) by|(?:has|have|had) led to|(?:led|leads|lead) to|"
    r"(?:resulted|results) in)\b",
    re.IGNORECASE,
)
# how a source gives a cause in its own words: "in light of these developments", "in
# response to the coronavirus crisis", "amid"
_CAUSE_GIVEN = re.compile(
    r"\b(?:in (?:the )?light of|in response to|in view of|on account of|amid|amidst|"
    r"against the background of|prompted|triggered|to counter|to cushion|to combat)\b",
    re.IGNORECASE,
)
_LINK_WORDS = frozenset({"reason", "cause", "result", "consequence", "blame", "because"})


def _cause_stated(text: str) -> Span | None:
    """Where the sentence states a cause or consequence as fact, or None."""
    m = _CAUSE.search(text)
    return Span(m.start(), m.end()) if m else None


def _cause_given(claim: Claim, sources: Sequence[Claim], words: Vocabulary) -> bool:
    """Whether a source sentence gives a cause too ("in light of", "in response to",
    "because") and shares a word of substance with the claim ("corona" in "coronavirus"):
    the claim then retells the sources' cause, in other words."""
    mine = {w[:5] for w in content_lemmas_of(claim.text, words) - _LINK_WORDS if len(w) >= 5}
    for ref in sources:
        if not (_CAUSE.search(ref.text) or _CAUSE_GIVEN.search(ref.text)):
            continue
        if mine & {w[:5] for w in content_lemmas_of(ref.text, words) if len(w) >= 5}:
            return True
    return False


def _voices(refs: Sequence[ExtractedArticle]) -> tuple[str, ...]:
    """Who speaks in the sources: each source's outlet (without a note in brackets) and the
    speakers its claims and quotes are attributed to."""
    names: set[str] = set()
    for ref in refs:
        outlet = re.sub(r"\(.*?\)", "", ref.article.outlet or "")
        names.update(n.strip() for n in outlet.split("/") if n.strip())
        for c in ref.claims:
            speakers = [c.attribution, *(q.speaker for q in c.quotes)]
            names.update(s.name for s in speakers if s is not None and s.kind != "anonymous")
    return tuple(sorted(names))


def _voice_of(s: Speaker, voice: str) -> bool:
    return s.kind != "anonymous" and any(same_voice(voice, n) for n in (s.name, s.surface) if n)


def _quote_of(claim: Claim, voice: str) -> Quote:
    """The first quote of ``claim`` in ``voice`` (the caller found that it has one)."""
    return next(q for q in claim.quotes if q.speaker and _voice_of(q.speaker, voice))


def _quoting(
    voice: str, ref_claims: Sequence[Claim], claim: Claim, words: Vocabulary
) -> Claim | None:
    """The source sentence quoting ``voice`` directly that shares most words with
    ``claim``, or None when no source quotes it."""
    mine = content_lemmas_of(claim.text, words)
    found = [
        c
        for c in ref_claims
        if any(q.speaker is not None and _voice_of(q.speaker, voice) for q in c.quotes)
    ]
    return max(found, key=lambda c: len(mine & content_lemmas_of(c.text, words)), default=None)


def _topic_shared(claim: Claim, other: Claim, voice: str, words: Vocabulary) -> bool:
    """Whether the two sentences share a word of substance (a content word of five letters
    or more: "budget", not "come") besides the speaker's name."""
    name = content_lemmas_of(voice, words)
    shared = content_lemmas_of(claim.text, words) & content_lemmas_of(other.text, words)
    return any(len(w) >= 5 for w in shared - name)


def _relayed(comparison: Comparison, claim: Claim, voice: str) -> int:
    """How many other claims of the article pinned on ``voice`` the sources hold (aligned)."""
    count = 0
    for other in comparison.article.claims:
        if other.id == claim.id or not comparison.matches.get(other.id):
            continue
        speakers = (other.attribution, *(q.speaker for q in other.quotes))
        if not any(
            s is not None and any(same_voice(voice, n) for n in (s.name, s.surface, *s.via) if n)
            for s in speakers
        ):
            continue
        # what the sources give to another named voice is no statement of this one (it is
        # pinned on the wrong speaker, which attribution reports)
        theirs = [comparison.claims.get(m[0]) for m in comparison.matches[other.id].values()]
        count += not (theirs and all(_given_to_another(t, voice) for t in theirs))
    return count


def _given_to_another(claim: Claim | None, voice: str) -> bool:
    """Whether ``claim`` is attributed to a named speaker other than ``voice``."""
    s = claim.attribution if claim is not None else None
    return (
        s is not None
        and s.kind != "anonymous"
        and not any(same_voice(voice, n) for n in (s.name, s.surface, *s.via) if n)
    )


def _statements(n: int) -> str:
    return "statement" if n == 1 else "statements"


def _words_of(art: ExtractedArticle) -> int:
    """How many words the article's claims hold (headlines aside)."""
    return sum(len(c.text.split()) for c in art.claims if c.kind != "headline")


def _voice_words(voice: str, refs: Sequence[ExtractedArticle]) -> int:
    """How many words the sources that give ``voice`` hold: those it published (its
    outlet) and those that attribute or quote a claim to it."""
    total = 0
    for ref in refs:
        outlet = re.sub(r"\(.*?\)", "", ref.article.outlet or "")
        own = any(same_voice(voice, n.strip()) for n in outlet.split("/") if n.strip())
        if own or any(
            s is not None and s.kind != "anonymous" and same_voice(voice, s.name)
            for c in ref.claims
            for s in (c.attribution, *(q.speaker for q in c.quotes))
        ):
            total += _words_of(ref)
    return total


def _pinned_on_source(claim: Claim, voices: Sequence[str]) -> str | None:
    """The source voice the claim is attributed to (its speaker or the outlet it came
    through), or None."""
    speakers = [claim.attribution, *(q.speaker for q in claim.quotes)]
    for s in speakers:
        if s is None:
            continue
        for name in (s.name, s.surface, *s.via):
            voice = next((v for v in voices if same_voice(name, v)), None)
            if voice is not None:
                return name
    return None


_MINOR = frozenset({"of", "for", "the", "and", "de", "der", "la", "le", "des", "du"})


def same_voice(a: str, b: str) -> bool:
    """Two names of one speaker: equal, one the other's initials ("ECB", "European Central
    Bank"), one a shortening of the other's first word ("Fed", "Federal Reserve"), or every
    word of one among the other's ("Tedros", "Tedros Adhanom Ghebreyesus")."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    for short, long in ((wa, wb), (wb, wa)):
        if len(short) == 1:
            initials = "".join(w[0] for w in long if w not in _MINOR)
            if len(long) > 1 and short[0] == initials:
                return True
            if len(short[0]) >= 3 and long[0].startswith(short[0]) and long[0] != short[0]:
                return True
        if set(short) <= set(long) and any(len(w) > 3 for w in short):
            return True
    return False


def _name_words(name: str) -> list[str]:
    words = re.findall(r"[^\W_]+", name.lower())
    return words[1:] if words[:1] == ["the"] else words


def _find(text: str, needle: str) -> tuple[Span, ...]:
    at = text.find(needle)
    return (Span(at, at + len(needle)),) if at >= 0 else ()
