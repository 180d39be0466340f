"""One row per finding as CSV, for spreadsheets and notebooks (``--format csv``).

Columns: ``finding_id, status, outlet, article, category, severity, confidence, message,
derived_passage, reference_outlet, reference_passage, url, published, accepted_reason``.
``confidence`` is the alignment confidence of the two passages (the finding's
``signals.confidence``, 0..1); it is empty when the finding has no counterpart passage
(an unsupported addition) or its signals carry none. Passages are the pivot-language text of
each claim. ``status`` is ``open``, or ``accepted`` for findings a baseline accepted.

Rows that are not findings follow them, so that nothing is left out of a spreadsheet: an
article with untranslated sentences has a row with ``status`` ``unverifiable`` whose
``message`` names the argos package that would translate them and how to install it, and an
article compared with nothing (alone in its story) a row with ``status`` ``not_compared``, the
reason and the ``--one-story`` hint. Their finding and passage cells are empty.

Safe to open in a spreadsheet: a text cell that starts with ``= + - @`` (or a tab or carriage
return) is prefixed with ``'`` so that it is never read as a formula.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from fidelity.report.view import ResultIndex, not_compared, sort_findings, untranslated
from fidelity.types import ComparisonResult, Finding

COLUMNS: tuple[str, ...] = (
    "finding_id",
    "status",
    "outlet",
    "article",
    "category",
    "severity",
    "confidence",
    "message",
    "derived_passage",
    "reference_outlet",
    "reference_passage",
    "url",
    "published",
    "accepted_reason",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell's text; text a spreadsheet would run as a formula gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if not math.isfinite(value) else f"{value:g}"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _confidence(finding: Finding) -> float | None:
    value = finding.signals.get("confidence")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _row(finding: Finding, index: ResultIndex, status: str, reason: str) -> list[str]:
    article = index.article(finding.derived.article_id)
    reference = finding.reference
    cells: list[Any] = [
        finding.id,
        status,
        index.label(finding.derived.article_id),
        finding.derived.article_id,
        finding.category,
        finding.severity,
        _confidence(finding),
        finding.message,
        finding.derived.text,
        index.label(reference.article_id) if reference else "",
        reference.text if reference else "",
        article.url if article else "",
        article.published if article else "",
        reason,
    ]
    return [safe_cell(c) for c in cells]


def render_csv(result: ComparisonResult, *, top: int | None = None) -> str:
    """Render one CSV row per finding (open findings, then accepted ones), then a row per
    article with unverifiable (untranslated) parts and per article not compared, with a header.

    Args:
        result: the comparison to report.
        top: only the ``top`` most severe open findings (accepted ones and notes all stay).

    Returns:
        CSV text (RFC 4180 quoting, ``\\r\\n`` line ends), starting with the header row.
    """
    index = ResultIndex(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    findings = result.findings if top is None else sort_findings(result.findings)[:top]
    for finding in findings:
        writer.writerow(_row(finding, index, "open", ""))
    for accepted in result.accepted:
        writer.writerow(_row(accepted.finding, index, "accepted", accepted.reason))
    for part in untranslated(result):
        writer.writerow(_note(part.article_id, index, "unverifiable", part.message()))
    for item in not_compared(result):
        writer.writerow(
            _note(item.article_id, index, "not_compared", f"{item.reason}; {item.hint}")
        )
    return buffer.getvalue()


def _note(article_id: str, index: ResultIndex, status: str, message: str) -> list[str]:
    """A row about an article rather than a finding."""
    article = index.article(article_id)
    cells: dict[str, Any] = {
        "status": status,
        "outlet": index.label(article_id),
        "article": article_id,
        "message": message,
        "url": article.url if article else "",
        "published": article.published if article else "",
    }
    return [safe_cell(cells.get(column, "")) for column in COLUMNS]


__all__ = ["COLUMNS", "render_csv", "safe_cell"]
