"""What alignment compares in a claim: normalised words, anchors (numbers, names, quoted
strings) and vectors. Computed once per claim; the matrices of ``pairs`` are built from them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fidelity.embed import Embedder
from fidelity.extract.quantities import CALENDAR_UNITS, part_totals
from fidelity.text.lemmas import lemma
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
    counted: tuple[tuple[str, str, str], ...] = ()  # (number label, unit, noun as written)
    language: str = "en"  # of ``norm``: the pivot language, or the untranslated original's
    published: str | None = None  # its article's publication date (ISO 8601), when known


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
    for total, unit in part_totals(claim.quantities):
        label = number_label(total)
        anchors.setdefault(f"q:{label} {unit}", f"{label} {unit} (a total)")
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
            # the characters just before the name (searching the whole prefix for each name
            # made a claim of thousands of names quadratic)
            and _OPENS_SENTENCE.search(claim.text, max(0, m.start() - 64), m.start())
            and _is_english_word(word)
        ):
            continue  # "Officials said", "Rates rose": capitalised only by position
        _name_anchors(word, anchors)
    return anchors


# Measures whose unit retellings swap freely (a rise "of 0.5 percent" for "0.5 percentage
# points"): a difference in them is the score stage's to judge, not a sign of another fact.
_INTERCHANGEABLE = {"percentage-point": "percent"}


def claim_counts(claim: Claim) -> tuple[tuple[str, str, str], ...]:
    """The numbers of a claim that carry a unit: (number label, unit, the unit's word)."""
    out = []
    for q in claim.quantities:
        if not q.unit or q.unit in CALENDAR_UNITS:
            continue
        words = _TOKEN.findall(q.span.of(claim.text))
        noun = words[-1].lower() if words and not words[-1].isdigit() else q.unit
        out.append((number_label(q.value), _INTERCHANGEABLE.get(q.unit, q.unit), noun))
    return tuple(out)


class UnitConflicts:
    """How much of two claims' shared numbers count different things ("40 homes" and "40
    helicopters"): per claim pair, the summed anchor weight of each number both claims
    count, but with units that differ and that neither claim names anywhere, in any form
    ("40 families lost their homes" does not conflict with "40 homes", nor "the hiring of
    120 workers" with "120 new hires").

    Only claims in the pivot language take part: a unit read from untranslated words is a
    word of another language, not a different thing. The per-claim incidence is built once
    per story; ``block`` computes the pairs of one block of claims, so the cost in memory
    follows the block, not the story squared (one long article can count the same figure in
    thousands of claims).

    Args:
        features: the claims.
        weighted: the weighted anchor incidence (``pairs.anchor_incidence``).
        keys: the anchor key of each column of ``weighted``.
    """

    def __init__(
        self, features: Sequence[ClaimFeatures], weighted: sparse.csr_matrix, keys: Sequence[str]
    ) -> None:
        self._features = features
        self._n = len(features)
        self._active = False
        counting = [i for i, f in enumerate(features) if f.translated and f.counted]
        # Only a number counted in two units anywhere in the story can conflict: the others
        # (every "2%" of a markets story) are left out before any matrix is built.
        units_of: dict[str, set[str]] = {}
        for i in counting:
            for label, unit, _ in features[i].counted:
                units_of.setdefault(label, set()).add(unit)
        contested = {label for label, seen in units_of.items() if len(seen) > 1}
        if not contested:
            return
        self._active = True
        column = {k: c for c, k in enumerate(keys)}
        value_weight = np.asarray(weighted.max(axis=0).todense()).ravel()
        values: dict[str, int] = {}
        pairs: dict[tuple[str, str], int] = {}
        self._units: dict[str, int] = {}
        self._forms: dict[str, str] = {}  # a word naming a unit -> the unit
        c_rows: list[int] = []
        c_cols: list[int] = []
        q_rows: list[int] = []
        q_cols: list[int] = []
        u_rows: list[int] = []
        u_cols: list[int] = []
        for i in counting:
            for label, unit, noun in features[i].counted:
                u_rows.append(i)
                u_cols.append(self._units.setdefault(unit, len(self._units)))
                self._forms.setdefault(unit, unit)
                self._forms.setdefault(noun, unit)
                if label in contested:
                    c_rows.append(i)
                    c_cols.append(values.setdefault(label, len(values)))
                    q_rows.append(i)
                    q_cols.append(pairs.setdefault((label, unit), len(pairs)))
        weight = np.asarray(
            [
                value_weight[column[f"n:{label}"]] if f"n:{label}" in column else 0.0
                for label in values
            ]
        )
        pair_weight = np.asarray([weight[values[label]] for label, _ in pairs])
        self._counts = self._incidence(c_rows, c_cols, len(values))
        self._counts_weighted = (self._counts @ sparse.diags(weight)).tocsr()
        self._same = self._incidence(q_rows, q_cols, len(pairs))
        self._same_weighted = (self._same @ sparse.diags(pair_weight)).tocsr()
        self._own = self._incidence(u_rows, u_cols, len(self._units))
        self._named: dict[int, list[int]] = {}  # claim -> units it names, read when needed

    def _incidence(self, rows: list[int], cols: list[int], width: int) -> sparse.csr_matrix:
        m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(self._n, width))
        m.data = np.minimum(m.data, 1.0)  # a number told twice in one claim counts once
        return m

    def _mentions(self, claims: npt.NDArray[np.int64]) -> sparse.csr_matrix:
        """Units each of ``claims`` names in its words, by word or lemma (one row each).

        Read only for the claims of a conflict (few), and once per claim: lemmatising every
        claim of a large story would cost more than the rest of this class.
        """
        rows: list[int] = []
        cols: list[int] = []
        for r, i in enumerate(claims.tolist()):
            named = self._named.get(i)
            if named is None:
                f = self._features[i]
                words = f.norm.split()
                found = {self._forms[w] for w in words if w in self._forms}
                lemmas = (lemma(w, f.language) for w in words)
                found |= {self._forms[b] for b in lemmas if b in self._forms}
                named = self._named[i] = [self._units[u] for u in found]
            rows.extend([r] * len(named))
            cols.extend(named)
        return sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(claims), len(self._units))
        )

    def block(
        self, rows: slice | npt.NDArray[np.int64], cols: slice | npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """The conflict weight of every pair of ``rows`` x ``cols`` (dense; 0: none)."""
        row_ids = np.arange(self._n)[rows]
        col_ids = np.arange(self._n)[cols]
        if not self._active:
            return np.zeros((len(row_ids), len(col_ids)))
        both = self._counts_weighted[rows] @ self._counts[cols].T
        agree = self._same_weighted[rows] @ self._same[cols].T
        conflict = np.asarray((both - agree).toarray())
        np.maximum(conflict, 0.0, out=conflict)
        r, c = np.nonzero(conflict)
        if not len(r):
            return conflict
        # only the claims of a conflict need their named units
        r_in, c_in = np.unique(r), np.unique(c)
        pick_r = sparse.csr_matrix(
            (np.ones(len(r_in)), (r_in, np.arange(len(r_in)))), shape=(len(row_ids), len(r_in))
        )
        pick_c = sparse.csr_matrix(
            (np.ones(len(c_in)), (c_in, np.arange(len(c_in)))), shape=(len(col_ids), len(c_in))
        )
        named_rows = pick_r @ self._mentions(row_ids[r_in])
        named_cols = pick_c @ self._mentions(col_ids[c_in])
        # [i, j]: a unit that i counts is named in j, or one that j counts is named in i
        names = self._own[rows] @ named_cols.T + named_rows @ self._own[cols].T
        conflict[np.asarray(names.toarray()) > 0] = 0.0
        return conflict


def anchor_strength(
    shared: npt.NDArray[np.float64], conflict: npt.NDArray[np.float64], gain: float
) -> npt.NDArray[np.float64]:
    """Anchor evidence of claim pairs, ``(1 - e^-g(s-c)) - (1 - e^-gc)``: a number both claims
    count, but of different things (weight ``c`` of ``UnitConflicts``), leaves the shared
    anchors ``s`` and counts against as strongly as a shared anchor counts for."""
    out: npt.NDArray[np.float64] = np.exp(-gain * conflict) - np.exp(-gain * (shared - conflict))
    return out


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
                    counted=claim_counts(claim),
                    language=article.translated.pivot_language
                    if claim.status != "untranslated"
                    else article.translated.detected.language,
                    published=article.article.published,
                )
            )
    return out


def embedded_texts(features: Sequence[ClaimFeatures]) -> list[str]:
    """The text of each translated claim as it is embedded (untranslated claims have none)."""
    return [_SPACES.sub(" ", f.claim.text).strip() for f in features if f.translated]


def quote_texts(features: Sequence[ClaimFeatures]) -> list[str]:
    """The quotes of the translated claims, claim by claim, as they are embedded."""
    return [q for f in features for q in f.quotes if f.translated]


def claim_vectors(
    features: Sequence[ClaimFeatures], embedder: Embedder | None, extra: Sequence[str] = ()
) -> tuple[FloatMatrix | None, FloatMatrix | None]:
    """Unit vectors of translated claims (zero rows for untranslated ones) and of ``extra``
    texts, in one batched call; ``(None, None)`` without an embedder."""
    if embedder is None:
        return None, None
    texts = embedded_texts(features)
    vectors = embedder.embed([*texts, *extra])
    claims = np.zeros((len(features), vectors.shape[1]), dtype=np.float32)
    rows = [i for i, f in enumerate(features) if f.translated]
    if rows:
        claims[rows] = vectors[: len(rows)]
    return claims, vectors[len(rows) :].astype(np.float32)


def lexical_vectors(features: Sequence[ClaimFeatures], dim: int = 4096) -> sparse.csr_matrix:
    """Hashed TF-IDF unit vectors of content words (sparse: a claim has a few dozen words
    among ``dim`` buckets, and a dense matrix of a long article would take gigabytes): the
    document-grouping stand-in for embeddings when none are available."""
    rows: list[int] = []
    cols: list[int] = []
    for i, f in enumerate(features):
        if f.translated:
            for word in f.content.split():
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                rows.append(i)
                cols.append(h % dim)
    counts = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(features), dim)
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=dim)
    n = max(1, len(features))
    counts.data *= np.log((n + 1) / (df[counts.indices] + 1) + 1.0).astype(np.float32)
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    out: sparse.csr_matrix = sparse.diags(scale.astype(np.float32)) @ counts
    return out.tocsr()
