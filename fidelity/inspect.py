"""``fidelity inspect``: what fidelity reads in each file, before any comparison.

Per article: outlet, headline, languages with their share, segment count, the boilerplate set
aside (with the language of each piece), and optionally the extracted claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fidelity.langid import LangidOptions, detect_articles, make_detector
from fidelity.load import LoadOptions, load_corpus
from fidelity.report.view import visible
from fidelity.types import DetectedArticle, ExtractedArticle, Skipped


@dataclass(frozen=True, slots=True)
class Inspection:
    detected: tuple[DetectedArticle, ...]
    removed_languages: tuple[tuple[str | None, ...], ...]  # per article, per removal
    extracted: tuple[ExtractedArticle, ...] | None
    skipped: tuple[Skipped, ...]
    detector: str

    def as_json(self) -> dict[str, Any]:
        out = []
        for i, d in enumerate(self.detected):
            a = d.article
            entry: dict[str, Any] = {
                "id": a.id,
                "origin": a.origin,
                "outlet": a.outlet,
                "title": a.title,
                "encoding": a.encoding,
                "decoding": _decoding(a),
                "language": d.language,
                "shares": dict(d.shares),
                "segments": len(d.segments),
                "removed": [
                    {
                        "reason": r.reason,
                        "start": r.span.start,
                        "end": r.span.end,
                        "text": r.span.of(a.text),
                        "language": self.removed_languages[i][j],
                    }
                    for j, r in enumerate(a.removed)
                ],
            }
            if self.extracted is not None:
                entry["claims"] = [
                    {
                        "id": c.id,
                        "kind": c.kind,
                        "text": c.text,
                        "attribution": c.attribution.name if c.attribution else None,
                        "quotes": [q.span.of(c.text) for q in c.quotes],
                        "quantities": [
                            {
                                "text": q.span.of(c.text),
                                "value": q.value,
                                "unit": q.unit,
                                "relation": q.relation,
                            }
                            for q in c.quantities
                        ],
                        "entities": [e.canonical for e in c.entities],
                        "markers": [m.term for m in c.markers],
                        "framing": [
                            {"term": t.term, "level": t.level, "voice": t.voice} for t in c.framing
                        ],
                        "certainty": c.certainty,
                    }
                    for c in self.extracted[i].claims
                ]
            out.append(entry)
        return {
            "detector": self.detector,
            "articles": out,
            "skipped": [{"origin": s.origin, "reason": s.reason} for s in self.skipped],
        }


def inspect_paths(
    paths: Sequence[str | Path], config: Any, *, with_claims: bool = False
) -> Inspection:
    """Load and detect (and with ``with_claims`` translate and extract) without comparing."""
    options = LoadOptions(
        max_bytes=config.max_bytes, pivot=config.pivot, follow_links=config.follow_links
    )
    corpus = load_corpus(paths, options)
    detector = make_detector(config.detector, config.languages)
    detected = detect_articles(corpus.articles, detector, LangidOptions(languages=config.languages))
    removed_texts = [[r.span.of(a.text) for r in a.removed] for a in corpus.articles]
    flat = [t for texts in removed_texts for t in texts]
    guesses = iter(detector.distributions(flat) if flat else [])
    removed_languages = tuple(tuple(_top(next(guesses)) for _ in texts) for texts in removed_texts)
    extracted = None
    if with_claims:
        from fidelity.extract import extract_articles, load_lexicon
        from fidelity.store import with_cache_or_without
        from fidelity.translate import make_translator, translate_articles

        translator = with_cache_or_without(
            lambda cached: make_translator(config.translator, use_cache=cached), config.use_cache
        )
        translated = translate_articles(detected, translator, pivot=config.pivot)
        extracted = extract_articles(translated, load_lexicon(config.lexicons))
    return Inspection(detected, removed_languages, extracted, corpus.skipped, detector.name)


def _decoding(article: Any) -> dict[str, Any]:
    """How the file's bytes were read: encoding, confidence (0..1), bytes replaced."""
    extra = article.extra.get("decoding")
    extra = extra if isinstance(extra, dict) else {}
    return {
        "encoding": article.encoding,
        "confidence": float(extra.get("confidence", 1.0)),
        "replaced_bytes": int(extra.get("replaced_bytes", 0)),
    }


def _describe_decoding(article: Any) -> str:
    info = _decoding(article)
    notes = []
    if info["confidence"] < 1.0:
        notes.append(f"confidence {info['confidence']:.2f}")
    if info["replaced_bytes"]:
        notes.append(f"{info['replaced_bytes']} bad bytes replaced by U+FFFD")
    return str(info["encoding"]) + (f", {', '.join(notes)}" if notes else "")


def _top(dist: dict[str, float]) -> str | None:
    if not dist:
        return None
    lang, p = max(dist.items(), key=lambda kv: kv[1])
    return lang if p >= 0.5 else None


def render_inspection_markdown(report: Inspection) -> str:
    """The same as :func:`render_inspection`, as Markdown (``inspect --format md``).

    Article text and metadata are escaped: a headline cannot open a link or raw HTML.
    """
    from fidelity.report.markdown import escape_markdown as md

    lines = ["# What fidelity reads", "", f"Language detector: {md(report.detector)}."]
    for i, d in enumerate(report.detected):
        a = d.article
        shares = ", ".join(f"{lang} {share:.0%}" for lang, share in d.shares)
        lines += [
            "",
            f"## {md(a.id)}",
            "",
            "| | |",
            "|---|---|",
            f"| outlet | {md(a.label)} |",
            f"| file | {md(a.origin)} |",
            f"| decoding | {md(_describe_decoding(a))} |",
            f"| headline | {md(a.title or '—')} |",
            f"| languages | {md(shares)} |",
            f"| segments | {len(d.segments)} |",
        ]
        if a.removed:
            lines += ["", "Boilerplate set aside:", ""]
            for j, r in enumerate(a.removed):
                lang = report.removed_languages[i][j] or "?"
                lines.append(f"- {md(r.reason)} \\[{md(lang)}\\] {md(r.span.of(a.text)[:70])}")
        if report.extracted is not None:
            claims = report.extracted[i].claims
            lines += ["", f"Claims ({len(claims)}):", ""]
            for c in claims:
                who = f" — {md(c.attribution.name)}" if c.attribution else ""
                lines.append(f"- #{c.index} \\[{md(c.kind)}\\] {md(c.text)}{who}")
    if report.skipped:
        lines += ["", "## Skipped", ""]
        lines += [f"- {md(s.origin)}: {md(s.reason)}" for s in report.skipped]
    return "\n".join(lines) + "\n"


def render_inspection(report: Inspection) -> Any:
    """A rich renderable: one panel per article.

    Article text and metadata are shown through ``visible``: an escape sequence in a headline
    or outlet name cannot restyle or rewrite the terminal.
    """
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    for i, d in enumerate(report.detected):
        a = d.article
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        table.add_row("outlet", visible(a.label))
        table.add_row("file", visible(a.origin))
        table.add_row("decoding", _describe_decoding(a))
        table.add_row("headline", visible(a.title or "—"))
        table.add_row("languages", ", ".join(f"{lang} {share:.0%}" for lang, share in d.shares))
        table.add_row("segments", str(len(d.segments)))
        removed = Text()
        for j, r in enumerate(a.removed):
            lang = report.removed_languages[i][j]
            removed.append(f"{r.reason}", style="yellow")
            removed.append(f" [{lang or '?'}] ")
            removed.append(visible(repr(r.span.of(a.text)[:70])) + "\n", style="dim")
        table.add_row("boilerplate", removed if a.removed else Text("none"))
        parts.append(Panel(table, title=visible(a.id), title_align="left"))
        if report.extracted is not None:
            from fidelity.report.claims import render_claims

            parts.append(render_claims(report.extracted[i]))
    for s in report.skipped:
        parts.append(Text(visible(f"skipped {s.origin}: {s.reason}"), style="red"))
    return Group(*parts)
