"""One SQLite file that a cache keeps its rows in, shared safely by runs at once.

The translation, embedding and analysis caches each open a ``CacheStore``: WAL journalling and
a busy timeout let two processes read and write one file; a file that is not a usable database
(garbage, truncated, damaged pages, another schema version) is moved aside as
``<name>.corrupt-<time>`` with a logged warning and a new one is started, whether the damage
shows when the file is opened or only later, in the middle of a run.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from fidelity.errors import CacheError

log = logging.getLogger(__name__)

_CORRUPT_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
# Errors that say nothing about the file's state: another run's lock, a read-only file.
_NOT_DAMAGE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN")
_CHUNK = 500  # keys per SELECT ... IN (...), well under SQLite's variable limit

T = TypeVar("T")


def with_cache_or_without(build: Callable[[bool], T], use_cache: bool) -> T:
    """``build(use_cache)``; when its on-disk cache cannot be opened at all (an unwritable
    FIDELITY_HOME, a cache folder that is a file), a warning and ``build(False)``: a cache
    costs time, never the run's result.

    Args:
        build: makes a backend, with its cache (``True``) or without (``False``).
        use_cache: whether the run asked for caches.
    """
    if use_cache:
        try:
            return build(True)
        except CacheError as exc:
            log.warning("%s; this run goes on without that cache", exc)
    return build(False)


class _Corrupt(Exception):
    """Internal: the file is not a usable store and should be moved aside."""


class CacheStore:
    """A SQLite file with the given tables, opened for sharing and repaired when corrupt.

    Args:
        path: the database file (created with its folder if missing).
        schema: ``CREATE TABLE IF NOT EXISTS`` statements of the store's tables.
        tables: the names of those tables (each is read once on opening, which proves the
            file is a database and not only a header).
        version: the schema version kept in ``PRAGMA user_version``; a file written with
            another version is set aside like a corrupt one.
        label: what the file is called in messages (``"translation cache"``).
        busy_timeout: seconds to wait for another process holding the write lock.

    Raises:
        CacheError: the file cannot be opened, even after moving a corrupt one aside.
    """

    def __init__(
        self,
        path: Path,
        *,
        schema: Sequence[str],
        tables: Sequence[str],
        version: int,
        label: str,
        busy_timeout: float = 30.0,
    ) -> None:
        self.path = Path(path)
        self.label = label
        self.moved_aside: list[Path] = []
        self._schema = tuple(schema)
        self._tables = tuple(tables)
        self._version = version
        self._busy_timeout = busy_timeout
        self._lock = threading.Lock()  # one connection, used from any thread in turn
        self._identity: tuple[int, int] | None = None
        self._conn = self._open()

    # ------------------------------------------------------------------------- open / repair

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(
                f"cannot open the {self.label} {self.path}: {exc}; check that the folder is "
                "writable (FIDELITY_HOME chooses it), or run with --no-cache"
            ) from exc
        try:
            self._identity = _identity(self.path)
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            self._set_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            found = conn.execute("PRAGMA user_version").fetchone()[0]
            if found not in (0, self._version):
                raise _Corrupt(f"schema version {found}, expected {self._version}")
            for statement in self._schema:
                conn.execute(statement)
            if found == 0:
                conn.execute(f"PRAGMA user_version = {self._version}")
            for table in self._tables:  # walks the table's pages: damage shows here
                conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            self._identity = _identity(self.path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_corrupt(exc):
                raise _Corrupt(str(exc)) from exc
            raise CacheError(f"cannot use the {self.label} {self.path}: {exc}") from exc
        except _Corrupt:
            conn.close()
            raise
        return conn

    def _set_wal(self, conn: sqlite3.Connection) -> None:
        """Switch a new file to WAL. Two runs creating the file at once can be refused at
        once ("database is locked": SQLite skips the busy handler where waiting could
        deadlock), so the switch is retried until the busy timeout."""
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                busy = getattr(exc, "sqlite_errorname", "").startswith(
                    ("SQLITE_BUSY", "SQLITE_LOCKED")
                )
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except _Corrupt as exc:
            self._move_aside(str(exc))
        try:
            return self._connect()
        except _Corrupt as exc:
            raise CacheError(
                f"the {self.label} {self.path} is still unusable after moving the corrupt "
                f"file aside ({exc}); delete it or run with --no-cache"
            ) from exc

    def _move_aside(self, reason: str) -> None:
        if self._identity is not None and _identity(self.path) != self._identity:
            # Another run already moved the damaged file aside and started a new one.
            return
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            self.path.replace(target)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.replace(target.with_name(target.name + suffix))
        except OSError as exc:
            raise CacheError(
                f"the {self.label} {self.path} is corrupt ({reason}) and could not be moved "
                f"aside: {exc}; delete it or run with --no-cache"
            ) from exc
        self.moved_aside.append(target)
        log.warning(
            "the %s %s was corrupt or unreadable (%s); moved it to %s and started a new one",
            self.label,
            self.path,
            reason,
            target,
        )

    def _damaged(self, exc: sqlite3.Error) -> bool:
        """Whether an error in use means a damaged file (it may say "disk full" when a page
        number is garbage): asked of SQLite itself unless the error is about locks or modes."""
        if not isinstance(exc, sqlite3.DatabaseError):
            return False  # a programming error: the connection is closed
        if _is_corrupt(exc):
            return True
        if getattr(exc, "sqlite_errorname", "").startswith(_NOT_DAMAGE):
            return False
        try:
            rows = self._conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as again:
            return _is_corrupt(again)
        return rows != [("ok",)]

    def _recover(self, exc: sqlite3.Error) -> bool:
        """Damage found after opening: move the file aside and reopen. False if not damage."""
        if not self._damaged(exc):
            return False
        self._conn.close()
        self._move_aside(str(exc))
        self._conn = self._open()
        return True

    # ----------------------------------------------------------------------------- read/write

    def select_keys(self, sql: str, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` (a SELECT ending in ``IN ({marks})``) for ``keys``, in chunks.

        A store found damaged is moved aside and the answer is empty (every key a miss).

        Raises:
            CacheError: the read failed for another reason (an I/O error).
        """
        unique = list(dict.fromkeys(keys))
        rows: list[tuple[Any, ...]] = []
        with self._lock:
            try:
                for i in range(0, len(unique), _CHUNK):
                    chunk = unique[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows.extend(self._conn.execute(sql.format(marks=marks), chunk))
            except sqlite3.Error as exc:  # also a connection closed by a failed repair
                if self._recover(exc):
                    return []
                raise CacheError(f"reading the {self.label} {self.path} failed: {exc}") from exc
        return rows

    def write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run ``sql`` for every row in one write transaction (waiting for other writers).

        Raises:
            CacheError: the write failed (read-only file, full disk, lock held too long).
        """
        batch = list(rows)
        if not batch:
            return
        with self._lock:
            for attempt in (1, 2):
                try:
                    with self._conn:
                        self._conn.execute("BEGIN IMMEDIATE")
                        self._conn.executemany(sql, batch)
                    return
                except sqlite3.Error as exc:
                    if attempt == 1 and self._recover(exc):
                        continue
                    raise CacheError(f"writing the {self.label} {self.path} failed: {exc}") from exc

    def count(self, table: str) -> int:
        """Rows in ``table`` (one of the store's own tables)."""
        if table not in self._tables:
            raise ValueError(f"{table!r} is not a table of this store")
        with self._lock:
            return int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> CacheStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _is_corrupt(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorname", "") in _CORRUPT_CODES


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names now (device, inode), or None when there is none."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino
