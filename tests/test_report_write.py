"""Writing reports: atomic replace, clear errors, format from the file name."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_report_sample import sample_result

from fidelity.errors import FidelityError, ReportError
from fidelity.report import format_for_path, render, write_report


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("report.json", "json"),
        ("report.HTML", "html"),
        ("out/report.htm", "html"),
        ("ticket.md", "md"),
        ("ticket.markdown", "md"),
        ("summary.txt", "txt"),
        ("archive.tar.json", "json"),
    ],
)
def test_format_for_path(name: str, fmt: str) -> None:
    assert format_for_path(name) == fmt


@pytest.mark.parametrize("name", ["report", "report.pdf", "report.json.bak", ".json"])
def test_unknown_extension_is_a_clear_error(name: str) -> None:
    with pytest.raises(ReportError, match=r"use one of: \.json \.html"):
        format_for_path(name)


@pytest.mark.parametrize("fmt", ["json", "html", "md", "txt"])
def test_render_dispatch_and_write_round_trip(tmp_path: Path, fmt: str) -> None:
    text = render(sample_result(), fmt)
    target = tmp_path / f"report.{fmt}"
    assert write_report(text, target) == target
    assert target.read_text("utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_unknown_render_format() -> None:
    with pytest.raises(ReportError, match="unknown report format 'pdf'"):
        render(sample_result(), "pdf")


def test_replaces_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o640)
    write_report(b"new bytes \xce\xb1", target)
    assert target.read_bytes() == b"new bytes \xce\xb1"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_report("x", tmp_path / "a.txt")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640


def test_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "report.html"
    with pytest.raises(ReportError, match="does not exist; create it first") as caught:
        write_report("x", target)
    assert isinstance(caught.value, FidelityError)
    assert not target.parent.exists()


def test_read_only_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("keep me")
    target.chmod(0o444)
    with pytest.raises(ReportError, match="read-only"):
        write_report("{}", target)
    assert target.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_target_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "report.html").mkdir()
    with pytest.raises(ReportError, match="is a folder"):
        write_report("x", tmp_path / "report.html")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ReportError, match="permission denied"):
            write_report("x", folder / "report.html")
    finally:
        folder.chmod(0o755)


def test_a_report_in_pieces_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_report(iter(["{", '"a": ', "1}", "\n"]), target)
    assert target.read_text() == '{"a": 1}\n'


def test_a_report_failing_midway_leaves_the_old_one_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old report\n")

    def pieces() -> Iterator[str]:
        yield "{" + " " * 100_000
        raise ReportError("rendering failed")

    with pytest.raises(ReportError, match="rendering failed"):
        write_report(pieces(), target)
    assert target.read_text() == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
