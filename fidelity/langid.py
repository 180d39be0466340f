"""Stage 2, langid: split each article's kept text into segments and name their languages.

Takes ``Article`` objects, returns ``DetectedArticle`` objects. Articles mix languages (Greek
navigation around an English body, a Russian photo credit), so every segment gets its own
language and confidence; a segment too short or too unsure inherits the document's language.

Backends follow ``LanguageDetector``: ``lingua`` (default, restricted to a configurable set)
and ``langdetect`` (seeded, so deterministic). The script of the letters gates the choice first:
Greek letters are Greek, Cyrillic letters choose among the Cyrillic languages of the set.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from fidelity.errors import ConfigError, ModelError
from fidelity.text.sentences import paragraphs, split_sentences
from fidelity.types import Article, DetectedArticle, Segment, Span

log = logging.getLogger(__name__)

DEFAULT_LANGUAGES = ("en", "el", "ru", "uk", "de", "fr", "es", "it", "pl", "tr")
_SCRIPT_OF = {"el": "Greek", "ru": "Cyrillic", "uk": "Cyrillic", "bg": "Cyrillic", "sr": "Cyrillic"}


class LanguageDetector(Protocol):
    """Gives, for each text, a probability per language code of its configured set."""

    name: str

    def distributions(self, texts: Sequence[str]) -> list[dict[str, float]]: ...


@dataclass(frozen=True, slots=True)
class LangidOptions:
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    min_confidence: float = 0.6  # below this a segment inherits the document language
    min_chars: int = 20  # shorter segments always inherit (unless their script decides)


class LinguaDetector:
    """lingua-language-detector restricted to ``languages`` (fast, accurate on short text)."""

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES) -> None:
        self.languages = tuple(languages)
        self._detector: Any = None
        self._codes: dict[Any, str] = {}
        try:
            import lingua
        except ImportError as exc:  # pragma: no cover - a dependency
            raise ModelError("lingua-language-detector is not installed") from exc
        wanted = []
        for code in self.languages:
            iso = getattr(lingua.IsoCode639_1, code.upper(), None)
            if iso is None:
                raise ConfigError(f"lingua does not know the language code {code!r}")
            language = lingua.Language.from_iso_code_639_1(iso)
            wanted.append(language)
            self._codes[language] = code
        if len(wanted) < 2:
            raise ConfigError("language detection needs at least two candidate languages")
        self._wanted = wanted
        self.name = f"lingua-{_version('lingua-language-detector')}[{','.join(self.languages)}]"

    def distributions(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if self._detector is None:
            import lingua

            self._detector = lingua.LanguageDetectorBuilder.from_languages(*self._wanted).build()
        results = self._detector.compute_language_confidence_values_in_parallel(list(texts))
        return [{self._codes[v.language]: float(v.value) for v in values} for values in results]


class LangdetectDetector:
    """langdetect (a port of Google's language-detection), seeded so it is deterministic."""

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES, seed: int = 0) -> None:
        self.languages = tuple(languages)
        self.seed = seed
        self.name = f"langdetect-{_version('langdetect')}[{','.join(self.languages)}]"

    def distributions(self, texts: Sequence[str]) -> list[dict[str, float]]:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = self.seed
        out: list[dict[str, float]] = []
        for text in texts:
            try:
                found = detect_langs(text)
            except LangDetectException:
                out.append({})
                continue
            dist = {r.lang: float(r.prob) for r in found if r.lang in self.languages}
            out.append(dist)
        return out


DETECTORS: dict[str, Callable[[Sequence[str]], LanguageDetector]] = {
    "lingua": LinguaDetector,
    "langdetect": LangdetectDetector,
}


def make_detector(name: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> LanguageDetector:
    """Build a detector by name (``lingua`` or ``langdetect``)."""
    try:
        factory = DETECTORS[name]
    except KeyError:
        raise ConfigError(
            f"unknown language detector {name!r}; choose one of {', '.join(DETECTORS)}"
        ) from None
    return factory(tuple(languages))


def detect_articles(
    articles: Sequence[Article],
    detector: LanguageDetector,
    options: LangidOptions | None = None,
) -> tuple[DetectedArticle, ...]:
    """Segment every article and detect the language of each segment and of the whole.

    Args:
        articles: loaded articles.
        detector: the backend to ask.
        options: candidate languages and confidence floor.

    Returns:
        One ``DetectedArticle`` per article, in order.
    """
    options = options or LangidOptions()
    plans = [(a, _segment_spans(a)) for a in articles]
    texts = [span.of(a.text) for a, spans in plans for span, _, _ in spans]
    guesses = iter(_guess_all(texts, detector, options))
    return tuple(_detect_one(a, spans, guesses, options) for a, spans in plans)


def _detect_one(
    article: Article,
    spans: list[tuple[Span, int, bool]],
    guesses: Any,
    options: LangidOptions,
) -> DetectedArticle:
    raw = [(span, para, is_title, *next(guesses)) for span, para, is_title in spans]
    weights: Counter[str] = Counter()
    for span, _, _, lang, conf in raw:
        if lang and conf >= options.min_confidence:
            weights[lang] += len(span)
    declared = article.language if article.language in options.languages else None
    doc_lang = weights.most_common(1)[0][0] if weights else declared or options.languages[0]
    segments = []
    for index, (span, para, is_title, lang, conf) in enumerate(raw):
        inherited = (
            lang is None
            or conf < options.min_confidence
            or (len(span) < options.min_chars and lang != doc_lang and conf < 0.99)
        )
        segments.append(
            Segment(
                index=index,
                span=span,
                paragraph=para,
                language=doc_lang if inherited else str(lang),
                confidence=round(float(conf), 4),
                inherited=inherited,
                is_title=is_title,
            )
        )
    total: Counter[str] = Counter()
    for seg in segments:
        total[seg.language] += len(seg.span)
    size = sum(total.values()) or 1
    shares = tuple((lang, round(n / size, 4)) for lang, n in total.most_common())
    return DetectedArticle(article, doc_lang, shares, tuple(segments))


def _segment_spans(article: Article) -> list[tuple[Span, int, bool]]:
    """Sentence spans of the kept (non-boilerplate) text: (span, paragraph index, is_title)."""
    text = article.text
    removed = sorted(r.span for r in article.removed)
    out: list[tuple[Span, int, bool]] = []
    for para_index, para in enumerate(paragraphs(text)):
        for piece in _subtract(para, removed):
            for sentence in split_sentences(text, piece.start, piece.end):
                is_title = article.title_span is not None and sentence.overlaps(article.title_span)
                out.append((sentence, para_index, is_title))
    return out


def _subtract(span: Span, removed: Sequence[Span]) -> list[Span]:
    pieces = []
    cursor = span.start
    for r in removed:
        if r.end <= cursor or r.start >= span.end:
            continue
        if r.start > cursor:
            pieces.append(Span(cursor, r.start))
        cursor = max(cursor, r.end)
    if cursor < span.end:
        pieces.append(Span(cursor, span.end))
    return pieces


def _guess_all(
    texts: Sequence[str], detector: LanguageDetector, options: LangidOptions
) -> list[tuple[str | None, float]]:
    """Script first, then the detector for what the script leaves open."""
    results: list[tuple[str | None, float] | None] = []
    ask: list[int] = []
    for i, text in enumerate(texts):
        script, share = _dominant_script(text)
        if script == "Greek" and "el" in options.languages:
            results.append(("el", share))
        elif script is None:
            results.append((None, 0.0))  # digits and punctuation only
        else:
            results.append(None)
            ask.append(i)
    if ask:
        dists = detector.distributions([texts[i] for i in ask])
        for i, dist in zip(ask, dists, strict=True):
            script, share = _dominant_script(texts[i])
            allowed = {
                lang: p for lang, p in dist.items() if _SCRIPT_OF.get(lang, "Latin") == script
            }
            total = sum(allowed.values())
            if not allowed or total <= 0:
                results[i] = (None, 0.0)
                continue
            lang, p = max(allowed.items(), key=lambda kv: kv[1])
            # Renormalise within the script, then discount mixed-script text.
            results[i] = (lang, min(1.0, (p / total) * share))
    return [r if r is not None else (None, 0.0) for r in results]


def _dominant_script(text: str) -> tuple[str | None, float]:
    """The script most of the letters are in, and its share of the letters."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            counts[_script_of(ch)] += 1
    if not counts:
        return None, 0.0
    script, n = counts.most_common(1)[0]
    return script, n / sum(counts.values())


def _script_of(ch: str) -> str:
    code = ord(ch)
    # Ranges first: unicodedata.name for every letter made detection slow on large corpora.
    if code < 0x250:
        return "Latin"
    if 0x370 <= code < 0x400 or 0x1F00 <= code < 0x2000:
        return "Greek"
    if 0x400 <= code < 0x530:
        return "Cyrillic"
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0] if name else "OTHER"
    return {"GREEK": "Greek", "CYRILLIC": "Cyrillic", "LATIN": "Latin"}.get(first, first.title())


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"
