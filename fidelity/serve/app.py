"""The editor's desk as a local web app and JSON API (FastAPI on uvicorn).

Models load once, when the app starts, in the worker threads that run every check; requests
wait in a bounded queue (503 when it is full). Every request is checked for size (413), article
count (413) and shape (422 naming the field); a token, when one is set, is required on every
route but ``/v1/health`` (401). Nothing here touches the network.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fidelity import __version__
from fidelity.errors import FidelityError
from fidelity.types import Article, ComparisonResult

log = logging.getLogger(__name__)
T = TypeVar("T")

# ---------------------------------------------------------------------------------- options


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How the desk runs: the run config, house rules, limits and the access token."""

    config: Any = None  # RunConfig (default: RunConfig() with jobs=1)
    settings: Any = None  # Settings: severity per category, gate
    baseline: Path = Path(".fidelity-baseline.json")
    token: str | None = None
    max_request_bytes: int = 2_000_000
    max_articles: int = 20  # sources of a check, articles of a compare
    workers: int = 1  # threads that run checks, each with its own warm models
    queue: int = 8  # requests that may wait for a worker; more get 503
    kept_reports: int = 32  # rendered reports kept for the page's report frame


# ---------------------------------------------------------------------------------- requests


class ArticleIn(BaseModel):
    """One article: its text and what is known about it."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="The article's text (Markdown or plain).")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None


class GateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_severity: Literal["low", "medium", "high"] | None = None
    fail_under: float | None = Field(default=None, ge=0, le=100)
    severity: dict[str, Literal["low", "medium", "high"]] = Field(default_factory=dict)


class CheckIn(BaseModel):
    """A draft and its sources."""

    model_config = ConfigDict(extra="forbid")
    draft: ArticleIn
    sources: list[ArticleIn] = Field(min_length=1)
    gate: GateIn = Field(default_factory=GateIn)
    use_baseline: bool = Field(True, description="Set aside findings the baseline accepted.")
    html: bool = Field(False, description="Also return the HTML report (and a link to it).")


class CompareIn(BaseModel):
    """Articles of one story, optionally with a reference."""

    model_config = ConfigDict(extra="forbid")
    articles: list[ArticleIn] = Field(min_length=2)
    reference: int | None = Field(None, ge=0, description="Index of the reference article.")
    one_story: bool = True
    html: bool = False


class AcceptIn(BaseModel):
    """Accept a finding of a report this server made: it is written to the baseline."""

    model_config = ConfigDict(extra="forbid")
    report_id: str = Field(min_length=1)
    finding: str = Field(min_length=1, description="The finding's id or fingerprint.")
    reason: str = Field(min_length=1, pattern=r"\S")


# ---------------------------------------------------------------------------------- the desk


class Busy(Exception):
    """Every worker is busy and the queue is full."""


@dataclass
class Desk:
    """Worker threads with warm models, a bounded queue, and the reports the page shows."""

    options: ServeOptions
    executor: ThreadPoolExecutor = field(init=False)
    local: threading.local = field(default_factory=threading.local)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pending: int = 0
    reports: OrderedDict[str, tuple[ComparisonResult, str | None]] = field(
        default_factory=OrderedDict
    )
    backend_names: dict[str, str] = field(default_factory=dict)
    baseline_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.executor = ThreadPoolExecutor(
            max_workers=self.options.workers, thread_name_prefix="fidelity-desk"
        )

    @property
    def limit(self) -> int:
        return self.options.workers + self.options.queue

    def start(self) -> None:
        """Build each worker's backends now (the models load once, before the first request)."""
        barrier = threading.Barrier(self.options.workers)

        def warm() -> None:
            self.warm_up(self.backends())
            barrier.wait(timeout=600)

        for future in [self.executor.submit(warm) for _ in range(self.options.workers)]:
            future.result()

    def warm_up(self, backends: Any) -> None:
        """One small check, uncached, so that every model a check uses is loaded now (the
        detector's language models and the embedder load on first use) and not in the first
        editor's request."""
        from fidelity.load import article_from_text
        from fidelity.pipeline import check_articles

        draft = "The minister said on Monday that 40 people had been hurt in the flooding."
        source = "The minister said on Monday that 30 people had been hurt in the flooding."
        articles = [
            replace(article_from_text("warm-draft", "warm-up", draft), role="derived"),
            replace(article_from_text("warm-source", "warm-up", source), role="source"),
        ]
        try:
            check_articles(
                articles, replace(self.options.config, use_cache=False), backends=backends
            )
        except FidelityError as error:  # the first real request will say what is wrong
            log.warning("warm-up check failed: %s", error)

    def backends(self) -> Any:
        backends = getattr(self.local, "backends", None)
        if backends is None:
            from fidelity.pipeline import build_backends

            backends = build_backends(self.options.config)
            self.local.backends = backends
            self.backend_names.update(
                detector=backends.detector.name,
                translator=backends.translator.name,
                embedder=backends.embedder.name if backends.embedder is not None else "none",
            )
        return backends

    async def run(self, work: Callable[[], T]) -> T:
        with self.lock:
            if self.pending >= self.limit:
                raise Busy
            self.pending += 1
        try:
            return await asyncio.wrap_future(self.executor.submit(work))
        finally:
            with self.lock:
                self.pending -= 1

    def keep(self, result: ComparisonResult, html: str | None) -> str:
        report_id = secrets.token_urlsafe(12)
        with self.lock:
            self.reports[report_id] = (result, html)
            while len(self.reports) > self.options.kept_reports:
                self.reports.popitem(last=False)
        return report_id

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------------------------- helpers


def _article(item: ArticleIn, ident: str, role: str) -> Article:
    from fidelity.load import article_from_text

    meta = {k: v for k, v in item.model_dump().items() if k != "text" and v is not None and v != ""}
    meta["role"] = role
    return article_from_text(ident, ident, item.text, meta)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": message, **extra}, status_code=status)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p != "body"]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


def _summary(result: ComparisonResult, verdict: str | None, report_id: str) -> dict[str, Any]:
    from fidelity.baseline import finding_fingerprint
    from fidelity.report import to_document

    document = to_document(result)
    prints = {f.id: finding_fingerprint(f) for f in result.findings}
    for finding in document["findings"]:
        finding["fingerprint"] = prints.get(finding["id"])
    return {
        "report_id": report_id,
        "verdict": verdict,
        "score": next((s.score for s in result.scores), None) if verdict else None,
        "findings": document["findings"],
        "accepted": document.get("accepted", []),
        "report": document,
    }


def _authorised(request: Request, token: str) -> bool:
    given = request.headers.get("x-fidelity-token") or ""
    bearer = request.headers.get("authorization", "")
    if bearer.lower().startswith("bearer "):
        given = given or bearer[7:].strip()
    given = given or request.query_params.get("token", "")
    return hmac.compare_digest(given.encode(), token.encode())


def _asset(name: str) -> str:
    return resources.files("fidelity.serve").joinpath(name).read_text("utf-8")


_DOCS = """<!doctype html><html lang=en><head><meta charset=utf-8><title>fidelity API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}
code{background:#f3f3f3;padding:0 .2em}</style></head><body><h1>fidelity API</h1>
<p>The OpenAPI description is at <a href="openapi.json">/openapi.json</a> (load it in any
OpenAPI viewer). Endpoints:</p><ul>%s</ul></body></html>"""


# ---------------------------------------------------------------------------------- the app


def create_app(options: ServeOptions | None = None) -> FastAPI:
    """The web app: the page at ``/``, the API under ``/v1``, OpenAPI at ``/openapi.json``.

    The models load when the app starts (its lifespan), not on import.
    """
    from fidelity.pipeline import RunConfig

    chosen = options or ServeOptions()
    if chosen.config is None:
        chosen = replace(chosen, config=RunConfig(jobs=1))
    return _build(chosen)


def _build(options: ServeOptions) -> FastAPI:
    desk = Desk(options)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await asyncio.get_running_loop().run_in_executor(None, desk.start)
        try:
            yield
        finally:
            desk.shutdown()

    app = FastAPI(
        title="fidelity",
        version=__version__,
        description="Check a draft against its sources; compare outlets' wording of a story.",
        docs_url=None,  # the stock docs load scripts from a CDN; /docs below is self-contained
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.desk = desk

    app.add_middleware(_Guard, options=options)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": _field(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
            for e in error.errors()
        ]
        first = problems[0] if problems else {"field": "body", "message": "invalid"}
        return _error(422, f"{first['field']}: {first['message']}", errors=problems)

    @app.exception_handler(FidelityError)
    async def refused(_: Request, error: FidelityError) -> JSONResponse:
        return _error(422, str(error))

    @app.exception_handler(Busy)
    async def busy(_: Request, __: Busy) -> JSONResponse:
        return _error(
            503,
            f"all {options.workers} workers are busy and {options.queue} requests are "
            "waiting; try again shortly",
        )

    @app.exception_handler(Exception)
    async def crashed(_: Request, error: Exception) -> JSONResponse:
        log.exception("request failed")
        return _error(500, "internal error; see the server's log")

    def too_many(count: int, what: str) -> JSONResponse | None:
        if count > options.max_articles:
            return _error(
                413, f"{count} {what} is over the limit of {options.max_articles} per request"
            )
        return None

    @app.get("/v1/health")
    async def health() -> dict[str, Any]:
        """Whether the models are loaded, and how busy the workers are."""
        return {
            "status": "ok" if desk.backend_names else "starting",
            "version": __version__,
            "models": desk.backend_names,
            "workers": options.workers,
            "pending": desk.pending,
            "limit": desk.limit,
        }

    @app.post("/v1/check")
    async def check(body: CheckIn) -> Any:
        """Check a draft against its sources; the verdict, the findings and the report."""
        if (refusal := too_many(len(body.sources), "sources")) is not None:
            return refusal

        def work() -> tuple[ComparisonResult, str | None, str | None]:
            from fidelity.api import gate
            from fidelity.pipeline import check_articles

            articles = [_article(body.draft, "draft", "derived")]
            articles += [
                _article(s, f"source-{n}", "source") for n, s in enumerate(body.sources, 1)
            ]
            result = check_articles(articles, options.config, backends=desk.backends())
            with desk.baseline_lock:
                rules = options.settings
                if rules is not None and not body.use_baseline:
                    rules = replace(rules, baseline=None)
                report = gate(
                    result,
                    settings=rules,
                    baseline=options.baseline if body.use_baseline else None,
                    min_severity=body.gate.min_severity,
                    fail_under=body.gate.fail_under,
                    severity=body.gate.severity or None,
                )
            html = report.to_html() if body.html else None
            return report.result, report.verdict, html

        result, verdict, html = await desk.run(work)
        report_id = desk.keep(result, html)
        out = _summary(result, verdict, report_id)
        if html is not None:
            out["html"] = html
            out["html_url"] = f"/v1/reports/{report_id}"
        return out

    @app.post("/v1/compare")
    async def compare(body: CompareIn) -> Any:
        """Compare articles of one story: findings and a score per outlet."""
        if (refusal := too_many(len(body.articles), "articles")) is not None:
            return refusal
        if body.reference is not None and body.reference >= len(body.articles):
            return _error(422, f"reference: {body.reference} is not an index of articles")

        def work() -> tuple[ComparisonResult, str | None]:
            from fidelity.api import _reviewed
            from fidelity.pipeline import compare_articles

            articles = [
                _article(a, f"article-{n}", "source" if n - 1 == body.reference else "derived")
                for n, a in enumerate(body.articles, 1)
            ]
            if body.reference is None:
                articles = [replace(a, role=None) for a in articles]
            config = replace(options.config, one_story=body.one_story)
            result = compare_articles(
                articles,
                config,
                reference_id=articles[body.reference].id if body.reference is not None else None,
                backends=desk.backends(),
            )
            result = _reviewed(result, options.settings, None)
            from fidelity.report import render_html

            return result, render_html(result) if body.html else None

        result, html = await desk.run(work)
        report_id = desk.keep(result, html)
        out = _summary(result, None, report_id)
        out["scores"] = out["report"]["scores"]
        if html is not None:
            out["html"] = html
            out["html_url"] = f"/v1/reports/{report_id}"
        return out

    @app.post("/v1/accept")
    async def accept(body: AcceptIn) -> Any:
        """Accept a finding of a report: record it, with the reason, in the baseline file."""
        from fidelity.baseline import (
            entry_for_finding,
            finding_fingerprint,
            load_baseline,
            save_baseline,
        )

        kept = desk.reports.get(body.report_id)
        if kept is None:
            return _error(404, "no such report (reports are kept for the latest checks only)")
        result = kept[0]
        finding = next(
            (f for f in result.findings if body.finding in (f.id, finding_fingerprint(f))),
            None,
        )
        if finding is None:
            return _error(404, f"no finding {body.finding!r} in report {body.report_id}")
        entry = entry_for_finding(
            finding, body.reason, outlet=_outlet(result, finding.derived.article_id)
        )

        def write() -> None:
            with desk.baseline_lock:
                save_baseline(load_baseline(options.baseline).with_entry(entry), options.baseline)

        await asyncio.get_running_loop().run_in_executor(None, write)
        return {"accepted": entry.as_json(), "baseline": str(options.baseline)}

    @app.get("/v1/reports/{report_id}", response_class=HTMLResponse)
    async def report_page(report_id: str) -> Response:
        """The HTML report of a recent check or comparison made with ``html: true``."""
        kept = desk.reports.get(report_id)
        if kept is None or kept[1] is None:
            return _error(404, "no such report (reports are kept for the latest checks only)")
        return HTMLResponse(kept[1])

    page_headers = {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'none'; "
            "base-uri 'none'"
        )
    }

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(_asset("page.html"), headers=page_headers)

    @app.get("/page.js", include_in_schema=False)
    async def page_script() -> Response:
        return Response(_asset("page.js"), media_type="text/javascript", headers=page_headers)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        import html as html_escape

        items = []
        for path, methods in app.openapi().get("paths", {}).items():
            for method, spec in methods.items():
                summary = html_escape.escape(str(spec.get("description") or spec.get("summary")))
                items.append(f"<li><code>{method.upper()} {path}</code>: {summary}</li>")
        return HTMLResponse(_DOCS % "".join(items))

    return app


class _Guard:
    """ASGI middleware: the token (401), then the request size (413), read with a cap so that
    an oversized body (declared or chunked) is refused without being held whole."""

    def __init__(self, app: ASGIApp, options: ServeOptions) -> None:
        self.app = app
        self.options = options

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = self.options.token
        if token and request.url.path != "/v1/health" and not _authorised(request, token):
            await _error(
                401,
                "this server needs its token: send 'Authorization: Bearer TOKEN' "
                "(or ?token=TOKEN for the page)",
            )(scope, receive, send)
            return
        if request.method != "POST":
            await self.app(scope, receive, send)
            return
        limit = self.options.max_request_bytes
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await _error(413, f"the request is {length} bytes; the limit is {limit} bytes")(
                scope, receive, send
            )
            return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > limit:
                await _error(413, f"the request is over {limit} bytes; the limit is {limit} bytes")(
                    scope, receive, send
                )
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _outlet(result: ComparisonResult, article_id: str) -> str:
    for extracted in result.articles:
        if extracted.article.id == article_id:
            return extracted.article.label
    return article_id


__all__ = ["ServeOptions", "create_app"]
