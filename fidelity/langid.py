"""Stage 2, langid: split each article's kept text into segments and name their languages.

Takes ``Article`` objects, returns ``DetectedArticle`` objects. Articles mix languages (Greek
navigation around an English body, a Russian photo credit), so every segment gets its own
language and confidence; a segment too short or too unsure inherits the document's language.

Backends follow ``LanguageDetector``: ``lingua`` (default, restricted to a configurable set)
and ``langdetect`` (seeded, so deterministic). The script of the letters gates the choice first:
Greek letters are Greek, Cyrillic letters choose among the Cyrillic languages of the set.

Long segments (``LONG_SEGMENT`` characters or more) are detected first, among all languages of
the set. A short segment is then weighed only among the languages its article's long segments
were confidently found in (all of the set for its script when there are none): short text is
where detectors err, and the article has already said which languages it is written in. With
lingua this also keeps start-up cheap: long text needs only its trigram models (lingua uses
nothing else above 120 characters, in either accuracy mode), and the larger n-gram models are
loaded only for the languages short segments are weighed among.
"""

from __future__ import annotations

import logging
import re
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
LONG_SEGMENT = 120  # characters: lingua decides text this long on trigrams alone


class LanguageDetector(Protocol):
    """Gives, for each text, a probability per language code of its configured set (or of
    ``languages``, a subset of it, when given)."""

    name: str

    def distributions(
        self, texts: Sequence[str], languages: Sequence[str] | None = None
    ) -> list[dict[str, float]]: ...


@dataclass(frozen=True, slots=True)
class LangidOptions:
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    min_confidence: float = 0.6  # below this a segment inherits the document language
    min_chars: int = 20  # shorter segments always inherit (unless their script decides)


class LinguaDetector:
    """lingua-language-detector restricted to ``languages`` (fast, accurate on short text)."""

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES) -> None:
        self.languages = tuple(languages)
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
        self._language = {code: language for language, code in self._codes.items()}
        self._detectors: dict[tuple[tuple[str, ...], bool], Any] = {}
        self.name = f"lingua-{_version('lingua-language-detector')}[{','.join(self.languages)}]"

    def distributions(
        self, texts: Sequence[str], languages: Sequence[str] | None = None
    ) -> list[dict[str, float]]:
        codes = tuple(c for c in languages or () if c in self._language) or self.languages
        if len(codes) == 1:
            return [{codes[0]: 1.0} for _ in texts]
        out: list[dict[str, float]] = [{} for _ in texts]
        long = [i for i, t in enumerate(texts) if len(t) >= LONG_SEGMENT]
        short = [i for i, t in enumerate(texts) if len(t) < LONG_SEGMENT]
        # Same answers either way for long text; the low-accuracy build loads only trigrams.
        for rows, low in ((long, True), (short, False)):
            if not rows:
                continue
            detector = self._build(codes, low=low)
            results = detector.compute_language_confidence_values_in_parallel(
                [texts[i] for i in rows]
            )
            for i, values in zip(rows, results, strict=True):
                out[i] = {self._codes[v.language]: float(v.value) for v in values}
        return out

    def _build(self, codes: tuple[str, ...], *, low: bool) -> Any:
        key = (tuple(sorted(codes)), low)
        detector = self._detectors.get(key)
        if detector is None:
            import lingua

            builder = lingua.LanguageDetectorBuilder.from_languages(
                *(self._language[c] for c in key[0])
            )
            if low:
                builder = builder.with_low_accuracy_mode()
            detector = self._detectors[key] = builder.build()
        return detector


class LangdetectDetector:
    """langdetect (a port of Google's language-detection), seeded so it is deterministic."""

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES, seed: int = 0) -> None:
        self.languages = tuple(languages)
        self.seed = seed
        self.name = f"langdetect-{_version('langdetect')}[{','.join(self.languages)}]"

    def distributions(
        self, texts: Sequence[str], languages: Sequence[str] | None = None
    ) -> list[dict[str, float]]:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        codes = set(self.languages if languages is None else languages)
        if len(codes) == 1:
            return [dict.fromkeys(codes, 1.0) for _ in texts]
        DetectorFactory.seed = self.seed
        out: list[dict[str, float]] = []
        for text in texts:
            try:
                found = detect_langs(text)
            except LangDetectException:
                out.append({})
                continue
            out.append({r.lang: float(r.prob) for r in found if r.lang in codes})
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
    texts = [[span.of(a.text) for span, _, _ in spans] for a, spans in plans]
    guesses = _guess_all(articles, texts, detector, options)
    return tuple(
        _detect_one(a, spans, iter(g), options)
        for (a, spans), g in zip(plans, guesses, strict=True)
    )


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


Guess = tuple[str | None, float]


def _guess_all(
    articles: Sequence[Article],
    texts: Sequence[Sequence[str]],
    detector: LanguageDetector,
    options: LangidOptions,
) -> list[list[Guess]]:
    """Script first, then the detector for what the script leaves open: long segments among
    all languages, short ones among their article's languages (see the module docstring)."""
    scripts = [[_dominant_script(t) for t in doc] for doc in texts]
    results: list[list[Guess]] = [[(None, 0.0)] * len(doc) for doc in texts]
    of_script: dict[str, tuple[str, ...]] = {}
    for code in options.languages:
        script = _SCRIPT_OF.get(code, "Latin")
        of_script[script] = (*of_script.get(script, ()), code)
    long: list[tuple[int, int]] = []
    short: list[tuple[int, int]] = []
    for a, doc in enumerate(texts):
        for i, text in enumerate(doc):
            letters, share = scripts[a][i]
            if letters == "Greek" and "el" in options.languages:
                results[a][i] = ("el", share)
            elif letters in of_script:  # otherwise no language of the set has these letters
                (long if len(text) >= LONG_SEGMENT else short).append((a, i))

    def ask(rows: list[tuple[int, int]], languages: tuple[str, ...] | None) -> None:
        if not rows:
            return
        dists = detector.distributions([texts[a][i] for a, i in rows], languages)
        for (a, i), dist in zip(rows, dists, strict=True):
            script, share = scripts[a][i]
            allowed = {lang: p for lang, p in dist.items() if lang in of_script[str(script)]}
            total = sum(allowed.values())
            if total > 0:
                lang, p = max(allowed.items(), key=lambda kv: kv[1])
                # Renormalise within the script, then discount mixed-script text.
                results[a][i] = (lang, min(1.0, (p / total) * share))

    ask(long, None)
    found: list[set[str]] = [set() for _ in texts]
    for a, i in long:
        guess, conf = results[a][i]
        if guess is not None and conf >= options.min_confidence:
            found[a].add(guess)
    for a, article in enumerate(articles):
        if article.language in options.languages:
            found[a].add(str(article.language))
    by_candidates: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for a, i in short:
        in_script = of_script[str(scripts[a][i][0])]
        candidates = tuple(lang for lang in in_script if lang in found[a]) or in_script
        by_candidates.setdefault(candidates, []).append((a, i))
    for candidates, rows in by_candidates.items():
        ask(rows, candidates)
    return results


_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"(?=[^\W\d_])[^\u0000-\u024f]")
_SCRIPT_LETTERS = (
    ("Latin", re.compile(r"(?=[^\W\d_])[\u0000-\u024f]")),
    ("Greek", re.compile(r"(?=[^\W\d_])[\u0370-\u03ff\u1f00-\u1fff]")),
    ("Cyrillic", re.compile(r"(?=[^\W\d_])[\u0400-\u052f]")),
)


def _dominant_script(text: str) -> tuple[str | None, float]:
    """The script most of the letters are in, and its share of the letters."""
    if _NON_LATIN_LETTER.search(text) is None:  # the common case, in one scan
        return ("Latin", 1.0) if _LETTER.search(text) else (None, 0.0)
    total = len(_LETTER.findall(text))
    if not total:
        return None, 0.0
    counts = Counter({name: len(pattern.findall(text)) for name, pattern in _SCRIPT_LETTERS})
    if total - sum(counts.values()) > max(counts.values()):
        # Mostly letters of another script: name them one by one (rare, and slower).
        counts = Counter(_script_of(ch) for ch in text if ch.isalpha())
        total = sum(counts.values())
        if not total:
            return None, 0.0
    script, n = counts.most_common(1)[0]
    return script, n / total


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
