"""Markdown report for tickets and pull requests."""

from __future__ import annotations

import re

import pytest
from test_report_sample import hostile_result, sample_result

from fidelity.report import render_markdown
from fidelity.report.markdown import escape_markdown
from fidelity.report.view import ResultIndex


@pytest.fixture(scope="module")
def markdown() -> str:
    return render_markdown(sample_result())


def test_score_table(markdown: str) -> None:
    index = ResultIndex(sample_result())
    blast, nea = (next(a for a in index.articles if index.label(a) == n) for n in NAMES)
    assert "| Article | Score | High | Medium | Low |" in markdown
    assert f"| {index.tag(blast)} | 32 | 2 | 1 | 1 |" in markdown
    assert f"| {index.tag(nea)} | 84 | 0 | 1 | 0 |" in markdown
    assert index.tag(blast).startswith("Daily Blast·")
    # the articles table maps each short name back to its file
    assert f"| {index.tag(blast)} | inputs/daily-blast.md | en | derived |" in markdown


NAMES = ("Daily Blast", "Νέα Ημέρα")


def test_header_says_what_was_compared(markdown: str) -> None:
    index = ResultIndex(sample_result())
    assert markdown.splitlines()[2] == (
        f"Compared: measured against the reference {index.tag(index.reference_id or '')}."
    )


def test_every_finding_by_default_signature_only_when_asked(markdown: str) -> None:
    assert "## Findings (5 of 5)" in markdown
    assert "signature:" not in markdown
    assert "signature: fidelity:" in render_markdown(sample_result(), signature=True)


def test_top_findings_quote_both_spans_with_bold_changes(markdown: str) -> None:
    headings = re.findall(r"^### \d+\. (\w+)", markdown, re.MULTILINE)
    assert headings == ["HIGH", "HIGH", "MEDIUM", "MEDIUM", "LOW"]
    assert "  > The draft **could see** European forces deployed" in markdown
    assert "  > Dmitry Medvedev **vowed** that foreign troops **will be destroyed**." in markdown
    assert "_original:_ Το έγγραφο προβλέπει" in markdown
    assert "finding f-77b0d2" in markdown


def test_top_keeps_the_most_severe() -> None:
    short = render_markdown(sample_result(), top=2)
    assert "## Top findings (2 of 5)" in short
    assert "_3 more not shown (--top 2)._" in short
    assert "### 3." not in short
    assert "quote\\_altered" not in short  # categories are escaped only where needed
    assert "quote_altered" in short


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("![x](https://tracker.example/p.png)", "!\\[x\\](https://tracker.example/p.png)"),
        ("a | b", "a \\| b"),
        ("1986. A year", "1986\\. A year"),
        ("# not a heading", "\\# not a heading"),
        ("two\n\nparagraphs", "two paragraphs"),
        ("`code` *em* _em_", "\\`code\\` \\*em\\* \\_em\\_"),
        ("attribution_changed in snake_case", "attribution_changed in snake_case"),
        ("escape \x1b[2J", "escape ␛\\[2J"),
    ],
)
def test_escape_markdown(text: str, inert: str) -> None:
    assert escape_markdown(text) == inert


def test_hostile_markdown_has_no_raw_html_or_links() -> None:
    md = render_markdown(hostile_result())
    assert "<script" not in md
    assert "<img" not in md
    assert "<svg" not in md
    assert "](javascript" not in md
    assert "\x1b" not in md
    # only the template's own HTML remains
    assert set(re.findall(r"<(/?\w+)", md)) <= {"sub", "/sub"}
    # table rows keep their cells even with an outlet name full of markup
    scores = md[md.index("| Article | Score") : md.index("## Articles")]
    for row in (line for line in scores.splitlines() if line.startswith("| Daily")):
        assert len(re.findall(r"(?<!\\)\|", row)) == 6
    articles = md[md.index("## Articles") :]
    for row in (line for line in articles.splitlines() if line.startswith("| Daily")):
        assert len(re.findall(r"(?<!\\)\|", row)) == 5
