"""The HTML report in a real browser (headless Chromium): loads cleanly, its script runs,
hostile article text runs nothing, and it still shows everything with JavaScript off."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report_sample import hostile_result, sample_result

from fidelity.report import render_html, write_report
from fidelity.report.browser import PageRun, find_chromium, load_page, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="chromium is not installed (Debian: apt-get install -y chromium)",
    ),
]


class Dom(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _root(run: PageRun) -> dict[str, str | None]:
    return next(a for t, a in Dom(run.dom).tags if t == "html")


def _title(run: PageRun) -> str:
    match = re.search(r"<title>(.*?)</title>", run.dom, re.DOTALL)
    assert match, "no <title> in the DOM"
    return match.group(1)


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "sample.html"
    write_report(render_html(sample_result()), path)
    return path


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> PageRun:
    path = tmp_path_factory.mktemp("html") / "hostile.html"
    write_report(render_html(hostile_result()), path)
    return load_page(path)


def test_report_loads_without_console_messages_and_its_script_runs(sample_page: Path) -> None:
    run = load_page(sample_page)
    assert run.console == ()
    assert _root(run).get("data-fidelity-ready") == "1.0"  # set after JSON.parse succeeded
    form = next(a for t, a in Dom(run.dom).tags if t == "form")
    assert "hidden" not in form  # the script revealed the filters
    assert "Showing 5 of 5 findings" in run.dom


def test_report_degrades_without_javascript(sample_page: Path, tmp_path: Path) -> None:
    # Headless Chromium cannot dump the DOM with scripting disabled, so block the report's
    # own script through its Content-Security-Policy instead: the page then runs no script.
    html = sample_page.read_text("utf-8")
    blocked, n = re.subn(
        r"script-src (?:'|&#39;)sha256-[\w+/=]+(?:'|&#39;)", "script-src 'none'", html
    )
    assert n == 1
    run = load_page(write_report(blocked, tmp_path / "nojs.html"))
    assert any("Content Security Policy" in m for m in run.console)
    tags = Dom(run.dom).tags
    assert _root(run).get("data-fidelity-ready") is None
    assert "hidden" in next(a for t, a in tags if t == "form")
    findings = [a for t, a in tags if t == "article" and "data-severity" in a]
    assert len(findings) == 5
    assert all("hidden" not in a for a in findings)


def test_hostile_text_runs_nothing(hostile_run: PageRun) -> None:
    root = _root(hostile_run)
    assert "data-pwned" not in root
    assert root.get("data-fidelity-ready") == "1.0"  # the embedded JSON survived the payloads
    assert "PWNED" not in _title(hostile_run).split("—")[0]
    assert _title(hostile_run).startswith("Fidelity report — Wire &lt;img")
    assert hostile_run.console == ()  # not even a CSP violation: nothing tried to run
    for tag, attrs in Dom(hostile_run.dom).tags:
        assert tag not in ("img", "svg", "iframe", "object", "embed", "link"), tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (attrs.get("href") or "").startswith("javascript:"), attrs


def test_screenshot(sample_page: Path, tmp_path: Path) -> None:
    png = screenshot(sample_page, tmp_path / "report.png", width=1000, height=700)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1000, 700)


def test_command_line_helper_writes_a_small_png(
    sample_page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fidelity.report.browser import main

    target = tmp_path / "docs" / "report.png"
    target.parent.mkdir()
    assert main([str(sample_page), str(target)]) == 0
    assert target.read_bytes()[:4] == b"\x89PNG"
    assert str(target) in capsys.readouterr().out
    assert main([str(sample_page)]) == 2
