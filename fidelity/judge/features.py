"""Word-alignment features of a derived sentence against a source (no neural encoder).

For each derived sentence, ``sentence_features`` builds one fixed-length vector
(``FEATURE_NAMES``) from the words alone: content lemmas, numbers, names and word pairs the
source lacks; the source sentence it is best aligned with by IDF-weighted shared lemmas, and how
much of the sentence that sentence (and the best three) cover; negators added or removed and a
word whose listed antonym the aligned sentence uses; words the sentence shares with the source
that occur there far from its other words (a name or figure moved in from elsewhere); the
substitutions a word diff against the aligned sentence shows, and how close in spelling the
novel words are to source words (an inflection, not a new word).

An earlier judge read these word features beside token and sentence vectors of a frozen
all-MiniLM-L6-v2; the encoder features moved its leave-one-domain-out figures by less than the
noise of threshold choice (``MODEL_CARD.md``) and cost torch, 340 MB and 20 pairs/s, so the
judge is words only: pure Python and numpy, a few thousand sentences a second.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from fidelity.judge.windows import sentences_of

Matrix = npt.NDArray[np.float32]

_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "million": "1000000", "billion": "1000000000", "half": "0.5",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
}  # fmt: skip
LONG_WORD = 7  # letters: a novel word this long is usually specific (a name, a term)

FEATURE_NAMES = (
    "novel_lemmas",  # content lemmas the source never uses
    "novel_share",
    "novel_numbers",  # normalised numbers the source lacks
    "novel_names",  # capitalised words (not sentence-initial) the source lacks
    "novel_bigrams",  # share of the sentence's word pairs the source lacks
    "local_novel_lemmas",  # content lemmas the best-aligned source sentence lacks
    "negation_added",  # negators in the sentence beyond the best-aligned source sentence's
    "negation_removed",
    "antonym_flip",  # a word whose opposite the best-aligned source sentence uses instead
    "log_words",
    "context_min",  # a source word's best co-occurrence with the sentence's other content
    "context_mean",  # lemmas in a source passage that uses it (min and mean over such words)
    "foreign_names",  # names and numbers of the source that the best-aligned passage lacks
    "coverage_top1",  # IDF-weighted share of the content lemmas the aligned sentence holds
    "coverage_top3",  # share of the content lemmas the best three source sentences hold
    "substitutions",  # replaced stretches in the word diff against the aligned sentence
    "insertions",  # inserted stretches in that diff
    "novel_substitutions",  # replacing lemmas the whole source lacks
    "novel_spelling_max",  # best spelling similarity of a novel word to a source word (max)
    "novel_spelling_min",  # ... and its minimum over the novel words
    "long_novel",  # novel lemmas of at least LONG_WORD letters
    "local_novel_share",  # local_novel_lemmas over the content lemmas
)


@dataclass(frozen=True, slots=True)
class Source:
    """A source text read once: its sentences and the word sets the features look up."""

    sentences: tuple[str, ...]
    words: frozenset[str]  # lower-cased words
    lemmas: frozenset[str]
    numbers: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    sentence_lemmas: tuple[frozenset[str], ...]  # content lemmas (and words) per sentence
    sentence_words: tuple[tuple[str, ...], ...]  # lower-cased words per sentence
    df: dict[str, int]  # sentences using each content lemma
    vocabulary: tuple[str, ...]  # sorted distinct lower-cased words


@lru_cache(maxsize=1)
def _words_of_lexicon() -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    from fidelity.text.vocabulary import vocabulary

    voc = vocabulary("en")
    negators = voc.negate_one | voc.negate_phrase | {"never", "not", "no", "n't", "cannot"}
    return voc.stop_words, frozenset(negators), dict(voc.antonyms)


def _lemma(word: str) -> str:
    from fidelity.text.lemmas import lemma

    return lemma(word, "en")


def _number(word: str) -> str | None:
    low = word.lower()
    if low in _NUMBER_WORDS:
        return _NUMBER_WORDS[low]
    if not any(ch.isdigit() for ch in word):
        return None
    digits = low.replace(",", "").rstrip(".")
    try:
        value = float(digits)
    except ValueError:
        return digits
    return f"{value:g}"


def _words(text: str) -> list[str]:
    return [m.group(0) for m in _WORD.finditer(text)]


def _content_lemmas(text: str) -> frozenset[str]:
    stop, _, _ = _words_of_lexicon()
    low = [w.lower() for w in _words(text)]
    return frozenset(x for w in low if w not in stop for x in (w, _lemma(w)))


def read_source(text: str) -> Source:
    """Split and index a source text for ``sentence_features``."""
    sentences = tuple(sentences_of(text)) or (text,)
    words = _words(text)
    low = [w.lower() for w in words]
    sentence_lemmas = tuple(_content_lemmas(s) for s in sentences)
    df: dict[str, int] = {}
    for lemmas in sentence_lemmas:
        for x in lemmas:
            df[x] = df.get(x, 0) + 1
    return Source(
        sentences=sentences,
        words=frozenset(low),
        lemmas=frozenset(_lemma(w) for w in low),
        numbers=frozenset(n for n in (_number(w) for w in words) if n),
        bigrams=frozenset(itertools.pairwise(low)),
        sentence_lemmas=sentence_lemmas,
        sentence_words=tuple(tuple(w.lower() for w in _words(s)) for s in sentences),
        df=df,
        vocabulary=tuple(sorted(set(low))),
    )


def _passage(source: Source, i: int) -> frozenset[str]:
    """Content lemmas of source sentence ``i`` and its two neighbours."""
    lo, hi = max(i - 1, 0), min(i + 2, len(source.sentence_lemmas))
    return frozenset().union(*source.sentence_lemmas[lo:hi])


def _context(lemmas: Sequence[str], source: Source) -> tuple[float, float]:
    """For each content lemma the source uses: the best share of the sentence's other content
    lemmas found in a source passage that uses it too. A word taken from elsewhere in the source
    (a swapped name or figure) finds few of its neighbours there."""
    distinct = list(dict.fromkeys(lemmas))
    shares = []
    for w in distinct:
        others = [x for x in distinct if x != w]
        if not others:
            continue
        best = -1.0
        for i, sent in enumerate(source.sentence_lemmas):
            if w in sent:
                passage = _passage(source, i)
                best = max(best, sum(1 for x in others if x in passage) / len(others))
        if best >= 0.0:
            shares.append(best)
    if not shares:
        return 1.0, 1.0
    return min(shares), sum(shares) / len(shares)


def _aligned(lemmas: set[str], source: Source) -> tuple[list[int], float]:
    """Source sentences by IDF-weighted shared content lemmas (best first, ties in text order),
    and the share of the sentence's weight the best one holds."""

    def weight(x: str) -> float:
        return 1.0 / source.df.get(x, 1)

    scores = [sum(weight(x) for x in lemmas if x in s) for s in source.sentence_lemmas]
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    total = sum(weight(x) for x in lemmas) or 1.0
    return order, (scores[order[0]] / total if order else 0.0)


def _diff(local: Sequence[str], lemmas: Sequence[str], source: Source) -> tuple[int, int, int]:
    """Replaced stretches, inserted stretches and replacing lemmas the source lacks, in the
    word diff from the aligned sentence's content lemmas to the sentence's."""
    replaced = inserted = novel = 0
    matcher = difflib.SequenceMatcher(None, local, lemmas, autojunk=False)
    for op, _, _, j1, j2 in matcher.get_opcodes():
        if op == "replace":
            replaced += 1
            novel += sum(1 for x in lemmas[j1:j2] if x not in source.lemmas)
        elif op == "insert":
            inserted += 1
    return replaced, inserted, novel


def _spelling(novel: Sequence[str], source: Source) -> tuple[float, float]:
    """Best spelling similarity (0..1) of each novel word to a source word: max and min."""
    from rapidfuzz import fuzz, process

    if not novel or not source.vocabulary:
        return 0.0, 1.0
    best = [
        float(hit[1]) / 100.0
        if (hit := process.extractOne(w, source.vocabulary, scorer=fuzz.ratio))
        else 0.0
        for w in sorted(set(novel))
    ]
    return max(best), min(best)


def sentence_features(sentence: str, source: Source) -> tuple[Matrix, int]:
    """The feature vector (``FEATURE_NAMES``) of one derived sentence against a source, and the
    index of the best-aligned source sentence."""
    stop, negators, antonyms = _words_of_lexicon()
    words = _words(sentence)
    low = [w.lower() for w in words]
    content_words = [w for w in low if w not in stop and not w.isdigit()]
    lemmas = [_lemma(w) for w in content_words]
    order, coverage = _aligned(set(lemmas) | set(content_words), source)
    top = order[0] if order else 0
    top3 = frozenset().union(*(source.sentence_lemmas[i] for i in order[:3]))
    distinct = set(lemmas) | set(content_words)
    novel = [lm for lm, w in zip(lemmas, content_words, strict=True)
             if lm not in source.lemmas and w not in source.words]  # fmt: skip
    numbers = [n for n in (_number(w) for w in words) if n]
    names = [w for i, w in enumerate(words) if i > 0 and w[:1].isupper() and w.lower() not in
             source.words]  # fmt: skip
    bigrams = list(itertools.pairwise(low))
    local_low = source.sentence_words[top] if source.sentence_words else ()
    local_lemmas = {_lemma(w) for w in local_low} | set(local_low)
    local_novel = [lm for lm in lemmas if lm not in local_lemmas]
    near = _passage(source, top) if source.sentence_lemmas else frozenset()
    foreign = [
        w
        for w in words[1:]
        if (w[:1].isupper() or _number(w)) and w.lower() in source.words and w.lower() not in near
    ]
    neg_here = sum(1 for w in low if w in negators or w.endswith("n't"))
    neg_there = sum(1 for w in local_low if w in negators or w.endswith("n't"))
    flips = sum(
        1
        for w in set(low)
        if w not in local_lemmas and antonyms.get(w, frozenset()) & set(local_low)
    )
    replaced, inserted, novel_replacing = _diff(
        [_lemma(w) for w in local_low if w not in stop], lemmas, source
    )
    row = [
        float(min(len(novel), 5)),
        len(novel) / max(len(content_words), 1),
        float(min(sum(1 for n in numbers if n not in source.numbers), 3)),
        float(min(len(names), 3)),
        sum(1 for b in bigrams if b not in source.bigrams) / max(len(bigrams), 1),
        float(min(len(local_novel), 8)),
        float(max(neg_here - neg_there, 0)),
        float(max(neg_there - neg_here, 0)),
        float(min(flips, 2)),
        math.log1p(len(words)),
        *_context(lemmas, source),
        float(min(len(foreign), 3)),
        coverage,
        len(distinct & top3) / max(len(distinct), 1),
        float(min(replaced, 5)),
        float(min(inserted, 5)),
        float(min(novel_replacing, 5)),
        *_spelling(novel, source),
        float(min(sum(1 for x in novel if len(x) >= LONG_WORD), 4)),
        len(local_novel) / max(len(lemmas), 1),
    ]
    return np.asarray(row, dtype=np.float32), top


def document_rows(documents: Sequence[tuple[Sequence[str], str]]) -> tuple[Matrix, list[str]]:
    """Feature rows of every derived sentence of every (derived sentences, source text), in
    order, and the best-aligned source sentence of each. Each distinct source is read once."""
    sources: dict[str, Source] = {}
    rows: list[Matrix] = []
    premises: list[str] = []
    for sentences, text in documents:
        source = sources.get(text)
        if source is None:
            source = sources[text] = read_source(text)
        for sentence in sentences:
            row, top = sentence_features(sentence, source)
            rows.append(row)
            premises.append(source.sentences[top] if source.sentences else "")
    if not rows:
        return np.zeros((0, len(FEATURE_NAMES)), np.float32), []
    return np.stack(rows), premises
