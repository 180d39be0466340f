"""The SQLite store under every cache: WAL, busy timeout, damage found at open or mid-run moved
aside and recovered, another schema version set aside, a read-only file refused cleanly."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from fidelity import runcache
from fidelity.embed import EmbeddingCache
from fidelity.errors import CacheError
from fidelity.store import CacheStore
from fidelity.translate.cache import TranslationCache

SCHEMA = "CREATE TABLE IF NOT EXISTS notes (key TEXT PRIMARY KEY, body TEXT NOT NULL)"


def store(path: Path, version: int = 1) -> CacheStore:
    return CacheStore(path, schema=[SCHEMA], tables=["notes"], version=version, label="test store")


def put(s: CacheStore, rows: list[tuple[str, str]]) -> None:
    s.write_many("INSERT OR REPLACE INTO notes VALUES (?, ?)", rows)


def get(s: CacheStore, keys: list[str]) -> dict[str, str]:
    return dict(s.select_keys("SELECT key, body FROM notes WHERE key IN ({marks})", keys))


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def damage_overflow_pages(path: Path) -> None:
    """Break the chain of a long row's overflow pages (the last pages of the file): opening
    still works, reading that row finds the damage."""
    checkpoint(path)
    data = bytearray(path.read_bytes())
    for offset in range(len(data) - 4096 * 5, len(data), 4096):
        data[offset : offset + 4] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))


def test_round_trip_wal_and_chunked_reads(tmp_path: Path) -> None:
    with store(tmp_path / "s.sqlite") as s:
        put(s, [(f"k{i}", f"v{i}") for i in range(1200)])
        found = get(s, [f"k{i}" for i in range(1300)])
        assert len(found) == 1200 and found["k1199"] == "v1199"
        assert s.count("notes") == 1200
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


@pytest.mark.parametrize("operation", ["read", "write"])
def test_damage_found_mid_run_is_moved_aside_and_the_store_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, operation: str
) -> None:
    path = tmp_path / "s.sqlite"
    with store(path) as s:
        put(s, [("short", "x"), ("long", "y" * 40_000)])
    damage_overflow_pages(path)
    s = store(path)
    assert s.moved_aside == []  # the damage does not show on opening
    with caplog.at_level(logging.WARNING, logger="fidelity.store"):
        if operation == "read":
            assert get(s, ["short", "long"]) == {}  # every key a miss, no error
        else:
            s.write_many("UPDATE notes SET body = ? WHERE key = ?", [("z" * 40_000, "long")])
            s.write_many("DELETE FROM notes WHERE key = ?", [("long",)])
    assert len(s.moved_aside) == 1
    assert s.moved_aside[0].name.startswith("s.sqlite.corrupt-")
    assert "corrupt" in caplog.text
    put(s, [("new", "value")])
    assert get(s, ["new"]) == {"new": "value"}
    s.close()


def test_damage_another_run_already_moved_aside_is_not_moved_twice(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with store(path) as s:
        put(s, [("long", "y" * 40_000)])
    damage_overflow_pages(path)
    first, second = store(path), store(path)
    assert get(first, ["long"]) == {}  # the first run moves the file aside, starts anew
    put(first, [("fresh", "kept")])
    assert get(second, ["long"]) == {}  # the second finds the damage in its old handle...
    assert second.moved_aside == []  # ...but leaves the new file where it is
    assert get(second, ["fresh"]) == {"fresh": "kept"}
    assert (
        len(
            [
                p
                for p in tmp_path.glob("s.sqlite.corrupt-*")
                if p.suffix != ".sqlite-wal" and not p.name.endswith(("-wal", "-shm"))
            ]
        )
        == 1
    )
    first.close()
    second.close()


def test_another_schema_version_is_set_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "s.sqlite"
    with store(path, version=1) as s:
        put(s, [("k", "v")])
    with caplog.at_level(logging.WARNING), store(path, version=2) as s:
        assert len(s.moved_aside) == 1
        assert get(s, ["k"]) == {}
    assert "schema version 1, expected 2" in caplog.text


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_read_only_store_refuses_writes_with_a_cache_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with store(path) as s:
        put(s, [("k", "v")])
    checkpoint(path)
    path.chmod(0o444)
    try:
        with pytest.raises(CacheError, match=r"s\.sqlite"):
            s = store(path)
            put(s, [("k2", "v2")])
    finally:
        path.chmod(0o644)


def test_locked_store_waits_then_refuses_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    s = CacheStore(path, schema=[SCHEMA], tables=["notes"], version=1, label="t", busy_timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another run holds the write lock too long
    try:
        with pytest.raises(CacheError, match="locked"):
            put(s, [("k", "v")])
        assert get(s, ["k"]) == {}  # reading still works under WAL
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    put(s, [("k", "v")])
    assert get(s, ["k"]) == {"k": "v"}
    s.close()


def _lock_writes(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_caches_that_cannot_write_cost_time_not_results(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The embedding and analysis caches log a failed write and go on; nothing is raised."""
    vectors = EmbeddingCache(tmp_path / "v.sqlite3")
    vectors._store._busy_timeout = 0.1
    vectors._store._conn.execute("PRAGMA busy_timeout = 100")
    analysis = runcache.RunCache(tmp_path / "a.sqlite")
    analysis._store._conn.execute("PRAGMA busy_timeout = 100")
    holders = [_lock_writes(tmp_path / "v.sqlite3"), _lock_writes(tmp_path / "a.sqlite")]
    try:
        with caplog.at_level(logging.WARNING):
            vectors.put_many([("k", np.ones(4, dtype=np.float32))])
            analysis.put_many([(b"k", {"result": 1})], "run")
    finally:
        for holder in holders:
            holder.execute("ROLLBACK")
            holder.close()
    assert "could not write to the embedding cache" in caplog.text
    assert "not kept for the next run" in caplog.text
    assert vectors.get_many(["k"], 4) == {}
    analysis.put_many([(b"k", {"result": 1})], "run")
    assert analysis.get_many([b"k"]) == {b"k": {"result": 1}}
    vectors.close()
    analysis.close()


def test_every_cache_is_a_store_with_wal(tmp_path: Path) -> None:
    caches = [
        TranslationCache(tmp_path / "t.sqlite"),
        EmbeddingCache(tmp_path / "v.sqlite3"),
        runcache.RunCache(tmp_path / "a.sqlite"),
    ]
    for cache in caches:
        assert isinstance(cache._store, CacheStore)
        cache.close()
    for name in ("t.sqlite", "v.sqlite3", "a.sqlite"):
        conn = sqlite3.connect(tmp_path / name)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()


def test_analysis_cache_of_the_old_layout_is_set_aside(tmp_path: Path) -> None:
    """Before the store, analysis entries lived in a translation-cache table (schema 1)."""
    path = tmp_path / "analysis.sqlite"
    TranslationCache(path, label="analysis cache").close()
    cache = runcache.RunCache(path)
    assert len(cache.moved_aside) == 1
    cache.put_many([(b"k", ("alignment", "findings"))], "run")
    assert cache.get_many([b"k"]) == {b"k": ("alignment", "findings")}
    cache.close()


def test_unreadable_analysis_entry_is_a_miss(tmp_path: Path) -> None:
    cache = runcache.RunCache(tmp_path / "a.sqlite")
    cache._store.write_many(
        "INSERT INTO entries VALUES (?, ?, ?, ?, ?)", [(b"k", "run", b"not a pickle", "0", 0.0)]
    )
    assert cache.get_many([b"k"]) == {}
    cache.close()


def test_a_closed_store_fails_with_a_cache_error(tmp_path: Path) -> None:
    s = store(tmp_path / "s.sqlite")
    s.close()
    with pytest.raises(CacheError):
        get(s, ["k"])
    with pytest.raises(CacheError):
        put(s, [("k", "v")])


def test_runs_creating_the_same_new_files_at_once(tmp_path: Path) -> None:
    """Three processes open and write the same fresh files together: switching a new file to
    WAL can be refused at once (no busy wait there), and must be retried, not fail."""
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from fidelity.store import CacheStore
        schema = {SCHEMA!r}
        for i in range(25):
            path = Path({str(tmp_path)!r}) / f"s{{i}}.sqlite"
            with CacheStore(path, schema=[schema], tables=["notes"], version=1, label="t") as s:
                for n in range(4):
                    row = (f"{{sys.argv[1]}}{{n}}", "v")
                    s.write_many("INSERT INTO notes VALUES (?, ?)", [row])
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, tag], stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b", "c")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
    for i in range(25):
        with store(tmp_path / f"s{i}.sqlite") as s:
            assert s.count("notes") == 12


def test_a_cache_that_cannot_be_opened_is_done_without(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The backends of a run are built with their caches when these open, else without them
    (with a warning); errors that are not about the cache still stop the run."""
    from fidelity.errors import ConfigError
    from fidelity.store import with_cache_or_without

    (tmp_path / "cache").write_text("a file where the cache folder should be", "utf-8")

    def translation_cache(cached: bool) -> str:
        if cached:
            TranslationCache(tmp_path / "cache" / "t.sqlite")
        return "with cache" if cached else "without cache"

    with caplog.at_level(logging.WARNING, logger="fidelity.store"):
        assert with_cache_or_without(translation_cache, True) == "without cache"
        assert with_cache_or_without(translation_cache, False) == "without cache"
    assert len(caplog.records) == 1 and "goes on without that cache" in caplog.text
    assert with_cache_or_without(lambda cached: cached, True) is True

    def unknown_backend(cached: bool) -> None:
        raise ConfigError("unknown translator 'x'")

    with pytest.raises(ConfigError):
        with_cache_or_without(unknown_backend, True)
