"""Outlets across many saved results: per-outlet scores and finding counts (``fidelity outlets``).

Reads JSON reports (``fidelity compare … -o story.json``, one per story or day) and aggregates,
per outlet: the results and articles it appears in, its mean and lowest score, and its findings
by severity and category, with the span of publication dates. Renderers are pure functions: a
plain-text table and one self-contained HTML page with an inline-SVG bar chart (no network).
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fidelity.errors import InputError

SEVERITIES = ("high", "medium", "low")
_MAX_RESULT_BYTES = 500_000_000


@dataclass(slots=True)
class OutletSummary:
    """One outlet over all the results read."""

    outlet: str
    results: int = 0
    articles: int = 0
    scores: list[float] = field(default_factory=list)
    by_severity: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    first: str | None = None  # earliest publication date seen
    last: str | None = None

    @property
    def mean_score(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def lowest_score(self) -> float | None:
        return min(self.scores) if self.scores else None

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "results": self.results,
            "articles": self.articles,
            "mean_score": self.mean_score,
            "lowest_score": self.lowest_score,
            "findings": self.findings,
            "by_severity": {s: self.by_severity[s] for s in SEVERITIES},
            "by_category": dict(sorted(self.by_category.items())),
            "first_published": self.first,
            "last_published": self.last,
        }


@dataclass(frozen=True, slots=True)
class OutletReport:
    outlets: tuple[OutletSummary, ...]  # lowest mean score first
    results: tuple[str, ...]  # the files read

    def as_json(self) -> dict[str, Any]:
        return {"results": list(self.results), "outlets": [o.as_json() for o in self.outlets]}


def read_result(path: Path) -> dict[str, Any]:
    """One saved JSON report.

    Raises:
        InputError: the file is missing, unreadable, or not a fidelity JSON report.
    """
    if not path.is_file():
        raise InputError(
            str(path), "no such file; give JSON reports (`fidelity compare … -o x.json`)"
        )
    if path.stat().st_size > _MAX_RESULT_BYTES:
        raise InputError(str(path), f"larger than {_MAX_RESULT_BYTES} bytes")
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(str(path), f"not a JSON report ({error})") from error
    if not isinstance(document, dict) or not isinstance(document.get("scores"), list):
        raise InputError(
            str(path), "not a fidelity JSON report (no 'scores'); save one with -o x.json"
        )
    return document


def aggregate(documents: Iterable[tuple[str, dict[str, Any]]]) -> OutletReport:
    """Aggregate per outlet over ``(name, JSON report)`` pairs."""
    table: dict[str, OutletSummary] = {}
    names: list[str] = []
    for name, document in documents:
        names.append(name)
        articles = {a.get("id"): a for a in document.get("articles") or [] if isinstance(a, dict)}
        seen_here: set[str] = set()
        for score in document.get("scores") or []:
            outlet = str(score.get("outlet") or score.get("article_id") or "?")
            summary = table.setdefault(outlet, OutletSummary(outlet))
            value = score.get("score")
            if isinstance(value, int | float) and math.isfinite(value):
                summary.scores.append(float(value))
            summary.articles += 1
            if outlet not in seen_here:
                summary.results += 1
                seen_here.add(outlet)
            published = (articles.get(score.get("article_id")) or {}).get("published")
            if isinstance(published, str) and published:
                day = published[:10]
                summary.first = min(summary.first or day, day)
                summary.last = max(summary.last or day, day)
        for finding in document.get("findings") or []:
            derived = finding.get("derived") or {}
            outlet = str(derived.get("outlet") or derived.get("article_id") or "?")
            summary = table.setdefault(outlet, OutletSummary(outlet))
            summary.by_severity[str(finding.get("severity"))] += 1
            summary.by_category[str(finding.get("category"))] += 1
    ordered = sorted(
        table.values(),
        key=lambda o: (o.mean_score if o.mean_score is not None else 101.0, o.outlet.casefold()),
    )
    return OutletReport(tuple(ordered), tuple(names))


def outlets_from_files(paths: Sequence[Path]) -> OutletReport:
    """Read saved JSON reports (files, or folders of ``*.json``) and aggregate per outlet.

    Raises:
        InputError: a file is not a fidelity JSON report, or no report was given.
    """
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InputError(", ".join(map(str, paths)) or "(none)", "no JSON reports found")
    return aggregate((str(f), read_result(f)) for f in files)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def render_outlets_text(report: OutletReport) -> str:
    """A plain-text table, lowest mean score first."""
    head = ["outlet", "results", "articles", "mean", "lowest", "findings", *SEVERITIES, "dates"]
    rows = [head]
    for o in report.outlets:
        dates = f"{o.first}…{o.last}" if o.first and o.first != o.last else (o.first or "")
        rows.append(
            [
                o.outlet,
                str(o.results),
                str(o.articles),
                _number(o.mean_score),
                _number(o.lowest_score),
                str(o.findings),
                *(str(o.by_severity[s]) for s in SEVERITIES),
                dates,
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for row in rows:
        cells = [
            c.ljust(w) if i in (0, len(head) - 1) else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    lines.append(f"{len(report.outlets)} outlets in {len(report.results)} results.")
    return "\n".join(lines) + "\n"


def _chart(report: OutletReport) -> str:
    """A horizontal bar chart of mean scores (0-100) with finding counts, as inline SVG."""
    bar_h, gap, label_w, bar_w = 22, 8, 220, 420
    height = max(1, len(report.outlets)) * (bar_h + gap) + 30
    width = label_w + bar_w + 140
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Mean fidelity score per outlet">'
    ]
    for tick in (0, 50, 100):
        x = label_w + bar_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#ccc"/>'
            f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">{tick}</text>'
        )
    for i, o in enumerate(report.outlets):
        y = i * (bar_h + gap) + 4
        mean = o.mean_score or 0.0
        colour = "#2e7d32" if mean >= 90 else "#f9a825" if mean >= 70 else "#c62828"
        name = html.escape(o.outlet)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" font-size="13" '
            f'text-anchor="end">{name}</text>'
            f'<rect x="{label_w}" y="{y}" width="{bar_w * mean / 100:.1f}" height="{bar_h}" '
            f'fill="{colour}"><title>{name}: {_number(o.mean_score)}</title></rect>'
            f'<text x="{label_w + bar_w + 8}" y="{y + bar_h * 0.7:.1f}" font-size="12">'
            f"{_number(o.mean_score)} · {o.findings} findings</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_outlets_html(report: OutletReport) -> str:
    """One self-contained HTML page: the chart and the table (no scripts, no network)."""
    rows = []
    for o in report.outlets:
        cats = ", ".join(f"{html.escape(c)} {n}" for c, n in o.by_category.most_common(4))
        rows.append(
            "<tr>"
            f"<th scope=row>{html.escape(o.outlet)}</th><td>{o.results}</td><td>{o.articles}</td>"
            f"<td>{_number(o.mean_score)}</td><td>{_number(o.lowest_score)}</td>"
            f"<td>{o.findings}</td>"
            + "".join(f"<td>{o.by_severity[s]}</td>" for s in SEVERITIES)
            + f"<td>{cats}</td><td>{html.escape(o.first or '')}"
            f"{'–' + html.escape(o.last) if o.last and o.last != o.first else ''}</td></tr>"
        )
    sources = "".join(f"<li><code>{html.escape(r)}</code></li>" for r in report.results)
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        "<title>Outlets — fidelity</title><style>"
        "body{font:15px/1.45 system-ui,sans-serif;margin:2rem;max-width:70rem}"
        "table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;"
        "text-align:right}th[scope=row],td:nth-last-child(-n+2){text-align:left}"
        "</style></head><body><h1>Outlets</h1>"
        f"<p>{len(report.outlets)} outlets in {len(report.results)} results; mean fidelity "
        "score per outlet (100: no finding), lowest first.</p>"
        f"<figure>{_chart(report)}</figure>"
        "<table><thead><tr><th>Outlet</th><th>Results</th><th>Articles</th><th>Mean</th>"
        "<th>Lowest</th><th>Findings</th><th>High</th><th>Medium</th><th>Low</th>"
        "<th>Top categories</th><th>Published</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody></table><h2>Results read</h2><ul>{sources}</ul></body></html>\n"
    )


__all__ = [
    "OutletReport",
    "OutletSummary",
    "aggregate",
    "outlets_from_files",
    "read_result",
    "render_outlets_html",
    "render_outlets_text",
]
