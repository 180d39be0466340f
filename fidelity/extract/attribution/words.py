"""The small pieces of attribution: tokens with offsets, the closed word classes of English
syntax the subject finder walks over (between a subject and its verb, sentence openers,
determiners), and helpers on phrases."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fidelity.extract.entities import is_capitalised

_TOKEN = re.compile(r"\w+(?:[-.'’]\w+)*(?:['’]s?)?|[^\w\s]")
# Words between a subject and its reporting verb that do not end the subject.
BETWEEN = frozenset(
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
# A clause that makes whoever it follows an unnamed source: "three negotiators who asked not
# to be named", "a diplomat, speaking on condition of anonymity".
ANONYMITY = re.compile(
    r"\b(?:who|speaking|talking)\b[^.;:“”\"«»]{0,40}?\b(?:(?:not\s+to\s+be|declined\s+to\s+be|not\s+being)\s+"
    r"(?:named|identified|quoted)|condition\s+of\s+anonymity|anonymously)\b",
    re.IGNORECASE,
)
# Words that count people without naming them ("three negotiators", "several diplomats").
COUNTS = frozenset(
    "two three four five six seven eight nine ten several some many multiple".split()
)
# Plural nouns of people ("negotiators", "analysts", "residents", "aides"), not of documents
# ("two studies", "several polls"): counted, they are unnamed people.
PEOPLE_PLURAL = re.compile(
    r"(?:ers|ors|ists|ians|ants|ents|ives|aides|officials|diplomats|people|witnesses|staff)$"
)
# Reporting verb forms that are more often plural nouns ("NATO states", "media reports").
NOUN_LIKE = frozenset(
    ["states", "reports", "claims", "notes", "comments", "remarks", "calls", "tells", "disputes"]
)


def verb_context(text: str, end: int) -> bool:
    """Whether what follows reads like a verb's complement: "that", ":", a quote, the end."""
    rest = text[end:].lstrip()
    if not rest or rest[0] in ".:“\"«„‘'":
        return True
    return re.match(r"(that|to|in|on|,\s*citing)\b", rest) is not None


OPENERS = frozenset(
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
PASSIVE = frozenset(["is", "was", "are", "were", "be", "been", "being"])
PARTICIPLE_CLAUSE = re.compile(r"^\s*[a-z]+(?:ing|ed)\b")
# An appositive that describes rather than names: "The Carbon Policy Institute, a think tank,
# estimates" (the name before it is the subject).
DESCRIPTIVE_APPOSITIVE = re.compile(
    r"^\s*(?:(?:a|an)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,4}|(?:which|who)\s+[^,]{1,60})\s*$"
)
DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "its", "his", "her", "their"])
# Lower-case words that never modify a role noun ("a week as ECDC warns" is no noun phrase).
FUNCTION_WORDS = frozenset(
    "as in on at of for by with after before while when and or but than to from into".split()
)
CLAUSE_END = set('.;:!?“”"«»„()[]—–')


@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    stop = len(text) if end is None else end
    return [Tok(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text, start, stop)]


def lower_or_initial(text: str, start: int, word: str) -> bool:
    """A verb or marker is lower-case unless it opens the text ("States" in a name is not)."""
    if not word[:1].isupper():
        return True
    return not text[:start].strip(" \"'“‘«„(")


def is_determiner(word: str) -> bool:
    """ "the", "its" ... or a possessive name ("Germany's finance minister")."""
    return word.lower() in DETERMINERS or (is_capitalised(word) and word.endswith(("'s", "’s")))


def dedupe(chain: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(chain))


def strip_det(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower() in DETERMINERS:
        words.pop(0)
    return " ".join(words).strip(" ,")


def clause_before(text: str, pos: int) -> str:
    i = pos
    while i > 0 and text[i - 1] not in CLAUSE_END and text[i - 1] != ",":
        i -= 1
    return text[i:pos]
