"""``check`` reads a draft's translation exactly as ``compare`` does: a ``NAME.en.md`` file
beside ``NAME.ru.md``, or ``translation:`` in the front matter. Without one, the untranslated
parts are unverifiable and every report format names the package that would translate them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fidelity.cli import app

runner = CliRunner()

RUSSIAN = (
    "Совет одобрил строительство 45 новых домов в порту в понедельник. "
    "Строительство начнётся весной, сообщили в жилищном управлении.\n"
)
TRANSLATION = (
    "The council approved 45 new homes on the harbour site on Monday. "
    "Construction will start in the spring, the housing office said.\n"
)
SOURCE = (
    "---\noutlet: Wire\nrole: source\n---\n"
    "The city council approved 40 new homes on the harbour site on Monday. "
    "Construction is due to start in the spring, the housing office said.\n"
)
DRAFT_META = "---\noutlet: Gazeta\nlanguage: ru\n"


def _write(folder: Path, how: str) -> Path:
    """The Russian draft, with its translation given ``how``; returns the draft's path."""
    folder.mkdir()
    (folder / "wire.md").write_text(SOURCE, "utf-8")
    draft = folder / "story.ru.md"
    if how == "sidecar":
        draft.write_text(DRAFT_META + "---\n" + RUSSIAN, "utf-8")
        (folder / "story.en.md").write_text(TRANSLATION, "utf-8")
    elif how == "front matter":
        quoted = json.dumps(TRANSLATION.strip(), ensure_ascii=False)
        draft.write_text(DRAFT_META + f"translation: {quoted}\n---\n" + RUSSIAN, "utf-8")
    else:
        draft.write_text(DRAFT_META + "---\n" + RUSSIAN, "utf-8")
    return draft


def _article(doc: dict[str, Any], outlet: str) -> dict[str, Any]:
    return next(a for a in doc["articles"] if a["outlet"] == outlet)


def _draft_json(doc: dict[str, Any]) -> dict[str, Any]:
    return _article(doc, "Gazeta")


def _run(*args: str) -> tuple[int, dict[str, Any]]:
    options = ["--embedder", "none", "--no-cache", "-j", "1", "-f", "json"]
    result = runner.invoke(app, [*args, *options])
    assert result.exit_code in (0, 1, 3), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("how", ["sidecar", "front matter"])
def test_check_reads_the_translation_as_compare_does(tmp_path: Path, how: str) -> None:
    draft = _write(tmp_path / "story", how)
    code, checked = _run("check", str(draft), "--source", str(tmp_path / "story" / "wire.md"))
    _, compared = _run("compare", str(tmp_path / "story"), "--one-story")
    in_check, in_compare = _draft_json(checked), _draft_json(compared)
    assert in_check["translation"] == in_compare["translation"]
    assert in_check["translation"] is not None and "45 new homes" in str(in_check["translation"])
    assert in_check["translation_origin"] == in_compare["translation_origin"]
    segments = in_check["segments"]
    assert isinstance(segments, list)
    assert {s["provenance"]["status"] for s in segments} == {"provided"}
    # read in English, the draft is checkable: 45 homes where the source says 40
    assert code == 1
    assert checked["untranslated"] == []
    assert any(f["category"] == "number_changed" for f in checked["findings"])


def test_without_a_translation_every_format_names_the_package(tmp_path: Path) -> None:
    draft = _write(tmp_path / "story", "none")
    source = tmp_path / "story" / "wire.md"
    common = [str(draft), "--source", str(source), "--embedder", "none", "--no-cache", "-j", "1"]
    outputs = {}
    for fmt in ("terminal", "json", "md", "html", "csv"):
        result = runner.invoke(app, ["check", *common, "-f", fmt])
        assert result.exit_code == 3, (fmt, result.output)  # unverifiable, never consistent
        outputs[fmt] = result.stdout
    for fmt, text in outputs.items():
        flat = " ".join(text.split())
        assert "translate-ru_en" in flat, fmt
        assert "fidelity models install translate-ru_en.argosmodel" in flat, fmt
        assert "unverifiable" in flat, fmt
    doc = json.loads(outputs["json"])
    (part,) = doc["untranslated"]
    assert part["packages"] == ["translate-ru_en"]
    assert part["unverifiable_claims"] == part["claims"] > 0
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert [r["status"] for r in rows if r["status"] != "open"] == ["unverifiable"]
    # the score of a draft nothing of which was read measures nothing: no number is shown
    assert "| — | unverified |" in " ".join(outputs["terminal"].split()).replace("  ", " ")
    assert "| — (unverifiable) |" in outputs["md"]
    assert '<td class="num score">—</td>' in outputs["html"]


def test_a_named_source_finds_its_translation_too(tmp_path: Path) -> None:
    """The sources of ``check`` are read like compare's inputs: ``wire.ru.md`` named alone
    brings ``wire.en.md`` beside it; two other languages of one name would be ambiguous."""
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "wire.ru.md").write_text("---\noutlet: Wire\nlanguage: ru\n---\n" + RUSSIAN, "utf-8")
    (folder / "wire.en.md").write_text(TRANSLATION, "utf-8")
    draft = folder / "paper.md"
    draft.write_text("---\noutlet: Paper\n---\n" + TRANSLATION.replace("45", "60"), "utf-8")
    code, checked = _run("check", str(draft), "--source", str(folder / "wire.ru.md"))
    wire = _article(checked, "Wire")
    assert str(wire["translation_origin"]).endswith("wire.en.md")
    assert code == 1  # 60 homes where the translated source says 45
    (folder / "wire.uk.md").write_text(RUSSIAN, "utf-8")  # now wire.en.md could be either's
    _, ambiguous = _run("check", str(draft), "--source", str(folder / "wire.ru.md"))
    wire = _article(ambiguous, "Wire")
    assert wire["translation_origin"] is None
