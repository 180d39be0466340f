"""The SQLite translation cache: keys, WAL, two writers at once, corrupt files moved aside."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fidelity.errors import CacheError
from fidelity.translate.cache import TranslationCache, cache_key, default_cache_path

META = {"source": "el", "target": "en", "engine": "argos:beam4", "package": "translate-el_en"}


def key(text: str, version: str = "1.9") -> bytes:
    return cache_key(text, "el", "en", "argos:beam4", "translate-el_en", version)


def fill(cache: TranslationCache, n: int, prefix: str = "Πρόταση") -> None:
    cache.put_many(
        ((key(f"{prefix} {i}."), f"Sentence {i}.") for i in range(n)), version="1.9", **META
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            ("Ο πρόεδρος μίλησε.", "el", "en", "argos", "p", "1"),
            ("Ο πρόεδρος μίλησε!", "el", "en", "argos", "p", "1"),
        ),
        (
            ("Ο πρόεδρος μίλησε.", "el", "en", "argos", "p", "1"),
            ("Ο πρόεδρος μίλησε.", "el", "de", "argos", "p", "1"),
        ),
        (
            ("Ο πρόεδρος μίλησε.", "el", "en", "argos", "p", "1"),
            ("Ο πρόεδρος μίλησε.", "el", "en", "argos", "p", "2"),
        ),
        (
            ("Ο πρόεδρος μίλησε.", "el", "en", "argos", "p", "1"),
            ("Ο πρόεδρος μίλησε.", "el", "en", "other", "p", "1"),
        ),
        (
            ("Ο πρόεδρος μίλησε.", "el", "en", "argos", "p", "1"),
            ("Ο πρόεδρος μίλησε.", "ru", "en", "argos", "p", "1"),
        ),
        # field boundaries cannot be shifted to forge a collision
        (("b", "el", "en", "argos", "p", "1"), ("", "el", "en", "argos", "p", "1\x1fb")),
    ],
)
def test_key_depends_on_every_field(
    a: tuple[str, str, str, str, str, str], b: tuple[str, str, str, str, str, str]
) -> None:
    assert cache_key(*a) != cache_key(*b)
    assert len(cache_key(*a)) == 32


def test_round_trip_and_wal(tmp_path: Path) -> None:
    with TranslationCache(tmp_path / "sub" / "t.sqlite") as cache:
        assert cache.get_many([key("Καλημέρα.")]) == {}
        cache.put_many([(key("Καλημέρα."), "Good morning.")], version="1.9", **META)
        assert cache.get_many([key("Καλημέρα."), key("Άλλο.")]) == {
            key("Καλημέρα."): "Good morning."
        }
        assert cache.get_many([key("Καλημέρα.", version="2.0")]) == {}
        assert len(cache) == 1
    conn = sqlite3.connect(tmp_path / "sub" / "t.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_many_keys_are_read_in_chunks(tmp_path: Path) -> None:
    with TranslationCache(tmp_path / "t.sqlite") as cache:
        fill(cache, 1500)
        found = cache.get_many([key(f"Πρόταση {i}.") for i in range(1600)])
    assert len(found) == 1500
    assert found[key("Πρόταση 1499.")] == "Sentence 1499."


def test_default_path_is_under_fidelity_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FIDELITY_HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / "cache" / "translations.sqlite"


def test_two_handles_on_one_file_both_write(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    with TranslationCache(path) as one, TranslationCache(path) as two:
        fill(one, 10, "Ένα")
        fill(two, 10, "Δύο")
        fill(one, 10, "Τρία")
        assert len(one) == len(two) == 30


def test_two_processes_at_once(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from fidelity.translate.cache import TranslationCache, cache_key
        tag = sys.argv[1]
        with TranslationCache(Path({str(path)!r})) as cache:
            for i in range(40):
                k = cache_key(f"{{tag}} {{i}}", "el", "en", "argos", "p", "1")
                cache.put_many([(k, "x")], source="el", target="en", engine="argos",
                               package="p", version="1")
                cache.get_many([k])
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, tag], stderr=subprocess.PIPE, text=True)
        for tag in ("first", "second")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with TranslationCache(path) as cache:
        assert len(cache) == 80


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database, just some bytes\x00\xff" * 200)


def _truncated(path: Path) -> None:
    with TranslationCache(path) as cache:
        fill(cache, 3000)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _scrambled(path: Path) -> None:
    with TranslationCache(path) as cache:
        fill(cache, 3000)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # smash the start of every page but the first
        data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage", [_garbage, _truncated, _scrambled], ids=["garbage", "truncated", "scrambled"]
)
def test_corrupt_cache_is_moved_aside_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: object
) -> None:
    path = tmp_path / "translations.sqlite"
    damage(path)  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="fidelity.translate.cache"):
        cache = TranslationCache(path)
    with cache:
        assert len(cache.moved_aside) == 1
        aside = cache.moved_aside[0]
        assert aside.exists()
        assert aside.name.startswith("translations.sqlite.corrupt-")
        assert "corrupt" in caplog.text
        assert len(cache) == 0
        cache.put_many([(key("Νέο."), "New.")], version="1.9", **META)
        assert cache.get_many([key("Νέο.")]) == {key("Νέο."): "New."}


def test_healthy_cache_is_not_moved(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    with TranslationCache(path) as cache:
        fill(cache, 5)
    with TranslationCache(path) as cache:
        assert cache.moved_aside == []
        assert len(cache) == 5
    assert sorted(p.name for p in tmp_path.iterdir() if "corrupt" in p.name) == []


def test_unopenable_path_is_a_cache_error(tmp_path: Path) -> None:
    (tmp_path / "t.sqlite").mkdir()
    with pytest.raises(CacheError, match=r"t\.sqlite"):
        TranslationCache(tmp_path / "t.sqlite")
