"""An on-disk translation cache (SQLite), so a warm re-run translates nothing.

Keys are the sha256 of the segment text with the source and target language, the engine and
the model package with its version: a new package version never serves an old translation.
The file is a ``fidelity.store.CacheStore``: WAL and a busy timeout let two runs share it; a
corrupt file is moved aside (``*.corrupt-<time>``) and rebuilt, with a logged warning.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from fidelity.paths import cache_home
from fidelity.store import CacheStore

CACHE_FILENAME = "translations.sqlite"
SCHEMA_VERSION = 1
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
    # surrogatepass: a lone surrogate (from JSON input) still gets a key, never an error
    return hashlib.sha256((head + text).encode("utf-8", "surrogatepass")).digest()


class TranslationCache:
    """Translations keyed by :func:`cache_key`, stored in one SQLite file.

    Args:
        path: the database file (created with its folder if missing).
        busy_timeout: seconds to wait for another process holding the write lock.
        label: what the file is called in messages.

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
        self._store = CacheStore(
            self.path,
            schema=[_SCHEMA],
            tables=["translations"],
            version=SCHEMA_VERSION,
            label=label,
            busy_timeout=busy_timeout,
        )

    @property
    def moved_aside(self) -> list[Path]:
        """Corrupt files this cache moved aside (``<name>.corrupt-<time>``)."""
        return self._store.moved_aside

    # ----------------------------------------------------------------------------- read/write

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, str]:
        """Return the cached translations of those ``keys`` that are present.

        Raises:
            CacheError: the file could not be read (a damaged file is moved aside instead).
        """
        return dict(
            self._store.select_keys(
                "SELECT key, text FROM translations WHERE key IN ({marks})", keys
            )
        )

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
        self._store.write_many(
            "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((k, t, source, target, engine, package, version, now) for k, t in items),
        )

    def __len__(self) -> int:
        return self._store.count("translations")

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
