"""Exports for researchers: ``--format csv`` (one row per finding, formula-safe) and
``fidelity outlets`` over many saved JSON results (table, JSON, HTML with an inline-SVG chart)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import fidelity
from fidelity.cli import app
from fidelity.outlets import outlets_from_files, render_outlets_html, render_outlets_text
from fidelity.report.csv_report import COLUMNS, render_csv, safe_cell

runner = CliRunner()
FAST = ["--embedder", "none", "--no-cache", "-j", "1"]
SOURCE = (
    "---\noutlet: Wire\ntitle: Central bank raises rates\nrole: source\nurl: https://wire.example/a\n"
    "published: 2026-03-01\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
)
DRAFT = (
    '---\noutlet: \'=HYPERLINK("http://evil.example","Tabloid")\'\n'
    "title: Central bank raises rates\n"
    "url: https://tabloid.example/b\npublished: 2026-03-02\n---\n"
    "The central bank raised its key rate by 75 basis points to 4.5% on Thursday, the bank said.\n"
)
FAITHFUL = (
    "---\noutlet: Paper\ntitle: Central bank raises rates\npublished: 2026-03-03\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    (tmp_path / "source.md").write_text(SOURCE, "utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, "utf-8")
    (tmp_path / "faithful.md").write_text(FAITHFUL, "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("a = b", "a = b"),
        (0.989, "0.989"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_safe_cell(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_csv_one_row_per_finding_formula_safe(story: Path) -> None:
    report = fidelity.check(
        story / "draft.md", [story / "source.md"], embedder="none", use_cache=False, jobs=1
    )
    rows = list(csv.reader(io.StringIO(render_csv(report.result))))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    assert len(body) == len(report.findings)
    number = next(r for r in body if r["category"] == "number_changed")
    assert number["outlet"].startswith("'=HYPERLINK")  # never a live formula
    assert number["severity"] == "high" and number["status"] == "open"
    assert 0 < float(number["confidence"]) <= 1
    assert "75 basis points" in number["derived_passage"]
    assert "25 basis points" in number["reference_passage"]
    assert number["reference_outlet"] == "Wire"
    assert number["url"] == "https://tabloid.example/b"
    assert all(not c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_cli_csv_format_and_out_file(story: Path) -> None:
    args = ["check", str(story / "draft.md"), "--source", str(story / "source.md"), *FAST]
    printed = runner.invoke(app, [*args, "--format", "csv"])
    assert printed.exit_code == 1
    assert printed.stdout.startswith("finding_id,status,outlet")
    out = story / "findings.csv"
    written = runner.invoke(app, [*args, "-o", str(out)])
    assert written.exit_code == 1
    assert out.read_text("utf-8").startswith("finding_id,status,outlet")


def test_outlets_across_results(story: Path) -> None:
    results = story / "results"
    results.mkdir()
    for n, draft in enumerate(("draft.md", "faithful.md")):
        code = runner.invoke(
            app,
            [
                "check",
                str(story / draft),
                "--source",
                str(story / "source.md"),
                *FAST,
                "-o",
                str(results / f"story{n}.json"),
            ],
        ).exit_code
        assert code in (0, 1)
    report = outlets_from_files([results])
    by_outlet = {o.outlet: o for o in report.outlets}
    tabloid = next(o for name, o in by_outlet.items() if "Tabloid" in name)
    assert tabloid.by_severity["high"] >= 1 and tabloid.by_category["number_changed"] >= 1
    assert by_outlet["Paper"].findings == 0
    assert report.outlets[0] is tabloid  # lowest score first
    assert tabloid.first == "2026-03-02"
    text = render_outlets_text(report)
    assert "Paper" in text and "2 results" in text
    page = render_outlets_html(report)
    assert "<svg" in page
    assert "<script" not in page and "src=" not in page and "<rect" in page
    assert "=HYPERLINK(&quot;" in page  # escaped, as text

    shown = runner.invoke(app, ["outlets", str(results)])
    assert shown.exit_code == 0 and "Paper" in shown.stdout
    as_json = runner.invoke(app, ["outlets", str(results), "-f", "json"])
    assert json.loads(as_json.stdout)["outlets"][0]["by_severity"]["high"] >= 1
    page_file = story / "outlets.html"
    assert runner.invoke(app, ["outlets", str(results), "-o", str(page_file)]).exit_code == 0
    assert "<svg" in page_file.read_text("utf-8")


def test_outlets_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}', "utf-8")
    result = runner.invoke(app, ["outlets", str(bad)])
    assert result.exit_code == 2 and "not a fidelity JSON report" in result.output
    assert runner.invoke(app, ["outlets", str(tmp_path / "none.json")]).exit_code == 2
