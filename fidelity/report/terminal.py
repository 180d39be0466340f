"""Terminal report (rich) and its plain-text twin for pipes and ``.txt`` files.

Layout: the per-outlet score table, then findings grouped by claim cluster (most severe group
first, most severe finding first inside it), each with the reference and the derived wording
and the changed words highlighted, then a one-line summary. Article text only ever enters a
``rich.text.Text`` as plain characters (never as console markup), after control characters
are made visible, so an article cannot restyle or rewrite the terminal.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.constrain import Constrain
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from fidelity.relays import relay_note
from fidelity.report.view import (
    SEVERITIES,
    FindingGroup,
    ResultIndex,
    clip_passage,
    comparison_mode,
    not_compared,
    pieces,
    sort_findings,
    summary_line,
    untranslated,
    unverified,
    visible,
)
from fidelity.types import ComparisonResult, Evidence, Finding, Span

_SEVERITY_STYLE = {
    "high": "bold white on red",
    "medium": "bold black on yellow",
    "low": "bold cyan",
}
_HIGHLIGHT_STYLE = "bold black on yellow"
_PLAIN_MARK = "*"
# Without -v a passage shows at most this many characters around its changed words, and a
# table cell this many, so that one finding or one table row never fills the screen.
PASSAGE_CHARS = 360
CELL_CHARS = 48


def _score_style(score: float) -> str:
    if score >= 80:
        return "green"
    if score >= 50:
        return "yellow"
    return "red"


class _Builder:
    """Builds the renderables; ``plain`` swaps colour for ASCII borders and ``*marks*``."""

    def __init__(
        self,
        result: ComparisonResult,
        *,
        plain: bool,
        signature: bool = True,
        full: bool = False,
        top: int | None = None,
    ) -> None:
        self.index = ResultIndex(result)
        self.result = result
        self.plain = plain
        self.signature = signature
        self.full = full  # passages and cells whole, never clipped
        self.top = top
        self.clipped = False  # set when a passage or cell was cut

    def cell(self, value: str, keep_end: str = "") -> str:
        """``value`` cut to CELL_CHARS with ``…`` (keeping ``keep_end``, a tag's short id)."""
        if self.full or len(value) <= CELL_CHARS:
            return value
        self.clipped = True
        end = keep_end if keep_end and value.endswith(keep_end) else ""
        cut, _, _ = clip_passage(value[: len(value) - len(end)], (), CELL_CHARS - 1 - len(end))
        return cut + end

    def text(self, value: str, style: str = "") -> Text:
        return Text(visible(value), style="" if self.plain else style)

    def highlighted(self, value: str, highlight: tuple[Span, ...]) -> Text:
        out = Text()
        for chunk, marked in pieces(value, highlight):
            chunk = visible(chunk)
            if not marked:
                out.append(chunk)
            elif self.plain:
                out.append(f"{_PLAIN_MARK}{chunk}{_PLAIN_MARK}")
            else:
                out.append(chunk, style=_HIGHLIGHT_STYLE)
        return out

    def header(self) -> RenderableType:
        title = Text("Fidelity report", style="" if self.plain else "bold")
        sig = self.result.signature
        packages = ", ".join(sig.translation_packages) or "no packages"
        setup = (
            f"fidelity {sig.fidelity_version} · langid {sig.detector} · translate "
            f"{sig.translator} ({packages}) · embed {sig.embedder} · pivot {sig.pivot_language}"
        )
        mode = comparison_mode(self.result)
        if not self.full:
            mode, _, cut = clip_passage(mode, (), PASSAGE_CHARS)
            self.clipped |= cut
        return Group(title, self.text(setup, "dim"), self.text(mode))

    def scores(self) -> RenderableType:
        table = Table(
            title=None,
            box=box.ASCII if self.plain else box.SIMPLE_HEAVY,
            show_edge=self.plain,
            pad_edge=False,
        )
        table.add_column("Article", overflow="fold")
        table.add_column("Score", justify="right")
        table.add_column("", no_wrap=True)  # bar
        for severity in SEVERITIES:
            table.add_column(severity.capitalize(), justify="right")
        table.add_column("Compared with", overflow="fold")
        unread = unverified(self.result)
        for score in sorted(self.result.scores, key=lambda s: s.score):
            counts = self.index.severity_counts(self.index.findings_of(score.article_id))
            filled = round(score.score / 10)
            bar = "#" * filled + "." * (10 - filled)
            value = f"{score.score:.0f}"
            if score.article_id in unread:  # nothing of it was compared: no number to show
                value, bar = "—", "unverified"
            compared = ", ".join(self.index.name(a) for a in score.compared_with)
            tag = self.index.tag(score.article_id)
            tag = self.cell(tag, "·" + tag.rpartition("·")[2])  # the short id stays whole
            tag += relay_note(self.result, score.article_id)
            table.add_row(
                self.text(tag, "bold"),
                self.text(value, _score_style(score.score)),
                self.text(bar, _score_style(score.score)),
                *(str(counts[s]) for s in SEVERITIES),
                self.text(self.cell(compared), "dim"),
            )
        if not self.result.scores:
            return self.text("No scores: nothing was compared.", "dim")
        return table

    def evidence_lines(self, role: str, evidence: Evidence) -> list[Text]:
        label = Text(f"  {role:<9} ", style="" if self.plain else "dim")
        label.append(self.text(self.index.claim_tag(evidence.claim_id), "bold"))
        lines = [label]
        text, highlight = evidence.text, evidence.highlight
        if not self.full:
            text, highlight, cut = clip_passage(text, highlight, PASSAGE_CHARS)
            self.clipped |= cut
        quoted = Text("    “")
        quoted.append(self.highlighted(text, highlight))
        quoted.append("”")
        lines.append(quoted)
        original = " ".join(self.index.original_words(evidence).split())
        if original and original != " ".join(evidence.text.split()):
            if not self.full:
                original, _, cut = clip_passage(original, (), PASSAGE_CHARS)
                self.clipped |= cut
            lines.append(self.text(f"    original: {original}", "dim italic"))
        return lines

    def finding(self, finding: Finding) -> RenderableType:
        head = Text()
        severity = f" {finding.severity.upper()} "
        head.append(self.text(severity, _SEVERITY_STYLE[finding.severity]))
        head.append(" ")
        head.append(self.text(finding.category, "bold"))
        head.append("  ")
        head.append(self.text(finding.message))
        head.append(self.text(f"  ({finding.id})", "dim"))
        lines: list[RenderableType] = [head]
        if finding.reference is not None:
            lines += self.evidence_lines("reference", finding.reference)
        else:
            lines.append(self.text("  reference none: no counterpart in the reference", "dim"))
        lines += self.evidence_lines("derived", finding.derived)
        return Group(*lines, Text(""))

    def group(self, group: FindingGroup) -> RenderableType:
        if group.cluster is None:
            title = "Claims with no counterpart in any cluster"
        else:
            outlets = sorted(
                {
                    self.index.name(self.index.claims[c].article_id)
                    for c in group.cluster.claim_ids
                    if c in self.index.claims
                }
            )
            title = f"Cluster {group.cluster.id} — {self.cell(', '.join(outlets))}"
        n = len(group.findings)
        title += f" — {n} finding{'s' if n != 1 else ''}"
        rule = Rule(visible(title), align="left", characters="-" if self.plain else "─")
        if self.plain:
            rule.style = ""
        return Group(rule, *(self.finding(f) for f in group.findings))

    def not_compared(self) -> list[RenderableType]:
        alone = not_compared(self.result)
        if not alone:
            return []
        n = len(alone)
        lines: list[RenderableType] = [
            self.text(f"Not compared — {n} article{'s' if n != 1 else ''}:", "bold")
        ]
        for item in alone:
            line = Text("  ")
            line.append(self.text(self.index.tag(item.article_id), "bold"))
            reason = item.reason
            if not self.full:
                reason, _, cut = clip_passage(reason, (), PASSAGE_CHARS)
                self.clipped |= cut
            line.append(self.text(f": {reason}"))
            lines.append(line)
            lines.append(self.text(f"    {item.hint}", "italic"))
        lines.append(Text(""))
        return lines

    def untranslated(self) -> list[RenderableType]:
        parts = untranslated(self.result)
        if not parts:
            return []
        lines: list[RenderableType] = [self.text("Unverifiable (untranslated):", "bold")]
        for item in parts:
            line = Text("  ")
            line.append(self.text(self.index.tag(item.article_id), "bold"))
            line.append(self.text(f": {item.message()}"))
            lines.append(line)
        lines.append(Text(""))
        return lines

    def skipped(self) -> list[RenderableType]:
        if not self.result.skipped:
            return []
        lines: list[RenderableType] = [self.text("Skipped inputs:", "bold")]
        for skip in self.result.skipped:
            line = Text("  ")
            line.append(self.text(skip.origin, "bold"))
            line.append(self.text(f": {skip.reason}"))
            lines.append(line)
        lines.append(Text(""))
        return lines

    def accepted(self) -> list[RenderableType]:
        if not self.result.accepted:
            return []
        n = len(self.result.accepted)
        title = f"Accepted findings (baseline) — {n}, not counted by the gate"
        rule = Rule(visible(title), align="left", characters="-" if self.plain else "─")
        if self.plain:
            rule.style = ""
        lines: list[RenderableType] = [rule]
        for item in self.result.accepted:
            lines.append(self.finding(item.finding))
            lines.append(self.text(f"  accepted: {visible(item.reason)}", "italic"))
            lines.append(Text(""))
        return lines

    def build(self) -> Group:
        parts: list[RenderableType] = [self.header(), Text(""), self.scores(), Text("")]
        parts += self.not_compared()
        parts += self.untranslated()
        groups = self.index.groups()
        if not groups:
            parts.append(self.text("No findings.", "green"))
        total = len(self.result.findings)
        if self.top is not None and self.top < total:
            chosen = {id(f) for f in sort_findings(self.result.findings)[: self.top]}
            groups = [
                FindingGroup(g.cluster, kept)
                for g in groups
                if (kept := tuple(f for f in g.findings if id(f) in chosen))
            ]
        parts += [self.group(g) for g in groups]
        shown = sum(len(g.findings) for g in groups)
        if shown < total:
            parts.append(
                self.text(
                    f"{total - shown} more finding{'s' if total - shown != 1 else ''} not shown "
                    f"(--top {self.top}); without --top every finding is shown.",
                    "italic",
                )
            )
            parts.append(Text(""))
        parts += self.accepted()
        parts += self.skipped()
        if self.clipped:
            parts.append(
                self.text(
                    f"Long passages are cut at {PASSAGE_CHARS} characters (…); "
                    "-v or --format html shows them whole.",
                    "italic",
                )
            )
        if self.signature:  # every threshold: for comparing runs, not for reading a report
            parts.append(self.text(f"signature {self.result.signature.as_text()}", "dim"))
        parts.append(self.text(summary_line(self.index), "bold"))
        return Group(*parts)


def render_terminal(
    result: ComparisonResult,
    *,
    width: int | None = None,
    signature: bool = True,
    full: bool = False,
    top: int | None = None,
) -> RenderableType:
    """A rich renderable of the report, for ``Console.print`` on a terminal.

    Args:
        result: the comparison to report.
        width: cap the report's width in columns (default: the console's width).
        signature: end with the full signature (every threshold of the run).
        full: show long passages and table cells whole (``-v``); else they are cut with ``…``
            so that no finding or table row fills the screen.
        top: show only this many findings (most severe first).

    Returns:
        A renderable; print it with ``rich.console.Console().print(...)``. For a pipe or a
        file use :func:`render_text`.
    """
    group = _Builder(result, plain=False, signature=signature, full=full, top=top).build()
    return Constrain(group, width) if width else group


def render_text(
    result: ComparisonResult,
    *,
    width: int = 100,
    signature: bool = True,
    full: bool = False,
    top: int | None = None,
) -> str:
    """The same report as plain text: no colour or escape codes, ASCII borders, ``*changed*``.

    Args:
        result: the comparison to report.
        width: wrap lines at this many columns.
        signature: end with the full signature (every threshold of the run).
        full: show long passages and table cells whole (see :func:`render_terminal`).
        top: show only this many findings (most severe first).

    Returns:
        The report text, ending with a newline.
    """
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=False,
        color_system=None,
        no_color=True,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    console.print(_Builder(result, plain=True, signature=signature, full=full, top=top).build())
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
