"""Direction: in a story with sources (``role: source``), derived articles are measured against
the sources and a source is never the drifting side; the report says which mode ran."""

from __future__ import annotations

from pathlib import Path

from fidelity.pipeline import RunConfig, compare
from fidelity.report.terminal import comparison_mode

BODY = (
    "The city council approved {n} new homes on the harbour site on Monday.\n\n"
    "Construction is due to start in the spring, the housing office said.\n"
)


def write(folder: Path, name: str, homes: int, role: str | None) -> None:
    folder.mkdir(exist_ok=True)
    meta = f"role: {role}\n" if role else ""
    (folder / f"{name}.md").write_text(
        f"---\noutlet: {name.title()}\ntitle: Council backs harbour homes\n{meta}---\n"
        + BODY.format(n=homes),
        encoding="utf-8",
    )


def test_derived_articles_are_measured_against_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    write(folder, "wire", 40, "source")
    write(folder, "faithful", 40, "derived")
    write(folder, "drifting", 45, "derived")
    result = compare([folder], RunConfig(embedder="none", use_cache=False))
    scored = {s.article_id: s for s in result.scores}
    assert "wire" not in scored, "a source is never the drifting side"
    assert scored["faithful"].compared_with == ("wire",)
    assert scored["drifting"].compared_with == ("wire",)
    assert {f.derived.article_id for f in result.findings} == {"drifting"}
    assert comparison_mode(result) == "measured against the sources: Wire"


def test_without_sources_the_outlets_are_measured_by_consensus(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    for name, homes in (("one", 40), ("two", 40), ("three", 45)):
        write(folder, name, homes, None)
    result = compare([folder], RunConfig(embedder="none", use_cache=False))
    assert {s.article_id for s in result.scores} == {"one", "two", "three"}
    assert comparison_mode(result).startswith("consensus")
    assert {f.derived.article_id for f in result.findings} == {"three"}
