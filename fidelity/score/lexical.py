"""Word-level evidence for the scoring stage: tokens with lemmas, and the scope of negations,
hedges and conditions inside a claim's pivot-language text.

A divergence is judged *locally*: "did not approve" against "approved" is a flip only because
the same lemma stands negated on one side and asserted on the other, not because one sentence
happens to contain one more "not" (a paraphrase that drops a clause would otherwise look
flipped).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

_TOKEN = re.compile(r"[^\W\d_]+(?:[’'\-][^\W\d_]+)*|\d+(?:[.,]\d+)*|[.,;:!?()\"“”«»„]", re.UNICODE)

# Function words: never the content a negation or hedge is about.
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "it's",
        "they",
        "them",
        "their",
        "he",
        "him",
        "his",
        "she",
        "her",
        "we",
        "us",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "one",
        "ones",
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "am",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "done",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "into",
        "onto",
        "about",
        "over",
        "under",
        "after",
        "before",
        "than",
        "then",
        "so",
        "such",
        "very",
        "also",
        "too",
        "even",
        "ever",
        "still",
        "yet",
        "just",
        "only",
        "already",
        "again",
        "any",
        "some",
        "all",
        "both",
        "each",
        "either",
        "other",
        "another",
        "more",
        "most",
        "much",
        "many",
        "few",
        "less",
        "least",
        "own",
        "same",
        "and",
        "or",
        "nor",
        "but",
        "if",
        "while",
        "because",
        "though",
        "although",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "not",
        "no",
        "never",
        "n't",
        "can",
        "could",
        "may",
        "might",
        "will",
        "would",
        "shall",
        "should",
        "must",
        "ought",
        "up",
        "out",
        "off",
        "down",
        "s",
        "said",
        "says",
        "say",
        "told",
        "tell",
        "tells",
        "according",
        "per",
        "its",
        "via",
        "whether",
    ]
)
# Words that end a scope: punctuation and clause joiners.
_SCOPE_END = frozenset([*'.,;:!?()"“”«»„', "but", "and", "or", "while", "because", "whereas"])

# Negators and how many content words they govern.
_NEGATE_ONE = frozenset({"not", "n't", "never", "cannot"})
_NEGATE_PHRASE = frozenset({"no", "without", "none", "nothing", "neither", "nor", "lack", "lacks"})
_NEGATING_VERBS = frozenset(
    ["refuse", "fail", "deny", "reject", "stop", "oppose", "avoid", "unable", "rule", "decline"]
)
# Verbs that negate only when an infinitive follows ("declined to comment", not "declined 8%").
_NEGATING_WITH_TO = frozenset({"decline", "fail", "refuse", "yet"})
_CLAUSE_JOINERS = frozenset(
    ["but", "and", "or", "while", "although", "though", "whereas", "because", "that", "which"]
)
_UNLESS = frozenset({"unless"})

# Clause openers that carry a caveat, dissent or limit an editor would keep.
CAVEATS = (
    "but",
    "although",
    "though",
    "however",
    "including",
    "subject to",
    "pending",
    "still to be",
    "not yet",
    "has not been",
    "have not been",
    "could not",
    "cannot",
    "disputes",
    "disputed",
    "denies",
    "declining to",
    "unless",
    "if",
    "provided that",
    "in the event",
    "as long as",
    "whereas",
    "while",
)

# Clause openers that make what follows a condition.
CONDITIONS = ("if", "unless", "in the event", "provided that", "as long as")

# Weak hedges and modals: the words whose loss makes a claim more certain. "would" and
# "should" are left out: reported speech turns "will" into "would" without hedging.
HEDGES = frozenset(
    [
        "reportedly",
        "allegedly",
        "alleged",
        "purportedly",
        "purported",
        "supposedly",
        "apparently",
        "ostensibly",
        "seemingly",
        "unconfirmed",
        "unverified",
        "rumoured",
        "rumored",
        "perhaps",
        "possibly",
        "probably",
        "likely",
        "unlikely",
        "presumably",
        "could",
        "may",
        "might",
        "tentative",
        "tentatively",
        "preliminary",
    ]
)
# Hedges whose loss turns a report into a fact: a high-severity shift.
STRONG_HEDGES = frozenset({"allegedly", "reportedly", "may", "might", "could"})

_NORM_WORD = re.compile(r"[\w’'-]+", re.UNICODE)


def normalised(text: str) -> str:
    """Case-folded words of ``text`` joined by single spaces (for fuzzy comparison)."""
    return " ".join(_NORM_WORD.findall(text.casefold().replace("’", "'")))


class Token(NamedTuple):  # a named tuple: the scorer makes tens of thousands of these
    text: str
    lower: str
    lemma: str
    start: int
    end: int
    content: bool  # a content word: not a stop word, letters only, longer than one letter


def _token(text: str, lower: str, lemma_: str, start: int, end: int) -> Token:
    content = lower not in STOP and lower.isalpha() and len(lower) > 1
    return Token(text, lower, lemma_, start, end, content)


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    import simplemma  # lazy: a large lemma table

    if word in {"rose", "risen"}:
        return "rise"  # simplemma keeps "rose" (the flower)
    return str(simplemma.lemmatize(word, lang="en")).lower()


def tokenize(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        low = raw.lower().replace("’", "'")
        if low.endswith("n't") and low != "n't":
            # "didn't" -> "did" + "n't"
            cut = m.start() + len(raw) - 3
            out.append(_token(raw[:-3], low[:-3], lemma(low[:-3]), m.start(), cut))
            out.append(_token("n't", "n't", "not", cut, m.end()))
            continue
        out.append(_token(raw, low, lemma(low) if low.isalpha() else low, m.start(), m.end()))
    return out


def _scope(tokens: list[Token], start: int, size: int) -> list[Token]:
    out: list[Token] = []
    for tok in tokens[start:]:
        if tok.lower in _SCOPE_END:
            break
        if tok.content and tok.lemma not in STOP and tok.lemma not in _NEGATING_VERBS:
            out.append(tok)
            if len(out) >= size:
                break
    return out


def _negator_size(tokens: list[Token], i: int) -> int:
    """How many content words the token at ``i`` negates (0: it is not a negator)."""
    tok = tokens[i]
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if tok.lower in _NEGATE_ONE:
        return 1
    if tok.lower in _NEGATE_PHRASE:
        return 2
    if tok.lower in _UNLESS:
        return 4
    if tok.lemma in _NEGATING_WITH_TO or tok.lower in ("yet", "still"):
        # "declined to comment", "yet to be counted", "still to be counted"
        return 1 if nxt == "to" else 0
    if tok.lemma == "rule":
        return 1 if nxt == "out" else 0
    if tok.lemma in _NEGATING_VERBS:
        return 1
    return 0


def negated(tokens: list[Token]) -> dict[str, Token]:
    """Content lemmas under a negation, each with the negator that governs it."""
    out: dict[str, Token] = {}
    for i, tok in enumerate(tokens):
        size = _negator_size(tokens, i)
        if not size:
            continue
        for t in _scope(tokens, i + 1, size):
            out.setdefault(t.lemma, tok)
    return out


def clause_index(tokens: list[Token]) -> list[tuple[set[str], bool]]:
    """The claim's clauses as (content lemmas, holds a negator)."""
    out: list[tuple[set[str], bool]] = []
    lemmas: set[str] = set()
    negative = False
    for i, tok in enumerate(tokens):
        between_numbers = (
            0 < i < len(tokens) - 1
            and tokens[i - 1].lower[:1].isdigit()
            and tokens[i + 1].lower[:1].isdigit()
        )
        if (tok.lower in _SCOPE_END or tok.lower in _CLAUSE_JOINERS) and not between_numbers:
            if lemmas:
                out.append((lemmas, negative))
            lemmas, negative = set(), False
            continue
        if _negator_size(tokens, i):
            negative = True
        if tok.lower == "ever":
            negative = True  # "no company has ever ..." restates a superlative, not a denial
        if tok.content and tok.lemma not in STOP:
            lemmas.add(tok.lemma)
    if lemmas:
        out.append((lemmas, negative))
    return out


def asserted_in(lem: str, index: list[tuple[set[str], bool]]) -> set[str] | None:
    """The clause in which ``lem`` stands with no negator, if there is one."""
    for lemmas, negative in index:
        if lem in lemmas and not negative:
            return lemmas
    return None


def negated_in(lem: str, index: list[tuple[set[str], bool]]) -> set[str] | None:
    for lemmas, negative in index:
        if lem in lemmas and negative:
            return lemmas
    return None


def hedged(tokens: list[Token], hedge_words: frozenset[str]) -> dict[str, Token]:
    """Content lemmas under a hedge or weak modal (the next one or two content words)."""
    out: dict[str, Token] = {}
    for i in hedges(tokens, hedge_words):
        for t in _scope(tokens, i + 1, 2):
            out.setdefault(t.lemma, tokens[i])
    return out


def hedges(tokens: list[Token], hedge_words: frozenset[str]) -> list[int]:
    """Positions of hedges, leaving out modals that a negation turns into a denial or a
    prohibition ("could not", "may not")."""
    return [
        i
        for i, tok in enumerate(tokens)
        if tok.lower in hedge_words
        and not (i + 1 < len(tokens) and tokens[i + 1].lower in ("not", "n't", "never"))
    ]


_CLAUSE_STOP = re.compile(r"[,;.!?](?:\s|$)|\s[–—-]\s")


@lru_cache(maxsize=64)
def _openers_pattern(openers: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(o) for o in sorted(openers, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@lru_cache(maxsize=65536)
def clauses(text: str, openers: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """Clauses of ``text`` that an opener (caveat, condition) introduces: (start, end, opener).

    A clause runs from its opener to the next comma, semicolon or full stop (or to the end).
    """
    low = text.lower()
    out = []
    for m in _openers_pattern(openers).finditer(low):
        end = len(text)
        stop = _CLAUSE_STOP.search(text, m.end())
        if stop and stop.start() > m.end():
            end = stop.start()
        out.append((m.start(), end, m.group()))
    return tuple(out)


# Per-text memos: a claim is compared with many counterparts, its analysis is done once.


@lru_cache(maxsize=65536)
def tokens_of(text: str) -> tuple[Token, ...]:
    return tuple(tokenize(text))


@lru_cache(maxsize=65536)
def negated_of(text: str) -> dict[str, Token]:
    return negated(list(tokens_of(text)))


@lru_cache(maxsize=65536)
def clause_index_of(text: str) -> list[tuple[set[str], bool]]:
    return clause_index(list(tokens_of(text)))


@lru_cache(maxsize=65536)
def hedged_of(text: str, words: frozenset[str]) -> dict[str, Token]:
    return hedged(list(tokens_of(text)), words)


@lru_cache(maxsize=65536)
def hedge_count(text: str, words: frozenset[str]) -> int:
    return len(hedges(list(tokens_of(text)), words))


@lru_cache(maxsize=65536)
def content_lemmas_of(text: str) -> frozenset[str]:
    """Lemmas of the content words of ``text``."""
    return frozenset(t.lemma for t in tokens_of(text) if t.content)


@lru_cache(maxsize=65536)
def lemma_tokens_of(text: str) -> dict[str, Token]:
    """Content tokens of ``text`` by lemma (the last of each lemma); callers must not change it."""
    return {t.lemma: t for t in tokens_of(text) if t.content}


@lru_cache(maxsize=65536)
def lower_tokens_of(text: str) -> dict[str, Token]:
    """Tokens of ``text`` by lower-cased form (the last of each); callers must not change it."""
    return {t.lower: t for t in tokens_of(text)}
