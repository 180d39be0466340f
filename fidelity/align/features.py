"""What alignment compares in a claim: normalised words, anchors (numbers, names, quoted
strings) and vectors. Computed once per claim; the matrices of ``pairs`` are built from them.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fidelity.embed import Embedder
from fidelity.text.translit import name_key
from fidelity.types import Claim, ExtractedArticle

FloatMatrix = npt.NDArray[np.float32]

_QUOTE_CHARS = str.maketrans(dict.fromkeys("“”„‟«»‹›〝〞＂", '"') | dict.fromkeys("‘’‚‛`´", "'"))
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)")
_NON_WORD = re.compile(r"[^\w.%]+|(?<!\d)\.|\.(?!\d)")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)(?![\w])")
_TOKEN = re.compile(r"\w+", re.UNICODE)
# A capitalised word: a name in any of our scripts.
_NAME = re.compile(r"(?<![\w'’-])([A-ZÀ-ÖØ-ÞΑ-ΩΆ-ΏА-ЯЁЄІЇҐ][\w'’-]{2,})")
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:;]\s*|[\"'«“‘(\[]\s*)$")
_FALLBACK_QUOTE = re.compile(r"[“«„\"]([^“”«»„\"]{3,}?)[”»“\"]|‘([^‘’]{3,}?)’(?!\w)")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "than",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "without",
        "into",
        "onto",
        "about",
        "over",
        "under",
        "after",
        "before",
        "during",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "nor",
        "so",
        "such",
        "it",
        "its",
        "it's",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "your",
        "him",
        "them",
        "us",
        "me",
        "who",
        "whom",
        "which",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "own",
        "same",
        "very",
        "also",
        "just",
        "only",
        "even",
        "still",
        "yet",
        "again",
        "already",
        "said",
        "says",
        "say",
        "told",
        "tells",
        "according",
        "mr",
        "mrs",
        "ms",
    ]
)
_NAME_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "but",
        "or",
        "if",
        "in",
        "on",
        "at",
        "for",
        "of",
        "to",
        "by",
        "as",
        "it",
        "he",
        "she",
        "they",
        "we",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "their",
        "its",
        "our",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)


def normalise(text: str) -> str:
    """Lower-case words and numbers, one space apart: the text rapidfuzz compares."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS).translate(_DASHES)
    text = _THOUSANDS.sub("", text.lower())
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def content_words(normalised: str) -> str:
    """The words of a normalised text without function words (order kept)."""
    return " ".join(w for w in normalised.split() if w not in STOPWORDS)


def number_label(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class ClaimFeatures:
    """One claim as alignment sees it."""

    claim: Claim
    article: int  # position of its article in the input
    norm: str
    content: str
    translated: bool  # pivot-language words (not "untranslated" original words)
    anchors: dict[str, str]  # anchor key -> label shown in an Alignment
    quotes: tuple[str, ...]  # normalised quoted words
    quote_labels: tuple[str, ...]  # the same quotes as written
    weight: float  # share of its article's story identity (headline and lede count double)


def _quote_texts(claim: Claim) -> list[str]:
    if claim.quotes:
        return [q.span.of(claim.text) for q in claim.quotes]
    # No quotes extracted: fall back to paired marks so hand-made claims still match quotes.
    return [m.group(1) or m.group(2) for m in _FALLBACK_QUOTE.finditer(claim.text)]


@functools.lru_cache(maxsize=65536)
def _word_name_key(word: str) -> str:
    return name_key(word)


def _name_anchors(name: str, anchors: dict[str, str]) -> None:
    for word in _TOKEN.findall(name):
        if len(word) < 3 or word.lower() in _NAME_STOP or word.isdigit():
            continue
        key = _word_name_key(word)
        if len(key) >= 3:
            anchors.setdefault(f"e:{key}", word)


@functools.lru_cache(maxsize=65536)
def _is_english_word(word: str) -> bool:
    import simplemma

    return bool(simplemma.is_known(word.lower(), lang="en"))


def claim_anchors(claim: Claim) -> dict[str, str]:
    """Anchor keys of a claim: quantities (value + unit), bare numbers, and name keys.

    Names come from the extracted entities, speakers and capitalised words inside the
    sentence, folded with ``name_key`` so "Rutte", "Рютте" and "Ρούτε" share a key. Numbers are
    taken from the extracted quantities and from digits in the text (single digits only from
    quantities: alone they are dates and list items more often than facts).
    """
    anchors: dict[str, str] = {}
    for q in claim.quantities:
        label = number_label(q.value)
        anchors.setdefault(f"n:{label}", label)
        if q.unit:
            anchors.setdefault(f"q:{label} {q.unit}", f"{label} {q.unit}")
    text = _THOUSANDS.sub("", unicodedata.normalize("NFKC", claim.text))
    for m in _NUMBER.finditer(text):
        raw = m.group(1).replace(",", ".")
        try:
            value = float(raw)
        except ValueError:  # pragma: no cover - the pattern only admits numbers
            continue
        if value < 10 and "." not in raw:
            continue
        label = number_label(value)
        anchors.setdefault(f"n:{label}", label)
    for entity in claim.entities:
        _name_anchors(entity.canonical, anchors)
    speakers = [claim.attribution] + [q.speaker for q in claim.quotes]
    for speaker in speakers:
        if speaker is not None and speaker.kind in ("person", "organisation", "outlet"):
            _name_anchors(speaker.name, anchors)
    for m in _NAME.finditer(claim.text):
        word = m.group(1)
        if word.lower() in STOPWORDS:
            continue
        if (
            claim.status != "untranslated"
            and _OPENS_SENTENCE.search(claim.text, 0, m.start())
            and _is_english_word(word)
        ):
            continue  # "Officials said", "Rates rose": capitalised only by position
        _name_anchors(word, anchors)
    return anchors


def claim_features(extracted: Sequence[ExtractedArticle]) -> list[ClaimFeatures]:
    """Features of every claim, article by article, in input order."""
    out: list[ClaimFeatures] = []
    for a, article in enumerate(extracted):
        for claim in article.claims:
            norm = normalise(claim.text)
            quoted = [(normalise(t), t.strip()) for t in _quote_texts(claim)]
            quoted = [(q, raw) for q, raw in quoted if len(q) >= 3]
            out.append(
                ClaimFeatures(
                    claim=claim,
                    article=a,
                    norm=norm,
                    content=content_words(norm) or norm,
                    translated=claim.status != "untranslated",
                    anchors=claim_anchors(claim),
                    quotes=tuple(q for q, _ in quoted),
                    quote_labels=tuple(raw for _, raw in quoted),
                    weight=2.0 if claim.kind in ("headline", "lede") else 1.0,
                )
            )
    return out


def claim_vectors(
    features: Sequence[ClaimFeatures], embedder: Embedder | None, extra: Sequence[str] = ()
) -> tuple[FloatMatrix | None, FloatMatrix | None]:
    """Unit vectors of translated claims (zero rows for untranslated ones) and of ``extra``
    texts, in one batched call; ``(None, None)`` without an embedder."""
    if embedder is None:
        return None, None
    texts = [_SPACES.sub(" ", f.claim.text).strip() for f in features if f.translated]
    vectors = embedder.embed([*texts, *extra])
    claims = np.zeros((len(features), vectors.shape[1]), dtype=np.float32)
    rows = [i for i, f in enumerate(features) if f.translated]
    if rows:
        claims[rows] = vectors[: len(rows)]
    return claims, vectors[len(rows) :].astype(np.float32)


def lexical_vectors(features: Sequence[ClaimFeatures], dim: int = 4096) -> FloatMatrix:
    """Hashed TF-IDF unit vectors of content words: the document-grouping stand-in for
    embeddings when none are available."""
    rows: list[dict[int, float]] = []
    df: dict[int, int] = {}
    for f in features:
        counts: dict[int, float] = {}
        if f.translated:
            for word in f.content.split():
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                counts[h % dim] = counts.get(h % dim, 0.0) + 1.0
        rows.append(counts)
        for h in counts:
            df[h] = df.get(h, 0) + 1
    n = max(1, len(features))
    out = np.zeros((len(features), dim), dtype=np.float32)
    for i, counts in enumerate(rows):
        for h, c in counts.items():
            out[i, h] = c * math.log((n + 1) / (df[h] + 1) + 1.0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out
