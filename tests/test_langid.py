"""Language identification per document and per segment, with both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from fidelity.errors import ConfigError
from fidelity.langid import LangidOptions, detect_articles, make_detector
from fidelity.load import read_file
from fidelity.types import Article

CASES = [
    ("en", "The ministers agreed a plan on Tuesday to respond to any breach."),
    ("el", "Οι υπουργοί συμφώνησαν σε ένα σχέδιο την Τρίτη."),
    ("ru", "Министры во вторник согласовали план ответа на любое нарушение."),
    ("uk", "Міністри у вівторок узгодили план реагування на будь-яке порушення."),
    ("de", "Die Minister haben am Dienstag einen Plan vereinbart."),
    ("fr", "Les ministres ont approuvé mardi un plan de riposte."),
    ("es", "Los ministros acordaron el martes un plan de respuesta."),
    ("it", "I ministri hanno concordato martedì un piano di risposta."),
    ("pl", "Ministrowie uzgodnili we wtorek plan reakcji na każde naruszenie."),
    ("tr", "Bakanlar salı günü herhangi bir ihlale karşı bir plan üzerinde anlaştı."),
]


@pytest.fixture(scope="module", params=["lingua", "langdetect"])
def detector(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return make_detector(request.param)


@pytest.mark.parametrize(("lang", "text"), CASES)
def test_whole_documents(detector, lang: str, text: str) -> None:  # type: ignore[no-untyped-def]
    article = Article(id="x", origin="x", text=f"{text}\n{text}\n")
    (detected,) = detect_articles([article], detector)
    assert detected.language == lang
    assert all(seg.language == lang for seg in detected.segments)


def test_mixed_document_segments_keep_their_language() -> None:
    text = (
        "The ministers agreed a plan on Tuesday to respond to any breach of the ceasefire.\n"
        "«Это неприемлемо для нас», — заявила официальный представитель МИД России.\n"
        "Οι υπουργοί συμφώνησαν σε ένα σχέδιο την Τρίτη, σύμφωνα με τους Financial Times.\n"
        "The plan has not been signed yet, officials said on Wednesday evening.\n"
    )
    (detected,) = detect_articles([Article(id="m", origin="m", text=text)], make_detector("lingua"))
    langs = [s.language for s in detected.segments]
    assert langs == ["en", "ru", "el", "en"]
    assert detected.language == "en"
    shares = dict(detected.shares)
    assert shares["en"] > shares["ru"] > 0 and shares["el"] > 0


def test_short_unsure_segment_inherits_document_language() -> None:
    text = (
        "The ministers agreed a plan on Tuesday to respond to any breach.\nOK.\n"
        "The plan is a draft.\n"
    )
    (detected,) = detect_articles([Article(id="s", origin="s", text=text)], make_detector("lingua"))
    short = next(s for s in detected.segments if s.span.of(text) == "OK.")
    assert short.language == "en"
    assert short.inherited


def test_seed_000_body_is_english_with_greek_navigation_set_aside(seeds_dir: Path) -> None:
    (article,) = read_file(seeds_dir / "000_661559dbf9f888c1.txt")
    (detected,) = detect_articles([article], make_detector("lingua"))
    assert detected.language == "en"
    greek_removed = [
        r for r in article.removed if any("α" <= ch <= "ω" for ch in r.span.of(article.text))
    ]
    assert len(greek_removed) >= 4
    # The boilerplate is not part of any segment.
    for seg in detected.segments:
        assert not any(seg.span.overlaps(r.span) for r in article.removed)


def test_title_segment_is_flagged(seeds_dir: Path) -> None:
    (article,) = read_file(seeds_dir / "004_1b2a53b241cc35b5.txt")
    (detected,) = detect_articles([article], make_detector("lingua"))
    titles = [s for s in detected.segments if s.is_title]
    assert [s.span.of(article.text) for s in titles] == [article.title]


def test_langdetect_is_deterministic() -> None:
    det = make_detector("langdetect")
    text = "Short ambiguous words here"
    first = det.distributions([text] * 5)
    assert all(d == first[0] for d in first)


def test_unknown_backend_and_language() -> None:
    with pytest.raises(ConfigError, match="unknown language detector"):
        make_detector("cld9")
    with pytest.raises(ConfigError, match="does not know"):
        make_detector("lingua", ["en", "xx"])


def test_restricted_language_set() -> None:
    options = LangidOptions(languages=("en", "de"))
    det = make_detector("lingua", options.languages)
    article = Article(
        id="d", origin="d", text="Die Minister haben am Dienstag einen Plan vereinbart.\n"
    )
    (detected,) = detect_articles([article], det, options)
    assert detected.language == "de"
