"""Property tests: outside input never ends in a traceback, only in a FidelityError.

The number of generated inputs per property is FIDELITY_FUZZ_EXAMPLES (default 150, so the
suite stays quick); `bench/fuzz.sh` or `pytest -m slow` runs the full 10,000.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fidelity.errors import FidelityError
from fidelity.langid import LangidOptions, detect_articles, make_detector
from fidelity.load import read_file
from fidelity.load.boilerplate import find_boilerplate
from fidelity.text.sentences import split_sentences
from fidelity.types import Article

EXAMPLES = int(os.environ.get("FIDELITY_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

# Text in many scripts, with control characters, quote marks and newlines in the mix.
ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("αβγΔΩ ЖжЯя їєґ «»„“”‘’\"' .!?…;:\n\t\r\x00\x07\x1b\u200b\ufeff")),
)
TEXTS = st.text(alphabet=ALPHABET, max_size=400)
BYTES = st.binary(max_size=600)


def _article(text: str) -> Article:
    return Article(id="x", origin="x", text=text, removed=find_boilerplate(text))


@FUZZ
@given(text=TEXTS)
def test_sentences_cover_text_and_never_fail(text: str) -> None:
    spans = split_sentences(text)
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
    for s in spans:
        assert s.of(text).strip() == s.of(text) and s.of(text)


@FUZZ
@given(text=TEXTS)
def test_boilerplate_spans_are_inside_and_disjoint(text: str) -> None:
    removed = find_boilerplate(text)
    for a, b in itertools.pairwise(removed):
        assert a.span.end <= b.span.start
    assert all(r.span.end <= len(text) for r in removed)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl"])
def test_loaders_on_generated_bytes(tmp_path_factory: pytest.TempPathFactory, suffix: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")

    @FUZZ
    @given(data=BYTES)
    def run(data: bytes) -> None:
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        try:
            articles = read_file(path)
        except FidelityError as exc:
            assert str(exc)
            return
        assert articles and all(a.text.strip() for a in articles)

    run()


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl"])
def test_loaders_on_generated_text(tmp_path_factory: pytest.TempPathFactory, suffix: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")

    @FUZZ
    @given(text=TEXTS, front=st.booleans())
    def run(text: str, front: bool) -> None:
        path = folder / f"input{suffix}"
        if suffix == ".jsonl":
            body = json.dumps({"id": "a", "text": text, "title": text[:20]})
        elif suffix == ".md" and front:
            body = f"---\ntitle: {json.dumps(text[:30])}\nrole: derived\n---\n{text}"
        elif suffix == ".html":
            body = f"<html><body><article><p>{text}</p><div><p>{text}</article>"
        else:
            body = text
        path.write_bytes(body.encode("utf-8", "surrogatepass"))
        try:
            articles = read_file(path)
        except FidelityError as exc:
            assert str(exc)
            return
        for a in articles:
            assert all(r.span.end <= len(a.text) for r in a.removed)

    run()


def test_jsonl_lone_surrogates_and_huge_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"id": "s", "text": "Broken \ud800 surrogate text here."})
        + "\n"
        + json.dumps({"id": "h", "text": "word " * 200_000})
        + "\n",
        "utf-8",
    )
    articles = read_file(path)
    assert [a.id for a in articles] == ["s", "h"]
    assert "\ud800" not in articles[0].text


@FUZZ
@given(text=TEXTS)
def test_language_detection_never_fails(text: str) -> None:
    if not text.strip():
        return
    detector = _detector()
    (detected,) = detect_articles([_article(text)], detector, LangidOptions())
    assert detected.language in LangidOptions().languages
    for seg in detected.segments:
        assert 0.0 <= seg.confidence <= 1.0


_DETECTOR = []


def _detector():  # type: ignore[no-untyped-def]
    if not _DETECTOR:
        _DETECTOR.append(make_detector("lingua"))
    return _DETECTOR[0]


_BACKENDS: list = []  # type: ignore[type-arg]


def _backends():  # type: ignore[no-untyped-def]
    from fidelity.pipeline import RunConfig, build_backends

    if not _BACKENDS:
        _BACKENDS.append(build_backends(RunConfig(embedder="none", use_cache=False)))
    return _BACKENDS[0]


@FUZZ
@given(text=TEXTS, title=st.one_of(st.none(), TEXTS))
def test_extractor_never_fails(text: str, title: str | None) -> None:
    from fidelity.extract import extract_articles
    from fidelity.translate import IdentityTranslator, translate_articles

    if not text.strip():
        return
    article = Article(id="x", origin="x", text=text, title=title, removed=find_boilerplate(text))
    detected = detect_articles([article], _detector(), LangidOptions())
    translated = translate_articles(detected, IdentityTranslator())
    (extracted,) = extract_articles(translated, _backends().lexicon)
    for claim in extracted.claims:
        assert claim.span.end <= len(text)


@FUZZ
@given(
    draft=TEXTS,
    sources=st.lists(TEXTS, min_size=0, max_size=2),
    junk=st.one_of(st.none(), st.integers(), st.lists(st.integers(), max_size=2)),
)
def test_check_batch_lines_never_fail(
    tmp_path_factory: pytest.TempPathFactory, draft: str, sources: list[str], junk: object
) -> None:
    from fidelity.batch import run_batch
    from fidelity.pipeline import RunConfig

    path = tmp_path_factory.mktemp("batch") / "b.jsonl"
    lines = [
        json.dumps({"id": 1, "text": draft, "sources": sources}),
        json.dumps({"id": 2, "text": junk, "sources": junk}),
        draft.replace("\n", " ")[:50],
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8", errors="surrogatepass")
    out = run_batch(path, RunConfig(embedder="none", use_cache=False))
    assert all(("verdict" in o) != ("error" in o) for o in out)
