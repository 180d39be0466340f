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

from fidelity.extract.entities import (
    CONNECTORS,
    NOT_NAMES,
    ORGANISATION_WORDS,
    OUTLET_WORDS,
    is_capitalised,
)
from fidelity.extract.lexicon import EntityEntry, LanguageLexicon, Lexicon
from fidelity.types import Entity, Span, Speaker

_TOKEN = re.compile(r"\w+(?:[-.'’]\w+)*(?:['’]s?)?|[^\w\s]")
# Words between a subject and its reporting verb that do not end the subject.
_BETWEEN = frozenset(
    [
        "also",
        "has",
        "have",
        "had",
        "then",
        "later",
        "once",
        "again",
        "repeatedly",
        "previously",
        "further",
        "already",
        "just",
        "recently",
        "earlier",
        "publicly",
        "openly",
        "explicitly",
        "subsequently",
        "had",
        "still",
        "even",
        "reportedly",
        "allegedly",
        "has",
    ]
)
# Reporting verb forms that are more often plural nouns ("NATO states", "media reports").
_NOUN_LIKE = frozenset(
    ["states", "reports", "claims", "notes", "comments", "remarks", "calls", "tells"]
)


def _verb_context(text: str, end: int) -> bool:
    """Whether what follows reads like a verb's complement: "that", ":", a quote, the end."""
    rest = text[end:].lstrip()
    if not rest or rest[0] in ".:“\"«„‘'":
        return True
    return re.match(r"(that|to|in|on|,\s*citing)\b", rest) is not None


_OPENERS = frozenset(
    [
        "however",
        "instead",
        "meanwhile",
        "furthermore",
        "moreover",
        "in",
        "at",
        "on",
        "during",
        "after",
        "before",
        "recall",
        "specifically",
        "naturally",
        "also",
        "still",
        "yet",
        "but",
        "and",
        "previously",
        "later",
        "earlier",
        "then",
        "so",
        "thus",
        "therefore",
        "indeed",
        "for",
        "with",
    ]
)
_PASSIVE = frozenset(["is", "was", "are", "were", "be", "been", "being"])
_PARTICIPLE_CLAUSE = re.compile(r"^\s*[a-z]+(?:ing|ed)\b")
_DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "its", "his", "her", "their"])
_CLAUSE_END = set('.;:!?“”"«»„()[]—–')


class Registry:
    """What an article has named so far, for pronouns and bare roles (newest last).

    Each pool keeps one entry per distinct speaker at the place of its latest mention (a dict
    in recency order), so a lookup that walks back from the newest sees exactly what a walk
    over every mention would, at a cost that follows the article's distinct names rather
    than its length: a 5 MB article names the same few people thousands of times. Only the
    ``MEMORY`` most recently named are kept: a pronoun or a bare role ("the minister") points
    back a few paragraphs, not to the 300th name before it.
    """

    MEMORY = 256

    def __init__(self) -> None:
        self._speakers: dict[Speaker, None] = {}
        self._mentions: dict[Speaker, None] = {}  # every entity seen, as a speaker

    def _touch(self, pool: dict[Speaker, None], speaker: Speaker) -> None:
        pool.pop(speaker, None)
        pool[speaker] = None
        if len(pool) > self.MEMORY:
            del pool[next(iter(pool))]

    def note_speaker(self, speaker: Speaker) -> None:
        self._touch(self._speakers, speaker)

    def note_entities(self, entities: Sequence[Entity], lexicon: Lexicon) -> None:
        for entity in entities:
            entry = lexicon.lookup_entity(entity.canonical)
            role = entry.role if entry is not None else None
            self._touch(
                self._mentions, Speaker(entity.canonical, entity.canonical, entity.kind, role)
            )

    def _pools(self, speakers_only: bool) -> tuple[dict[Speaker, None], ...]:
        return (self._speakers,) if speakers_only else (self._speakers, self._mentions)

    def last(self, kinds: Sequence[str], *, speakers_only: bool = False) -> Speaker | None:
        for pool in self._pools(speakers_only):
            for speaker in reversed(pool):
                if speaker.kind in kinds:
                    return speaker
        return None

    def by_surname(self, words: Sequence[str]) -> Speaker | None:
        """A person named before whose full name ends with ``words``."""
        tail = [w.lower() for w in words]
        for pool in self._pools(False):
            for speaker in reversed(pool):
                parts = speaker.name.lower().split()
                if (
                    speaker.kind == "person"
                    and len(parts) > len(tail)
                    and parts[-len(tail) :] == tail
                ):
                    return speaker
        return None

    def by_role(self, head: str, *, speakers_only: bool = False) -> Speaker | None:
        head = head.lower()
        for pool in self._pools(speakers_only):
            for speaker in reversed(pool):
                if head in (speaker.role or "").lower() or head in speaker.name.lower().split():
                    return speaker
                if head in speaker.name.lower() and " " in head:
                    return speaker
        return None


@dataclass(frozen=True)
class Attribution:
    speaker: Speaker
    certainty: float | None  # the reporting verb's, when one was found
    anchor: Span | None = None  # the reporting verb or source phrase in the claim text


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[_Tok]:
    stop = len(text) if end is None else end
    return [_Tok(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text, start, stop)]


class Attributor:
    """Finds the speaker of a claim with one language's lexicon."""

    def __init__(self, lexicon: Lexicon, language: LanguageLexicon) -> None:
        self.lexicon = lexicon
        self.lang = language
        self.role_words = (
            frozenset(language.titles)
            | frozenset(language.role_heads)
            | frozenset(a for a in language.anonymous if " " not in a)
        )

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
                if not outside(m.start()) or not _lower_or_initial(text, m.start(), m.group(0)):
                    continue
                entry = self.lang.verb(m.group(0))
                if entry is None:
                    continue
                before = _tokens(text, max(0, m.start() - 40), m.start())
                adverbs = [t.text.lower() for t in before if t.text.lower() not in _BETWEEN]
                last_word = before[-1].text.lower() if before else ""
                if adverbs and adverbs[-1] in _PASSIVE:
                    # "it is noted that" says nothing about who; "was reported by X" does
                    by = re.match(r"\s+by\s+", text[m.end() :])
                    speaker = self._phrase_after(text, m.end() + by.end(), registry) if by else None
                elif m.group(0).lower() in _NOUN_LIKE and not _verb_context(text, m.end()):
                    continue  # "Other NATO states, ...": a noun
                elif m.group(0).lower().endswith("ing") and (
                    last_word == "," or not self._subject(text, m.start(), m.end(), registry)
                ):
                    # "..., adding that": the subject of the sentence speaks
                    if participle is None:
                        start = self._sentence_subject(text, registry)
                        if start is not None:
                            participle = Attribution(start, entry[1], Span(m.start(), m.end()))
                    continue
                else:
                    speaker = self._subject(text, m.start(), m.end(), registry)
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
                replace(citing, via=_dedupe(via)),
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
                    replace(result.speaker, via=_dedupe(merged)), result.certainty, result.anchor
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
            speaker = self._phrase_after(text, m.end(), registry)
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
            speaker = self._phrase_after(text, m.end(), registry)
            if speaker is not None:
                return speaker
        return None

    def _sentence_subject(self, text: str, registry: Registry) -> Speaker | None:
        """The subject opening the sentence ("He also referred ..., noting that")."""
        toks = _tokens(text, 0, min(len(text), 120))
        i = 0
        # skip an opening adverbial: "However,", "In fact,"
        if toks and toks[0].text.lower() in _OPENERS:
            for k, tok in enumerate(toks[:6]):
                if tok.text == ",":
                    i = k + 1
                    break
        if i < len(toks) and toks[i].text.lower() in self.lang.pronouns:
            return self._pronoun(toks[i].text.lower(), registry)
        words: list[str] = []
        for tok in toks[i : i + 8]:
            if tok.text.lower() in NOT_NAMES - _DETERMINERS:
                break
            if (
                is_capitalised(tok.text)
                or tok.text.lower() in self.role_words
                or (tok.text.lower() in CONNECTORS | _DETERMINERS)
            ):
                words.append(tok.text)
            else:
                break
        while words and words[-1].lower() in CONNECTORS | _DETERMINERS:
            words.pop()
        return self._resolve(" ".join(words), registry) if words else None

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
        entry = self.lexicon.lookup_entity(_strip_det(phrase))
        names_only = all(
            (is_capitalised(w) and w.lower() not in NOT_NAMES) or w.lower() in CONNECTORS
            for w in words
        )
        if entry is None and not (names_only and 2 <= len(words) <= 4):
            return None
        speaker = self._resolve(phrase, registry)
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
        heard_by = self._phrase_after(target, 0, registry, outlets_only=True)
        if heard_by is None or heard_by.name == speaker.name:
            return speaker
        return replace(speaker, via=(heard_by.name, *speaker.via))

    def _phrase_after(
        self, text: str, pos: int, registry: Registry, *, outlets_only: bool = False
    ) -> Speaker | None:
        """The source named right after ``pos`` ("Reuters", "sources", "the outlet")."""
        segment = text[pos : pos + 90]
        cut = re.search(r"[,;:.“”\"«»()]|\s(?:that|who|which|as|and|on|in)\s", segment)
        if cut:
            segment = segment[: cut.start()]
        segment = segment.strip()
        if not segment:
            return None
        owner = re.match(r"(.+?)['’]s?\s+(.+)$", segment)
        if self.lang.anonymous_re is not None and not outlets_only:
            anon = self.lang.anonymous_re.search(segment)
            if anon is not None:
                via: tuple[str, ...] = ()
                if owner:
                    holder = self._resolve(owner.group(1), registry)
                    if holder is not None:
                        via = (holder.name, *holder.via)
                return Speaker("anonymous sources", segment, "anonymous", None, via)
        words = segment.split()
        if len(words) > 8:
            words = words[:8]
        # take the longest leading run that resolves
        for k in range(len(words), 0, -1):
            speaker = self._resolve(" ".join(words[:k]), registry)
            if speaker is None:
                continue
            if outlets_only and speaker.kind != "outlet":
                return None
            return speaker
        return None

    def _subject(
        self, text: str, verb_start: int, verb_end: int, registry: Registry
    ) -> Speaker | None:
        """The speaker of the verb at ``verb_start``: before it, or after it when inverted."""
        toks = _tokens(text, 0, verb_start)
        i = len(toks) - 1
        while i >= 0 and toks[i].text.lower() in _BETWEEN:
            i -= 1
        if i >= 0 and toks[i].text.lower() in self.lang.pronouns:
            return self._pronoun(toks[i].text.lower(), registry)
        enclosed = i >= 0 and toks[i].text == ","
        skipped = False
        if enclosed:
            # "Mark Rutte, speaking to the Rada on February 3, confirmed": skip the clause
            k = i - 1
            while k >= 0 and toks[k].text != ",":
                k -= 1
            if k >= 0 and _PARTICIPLE_CLAUSE.match(text[toks[k].end : toks[i].start]):
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
                if role_toks and any(t.text.lower() in self.role_words for t in role_toks):
                    appositive_role = text[role_toks[0].start : role_toks[-1].end]
        anonymous = self._anonymous_subject(text, verb_start, registry)
        if phrase_toks:
            if anonymous is not None and anonymous[1] < phrase_toks[0].start:
                return anonymous[0]  # "Officials at the Pentagon told CNN"
            phrase = text[phrase_toks[0].start : phrase_toks[-1].end]
            speaker = self._resolve(phrase, registry)
            if speaker is not None:
                if appositive_role and speaker.kind == "person":
                    speaker = replace(speaker, role=_strip_det(appositive_role))
                return speaker
        if anonymous is not None:
            return anonymous[0]
        # "..., said NATO chief Mark Rutte": inverted subject after the verb
        prev = text[:verb_start].rstrip()
        if prev.endswith((",", "”", '"', "»", "“", "’")):
            return self._phrase_after(text, verb_end, registry)
        return None

    def _anonymous_subject(
        self, text: str, verb_start: int, registry: Registry
    ) -> tuple[Speaker, int] | None:
        """Unnamed sources in the subject's clause ("Three people familiar with ... told"),
        with where their mention starts."""
        if self.lang.anonymous_re is None:
            return None
        clause = _clause_before(text, verb_start)
        offset = verb_start - len(clause)
        anon = self.lang.anonymous_re.search(clause)
        if anon is None:
            return None
        surface = clause.strip().rstrip(",").strip()
        earlier = registry.last(("anonymous",), speakers_only=True)
        if earlier is not None and surface.lower().startswith(("the ", "these ")):
            return replace(earlier, surface=surface), offset + anon.start()  # named before
        owner = re.match(r"(.+?)['’]s?\s+(?:\w+\s+)?sources", surface)
        via: tuple[str, ...] = ()
        if owner:
            holder = self._resolve(owner.group(1), registry)
            if holder is not None:
                via = (holder.name, *holder.via)
        speaker = Speaker("anonymous sources", surface, "anonymous", None, via)
        return speaker, offset + anon.start()

    def _np_backwards(self, toks: list[_Tok], i: int) -> list[_Tok]:
        """Tokens of the noun phrase ending at ``toks[i]``: names, titles, connectors."""
        out: list[_Tok] = []
        while i >= 0:
            word = toks[i].text
            lower = word.lower()
            if lower in NOT_NAMES and word[:1].isupper():
                break
            if (
                is_capitalised(word)
                or lower in self.role_words
                or lower.rstrip("'’s") in self.role_words
                or (lower in CONNECTORS and out and self._name_before(toks, i - 1))
            ):
                out.append(toks[i])
            elif lower in _DETERMINERS and out:
                out.append(toks[i])
                break
            elif out and word.isalpha() and word.islower():
                # "the finance minister": up to two modifiers after a determiner
                for back in (1, 2):
                    j = i - back
                    if (
                        j >= 0
                        and _is_determiner(toks[j].text)
                        and all(
                            toks[k].text.isalpha() and toks[k].text.islower()
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
        while out and out[0].text.lower() in CONNECTORS - _DETERMINERS:
            out.pop(0)
        return (
            out
            if any(is_capitalised(t.text) or t.text.lower() in self.lang.role_heads for t in out)
            or (out and out[-1].text.lower() in self.role_words)
            else []
        )

    def _name_before(self, toks: list[_Tok], i: int) -> bool:
        """Whether a name or title word ends at ``toks[i]``, across one more connector."""
        for j in (i, i - 1):
            if j < 0:
                return False
            word = toks[j].text
            if is_capitalised(word) or word.lower() in self.role_words:
                return True
            if word.lower() not in CONNECTORS:
                return False
        return False

    def _pronoun(self, pronoun: str, registry: Registry) -> Speaker | None:
        kind = self.lang.pronouns.get(pronoun, "any")
        if kind == "person":
            return registry.last(("person",), speakers_only=True) or registry.last(("person",))
        if kind == "organisation":
            return registry.last(("organisation", "outlet"), speakers_only=True) or registry.last(
                ("organisation", "outlet")
            )
        return registry.last(
            ("person", "organisation", "outlet", "anonymous", "unknown"), speakers_only=True
        )

    def _resolve(self, phrase: str, registry: Registry) -> Speaker | None:
        """A noun phrase as a speaker: lexicon entity, role with name, bare role, or new name."""
        surface = phrase.strip()
        bare = _strip_det(surface)
        if not bare:
            return None
        lower = bare.lower()
        if lower in self.lang.pronouns:
            return self._pronoun(lower, registry)
        first_word = surface.split()[0]
        if not (
            is_capitalised(first_word)
            or first_word.lower() in self.role_words
            or first_word.lower() in _DETERMINERS
        ):
            return None
        entry = self.lexicon.lookup_entity(bare)
        if entry is not None:
            return _speaker_from_entry(entry, surface)
        words = bare.split()
        for k in range(1, len(words)):  # role + known name: "NATO Secretary General Mark Rutte"
            entry = self.lexicon.lookup_entity(" ".join(words[k:]))
            if entry is not None and entry.kind == "person":
                return Speaker(entry.canonical, surface, "person", " ".join(words[:k]))
        if self.lang.anonymous_re is not None and self.lang.anonymous_re.fullmatch(words[-1]):
            earlier = registry.last(("anonymous",), speakers_only=True)
            if earlier is not None and surface.lower().startswith(("the ", "these ")):
                return replace(earlier, surface=surface)  # "the sources" named before
            return Speaker("anonymous sources", surface, "anonymous")  # "Russian officials"
        head = words[-1].lower().rstrip("'’s") if words else ""
        two = " ".join(words[-2:]).lower() if len(words) >= 2 else head
        role_kind = self.lang.role_heads.get(two) or self.lang.role_heads.get(head)
        capitalised_name = [
            w for w in words if is_capitalised(w) and w.lower() not in self.role_words
        ]
        if role_kind is not None and not (
            role_kind == "person"
            and capitalised_name
            and not words[-1][0].islower()
            and head not in self.role_words
        ):
            for k in range(len(words) - 1, 0, -1):  # "the Russian foreign ministry"
                entry = self.lexicon.lookup_entity(" ".join(words[:k]))
                if (
                    entry is not None
                    and entry.kind in ("organisation", "outlet")
                    and role_kind != "person"
                ):
                    return _speaker_from_entry(entry, surface)
            if role_kind == "outlet":
                found = registry.last(("outlet",))
            elif role_kind == "organisation":
                found = registry.by_role(head) or registry.last(("organisation",))
            else:
                found = (
                    registry.by_role(two, speakers_only=True)
                    or registry.by_role(head, speakers_only=True)
                    or registry.last(("person",), speakers_only=True)
                    or registry.by_role(head)
                )
            if found is not None:
                return replace(found, surface=surface)
            return Speaker(bare, surface, role_kind, bare if role_kind == "person" else None)
        # role words then an unknown name: "Health Minister John Smith"
        last_role = max(
            (k for k, w in enumerate(words) if w.lower() in self.lang.titles), default=-1
        )
        if 0 <= last_role < len(words) - 1:
            name = " ".join(words[last_role + 1 :])
            return Speaker(name, surface, "person", " ".join(words[: last_role + 1]))
        for k in range(len(words) - 1, 0, -1):  # "Kremlin representatives"
            entry = self.lexicon.lookup_entity(" ".join(words[:k]))
            if entry is not None:
                return _speaker_from_entry(entry, surface)
        if not capitalised_name:
            return None
        named = registry.by_surname(words)
        if named is not None:  # "Costa said" after "Ana Costa"
            return replace(named, surface=surface)
        lowered = [w.lower() for w in words]
        if lowered[-1] in OUTLET_WORDS:
            kind = "outlet"
        elif any(w in ORGANISATION_WORDS for w in lowered) or (
            words[0].isupper() and len(words[0]) > 1
        ):
            kind = "organisation"
        else:
            kind = "person"
        return Speaker(bare, surface, kind)


def _speaker_from_entry(entry: EntityEntry, surface: str) -> Speaker:
    if entry.stands_for or entry.government:
        return Speaker(entry.stands_for or entry.government or "", surface, "organisation")
    return Speaker(
        entry.canonical, surface, entry.kind, entry.role if entry.kind == "person" else None
    )


def _lower_or_initial(text: str, start: int, word: str) -> bool:
    """A verb or marker is lower-case unless it opens the text ("States" in a name is not)."""
    if not word[:1].isupper():
        return True
    return not text[:start].strip(" \"'“‘«„(")


def _is_determiner(word: str) -> bool:
    """ "the", "its" ... or a possessive name ("Germany's finance minister")."""
    return word.lower() in _DETERMINERS or (is_capitalised(word) and word.endswith(("'s", "’s")))


def _dedupe(chain: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(chain))


def _strip_det(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower() in _DETERMINERS:
        words.pop(0)
    return " ".join(words).strip(" ,")


def _clause_before(text: str, pos: int) -> str:
    i = pos
    while i > 0 and text[i - 1] not in _CLAUSE_END and text[i - 1] != ",":
        i -= 1
    return text[i:pos]
