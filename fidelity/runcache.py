"""Memos of whole stages, so a warm re-run redoes nothing that its inputs did not change.

Two kinds of entry, in one SQLite file (``analysis.sqlite`` in fidelity's cache folder, the
same robust store as the translation cache: WAL, busy timeout, a corrupt file moved aside):

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

import base64
import hashlib
import logging
import os
import pickle
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from fidelity import __version__
from fidelity.paths import argos_packages_dir, cache_home

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


class RunCache:
    """Get and put pickled stage results by key."""

    def __init__(self, path: Path | None = None) -> None:
        from fidelity.translate.cache import TranslationCache

        self._store = TranslationCache(path or cache_home() / FILENAME, label="analysis cache")

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, Any]:
        found: dict[bytes, Any] = {}
        for k, blob in self._store.get_many(keys).items():
            try:
                found[k] = pickle.loads(base64.b64decode(blob))
            except Exception:  # any undecodable entry is a miss, recomputed and replaced
                log.warning("analysis cache entry unreadable; recomputing it")
        return found

    def put_many(self, items: Sequence[tuple[bytes, Any]], kind: str) -> None:
        rows = [
            (k, base64.b64encode(pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)).decode())
            for k, v in items
        ]
        self._store.put_many(
            rows, source="", target="", engine=kind, package=str(os.getpid()), version=__version__
        )

    def close(self) -> None:
        self._store.close()
