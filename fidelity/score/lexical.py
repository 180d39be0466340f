"""Word-level evidence for the scoring stage: tokens with lemmas, and the scope of negations,
hedges and conditions inside a claim's pivot-language text.

A divergence is judged *locally*: "did not approve" against "approved" is a flip only because
the same lemma stands negated on one side and asserted on the other, not because one sentence
happens to contain one more "not" (a paraphrase that drops a clause would otherwise look
flipped).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from fidelity.text.lemmas import lemma as language_lemma
from fidelity.text.vocabulary import Vocabulary

_TOKEN = re.compile(r"[^\W\d_]+(?:[’'\-][^\W\d_]+)*|\d+(?:[.,]\d+)*|[.,;:!?()\"“”«»„]", re.UNICODE)
# Punctuation ends a scope in every language; the words that do are the lexicon's.
_PUNCTUATION = frozenset('.,;:!?()"“”«»„')
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


def _token(text: str, lower: str, lemma_: str, start: int, end: int, words: Vocabulary) -> Token:
    content = lower not in words.stop_words and lower.isalpha() and len(lower) > 1
    return Token(text, lower, lemma_, start, end, content)


@lru_cache(maxsize=65536)
def lemma(word: str, words: Vocabulary) -> str:
    """The lemma of ``word`` (lower case) in the vocabulary's language."""
    fixed = words.lemma_exceptions.get(word)
    return fixed if fixed is not None else language_lemma(word, words.language)


def tokenize(text: str, words: Vocabulary) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        low = raw.lower().replace("’", "'")
        clitic = next((c for c in words.negative_clitics if low.endswith(c) and low != c), None)
        if clitic is not None:
            # "didn't" -> "did" + "n't"
            n = len(clitic)
            cut = m.start() + len(raw) - n
            stem = low[:-n]
            out.append(_token(raw[:-n], stem, lemma(stem, words), m.start(), cut, words))
            out.append(_token(clitic, clitic, words.negative_clitics[clitic], cut, m.end(), words))
            continue
        lem = lemma(low, words) if low.isalpha() else low
        out.append(_token(raw, low, lem, m.start(), m.end(), words))
    return out


def _scope(tokens: Sequence[Token], start: int, size: int, words: Vocabulary) -> list[Token]:
    out: list[Token] = []
    for tok in tokens[start:]:
        if tok.lower in _PUNCTUATION or tok.lower in words.scope_ends:
            break
        if (
            tok.content
            and tok.lemma not in words.stop_words
            and tok.lemma not in words.negating_verbs
        ):
            out.append(tok)
            if len(out) >= size:
                break
    return out


def _negator_size(tokens: Sequence[Token], i: int, words: Vocabulary) -> int:
    """How many content words the token at ``i`` negates (0: it is not a negator)."""
    tok = tokens[i]
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if tok.lower in words.negate_one:
        return 1
    if tok.lower in words.negate_phrase:
        return 2
    if tok.lower in words.negate_wide:
        return 4
    if (
        tok.lemma in words.negating_before_infinitive
        or tok.lower in words.negating_before_infinitive_forms
    ):
        # "declined to comment", "yet to be counted", "still to be counted"
        return 1 if nxt in words.infinitive_markers else 0
    if tok.lemma in words.negating_before_particle:
        return 1 if nxt == words.negating_before_particle[tok.lemma] else 0  # "rule out"
    if tok.lemma in words.negating_verbs:
        return 1
    return 0


def cancelled_negators(tokens: Sequence[Token], words: Vocabulary) -> frozenset[int]:
    """Positions of negators that negate nothing: the first word of a phrase that only looks
    negative ("not only", "no later than"), and both halves of a double negation ("did not
    rule out", "never denied"), which asserts."""
    out: set[int] = set()
    lowers = [t.lower for t in tokens]
    for i in range(len(tokens)):
        if any(_phrase_at(lowers, i, p) for p in words.not_negating):
            out.add(i)
    for i in range(len(tokens)):
        if i in out or not _negator_size(tokens, i, words):
            continue
        # the next word that is not a function word: a negating verb there cancels both
        j = i + 1
        while (
            j < len(tokens)
            and tokens[j].lower in words.stop_words
            and tokens[j].lower not in _PUNCTUATION
        ):
            if _negator_size(tokens, j, words):
                break
            j += 1
        if (
            j < len(tokens)
            and tokens[j].lemma in words.negating_verbs
            and _negator_size(tokens, j, words)
        ):
            out.update((i, j))
    return frozenset(out)


def _phrase_at(lowers: Sequence[str], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` is written at ``i``; a "..." in it stands for up to three words that
    are not punctuation ("not ... until": "will not open until 2027")."""
    if not phrase:
        return False
    if phrase[0] == "...":
        return any(
            _phrase_at(lowers, i + k, phrase[1:])
            for k in range(4)
            if not any(w in _PUNCTUATION for w in lowers[i : i + k])
        )
    return (
        i < len(lowers)
        and lowers[i] == phrase[0]
        and (len(phrase) == 1 or _phrase_at(lowers, i + 1, phrase[1:]))
    )


def negated(tokens: Sequence[Token], words: Vocabulary) -> dict[str, Token]:
    """Content lemmas under a negation, each with the negator that governs it."""
    out: dict[str, Token] = {}
    cancelled = cancelled_negators(tokens, words)
    for i, tok in enumerate(tokens):
        size = 0 if i in cancelled else _negator_size(tokens, i, words)
        if not size:
            continue
        for t in _scope(tokens, i + 1, size, words):
            out.setdefault(t.lemma, tok)
    return out


def clause_index(tokens: Sequence[Token], words: Vocabulary) -> list[tuple[set[str], bool]]:
    """The claim's clauses as (content lemmas, holds a negator)."""
    out: list[tuple[set[str], bool]] = []
    lemmas: set[str] = set()
    negative = False
    cancelled = cancelled_negators(tokens, words)
    for i, tok in enumerate(tokens):
        between_numbers = (
            0 < i < len(tokens) - 1
            and tokens[i - 1].lower[:1].isdigit()
            and tokens[i + 1].lower[:1].isdigit()
        )
        ends = (
            tok.lower in _PUNCTUATION
            or tok.lower in words.scope_ends
            or tok.lower in words.clause_joiners
        )
        if ends and not between_numbers:
            if lemmas:
                out.append((lemmas, negative))
            lemmas, negative = set(), False
            continue
        if i not in cancelled and _negator_size(tokens, i, words):
            negative = True
        if tok.lower in words.ever_words:
            negative = True  # "no company has ever ..." restates a superlative, not a denial
        if tok.content and tok.lemma not in words.stop_words:
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


def hedged(tokens: Sequence[Token], words: Vocabulary) -> dict[str, Token]:
    """Content lemmas under a hedge or weak modal (the next one or two content words)."""
    out: dict[str, Token] = {}
    for i in hedges(tokens, words):
        for t in _scope(tokens, i + 1, 2, words):
            out.setdefault(t.lemma, tokens[i])
    return out


def hedges(tokens: Sequence[Token], words: Vocabulary) -> list[int]:
    """Positions of hedges, leaving out modals that a negation turns into a denial or a
    prohibition ("could not", "may not")."""
    return [
        i
        for i, tok in enumerate(tokens)
        if tok.lower in words.hedges
        and not (i + 1 < len(tokens) and tokens[i + 1].lower in words.hedge_cancellers)
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
def tokens_of(text: str, words: Vocabulary) -> tuple[Token, ...]:
    return tuple(tokenize(text, words))


@lru_cache(maxsize=65536)
def negated_of(text: str, words: Vocabulary) -> dict[str, Token]:
    return negated(tokens_of(text, words), words)


@lru_cache(maxsize=65536)
def clause_index_of(text: str, words: Vocabulary) -> list[tuple[set[str], bool]]:
    return clause_index(tokens_of(text, words), words)


@lru_cache(maxsize=65536)
def hedged_of(text: str, words: Vocabulary) -> dict[str, Token]:
    return hedged(tokens_of(text, words), words)


@lru_cache(maxsize=65536)
def hedge_count(text: str, words: Vocabulary) -> int:
    return len(hedges(tokens_of(text, words), words))


@lru_cache(maxsize=65536)
def content_lemmas_of(text: str, words: Vocabulary) -> frozenset[str]:
    """Lemmas of the content words of ``text``."""
    return frozenset(t.lemma for t in tokens_of(text, words) if t.content)


@lru_cache(maxsize=65536)
def lemma_tokens_of(text: str, words: Vocabulary) -> dict[str, Token]:
    """Content tokens of ``text`` by lemma (the last of each lemma); callers must not change it."""
    return {t.lemma: t for t in tokens_of(text, words) if t.content}


@lru_cache(maxsize=65536)
def lower_tokens_of(text: str, words: Vocabulary) -> dict[str, Token]:
    """Tokens of ``text`` by lower-cased form (the last of each); callers must not change it."""
    return {t.lower: t for t in tokens_of(text, words)}
