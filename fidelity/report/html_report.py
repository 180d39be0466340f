"""Self-contained HTML report: one file, inline CSS and JS, nothing fetched from the network.

Article text is only ever inserted through Jinja2 autoescaping (``autoescape=True``); the
canonical JSON embedded for scripts is escaped so ``<``, ``>`` and ``&`` never appear raw in
it. A Content-Security-Policy allows only this report's own script and style (by hash) and
no network at all, so even a text that slipped through could neither run nor call home.
Filters are progressive: without JavaScript every finding stays visible.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from fidelity.baseline import finding_fingerprint
from fidelity.relays import relay_note
from fidelity.report.json_report import to_document
from fidelity.report.view import (
    SEVERITIES,
    ResultIndex,
    anchor_ids,
    comparison_mode,
    not_compared,
    pieces,
    redline,
    similarity,
    sort_findings,
    summary_line,
    untranslated,
    unverified,
)
from fidelity.types import Claim, ComparisonResult, Evidence, ExtractedArticle, Finding, Removal

# Below this share of common words a redline is mostly strike-through and helps nobody: the
# wordings are shown plainly, side by side, instead.
REDLINE_MIN_SIMILARITY = 0.4

# Inline JSON must not be able to close its <script> element or open a comment.
_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def inline_json(data: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">`` (no raw ``<>&``)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))  # escaped just above


def safe_href(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None (``javascript:``, ``data:`` never link)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("fidelity.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=2)
def _asset(name: str) -> str:
    return resources.files("fidelity.report").joinpath("templates", name).read_text("utf-8")


@dataclass(frozen=True, slots=True)
class _Part:
    text: str
    removed: str | None  # boilerplate reason


@dataclass(frozen=True, slots=True)
class _Block:
    parts: tuple[_Part, ...]
    claim: Claim | None = None
    anchor: str | None = None
    pivot: str | None = None  # the claim's pivot text when it differs from the original


def _parts(text: str, start: int, end: int, removed: tuple[Removal, ...]) -> tuple[_Part, ...]:
    points = {start, end}
    for removal in removed:
        for p in (removal.span.start, removal.span.end):
            if start < p < end:
                points.add(p)
    ordered = sorted(points)
    out = []
    for a, b in itertools.pairwise(ordered):
        reason = next((r.reason for r in removed if r.span.start <= a and b <= r.span.end), None)
        out.append(_Part(text[a:b], reason))
    return tuple(out)


def _article_blocks(extracted: ExtractedArticle, anchors: dict[str, str]) -> list[_Block]:
    """The whole article text cut into plain stretches and claims (boilerplate marked)."""
    article = extracted.article
    text, removed = article.text, article.removed
    blocks: list[_Block] = []
    cursor = 0
    for claim in sorted(extracted.claims, key=lambda c: c.span.start):
        start, end = max(claim.span.start, cursor), min(claim.span.end, len(text))
        if start >= end:  # overlaps the previous claim entirely: it keeps its anchor there
            continue
        if start > cursor:
            blocks.append(_Block(_parts(text, cursor, start, removed)))
        original = text[start:end]
        pivot = claim.text if " ".join(claim.text.split()) != " ".join(original.split()) else None
        blocks.append(_Block(_parts(text, start, end, removed), claim, anchors[claim.id], pivot))
        cursor = end
    if cursor < len(text):
        blocks.append(_Block(_parts(text, cursor, len(text), removed)))
    return blocks


class _Page:
    """Turns a result into the plain values the template shows."""

    def __init__(
        self, result: ComparisonResult, *, top: int | None = None, signature: bool = False
    ) -> None:
        self.result = result
        self.index = ResultIndex(result)
        self.signature = signature
        chosen = result.findings if top is None else sort_findings(result.findings)[:top]
        self.shown = {id(f) for f in chosen}
        claim_ids = [c.id for x in result.articles for c in x.claims]
        self.claim_anchor = anchor_ids(claim_ids, "claim-")
        self.finding_anchor = anchor_ids(
            [f.id for f in result.findings] + [a.finding.id for a in result.accepted], "finding-"
        )
        self.article_anchor = anchor_ids((x.article.id for x in result.articles), "article-")

    def evidence(self, evidence: Evidence) -> dict[str, Any]:
        original = self.index.original_words(evidence)
        same = " ".join(original.split()) == " ".join(evidence.text.split())
        claim = self.index.claims.get(evidence.claim_id)
        article = self.index.article(evidence.article_id)
        return {
            "outlet": self.index.label(evidence.article_id),
            "article_id": evidence.article_id,
            "claim_id": evidence.claim_id,
            "who": self.index.claim_tag(evidence.claim_id),
            "href": "#" + self.claim_anchor[evidence.claim_id]
            if evidence.claim_id in self.claim_anchor
            else None,
            "pieces": pieces(evidence.text, evidence.highlight),
            "original": None if same else original,
            "language": article.language if article else None,
            "status": claim.status if claim else "original",
        }

    def finding(self, finding: Finding) -> dict[str, Any]:
        signals = []
        for key, value in finding.signals.items():
            shown = f"{value:.3g}" if isinstance(value, float) else str(value)
            signals.append((str(key), shown))
        return {
            "id": finding.id,
            "fingerprint": finding_fingerprint(finding),
            "anchor": self.finding_anchor[finding.id],
            "category": finding.category,
            "severity": finding.severity,
            "message": finding.message,
            "outlet": self.index.label(finding.derived.article_id),
            "derived": self.evidence(finding.derived),
            "reference": self.evidence(finding.reference) if finding.reference else None,
            "signals": signals,
        }

    def wordings(self, claim_ids: tuple[str, ...]) -> list[dict[str, Any]]:
        claims = [self.index.claims[c] for c in claim_ids if c in self.index.claims]
        if not claims:
            return []
        reference = next((c for c in claims if c.article_id == self.index.reference_id), claims[0])
        ordered = [reference] + [c for c in claims if c is not reference]
        out = []
        for claim in ordered:
            article = self.index.article(claim.article_id)
            original = claim.span.of(article.text) if article else ""
            differs = " ".join(original.split()) != " ".join(claim.text.split())
            redlined = claim is not reference and (
                similarity(reference.text, claim.text) >= REDLINE_MIN_SIMILARITY
            )
            out.append(
                {
                    "outlet": self.index.label(claim.article_id),
                    "claim_id": claim.id,
                    "who": self.index.claim_tag(claim.id),
                    "href": "#" + self.claim_anchor[claim.id],
                    "is_reference": claim is reference,
                    "tag": (
                        "reference"
                        if claim.article_id == self.index.reference_id
                        else "baseline"
                        if claim is reference
                        else None
                    ),
                    "runs": redline(reference.text, claim.text)
                    if redlined
                    else [("same", claim.text)],
                    "reworded": claim is not reference and not redlined,
                    "original": original if differs else None,
                    "language": article.language if article else None,
                    "status": claim.status,
                }
            )
        return out

    def groups(self) -> list[dict[str, Any]]:
        out = []
        for group in self.index.groups():
            cluster = group.cluster
            findings = [f for f in group.findings if id(f) in self.shown]
            if not findings:
                continue
            out.append(
                {
                    "id": cluster.id if cluster else None,
                    "anchor": anchor_ids([group.key], "cluster-")[group.key],
                    "worst": group.worst,
                    "wordings": self.wordings(cluster.claim_ids) if cluster else [],
                    "findings": [self.finding(f) for f in findings],
                }
            )
        return out

    def scores(self) -> list[dict[str, Any]]:
        out = []
        unread = unverified(self.result)
        for score in sorted(self.result.scores, key=lambda s: s.score):
            counts = self.index.severity_counts(self.index.findings_of(score.article_id))
            out.append(
                {
                    "outlet": score.outlet + relay_note(self.result, score.article_id),
                    "who": self.index.tag(score.article_id)
                    + relay_note(self.result, score.article_id),
                    "article_id": score.article_id,
                    "href": "#" + self.article_anchor[score.article_id]
                    if score.article_id in self.article_anchor
                    else None,
                    "score": score.score,
                    "unverified": score.article_id in unread,
                    "counts": [(s, counts[s]) for s in SEVERITIES],
                    "compared_with": [self.index.name(a) for a in score.compared_with],
                }
            )
        return out

    def translations(self) -> list[dict[str, Any]]:
        out = []
        for extracted in self.result.articles:
            segments = extracted.translated.segments
            if all(s.provenance.status == "original" for s in segments):
                continue
            text = extracted.article.text
            out.append(
                {
                    "label": extracted.article.label,
                    "article_id": extracted.article.id,
                    "who": self.index.tag(extracted.article.id),
                    "href": "#" + self.article_anchor[extracted.article.id],
                    "pivot": extracted.translated.pivot_language,
                    "rows": [
                        {
                            "index": s.segment.index,
                            "language": s.segment.language,
                            "original": s.segment.span.of(text),
                            "pivot": s.text,
                            "provenance": s.provenance,
                        }
                        for s in segments
                    ],
                }
            )
        return out

    def articles(self) -> list[dict[str, Any]]:
        out = []
        for extracted in self.result.articles:
            article = extracted.article
            statuses = sorted({s.provenance.status for s in extracted.translated.segments})
            out.append(
                {
                    "article": article,
                    "who": self.index.tag(article.id),
                    "anchor": self.article_anchor[article.id],
                    "href": safe_href(article.url),
                    "language": extracted.translated.detected.language,
                    "statuses": statuses,
                    "blocks": _article_blocks(extracted, self.claim_anchor),
                    "is_reference": article.id == self.index.reference_id,
                }
            )
        return out

    def not_compared(self) -> list[dict[str, Any]]:
        return [
            {
                "who": self.index.tag(item.article_id),
                "href": "#" + self.article_anchor[item.article_id],
                "reason": item.reason,
                "hint": item.hint,
            }
            for item in not_compared(self.result)
        ]

    def untranslated(self) -> list[dict[str, Any]]:
        return [
            {
                "who": self.index.tag(item.article_id),
                "href": "#" + self.article_anchor[item.article_id],
                "item": item,
            }
            for item in untranslated(self.result)
        ]

    def context(self) -> dict[str, Any]:
        result = self.result
        findings = [f for f in result.findings if id(f) in self.shown]
        categories = sorted({f.category for f in findings})
        outlets = sorted({self.index.label(f.derived.article_id) for f in findings})
        counts = self.index.severity_counts()
        reference = self.index.reference_id
        css, js = _asset("report.css"), _asset("report.js")
        return {
            "signature": result.signature,
            "signature_text": result.signature.as_text(),
            "reference": self.index.tag(reference) if reference else None,
            "reference_id": reference,
            "mode": comparison_mode(result),
            "show_signature": self.signature,
            "not_compared": self.not_compared(),
            "untranslated": self.untranslated(),
            "summary": summary_line(self.index),
            "scores": self.scores(),
            "groups": self.groups(),
            "translations": self.translations(),
            "articles": self.articles(),
            "skipped": result.skipped,
            "accepted": [
                {"finding": self.finding(a.finding), "reason": a.reason} for a in result.accepted
            ],
            "filters": {
                "severity": [(s, counts[s]) for s in SEVERITIES if counts[s]],
                "category": [(c, sum(f.category == c for f in findings)) for c in categories],
                "outlet": [
                    (o, sum(self.index.label(f.derived.article_id) == o for f in findings))
                    for o in outlets
                ],
            },
            "total_findings": len(findings),
            "all_findings": len(result.findings),
            "data_json": inline_json(to_document(result)),
            "css": Markup(css),  # our own packaged stylesheet
            "js": Markup(js),  # our own packaged script
            "csp": (
                "default-src 'none'; "
                f"style-src {_csp_hash(css)}; "
                f"script-src {_csp_hash(js)}; "
                "img-src data:; base-uri 'none'; form-action 'none'"
            ),
        }


def render_html(
    result: ComparisonResult, *, top: int | None = None, signature: bool = False
) -> str:
    """Render the report as one self-contained HTML page.

    Args:
        result: the comparison to report.
        top: show only this many findings (most severe first); the embedded JSON keeps all.
        signature: show the signature section (every threshold of the run; ``-v``). The
            embedded JSON always holds it.

    Returns:
        The HTML document (UTF-8 text). It loads nothing from the network and works, minus
        the filters, with JavaScript off.
    """
    template = _environment().get_template("report.html.j2")
    return template.render(_Page(result, top=top, signature=signature).context())
