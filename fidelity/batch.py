"""``fidelity check --batch``: many draft/source sets from one JSONL file, one verdict per line.

Input line: ``{"id": ..., "text": ..., "sources": [text, ...]}`` (optional ``title``,
``language``). Output, one per input line and in order, even when a line is bad:
``{"id": ..., "verdict": "consistent"|"inconsistent"|"unverifiable", "score": 0-100,
"findings": [...]}`` or
``{"id": ..., "error": "..."}``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fidelity.errors import FidelityError, InputError
from fidelity.load import DEFAULT_MAX_CORPUS_BYTES
from fidelity.load.decode import decode_bytes
from fidelity.load.files import display_path, read_bounded
from fidelity.pipeline import RunConfig, articles_from_texts, check_articles
from fidelity.plaindata import parse_json
from fidelity.score import draft_unverifiable, verdict

log = logging.getLogger(__name__)


def run_batch(
    path: Path,
    config: RunConfig,
    *,
    min_severity: str = "medium",
    fail_under: float | None = None,
) -> list[dict[str, Any]]:
    """Check every line of a JSONL batch file; a bad line yields an ``error`` entry.

    Raises:
        InputError: the batch file itself is missing, unreadable, a special file or too large.
    """
    data = read_bounded(path, DEFAULT_MAX_CORPUS_BYTES, what="batch file")
    origin = display_path(path)
    try:
        text, _ = decode_bytes(data, origin)
    except InputError:
        if not data.strip():
            raise
        # Control bytes on one line must not sink the others: that line alone will fail.
        text = data.decode("utf-8", errors="replace")
    out: list[dict[str, Any]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        ident: Any = f"line-{number}"
        try:
            record = parse_json(line, f"{origin}:{number}", f"line {number}")
        except InputError as exc:  # not JSON, nested too deeply, an unreadable number
            out.append({"id": ident, "error": exc.reason})
            continue
        try:
            if not isinstance(record, dict):
                raise InputError(f"{origin}:{number}", "each line must be a JSON object")
            ident = record.get("id", ident)
            out.append(_check_record(record, str(ident), config, min_severity, fail_under))
        except FidelityError as exc:
            out.append({"id": ident, "error": str(exc)})
    return out


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """How a batch went: lines checked, their verdicts, lines that could not be checked."""

    consistent: int
    inconsistent: int
    errors: int
    unverifiable: int = 0  # lines whose draft no model could translate

    @property
    def all_failed(self) -> bool:
        return self.errors > 0 and not (self.consistent or self.inconsistent or self.unverifiable)

    @property
    def exit_code(self) -> int:
        """2 when no line could be checked, 1 when a line failed or errored, else 0."""
        if self.all_failed:
            return 2
        return 1 if self.inconsistent or self.errors or self.unverifiable else 0

    def line(self) -> str:
        total = self.consistent + self.inconsistent + self.unverifiable + self.errors
        text = (
            f"{total} line{'s' if total != 1 else ''}: {self.consistent} consistent, "
            f"{self.inconsistent} inconsistent, "
            + (f"{self.unverifiable} unverifiable, " if self.unverifiable else "")
            + f"{self.errors} could not be checked"
        )
        return f"error: {text}" if self.all_failed else text


def summarize(lines: Sequence[dict[str, Any]]) -> BatchSummary:
    """Count the verdicts and errors of ``run_batch``'s output lines."""
    return BatchSummary(
        consistent=sum(1 for x in lines if x.get("verdict") == "consistent"),
        inconsistent=sum(1 for x in lines if x.get("verdict") == "inconsistent"),
        errors=sum(1 for x in lines if "error" in x),
        unverifiable=sum(1 for x in lines if x.get("verdict") == "unverifiable"),
    )


def _check_record(
    record: dict[str, Any],
    ident: str,
    config: RunConfig,
    min_severity: str,
    fail_under: float | None,
) -> dict[str, Any]:
    text = record.get("text")
    sources = record.get("sources")
    if not isinstance(text, str) or not text.strip():
        raise InputError(ident, "'text' must be a non-empty string")
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(s, str) and s.strip() for s in sources)
    ):
        raise InputError(ident, "'sources' must be a non-empty list of non-empty strings")
    title = record.get("title") if isinstance(record.get("title"), str) else None
    articles = articles_from_texts(text, sources, ident=_safe_id(ident), title=title)
    result = check_articles(articles, config)
    score = next((s.score for s in result.scores), 100.0)
    from fidelity.report import finding_to_json

    return {
        "id": record.get("id", ident),
        "verdict": verdict(
            result.findings,
            score,
            min_severity=min_severity,
            fail_under=fail_under,
            unverifiable=draft_unverifiable(result),
        ),
        "score": score,
        "findings": [finding_to_json(f, result) for f in result.findings],
    }


def _safe_id(ident: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in ident)
    return cleaned or "item"
