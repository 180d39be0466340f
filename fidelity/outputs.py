"""Results on shared storage: one JSON report per story and a Parquet table of findings.

    ComparisonResult -> story results (each a ComparisonResult of one story)
                     -> <folder>/<story id>.json (the canonical JSON report of that story)
                     -> findings.parquet (one row per finding, every story)

A story's JSON is the report ``render_json`` writes for a comparison of that story alone: its
articles, alignments, clusters, findings and scores, under the run's signature. Every file is
written atomically (a temporary file, then a rename), so a reader of the shared folder never
sees half a file, and the Dask engine can write each story's file as soon as it is scored.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from fidelity.errors import ReportError
from fidelity.types import ComparisonResult, Finding

__all__ = [
    "FINDING_COLUMNS",
    "finding_rows",
    "story_file",
    "story_results",
    "write_findings_parquet",
    "write_story_reports",
]

# The Parquet table's columns, in order (a row per finding).
FINDING_COLUMNS: tuple[str, ...] = (
    "finding_id",
    "story_id",
    "cluster_id",
    "category",
    "severity",
    "message",
    "article_id",
    "outlet",
    "claim_id",
    "start",
    "end",
    "passage",
    "reference_article_id",
    "reference_outlet",
    "reference_claim_id",
    "reference_start",
    "reference_end",
    "reference_passage",
    "score",
    "relay_of",
    "signals",
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def story_results(result: ComparisonResult) -> Iterator[ComparisonResult]:
    """The result cut into one result per story (articles in the result's order)."""
    from fidelity.types import AlignmentResult

    claims_of: dict[str, str] = {c.id: e.article.id for e in result.articles for c in e.claims}
    articles = {e.article.id: e for e in result.articles}
    for story in result.alignment.stories:
        members = set(story.article_ids)

        def mine(claim_id: str, members: set[str] = members) -> bool:
            return claims_of.get(claim_id) in members

        yield ComparisonResult(
            articles=tuple(articles[a] for a in story.article_ids if a in articles),
            alignment=AlignmentResult(
                stories=(story,),
                alignments=tuple(a for a in result.alignment.alignments if mine(a.left)),
                clusters=tuple(c for c in result.alignment.clusters if c.story_id == story.id),
                unmatched=tuple(u for u in result.alignment.unmatched if mine(u)),
            ),
            findings=tuple(f for f in result.findings if f.derived.article_id in members),
            scores=tuple(s for s in result.scores if s.article_id in members),
            skipped=(),
            signature=result.signature,
            reference_id=result.reference_id if result.reference_id in members else None,
        )


def story_file(folder: Path, story_id: str) -> Path:
    """Where a story's JSON report goes (its id, made safe as a file name)."""
    return folder / f"{_UNSAFE.sub('_', story_id)}.json"


def write_story_reports(result: ComparisonResult, folder: str | Path) -> list[Path]:
    """Write one JSON report per story of ``result`` into ``folder`` (made if missing).

    Raises:
        ReportError: the folder cannot be made or written.
    """
    from fidelity.report.json_report import iter_json
    from fidelity.report.output import write_report

    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(
            f"cannot make the folder {str(target)!r} for story reports ({exc})"
        ) from exc
    return [
        write_report(iter_json(story), story_file(target, story.alignment.stories[0].id))
        for story in story_results(result)
    ]


def finding_rows(result: ComparisonResult) -> list[dict[str, Any]]:
    """One plain row per finding of ``result`` (the columns of ``FINDING_COLUMNS``)."""
    from fidelity.report.json_report import jsonable

    story_of = {a: s.id for s in result.alignment.stories for a in s.article_ids}
    cluster_of = {c: k.id for k in result.alignment.clusters for c in k.claim_ids}
    labels = {e.article.id: e.article.label for e in result.articles}
    texts = {e.article.id: e.article.text for e in result.articles}
    scores = {s.article_id: s.score for s in result.scores}
    return [_row(f, story_of, cluster_of, labels, texts, scores, jsonable) for f in result.findings]


def _row(
    finding: Finding,
    story_of: Mapping[str, str],
    cluster_of: Mapping[str, str],
    labels: Mapping[str, str],
    texts: Mapping[str, str],
    scores: Mapping[str, float],
    jsonable: Any,
) -> dict[str, Any]:
    derived, reference = finding.derived, finding.reference
    cluster = cluster_of.get(derived.claim_id) or (
        cluster_of.get(reference.claim_id) if reference else None
    )
    relay_of = finding.signals.get("relay_of")
    return {
        "finding_id": finding.id,
        "story_id": story_of.get(derived.article_id),
        "cluster_id": cluster,
        "category": finding.category,
        "severity": finding.severity,
        "message": finding.message,
        "article_id": derived.article_id,
        "outlet": labels.get(derived.article_id, derived.article_id),
        "claim_id": derived.claim_id,
        "start": derived.span.start,
        "end": derived.span.end,
        "passage": derived.span.of(texts.get(derived.article_id, "")),
        "reference_article_id": reference.article_id if reference else None,
        "reference_outlet": labels.get(reference.article_id) if reference else None,
        "reference_claim_id": reference.claim_id if reference else None,
        "reference_start": reference.span.start if reference else None,
        "reference_end": reference.span.end if reference else None,
        "reference_passage": (
            reference.span.of(texts.get(reference.article_id, "")) if reference else None
        ),
        "score": scores.get(derived.article_id),
        "relay_of": str(relay_of) if relay_of is not None else None,
        "signals": json.dumps(jsonable(finding.signals), sort_keys=True, ensure_ascii=False),
    }


def _schema() -> Any:
    import pyarrow as pa

    text, whole = pa.string(), pa.int64()
    kinds = {
        "start": whole,
        "end": whole,
        "reference_start": whole,
        "reference_end": whole,
        "score": pa.float64(),
    }
    return pa.schema([(name, kinds.get(name, text)) for name in FINDING_COLUMNS])


def write_findings_parquet(
    rows: Iterable[Mapping[str, Any]],
    path: str | Path,
    *,
    inputs: Sequence[str | Path] = (),
) -> Path:
    """Write finding rows (``finding_rows``) as one Parquet table, atomically.

    Raises:
        UsageError: pyarrow is not installed.
        ReportError: the path cannot be written (as for any report).
    """
    from fidelity.load.shards import _parquet
    from fidelity.report.output import write_report

    pq = _parquet()
    import pyarrow as pa

    table = pa.Table.from_pylist([dict(r) for r in rows], schema=_schema())
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return write_report(buffer.getvalue(), path, inputs=inputs)
