"""Terminal (rich) and plain-text reports."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from test_report_sample import hostile_result, sample_result

from fidelity.report import render_terminal, render_text

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(scope="module")
def text() -> str:
    return render_text(sample_result(), width=100)


def test_plain_text_has_no_escape_codes(text: str) -> None:
    assert "\x1b" not in text
    assert text.isprintable() or set(text) - set("\n") <= set(text)  # only newlines as controls
    assert not [c for c in text if ord(c) < 32 and c != "\n"]


def test_score_table_comes_first_lowest_score_on_top(text: str) -> None:
    table = text[: text.index("Cluster")]
    assert table.index("Daily Blast") < table.index("Νέα Ημέρα")
    row = next(line for line in table.splitlines() if "Daily Blast" in line)
    assert re.search(r"\|\s+32\s+\|\s+###\.+\s+\|\s+2\s+\|\s+1\s+\|\s+1\s+\|", row), row


def test_findings_grouped_by_cluster_most_severe_first(text: str) -> None:
    headings = re.findall(r"^(Cluster \S+|Claims with no counterpart)", text, re.MULTILINE)
    assert headings == [
        "Cluster c3",
        "Cluster c4",
        "Cluster c1",
        "Claims with no counterpart",
    ]
    c3 = text[text.index("Cluster c3") : text.index("Cluster c4")]
    assert c3.index(" HIGH ") < c3.index(" MEDIUM ")


def test_both_spans_with_changed_words_marked(text: str) -> None:
    flat = " ".join(text.split())
    assert "“The draft *could see* European forces deployed" in flat
    assert "that *will* *trigger total war* within 72 hours.”" in flat
    # a translated claim shows its original words too
    assert "original: Το έγγραφο προβλέπει επέμβαση ευρωπαϊκών στρατών μέσα σε 72 ώρες." in flat
    assert "reference none: no counterpart in the reference" in flat


def test_summary_is_the_last_line(text: str) -> None:
    last = text.rstrip("\n").splitlines()[-1]
    assert last == (
        "5 findings (2 high, 2 medium, 1 low) in 2 of 3 articles, 5 claim clusters; "
        "1 input skipped."
    )
    assert "inputs/scan.pdf: unsupported file type .pdf" in text


@pytest.mark.parametrize("width", [60, 100, 160])
def test_plain_text_respects_width(width: int) -> None:
    lines = render_text(sample_result(), width=width).splitlines()
    assert max(len(line) for line in lines) <= width


def test_rich_renderable_colours_highlights_on_a_terminal() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="truecolor", width=120)
    console.print(render_terminal(sample_result()))
    out = buffer.getvalue()
    assert ANSI.search(out)
    plain = ANSI.sub("", out)
    assert "could see" in plain
    assert "*could see*" not in plain  # colour, not stars, on a terminal


def test_rich_renderable_width_cap() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=200)
    console.print(render_terminal(sample_result(), width=70))
    assert max(len(line) for line in buffer.getvalue().splitlines()) <= 70


def test_hostile_text_cannot_drive_the_terminal() -> None:
    result = hostile_result()
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="truecolor", width=120)
    console.print(render_terminal(result))
    out = buffer.getvalue()
    # every escape sequence left is rich's own styling (SGR "m"), never the article's "2J"
    assert [s for s in ANSI.findall(out) if not s.endswith("m")] == []
    assert "\u202e" not in out
    for rendered in (out, render_text(result)):
        assert "␛[2J␛[31m" in rendered  # the article's ESC shown as a visible symbol
        assert "[bold red]rich markup[/bold red]" in ANSI.sub("", rendered)  # not interpreted
