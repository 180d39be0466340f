"""Translate stage: argos through real tiny packages, provided translations, identity, auto.

The tiny packages (tests/argos_tiny.py) are installed with the real `fidelity models install`
into the per-test FIDELITY_HOME. ArgosTranslator loads packages from an explicit folder through
argostranslate's Package class, so no subprocess is needed despite argostranslate's
module-level state. Output of the random models is gibberish: only the plumbing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from argos_tiny import tiny_argos_models  # noqa: F401  (session fixture)
from typer.testing import CliRunner

from fidelity.cli_models import models_app
from fidelity.errors import ConfigError
from fidelity.paths import argos_packages_dir
from fidelity.text.sentences import split_sentences
from fidelity.translate import (
    ArgosTranslator,
    AutoTranslator,
    IdentityTranslator,
    ProvidedTranslator,
    TranslationCache,
    make_translator,
    map_translation,
    translate_articles,
)
from fidelity.translate.argos import LoadedPackage, _fidelity_splitter, _owned, make_splitter
from fidelity.translate.packages import find_package, splitter_kind
from fidelity.types import Article, DetectedArticle, Segment, Span

RUSSIAN = (
    "Медведев заявил, что Россия не допустит размещения войск НАТО на Украине. "
    "По его словам, переговоры должны начаться в течение 24 часов.\n"
    "Кремль пока не прокомментировал это заявление."
)
GREEK = (
    "Ο Μεντβέντεφ δήλωσε ότι η Ρωσία δεν θα επιτρέψει την ανάπτυξη στρατευμάτων του ΝΑΤΟ. "
    "Σύμφωνα με τον ίδιο, οι διαπραγματεύσεις πρέπει να ξεκινήσουν μέσα σε 24 ώρες.\n"
    "Το Κρεμλίνο δεν σχολίασε τη δήλωση."
)
UKRAINIAN = "Президент заявив, що переговори тривають. Міністр сказав про гарантії безпеки."


def detect(
    text: str,
    language: str,
    *,
    translation: str | None = None,
    languages: dict[int, str] | None = None,
    title_paragraph: bool = False,
    article_id: str = "a1",
) -> DetectedArticle:
    """A DetectedArticle with one segment per sentence (languages overridable per segment)."""
    segments = []
    for i, span in enumerate(split_sentences(text)):
        paragraph = text.count("\n", 0, span.start)
        segments.append(
            Segment(
                index=i,
                span=span,
                paragraph=paragraph,
                language=(languages or {}).get(i, language),
                confidence=0.9,
                is_title=title_paragraph and paragraph == 0,
            )
        )
    article = Article(id=article_id, origin=f"{article_id}.txt", text=text, translation=translation)
    return DetectedArticle(article, language, ((language, 1.0),), tuple(segments))


def install(*archives: Path) -> None:
    runner = CliRunner()
    for archive in archives:
        result = runner.invoke(models_app, ["install", str(archive)])
        assert result.exit_code == 0, result.output


@pytest.fixture
def installed(tiny_argos_models: dict[str, Path]) -> dict[str, Path]:  # noqa: F811
    install(*tiny_argos_models.values())
    return tiny_argos_models


# ------------------------------------------------------------------------------------ argos


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize(("text", "language"), [(RUSSIAN, "ru"), (GREEK, "el")])
def test_argos_translates_every_segment_with_provenance(text: str, language: str) -> None:
    detected = detect(text, language)
    translator = ArgosTranslator()
    out = translator.translate(detected, "en")

    assert [p.segment for p in out] == list(detected.segments)
    for pivot in out:
        assert isinstance(pivot.text, str)
        assert pivot.text.strip()
        assert pivot.provenance.engine == "argos"
        assert pivot.provenance.status == "translated"
        assert pivot.provenance.package == f"translate-{language}_en"
        assert pivot.provenance.version == "1.0"
        assert pivot.provenance.cached is False
    assert translator.packages() == (f"translate-{language}_en@1.0",)
    assert translator.translated_count == len(detected.segments)


@pytest.mark.usefixtures("installed")
def test_translation_is_deterministic_and_per_segment() -> None:
    detected = detect(RUSSIAN, "ru")
    first = ArgosTranslator().translate(detected, "en")
    again = ArgosTranslator().translate(detected, "en")
    assert [p.text for p in first] == [p.text for p in again]
    # Each segment is translated on its own: translating one alone gives the same text.
    alone = detect(detected.segments[1].span.of(RUSSIAN), "ru")
    assert ArgosTranslator().translate(alone, "en")[0].text == first[1].text


@pytest.mark.usefixtures("installed")
def test_warm_rerun_translates_nothing(tmp_path: Path) -> None:
    detected = detect(RUSSIAN, "ru")
    with TranslationCache(tmp_path / "t.sqlite") as cache:
        cold = ArgosTranslator(cache=cache)
        first = cold.translate(detected, "en")
        warm = ArgosTranslator(cache=cache)
        second = warm.translate(detected, "en")

    assert [p.provenance.cached for p in first] == [False] * len(first)
    assert [p.provenance.cached for p in second] == [True] * len(second)
    assert [p.text for p in second] == [p.text for p in first]
    assert warm.translated_count == 0
    assert warm.packages() == ("translate-ru_en@1.0",)


@pytest.mark.usefixtures("installed")
def test_new_package_version_misses_the_cache(tmp_path: Path) -> None:
    detected = detect(RUSSIAN, "ru")
    with TranslationCache(tmp_path / "t.sqlite") as cache:
        ArgosTranslator(cache=cache).translate(detected, "en")
        pkg = find_package("ru", "en")
        assert pkg is not None
        metadata_path = pkg.path / "metadata.json"
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        metadata["package_version"] = "1.1"
        metadata_path.write_text(json.dumps(metadata), encoding="utf-8")
        translator = ArgosTranslator(cache=cache)
        out = translator.translate(detected, "en")

    assert {p.provenance.cached for p in out} == {False}
    assert {p.provenance.version for p in out} == {"1.1"}
    assert translator.packages() == ("translate-ru_en@1.1",)


@pytest.mark.usefixtures("installed")
def test_repeated_sentences_are_translated_once() -> None:
    text = "Война продолжается. Мир возможен. Война продолжается."
    translator = ArgosTranslator()
    out = translator.translate(detect(text, "ru"), "en")
    assert translator.translated_count == 2
    assert out[0].text == out[2].text


@pytest.mark.usefixtures("installed")
def test_package_without_splitter_uses_fidelity_splitter_offline() -> None:
    pkg = find_package("uk", "en")
    assert pkg is not None and pkg.splitter == "fidelity"
    assert make_splitter(pkg) is _fidelity_splitter

    translator = ArgosTranslator()
    out = translator.translate(detect(UKRAINIAN, "uk"), "en")
    assert [p.provenance.package for p in out] == ["translate-uk_en"] * 2
    assert all(p.text.strip() for p in out)
    # argostranslate would have fetched a MiniSBD model into its data dir: nothing is there.
    assert not list(Path(os.environ["FIDELITY_HOME"]).rglob("*.onnx.lock"))
    assert not list((Path(os.environ["FIDELITY_HOME"]) / "argos-runtime").rglob("*.onnx"))


@pytest.mark.usefixtures("installed")
def test_packaged_minisbd_splitter_splits_a_segment_into_sentences() -> None:
    pkg = find_package("ru", "en")
    assert pkg is not None and pkg.splitter == "minisbd"
    split = make_splitter(pkg)
    texts = ["Война продолжается! Мир возможен?", "Кремль молчит."]
    assert split(texts) == [["Война продолжается!", "Мир возможен?"], ["Кремль молчит."]]
    loaded = LoadedPackage(pkg)
    two = loaded.translate_texts(["Война продолжается! Мир возможен?"])
    parts = loaded.translate_texts(["Война продолжается!", "Мир возможен?"])
    assert two == [" ".join(parts)]


@pytest.mark.parametrize(
    ("texts", "sentences", "expected"),
    [
        (["A b. C d.", "E f."], ["A b.", "C d.", "E f."], [["A b.", "C d."], ["E f."]]),
        (["Same.", "Same."], ["Same.", "Same."], [["Same."], ["Same."]]),
        (["One.", "Two."], ["One."], [["One."], ["Two."]]),  # nothing found: keep the text
        (["One."], ["Elsewhere."], None),  # a sentence not in the text: cannot attribute
    ],
)
def test_sentences_are_given_back_to_their_segment(
    texts: list[str], sentences: list[str], expected: list[list[str]] | None
) -> None:
    assert _owned(texts, sentences) == expected


@pytest.mark.parametrize(
    ("files", "kind"),
    [
        (["minisbd/el.onnx"], "minisbd"),
        (["minisbd/README"], "fidelity"),
        (["stanza/el/tokenize/gdt.pt"], "fidelity"),  # no resources.json: would download
        (["stanza/resources.json"], "fidelity"),  # no model file
        (["stanza/resources.json", "stanza/el/tokenize/gdt.pt"], "stanza"),
        (["minisbd/el.onnx", "stanza/resources.json", "stanza/el/tokenize/gdt.pt"], "minisbd"),
        ([], "fidelity"),
    ],
)
def test_splitter_kind(tmp_path: Path, files: list[str], kind: str) -> None:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert splitter_kind(tmp_path) == kind


def test_missing_model_leaves_segments_untranslated_with_hint() -> None:
    detected = detect(GREEK, "el")
    out = ArgosTranslator().translate(detected, "en")
    assert len(out) == len(detected.segments)
    for pivot in out:
        assert pivot.provenance.status == "untranslated"
        assert pivot.provenance.engine == "none"
        assert pivot.text == pivot.segment.span.of(GREEK)
        assert pivot.provenance.hint is not None
        assert "el→en" in pivot.provenance.hint
        assert "fidelity models install translate-el_en.argosmodel" in pivot.provenance.hint


@pytest.mark.usefixtures("installed")
def test_pivot_is_configurable() -> None:
    text = "The talks resumed on Monday. Переговоры возобновились в понедельник."
    detected = detect(text, "en", languages={1: "ru"})
    out = make_translator("argos").translate(detected, "ru")
    assert out[1].provenance.status == "original"
    assert out[1].text == "Переговоры возобновились в понедельник."
    assert out[0].provenance.status == "untranslated"
    assert out[0].provenance.hint is not None and "en→ru" in out[0].provenance.hint


# ------------------------------------------------------------------------------------- auto


@pytest.mark.usefixtures("installed")
def test_auto_mixes_identity_argos_and_untranslated() -> None:
    text = (
        "Η ΕΡΤ μεταδίδει. The Kremlin denied the report.\n"
        "Кремль опроверг сообщение. Der Kreml dementierte."
    )
    detected = detect(text, "en", languages={0: "el", 2: "ru", 3: "de"})
    translator = make_translator("auto")
    out = translator.translate(detected, "en")
    statuses = [(p.provenance.engine, p.provenance.status) for p in out]
    assert statuses == [
        ("argos", "translated"),
        ("identity", "original"),
        ("argos", "translated"),
        ("none", "untranslated"),
    ]
    assert out[1].text == "The Kremlin denied the report."
    assert out[3].text == "Der Kreml dementierte."
    assert translator.packages() == ("translate-el_en@1.0", "translate-ru_en@1.0")


@pytest.mark.usefixtures("installed")
def test_auto_prefers_the_provided_translation() -> None:
    translation = (
        "Medvedev said Russia would not allow NATO troops in Ukraine. "
        "According to him, talks must start within 24 hours.\n"
        "The Kremlin has not yet commented on the statement."
    )
    detected = detect(RUSSIAN, "ru", translation=translation)
    translator = make_translator("auto")
    out = translator.translate(detected, "en")
    assert [p.provenance.status for p in out] == ["provided"] * 3
    assert out[1].text == "According to him, talks must start within 24 hours."
    assert out[1].segment.span.of(RUSSIAN).startswith("По его словам")
    (signature_entry,) = translator.packages()
    assert signature_entry.startswith("provided:")


@pytest.mark.usefixtures("installed")
def test_auto_sends_what_the_provided_translation_leaves_out_to_argos() -> None:
    text = "Σύνοδος στη Μόσχα\nΟ πρόεδρος μίλησε. Είπε ότι θα έρθει."
    translation = "The president spoke. He said he would come."
    detected = detect(text, "el", translation=translation, title_paragraph=True)
    translator = make_translator("auto")
    out = translator.translate(detected, "en")
    assert [p.provenance.engine for p in out] == ["argos", "provided", "provided"]
    assert out[1].text == "The president spoke."
    assert "translate-el_en@1.0" in translator.packages()


def test_auto_without_models_or_translation_marks_untranslated() -> None:
    out = make_translator("auto").translate(detect(GREEK, "el", translation="  "), "en")
    assert {p.provenance.status for p in out} == {"untranslated"}
    assert all(p.provenance.hint and "el→en" in p.provenance.hint for p in out)


def test_translate_articles_keeps_order_and_pivot() -> None:
    articles = [detect("One sentence here. Another one.", "en", article_id=f"a{i}") for i in (1, 2)]
    result = translate_articles(articles, IdentityTranslator(), pivot="en")
    assert [r.article.id for r in result] == ["a1", "a2"]
    assert all(r.pivot_language == "en" for r in result)
    assert [p.text for p in result[0].segments] == ["One sentence here.", "Another one."]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("auto", AutoTranslator),
        ("argos", ArgosTranslator),
        ("provided", ProvidedTranslator),
        ("identity", IdentityTranslator),
    ],
)
def test_make_translator_by_name(name: str, kind: type) -> None:
    translator = make_translator(name)
    assert isinstance(translator, kind)
    assert translator.name == name


def test_make_translator_rejects_unknown_name() -> None:
    with pytest.raises(ConfigError, match="choose one of auto, argos, provided, identity"):
        make_translator("google")


def test_make_translator_default_cache_lives_under_fidelity_home() -> None:
    translator = make_translator("argos", use_cache=True)
    assert isinstance(translator, ArgosTranslator)
    assert translator.cache is not None
    assert Path(os.environ["FIDELITY_HOME"]) in translator.cache.path.parents
    assert translator.packages_dir == argos_packages_dir()
    translator.cache.close()


# --------------------------------------------------------------------------------- provided


@pytest.mark.parametrize(
    ("text", "translation", "expected"),
    [
        pytest.param(
            "Ο πρόεδρος μίλησε. Είπε ότι θα έρθει.\nΗ συνάντηση έγινε στη Μόσχα.",
            "The president spoke. He said he would come.\nThe meeting took place in Moscow.",
            ["The president spoke.", "He said he would come.", "The meeting took place in Moscow."],
            id="sentence-by-sentence",
        ),
        pytest.param(
            "Ο πρόεδρος μίλησε. Είπε ότι θα έρθει αύριο το πρωί.\nΗ συνάντηση έγινε.",
            "The president spoke and said he would come tomorrow morning.\nThe meeting happened.",
            [
                "",
                "The president spoke and said he would come tomorrow morning.",
                "The meeting happened.",
            ],
            id="translator-merged-two-sentences",
        ),
        pytest.param(
            "Ο πρόεδρος μίλησε σήμερα.\nΗ συνάντηση έγινε στη Μόσχα.",
            "The president spoke today. The meeting took place in Moscow.",
            ["The president spoke today.", "The meeting took place in Moscow."],
            id="paragraphs-joined-in-translation",
        ),
        pytest.param(
            "Ο πρόεδρος μίλησε σήμερα για πολλή ώρα στη Βουλή.",
            "The president spoke today. He spoke for a long time in parliament.",
            ["The president spoke today. He spoke for a long time in parliament."],
            id="translator-split-one-sentence",
        ),
    ],
)
def test_provided_translation_maps_onto_segments(
    text: str, translation: str, expected: list[str]
) -> None:
    detected = detect(text, "el", translation=translation)
    out = ProvidedTranslator().translate(detected, "en")
    assert [p.text for p in out] == expected
    for pivot in out:
        assert pivot.provenance.engine == "provided"
        assert pivot.provenance.status == "provided"
    assert all(p.segment.span.of(text) for p in out)


def test_provided_translation_without_the_headline() -> None:
    text = "Σύνοδος στη Μόσχα\nΟ πρόεδρος μίλησε. Είπε ότι θα έρθει."
    translation = "The president spoke. He said he would come."
    detected = detect(text, "el", translation=translation, title_paragraph=True)
    out = ProvidedTranslator().translate(detected, "en")
    assert out[0].provenance.status == "untranslated"
    assert out[0].text == "Σύνοδος στη Μόσχα"
    assert [p.text for p in out[1:]] == ["The president spoke.", "He said he would come."]
    assert map_translation(detected, translation)[0] is None


def test_provided_without_translation_is_untranslated_with_hint() -> None:
    out = ProvidedTranslator().translate(detect(GREEK, "el"), "en")
    assert {p.provenance.status for p in out} == {"untranslated"}
    assert all(p.provenance.hint and "no en translation" in p.provenance.hint for p in out)


def test_provided_signature_changes_with_the_translation() -> None:
    first, second = ProvidedTranslator(), ProvidedTranslator()
    first.translate(detect("Ο πρόεδρος μίλησε.", "el", translation="The president spoke."), "en")
    second.translate(detect("Ο πρόεδρος μίλησε.", "el", translation="The president talked."), "en")
    assert first.packages() != second.packages()
    assert ProvidedTranslator().packages() == ()


def test_identity_marks_foreign_segments_untranslated() -> None:
    text = "The talks resumed. Οι συνομιλίες συνεχίστηκαν."
    out = IdentityTranslator().translate(detect(text, "en", languages={1: "el"}), "en")
    assert [p.provenance.status for p in out] == ["original", "untranslated"]
    assert out[1].text == "Οι συνομιλίες συνεχίστηκαν."
    assert out[0].segment.span == Span(0, 18)


# --------------------------------------------------------------------------- import guarding


def test_argostranslate_import_stays_inside_fidelity_home(tmp_path: Path) -> None:
    """argostranslate creates its folders at import: they must land under FIDELITY_HOME."""
    home, user = tmp_path / "fidelity-home", tmp_path / "user"
    user.mkdir()
    code = (
        "import os\n"
        "from fidelity.translate.argos import import_argos_package\n"
        "before = dict(os.environ)\n"
        "import_argos_package()\n"
        "from argostranslate import settings\n"
        "assert dict(os.environ) == before\n"
        "print(settings.data_dir, settings.package_data_dir, settings.cache_dir, sep='\\n')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_", "FIDELITY_"))}
    env.update(HOME=str(user), FIDELITY_HOME=str(home))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    dirs = [Path(line) for line in result.stdout.splitlines()]
    assert len(dirs) == 3
    assert all(home in d.parents for d in dirs)
    assert dirs[1] == home / "argos-packages"
    assert not any(user.iterdir())
