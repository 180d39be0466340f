"""The Dask engine on a local cluster over loopback: the same result as the in-process engine.

One cluster of two worker processes serves the module (its address is given as a scheduler,
as a user with a cluster would); each worker loads the real models once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fidelity.errors import ModelError, UsageError
from fidelity.load import load_corpus
from fidelity.pipeline import RunConfig, compare
from fidelity.types import ComparisonResult

dask_distributed = pytest.importorskip("dask.distributed")

from fidelity.distributed import VectorTable, compare_corpus_on_dask  # noqa: E402

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

EVAL = Path(__file__).resolve().parent.parent / "fixtures" / "eval"


def same(local: ComparisonResult, dist: ComparisonResult) -> None:
    assert dist.articles == local.articles
    assert dist.alignment == local.alignment
    assert [f.id for f in dist.findings] == [f.id for f in local.findings]
    assert dist.findings == local.findings
    assert dist.scores == local.scores
    assert dist.signature == local.signature


def test_seeds_on_dask_equal_the_in_process_run(dask_scheduler: str) -> None:
    config = RunConfig(use_cache=False, jobs=1)
    local = compare(["seeds"], config)
    dist = compare_corpus_on_dask(
        load_corpus(["seeds"]), config, scheduler=dask_scheduler, partition=2
    )
    same(local, dist)
    assert local.findings, "the comparison has something to compare"


def test_several_stories_are_grouped_and_scored_as_in_process(dask_scheduler: str) -> None:
    folders = sorted(p for p in EVAL.iterdir() if p.is_dir())[:3]
    config = RunConfig(use_cache=False, jobs=1)
    local = compare(folders, config)
    dist = compare_corpus_on_dask(
        load_corpus(folders), config, scheduler=dask_scheduler, partition=3
    )
    same(local, dist)
    assert len(dist.alignment.stories) >= 3


def test_lexical_mode_without_embeddings(dask_scheduler: str) -> None:
    config = RunConfig(use_cache=False, jobs=1, embedder="none")
    local = compare(["seeds"], config)
    dist = compare_corpus_on_dask(load_corpus(["seeds"]), config, scheduler=dask_scheduler)
    same(local, dist)


def test_unreachable_scheduler_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        compare_corpus_on_dask(
            load_corpus(["seeds"]), RunConfig(use_cache=False), scheduler="tcp://127.0.0.1:9"
        )


def test_vector_table_refuses_a_sentence_it_was_not_given() -> None:
    import numpy as np

    table = VectorTable("m", 2, {"a": np.asarray([1.0, 0.0], dtype=np.float32)})
    assert table.embed(["a", "a"]).shape == (2, 2)
    assert table.embed([]).shape == (0, 2)
    with pytest.raises(ModelError, match="not embedded"):
        table.embed(["a", "b"])


def test_compare_engine_dask_on_the_command_line(dask_scheduler: str, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from fidelity.cli import app

    runner = CliRunner()
    local_out, dask_out = tmp_path / "local.json", tmp_path / "dask.json"
    common = ["compare", "seeds", "--no-cache", "--jobs", "1", "-f", "json"]
    assert runner.invoke(app, [*common, "-o", str(local_out)]).exit_code == 0
    result = runner.invoke(
        app, [*common, "--engine", "dask", "--scheduler", dask_scheduler, "-o", str(dask_out)]
    )
    assert result.exit_code == 0, result.output
    local, dist = json.loads(local_out.read_text("utf-8")), json.loads(dask_out.read_text("utf-8"))
    assert dist["findings"] == local["findings"]
    assert dist["scores"] == local["scores"]


def test_relays_on_dask_equal_the_in_process_run(dask_scheduler: str, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synth import generate, write_markdown

    write_markdown(generate(3, 5, sentences=12, seed=9, relays=0.4), tmp_path)
    config = RunConfig(translator="identity", embedder="none", use_cache=False, jobs=1)
    local = compare([tmp_path], config)
    assert any(e.relay_of for e in local.articles), "the corpus has relays"
    dist = compare_corpus_on_dask(load_corpus([tmp_path]), config, scheduler=dask_scheduler)
    same(local, dist)
