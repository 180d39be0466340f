"""The streaming Dask engine (fidelity/stream.py) on a local cluster over loopback: shards in,
story reports and a findings table out, the same findings and scores as the in-process engine."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from fidelity.pipeline import RunConfig, compare
from fidelity.stream import blocks_of

dask_distributed = pytest.importorskip("dask.distributed")
pq = pytest.importorskip("pyarrow.parquet")

from fidelity.stream import stream_compare  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synth import generate  # noqa: E402

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

CONFIG = RunConfig(translator="identity", embedder="none", use_cache=False, jobs=1)


def write_shards(folder: Path, *, relays: float = 0.3, repeat_id: bool = False) -> Path:
    """Five stories of five outlets (some relays) in a JSONL shard and a Parquet shard."""
    import pyarrow as pa

    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {"id": a.id, "outlet": a.outlet, "title": a.title, "text": a.text, "language": "en"}
        for a in generate(5, 5, sentences=12, seed=9, relays=relays)
    ]
    if repeat_id:
        rows[-1]["id"] = rows[0]["id"]  # one id in both shards: made unique as in process
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:13]))
    pq.write_table(pa.Table.from_pylist(rows[13:]), folder / "b.parquet", row_group_size=4)
    return folder


def test_streamed_results_equal_the_in_process_engine(dask_scheduler: str, tmp_path: Path) -> None:
    shards = write_shards(tmp_path / "in", repeat_id=True)
    out, table = tmp_path / "stories", tmp_path / "findings.parquet"
    local = compare([shards], CONFIG)
    summary = stream_compare(
        [shards],
        replace(CONFIG, stories_out=out, findings_parquet=table),
        scheduler=dask_scheduler,
        batch=4,
        rows_per_task=5,
    )
    assert summary.articles == len(local.articles)
    assert summary.relays == sum(e.relay_of is not None for e in local.articles) > 0
    assert summary.stories == len(local.alignment.stories)
    assert summary.alignments == len(local.alignment.alignments)
    rows = pq.read_table(table).to_pylist()
    assert sorted(r["finding_id"] for r in rows) == sorted(f.id for f in local.findings)
    assert local.findings, "the stories disagree somewhere"
    assert sorted((s.article_id, s.score, s.compared_with) for s in summary.scores) == sorted(
        (s.article_id, s.score, s.compared_with) for s in local.scores
    )
    # one report per story, its findings the in-process ones of its articles
    stories = {frozenset(s.article_ids) for s in local.alignment.stories}
    files = sorted(out.glob("*.json"))
    assert len(files) == summary.story_files == len(stories)
    for path in files:
        document = json.loads(path.read_text("utf-8"))
        [story] = document["stories"]
        assert frozenset(story["article_ids"]) in stories
        expected = {f.id for f in local.findings if f.derived.article_id in story["article_ids"]}
        assert {f["id"] for f in document["findings"]} == expected


def test_streaming_with_embeddings_equals_the_in_process_engine(
    dask_scheduler: str, tmp_path: Path
) -> None:
    shards = write_shards(tmp_path / "in", relays=0.0)
    config = replace(CONFIG, embedder="minilm", findings_parquet=tmp_path / "f.parquet")
    local = compare([shards], replace(config, findings_parquet=None))
    summary = stream_compare([shards], config, scheduler=dask_scheduler, batch=8)
    ids = pq.read_table(tmp_path / "f.parquet").column("finding_id").to_pylist()
    assert sorted(ids) == sorted(f.id for f in local.findings)
    assert summary.signature == local.signature


def test_blocks_are_components_cut_again_when_too_large() -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(3, 64))
    points = np.concatenate([c + 0.05 * rng.normal(size=(4, 64)) for c in centres])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    order = rng.permutation(len(points))
    blocks = blocks_of(points[order], link=0.9)
    truth = np.repeat(np.arange(3), 4)[order]
    # the same partition as the clusters, numbered by first appearance
    assert len(set(zip(blocks.tolist(), truth.tolist(), strict=True))) == 3
    assert blocks[0] == 0 and sorted(set(blocks.tolist())) == [0, 1, 2]
    chained = np.asarray([[np.cos(a), np.sin(a)] for a in np.linspace(0, 1.2, 30)])
    assert len(set(blocks_of(chained, link=0.99).tolist())) == 1  # a chain is one component
    cut = blocks_of(chained, link=0.99, max_block=10)
    assert np.bincount(cut).max() <= 10
    assert (np.diff(cut) >= 0).all(), "cut pieces of a chain stay contiguous"


def test_the_cli_streams_with_stories_out(dask_scheduler: str, tmp_path: Path) -> None:
    from fidelity.cli import app

    shards = write_shards(tmp_path / "in")
    out = tmp_path / "stories"
    result = CliRunner().invoke(
        app,
        [
            "compare",
            str(shards),
            "--translator",
            "identity",
            "--embedder",
            "none",
            "--no-cache",
            "--engine",
            "dask",
            "--scheduler",
            dask_scheduler,
            "--stories-out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "25 articles in" in result.stdout and "story reports" in result.stdout
    assert list(out.glob("*.json"))
    refused = CliRunner().invoke(
        app,
        [
            "compare",
            str(shards),
            "--engine",
            "dask",
            "--stories-out",
            str(out),
            "--reference",
            str(shards / "a.jsonl"),
        ],
    )
    assert refused.exit_code == 2
    assert "not streamed" in refused.output
