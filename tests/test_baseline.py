"""Accepted findings: fingerprints that survive unrelated edits, the baseline file, the gate,
``fidelity accept`` and the reports showing accepted findings apart with their reason."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import fidelity
from fidelity.baseline import (
    Baseline,
    entry_for_finding,
    finding_fingerprint,
    fingerprint,
    load_baseline,
    save_baseline,
)
from fidelity.cli import app
from fidelity.errors import ConfigError, UsageError
from fidelity.report import schema

runner = CliRunner()
FAST = {"embedder": "none", "use_cache": False, "jobs": 1}
SOURCE = (
    "---\noutlet: Wire\ntitle: Central bank raises rates\nrole: source\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
    "Officials said further increases could follow if inflation stays high.\n"
)
DRAFT = (
    "---\noutlet: Tabloid\ntitle: Central bank raises rates\n---\n"
    "The central bank raised its key rate by 75 basis points to 4.5% on Thursday, the bank said.\n"
)
# an unrelated sentence added before the accepted one: claim numbers and offsets all move
EDITED = DRAFT.replace(
    "The central bank raised",
    "Markets were calm in early trading on Thursday morning.\n\nThe central bank raised",
)
# the same sentence with another wrong number: a new finding, not the accepted one
WORSE = DRAFT.replace("75 basis", "95 basis")


@pytest.fixture
def story(tmp_path: Path) -> Path:
    (tmp_path / "source.md").write_text(SOURCE, "utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (
            ("number_changed", "Rate up 75 points.", "Rate up 25 points."),
            ("number_changed", "rate UP 75 points", "Rate up, 25 points!"),
            True,
        ),
        (
            ("number_changed", "Rate up 75 points.", "Rate up 25 points."),
            ("number_changed", "Rate up 95 points.", "Rate up 25 points."),
            False,
        ),
        (
            ("number_changed", "Rate up 75 points.", "Rate up 25 points."),
            ("quote_altered", "Rate up 75 points.", "Rate up 25 points."),
            False,
        ),
        (
            ("unsupported_addition", "A new claim here.", None),
            ("unsupported_addition", "A new claim  here", None),
            True,
        ),
    ],
)
def test_fingerprint_keys_on_category_and_words(
    a: tuple[str, str, str | None], b: tuple[str, str, str | None], same: bool
) -> None:
    assert (fingerprint(*a) == fingerprint(*b)) is same


def test_accepted_finding_survives_unrelated_edit_but_not_a_new_change(story: Path) -> None:
    first = fidelity.check(story / "draft.md", [story / "source.md"], **FAST)
    finding = next(f for f in first.findings if f.category == "number_changed")
    baseline = Baseline().with_entry(entry_for_finding(finding, "confirmed with the bank"))

    (story / "draft.md").write_text(EDITED, "utf-8")
    edited = fidelity.check(story / "draft.md", [story / "source.md"], baseline=baseline, **FAST)
    moved = [a.finding for a in edited.accepted]
    assert [f.category for f in moved] == ["number_changed"]
    assert moved[0].derived.span != finding.derived.span  # it moved in the draft
    assert finding_fingerprint(moved[0]) == finding_fingerprint(finding)
    assert edited.accepted[0].reason == "confirmed with the bank"
    assert "number_changed" not in {f.category for f in edited.findings}
    assert edited.verdict == "consistent"

    (story / "draft.md").write_text(WORSE, "utf-8")
    worse = fidelity.check(story / "draft.md", [story / "source.md"], baseline=baseline, **FAST)
    assert not worse.accepted
    assert worse.verdict == "inconsistent"


def test_baseline_file_round_trip_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / ".fidelity-baseline.json"
    assert load_baseline(target) == Baseline()  # none yet: empty
    entry = entry_for_finding(
        {
            "id": "abc",
            "category": "omission",
            "derived": {"text": "x", "outlet": "Paper"},
            "reference": {"text": "The bank said so."},
        },
        "house style",
    )
    save_baseline(Baseline().with_entry(entry), target)
    save_baseline(load_baseline(target).with_entry(entry), target)  # same fingerprint: replaced
    loaded = load_baseline(target)
    assert [e.fingerprint for e in loaded.entries] == [entry.fingerprint]
    assert loaded.entries[0].outlet == "Paper" and loaded.entries[0].reason == "house style"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"accepted": [{"category": "omission"}]}', '{"version": 1}']
)
def test_malformed_baseline_is_a_config_error(tmp_path: Path, content: str) -> None:
    target = tmp_path / "b.json"
    target.write_text(content, "utf-8")
    with pytest.raises(ConfigError, match="baseline"):
        load_baseline(target)


def test_entry_needs_a_reason() -> None:
    with pytest.raises(UsageError, match="reason"):
        entry_for_finding(
            {"id": "a", "category": "omission", "derived": {"text": "x"}, "reference": None}, " "
        )


def test_cli_check_accept_recheck(story: Path) -> None:
    draft, source = str(story / "draft.md"), str(story / "source.md")
    report, baseline = story / "report.json", story / ".fidelity-baseline.json"
    common = ["--embedder", "none", "--no-cache", "-j", "1"]
    first = runner.invoke(app, ["check", draft, "--source", source, *common, "-o", str(report)])
    assert first.exit_code == 1, first.output
    finding = next(
        f
        for f in json.loads(report.read_text("utf-8"))["findings"]
        if f["category"] == "number_changed"
    )

    unknown = runner.invoke(
        app,
        [
            "accept",
            "zzz-no-such",
            "--reason",
            "x",
            "--report",
            str(report),
            "--baseline",
            str(baseline),
        ],
    )
    assert unknown.exit_code == 2 and "no finding" in unknown.output

    accepted = runner.invoke(
        app,
        [
            "accept",
            finding["id"],
            "--reason",
            "Confirmed by the desk",
            "--report",
            str(report),
            "--baseline",
            str(baseline),
        ],
    )
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(baseline.read_text("utf-8"))["accepted"][0]["category"] == "number_changed"

    (story / "draft.md").write_text(EDITED, "utf-8")
    again = runner.invoke(
        app,
        ["check", draft, "--source", source, *common, "--baseline", str(baseline), "-f", "json"],
    )
    assert again.exit_code == 0, again.output
    assert "verdict: consistent (1 accepted finding set aside)" in again.stderr
    document = json.loads(again.stdout)
    jsonschema.validate(document, schema())
    assert document["accepted"][0]["reason"] == "Confirmed by the desk"
    assert "number_changed" not in {f["category"] for f in document["findings"]}

    for fmt, marker in (
        ("html", 'id="accepted"'),
        ("md", "## Accepted findings"),
        ("terminal", "Accepted findings"),
    ):
        shown = runner.invoke(
            app,
            ["check", draft, "--source", source, *common, "--baseline", str(baseline), "-f", fmt],
        )
        assert shown.exit_code == 0
        assert marker in shown.stdout and "Confirmed by the desk" in shown.stdout


TWO_CHANGES = DRAFT + "Officials said further increases will follow as inflation stays high.\n"


@pytest.mark.browser
def test_html_filters_leave_accepted_findings_shown(story: Path, tmp_path: Path) -> None:
    import re

    from fidelity.report import render_html, write_report
    from fidelity.report.browser import find_chromium, load_page

    if find_chromium() is None:
        pytest.skip("chromium is not installed (Debian: apt-get install -y chromium)")
    (story / "draft.md").write_text(TWO_CHANGES, "utf-8")
    first = fidelity.check(story / "draft.md", [story / "source.md"], **FAST)
    assert len(first.findings) >= 2
    number = next(f for f in first.findings if f.category == "number_changed")
    baseline = Baseline().with_entry(entry_for_finding(number, "Confirmed by the desk"))
    report = fidelity.check(story / "draft.md", [story / "source.md"], baseline=baseline, **FAST)
    assert report.findings and report.accepted
    page = tmp_path / "report.html"
    write_report(render_html(report.result), page)
    dom = load_page(page).dom
    accepted = re.search(r'<section id="accepted">(.*?)</section>', dom, re.DOTALL)
    assert accepted and "Confirmed by the desk" in accepted.group(1)
    assert "hidden" not in re.findall(r"<article[^>]*>", accepted.group(1))[0]
    shown = re.search(r'id="filter-status"[^>]*>([^<]*)<', dom)
    assert (
        shown
        and shown.group(1) == f"Showing {len(report.findings)} of {len(report.findings)} findings"
    )
