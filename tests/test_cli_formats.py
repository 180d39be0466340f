"""Every command × format either works or is refused (exit 2); nothing read is left out of a
report; the header says what was compared; the signature block only with -v; --top."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app

runner = CliRunner()

RATES = (
    "---\noutlet: Wire\ntitle: Central bank raises rates\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
    "Officials said further increases could follow if inflation stays high.\n"
)
RETOLD = (
    "---\noutlet: Paper\ntitle: Central bank raises rates again\n---\n"
    "The central bank raised its key rate by 75 basis points to 4.5% on Thursday, the bank said.\n"
    "Officials said further increases would follow.\n"
)
CUP = (
    "---\noutlet: Sports Daily\ntitle: Harbour United win the cup\n---\n"
    "Harbour United beat City Rovers 3-1 in the cup final at the national stadium on Saturday.\n"
    "The striker scored twice in the second half, the coach told reporters.\n"
)
FAST = ["--embedder", "none", "--no-cache", "-j", "1"]
FORMATS = ("terminal", "json", "md", "html", "csv")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two retellings of a rate rise and a football report no story shares."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "wire.md").write_text(RATES, "utf-8")
    (folder / "paper.md").write_text(RETOLD, "utf-8")
    (folder / "cup.md").write_text(CUP, "utf-8")
    (folder / "README.md").write_text("# Corpus\n\nThree articles for a test.\n", "utf-8")
    return folder


def _visible(page: str) -> str:
    """What a person reads: an HTML page without the canonical JSON it embeds for scripts
    (which always holds every finding and the signature)."""
    return re.sub(r'<script type="application/json".*?</script>', "", page, flags=re.S)


def _compare(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["compare", *args, *FAST])
    return result.exit_code, result.stdout, result.stderr


def test_alone_article_is_listed_in_every_format_with_the_hint(corpus: Path) -> None:
    outputs = {}
    for fmt in FORMATS:
        code, out, err = _compare(str(corpus), "-f", fmt)
        assert code == 0, (fmt, err)
        outputs[fmt] = " ".join(out.split())
    for fmt, text in outputs.items():
        assert "Sports Daily" in text, fmt
        assert "alone in its story" in text, fmt
        assert "--one-story" in text, fmt
    doc = json.loads(outputs["json"])
    (alone,) = doc["not_compared"]
    cup = next(a for a in doc["articles"] if a["outlet"] == "Sports Daily")
    assert alone["article_id"] == cup["id"]
    assert "--one-story" in alone["hint"]
    assert alone["article_id"] not in {s["article_id"] for s in doc["scores"]}
    # the README is skipped with a note, not read as an article
    assert {Path(a["origin"]).name for a in doc["articles"]} == {"wire.md", "paper.md", "cup.md"}
    (skipped,) = doc["skipped"]
    assert skipped["origin"].endswith("README.md") and "not an article" in skipped["reason"]


def test_alone_article_csv_row(corpus: Path) -> None:
    code, out, _ = _compare(str(corpus), "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    notes = [r for r in rows if r["status"] == "not_compared"]
    assert [r["outlet"] for r in notes] == ["Sports Daily"]
    assert "--one-story" in notes[0]["message"]


def test_one_story_compares_the_alone_article(corpus: Path) -> None:
    code, out, _ = _compare(str(corpus), "--one-story", "-f", "json")
    assert code == 0
    assert json.loads(out)["not_compared"] == []


def test_reference_alone_in_its_story_is_an_error_with_the_hint(corpus: Path) -> None:
    code, out, err = _compare(str(corpus), "--reference", str(corpus / "cup.md"))
    assert code == 2, out
    assert "nothing was compared with the reference Sports Daily·" in err
    assert "alone in its story" in err and "--one-story" in err
    assert "No scores" not in out


def test_reference_in_a_story_still_works(corpus: Path) -> None:
    code, out, _ = _compare(str(corpus), "--reference", str(corpus / "wire.md"), "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["comparison"]["mode"] == "reference"
    assert doc["comparison"]["text"].startswith("measured against the reference Wire·")
    assert [s["outlet"] for s in doc["scores"]] == ["Paper"]
    (alone,) = doc["not_compared"]
    assert "Sports Daily" not in alone["reason"]  # the reason is about the cup report's story
    assert alone["article_id"] != doc["reference_id"]


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_header_says_which_mode_ran(corpus: Path, fmt: str) -> None:
    code, out, _ = _compare(str(corpus), "-f", fmt)
    assert code == 0
    assert "consensus: each outlet against the other outlets of its story" in out


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_signature_block_only_with_verbose(corpus: Path, fmt: str) -> None:
    plain = runner.invoke(app, ["compare", str(corpus), "-f", fmt, *FAST])
    verbose = runner.invoke(app, ["-v", "compare", str(corpus), "-f", fmt, *FAST])
    assert plain.exit_code == verbose.exit_code == 0
    shown = [_visible(r.stdout) for r in (plain, verbose)]
    squeezed = ["".join(text.split()) for text in shown]
    assert "align.accept=" not in squeezed[0], fmt
    assert "align.accept=" in squeezed[1], fmt


def test_json_always_has_the_signature(corpus: Path) -> None:
    code, out, _ = _compare(str(corpus), "-f", "json")
    assert code == 0
    assert "align.accept=" in json.loads(out)["signature"]["text"]


@pytest.mark.parametrize("fmt", ["terminal", "md", "html", "csv"])
def test_top_limits_what_is_shown(corpus: Path, fmt: str) -> None:
    code, full, _ = _compare(str(corpus), "--one-story", "-f", "json")
    assert code == 0
    findings = json.loads(full)["findings"]
    assert len(findings) >= 2, "the retelling changes a figure and a hedge"
    code, out, _ = _compare(str(corpus), "--one-story", "-f", fmt, "--top", "1")
    assert code == 0
    shown = [f["id"] for f in findings if f["id"] in _visible(out)]
    assert len(shown) == 1, (fmt, shown)
    worst = max(findings, key=lambda f: {"low": 0, "medium": 1, "high": 2}[f["severity"]])
    assert shown == [worst["id"]]


def test_top_with_json_is_refused(corpus: Path) -> None:
    code, _, err = _compare(str(corpus), "-f", "json", "--top", "3")
    assert code == 2
    assert "--top does not apply to JSON" in err


def test_markdown_shows_every_finding_by_default(corpus: Path) -> None:
    code, full, _ = _compare(str(corpus), "--one-story", "-f", "json")
    n = len(json.loads(full)["findings"])
    code, out, _ = _compare(str(corpus), "--one-story", "-f", "md")
    assert code == 0
    assert f"## Findings ({n} of {n})" in out


def test_inspect_formats(corpus: Path) -> None:
    md = runner.invoke(app, ["inspect", str(corpus / "wire.md"), "-f", "md", "--claims"])
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# What fidelity reads")
    assert "| outlet | Wire |" in md.stdout
    assert "25 basis points" in md.stdout
    as_json = runner.invoke(app, ["inspect", str(corpus / "wire.md"), "-f", "json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["articles"]
    for fmt in ("html", "csv"):
        refused = runner.invoke(app, ["inspect", str(corpus / "wire.md"), "-f", fmt])
        assert refused.exit_code == 2, fmt
        assert f"inspect writes terminal, json or md, not {fmt}" in refused.stderr


@pytest.mark.parametrize("fmt", ["html", "md", "csv"])
def test_eval_refuses_formats_it_does_not_write(tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(app, ["eval", str(tmp_path), "-f", fmt])
    assert result.exit_code == 2
    assert f"eval writes terminal or json, not {fmt}" in result.stderr


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_outlets_refuses_formats_it_does_not_write(tmp_path: Path, fmt: str) -> None:
    report = tmp_path / "r.json"
    report.write_text("{}", "utf-8")
    result = runner.invoke(app, ["outlets", str(report), "-f", fmt])
    assert result.exit_code == 2


@pytest.mark.parametrize("option", [["-f", "html"], ["-f", "md"], ["--top", "2"]])
def test_batch_refuses_other_formats(tmp_path: Path, option: list[str]) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"id": "1", "text": "a", "sources": ["b"]}\n', "utf-8")
    result = runner.invoke(app, ["check", "--batch", str(batch), *option])
    assert result.exit_code == 2
    assert "check --batch writes JSON lines" in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_writes_every_format(corpus: Path, fmt: str) -> None:
    result = runner.invoke(
        app,
        ["check", str(corpus / "paper.md"), "--source", str(corpus / "wire.md"), "-f", fmt, *FAST],
    )
    assert result.exit_code == 1, result.output  # 75 basis points where the source says 25
    assert "Paper" in result.stdout
