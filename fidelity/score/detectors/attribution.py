"""Attribution: the claim pinned on another source for the same statement (another person, a
body of another kind, an on-record statement where the counterpart has unnamed sources), on a
speaker in another office ("UN Secretary-General X" / "conference president X"; the chief
executive / the chief financial officer; lexicons/score/offices.yaml), or a source dropped
(the counterpart's "sources said" stated as fact here).

Not a change: one chain written two ways ("the FT reports" / "the FT reported, citing
sources"), two people saying alike on different occasions ("Putin warned last September" /
Medvedev on 2/2), a speaker found through a pronoun (an inference), and a source named where
the counterpart states the fact in its own voice (adding who said it is ordinary reporting)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from fidelity.score.base import Category, Divergence, Pair, Severity, find_all
from fidelity.score.detectors.certainty import weak_modal
from fidelity.score.offices import Office, OfficeWords, office_words, other_office
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Span, Speaker


@dataclass(frozen=True, slots=True)
class AttributionDetector:
    name: ClassVar[str] = "attribution"
    categories: ClassVar[tuple[Category, ...]] = (Category.ATTRIBUTION_CHANGED,)
    reads_words: ClassVar[bool] = False
    on_headlines: ClassVar[bool] = False  # a headline names its source less often

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r, words = pair.derived, pair.reference, pair.words
        ca, ra = c.attribution, r.attribution
        if (ca is not None and _inferred(ca, words)) or (ra is not None and _inferred(ra, words)):
            return
        if ca is not None and ra is not None:
            if other_occasion(c, r, words):
                return
            if speakers_differ(ca, ra, c, r, words):
                yield Divergence(
                    Category.ATTRIBUTION_CHANGED,
                    Severity.HIGH if "person" in (ca.kind, ra.kind) else Severity.MEDIUM,
                    f"attributed to {_called(ca, c, words)}; the counterpart attributes it to "
                    f"{_called(ra, r, words)}",
                    c,
                    r,
                    name_marks(c.text, ca, words),
                    name_marks(r.text, ra, words),
                    detail=f"attr:{ca.name}|{ra.name}",
                )
                return
            offices = _other_offices(ca, ra, c, r, words.language)
            if offices is not None:
                (mine, my_marks), (theirs, their_marks) = offices
                yield Divergence(
                    Category.ATTRIBUTION_CHANGED,
                    Severity.HIGH if ca.name == ra.name else Severity.MEDIUM,
                    f"said by {_described(ca, mine)}; the counterpart has "
                    f"{_described(ra, theirs)} saying it (another office)",
                    c,
                    r,
                    my_marks,
                    their_marks,
                    detail=f"attr-office:{mine}|{theirs}",
                )
            return
        if (
            ra is not None
            and ca is None
            and ra.kind == "anonymous"
            and words.source_words.search(ra.surface or "")
            and not c.quotes
            and not weak_modal(c)  # "Western countries would issue a warning": no fact
        ):
            yield Divergence(
                Category.ATTRIBUTION_CHANGED,
                Severity.MEDIUM,
                f"the counterpart attributes this to {_mid_sentence(ra.surface or ra.name, r)}; "
                "here it stands as fact",
                c,
                r,
                (),
                find_all(r.text, ra.surface),
                detail=f"attr-dropped:{ra.name}",
            )


def other_occasion(derived: Claim, reference: Claim, words: Vocabulary) -> bool:
    """Whether the two claims report statements of different occasions: the derived claim
    dates its statement earlier ("last September", "repeatedly") and the counterpart does not
    say when, or both say when and the times differ ("yesterday, 2/2" / "last September").
    A counterpart dated earlier against an undated derived claim is still one statement."""
    mine, theirs = _times(derived.text, words), _times(reference.text, words)
    if mine and theirs:
        return not mine & theirs and bool(
            words.earlier_occasions.search(derived.text)
            or words.earlier_occasions.search(reference.text)
        )
    return bool(words.earlier_occasions.search(derived.text)) and not theirs


_DETERMINERS = frozenset("the a an this that these those its their his her our".split())
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _times(text: str, words: Vocabulary) -> frozenset[str]:
    """The times a claim names: weekdays, months, relative times, years, earlier occasions."""
    found: set[str] = set(_YEAR.findall(text))
    for pattern in (words.weekdays, words.months, words.relative_times, words.earlier_occasions):
        found.update(" ".join(m.group(0).lower().split()) for m in pattern.finditer(text))
    return frozenset(found)


def name_marks(text: str, speaker: Speaker, words: Vocabulary) -> tuple[Span, ...]:
    """Where the speaker is named in ``text``: the words of its name, else its surface."""
    marks = [m for w in _proper_words(speaker.name, words) for m in find_all(text, w)]
    if not marks:
        marks = list(find_all(text, speaker.surface))
    return tuple(sorted(set(marks)))[:3]


@lru_cache(maxsize=65536)
def _name_tokens(name: str, words: Vocabulary) -> frozenset[str]:
    from fidelity.text.translit import name_key

    return frozenset(
        name_key(w)
        for w in re.findall(r"[^\W\d_]{3,}", name)
        if w.lower() not in words.generic_speakers
        and w.lower() not in _DETERMINERS  # "The" opening a sentence names no one
        and w[0].isupper()
    )


def _named(speaker: Speaker, words: Vocabulary) -> bool:
    return speaker.kind != "anonymous" and bool(
        _name_tokens(speaker.surface or speaker.name, words)
    )


def speakers_differ(a: Speaker, b: Speaker, ca: Claim, cb: Claim, words: Vocabulary) -> bool:
    """Two speakers that are certainly different sources (not two names for one)."""
    if a.kind == "anonymous" or b.kind == "anonymous":
        # Anonymous sources against a named speaker is a change; two anonymous ones are not,
        # nor an outlet against unnamed sources (its own, "the FT reported, citing sources")
        # or against sources heard through it.
        if (a.kind == "anonymous") == (b.kind == "anonymous"):
            return False
        named, anonymous = (b, a) if a.kind == "anonymous" else (a, b)
        if named.kind == "outlet" or _heard_through(anonymous, named, words):
            return False
        # an on-record statement against sources who are not named ("the ministry said" /
        # "according to ministry sources"); bare "officials" may be the ministry speaking
        return _named(named, words) or (
            named.kind in ("organisation", "person")
            and _on_record(named)
            and bool(words.source_words.search(anonymous.surface or ""))
        )
    ka, kb = _bodies(a, words), _bodies(b, words)
    if ka and kb and not ka & kb:
        return True  # "a ministry spokesman" and "the union's president"
    if not (_named(a, words) and _named(b, words)):
        return False  # "the ministry" and "Maria Zakharova" may be the same source
    ta = _name_tokens(a.name, words) | _name_tokens(a.surface or "", words)
    tb = _name_tokens(b.name, words) | _name_tokens(b.surface or "", words)
    if _acronym(a, b) or _acronym(b, a):
        return False  # "ECDC" and "European Centre for Disease Prevention and Control"
    for via in (*a.via, *b.via):
        ta |= _name_tokens(via, words) if via in b.name or b.name in via else frozenset()
    if ta & tb:
        return False
    # Either name written in the other claim means both claims name both people.
    text_a, text_b = ca.text.lower(), cb.text.lower()
    return not (
        any(w.lower() in text_b for w in _proper_words(a.surface, words))
        or any(w.lower() in text_a for w in _proper_words(b.surface, words))
    )


def _other_offices(
    a: Speaker, b: Speaker, ca: Claim, cb: Claim, language: str
) -> tuple[tuple[str, tuple[Span, ...]], tuple[str, tuple[Span, ...]]] | None:
    """The office each speaker holds where the two hold different ones ("UN Secretary-General
    Amina Odhiambo" / "conference president Amina Odhiambo"; "the company's chief executive" /
    "chief financial officer Lin Mei-hua"), with the office words as written in each claim.
    Speakers of no office (a bare name, "the minister") decide nothing, nor do outlets and
    unnamed sources."""
    if "anonymous" in (a.kind, b.kind) or "outlet" in (a.kind, b.kind):
        return None
    words = office_words(language)
    mine, theirs = _offices(a, words), _offices(b, words)
    found = other_office(mine, theirs)
    if found is None:
        return None
    office_a, office_b = found
    return (
        (office_a.name, _office_marks(ca.text, a, words, office_a.name)),
        (office_b.name, _office_marks(cb.text, b, words, office_b.name)),
    )


def _offices(speaker: Speaker, words: OfficeWords) -> list[Office]:
    # the surface as written first ("conference president Amina Odhiambo"), then the role
    # the article gave the speaker before
    return [o for text in (speaker.surface, speaker.role or "") for o in words.offices(text)]


def _office_marks(text: str, speaker: Speaker, words: OfficeWords, office: str) -> tuple[Span, ...]:
    """Where the claim names the speaker's office, else the speaker."""
    at = text.find(speaker.surface) if speaker.surface else -1
    for o in words.offices(text):
        if o.name == office and (at < 0 or at <= o.start < at + len(speaker.surface)):
            return (Span(o.start, o.end),)
    return tuple(find_all(text, speaker.surface))[:1]


def _called(speaker: Speaker, claim: Claim, words: Vocabulary) -> str:
    """The speaker as a reader knows them: the canonical name of a named one ("Dmitry
    Medvedev" for "Medvedev"), the claim's own words for a body or sources it does not name
    ("the union", "ministry sources")."""
    if _named(speaker, words) and _name_tokens(speaker.name, words):
        return speaker.name
    return _mid_sentence(speaker.surface or speaker.name, claim)


def _described(speaker: Speaker, office: str) -> str:
    """The speaker as the claim names them, with the office ("commissioner Lena Korhonen")."""
    surface = speaker.surface or speaker.name
    if speaker.role and speaker.role.lower() not in surface.lower():
        return f"{speaker.role} {surface}" if speaker.name in surface else surface
    return surface


_INDEFINITE = frozenset("a an one some several two three four five".split())
_UNNAMED_HEADS = frozenset(
    "official officials diplomat diplomats insider insiders aide aides source sources".split()
)
_SPOKESPEOPLE = frozenset("spokesman spokeswoman spokesperson spokespeople".split())


def _on_record(speaker: Speaker) -> bool:
    """Whether an unnamed speaker speaks on record: a body ("the ministry", "police") or its
    spokesperson, not someone who could be a source of the same kind ("a diplomat", "a senior
    official", "the official")."""
    said = (speaker.surface or speaker.name).lower().split()
    if any(w in _SPOKESPEOPLE for w in said):
        return True
    return bool(said) and said[0] not in _INDEFINITE and said[-1] not in _UNNAMED_HEADS


def _bodies(speaker: Speaker, words: Vocabulary) -> frozenset[str]:
    """The kinds of body the speaker speaks for, by the generic words of its name and role
    ("a transport ministry spokesman": government)."""
    text = " ".join((speaker.name, speaker.surface or "", speaker.role or "")).lower()
    return frozenset(
        words.speaker_bodies[w] for w in re.findall(r"[^\W\d_]+", text) if w in words.speaker_bodies
    )


def _acronym(short: Speaker, long: Speaker) -> bool:
    """Whether ``short`` is written as the initials of ``long``'s capitalised words."""
    for name in {short.name, short.surface or ""}:
        letters = re.sub(r"[^A-Z]", "", name)
        if len(letters) < 2 or len(letters) != len(name.strip().replace(".", "")):
            continue
        for full in (long.name, long.surface or ""):
            initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", full) if w[0].isupper())
            if initials == letters or (
                len(letters) >= 3
                and initials[:1] == letters[:1]
                and _subsequence(letters, initials)
            ):
                return True  # "ECDC": an acronym may skip a word ("Prevention")
    return False


def _subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def _heard_through(anonymous: Speaker, named: Speaker, words: Vocabulary) -> bool:
    """Whether ``named`` is in the chain ``anonymous`` was heard through."""
    mine = _name_tokens(named.name, words) | _name_tokens(named.surface or "", words)
    return any(_name_tokens(via, words) & mine for via in anonymous.via)


def _proper_words(text: str, words: Vocabulary) -> list[str]:
    """Capitalised words of a name (not "foreign", "ministry", ...)."""
    return [
        w
        for w in re.findall(r"[^\W\d_]{3,}", text)
        if w[0].isupper()
        and w.lower() not in words.generic_speakers
        and w.lower() not in _DETERMINERS
    ]


def _mid_sentence(surface: str, claim: Claim) -> str:
    """An anonymous source's words as they read inside a sentence: "Three people familiar
    with the matter" -> "three people ...". Only the capital the sentence start gave it goes;
    a name's (an entity of the claim starts there: "Kremlin sources") or an acronym's stays."""
    first = surface.split(" ", 1)[0]
    at = claim.text.find(surface)
    if (
        not (first[:1].isupper() and first[1:].islower())
        or at < 0
        or claim.text[:at].strip(" \"'“‘«„(")
        or any(e.span.start == at for e in claim.entities)
    ):
        return surface
    return first.lower() + surface[len(first) :]


def _inferred(speaker: Speaker, words: Vocabulary) -> bool:
    """A speaker found by resolving a pronoun: too uncertain to call a change on."""
    return (speaker.surface or "").strip().lower() in words.speaker_pronouns
