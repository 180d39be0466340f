"""Who a claim is attributed to: reporting verbs, "according to", "X: ...", pronouns, chains.

The subject of a reporting verb ("Rutte said", "the ministry stated", "“…,” said Rutte") is a
noun phrase built from capitalised words, title words and connectors, with an appositive
("the Secretary of the Russian Security Council, Dmitry Medvedev, reiterated") giving the
role. Bare roles ("the Secretary General", "the ministry", "the newspaper") and pronouns
resolve against what the article named before. A speaker heard through someone else carries
the chain in ``Speaker.via``: "Medvedev reiterated to Reuters" -> via Reuters; "the FT
reported, citing sources" -> anonymous sources via the Financial Times; "According to
Reuters, the ministry said" -> the ministry via Reuters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from fidelity.extract.attribution.registry import Registry
from fidelity.extract.attribution.resolver import Resolver
from fidelity.extract.attribution.subject import SubjectFinder
from fidelity.extract.attribution.words import (
    BETWEEN,
    NOUN_LIKE,
    PASSIVE,
    dedupe,
    lower_or_initial,
    strip_det,
    tokens,
    verb_context,
)
from fidelity.extract.entities import CONNECTORS, NOT_NAMES, is_capitalised
from fidelity.extract.lexicon import LanguageLexicon, Lexicon
from fidelity.types import Span, Speaker


@dataclass(frozen=True)
class Attribution:
    speaker: Speaker
    certainty: float | None  # the reporting verb's, when one was found
    anchor: Span | None = None  # the reporting verb or source phrase in the claim text


class Attributor:
    """Finds the speaker of a claim with one language's lexicon."""

    def __init__(self, lexicon: Lexicon, language: LanguageLexicon) -> None:
        self.lexicon = lexicon
        self.lang = language
        self.resolver = Resolver(lexicon, language)
        self.subjects = SubjectFinder(self.resolver)

    # ------------------------------------------------------------------ public

    def attribute(
        self, text: str, quote_spans: Sequence[Span], registry: Registry
    ) -> Attribution | None:
        """The speaker ``text`` is attributed to, if any (outside-quote wording only)."""

        def outside(pos: int) -> bool:
            return not any(q.start - 1 <= pos <= q.end for q in quote_spans)

        according = self._according(text, outside, registry)
        verb_found: Attribution | None = None
        participle: Attribution | None = None
        if self.lang.verb_re is not None:
            for m in self.lang.verb_re.finditer(text):
                if not outside(m.start()) or not lower_or_initial(text, m.start(), m.group(0)):
                    continue
                entry = self.lang.verb(m.group(0))
                if entry is None:
                    continue
                before = tokens(text, max(0, m.start() - 40), m.start())
                adverbs = [t.text.lower() for t in before if t.text.lower() not in BETWEEN]
                last_word = before[-1].text.lower() if before else ""
                if adverbs and adverbs[-1] in PASSIVE:
                    # "it is noted that" says nothing about who; "was reported by X" does
                    by = re.match(r"\s+by\s+", text[m.end() :])
                    speaker = (
                        self.resolver.phrase_after(text, m.end() + by.end(), registry)
                        if by
                        else None
                    )
                elif m.group(0).lower() in NOUN_LIKE and not verb_context(text, m.end()):
                    continue  # "Other NATO states, ...": a noun
                elif m.group(0).lower().endswith("ing") and (
                    last_word == ","
                    or not self.subjects.subject(text, m.start(), m.end(), registry)
                ):
                    # "..., adding that": the subject of the sentence speaks
                    if participle is None:
                        start = self.subjects.sentence_subject(text, registry)
                        if start is not None:
                            participle = Attribution(start, entry[1], Span(m.start(), m.end()))
                    continue
                else:
                    speaker = self.subjects.subject(text, m.start(), m.end(), registry)
                if speaker is None:
                    continue
                speaker = self._with_via_after(text, m, speaker, registry)
                verb_found = Attribution(speaker, entry[1], Span(m.start(), m.end()))
                break
        if verb_found is None:
            verb_found = participle
        citing = self._citing(text, outside, registry)
        result = verb_found
        if citing is not None:
            reporter = verb_found.speaker if verb_found else self._outlet_before(text, registry)
            via = (reporter.name, *reporter.via) if reporter is not None else ()
            result = Attribution(
                replace(citing, via=dedupe(via)),
                verb_found.certainty if verb_found else 0.8,
                verb_found.anchor if verb_found else None,
            )
        if according is not None:
            speaker, anchor = according
            if result is None:
                result = Attribution(speaker, None, anchor)
            elif speaker.kind == "outlet" and result.speaker.name != speaker.name:
                merged = (*result.speaker.via, speaker.name, *speaker.via)
                result = Attribution(
                    replace(result.speaker, via=dedupe(merged)), result.certainty, result.anchor
                )
        if result is None:
            result = self._colon(text, registry)
        if result is not None:
            registry.note_speaker(result.speaker)
        return result

    # ------------------------------------------------------------- pieces

    def _according(
        self, text: str, outside: Callable[[int], bool], registry: Registry
    ) -> tuple[Speaker, Span] | None:
        if self.lang.according_re is None:
            return None
        for m in self.lang.according_re.finditer(text):
            if not outside(m.start()):
                continue
            speaker = self.resolver.phrase_after(text, m.end(), registry)
            if speaker is not None:
                return speaker, Span(m.start(), m.end())
        return None

    def _citing(
        self, text: str, outside: Callable[[int], bool], registry: Registry
    ) -> Speaker | None:
        if self.lang.citing_re is None:
            return None
        for m in self.lang.citing_re.finditer(text):
            if not outside(m.start()):
                continue
            speaker = self.resolver.phrase_after(text, m.end(), registry)
            if speaker is not None:
                return speaker
        return None

    def _outlet_before(self, text: str, registry: Registry) -> Speaker | None:
        for m in (
            reversed(list(self.lexicon.entity_re.finditer(text))) if self.lexicon.entity_re else []
        ):
            entry = self.lexicon.lookup_entity(m.group(0))
            if entry is not None and entry.kind == "outlet":
                return Speaker(entry.canonical, m.group(0), "outlet")
        return None

    def _colon(self, text: str, registry: Registry) -> Attribution | None:
        """Headline and lead-in style "Rutte: NATO ready ..." or "It said: “...”"."""
        m = re.match(r"\s*([^:]{2,60}?):\s+\S", text)
        if not m:
            return None
        phrase = m.group(1).strip()
        words = phrase.split()
        if len(words) > 6 or not words:
            return None
        if words[-1].lower() in self.lang.verbs:  # "It said: ..." without a subject found
            return None
        entry = self.lexicon.lookup_entity(strip_det(phrase))
        names_only = all(
            (is_capitalised(w) and w.lower() not in NOT_NAMES) or w.lower() in CONNECTORS
            for w in words
        )
        if entry is None and not (names_only and 2 <= len(words) <= 4):
            return None
        speaker = self.resolver.resolve(phrase, registry)
        if (
            speaker is None
            or speaker.kind == "place"
            or (entry is not None and entry.kind == "place")
        ):
            return None
        return Attribution(speaker, None, Span(m.start(1), m.end(1)))

    def _with_via_after(
        self, text: str, verb: re.Match[str], speaker: Speaker, registry: Registry
    ) -> Speaker:
        after = text[verb.end() : verb.end() + 80]
        form = verb.group(0).lower()
        target: str | None = None
        m = re.match(r"\s+to\s+(?:the\s+)?([^,.;:“”\"«»]+)", after)
        if m:
            target = m.group(1)
        elif form.startswith(("told", "tell")):
            m2 = re.match(r"\s+([^,.;:“”\"«»]+)", after)
            target = m2.group(1) if m2 else None
        if not target:
            return speaker
        heard_by = self.resolver.phrase_after(target, 0, registry, outlets_only=True)
        if heard_by is None or heard_by.name == speaker.name:
            return speaker
        return replace(speaker, via=(heard_by.name, *speaker.via))


__all__ = ["Attribution", "Attributor", "Registry"]
