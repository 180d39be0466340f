"""The pipeline end to end, and its analysis cache (warm re-runs redo nothing unchanged)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fidelity import runcache
from fidelity.paths import cache_home
from fidelity.pipeline import RunConfig, compare


def _copy_seeds(seeds_dir: Path, dest: Path) -> Path:
    target = dest / "seeds"
    shutil.copytree(seeds_dir, target)
    return target


def test_warm_rerun_gives_the_same_result_from_the_cache(seeds_dir: Path, tmp_path: Path) -> None:
    folder = _copy_seeds(seeds_dir, tmp_path)
    cold = compare([folder], RunConfig())
    assert (cache_home() / runcache.FILENAME).exists()
    warm = compare([folder], RunConfig())
    assert [f.id for f in warm.findings] == [f.id for f in cold.findings]
    assert warm.scores == cold.scores
    assert warm.signature == cold.signature


def test_cold_run_fills_the_analysis_cache(seeds_dir: Path) -> None:
    result = compare([seeds_dir], RunConfig())
    cache = runcache.RunCache()
    try:
        assert cache.entries() == len(result.articles) + 1  # each article, and the run
    finally:
        cache.close()


def test_changed_article_is_analysed_again(seeds_dir: Path, tmp_path: Path) -> None:
    folder = _copy_seeds(seeds_dir, tmp_path)
    compare([folder], RunConfig())
    rt = folder / "001_2010daea4983f6c8.txt"
    rt.write_text(rt.read_text("utf-8").replace("within 24 hours", "within 48 hours"), "utf-8")
    result = compare([folder], RunConfig())
    article = next(a for a in result.articles if a.article.id == "001_2010daea4983f6c8")
    assert "within 48 hours" in article.article.text
    assert any("48 hours" in c.text for c in article.claims)


def test_no_cache_writes_nothing(seeds_dir: Path) -> None:
    compare([seeds_dir], RunConfig(use_cache=False))
    assert not (cache_home() / runcache.FILENAME).exists()


def test_corrupt_analysis_cache_is_moved_aside(
    seeds_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = cache_home() / runcache.FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    result = compare([seeds_dir], RunConfig())
    assert result.findings
    assert list(path.parent.glob(f"{runcache.FILENAME}.corrupt-*"))
    assert "corrupt" in caplog.text


def test_signature_names_provided_translations_on_warm_runs_too(tmp_path: Path) -> None:
    story = Path(__file__).resolve().parent.parent / "fixtures" / "eval" / "bank-of-russia-key-rate"
    folder = tmp_path / "story"
    shutil.copytree(story, folder)
    cold = compare([folder], RunConfig())
    warm = compare([folder], RunConfig())  # every article from the analysis cache
    assert any(p.startswith("provided:") for p in cold.signature.translation_packages)
    assert warm.signature == cold.signature
