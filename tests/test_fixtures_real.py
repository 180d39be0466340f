"""Integrity of the labelled set of real coverage in ``fixtures/real/`` (see its README.md).

The same rules as ``fixtures/eval`` (tests/test_fixtures_eval.py): every annotated substring
occurs, character for character and exactly once, in the file it names, so that ``fidelity eval``
can turn each label into a span. On top of those, the real set asks for what issue #21 set out:
at least four stories, each with a source and six or more retellings in at least two languages,
and the address of every page an excerpt was taken from. Run with ``-s`` for the totals.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

# the same file rules as the invented set's
from test_fixtures_eval import (
    check_article_file,
    load_annotations,
    read_doc,
    sidecar_of,
)

from fidelity.score import CATEGORIES

REAL_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "real"

MIN_STORIES = 4
MIN_DERIVED_PER_STORY = 6
MIN_LANGUAGES_PER_STORY = 2


def story_dirs() -> list[Path]:
    if not REAL_DIR.is_dir():
        return []
    return sorted(p for p in REAL_DIR.iterdir() if p.is_dir())


def reference_names(annotations: dict[str, Any]) -> list[str]:
    ref = annotations["reference"]
    return [ref] if isinstance(ref, str) else list(ref)


def span_of(needle: str, haystack: str) -> tuple[int, int]:
    start = haystack.index(needle)
    return start, start + len(needle)


def originals(story: Path) -> list[Path]:
    """The articles themselves (provided English translations left out)."""
    return [p for p in sorted(story.glob("*.md")) if "translation_of" not in read_doc(p).meta]


def test_real_dir_has_stories() -> None:
    assert REAL_DIR.is_dir()
    assert (REAL_DIR / "README.md").is_file()
    assert len(story_dirs()) >= MIN_STORIES


@pytest.mark.parametrize("story", story_dirs(), ids=lambda p: p.name)
def test_front_matter(story: Path) -> None:
    docs = sorted(story.glob("*.md"))
    assert docs, f"{story.name}: no articles"
    for path in docs:
        doc = check_article_file(story, path)
        if doc is not None:
            # every excerpt of a real page names the page it was taken from
            url = doc.meta.get("url")
            assert isinstance(url, str) and url.startswith(("http://", "https://")), (
                f"{story.name}/{path.name}: no url"
            )


@pytest.mark.parametrize("story", story_dirs(), ids=lambda p: p.name)
def test_story_shape(story: Path) -> None:
    """A source, six or more retellings, and at least two languages."""
    docs = [read_doc(p) for p in originals(story)]
    derived = [d for d in docs if d.meta["role"] == "derived"]
    assert any(d.meta["role"] == "source" for d in docs), f"{story.name}: no source"
    assert len(derived) >= MIN_DERIVED_PER_STORY, f"{story.name}: {len(derived)} retellings"
    languages = {d.meta["language"] for d in docs}
    assert len(languages) >= MIN_LANGUAGES_PER_STORY, f"{story.name}: languages {languages}"


@pytest.mark.parametrize("story", story_dirs(), ids=lambda p: p.name)
def test_annotations(story: Path) -> None:
    ann = load_annotations(story)
    assert ann.get("story") == story.name
    assert isinstance(ann.get("description"), str) and ann["description"].strip()
    refs = reference_names(ann)
    ref_docs = []
    for ref in refs:
        assert (story / ref).is_file(), f"{story.name}: reference {ref} missing"
        ref_doc = read_doc(story / ref)
        assert ref_doc.meta["role"] == "source", f"{story.name}: reference {ref} is not a source"
        ref_docs.append(ref_doc)
    documents = ann.get("documents")
    assert isinstance(documents, dict) and documents, f"{story.name}: no documents"
    derived_on_disk = {p.name for p in originals(story) if read_doc(p).meta["role"] == "derived"}
    assert set(documents) == derived_on_disk, f"{story.name}: annotated != derived files"

    def check_ref(where: str, item: dict[str, Any]) -> None:
        needle = item["reference"]
        assert isinstance(needle, str) and needle, where
        hits = [d for d in ref_docs if needle in d.text]
        count = sum(d.text.count(needle) for d in ref_docs)
        assert count == 1, f"{where}: reference substring occurs {count}x: {needle!r}"
        if "reference_en" in item:
            sidecars = [sidecar_of(d.path) for d in hits]
            assert any(item["reference_en"] in read_doc(s).text for s in sidecars if s.is_file()), (
                f"{where}: reference_en not found: {item['reference_en']!r}"
            )

    for name, entry in documents.items():
        doc = read_doc(story / name)
        sidecar = sidecar_of(doc.path)
        findings = entry.get("findings") or []
        non_findings = entry.get("non_findings") or []
        verdict = entry.get("verdict")
        assert verdict in ("consistent", "inconsistent"), f"{name}: bad verdict {verdict!r}"
        assert (verdict == "inconsistent") == bool(findings), f"{story.name}/{name}: verdict"
        for i, item in enumerate([*findings, *non_findings]):
            where = f"{story.name}/{name}#{i}"
            needle = item["derived"]
            assert isinstance(needle, str) and needle, where
            count = doc.text.count(needle)
            assert count == 1, f"{where}: derived substring occurs {count}x: {needle!r}"
            if "derived_en" in item:
                assert sidecar.is_file(), f"{where}: derived_en given but no sidecar"
                assert item["derived_en"] in read_doc(sidecar).text, (
                    f"{where}: derived_en not found: {item['derived_en']!r}"
                )
            if "reference" in item:
                check_ref(where, item)
        for i, item in enumerate(findings):
            where = f"{story.name}/{name}#{i}"
            assert item.get("category") in CATEGORIES, f"{where}: {item.get('category')!r}"
            if item["category"] != "unsupported_addition":
                assert "reference" in item, f"{where}: {item['category']} needs a reference"
            if item["category"] == "headline_unsupported":
                assert item["derived"] in doc.title, f"{where}: not in the headline"
        finding_spans = [span_of(f["derived"], doc.text) for f in findings]
        for i, item in enumerate(non_findings):
            where = f"{story.name}/{name}: non_finding #{i}"
            assert "category" not in item, f"{where} has a category"
            assert "reference" in item, f"{where} needs a reference"
            start, end = span_of(item["derived"], doc.text)
            clash = [s for s in finding_spans if start < s[1] and s[0] < end]
            assert not clash, f"{where} overlaps a finding: {item['derived']!r}"


def test_totals() -> None:
    per_category: Counter[str] = Counter()
    non_findings = documents = consistent = 0
    languages: Counter[str] = Counter()
    for story in story_dirs():
        ann = load_annotations(story)
        for path in originals(story):
            languages[read_doc(path).meta["language"]] += 1
        for entry in ann["documents"].values():
            documents += 1
            consistent += entry["verdict"] == "consistent"
            per_category.update(f["category"] for f in entry.get("findings") or [])
            non_findings += len(entry.get("non_findings") or [])
    print(
        f"\nfixtures/real: {len(story_dirs())} stories, {documents} derived documents "
        f"({consistent} consistent); articles per language: {dict(sorted(languages.items()))}"
    )
    for category in CATEGORIES:
        print(f"  {category:22s} {per_category[category]:4d}")
    print(f"  {'findings':22s} {sum(per_category.values()):4d}")
    print(f"  {'non_findings':22s} {non_findings:4d}")
    assert sum(per_category.values()) > 0 and non_findings > 0
    assert consistent > 0, "real coverage is mostly faithful: some documents must be consistent"
