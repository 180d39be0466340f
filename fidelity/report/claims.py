"""Render what the extract stage found in each claim, for ``fidelity inspect --claims``.

A pure function from an ``ExtractedArticle`` to text with rich console markup (every piece
of article text is escaped, so brackets in the news never read as markup).
"""

from __future__ import annotations

from rich.markup import escape

from fidelity.report.view import visible
from fidelity.types import Claim, ExtractedArticle, Quantity, Speaker

__all__ = ["render_claims"]


def _speaker(speaker: Speaker | None) -> str:
    if speaker is None:
        return "[dim]unknown[/dim]"
    parts = [f"[bold]{escape(speaker.name)}[/bold] ({escape(speaker.kind)}"]
    if speaker.role:
        parts.append(f"; role: {escape(speaker.role)}")
    if speaker.via:
        parts.append(f"; via {escape(' > '.join(speaker.via))}")
    if speaker.surface and speaker.surface != speaker.name:
        parts.append(f"; as written: {escape(speaker.surface)!r}")
    return "".join(parts) + ")"


def _quantity(claim: Claim, q: Quantity) -> str:
    value = f"{q.value:g}"
    approx = " approx." if q.approximate else ""
    unit = f" {q.unit}" if q.unit else ""
    return f"{escape(q.span.of(claim.text))!r} = {q.relation} {value}{unit}{approx}"


def _claim(claim: Claim) -> list[str]:
    head = (
        f"[bold cyan]#{claim.index} {claim.kind.upper()}[/bold cyan] "
        f"[dim]{claim.status}, chars {claim.span.start}-{claim.span.end}, "
        f"certainty {claim.certainty:.2f}[/dim]"
    )
    lines = [head, f"  {escape(claim.text)}"]
    if claim.attribution is not None:
        lines.append(f"  attributed to: {_speaker(claim.attribution)}")
    for quote in claim.quotes:
        kind = "partial quote" if quote.partial else "quote"
        lines.append(
            f"  {kind} {escape(quote.style)}[green]{escape(quote.span.of(claim.text))}[/green]"
            f" - speaker: {_speaker(quote.speaker)}"
        )
    if claim.quantities:
        lines.append("  quantities: " + "; ".join(_quantity(claim, q) for q in claim.quantities))
    if claim.entities:
        lines.append(
            "  entities: "
            + ", ".join(f"{escape(e.canonical)} [dim]({e.kind})[/dim]" for e in claim.entities)
        )
    if claim.markers:
        lines.append(
            "  markers: "
            + ", ".join(
                f"{escape(m.span.of(claim.text))} [dim]({m.kind} {m.level:g})[/dim]"
                for m in claim.markers
            )
        )
    if claim.framing:
        lines.append(
            "  framing: "
            + ", ".join(
                f"[yellow]{escape(f.span.of(claim.text))}[/yellow] "
                f"[dim]({f.concept} {f.level}, {f.voice} voice)[/dim]"
                for f in claim.framing
            )
        )
    return lines


def render_claims(extracted: ExtractedArticle) -> str:
    """Every claim of one article with its quotes, speakers, quantities, markers and framing.

    Args:
        extracted: the extract stage's result for one article.

    Returns:
        Text with rich console markup, one block per claim.
    """
    article = extracted.article
    title = f"[bold]{escape(article.label)}[/bold] [dim]({escape(article.origin)})[/dim]"
    lines = [title, f"{len(extracted.claims)} claims", ""]
    for claim in extracted.claims:
        lines.extend(_claim(claim))
        lines.append("")
    # Article words reach the terminal: no control character or bidi override gets through.
    return visible("\n".join(lines).rstrip()) + "\n"
