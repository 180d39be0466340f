"""Corpora in shards: JSONL and Parquet files (or folders of them) read a batch at a time.

A crawl of tens of thousands of articles is stored as shards, one JSON object (or one Parquet
row) per article with at least a ``text`` field and the same optional fields as a ``.jsonl``
line (``id``, ``outlet``, ``site``, ``url``, ``published``, ``language``, ``role``, ``title``,
``translation``). ``iter_batches`` yields articles in batches of a bounded size without
ever holding a whole shard, so memory is bounded by the batch, not the corpus; the Dask engine
reads each shard's batches on the worker that analyses them.

A bad line or row costs only itself (a ``Skipped`` entry with its place); a shard that cannot
be opened costs only itself too.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fidelity.errors import InputError, UsageError
from fidelity.load.files import display_path, walk_folder
from fidelity.types import Article, Skipped

__all__ = ["SHARD_SUFFIXES", "Shard", "iter_batches", "read_parquet", "shard_files"]

log = logging.getLogger(__name__)

SHARD_SUFFIXES = (".jsonl", ".parquet")
DEFAULT_BATCH = 256  # articles per batch


@dataclass(frozen=True, slots=True)
class Shard:
    """One shard file and the slice of it one task reads: Parquet row groups, or the lines of
    a JSONL file from byte ``start`` (a line start) to ``end``."""

    path: str
    row_groups: tuple[int, ...] | None = None  # Parquet; None: every group
    start: int = 0  # JSONL: the first byte to read, at the start of line ``first_line``
    end: int | None = None  # JSONL: the byte to stop before; None: the end of the file
    first_line: int = 1


def shard_files(paths: Sequence[str | Path], *, follow_links: bool = False) -> list[Path]:
    """The shard files under ``paths`` (files named, and folders walked), in a stable order.

    Raises:
        InputError: a path is missing, or a folder holds no shard.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(display_path(raw), "no such file or folder; check the path")
        if path.is_dir():
            listing = walk_folder(path, SHARD_SUFFIXES, follow_links=follow_links)
            for where, why in listing.notes:
                log.warning("skipped %s: %s", where, why)
            if not listing.files:
                raise InputError(
                    display_path(raw), "the folder holds no shards (.jsonl or .parquet files)"
                )
            files.extend(sorted(listing.files))
        elif path.suffix.lower() in SHARD_SUFFIXES:
            files.append(path)
        else:
            raise InputError(
                display_path(raw), "a shard is a .jsonl or .parquet file (or a folder of them)"
            )
    return files


def split_shards(files: Sequence[Path], rows_per_task: int = 2048) -> list[Shard]:
    """Tasks of about ``rows_per_task`` articles: a Parquet file split at row groups, a JSONL
    file at line starts (found by one pass over its bytes, nothing kept but the cuts)."""
    tasks: list[Shard] = []
    for path in files:
        if path.suffix.lower() != ".parquet":
            tasks.extend(_jsonl_pieces(path, rows_per_task))
            continue
        pq = _parquet()
        try:
            meta = pq.ParquetFile(path).metadata
        except Exception as exc:  # pyarrow raises its own error classes for a bad file
            raise InputError(display_path(path), f"not a readable Parquet file ({exc})") from exc
        group: list[int] = []
        rows = 0
        for g in range(meta.num_row_groups):
            group.append(g)
            rows += meta.row_group(g).num_rows
            if rows >= rows_per_task:
                tasks.append(Shard(str(path), tuple(group)))
                group, rows = [], 0
        if group or not tasks or tasks[-1].path != str(path):
            tasks.append(Shard(str(path), tuple(group)))
    return tasks


def _jsonl_pieces(path: Path, rows_per_task: int) -> list[Shard]:
    """A JSONL file cut every ``rows_per_task`` lines."""
    cuts = [(0, 1)]  # (byte, line number) of each piece's first line
    line, offset = 1, 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                at = chunk.find(b"\n")
                while at >= 0:
                    line += 1
                    if (line - 1) % rows_per_task == 0:
                        cuts.append((offset + at + 1, line))
                    at = chunk.find(b"\n", at + 1)
                offset += len(chunk)
    except OSError as exc:
        raise InputError(
            display_path(path), f"cannot read the shard ({exc.strerror or exc})"
        ) from exc
    if len(cuts) > 1 and cuts[-1][0] >= offset:
        cuts.pop()  # a cut at the very end: nothing after it
    ends = [c[0] for c in cuts[1:]] + [None]
    return [
        Shard(str(path), start=start, end=end, first_line=first)
        for (start, first), end in zip(cuts, ends, strict=True)
    ]


def iter_batches(
    shard: Shard | str | Path, options: Any = None, *, batch: int = DEFAULT_BATCH
) -> Iterator[tuple[list[Article], list[Skipped]]]:
    """The articles of one shard, ``batch`` at a time, with the lines or rows passed over.

    Args:
        shard: a shard (or a path: the whole file).
        options: the ``LoadOptions`` (size limits).
        batch: articles per batch.

    Raises:
        InputError: the shard cannot be opened or read.
    """
    from fidelity.load import LoadOptions

    options = options or LoadOptions()
    if not isinstance(shard, Shard):
        shard = Shard(str(shard))
    path = Path(shard.path)
    if path.suffix.lower() == ".parquet":
        yield from _parquet_batches(path, shard.row_groups, options, batch)
    else:
        yield from _jsonl_batches(path, options, batch, shard.start, shard.end, shard.first_line)


def _jsonl_batches(
    path: Path,
    options: Any,
    batch: int,
    start: int = 0,
    end: int | None = None,
    first_line: int = 1,
) -> Iterator[tuple[list[Article], list[Skipped]]]:
    from fidelity.load import article_from_record

    origin = display_path(path)
    stem = path.stem
    articles: list[Article] = []
    bad: list[Skipped] = []
    # a line may hold its text escaped (\uXXXX: six bytes a character) and its metadata
    limit = options.max_bytes * 6 + 65_536
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(origin, f"cannot read the shard ({exc.strerror or exc})") from exc
    with handle:
        handle.seek(start)
        number = first_line - 1
        position = start
        while end is None or position < end:
            raw = handle.readline(limit + 1)
            if not raw:
                break
            position += len(raw)
            number += 1
            where = f"{origin}:{number}"
            if len(raw) > limit and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the line, unread
                    raw = handle.readline(1 << 20)
                    position += len(raw)
                bad.append(Skipped(where, f"line over {limit:,} bytes; raise --max-bytes"))
                continue
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                articles.append(article_from_record(line, where, f"{stem}-{number}", options))
            except InputError as exc:
                bad.append(Skipped(exc.origin, exc.reason))
            if len(articles) >= batch:
                yield articles, bad
                articles, bad = [], []
    if articles or bad:
        yield articles, bad


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise UsageError(
            "reading or writing Parquet needs pyarrow: pip install 'fidelity[shards]'"
        ) from exc
    return pq


def _parquet_batches(
    path: Path, row_groups: tuple[int, ...] | None, options: Any, batch: int
) -> Iterator[tuple[list[Article], list[Skipped]]]:
    from fidelity.load import article_from_record

    pq = _parquet()
    origin = display_path(path)
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error classes for a bad file
        raise InputError(origin, f"not a readable Parquet file ({exc})") from exc
    names = set(parquet.schema_arrow.names)
    if "text" not in names:
        raise InputError(origin, "the Parquet table has no 'text' column")
    # the row number of the first row of each group, so that a row is named by its place
    starts = [0]
    for g in range(parquet.metadata.num_row_groups):
        starts.append(starts[-1] + parquet.metadata.row_group(g).num_rows)
    groups = list(row_groups) if row_groups is not None else None
    if groups == []:
        return
    row = starts[groups[0]] if groups else 0
    stem = path.stem
    for record_batch in parquet.iter_batches(batch_size=batch, row_groups=groups):
        articles: list[Article] = []
        bad: list[Skipped] = []
        for record in record_batch.to_pylist():
            row += 1
            where = f"{origin}:{row}"
            plain = {k: _plain(v) for k, v in record.items() if v is not None}
            try:
                articles.append(
                    article_from_record(json.dumps(plain), where, f"{stem}-{row}", options)
                )
            except InputError as exc:
                bad.append(Skipped(exc.origin, exc.reason))
        yield articles, bad


def _plain(value: Any) -> Any:
    """A Parquet cell as JSON data (dates as ISO text)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def read_parquet(path: Path, options: Any) -> tuple[list[Article], list[Skipped]]:
    """Every row of a Parquet file as an article (``load_corpus`` reads ``.parquet`` so)."""
    articles: list[Article] = []
    bad: list[Skipped] = []
    for found, skipped in iter_batches(path, options, batch=1024):
        articles.extend(found)
        bad.extend(skipped)
    if not articles:
        origin = display_path(path)
        if not bad:
            raise InputError(origin, "the Parquet file has no rows")
        raise InputError(
            origin, f"no row is a readable article (first: {bad[0].origin}: {bad[0].reason})"
        )
    return articles, bad


def write_articles_parquet(records: Sequence[dict[str, Any]], target: io.BytesIO | Path) -> None:
    """Articles as a Parquet table (one row per record), for tests and benchmarks."""
    import pyarrow as pa

    pq = _parquet()
    pq.write_table(pa.Table.from_pylist(list(records)), target)
