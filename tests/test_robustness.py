"""Property tests: outside input never ends in a traceback, only in a FidelityError.

Loaders, the extractor, language detection, `check --batch` lines and every config-like file
(front matter, `.meta.yaml` sidecars, `--lexicon` files, eval annotations, package metadata,
JSONL records). The number of generated inputs per property is FIDELITY_FUZZ_EXAMPLES
(default 150, so the suite stays quick); the full run of 10,000 per property is the command in
bench/README.md. The aligner and `compare` on generated folders: tests/test_robustness_align.py;
corrupt and unusable state (caches, models, report targets, data folders):
tests/test_robustness_state.py.
"""

from __future__ import annotations

import codecs
import itertools
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fidelity.errors import FidelityError
from fidelity.langid import LangidOptions, detect_articles, make_detector
from fidelity.load import LoadOptions, read_file
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
    articles = read_file(path, LoadOptions(max_bytes=2_000_000))  # the default is 300,000
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


# ------------------------------------------------------------------------------ config files
#
# Every YAML or JSON file fidelity reads from a user: Markdown front matter, `.meta.yaml`
# sidecars, `--lexicon` files, the `annotations.yaml` of `fidelity eval`, the metadata.json of a
# translation package, JSONL records. Generated documents are malformed and hostile: wrong
# types, deep nesting, alias bombs, self-referencing aliases, `!!python` tags that would run
# code, impossible dates, oversized integers, non-UTF-8 bytes, control characters. Each ends
# in a FidelityError with a message or a clean load, never a traceback, never code execution.

CANARY = Path(tempfile.gettempdir()) / f"fidelity-fuzz-canary-{os.getpid()}"
_CODE_TAGS = [
    f"!!python/object/apply:os.system ['touch {CANARY}']",
    f"!!python/object/apply:builtins.exec [\"open(r'{CANARY}', 'w').write('x')\"]",
    f"!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {CANARY}']",
    "!!python/object/new:type ['X', !!python/tuple [], {}]",
    "!!python/object:builtins.object {}",
    "!!python/name:os.system",
    "!!python/module:os",
]
_ODD_VALUES = [
    *_CODE_TAGS,
    "!!binary aGVsbG8gd29ybGQ=",
    "!!binary not-base64!",
    "!!set {a, b, c}",
    "!!omap [{a: 1}, {b: 2}]",
    "!!pairs [{a: 1}, {a: 2}]",
    "!!timestamp 2024-02-30",
    "!!float 1e999",
    "!!int 0b102",
    "!custom value",
    "!!null x",
    "&a [*a]",
    "&a {x: *a, y: [*a]}",
    "*undefined",
    "[1, 2",
    "{a: 1, a: 2}",
    "? [a, b]\n  : c",
    "<<: 1",
    "<<: [1, 2]",
    ".nan",
    "-.inf",
    "~",
    "0x1F",
    "12:30:00",
    "2024-01-01T25:61:00Z",
    "'\\x00'",
    '"\\ud800"',
    "\t- tab",
    "|\n  block\n  text",
    "- a\n- b: [c, {d: e}]",
]
FIELDS = ["title", "outlet", "site", "url", "published", "language", "role", "translation", "id"]


def _laughs(width: int, depth: int, key: str) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, depth):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    lines.append(f"{key}: *l{depth - 1}")
    return "\n".join(lines) + "\n"


def _long_text_aliased(length: int, copies: int, key: str) -> str:
    return f"s: &s {'x' * length}\n{key}: [{', '.join(['*s'] * copies)}]\n"


def _deep(depth: int, kind: str, key: str) -> str:
    if kind == "list":
        return f"{key}: {'[' * depth}1{']' * depth}\n"
    if kind == "map":
        return f"{key}: {'{a: ' * depth}1{'}' * depth}\n"
    return f"{key}:\n" + "".join(f"{'  ' * (i + 1)}- \n" for i in range(min(depth, 400)))


_KEYS = st.one_of(st.sampled_from([*FIELDS, "extra", "tags"]), st.text(max_size=8))
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.text(alphabet=ALPHABET, max_size=40),
)
_STRUCTURES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


def _dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=None)


def _splice(doc: str, junk: str, at: int) -> str:
    at = at % (len(doc) + 1)
    return doc[:at] + junk + doc[at:]


YAML_DOCS = st.one_of(
    st.builds(_dump, st.dictionaries(_KEYS, _STRUCTURES, max_size=6)),
    st.builds(_dump, _STRUCTURES),
    st.builds(
        lambda items: "".join(f"{k}: {v}\n" for k, v in items),
        st.lists(st.tuples(st.sampled_from(FIELDS), st.sampled_from(_ODD_VALUES)), max_size=4),
    ),
    st.builds(_laughs, st.integers(2, 12), st.integers(1, 9), st.sampled_from(FIELDS)),
    st.builds(
        _long_text_aliased,
        st.integers(1000, 50_000),
        st.integers(10, 2000),
        st.sampled_from([*FIELDS, "extra"]),
    ),
    st.builds(
        _deep,
        st.integers(1, 3000),
        st.sampled_from(["list", "map", "block"]),
        st.sampled_from(FIELDS),
    ),
    st.builds(
        lambda n, key: f"{key}: {'9' * n}\n", st.integers(4200, 4400), st.sampled_from(FIELDS)
    ),
    st.builds(
        lambda y, m, d, key: f"{key}: {y:04d}-{m:02d}-{d:02d}\n",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.sampled_from(FIELDS),
    ),
    st.builds(
        _splice,
        st.builds(_dump, st.dictionaries(_KEYS, _STRUCTURES, max_size=4)),
        st.one_of(TEXTS, st.sampled_from(_ODD_VALUES)),
        st.integers(0, 10_000),
    ),
    TEXTS,
)
# What lands on disk: the document as UTF-8 (lone surrogates kept as their bytes, which are not
# UTF-8), with a byte-order mark, in another encoding, or bytes that are no text at all.
YAML_BYTES = st.one_of(
    st.builds(lambda d: d.encode("utf-8", "surrogatepass"), YAML_DOCS),
    st.builds(lambda d: codecs.BOM_UTF8 + d.encode("utf-8", "surrogatepass"), YAML_DOCS),
    st.builds(lambda d: d.encode("utf-16", "surrogatepass"), YAML_DOCS),
    BYTES,
)


def _survives(run: Callable[[], object]) -> object | None:
    """``run()``'s result, or None when it stopped with a FidelityError that has a message."""
    try:
        return run()
    except FidelityError as exc:
        assert str(exc).strip()
        return None
    finally:
        assert not CANARY.exists(), "a YAML tag ran code"


def _plain(value: object) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _check_article_metadata(articles: object, data: bytes) -> None:
    assert isinstance(articles, list) and articles
    for article in articles:
        for name in ("title", "outlet", "site", "url", "published", "language", "translation"):
            assert isinstance(getattr(article, name), str | None)
        assert article.role in (None, "source", "derived")
        assert _plain(dict(article.extra))
        # aliases never expand past the budget: the metadata stays the size of its file
        assert len(repr(article.extra)) <= 8 * len(data) + 1_000_000
        json.dumps(dict(article.extra))


def test_front_matter_of_generated_yaml(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("front")

    @FUZZ
    @given(data=YAML_BYTES)
    def run(data: bytes) -> None:
        path = folder / "a.md"
        path.write_bytes(b"---\n" + data + b"\n---\nThe minister said talks would resume.\n")
        articles = _survives(lambda: read_file(path))
        if articles is not None:
            _check_article_metadata(articles, data)

    run()


def test_meta_sidecar_of_generated_yaml(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("sidecar")
    (folder / "a.txt").write_text("The minister said talks would resume.\n", "utf-8")

    @FUZZ
    @given(data=YAML_BYTES)
    def run(data: bytes) -> None:
        (folder / "a.meta.yaml").write_bytes(data)
        articles = _survives(lambda: read_file(folder / "a.txt"))
        if articles is not None:
            _check_article_metadata(articles, data)

    run()


def test_annotations_of_generated_yaml(tmp_path_factory: pytest.TempPathFactory) -> None:
    from fidelity.evaluate import Annotations, load_annotations

    folder = tmp_path_factory.mktemp("annotations")
    path = folder / "annotations.yaml"
    documents = st.dictionaries(
        st.text(max_size=10),
        st.one_of(
            _STRUCTURES,
            st.fixed_dictionaries(
                {},
                optional={
                    "verdict": st.one_of(st.sampled_from(["consistent", "inconsistent"]), _SCALARS),
                    "findings": st.lists(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "category": st.one_of(
                                    st.sampled_from(["number_changed", "omission"]), _SCALARS
                                ),
                                "derived": _STRUCTURES,
                                "reference": _STRUCTURES,
                            },
                        ),
                        max_size=3,
                    )
                    | _STRUCTURES,
                    "non_findings": st.lists(
                        st.fixed_dictionaries({}, optional={"derived": _STRUCTURES}), max_size=3
                    )
                    | _STRUCTURES,
                },
            ),
        ),
        max_size=3,
    )
    shaped = st.builds(
        lambda ref, docs: _dump({"reference": ref, "documents": docs}),
        st.one_of(st.just("source.md"), _STRUCTURES),
        documents,
    ).map(lambda d: d.encode("utf-8", "surrogatepass"))

    @FUZZ
    @given(data=st.one_of(shaped, YAML_BYTES))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        labels = _survives(lambda: load_annotations(path))
        if labels is not None:
            assert isinstance(labels, Annotations) and labels.references
            for name, doc in labels.documents:
                assert isinstance(name, str) and doc.verdict in ("consistent", "inconsistent")
                for item in doc.findings:
                    assert isinstance(item.derived, str | None)

    run()


def test_package_metadata_of_generated_json(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The metadata.json of an installed package, and of an archive offered for install."""
    from fidelity.errors import ModelError
    from fidelity.translate.packages import read_package, scan_packages, validate_archive

    folder = tmp_path_factory.mktemp("packages")
    package = folder / "translate-el_en-1_0"
    (package / "model").mkdir(parents=True)
    (package / "model" / "model.bin").write_bytes(b"\x06\x00\x00\x00" + b"\x00" * 60)
    (package / "model" / "shared_vocabulary.json").write_text("[]", "utf-8")
    (package / "sentencepiece.model").write_bytes(b"\x01" * 64)
    archive = folder.parent / "offered.argosmodel"
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
        max_leaves=12,
    )
    metadata = st.one_of(
        st.builds(
            lambda extra, codes: json.dumps({**extra, **codes}),
            st.dictionaries(st.text(max_size=10), json_values, max_size=3),
            st.fixed_dictionaries(
                {},
                optional={
                    "from_code": st.one_of(
                        st.sampled_from(["el", "en", "el-GR", "x"]), json_values
                    ),
                    "to_code": st.one_of(st.just("en"), json_values),
                    "package_version": json_values,
                    "type": st.one_of(st.just("translate"), json_values),
                },
            ),
        ).map(str.encode),
        st.builds(lambda d: ("[" * d + "]" * d).encode(), st.integers(1, 200_000)),
        st.builds(lambda n: f'{{"from_code": {"1" * n}}}'.encode(), st.integers(4200, 4400)),
        BYTES,
    )

    @FUZZ
    @given(data=metadata)
    def run(data: bytes) -> None:
        (package / "metadata.json").write_bytes(data)
        installed, broken = scan_packages(folder)
        assert len(installed) + len(broken) == 1
        try:
            read_package(package)
        except ModelError as exc:
            assert broken and str(exc).strip()
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("translate-el_en-1_0/metadata.json", data)
            zf.writestr("translate-el_en-1_0/model/model.bin", b"\x06\x00\x00\x00")
            zf.writestr("translate-el_en-1_0/sentencepiece.model", b"\x01")
        _survives(lambda: validate_archive(archive))

    run()


def test_jsonl_records_of_generated_structures(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("jsonl")
    path = folder / "corpus.jsonl"
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(ALPHABET, max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
        max_leaves=20,
    )
    records = st.builds(
        lambda text, meta: json.dumps({**meta, "text": text}),
        st.one_of(TEXTS, json_values),
        st.dictionaries(_KEYS, json_values, max_size=5),
    )
    lines = st.one_of(
        records,
        st.builds(
            lambda d: '{"text": "a", "x": ' + "[" * d + "]" * d + "}", st.integers(1, 50_000)
        ),
        st.builds(lambda n: '{"text": "a", "x": ' + "7" * n + "}", st.integers(4200, 4400)),
        TEXTS.map(lambda t: t.replace("\n", " ")),
    )

    @FUZZ
    @given(body=st.lists(lines, min_size=1, max_size=4))
    def run(body: list[str]) -> None:
        data = "\n".join(body).encode("utf-8", "surrogatepass")
        path.write_bytes(data)
        articles = _survives(lambda: read_file(path))
        if articles is not None:
            _check_article_metadata(articles, data)

    run()


@pytest.mark.parametrize(
    "line",
    [
        "[" * 100_000,
        '{"id": 1, "text": "a", "sources": [' + "1" * 5000 + "]}",
        '{"id": ' + "[" * 900 + "]" * 900 + ', "text": "a", "sources": ["b"]}',
        '{"id": 2, "text": "\\ud800 lone", "sources": ["\\udfff"]}',
    ],
    ids=["deep", "huge-integer", "deep-id", "lone-surrogates"],
)
def test_check_batch_hostile_json_line_is_an_error_entry(tmp_path: Path, line: str) -> None:
    from fidelity.batch import run_batch
    from fidelity.pipeline import RunConfig

    path = tmp_path / "b.jsonl"
    good = json.dumps({"id": "ok", "text": "The bank raised rates.", "sources": ["It did."]})
    path.write_text(f"{good}\n{line}\n", "utf-8", errors="surrogatepass")
    out = run_batch(path, RunConfig(embedder="none", use_cache=False, translator="identity"))
    assert len(out) == 2 and "verdict" in out[0]
    assert "verdict" in out[1] or out[1]["error"]
    json.dumps(out, ensure_ascii=False).encode("utf-8", "surrogatepass")


# `--lexicon` files are read by fidelity/extract/lexicon.py. Until its loader checks the shape
# of a file (the change is with the extract stage), the cases below fail with a traceback; the
# property runs once the loader refuses a malformed file with a ConfigError.
def _lexicon_checks_shapes() -> bool:
    from fidelity.extract import load_lexicon

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probe.yaml"
        path.write_text("reporting_verbs:\n  en: [1]\nmarkers:\n  en: {hedge: {x: y}}\n", "utf-8")
        try:
            lexicon = load_lexicon([path])
            lexicon.language("en")
        except FidelityError:
            return True
        except Exception:
            return False
    return True


LEXICON_CHECKED = _lexicon_checks_shapes()
_LEXICON_PENDING = pytest.mark.xfail(
    not LEXICON_CHECKED,
    reason="the lexicon loader does not check shapes yet (fidelity/extract/lexicon.py)",
    raises=(AttributeError, TypeError, ValueError, KeyError, IndexError, RecursionError),
    strict=True,
)


def _load_and_compile(path: Path) -> object:
    from fidelity.extract import load_lexicon
    from fidelity.extract.quantities import QuantityFinder

    lexicon = load_lexicon([path])
    for code in (*lexicon.languages, "en", "xx"):
        QuantityFinder(lexicon.language(code))
    return lexicon


LEXICON_CASES: dict[str, bytes] = {
    name: text.encode("utf-8")
    for name, text in {
        "verb-entry-not-a-mapping": "reporting_verbs:\n  en:\n    said: 1\n",
        "verb-forms-not-a-list": "reporting_verbs:\n  en:\n    said: {forms: 7}\n",
        "certainty-not-a-number": "reporting_verbs:\n  en:\n    said: {certainty: high}\n",
        "marker-level-not-a-number": "markers:\n  en:\n    hedge: {maybe: somewhat}\n",
        "framing-terms-a-list": "framing:\n  en:\n    conflict: [war]\n",
        "entity-without-canonical": "entities:\n  - {kind: person}\n",
        "entity-not-a-mapping": "entities:\n  - Mark Rutte\n",
        "country-not-a-mapping": "countries:\n  Ukraine: [Kyiv]\n",
        "language-not-a-mapping": "markers:\n  en: [maybe]\n",
        "huge-integer": f"markers:\n  en:\n    hedge: {{maybe: {'9' * 5000}}}\n",
        "impossible-date": "metonyms:\n  2024-13-45: x\n",
        "deep-nesting": "framing:\n  en: " + "[" * 5000 + "]" * 5000 + "\n",
        "very-long-term": f"anonymous_sources:\n  en: [{'x' * 3000}]\n",
        "alias-bomb": "anonymous_sources:\n  l0: &l0 ["
        + ", ".join(["lol"] * 9)
        + "]\n"
        + "".join(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 8))
        + "  en: *l7\n",
    }.items()
}
LEXICON_CASES["not-utf8"] = "markers:\n  en:\n    hedge: {vielleicht: 0.5}\n".encode("utf-16")


@_LEXICON_PENDING
@pytest.mark.parametrize("case", sorted(LEXICON_CASES))
def test_malformed_lexicon_file_is_a_config_error(tmp_path: Path, case: str) -> None:
    path = tmp_path / "extra.yaml"
    path.write_bytes(LEXICON_CASES[case])
    with pytest.raises(FidelityError, match=r"extra\.yaml"):
        _load_and_compile(path)


@pytest.mark.skipif(not LEXICON_CHECKED, reason="waits for the lexicon loader's shape checks")
def test_lexicon_of_generated_yaml(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("lexicon")
    path = folder / "extra.yaml"
    from fidelity.extract.lexicon import SECTIONS

    sections = st.sampled_from(SECTIONS)
    codes = st.sampled_from(["en", "el", "xx"])
    shaped = st.builds(
        _dump,
        st.dictionaries(sections, st.one_of(_STRUCTURES, st.dictionaries(codes, _STRUCTURES))),
    ).map(lambda d: d.encode("utf-8", "surrogatepass"))

    @FUZZ
    @given(data=st.one_of(shaped, YAML_BYTES))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        _survives(lambda: _load_and_compile(path))

    run()


def test_lexicon_terms_written_as_numbers_load_as_text(tmp_path: Path) -> None:
    """YAML reads a term written ``0`` or ``2024`` as a number; the shapes allow it, and the
    compiled patterns get it as text (a number used to stop the run with an AttributeError)."""
    from fidelity.extract import load_lexicon

    path = tmp_path / "extra.yaml"
    path.write_text(
        "anonymous_sources:\n  en: [0]\ntitles:\n  en: [2024]\n"
        "source_phrases:\n  en:\n    according: [7]\n"
        "entities:\n  - {canonical: 1, kind: person, aliases: [2]}\n",
        "utf-8",
    )
    _load_and_compile(path)
    english = load_lexicon([path]).language("en")
    assert "0" in english.anonymous and "2024" in english.titles
