"""An on-disk translation cache (SQLite), so a warm re-run translates nothing.

Keys are the sha256 of the segment text with the source and target language, the engine and
the model package with its version: a new package version never serves an old translation.
WAL mode and a busy timeout let two runs share one file. A corrupt file is moved aside
(``*.corrupt-<timestamp>``) and rebuilt, with a logged warning.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from fidelity.errors import CacheError
from fidelity.paths import cache_home

log = logging.getLogger(__name__)

CACHE_FILENAME = "translations.sqlite"
SCHEMA_VERSION = 1
_CHUNK = 500  # keys per SELECT ... IN (...), well under SQLite's variable limit
_CORRUPT_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key BLOB PRIMARY KEY,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    engine TEXT NOT NULL,
    package TEXT NOT NULL,
    version TEXT NOT NULL,
    created REAL NOT NULL
) WITHOUT ROWID
"""


def default_cache_path() -> Path:
    """``translations.sqlite`` under fidelity's cache folder (honours ``FIDELITY_HOME``)."""
    return cache_home() / CACHE_FILENAME


def cache_key(
    text: str, source: str, target: str, engine: str, package: str, version: str
) -> bytes:
    """The sha256 digest that identifies one translation of ``text``."""
    head = f"{engine}\x1f{package}\x1f{version}\x1f{source}\x1f{target}\x1f"
    return hashlib.sha256((head + text).encode("utf-8")).digest()


class _Corrupt(Exception):
    """Internal: the file is not a usable cache and should be moved aside."""


class TranslationCache:
    """Translations keyed by :func:`cache_key`, stored in one SQLite file.

    Args:
        path: the database file (created with its folder if missing).
        busy_timeout: seconds to wait for another process holding the write lock.
        label: what the file is called in messages (the same store also keeps the pipeline's
            analysis cache).

    Raises:
        CacheError: the file cannot be opened even after moving a corrupt one aside.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        busy_timeout: float = 30.0,
        label: str = "translation cache",
    ) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self._label = label
        self._busy_timeout = busy_timeout
        self.moved_aside: list[Path] = []
        self._conn = self._open()

    # ------------------------------------------------------------------------- open / repair

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(
                f"cannot open the {self._label} {self.path}: {exc}; check the folder is "
                "writable, or run without the cache"
            ) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:
                raise _Corrupt("; ".join(str(r[0]) for r in rows[:3]))
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise _Corrupt(f"schema version {version}, expected {SCHEMA_VERSION}")
            conn.execute(_SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            conn.close()
            if getattr(exc, "sqlite_errorname", "") in _CORRUPT_CODES:
                raise _Corrupt(str(exc)) from exc
            raise CacheError(f"cannot use the {self._label} {self.path}: {exc}") from exc
        except _Corrupt:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except _Corrupt as exc:
            self._move_aside(str(exc))
        try:
            return self._connect()
        except _Corrupt as exc:
            raise CacheError(
                f"the {self._label} {self.path} is still unusable after moving the corrupt "
                f"file aside ({exc}); delete it or run without the cache"
            ) from exc

    def _move_aside(self, reason: str) -> None:
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
                f"the {self._label} {self.path} is corrupt ({reason}) and could not be moved "
                f"aside: {exc}"
            ) from exc
        self.moved_aside.append(target)
        log.warning(
            "%s %s was corrupt (%s); moved it to %s and started a new one",
            self._label,
            self.path,
            reason,
            target,
        )

    def _recover(self, exc: sqlite3.DatabaseError) -> bool:
        """Corruption found after opening: move the file aside and reopen. False if not corrupt."""
        if getattr(exc, "sqlite_errorname", "") not in _CORRUPT_CODES:
            return False
        self._conn.close()
        self._move_aside(str(exc))
        self._conn = self._open()
        return True

    # ----------------------------------------------------------------------------- read/write

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, str]:
        """Return the cached translations of those ``keys`` that are present."""
        try:
            return self._select(keys)
        except sqlite3.DatabaseError as exc:
            if self._recover(exc):
                return {}
            raise CacheError(f"reading the {self._label} {self.path} failed: {exc}") from exc

    def _select(self, keys: Sequence[bytes]) -> dict[bytes, str]:
        found: dict[bytes, str] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT key, text FROM translations WHERE key IN ({marks})", chunk
            )
            found.update(rows)
        return found

    def put_many(
        self,
        items: Iterable[tuple[bytes, str]],
        *,
        source: str,
        target: str,
        engine: str,
        package: str,
        version: str,
    ) -> None:
        """Store ``(key, translation)`` pairs made by one engine/package for one language pair."""
        now = time.time()
        rows = [(k, t, source, target, engine, package, version, now) for k, t in items]
        if not rows:
            return
        for attempt in (1, 2):
            try:
                with self._conn:
                    self._conn.execute("BEGIN IMMEDIATE")
                    self._conn.executemany(
                        "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
                    )
                return
            except sqlite3.DatabaseError as exc:
                if attempt == 1 and self._recover(exc):
                    continue
                raise CacheError(f"writing the {self._label} {self.path} failed: {exc}") from exc

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
