"""``fidelity check --batch``: many draft/source sets from one JSONL file, one verdict per line.

Input line: ``{"id": ..., "text": ..., "sources": [text, ...]}`` (optional ``title``,
``language``). Output, one per input line and in order, even when a line is bad:
``{"id": ..., "verdict": "consistent"|"inconsistent", "score": 0-100, "findings": [...]}`` or
``{"id": ..., "error": "..."}``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fidelity.errors import FidelityError, InputError
from fidelity.load.decode import decode_bytes
from fidelity.pipeline import RunConfig, articles_from_texts, check_articles
from fidelity.plaindata import parse_json
from fidelity.score import verdict

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
        InputError: the batch file itself is missing or unreadable.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the batch file ({exc.strerror or exc})") from exc
    try:
        text, _ = decode_bytes(data, str(path))
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
            record = parse_json(line, f"{path}:{number}", f"line {number}")
        except InputError as exc:  # not JSON, nested too deeply, an unreadable number
            out.append({"id": ident, "error": exc.reason})
            continue
        try:
            if not isinstance(record, dict):
                raise InputError(f"{path}:{number}", "each line must be a JSON object")
            ident = record.get("id", ident)
            out.append(_check_record(record, str(ident), config, min_severity, fail_under))
        except FidelityError as exc:
            out.append({"id": ident, "error": str(exc)})
    return out


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
            result.findings, score, min_severity=min_severity, fail_under=fail_under
        ),
        "score": score,
        "findings": [finding_to_json(f, result) for f in result.findings],
    }


def _safe_id(ident: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in ident)
    return cleaned or "item"
