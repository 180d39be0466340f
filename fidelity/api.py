"""fidelity's Python API: ``check`` a draft against its sources, ``compare`` many articles.

Both take files, folders (``compare``), strings of article text or ``Article`` objects, and
return a :class:`FidelityReport`: the ``ComparisonResult`` with the gate's verdict, and its
renderings (``to_json()``, ``to_html()``, ``to_markdown()``, ``to_csv()``, ``to_text()``).

    >>> import fidelity
    >>> report = fidelity.check("draft.md", ["wire.md"], embedder="none")
    >>> report.verdict, [f.category for f in report.findings]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from fidelity.errors import InputError, UsageError
from fidelity.types import AcceptedFinding, Article, ComparisonResult, FidelityScore, Finding

if TYPE_CHECKING:
    from fidelity.baseline import Baseline
    from fidelity.pipeline import Backends, Progress, RunConfig
    from fidelity.settings import Settings

ArticleInput = str | Path | Article
_ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
_LOOKS_LIKE_PATH = re.compile(r"^[^\s]+$")


class RunOptions(TypedDict, total=False):
    """Keyword options of :func:`check` and :func:`compare` (``RunConfig``'s fields)."""

    detector: str
    languages: Sequence[str]
    translator: str
    pivot: str
    embedder: str
    max_bytes: int
    max_documents: int
    use_cache: bool
    lexicons: Sequence[str | Path]
    extra_thresholds: Mapping[str, float]
    jobs: int
    source_outlets: Sequence[str]
    one_story: bool


@dataclass(frozen=True, slots=True)
class FidelityReport:
    """A comparison's result with the gate's verdict (``None`` for ``compare``)."""

    result: ComparisonResult
    verdict: str | None = None  # "consistent" | "inconsistent" for check

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The findings that count (accepted ones are in :attr:`accepted`)."""
        return self.result.findings

    @property
    def accepted(self) -> tuple[AcceptedFinding, ...]:
        return self.result.accepted

    @property
    def scores(self) -> tuple[FidelityScore, ...]:
        return self.result.scores

    @property
    def score(self) -> float | None:
        """The draft's score (``check``), else the lowest outlet score."""
        return min((s.score for s in self.result.scores), default=None)

    @property
    def passed(self) -> bool:
        """``True`` unless the gate found the draft inconsistent or could not verify it."""
        return self.verdict not in ("inconsistent", "unverifiable")

    def to_json(self, *, indent: int | None = 2) -> str:
        """The canonical JSON report (schema ``fidelity/report/schema-1.0.json``)."""
        from fidelity.report import render_json

        return render_json(self.result, indent=indent)

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON report as Python data."""
        from fidelity.report import to_document

        return to_document(self.result)

    def to_html(self, *, top: int | None = None, signature: bool = False) -> str:
        """One self-contained HTML page (no network); ``top``: only the most severe findings;
        ``signature``: add the signature section (every threshold of the run)."""
        from fidelity.report import render_html

        return render_html(self.result, top=top, signature=signature)

    def to_markdown(self, *, top: int | None = None, signature: bool = False) -> str:
        """The Markdown report (a ticket): every finding, or the ``top`` most severe."""
        from fidelity.report import render_markdown

        return render_markdown(self.result, top=top, signature=signature)

    def to_text(self, *, top: int | None = None, verbose: bool = False) -> str:
        """The terminal report as plain text; ``verbose`` (``-v``) shows long passages whole
        and adds the signature."""
        from fidelity.report import render_text

        return render_text(self.result, top=top, signature=verbose, full=verbose)

    def to_csv(self, *, top: int | None = None) -> str:
        """One row per finding (see ``fidelity/report/csv_report.py``)."""
        from fidelity.report.csv_report import render_csv

        return render_csv(self.result, top=top)


def check(
    draft: ArticleInput,
    sources: ArticleInput | Sequence[ArticleInput],
    *,
    settings: Settings | None = None,
    baseline: str | Path | Baseline | None = None,
    min_severity: str | None = None,
    fail_under: float | None = None,
    severity: Mapping[str, str] | None = None,
    backends: Backends | None = None,
    **options: Unpack[RunOptions],
) -> FidelityReport:
    """Check a draft against its sources: the editor's pre-publication gate.

    Args:
        draft: a file path, the draft's text, or an ``Article``.
        sources: one or more sources, each a path, a text or an ``Article``.
        settings: house rules (``fidelity.load_settings()``); the other arguments override them.
        baseline: accepted findings (a baseline file or a ``Baseline``); they are moved to
            ``report.accepted`` and do not count for the verdict.
        min_severity: the gate fails on findings of this severity or more (default medium).
        fail_under: the gate also fails when the draft's score is under this.
        severity: severity per category (``{"headline_unsupported": "low"}``), applied to the
            findings before the verdict.
        backends: backends already built (``fidelity.pipeline.build_backends``), to reuse
            loaded models across many checks.
        **options: run options (``embedder="none"``, ``pivot="en"``, ``languages=[...]``,
            ``extra_thresholds={...}``, …), as :class:`RunOptions`.

    Returns:
        The report, with ``verdict`` "consistent" or "inconsistent".

    Raises:
        FidelityError: bad input (``InputError``), options (``UsageError``, ``ConfigError``) or
            a missing model (``ModelError``).
    """
    from fidelity.pipeline import check_articles

    config = _config(settings, options)
    source_list = _as_list(sources)
    if not source_list:
        raise UsageError("give at least one source to check the draft against")
    articles = [replace(_article(draft, "draft", config), role="derived")]
    for number, source in enumerate(source_list, 1):
        for article in _articles(source, f"source-{number}", config):
            articles.append(replace(article, role="source"))
    result = check_articles(_unique(articles), config, backends=backends)
    return gate(
        result,
        settings=settings,
        baseline=baseline,
        min_severity=min_severity,
        fail_under=fail_under,
        severity=severity,
    )


def compare(
    articles: ArticleInput | Sequence[ArticleInput],
    *,
    reference: ArticleInput | None = None,
    settings: Settings | None = None,
    severity: Mapping[str, str] | None = None,
    backends: Backends | None = None,
    progress: Progress | None = None,
    **options: Unpack[RunOptions],
) -> FidelityReport:
    """Compare how several articles report a story: findings and a score per outlet.

    Args:
        articles: files, folders, article texts or ``Article`` objects (at least two articles).
        reference: an article to score every other one against (default: each against the
            consensus of the others).
        settings: house rules (``fidelity.load_settings()``); the other arguments override them.
        severity: severity per category, applied to the findings.
        backends: backends already built, to reuse loaded models.
        progress: called with each stage's name as it starts.
        **options: run options, as :class:`RunOptions`.

    Returns:
        The report (``verdict`` is ``None``).

    Raises:
        FidelityError: bad input, options, or a missing model.
    """
    from fidelity.pipeline import compare as compare_paths
    from fidelity.pipeline import compare_articles

    config = _config(settings, options)
    items = _as_list(articles)
    if all(_is_path(a) for a in items) and (reference is None or _is_path(reference)):
        result = compare_paths(
            [Path(str(a)) for a in items],
            config,
            reference=Path(str(reference)) if reference is not None else None,
            progress=progress,
            backends=backends,
        )
        require_reference_compared(result)
        return FidelityReport(_reviewed(result, settings, severity))
    read: list[Article] = []
    for number, item in enumerate(items, 1):
        read += _articles(item, f"article-{number}", config)
    reference_id = None
    if reference is not None:
        ref_article = replace(_article(reference, "reference", config), role="source")
        read.append(ref_article)
        read = _unique(read)
        reference_id = read[-1].id
    result = compare_articles(
        _unique(read), config, reference_id=reference_id, progress=progress, backends=backends
    )
    require_reference_compared(result)
    return FidelityReport(_reviewed(result, settings, severity))


def require_reference_compared(result: ComparisonResult) -> None:
    """A reference that nothing was compared with is an error, never an empty report.

    Raises:
        UsageError: the reference ended up alone in its story (or compared with nothing),
            with the reason and the ``--one-story`` hint.
    """
    if result.reference_id is None:
        return
    from fidelity.report.view import ResultIndex, not_compared

    alone = next((n for n in not_compared(result) if n.article_id == result.reference_id), None)
    if alone is None:
        return
    tag = ResultIndex(result).tag(alone.article_id)
    raise UsageError(
        f"nothing was compared with the reference {tag}: it is {alone.reason}; {alone.hint}"
    )


def gate(
    result: ComparisonResult,
    *,
    settings: Settings | None = None,
    baseline: str | Path | Baseline | None = None,
    min_severity: str | None = None,
    fail_under: float | None = None,
    severity: Mapping[str, str] | None = None,
) -> FidelityReport:
    """Apply the house rules to a ``check`` result: severity per category, then the baseline,
    then the verdict on what remains.

    Raises:
        ConfigError: a bad severity or an unreadable baseline.
    """
    from fidelity.baseline import Baseline, apply_baseline, load_baseline
    from fidelity.score import draft_unverifiable, verdict

    result = _reviewed(result, settings, severity)
    if baseline is None and settings is not None and settings.baseline is not None:
        baseline = settings.baseline
    if baseline is not None:
        loaded = baseline if isinstance(baseline, Baseline) else load_baseline(baseline)
        result = apply_baseline(result, loaded)
    level = min_severity or (settings.min_severity if settings else "medium")
    floor = fail_under if fail_under is not None else (settings.fail_under if settings else None)
    if level not in ("low", "medium", "high"):
        raise UsageError(f"min_severity {level!r} is not one of low, medium, high")
    score = next((s.score for s in result.scores), None)
    return FidelityReport(
        result,
        verdict(
            result.findings,
            score,
            min_severity=level,
            fail_under=floor,
            unverifiable=draft_unverifiable(result),
        ),
    )


def _reviewed(
    result: ComparisonResult, settings: Settings | None, severity: Mapping[str, str] | None
) -> ComparisonResult:
    from fidelity.settings import apply_severity

    overrides = {**(settings.severity if settings else {}), **(severity or {})}
    return apply_severity(result, overrides)


def _config(settings: Settings | None, options: Mapping[str, Any]) -> RunConfig:
    from fidelity.pipeline import RunConfig

    known = {f.name for f in fields(RunConfig)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise UsageError(
            f"unknown option {', '.join(unknown)}; allowed: {', '.join(sorted(known))}"
        )
    converted: dict[str, Any] = {}
    for key, value in options.items():
        if key in ("languages", "source_outlets"):
            converted[key] = tuple(value)
        elif key == "lexicons":
            converted[key] = tuple(Path(p) for p in value)
        elif key == "extra_thresholds":
            converted[key] = dict(value)
        else:
            converted[key] = value
    base = settings.run_config() if settings is not None else RunConfig()
    config = replace(base, **converted)
    if config.pivot not in config.languages:
        config = replace(config, languages=(*config.languages, config.pivot))
    return config


def _as_list(value: ArticleInput | Sequence[ArticleInput]) -> list[ArticleInput]:
    if isinstance(value, str | Path | Article):
        return [value]
    return list(value)


def _is_path(value: ArticleInput) -> bool:
    """A string names a file when it is one line that exists, or looks like a file name."""
    if isinstance(value, Path):
        return True
    if not isinstance(value, str) or "\n" in value or len(value) > 4096:
        return False
    try:
        if Path(value).exists():
            return True
    except OSError:  # a one-line text longer than a file name may be ("File name too long")
        return False
    return bool(_LOOKS_LIKE_PATH.match(value)) and value.lower().endswith(_ARTICLE_SUFFIXES)


def _article(value: ArticleInput, ident: str, config: RunConfig) -> Article:
    read = _articles(value, ident, config)
    if len(read) != 1:
        raise UsageError(f"{ident} must be one article, not {len(read)} (a JSONL corpus?)")
    return read[0]


def _articles(value: ArticleInput, ident: str, config: RunConfig) -> list[Article]:
    from fidelity.load import LoadOptions, article_from_text, load_corpus

    if isinstance(value, Article):
        return [value]
    if _is_path(value):
        path = Path(value)
        if not path.exists():
            raise InputError(str(path), "no such file; check the path (or pass the text itself)")
        corpus = load_corpus([path], LoadOptions(max_bytes=config.max_bytes, pivot=config.pivot))
        if not corpus.articles:
            why = "; ".join(f"{s.origin}: {s.reason}" for s in corpus.skipped)
            raise InputError(str(path), f"nothing readable ({why or 'no articles'})")
        return list(corpus.articles)
    text = str(value)
    if len(text.encode("utf-8")) > config.max_bytes:
        raise InputError(ident, f"the text is larger than {config.max_bytes} bytes")
    return [article_from_text(ident, f"{ident}:text", text)]


def _unique(articles: Iterable[Article]) -> list[Article]:
    """Articles with distinct ids (a repeated id gets ``-2``, ``-3`` …)."""
    seen: set[str] = set()
    out = []
    for article in articles:
        ident, n = article.id, 1
        while ident in seen:
            n += 1
            ident = f"{article.id}-{n}"
        seen.add(ident)
        out.append(article if ident == article.id else replace(article, id=ident))
    return out


__all__ = ["ArticleInput", "FidelityReport", "RunOptions", "check", "compare", "gate"]
