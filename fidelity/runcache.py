"""Memos of whole stages, so a warm re-run redoes nothing that its inputs did not change.

Two kinds of entry, in one SQLite file (``analysis.sqlite`` in fidelity's cache folder, a
``fidelity.store.CacheStore`` like the other caches: WAL, busy timeout, a corrupt file moved
aside):

- per article: its ``ExtractedArticle`` (language detection, translation, extraction), keyed
  by the article's full content and metadata, the detector, the installed translation models,
  the lexicons and the code that produced it;
- per run: the alignment, findings and scores, keyed by every article's key, the run's
  configuration and the code.

A key covers the source of the fidelity package itself, so a changed rule or lexicon never
serves an old answer. Entries are pickles of fidelity's own frozen dataclasses, written and
read only by fidelity in the user's cache folder; one that does not load is recomputed.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from fidelity import __version__
from fidelity.errors import CacheError
from fidelity.paths import argos_packages_dir, cache_home
from fidelity.store import CacheStore

log = logging.getLogger(__name__)

FILENAME = "analysis.sqlite"
_PACKAGE_ROOT = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Digest of fidelity's own code and data files (rules, lexicons), computed once."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE_ROOT.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json") and path.is_file():
            digest.update(str(path.relative_to(_PACKAGE_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def models_fingerprint() -> str:
    """What translation models are installed (names and modification times)."""
    root = argos_packages_dir()
    if not root.is_dir():
        return "none"
    entries = sorted((p.name, p.stat().st_mtime_ns) for p in root.iterdir())
    return hashlib.sha256(repr(entries).encode()).hexdigest()


def files_fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(str(path).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()


def key(*parts: Any) -> bytes:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).digest()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key BLOB PRIMARY KEY,
    kind TEXT NOT NULL,
    value BLOB NOT NULL,
    version TEXT NOT NULL,
    created REAL NOT NULL
) WITHOUT ROWID
"""
# 1 kept entries in the translation cache's table; 2 has a table of its own.
SCHEMA_VERSION = 2


class RunCache:
    """Get and put pickled stage results by key.

    A cache that cannot be read or written costs time, never a result: the failure is logged
    and the entry recomputed (or not kept).

    Raises:
        CacheError: on opening, when the file is unusable even after moving a corrupt one aside.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._store = CacheStore(
            path or cache_home() / FILENAME,
            schema=[_SCHEMA],
            tables=["entries"],
            version=SCHEMA_VERSION,
            label="analysis cache",
        )

    @property
    def moved_aside(self) -> list[Path]:
        return self._store.moved_aside

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, Any]:
        try:
            rows = self._store.select_keys(
                "SELECT key, value FROM entries WHERE key IN ({marks})", keys
            )
        except CacheError as exc:
            log.warning("%s; analysing without it", exc)
            return {}
        found: dict[bytes, Any] = {}
        for k, blob in rows:
            try:
                found[k] = pickle.loads(blob)
            except Exception:  # any undecodable entry is a miss, recomputed and replaced
                log.warning("analysis cache entry unreadable; recomputing it")
        return found

    def put_many(self, items: Sequence[tuple[bytes, Any]], kind: str) -> None:
        now = time.time()
        rows = [
            (k, kind, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL), __version__, now)
            for k, v in items
        ]
        try:
            self._store.write_many("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", rows)
        except CacheError as exc:
            log.warning("%s; this result is not kept for the next run", exc)

    def entries(self) -> int:
        """How many entries the cache holds (not ``__len__``: an empty cache is still a cache)."""
        return self._store.count("entries")

    def close(self) -> None:
        self._store.close()
