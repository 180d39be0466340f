"""Stage 1, load: files and folders in, ``Article`` objects out.

Reads ``.txt``, ``.md`` (YAML front matter), ``.html``/``.htm`` (main content via trafilatura)
and ``.jsonl`` / ``.parquet`` corpora (``shards.py`` also reads them a batch at a time);
decodes any common encoding; finds boilerplate (kept as spans); attaches metadata sidecars
(``name.meta.yaml``) and user-provided translations (``name.en.md`` beside ``name.el.md``, or
``translation:`` in front matter). One bad file never loses the others: it becomes a
``Skipped`` entry with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fidelity.errors import InputError
from fidelity.load.boilerplate import find_boilerplate
from fidelity.load.decode import Decoding, decode_text
from fidelity.load.files import display_path, read_bounded, walk_folder
from fidelity.load.metadata import article_metadata
from fidelity.plaindata import parse_json, parse_yaml
from fidelity.types import Article, Corpus, Skipped, Span

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".parquet")
# What runs in under two minutes on two cores (bench/bench_big_article.py, README).
DEFAULT_MAX_BYTES = 300_000
# A .jsonl corpus holds many articles: its own bound, each record still under max_bytes.
DEFAULT_MAX_CORPUS_BYTES = 200_000_000
SIDECAR_MAX_BYTES = 1_000_000
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_FRONT_KEY = re.compile(rb"^(encoding|language)[ \t]*:[ \t]*[\"']?([A-Za-z0-9_.-]+)", re.M)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
_LANG_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_META_KEYS = (
    "outlet",
    "site",
    "url",
    "published",
    "language",
    "role",
    "title",
    "translation",
    "translation_of",
)


@dataclass(frozen=True, slots=True)
class LoadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    pivot: str = "en"  # language of translation sidecars
    follow_links: bool = False  # follow links in a folder that point outside it
    max_corpus_bytes: int = DEFAULT_MAX_CORPUS_BYTES  # a whole .jsonl file


def load_corpus(paths: Sequence[str | Path], options: LoadOptions | None = None) -> Corpus:
    """Read every article under ``paths``.

    Args:
        paths: files and/or folders (folders are searched recursively for known suffixes).
        options: size limit and pivot language for translation sidecars.

    Returns:
        The articles read and the inputs skipped, with reasons.

    Folders are walked for regular files only: a FIFO, device or socket, a broken link, or a
    link to outside the folder (unless ``options.follow_links``) is skipped with a note. A
    named path that is not a regular file or folder is an error.

    Raises:
        InputError: a named path does not exist or is a special file, or nothing readable
            was found at all.
    """
    options = options or LoadOptions()
    files: list[Path] = []
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        origin = display_path(raw)
        if not path.exists():
            raise InputError(origin, "no such file or folder; check the path")
        if path.is_dir():
            listing = walk_folder(path, SUFFIXES, follow_links=options.follow_links)
            skipped.extend(Skipped(where, why) for where, why in listing.notes)
            if not listing.files:
                notes = "".join(f"; {where}: {why}" for where, why in listing.notes)
                raise InputError(
                    origin, f"the folder holds no article files ({', '.join(SUFFIXES)}){notes}"
                )
            files.extend(listing.files)
        elif not path.is_file():
            read_bounded(path, options.max_bytes)  # raises, naming what the path is
        else:
            files.append(path)

    articles: list[Article] = []
    translations = _translation_sidecars(files, options.pivot)
    for path in files:
        if path in translations.values():
            continue  # read as the translation of its sibling
        try:
            found, bad_lines = _read_one(path, options)
        except InputError as exc:
            skipped.append(Skipped(exc.origin, exc.reason))
            continue
        skipped.extend(bad_lines)
        for article in found:
            sidecar = translations.get(path)
            if sidecar is not None and article.translation is None:
                try:
                    article = _attach_translation(article, sidecar, options)
                except InputError as exc:
                    skipped.append(Skipped(exc.origin, exc.reason))
            articles.append(article)
    if not articles:
        # one message with every reason, rather than a warning per file and then an error
        reasons = "; ".join(f"{s.origin}: {s.reason}" for s in skipped) or "no input"
        raise InputError(
            ", ".join(display_path(p) for p in paths), f"no readable article ({reasons})"
        )
    for item in skipped:
        log.warning("skipped %s: %s", item.origin, item.reason)
    return Corpus(tuple(unique_ids(articles)), tuple(skipped))


def read_file(path: Path, options: LoadOptions | None = None) -> list[Article]:
    """Read one file into one article (or several, for ``.jsonl``).

    A ``.jsonl`` line that is malformed is logged and passed over; the file is an error only
    when no line is good.

    Raises:
        InputError: the file is unreadable, too large, empty, binary or malformed.
    """
    articles, bad_lines = _read_one(path, options or LoadOptions())
    for item in bad_lines:
        log.warning("skipped %s: %s", item.origin, item.reason)
    return articles


def _read_one(path: Path, options: LoadOptions) -> tuple[list[Article], list[Skipped]]:
    """The articles of one file, and for ``.jsonl`` the lines passed over."""
    origin = display_path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(origin, f"unknown file type {suffix!r}; use one of {', '.join(SUFFIXES)}")
    if suffix == ".parquet":
        from fidelity.load.shards import read_parquet

        if not path.is_file():
            read_bounded(path, 0)  # raises, naming what the path is
        size = path.stat().st_size
        if size > options.max_corpus_bytes:
            raise InputError(
                origin, f"{size:,} bytes, over the {options.max_corpus_bytes:,} corpus limit"
            )
        return read_parquet(path, options)
    limit = options.max_corpus_bytes if suffix == ".jsonl" else options.max_bytes
    data = read_bounded(path, limit)
    if suffix == ".jsonl":
        return _read_jsonl(data, origin, options)
    meta = _sidecar_meta(path)
    declared, language = _declared(data, suffix)
    decoding = decode_text(
        data,
        origin,
        declared=declared or _str(meta.get("encoding")),
        language=language or _str(meta.get("language")),
    )
    text = decoding.text
    if suffix in (".md", ".markdown"):
        front, text = _split_front_matter(text, origin)
        meta = {**meta, **front}
        body_meta: dict[str, Any] = {}
    elif suffix in (".html", ".htm"):
        text, body_meta = _extract_html(text, origin)
    else:
        body_meta = {}
    meta = {**body_meta, **meta, **_decoding_meta(decoding)}
    article = _make_article(_article_id(path), origin, text, decoding.encoding, meta)
    sidecar = _pivot_sidecar(path, options.pivot)
    if sidecar is not None and article.translation is None:
        # the same pairing a folder gets, for a file named on its own (check's draft too)
        try:
            article = _attach_translation(article, sidecar, options)
        except InputError as exc:
            log.warning("translation %s not used: %s", exc.origin, exc.reason)
    return [article], []


def _declared(data: bytes, suffix: str) -> tuple[str | None, str | None]:
    """The encoding and language a file declares in its first bytes (HTML, front matter)."""
    head = data[:4096]
    if suffix in (".html", ".htm"):
        match = _DECLARED_CHARSET.search(head)
        return (match.group(1).decode("ascii") if match else None), None
    if suffix in (".md", ".markdown") and head.startswith(b"---"):
        keys = {m.group(1).decode(): m.group(2).decode() for m in _FRONT_KEY.finditer(head)}
        return keys.get("encoding"), keys.get("language")
    return None, None


def _decoding_meta(decoding: Decoding) -> dict[str, Any]:
    """How the bytes were read, kept with the article when it was not plain certain UTF-8."""
    if decoding.confidence >= 1.0 and not decoding.replaced:
        return {}
    return {"decoding": {"confidence": decoding.confidence, "replaced_bytes": decoding.replaced}}


# --------------------------------------------------------------------------------- formats


def _split_front_matter(text: str, origin: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    source = match.group("yaml")
    data = parse_yaml(source, origin, "the front matter")
    meta = article_metadata(data, origin, "the front matter", source_chars=len(source))
    return meta, text[match.end() :]


def _extract_html(text: str, origin: str) -> tuple[str, dict[str, Any]]:
    import trafilatura  # lazy: lxml and friends are only needed for HTML

    try:
        with _log_names_file(origin):
            raw = trafilatura.extract(
                text,
                output_format="json",
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                favor_precision=True,
            )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise InputError(origin, f"the HTML could not be parsed ({type(exc).__name__})") from exc
    if not raw:
        raise InputError(origin, "no article text found in this HTML page")
    data = json.loads(raw)
    body = str(data.get("text") or "")
    if not body.strip():
        raise InputError(origin, "no article text found in this HTML page")
    meta: dict[str, Any] = {}
    if data.get("title"):
        meta["title"] = data["title"]
    if data.get("date"):
        meta["published"] = data["date"]
    if data.get("source-hostname") or data.get("hostname"):
        meta["site"] = data.get("source-hostname") or data.get("hostname")
    if data.get("language"):
        meta["language"] = data["language"]
    if data.get("source"):
        meta["url"] = data["source"]
    return body, meta


_HTML_LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext", "readability")


@contextlib.contextmanager
def _log_names_file(origin: str) -> Iterator[None]:
    """While extracting, log lines of trafilatura and its helpers start with the file name."""
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name.startswith(_HTML_LIBRARIES):
            name = origin.replace("%", "%%") if record.args else origin
            record.msg = f"{name}: {record.msg}"
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield
    finally:
        logging.setLogRecordFactory(previous)


def _read_jsonl(
    data: bytes, origin: str, options: LoadOptions
) -> tuple[list[Article], list[Skipped]]:
    """Every good line as an article; each bad line is passed over with its reason."""
    try:
        text, encoding = decode_text(data, origin).text, "utf-8"
    except InputError:
        if not data.strip():
            raise
        # Control bytes on one line must not sink the others: that line alone will fail.
        text, encoding = data.decode("utf-8", errors="replace"), "utf-8"
    articles: list[Article] = []
    bad: list[Skipped] = []
    stem = Path(origin).stem
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            articles.append(_jsonl_article(line, where, f"{stem}-{number}", encoding, options))
        except InputError as exc:
            bad.append(Skipped(exc.origin, exc.reason))
    if not articles:
        if not bad:
            raise InputError(origin, "the JSONL file has no lines")
        if len(bad) == 1:
            raise InputError(bad[0].origin, bad[0].reason)
        raise InputError(
            origin,
            f"no line is a readable article ({len(bad)} lines; first: "
            f"{bad[0].origin}: {bad[0].reason})",
        )
    return articles, bad


def article_from_record(
    line: str, where: str, fallback_id: str, options: LoadOptions | None = None
) -> Article:
    """One article from one JSON object (a ``.jsonl`` line, a Parquet row as JSON).

    Raises:
        InputError: the record is not an object with a non-empty ``text``, its metadata is
            invalid, or the text is over ``options.max_bytes``.
    """
    return _jsonl_article(line, where, fallback_id, "utf-8", options or LoadOptions())


def _jsonl_article(
    line: str, where: str, fallback_id: str, encoding: str, options: LoadOptions
) -> Article:
    if "\ufffd" in line and _CONTROL.search(line):
        raise InputError(where, "the line holds bytes that are not text")
    record = parse_json(line, where, "line")
    if not isinstance(record, dict):
        raise InputError(where, "each line must be a JSON object with a 'text' field")
    record = article_metadata(record, where, "line", source_chars=len(line))
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise InputError(where, "the line has no 'text' (a non-empty string)")
    if len(body) > options.max_bytes:
        raise InputError(
            where,
            f"article of {len(body):,} characters, over the {options.max_bytes:,} limit; "
            "raise it with --max-bytes",
        )
    ident = str(record.get("id") or fallback_id)
    body = _LONE_SURROGATE.sub("\ufffd", body.replace("\r\n", "\n"))
    return _make_article(ident, where, body, encoding, record)


def article_from_text(
    ident: str, origin: str, text: str, meta: Mapping[str, Any] | None = None
) -> Article:
    """An article from a string (``check --batch``), with boilerplate found as for files.

    Raises:
        InputError: the text is empty or the metadata is invalid.
    """
    text = _LONE_SURROGATE.sub("\ufffd", text.replace("\r\n", "\n"))
    checked = article_metadata(meta or {}, origin, "the metadata", source_chars=len(text))
    return _make_article(ident, origin, text, "utf-8", checked)


# ---------------------------------------------------------------------------------- helpers


def _make_article(
    ident: str, origin: str, text: str, encoding: str, meta: Mapping[str, Any]
) -> Article:
    if not text.strip():
        raise InputError(origin, "the article has no text")
    # A lone surrogate (a JSON "\\udcff", a name that is not UTF-8) can be written nowhere.
    ident = _LONE_SURROGATE.sub("\ufffd", ident)
    text = _LONE_SURROGATE.sub("\ufffd", text)
    title = _str(meta.get("title"))
    if title and title not in text:
        # A headline given only as metadata becomes the first line, so that it is a
        # segment like any other and every span still points into one text.
        text = f"{title}\n\n{text.lstrip(chr(10))}"
    removed = find_boilerplate(text, title=title)
    title_span = _find_title(text, title, removed) if title else None
    if title is None:
        title_span = _infer_title(text, removed)
        title = title_span.of(text) if title_span else None
    role = _str(meta.get("role"))
    if role not in (None, "source", "derived"):
        raise InputError(origin, f"role must be 'source' or 'derived', not {role!r}")
    published = meta.get("published")
    extra = {k: v for k, v in meta.items() if k not in _META_KEYS and k != "text"}
    return Article(
        id=ident,
        origin=origin,
        text=text,
        title=title,
        title_span=title_span,
        outlet=_str(meta.get("outlet")),
        site=_str(meta.get("site")),
        url=_str(meta.get("url")),
        published=str(published) if published else None,
        language=_str(meta.get("language")),
        role=role,  # type: ignore[arg-type]
        encoding=encoding,
        removed=removed,
        translation=_str(meta.get("translation")),
        translation_origin=f"{origin} (front matter)" if meta.get("translation") else None,
        extra=extra,
    )


def _find_title(text: str, title: str, removed: Sequence[Any]) -> Span | None:
    """Where the given headline stands in the text, if it does (outside boilerplate)."""
    start = 0
    while (at := text.find(title, start)) >= 0:
        span = Span(at, at + len(title))
        if not any(r.span.overlaps(span) for r in removed):
            return span
        start = at + 1
    return None


def _infer_title(text: str, removed: Sequence[Any]) -> Span | None:
    """The first kept line, when it reads like a headline (short, no final full stop)."""
    for match in re.finditer(r"[^\n]+", text):
        span = Span(*_strip(text, match.start(), match.end()))
        if not span or any(r.span.overlaps(span) for r in removed):
            continue
        line = span.of(text)
        words = len(line.split())
        if 3 <= words <= 30 and not line.endswith((".", "…", "!", ":")):
            return span
        return None
    return None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = _LONE_SURROGATE.sub("\ufffd", str(value)).strip()
    return text or None


def _article_id(path: Path) -> str:
    return display_path(path.stem)


def unique_ids(articles: Sequence[Article]) -> list[Article]:
    """The articles with ids made unique: a repeated id gets a digest of its origin."""
    seen: set[str] = {a.id for a in articles}
    first: set[str] = set()
    out = []
    for article in articles:
        if article.id in first:
            digest = hashlib.sha1(article.origin.encode("utf-8", "replace")).hexdigest()[:6]
            ident = f"{article.id}-{digest}"
            number = 2
            while ident in seen:
                ident = f"{article.id}-{digest}-{number}"
                number += 1
            seen.add(ident)
            article = replace(article, id=ident)
        first.add(article.id)
        out.append(article)
    return out


def _sidecar_meta(path: Path) -> dict[str, Any]:
    """Metadata from ``name.meta.yaml`` beside ``name.ext``, if present."""
    for candidate in (path.with_suffix(".meta.yaml"), path.with_suffix(".meta.yml")):
        if candidate.is_file():
            origin = display_path(candidate)
            try:
                raw = read_bounded(candidate, SIDECAR_MAX_BYTES, what="metadata sidecar")
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InputError(origin, "metadata sidecar is not UTF-8 text") from exc
            data = parse_yaml(text, origin, "the metadata sidecar")
            return article_metadata(data, origin, "the metadata sidecar", source_chars=len(text))
    return {}


def _pivot_sidecar(path: Path, pivot: str) -> Path | None:
    """``a.en.md`` beside ``a.el.md`` (pivot ``en``): the translation file of ``path``, when it
    exists and ``path`` is the only other language of that name (as in a folder)."""
    match = _LANG_SUFFIX.match(path.stem)
    if not match or match.group("lang") == pivot:
        return None
    stem = match.group("stem")
    sidecar = path.with_name(f"{stem}.{pivot}{path.suffix}")
    if not sidecar.is_file():
        return None
    others = [
        p
        for p in path.parent.glob(f"*{path.suffix}")
        if p != sidecar and (m := _LANG_SUFFIX.match(p.stem)) and m.group("stem") == stem
    ]
    return sidecar if [p.name for p in others] == [path.name] else None


def _translation_sidecars(files: Sequence[Path], pivot: str) -> dict[Path, Path]:
    """Map original -> translation for pairs like ``a.el.md`` + ``a.en.md`` (pivot ``en``)."""
    by_name = {p.resolve(): p for p in files}
    pairs: dict[Path, Path] = {}
    for path in files:
        match = _LANG_SUFFIX.match(path.stem)
        if not match or match.group("lang") != pivot:
            continue
        siblings = [
            p
            for p in files
            if p.parent == path.parent
            and p != path
            and p.suffix == path.suffix
            and (m := _LANG_SUFFIX.match(p.stem))
            and m.group("stem") == match.group("stem")
        ]
        if len(siblings) == 1 and siblings[0].resolve() in by_name:
            pairs[siblings[0]] = path
    return pairs


def _attach_translation(article: Article, sidecar: Path, options: LoadOptions) -> Article:
    (translated,) = read_file(sidecar, options)
    return replace(
        article,
        translation=translated.text,
        translation_origin=translated.origin,
        title=article.title,
        extra={**article.extra, "translated_title": translated.title},
    )
