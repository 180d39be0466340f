"""The subject of a reporting verb: the noun phrase before it (with an appositive role), an
inverted subject after it, unnamed sources in its clause, or the sentence's opening subject."""

from __future__ import annotations

import re
from dataclasses import replace

from fidelity.extract.attribution.registry import Registry
from fidelity.extract.attribution.resolver import Resolver
from fidelity.extract.attribution.words import (
    ANONYMITY,
    BETWEEN,
    DESCRIPTIVE_APPOSITIVE,
    DETERMINERS,
    FUNCTION_WORDS,
    OPENERS,
    PARTICIPLE_CLAUSE,
    Tok,
    clause_before,
    is_determiner,
    strip_det,
    tokens,
)
from fidelity.extract.entities import CONNECTORS, NOT_NAMES, is_capitalised
from fidelity.types import Speaker


class SubjectFinder:
    """Finds who a reporting verb's subject is, resolving phrases with ``resolver``."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def sentence_subject(self, text: str, registry: Registry) -> Speaker | None:
        """The subject opening the sentence ("He also referred ..., noting that")."""
        toks = tokens(text, 0, min(len(text), 120))
        i = 0
        # skip an opening adverbial: "However,", "In fact,"
        if toks and toks[0].text.lower() in OPENERS:
            for k, tok in enumerate(toks[:6]):
                if tok.text == ",":
                    i = k + 1
                    break
        if i < len(toks) and toks[i].text.lower() in self.resolver.lang.pronouns:
            return self.resolver.pronoun(toks[i].text, registry)
        words: list[str] = []
        for tok in toks[i : i + 8]:
            if tok.text.lower() in NOT_NAMES - DETERMINERS:
                break
            if (
                is_capitalised(tok.text)
                or tok.text.lower() in self.resolver.role_words
                or (tok.text.lower() in CONNECTORS | DETERMINERS)
            ):
                words.append(tok.text)
            else:
                break
        while words and words[-1].lower() in CONNECTORS | DETERMINERS:
            words.pop()
        if words and self.resolver.lang.verb(words[0]) is not None:
            return None  # "Describing the situation as ...": the verb opens the sentence
        return self.resolver.resolve(" ".join(words), registry) if words else None

    def subject(
        self, text: str, verb_start: int, verb_end: int, registry: Registry
    ) -> Speaker | None:
        """The speaker of the verb at ``verb_start``: before it, or after it when inverted."""
        toks = tokens(text, 0, verb_start)
        i = len(toks) - 1
        while i >= 0 and toks[i].text.lower() in BETWEEN:
            i -= 1
        if i >= 0 and toks[i].text.lower() in self.resolver.lang.pronouns:
            return self.resolver.pronoun(toks[i].text, registry)
        enclosed = i >= 0 and toks[i].text == ","
        skipped = False
        if enclosed:
            # "Mark Rutte, speaking to the Rada on February 3, confirmed": skip the clause
            k = i - 1
            while k >= 0 and toks[k].text != ",":
                k -= 1
            clause = text[toks[k].end : toks[i].start] if k >= 0 else ""
            if k >= 0 and (PARTICIPLE_CLAUSE.match(clause) or DESCRIPTIVE_APPOSITIVE.match(clause)):
                i, skipped = k, True
        phrase_toks = self._np_backwards(toks, i - 1 if enclosed else i)
        if skipped:
            before_np = [t for t in toks if t.end <= phrase_toks[0].start] if phrase_toks else []
            # the subject before a skipped clause is an appositive only between two commas
            enclosed = bool(before_np) and before_np[-1].text == ","
        appositive_role: str | None = None
        if phrase_toks:
            before = [t for t in toks if t.end <= phrase_toks[0].start]
            opened = bool(before) and before[-1].text == ","
            if enclosed and not opened:
                phrase_toks = []  # "X, adding ...": a participle clause, not an appositive
            elif opened and enclosed:
                # "the Secretary of ..., Dmitry Medvedev, reiterated": a role before the name;
                # "Jane Doe, the finance minister, told": a name before the role
                role_toks = self._np_backwards(before, len(before) - 2)
                named = [t for t in phrase_toks if is_capitalised(t.text)]
                if role_toks and not named and any(is_capitalised(t.text) for t in role_toks):
                    phrase_toks, role_toks = role_toks, phrase_toks
                if role_toks and any(t.text.lower() in self.resolver.role_words for t in role_toks):
                    appositive_role = text[role_toks[0].start : role_toks[-1].end]
        anonymous = self.anonymous_subject(text, verb_start, registry)
        if phrase_toks:
            if anonymous is not None and anonymous[1] < phrase_toks[0].start:
                return anonymous[0]  # "Officials at the Pentagon told CNN"
            phrase = text[phrase_toks[0].start : phrase_toks[-1].end]
            speaker = self.resolver.resolve(phrase, registry)
            if speaker is not None:
                if appositive_role and speaker.kind == "person":
                    speaker = replace(speaker, role=strip_det(appositive_role))
                return speaker
        if anonymous is not None:
            return anonymous[0]
        # "..., said NATO chief Mark Rutte": inverted subject after the verb
        prev = text[:verb_start].rstrip()
        if prev.endswith((",", "”", '"', "»", "“", "’")):
            return self.resolver.phrase_after(text, verb_end, registry)
        return None

    def anonymous_subject(
        self, text: str, verb_start: int, registry: Registry
    ) -> tuple[Speaker, int] | None:
        """Unnamed sources in the subject's clause ("Three people familiar with ... told"),
        with where their mention starts."""
        if self.resolver.lang.anonymous_re is None:
            return None
        clause = clause_before(text, verb_start)
        offset = verb_start - len(clause)
        anon = self.resolver.lang.anonymous_re.search(clause) or ANONYMITY.search(clause)
        if anon is None:
            return None
        surface = clause.strip().rstrip(",").strip()
        earlier = registry.last(("anonymous",), speakers_only=True)
        if earlier is not None and surface.lower().startswith(("the ", "these ")):
            return replace(earlier, surface=surface), offset + anon.start()  # named before
        owner = re.match(r"(.+?)['’]s?\s+(?:\w+\s+)?sources", surface)
        via: tuple[str, ...] = ()
        if owner:
            holder = self.resolver.resolve(owner.group(1), registry)
            if holder is not None:
                via = (holder.name, *holder.via)
        speaker = Speaker("anonymous sources", surface, "anonymous", None, via)
        return speaker, offset + anon.start()

    def _np_backwards(self, toks: list[Tok], i: int) -> list[Tok]:
        """Tokens of the noun phrase ending at ``toks[i]``: names, titles, connectors."""
        out: list[Tok] = []
        while i >= 0:
            word = toks[i].text
            lower = word.lower()
            if lower in NOT_NAMES and word[:1].isupper():
                break
            if (
                is_capitalised(word)
                or lower in self.resolver.role_words
                or lower.rstrip("'’s") in self.resolver.role_words
                or (lower in CONNECTORS and out and self._name_before(toks, i - 1))
            ):
                out.append(toks[i])
            elif lower in DETERMINERS and out:
                out.append(toks[i])
                break
            elif out and word.isalpha() and word.islower():
                # "the finance minister": up to two modifiers after a determiner
                for back in (1, 2):
                    j = i - back
                    if (
                        j >= 0
                        and is_determiner(toks[j].text)
                        and all(
                            toks[k].text.isalpha()
                            and toks[k].text.islower()
                            and toks[k].text not in FUNCTION_WORDS
                            for k in range(j + 1, i + 1)
                        )
                    ):
                        out.extend(toks[k] for k in range(i, j - 1, -1))
                        break
                break
            else:
                break
            i -= 1
        out.reverse()
        while out and out[0].text.lower() in CONNECTORS - DETERMINERS:
            out.pop(0)
        return (
            out
            if any(
                is_capitalised(t.text) or t.text.lower() in self.resolver.lang.role_heads
                for t in out
            )
            or (out and out[-1].text.lower() in self.resolver.role_words)
            else []
        )

    def _name_before(self, toks: list[Tok], i: int) -> bool:
        """Whether a name or title word ends at ``toks[i]``, across one more connector."""
        for j in (i, i - 1):
            if j < 0:
                return False
            word = toks[j].text
            if is_capitalised(word) or word.lower() in self.resolver.role_words:
                return True
            if word.lower() not in CONNECTORS:
                return False
        return False
