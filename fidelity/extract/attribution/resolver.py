"""A noun phrase as a speaker: a lexicon entity, a role with a name, a bare role or a pronoun
resolved against what the article named before, or a new name."""

from __future__ import annotations

import re
from dataclasses import replace

from fidelity.extract.attribution.gender import compatible, pronoun_gender
from fidelity.extract.attribution.registry import Registry
from fidelity.extract.attribution.words import (
    ANONYMITY,
    COUNTS,
    DETERMINERS,
    PEOPLE_PLURAL,
    strip_det,
)
from fidelity.extract.entities import ORGANISATION_WORDS, OUTLET_WORDS, is_capitalised
from fidelity.extract.lexicon import EntityEntry, LanguageLexicon, Lexicon
from fidelity.types import Speaker


class Resolver:
    """Resolves phrases to speakers with one language's lexicon."""

    def __init__(self, lexicon: Lexicon, language: LanguageLexicon) -> None:
        self.lexicon = lexicon
        self.lang = language
        self.role_words = (
            frozenset(language.titles)
            | frozenset(language.role_heads)
            | frozenset(a for a in language.anonymous if " " not in a)
        )

    def pronoun(self, pronoun: str, registry: Registry) -> Speaker | None:
        """The nearest speaker named before that ``pronoun`` can stand for (a person of its
        gender for "she"/"he", an organisation for "it"), written as the pronoun: a speaker
        found this way is an inference, and the scorer treats it as one."""
        kind = self.lang.pronouns.get(pronoun.lower(), "any")
        gender = pronoun_gender(pronoun)

        def fits(speaker: Speaker) -> bool:
            return compatible(speaker, gender)

        found: Speaker | None
        if kind == "person":
            found = registry.last(("person",), speakers_only=True, fits=fits) or registry.last(
                ("person",), fits=fits
            )
        elif kind == "organisation":
            found = registry.last(("organisation", "outlet"), speakers_only=True) or registry.last(
                ("organisation", "outlet")
            )
        else:
            found = registry.last(
                ("person", "organisation", "outlet", "anonymous", "unknown"), speakers_only=True
            )
        if found is None:
            return None
        return replace(found, surface=pronoun)

    def resolve(self, phrase: str, registry: Registry) -> Speaker | None:
        """A noun phrase as a speaker: lexicon entity, role with name, bare role, or new name."""
        surface = phrase.strip()
        bare = strip_det(surface)
        if not bare:
            return None
        lower = bare.lower()
        if lower in self.lang.pronouns:
            return self.pronoun(bare, registry)
        first_word = surface.split()[0]
        if not (
            is_capitalised(first_word)
            or first_word.lower() in self.role_words
            or first_word.lower() in DETERMINERS
        ):
            return None
        entry = self.lexicon.lookup_entity(bare)
        if entry is not None:
            return speaker_from_entry(entry, surface)
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
                    return speaker_from_entry(entry, surface)
            found: Speaker | None
            if surface.lower().startswith(("a ", "an ", "one ")):
                found = None  # "a transport ministry spokesman": someone not named before
            elif role_kind == "outlet":
                found = registry.last(("outlet",))
            elif role_kind == "organisation":
                # only a body named before by this word: "the company" is not the union,
                # whichever organisation was named last
                found = registry.by_role(head, kinds=("organisation",))
            elif any(w.endswith(("'s", "’s")) for w in words[:-1]):
                # "Vermeulen's lawyer", "the company's chief executive": someone of another
                # person or body, not the last person who spoke
                found = registry.by_role(two, speakers_only=True) or registry.by_role(
                    head, speakers_only=True
                )
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
                return speaker_from_entry(entry, surface)
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

    def phrase_after(
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
        unnamed = _unnamed_after(text, pos, segment)
        if unnamed is not None and not outlets_only:
            return Speaker("anonymous sources", unnamed, "anonymous")
        owner = re.match(r"(.+?)['’]s?\s+(.+)$", segment)
        if self.lang.anonymous_re is not None and not outlets_only:
            anon = self.lang.anonymous_re.search(segment)
            if anon is not None:
                via: tuple[str, ...] = ()
                if owner:
                    holder = self.resolve(owner.group(1), registry)
                    if holder is not None:
                        via = (holder.name, *holder.via)
                return Speaker("anonymous sources", segment, "anonymous", None, via)
        words = segment.split()
        if len(words) > 8:
            words = words[:8]
        if not outlets_only and _counted(words):
            return Speaker("anonymous sources", segment, "anonymous")  # "three negotiators"
        # take the longest leading run that resolves
        for k in range(len(words), 0, -1):
            speaker = self.resolve(" ".join(words[:k]), registry)
            if speaker is None:
                continue
            if outlets_only and speaker.kind != "outlet":
                return None
            if speaker.kind == "person" and speaker.name == speaker.role:
                # a role not named before, then the name in apposition: "said Fiji's
                # climate minister, Losa Tuilagi"
                named = self._apposition(text, pos, registry)
                if named is not None and named.kind == "person":
                    return replace(named, role=speaker.role)
            return speaker
        # a description before the name: "according to mortgage finance agency Freddie Mac",
        # "said lead author Mateo Ruiz of the Autonomous University of Madrid"
        first = next((k for k, w in enumerate(words) if is_capitalised(w)), None)
        if first is not None and first > 0 and all(_describes(w) for w in words[:first]):
            end = first
            while end < len(words) and is_capitalised(words[end]):
                end += 1
            speaker = self.resolve(" ".join(words[first:end]), registry)
            if speaker is not None and not (outlets_only and speaker.kind != "outlet"):
                return speaker
        # "said the study's lead author, Alexei Fedorov": the name in apposition after it
        if not outlets_only and all(_describes(w) for w in words):
            return self._apposition(text, pos, registry)
        return None

    def _apposition(self, text: str, pos: int, registry: Registry) -> Speaker | None:
        """The name in apposition after a description at ``pos`` (", Alexei Fedorov")."""
        rest = text[pos : pos + 160].lstrip()
        after = re.match(r"[^,.;:“”\"«»()]{1,60},\s+((?:[A-Z][\w'’-]+\s?){1,4})(?=[.,;]|$)", rest)
        return self.resolve(after.group(1).strip(), registry) if after else None


def _unnamed_after(text: str, pos: int, segment: str) -> str | None:
    """The words of a source that asked not to be named ("three negotiators who asked not to
    be named"), from ``pos`` to the end of that clause, if the clause right after ``segment``
    says so."""
    start = text.find(segment, pos)
    if start < 0 or not segment[:1].isalnum():
        return None
    after = text[start + len(segment) : start + len(segment) + 80]
    m = ANONYMITY.match(after.lstrip(" ,"))
    if m is None:
        return None
    end = start + len(segment) + (len(after) - len(after.lstrip(" ,"))) + m.end()
    return text[start:end]


def _counted(words: list[str]) -> bool:
    """Whether a phrase counts unnamed people ("three negotiators", "two people"): a number
    then lower-case words only, the last a plural of people ("two studies" are no one)."""
    return (
        len(words) >= 2
        and words[0].lower() in COUNTS
        and all(w.isalpha() and w.islower() for w in words[1:])
        and PEOPLE_PLURAL.search(words[-1]) is not None
    )


def _describes(word: str) -> bool:
    """A lower-case word of a description before a name ("lead author", "the study's")."""
    return word.rstrip("'’s").replace("-", "").isalpha() and word[:1].islower()


def speaker_from_entry(entry: EntityEntry, surface: str) -> Speaker:
    if entry.stands_for or entry.government:
        return Speaker(entry.stands_for or entry.government or "", surface, "organisation")
    return Speaker(
        entry.canonical, surface, entry.kind, entry.role if entry.kind == "person" else None
    )
