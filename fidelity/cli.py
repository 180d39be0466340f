"""The ``fidelity`` command: parse options into a config, call one library function, render.

Exit codes: 0 ok; 1 the gate found findings at or over its threshold (``check``); 2 usage or
input error (a ``FidelityError``: also a format the command does not write, and a
``--reference`` nothing was compared with); 3 the draft is unverifiable (``check``: nothing of
it could be read in the pivot language); 130 interrupted.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from fidelity import __version__
from fidelity.errors import FidelityError, ReportError, UsageError

if TYPE_CHECKING:
    from fidelity.pipeline import RunConfig
    from fidelity.settings import Settings
    from fidelity.types import ComparisonResult

app = typer.Typer(
    name="fidelity",
    help="Find how retellings of a news story drift from the report they retell.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
log = logging.getLogger("fidelity")


class Format(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"
    md = "md"
    csv = "csv"


class Detector(StrEnum):
    lingua = "lingua"
    langdetect = "langdetect"


class Translator(StrEnum):
    auto = "auto"
    argos = "argos"
    provided = "provided"
    identity = "identity"


class Embedder(StrEnum):
    minilm = "minilm"
    none = "none"


class Engine(StrEnum):
    local = "local"
    dask = "dask"


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fidelity {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each stage.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    _State.quiet = quiet
    _State.verbose = verbose
    # A file name that is not UTF-8 must never crash an output stream: escape what cannot go.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


class _State:
    quiet = False
    verbose = False  # the terminal report ends with the full signature only with -v


# Shared options ---------------------------------------------------------------------------

DetectorOpt = Annotated[Detector, typer.Option(help="Language detector backend.")]
TranslatorOpt = Annotated[
    Translator,
    typer.Option(help="auto: provided translation, else argos, identity for pivot-language text."),
]
EmbedderOpt = Annotated[Embedder, typer.Option(help="Sentence embedder for alignment.")]
PivotOpt = Annotated[str, typer.Option(help="Pivot language everything is compared in.")]
LanguagesOpt = Annotated[
    str, typer.Option(help="Comma-separated candidate languages for detection.")
]
MaxBytesOpt = Annotated[
    int,
    typer.Option(
        min=1,
        help="Refuse files (and JSONL articles) larger than this many bytes; the default "
        "keeps one article's run under two minutes on two cores.",
    ),
]
FollowLinksOpt = Annotated[
    bool,
    typer.Option("--follow-links", help="Follow links in a corpus folder that point outside it."),
]
MAX_BYTES = 300_000  # fidelity.load.DEFAULT_MAX_BYTES, kept here so that --help stays instant
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write caches.")]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format (default: from --out, else terminal)."),
]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write the report to this file.")]
TopOpt = Annotated[
    int | None,
    typer.Option(
        "--top",
        min=1,
        help="Show only the N most severe findings (terminal, md, html, csv); JSON keeps all.",
    ),
]
LexiconOpt = Annotated[
    list[Path] | None, typer.Option("--lexicon", help="Extra lexicon YAML file (repeatable).")
]
JudgeOpt = Annotated[
    bool,
    typer.Option(
        "--judge/--no-judge",
        help="Let the learned consistency judge decide which claims are unsupported (typed "
        "detectors explain; unexplained rejections are meaning_changed). Off by default "
        "while its figures are measured (fidelity/judge/MODEL_CARD.md).",
    ),
]
JobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Worker processes for extraction, alignment and scoring (0: one per CPU; 1: none). "
        "The report is the same with any number.",
    ),
]


def _config(
    detector: Detector,
    translator: Translator,
    embedder: Embedder,
    pivot: str,
    languages: str,
    max_bytes: int,
    no_cache: bool,
    lexicon: list[Path] | None,
    one_story: bool = False,
    jobs: int = 0,
    follow_links: bool = False,
) -> RunConfig:
    from fidelity.pipeline import RunConfig

    langs = tuple(x.strip() for x in languages.split(",") if x.strip())
    if pivot not in langs:
        langs = (*langs, pivot)
    return RunConfig(
        detector=detector.value,
        languages=langs,
        translator=translator.value,
        pivot=pivot,
        embedder=embedder.value,
        one_story=one_story,
        max_bytes=max_bytes,
        use_cache=not no_cache,
        lexicons=tuple(lexicon or ()),
        jobs=jobs,
        follow_links=follow_links,
    )


DEFAULT_LANGS = "en,el,ru,uk,de,fr,es,it,pl,tr"


ConfigFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", help="House rules file (default: fidelity.toml found upward, or pyproject)."
    ),
]


@app.command()
def compare(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    reference: Annotated[
        Path | None, typer.Option(help="Score every other article against this one.")
    ] = None,
    one_story: Annotated[
        bool, typer.Option("--one-story", help="Treat all inputs as one story.")
    ] = False,
    format: FormatOpt = None,
    out: OutOpt = None,
    top: TopOpt = None,
    detector: DetectorOpt = Detector.lingua,
    translator: TranslatorOpt = Translator.auto,
    embedder: EmbedderOpt = Embedder.minilm,
    pivot: PivotOpt = "en",
    languages: LanguagesOpt = DEFAULT_LANGS,
    max_bytes: MaxBytesOpt = MAX_BYTES,
    max_documents: Annotated[
        int,
        typer.Option(
            help="Refuse corpora with more articles than this (the in-process engine; "
            "--engine dask streams a corpus of any size)."
        ),
    ] = 2000,
    no_cache: NoCacheOpt = False,
    lexicon: LexiconOpt = None,
    jobs: JobsOpt = 0,
    judge: JudgeOpt = False,
    source_outlet: Annotated[
        list[str] | None,
        typer.Option(
            "--source-outlet", help="Treat this outlet's articles as sources (repeatable)."
        ),
    ] = None,
    config_file: ConfigFileOpt = None,
    follow_links: FollowLinksOpt = False,
    engine: Annotated[
        Engine,
        typer.Option(
            help="Where the stages run: this process (with --jobs workers), or a Dask cluster."
        ),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Address of a running Dask scheduler (tcp://HOST:8786); without it "
            "--engine dask starts a local cluster."
        ),
    ] = None,
    dask_workers: Annotated[
        int, typer.Option(min=1, help="Worker processes of the local Dask cluster.")
    ] = 2,
    stories_out: Annotated[
        Path | None,
        typer.Option(help="Also write one JSON report per story into this folder."),
    ] = None,
    findings_parquet: Annotated[
        Path | None,
        typer.Option(help="Also write every finding as a row of this Parquet table."),
    ] = None,
) -> None:
    """Compare how several outlets report a story; findings and a fidelity score per outlet."""
    settings = _settings(
        ctx,
        config_file,
        detector=detector,
        translator=translator,
        embedder=embedder,
        pivot=pivot,
        languages=languages,
        lexicon=lexicon,
        source_outlet=source_outlet,
    )
    config = settings.run_config(
        one_story=one_story,
        max_bytes=max_bytes,
        use_cache=not no_cache,
        jobs=jobs,
        max_documents=max_documents,
        follow_links=follow_links,
        engine=engine.value,
        scheduler=scheduler,
        dask_workers=dask_workers,
        judge=judge,
        stories_out=stories_out,
        findings_parquet=findings_parquet,
    )
    inputs = [*paths, *([reference] if reference else []), *settings.lexicons]
    _check_out(out, inputs)
    _check_top(top, format, out)
    if config.engine == "dask" and stories_out is not None:
        _stream(paths, reference, config)  # results go to files as stories finish
        return

    def run() -> ComparisonResult:
        from fidelity.api import require_reference_compared
        from fidelity.pipeline import compare as run_compare
        from fidelity.settings import apply_severity

        with _progress() as say:
            found = run_compare(paths, config, reference=reference, progress=say)
        require_reference_compared(found)  # a reference alone in its story: exit 2, not 0
        return apply_severity(found, settings.severity)

    result = _guard(run)
    _emit(result, format, out, inputs, top=top)


@app.command()
def check(
    ctx: typer.Context,
    draft: Annotated[Path | None, typer.Argument(help="The draft to check.")] = None,
    source: Annotated[
        list[Path] | None, typer.Option("--source", "-s", help="A source article (repeatable).")
    ] = None,
    fail_under: Annotated[
        float | None, typer.Option(help="Also fail when the draft's score is below this.")
    ] = None,
    min_severity: Annotated[
        Severity, typer.Option(help="Fail on findings of at least this severity.")
    ] = Severity.medium,
    batch: Annotated[
        Path | None,
        typer.Option(help='JSONL: {"id", "text", "sources": [...]} per line; writes JSONL.'),
    ] = None,
    format: FormatOpt = None,
    out: OutOpt = None,
    top: TopOpt = None,
    detector: DetectorOpt = Detector.lingua,
    translator: TranslatorOpt = Translator.auto,
    embedder: EmbedderOpt = Embedder.minilm,
    pivot: PivotOpt = "en",
    languages: LanguagesOpt = DEFAULT_LANGS,
    max_bytes: MaxBytesOpt = MAX_BYTES,
    no_cache: NoCacheOpt = False,
    lexicon: LexiconOpt = None,
    jobs: JobsOpt = 0,
    judge: JudgeOpt = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Accepted findings (`fidelity accept`): fail only on findings not in it."
        ),
    ] = None,
    config_file: ConfigFileOpt = None,
    follow_links: FollowLinksOpt = False,
) -> None:
    """Gate a draft before publication: exit 1 when it drifts from its sources.

    With --batch: exit 1 when a line is inconsistent or could not be checked, 2 when no line
    could be checked.
    """
    if fail_under is not None and not math.isfinite(fail_under):
        _fail(UsageError(f"--fail-under takes a score (a number such as 70), not {fail_under}"))
    settings = _settings(
        ctx,
        config_file,
        detector=detector,
        translator=translator,
        embedder=embedder,
        pivot=pivot,
        languages=languages,
        lexicon=lexicon,
        min_severity=min_severity,
        fail_under=fail_under,
        baseline=baseline,
    )
    config = settings.run_config(
        max_bytes=max_bytes,
        use_cache=not no_cache,
        jobs=jobs,
        follow_links=follow_links,
        judge=judge,
    )
    if batch is not None:
        if draft is not None or source:
            _fail(UsageError("--batch takes no DRAFT or --source"))
        if format not in (None, Format.json) or top is not None:
            given = f"--format {format.value}" if format not in (None, Format.json) else "--top"
            _fail(
                UsageError(
                    f"check --batch writes JSON lines (one verdict per input line); {given} "
                    "does not apply: leave it out, or check one draft at a time"
                )
            )
        inputs = [batch, *settings.lexicons]
        _check_out(out, inputs)
        from fidelity.batch import run_batch, summarize

        lines = _guard(
            lambda: run_batch(
                batch, config, min_severity=settings.min_severity, fail_under=settings.fail_under
            )
        )
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        _write_or_print(text, out, inputs)
        summary = summarize(lines)
        if not _State.quiet or summary.all_failed:
            typer.echo(summary.line(), err=True)
        raise typer.Exit(summary.exit_code)
    if draft is None:
        _fail(UsageError("give the DRAFT to check (or --batch FILE)"))
    assert draft is not None
    inputs = [draft, *(source or []), *settings.lexicons]
    _check_out(out, inputs)
    _check_top(top, format, out)

    def run() -> ComparisonResult:
        from fidelity.pipeline import check as run_check

        with _progress() as say:
            return run_check(draft, source or [], config, progress=say)

    result = _guard(run)
    from fidelity.api import gate

    report = _guard(lambda: gate(result, settings=settings))
    outcome = report.verdict
    _emit(report.result, format, out, inputs, top=top)
    if not _State.quiet:
        accepted = len(report.accepted)
        note = f" ({accepted} accepted finding{'s' if accepted != 1 else ''} set aside)"
        typer.echo(f"verdict: {outcome}{note if accepted else ''}", err=True)
    raise typer.Exit({"inconsistent": 1, "unverifiable": 3}.get(outcome or "", 0))


@app.command()
def inspect(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    claims: Annotated[
        bool, typer.Option("--claims", help="Also show the claims, quotes, numbers extracted.")
    ] = False,
    detector: DetectorOpt = Detector.lingua,
    translator: TranslatorOpt = Translator.auto,
    languages: LanguagesOpt = DEFAULT_LANGS,
    max_bytes: MaxBytesOpt = MAX_BYTES,
    pivot: PivotOpt = "en",
    format: Annotated[
        Format | None, typer.Option("--format", "-f", help="terminal, json or md")
    ] = None,
    follow_links: FollowLinksOpt = False,
) -> None:
    """Show what fidelity reads in each file: outlet, encoding, languages, sentences,
    boilerplate."""
    _refuse_format("inspect", format, (Format.terminal, Format.json, Format.md))
    from fidelity.inspect import inspect_paths, render_inspection, render_inspection_markdown

    config = _config(
        detector,
        translator,
        Embedder.none,
        pivot,
        languages,
        max_bytes,
        False,
        None,
        follow_links=follow_links,
    )
    report = _guard(lambda: inspect_paths(paths, config, with_claims=claims))
    if format == Format.json:
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2)
        _to_stdout(lambda: sys.stdout.write(text + "\n"))
    elif format == Format.md:
        markdown = render_inspection_markdown(report)
        _to_stdout(lambda: sys.stdout.write(markdown))
    else:
        _print_rich(render_inspection(report))


@app.command(name="eval")
def evaluate(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder of labelled story clusters (annotations.yaml), or of topic folders "
            "labelled for story grouping (stories.yaml); or the word `consistency`."
        ),
    ],
    target: Annotated[
        Path | None,
        typer.Argument(help="After `consistency`: a consistency JSON file or folder of them."),
    ] = None,
    format: Annotated[
        Format | None, typer.Option("--format", "-f", help="terminal or json")
    ] = None,
    embedder: EmbedderOpt = Embedder.minilm,
    no_cache: NoCacheOpt = False,
    folds: Annotated[
        Path | None,
        typer.Option(
            "--folds",
            help="consistency: a lodo.json or a folder of fold runs (LODO table; default: the"
            " shipped judge's weights/lodo.json).",
        ),
    ] = None,
    judge: JudgeOpt = False,
    cases: Annotated[
        bool,
        typer.Option(
            "--cases",
            help="Also list every case that went wrong: missed labels, findings no label "
            "expected, faithful passages flagged (JSON always has them under `cases`).",
        ),
    ] = False,
) -> None:
    """Precision, recall and F1 per category on a labelled evaluation set; on a story set
    (topic folders with stories.yaml), B-cubed precision, recall and F1 of story grouping;
    `eval consistency FILE_OR_DIR`: the learned judge's balanced accuracy, AUC, recall per edit
    type, and the leave-one-domain-out table of the fold runs."""
    _refuse_format("eval", format, (Format.terminal, Format.json))
    if str(folder) == "consistency" and target is not None:
        from fidelity.judge.evaluate import run_consistency_eval

        text = _guard(lambda: run_consistency_eval(target, folds, as_json=format == Format.json))
        _to_stdout(lambda: sys.stdout.write(text + "\n"))
        return
    from fidelity.evaluate import evaluate_folder, render_evaluation
    from fidelity.evaluate_stories import evaluate_stories, is_story_set, render_story_evaluation
    from fidelity.pipeline import RunConfig

    config = RunConfig(embedder=embedder.value, use_cache=not no_cache, judge=judge)
    if is_story_set(folder):
        stories = _guard(lambda: evaluate_stories(folder, config))
        if format == Format.json:
            text = json.dumps(stories.as_json(), ensure_ascii=False, indent=2)
            _to_stdout(lambda: sys.stdout.write(text + "\n"))
        else:
            _print_rich(render_story_evaluation(stories))
        return
    report = _guard(lambda: evaluate_folder(folder, config))
    if format == Format.json:
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2)
        _to_stdout(lambda: sys.stdout.write(text + "\n"))
    else:
        _print_rich(render_evaluation(report, cases=cases))


@app.command()
def accept(
    finding_id: Annotated[
        str, typer.Argument(help="The finding's id (or fingerprint, or a unique prefix).")
    ],
    reason: Annotated[str, typer.Option(help="Why the finding is accepted (required).")],
    report: Annotated[
        Path,
        typer.Option(help="The JSON report the finding is in (`fidelity check … -o report.json`)."),
    ],
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Baseline file (default: the house rules', else .fidelity-baseline.json)."
        ),
    ] = None,
    config_file: ConfigFileOpt = None,
) -> None:
    """Accept a finding: record it in the baseline so that `check --baseline` no longer fails
    on it (it survives unrelated edits of the draft)."""
    from fidelity.baseline import (
        DEFAULT_BASELINE,
        entry_for_finding,
        finding_in_report,
        load_baseline,
        save_baseline,
    )
    from fidelity.settings import load_settings

    if not reason.strip():
        _fail(UsageError('give the reason the finding is accepted: --reason "…"'))
    settings = _guard(lambda: load_settings(config_file))
    target = baseline or settings.baseline or Path(DEFAULT_BASELINE)

    def run() -> str:
        found = finding_in_report(report, finding_id)
        entry = entry_for_finding(found, reason)
        save_baseline(load_baseline(target).with_entry(entry), target)
        what = f"{entry.category}, finding {entry.finding_id}"
        return f"accepted {entry.fingerprint} ({what}) in {target}"

    message = _guard(run)
    if not _State.quiet:
        typer.echo(message, err=True)


@app.command()
def outlets(
    results: Annotated[list[Path], typer.Argument(help="Saved JSON reports (or folders of them).")],
    format: Annotated[
        Format | None, typer.Option("--format", "-f", help="terminal, json or html")
    ] = None,
    out: OutOpt = None,
) -> None:
    """Per-outlet scores and finding counts across many saved JSON results."""
    from fidelity.outlets import outlets_from_files, render_outlets_html, render_outlets_text

    report = _guard(lambda: outlets_from_files(results))
    if format is None:
        format = (
            Format.html if out is not None and out.suffix.lower() in (".html", ".htm") else None
        )
    if format == Format.html:
        _write_or_print(render_outlets_html(report), out)
    elif format == Format.json:
        _write_or_print(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n", out)
    elif format in (None, Format.terminal):
        _write_or_print(render_outlets_text(report), out)
    else:
        _fail(UsageError(f"outlets writes terminal, json or html, not {format.value}"))


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to bind; other than loopback needs a --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(envvar="FIDELITY_TOKEN", help="Require this token on every request."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Baseline the page's Accept buttons write (default: .fidelity-baseline.json)."
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Checks run at once (each worker loads its own models).")
    ] = 1,
    queue: Annotated[int, typer.Option(min=0, help="Requests that may wait; more get 503.")] = 8,
    max_request_bytes: Annotated[
        int, typer.Option(min=1, help="Larger requests get 413.")
    ] = 2_000_000,
    max_articles: Annotated[
        int, typer.Option(min=2, help="More sources (or articles) per request get 413.")
    ] = 20,
    detector: DetectorOpt = Detector.lingua,
    translator: TranslatorOpt = Translator.auto,
    embedder: EmbedderOpt = Embedder.minilm,
    pivot: PivotOpt = "en",
    languages: LanguagesOpt = DEFAULT_LANGS,
    no_cache: NoCacheOpt = False,
    lexicon: LexiconOpt = None,
    config_file: ConfigFileOpt = None,
) -> None:
    """The editor's desk: a local web page and JSON API (POST /v1/check, /v1/compare; GET
    /v1/health; OpenAPI at /openapi.json, endpoints at /docs). Models load once, at start."""
    if host not in _LOOPBACK and not token:
        _fail(
            UsageError(
                f"binding {host} (not loopback) needs a token: give --token or set FIDELITY_TOKEN"
            )
        )
    settings = _settings(
        ctx,
        config_file,
        detector=detector,
        translator=translator,
        embedder=embedder,
        pivot=pivot,
        languages=languages,
        lexicon=lexicon,
        baseline=baseline,
    )
    from fidelity.baseline import DEFAULT_BASELINE

    try:
        import uvicorn

        from fidelity.serve.app import ServeOptions, create_app
    except ImportError as error:  # pragma: no cover - a dependency of the package
        _fail(UsageError(f"fidelity serve needs FastAPI and uvicorn ({error}); pip install them"))
    options = ServeOptions(
        config=settings.run_config(use_cache=not no_cache, jobs=1),
        settings=settings,
        baseline=settings.baseline or Path(DEFAULT_BASELINE),
        token=token,
        max_request_bytes=max_request_bytes,
        max_articles=max_articles,
        workers=workers,
        queue=queue,
    )
    if not _State.quiet:
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"loading models, then serving on http://{shown}:{port}/", err=True)
    try:
        uvicorn.run(create_app(options), host=host, port=port, log_level="warning")
    except FidelityError as exc:
        _fail(exc)


config_app = typer.Typer(
    help="House rules (fidelity.toml): show the effective settings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(config_file: ConfigFileOpt = None) -> None:
    """Print the effective settings and where each came from (default, file:line, $FIDELITY_…)."""
    from fidelity.settings import load_settings, threshold_defaults

    settings = _guard(lambda: load_settings(config_file))
    rows = [("setting", "value", "from"), *settings.effective(threshold_defaults())]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    typer.echo(f"settings file: {settings.file or '(none found)'}")
    for name, value, origin in rows:
        typer.echo(f"{name.ljust(widths[0])}  {value.ljust(widths[1])}  {origin}")


def _mount_models() -> None:
    try:
        from fidelity.cli_models import models_app
    except ImportError:  # pragma: no cover - the sub-app ships with the package
        return
    app.add_typer(models_app, name="models", help="Install, list and remove translation models.")


_mount_models()


# Helpers -----------------------------------------------------------------------------------


class _progress:
    """On a terminal, a progress line per stage on stderr (a stage is done when the next one
    starts); nothing when stderr is not a terminal or with --quiet."""

    def __enter__(self) -> Any:
        self._bars: Any = None
        self._task: Any = None
        if not _State.quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bars = Progress(
                SpinnerColumn(finished_text="✓"),
                TextColumn("{task.description:<18}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._bars.start()

        def say(stage: str) -> None:
            if self._bars is None:
                return
            self._finish()
            self._task = self._bars.add_task(stage, total=None)

        return say

    def _finish(self) -> None:
        if self._task is not None:
            self._bars.update(self._task, total=1, completed=1)
            self._task = None

    def __exit__(self, *exc: object) -> None:
        if self._bars is not None:
            self._finish()
            self._bars.stop()


def _refuse_format(command: str, fmt: Format | None, allowed: tuple[Format, ...]) -> None:
    """A format a command does not write is exit 2 with the ones it does, never another one."""
    if fmt is None or fmt in allowed:
        return
    names = ", ".join(f.value for f in allowed[:-1]) + f" or {allowed[-1].value}"
    _fail(UsageError(f"{command} writes {names}, not {fmt.value}; choose one of those"))


def _check_top(top: int | None, fmt: Format | None, out: Path | None) -> None:
    """--top limits what people read; the canonical JSON always holds every finding."""
    if top is None:
        return
    is_json = fmt == Format.json or (fmt is None and out is not None and out.suffix == ".json")
    if is_json:
        _fail(
            UsageError(
                "--top does not apply to JSON, which holds every finding; use it with "
                "--format terminal, md, html or csv"
            )
        )


def _stream(paths: list[Path], reference: Path | None, config: Any) -> None:
    """``compare --engine dask --stories-out``: stream the shards; say what was written."""
    from fidelity.stream import stream_compare, summary_text

    if reference is not None:
        _fail(UsageError("--reference is not streamed: leave out --stories-out to use it"))
    with _progress() as say:
        summary = _guard(
            lambda: stream_compare(
                paths,
                config,
                scheduler=config.scheduler,
                workers=config.dask_workers,
                progress=say,
            )
        )
    typer.echo(summary_text(summary))


def _guard(fn: Any) -> Any:
    try:
        return fn()
    except FidelityError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None


def _fail(exc: FidelityError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


def _check_out(out: Path | None, inputs: list[Path]) -> None:
    """Refuse a bad --out before the run, not after minutes of work."""
    if out is None:
        return
    from fidelity.report.output import check_output_path

    _guard(lambda: check_output_path(out, inputs))


def _to_stdout(write: Callable[[], object]) -> None:
    """Write to stdout and flush; a full disk or a closed pipe is one line and exit 2."""
    try:
        write()
        sys.stdout.flush()
    except OSError as exc:
        # Whatever is still buffered would fail again at exit: send it nowhere.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        _fail(ReportError(f"cannot write to standard output ({exc.strerror or exc})"))


def _emit(
    result: ComparisonResult,
    fmt: Format | None,
    out: Path | None,
    inputs: list[Path],
    *,
    top: int | None = None,
) -> None:
    """Render in the format asked (or the one --out's suffix names). ``-v`` adds the signature
    block and shows long passages whole; ``top`` keeps the most severe findings."""
    from fidelity import report
    from fidelity.report.csv_report import render_csv

    verbose = _State.verbose

    if fmt is None:
        if out is None:
            fmt = Format.terminal
        elif out.suffix.lower() == ".csv":
            fmt = Format.csv
        else:
            inferred = _guard(lambda: report.format_for_path(out))
            fmt = Format.terminal if inferred == "txt" else Format(inferred)
    if fmt == Format.terminal and out is None:
        if sys.stdout.isatty():
            _print_rich(report.render_terminal(result, signature=verbose, full=verbose, top=top))
        else:
            text = report.render_text(result, signature=verbose, full=verbose, top=top)
            _to_stdout(lambda: sys.stdout.write(text))
        return
    renderers: dict[Format, Callable[[ComparisonResult], str | Iterable[str]]] = {
        Format.json: report.iter_json,  # in pieces: the report of a 5 MB article is large
        Format.html: lambda r: report.render_html(r, top=top, signature=verbose),
        Format.md: lambda r: report.render_markdown(r, top=top, signature=verbose),
        Format.terminal: lambda r: report.render_text(r, signature=verbose, full=verbose, top=top),
        Format.csv: lambda r: render_csv(r, top=top),
    }
    _write_or_print(renderers[fmt](result), out, inputs)


def _given(ctx: typer.Context, name: str) -> bool:
    """Whether an option was given on the command line (not left at its default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT", "PROMPT")


# option name -> setting name (fidelity/settings.py)
_SETTING_OF = {
    "detector": "detector",
    "translator": "translator",
    "embedder": "embedder",
    "pivot": "pivot",
    "languages": "languages",
    "lexicon": "lexicons",
    "source_outlet": "source_outlets",
    "min_severity": "min_severity",
    "fail_under": "fail_under",
    "baseline": "baseline",
}


def _settings(ctx: typer.Context, config_file: Path | None, **options: Any) -> Settings:
    """House rules (file < FIDELITY_* environment < the flags given here)."""
    from fidelity.settings import load_settings

    flags: dict[str, Any] = {}
    for name, value in options.items():
        if value is None or not _given(ctx, name):
            continue
        if isinstance(value, StrEnum):
            value = value.value
        if name == "languages":
            value = tuple(x.strip() for x in str(value).split(",") if x.strip())
        elif name in ("lexicon", "source_outlet"):
            value = tuple(value)
        flags[_SETTING_OF[name]] = value
    loaded: Settings = _guard(lambda: load_settings(config_file, flags=flags))
    return loaded


def _write_or_print(
    text: str | Iterable[str], out: Path | None, inputs: list[Path] | None = None
) -> None:
    if out is None:
        if isinstance(text, str):
            body = text if text.endswith("\n") else text + "\n"
            _to_stdout(lambda: sys.stdout.write(body))
        else:
            _to_stdout(lambda: sys.stdout.writelines(text))  # iter_json's pieces end with \n
        return
    from fidelity.report import write_report

    _guard(lambda: write_report(text, out, inputs=inputs or []))
    if not _State.quiet:
        typer.echo(f"wrote {out}", err=True)


def _print_rich(renderable: Any) -> None:
    from rich.console import Console

    _to_stdout(lambda: Console(soft_wrap=False).print(renderable))


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
