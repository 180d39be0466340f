"""Markdown report for an editorial ticket or a pull request: what was compared with what, the
score table, the articles not compared and the untranslated (unverifiable) parts, and every
finding (or the ``top`` most severe), each with both spans quoted and the changed words in bold.

Article text is escaped for Markdown (and for the HTML that Markdown allows), so a sentence
cannot open a link, an image, a table cell or a raw HTML element in the ticket.
"""

from __future__ import annotations

import re

from fidelity.relays import relay_note
from fidelity.report.view import (
    SEVERITIES,
    ResultIndex,
    comparison_mode,
    not_compared,
    pieces,
    summary_line,
    untranslated,
    unverified,
    visible,
)
from fidelity.types import SEVERITY_RANK, ComparisonResult, Evidence, Finding

# Inline specials; block starts ("# ", "- ", "1. ", "> ") only matter at a line start.
# "_" only at a word's edge: inside a word (snake_case) CommonMark never reads it as emphasis.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|~]|(?<!\w)_|_(?!\w))")
_BLOCK_START = re.compile(r"^(\s*(?:\d+)?)([#+\-.)])")


def _inline(text: str) -> str:
    text = re.sub(r"\s+", " ", visible(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def escape_markdown(text: str) -> str:
    """Make ``text`` inert in Markdown: one line, HTML entities for ``<>&``, specials escaped."""
    return _BLOCK_START.sub(r"\1\\\2", _inline(text).strip())


def _quote(evidence: Evidence) -> str:
    out = []
    for chunk, marked in pieces(evidence.text, evidence.highlight):
        flat = _inline(chunk)
        core = flat.strip()
        if marked and core:
            # Bold needs its stars against non-space characters: outer spaces stay outside.
            lead = flat[: len(flat) - len(flat.lstrip())]
            trail = flat[len(flat.rstrip()) :]
            out.append(f"{lead}**{core}**{trail}")
        else:
            out.append(flat)
    return "".join(out).strip()


def _side(role: str, evidence: Evidence, index: ResultIndex) -> list[str]:
    label = escape_markdown(index.claim_tag(evidence.claim_id))
    lines = [f"- **{role}**: {label}", f"  > {_quote(evidence)}"]
    original = index.original_words(evidence)
    if original and " ".join(original.split()) != " ".join(evidence.text.split()):
        lines.append(f"  >\n  > _original:_ {escape_markdown(original)}")
    return lines


def _code(text: str) -> str:
    # Not a code span: inside one, entities stay literal, so "<" could not be made inert.
    return escape_markdown(text)


def _finding(n: int, finding: Finding, index: ResultIndex) -> list[str]:
    lines = [
        f"### {n}. {finding.severity.upper()} · {escape_markdown(finding.category)}",
        "",
        escape_markdown(finding.message),
        "",
    ]
    if finding.reference is not None:
        lines += _side("Reference", finding.reference, index)
    else:
        lines.append("- **Reference**: none (no counterpart in the reference)")
    lines += _side("Derived", finding.derived, index)
    lines += ["", f"<sub>finding {_code(finding.id)}</sub>", ""]
    return lines


def render_markdown(
    result: ComparisonResult, *, top: int | None = None, signature: bool = False
) -> str:
    """Render the Markdown report.

    Args:
        result: the comparison to report.
        top: show only this many findings (most severe first); the rest are counted.
            Default: every finding.
        signature: end with the full signature (every threshold of the run; ``-v``).

    Returns:
        Markdown text, ending with a newline.
    """
    index = ResultIndex(result)
    lines = [
        "# Fidelity report",
        "",
        f"Compared: {escape_markdown(comparison_mode(result))}.",
        "",
        escape_markdown(summary_line(index)),
    ]
    lines += ["", "| Article | Score | " + " | ".join(s.capitalize() for s in SEVERITIES) + " |"]
    lines.append("|---|---:|" + "---:|" * len(SEVERITIES))
    unread = unverified(result)
    for score in sorted(result.scores, key=lambda s: s.score):
        counts = index.severity_counts(index.findings_of(score.article_id))
        cells = " | ".join(str(counts[s]) for s in SEVERITIES)
        label = escape_markdown(index.tag(score.article_id) + relay_note(result, score.article_id))
        value = "— (unverifiable)" if score.article_id in unread else f"{score.score:.0f}"
        lines.append(f"| {label} | {value} | {cells} |")
    alone = not_compared(result)
    if alone:
        lines += ["", f"## Not compared ({len(alone)})", ""]
        for lone in alone:
            lines.append(
                f"- **{escape_markdown(index.tag(lone.article_id))}**: "
                f"{escape_markdown(lone.reason)}. _{escape_markdown(lone.hint)}_"
            )
    parts = untranslated(result)
    if parts:
        lines += ["", "## Unverifiable: untranslated", ""]
        for part in parts:
            lines.append(
                f"- **{escape_markdown(index.tag(part.article_id))}**: "
                f"{escape_markdown(part.message())}"
            )
    ordered = [f for group in index.groups() for f in group.findings]
    ordered.sort(key=lambda f: -SEVERITY_RANK[f.severity])
    if ordered:
        shown = ordered if top is None else ordered[:top]
        title = "Findings" if len(shown) == len(ordered) else "Top findings"
        lines += ["", f"## {title} ({len(shown)} of {len(ordered)})", ""]
        for n, finding in enumerate(shown, 1):
            lines += _finding(n, finding, index)
        if len(shown) < len(ordered):
            rest = len(ordered) - len(shown)
            lines += [f"_{rest} more not shown (--top {top})._", ""]
    if result.accepted:
        lines += ["", f"## Accepted findings ({len(result.accepted)}, not counted by the gate)", ""]
        for n, item in enumerate(result.accepted, 1):
            lines += _finding(n, item.finding, index)
            lines[-1:-1] = [f"**Accepted:** {escape_markdown(item.reason)}", ""]
    if result.skipped:
        lines += ["## Skipped inputs", ""]
        lines += [f"- {_code(s.origin)}: {escape_markdown(s.reason)}" for s in result.skipped]
        lines.append("")
    if result.articles:
        lines += ["", "## Articles", "", "| Article | File | Language | Role |"]
        lines.append("|---|---|---|---|")
        for extracted in result.articles:
            article = extracted.article
            lines.append(
                f"| {escape_markdown(index.tag(article.id))} | {_code(article.origin)} | "
                f"{escape_markdown(extracted.translated.detected.language or '')} | "
                f"{escape_markdown(article.role or '')} |"
            )
    if signature:
        lines += ["", f"<sub>signature: {_code(result.signature.as_text())}</sub>"]
    return "\n".join(lines).rstrip("\n") + "\n"
