"""The Python API: ``fidelity.check`` and ``fidelity.compare`` on paths, texts and Articles."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import jsonschema
import pytest

import fidelity
from fidelity.report import schema

SOURCE = (
    "---\noutlet: Wire\ntitle: Central bank raises rates\nrole: source\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
    "Officials said further increases could follow if inflation stays high.\n"
)
FAITHFUL = (
    "---\noutlet: Paper\ntitle: Central bank raises rates\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
)
DISTORTED = (
    "---\noutlet: Tabloid\ntitle: Central bank raises rates\n---\n"
    "The central bank raised its key rate by 75 basis points to 4.5% on Thursday, the bank said.\n"
)
SOURCE_TEXT = SOURCE.split("---\n", 2)[2]
DISTORTED_TEXT = DISTORTED.split("---\n", 2)[2]
FAST = {"embedder": "none", "use_cache": False, "jobs": 1}


@pytest.fixture
def story(tmp_path: Path) -> Path:
    (tmp_path / "source.md").write_text(SOURCE, "utf-8")
    (tmp_path / "faithful.md").write_text(FAITHFUL, "utf-8")
    (tmp_path / "distorted.md").write_text(DISTORTED, "utf-8")
    return tmp_path


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "code",
    [
        "import fidelity",
        "import fidelity; fidelity.__all__; fidelity.__version__",
        "from fidelity.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass",
    ],
)
def test_import_and_help_stay_light(code: str) -> None:
    loaded = _modules_after(code)
    for heavy in ("torch", "sentence_transformers", "fastapi", "uvicorn", "fidelity.pipeline"):
        assert heavy not in loaded, f"{heavy} imported by: {code}"


def test_all_is_explicit_and_every_name_resolves() -> None:
    assert "check" in fidelity.__all__ and "compare" in fidelity.__all__
    for name in fidelity.__all__:
        assert getattr(fidelity, name) is not None
    assert set(fidelity.__all__) <= set(dir(fidelity))
    with pytest.raises(AttributeError):
        _ = fidelity.no_such_name


def test_check_paths_flags_the_changed_number(story: Path) -> None:
    report = fidelity.check(story / "distorted.md", [story / "source.md"], **FAST)
    assert isinstance(report, fidelity.FidelityReport)
    assert report.verdict == "inconsistent" and not report.passed
    assert "number_changed" in {f.category for f in report.findings}
    assert report.score is not None and report.score < 100


def test_check_faithful_path_given_as_string_passes(story: Path) -> None:
    report = fidelity.check(str(story / "faithful.md"), str(story / "source.md"), **FAST)
    assert report.verdict == "consistent"
    assert "number_changed" not in {f.category for f in report.findings}


def test_check_texts_and_articles() -> None:
    report = fidelity.check(DISTORTED_TEXT, [SOURCE_TEXT], **FAST)
    assert report.verdict == "inconsistent"
    draft = report.result.articles[0].article
    assert draft.role == "derived" and draft.text.startswith("The central bank")
    # the same articles passed back in as Article objects give the same findings
    articles = [x.article for x in report.result.articles]
    again = fidelity.check(articles[0], articles[1:], **FAST)
    assert [f.category for f in again.findings] == [f.category for f in report.findings]


def test_check_one_line_texts_longer_than_a_file_name() -> None:
    # a one-line text is tried as a path first; past the system's name length (255 bytes)
    # the lookup itself fails ("File name too long"), which must read as text, not raise
    context = " The decision was widely expected by analysts and markets." * 5
    source = " ".join(SOURCE_TEXT.split()) + context
    draft = " ".join(DISTORTED_TEXT.split()) + context
    assert len(draft.encode()) > 300 and "\n" not in draft
    report = fidelity.check(draft, [source], **FAST)
    assert report.verdict == "inconsistent"
    assert report.result.articles[0].article.text.startswith("The central bank")


def test_renderings(story: Path) -> None:
    report = fidelity.check(story / "distorted.md", [story / "source.md"], **FAST)
    document = json.loads(report.to_json())
    jsonschema.validate(document, schema())
    assert document == report.to_dict()
    assert report.to_html().lstrip().lower().startswith("<!doctype html>")
    assert report.to_markdown().startswith("# Fidelity report")
    assert report.to_csv().splitlines()[0].startswith("finding_id,status,outlet")
    assert "number_changed" in report.to_text()


def test_severity_override_and_gate_options(story: Path) -> None:
    report = fidelity.check(
        story / "distorted.md",
        [story / "source.md"],
        severity={"number_changed": "low"},
        **FAST,
    )
    assert report.verdict == "consistent"
    assert {f.severity for f in report.findings if f.category == "number_changed"} == {"low"}
    strict = fidelity.gate(report.result, min_severity="low")
    assert strict.verdict == "inconsistent"


def test_compare_texts_scores_each_article() -> None:
    report = fidelity.compare(
        [SOURCE_TEXT, DISTORTED_TEXT, FAITHFUL.split("---\n", 2)[2]], one_story=True, **FAST
    )
    assert report.verdict is None
    assert len(report.result.articles) == 3
    assert len({s.article_id for s in report.scores}) >= 2


def test_compare_folder_with_reference(story: Path) -> None:
    report = fidelity.compare(
        [story / "faithful.md", story / "distorted.md"],
        reference=story / "source.md",
        one_story=True,
        **FAST,
    )
    assert report.result.reference_id == "source"
    flagged = {f.derived.article_id for f in report.findings if f.category == "number_changed"}
    assert flagged == {"distorted"}


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: fidelity.check("missing-draft.md", [SOURCE_TEXT]), fidelity.InputError),
        (lambda: fidelity.check(DISTORTED_TEXT, []), fidelity.UsageError),
        (lambda: fidelity.check(DISTORTED_TEXT, [SOURCE_TEXT], colour="red"), fidelity.UsageError),
        (lambda: fidelity.compare([SOURCE_TEXT], **FAST), fidelity.UsageError),
        (lambda: fidelity.check("   ", [SOURCE_TEXT], **FAST), fidelity.InputError),
    ],
)
def test_errors_are_fidelity_errors(call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]


def _check_command(story: Path) -> list[str]:
    return [sys.executable, "-m", "fidelity.cli", "check", str(story / "distorted.md"),
            "--source", str(story / "source.md"), "--embedder", "none", "--no-cache",
            "-j", "1", "-f", "json"]  # fmt: skip


def _run_check(story: Path, stderr: int) -> subprocess.CompletedProcess[str]:
    command = _check_command(story)
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=stderr, text=True, check=False)


def test_progress_per_stage_only_on_a_terminal(story: Path) -> None:
    import os
    import pty

    piped = _run_check(story, subprocess.PIPE)
    assert piped.returncode == 1
    assert piped.stderr.strip() == "verdict: inconsistent"  # no progress when not a terminal

    # read the terminal while the check runs: a child that fills the pty's buffer before
    # anyone reads it would block for ever (rich redraws often on a slow, loaded machine)
    leader, follower = pty.openpty()
    seen = b""
    try:
        with subprocess.Popen(
            _check_command(story), stdout=subprocess.PIPE, stderr=follower
        ) as child:
            os.close(follower)
            out = child.stdout
            reader = threading.Thread(target=out.read) if out is not None else None
            if reader is not None:
                reader.start()
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            child.wait(timeout=600)
            if reader is not None:
                reader.join()
    finally:
        os.close(leader)
    on_tty = child
    assert on_tty.returncode == 1
    shown = seen.decode("utf-8", "replace")
    for stage in ("load", "extract claims", "align", "score"):
        assert stage in shown
