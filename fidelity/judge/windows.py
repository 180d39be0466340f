"""Source windows for a derived sentence: the few source sentences that best cover its words.

Cheap lexical retrieval (IDF-weighted word overlap, numbers and names count double), so the
judge reads a short premise instead of a whole article. Pure Python, no model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from fidelity.text.sentences import split_sentences

_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)
_STOP = frozenset(
    """
    a an the of to in on at by for from with and or but is are was were be been being it its this
    that these those as he she they we you i his her their our your them him us me my not no
    do does did has have had will would can could should may might must shall there here which
    who whom what when where why how also than then so if into about over after before up down
    out off just only very more most some any all each both other such own same s t
    """.split()
)

DEFAULT_WINDOWS = 3


def sentences_of(text: str) -> list[str]:
    """The sentences of ``text`` as strings (fidelity's rule-based splitter)."""
    return [span.of(text) for span in split_sentences(text)]


def _terms(text: str) -> list[str]:
    out = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        low = word.lower()
        if low in _STOP:
            continue
        out.append(low)
        if word[0].isdigit() or word[0].isupper():
            out.append(low)  # numbers and names weigh double
    return out


class SourceIndex:
    """The sentences of one source text, indexed for word-overlap retrieval."""

    def __init__(self, sentences: Sequence[str]) -> None:
        self.sentences = list(sentences)
        self._terms = [Counter(_terms(s)) for s in self.sentences]
        df: Counter[str] = Counter()
        for terms in self._terms:
            df.update(terms.keys())
        n = max(len(self.sentences), 1)
        self._idf = {t: math.log(1.0 + n / c) for t, c in df.items()}

    @classmethod
    def of_text(cls, text: str) -> SourceIndex:
        return cls(sentences_of(text))

    def scores(self, sentence: str) -> list[float]:
        """Overlap score of ``sentence`` with each source sentence (length-damped)."""
        query = Counter(_terms(sentence))
        out = []
        for terms in self._terms:
            common = query.keys() & terms.keys()
            score = sum(self._idf[t] * min(query[t], terms[t]) for t in common)
            out.append(score / math.sqrt(1.0 + 0.1 * sum(terms.values())))
        return out

    def premise(self, sentence: str, k: int = DEFAULT_WINDOWS, exclude: int | None = None) -> str:
        """The ``k`` best source sentences for ``sentence``, best first, joined by spaces.

        Best first so that truncation to the model's length cuts the weakest evidence.
        """
        if not self.sentences:
            return ""
        scores = self.scores(sentence)
        order = sorted(
            (i for i in range(len(scores)) if i != exclude), key=lambda i: (-scores[i], i)
        )
        return " ".join(self.sentences[i] for i in order[:k])
