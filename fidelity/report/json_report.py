"""The canonical JSON form of a ``ComparisonResult`` (schema ``schema-1.0.json``, see SCHEMA.md).

Every span is written as ``{"start", "end", "text"}``: the offsets into the text it names and
the characters they cover, so a reader never has to re-slice. Every finding keeps its stable
id. The other renderers show subsets of this document; this one loses nothing.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fidelity.report.view import ResultIndex, comparison, not_compared, untranslated
from fidelity.types import (
    Article,
    Claim,
    ComparisonResult,
    Evidence,
    ExtractedArticle,
    Finding,
    PivotSegment,
    Provenance,
    Span,
    Speaker,
)

SCHEMA_VERSION = "1.0"


def span_json(span: Span, text: str) -> dict[str, Any]:
    """A span with the characters it covers in ``text``."""
    return {"start": span.start, "end": span.end, "text": span.of(text)}


def jsonable(value: Any) -> Any:
    """Turn a signal or metadata value into plain JSON (NaN and infinities become null)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "item"):  # numpy scalars
        return jsonable(value.item())
    return str(value)


def _speaker(speaker: Speaker | None) -> dict[str, Any] | None:
    if speaker is None:
        return None
    return {
        "name": speaker.name,
        "surface": speaker.surface,
        "kind": speaker.kind,
        "role": speaker.role,
        "via": list(speaker.via),
    }


def _provenance(provenance: Provenance) -> dict[str, Any]:
    return {
        "engine": provenance.engine,
        "status": provenance.status,
        "package": provenance.package,
        "version": provenance.version,
        "cached": provenance.cached,
        "hint": provenance.hint,
    }


class _Items:
    """A list in the report made one item at a time: streamed by ``iter_json``, made whole by
    ``to_document``. (A 5 MB article alone has tens of thousands of claims.)"""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def _segment(segment: PivotSegment, text: str) -> dict[str, Any]:
    s = segment.segment
    return {
        "index": s.index,
        "span": span_json(s.span, text),
        "paragraph": s.paragraph,
        "language": s.language,
        "confidence": s.confidence,
        "inherited": s.inherited,
        "is_title": s.is_title,
        "pivot_text": segment.text,
        "provenance": _provenance(segment.provenance),
    }


def _claim(claim: Claim, article_text: str) -> dict[str, Any]:
    t = claim.text
    return {
        "id": claim.id,
        "article_id": claim.article_id,
        "index": claim.index,
        "kind": claim.kind,
        "span": span_json(claim.span, article_text),
        "text": t,
        "status": claim.status,
        "certainty": claim.certainty,
        "attribution": _speaker(claim.attribution),
        "quotes": [
            {
                "span": span_json(q.span, t),
                "style": q.style,
                "speaker": _speaker(q.speaker),
                "partial": q.partial,
            }
            for q in claim.quotes
        ],
        "quantities": [
            {
                "span": span_json(q.span, t),
                "value": jsonable(q.value),
                "unit": q.unit,
                "relation": q.relation,
                "approximate": q.approximate,
            }
            for q in claim.quantities
        ],
        "entities": [
            {"span": span_json(e.span, t), "canonical": e.canonical, "kind": e.kind}
            for e in claim.entities
        ],
        "markers": [
            {"span": span_json(m.span, t), "term": m.term, "kind": m.kind, "level": m.level}
            for m in claim.markers
        ],
        "framing": [
            {
                "span": span_json(f.span, t),
                "term": f.term,
                "concept": f.concept,
                "level": f.level,
                "voice": f.voice,
            }
            for f in claim.framing
        ],
    }


def _article(extracted: ExtractedArticle) -> dict[str, Any]:
    article: Article = extracted.article
    detected = extracted.translated.detected
    text = article.text
    return {
        "id": article.id,
        "label": article.label,
        "origin": article.origin,
        "title": article.title,
        "title_span": span_json(article.title_span, text) if article.title_span else None,
        "outlet": article.outlet,
        "site": article.site,
        "url": article.url,
        "published": article.published,
        "declared_language": article.language,
        "language": detected.language,
        "language_shares": [{"language": lang, "share": share} for lang, share in detected.shares],
        "role": article.role,
        "encoding": article.encoding,
        "text": text,
        "removed": [{"span": span_json(r.span, text), "reason": r.reason} for r in article.removed],
        "translation": article.translation,
        "translation_origin": article.translation_origin,
        "extra": jsonable(article.extra),
        "pivot_language": extracted.translated.pivot_language,
        "segments": _Items(_segment(s, text) for s in extracted.translated.segments),
        "claims": _Items(_claim(c, text) for c in extracted.claims),
        **({"relays": extracted.relay_of} if extracted.relay_of is not None else {}),
    }


def _evidence(evidence: Evidence, index: ResultIndex) -> dict[str, Any]:
    article = index.article(evidence.article_id)
    return {
        "article_id": evidence.article_id,
        "outlet": index.label(evidence.article_id),
        "claim_id": evidence.claim_id,
        "span": span_json(evidence.span, article.text if article else ""),
        "text": evidence.text,
        "highlight": [span_json(h, evidence.text) for h in evidence.highlight],
    }


def _finding(finding: Finding, index: ResultIndex) -> dict[str, Any]:
    cluster = index.cluster_of(finding)
    return {
        "id": finding.id,
        "category": finding.category,
        "severity": finding.severity,
        "message": finding.message,
        "cluster_id": cluster.id if cluster else None,
        "derived": _evidence(finding.derived, index),
        "reference": _evidence(finding.reference, index) if finding.reference else None,
        "signals": jsonable(finding.signals),
    }


def finding_to_json(finding: Finding, result: ComparisonResult) -> dict[str, Any]:
    """One finding in its canonical JSON form (as in ``render_json``'s ``findings``).

    Args:
        finding: a finding of ``result``.
        result: the comparison it belongs to (for outlets, article texts and clusters).
    """
    return _finding(finding, ResultIndex(result))


def _sections(result: ComparisonResult) -> list[tuple[str, Any]]:
    """The report's top-level keys in order, the long lists as lazy ``_Items``."""
    index = ResultIndex(result)
    signature = result.signature
    alignment = result.alignment
    counts = index.severity_counts()
    sections: list[tuple[str, Any]] = [
        ("schema_version", SCHEMA_VERSION),
        (
            "signature",
            {
                "fidelity_version": signature.fidelity_version,
                "detector": signature.detector,
                "translator": signature.translator,
                "translation_packages": list(signature.translation_packages),
                "embedder": signature.embedder,
                "thresholds": {k: jsonable(v) for k, v in sorted(signature.thresholds.items())},
                "pivot_language": signature.pivot_language,
                "text": signature.as_text(),
            },
        ),
        ("reference_id", index.reference_id),
        ("comparison", comparison(result)),
        (
            "summary",
            {
                "articles": len(result.articles),
                "findings": len(result.findings),
                "by_severity": dict(counts),
                "skipped": len(result.skipped),
            },
        ),
        ("articles", _Items(_article(x) for x in result.articles)),
        (
            "stories",
            _Items(
                {"id": s.id, "article_ids": list(s.article_ids), "reason": s.reason}
                for s in alignment.stories
            ),
        ),
        (
            "clusters",
            _Items(
                {"id": c.id, "story_id": c.story_id, "claim_ids": list(c.claim_ids)}
                for c in alignment.clusters
            ),
        ),
        (
            "alignments",
            _Items(
                {
                    "left": a.left,
                    "right": a.right,
                    "confidence": a.confidence,
                    "fuzzy": a.fuzzy,
                    "cosine": jsonable(a.cosine),
                    "anchors": list(a.anchors),
                    "quote_match": a.quote_match,
                }
                for a in alignment.alignments
            ),
        ),
        ("unmatched", list(alignment.unmatched)),
        ("findings", _Items(_finding(f, index) for f in result.findings)),
        (
            "scores",
            [
                {
                    "article_id": s.article_id,
                    "outlet": s.outlet,
                    "score": s.score,
                    "counts": {str(k): int(v) for k, v in s.counts.items()},
                    "compared_with": list(s.compared_with),
                }
                for s in result.scores
            ],
        ),
        (
            "not_compared",
            [
                {"article_id": n.article_id, "reason": n.reason, "hint": n.hint}
                for n in not_compared(result)
            ],
        ),
        (
            "untranslated",
            [
                {
                    "article_id": u.article_id,
                    "claims": u.claims,
                    "unverifiable_claims": u.unverifiable,
                    "segments": u.segments,
                    "languages": list(u.languages),
                    "packages": list(u.packages),
                    "install": list(u.install),
                    "message": u.message(),
                }
                for u in untranslated(result)
            ],
        ),
        ("skipped", [{"origin": s.origin, "reason": s.reason} for s in result.skipped]),
    ]
    if result.accepted:  # only then, so that reports without a baseline keep their form
        sections.append(
            (
                "accepted",
                [
                    {
                        "fingerprint": a.fingerprint,
                        "reason": a.reason,
                        "finding": _finding(a.finding, index),
                    }
                    for a in result.accepted
                ],
            )
        )
    return sections


def to_document(result: ComparisonResult) -> dict[str, Any]:
    """The canonical report as plain Python data (what :func:`render_json` serialises)."""
    return {key: _whole(value) for key, value in _sections(result)}


def _whole(value: Any) -> Any:
    if isinstance(value, _Items):
        return [_whole(item) for item in value.items]
    if isinstance(value, dict):
        return {key: _whole(item) for key, item in value.items()}
    return value


def render_json(result: ComparisonResult, *, indent: int | None = 2) -> str:
    """Render the canonical JSON report (UTF-8 text, non-ASCII kept as is).

    Args:
        result: the comparison to report.
        indent: pretty-printing indent; ``None`` for one line.

    Returns:
        The JSON document, ending with a newline.
    """
    return "".join(iter_json(result, indent=indent))


def iter_json(result: ComparisonResult, *, indent: int | None = 2) -> Iterator[str]:
    """The text of :func:`render_json` in pieces, one article, alignment or finding at a time,
    so that writing the report of a very long article never holds all of it in memory.

    The pieces joined are exactly ``json.dumps(to_document(result), indent=indent)`` plus a
    newline: each item is encoded alone and its lines indented to its depth, as the encoder
    would have indented them.
    """

    def dumps(value: Any, depth: int) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)
        return text.replace("\n", newline(depth)) if indent is not None else text

    def newline(depth: int) -> str:
        return "\n" + " " * (indent * depth) if indent is not None else ""

    comma = "," if indent is not None else ", "

    def pieces(value: Any, depth: int) -> Iterator[str]:
        if isinstance(value, _Items):
            empty = True
            for item in value.items:
                yield "[" if empty else comma
                yield newline(depth + 1)
                yield from pieces(item, depth + 1)
                empty = False
            yield "[]" if empty else newline(depth) + "]"
        elif isinstance(value, dict) and value and any(_lazy(v) for v in value.values()):
            for number, (key, item) in enumerate(value.items()):
                yield ("{" if number == 0 else comma) + newline(depth + 1)
                yield json.dumps(key, ensure_ascii=False) + ": "
                yield from pieces(item, depth + 1)
            yield newline(depth) + "}"
        else:
            yield dumps(value, depth)

    yield from pieces(dict(_sections(result)), 0)
    yield "\n"


def _lazy(value: Any) -> bool:
    return isinstance(value, _Items) or (
        isinstance(value, dict) and any(_lazy(v) for v in value.values())
    )
