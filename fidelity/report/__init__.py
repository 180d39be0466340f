"""Stage 7, report: pure renderers over one ``ComparisonResult``.

``render_json`` is the canonical form (schema ``schema-1.0.json``, documented in SCHEMA.md);
``render_terminal`` (rich) and ``render_text`` (plain, for pipes and ``.txt``), ``render_html``
(one self-contained page) and ``render_markdown`` (a ticket) show it to people.
``write_report`` writes any of them atomically; ``format_for_path`` picks one from a file name.
"""

from __future__ import annotations

from collections.abc import Callable

from fidelity.errors import ReportError
from fidelity.report.html_report import render_html
from fidelity.report.json_report import (
    SCHEMA_VERSION,
    finding_to_json,
    iter_json,
    render_json,
    to_document,
)
from fidelity.report.markdown import render_markdown
from fidelity.report.output import FORMATS, format_for_path, write_report
from fidelity.report.terminal import render_terminal, render_text
from fidelity.types import ComparisonResult

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "ReportError",
    "finding_to_json",
    "format_for_path",
    "iter_json",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_terminal",
    "render_text",
    "schema",
    "to_document",
    "write_report",
]


def render(result: ComparisonResult, fmt: str) -> str:
    """Render ``result`` in a format named by :func:`format_for_path` (json, html, md, txt).

    Raises:
        ReportError: ``fmt`` is not one of those names.
    """
    renderers: dict[str, Callable[[ComparisonResult], str]] = {
        "json": render_json,
        "html": render_html,
        "md": render_markdown,
        "txt": render_text,
    }
    try:
        renderer = renderers[fmt]
    except KeyError:
        raise ReportError(
            f"unknown report format {fmt!r}; use one of: {', '.join(renderers)}"
        ) from None
    return renderer(result)


def schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) that :func:`render_json` output follows."""
    import json
    from importlib import resources

    text = resources.files("fidelity.report").joinpath(f"schema-{SCHEMA_VERSION}.json")
    loaded: dict[str, object] = json.loads(text.read_text("utf-8"))
    return loaded
