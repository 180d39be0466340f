"""Shards in (JSONL and Parquet, a batch at a time) and results out (JSON per story, a Parquet
table of findings): what goes in comes back out."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.errors import ReportError
from fidelity.load import load_corpus
from fidelity.load.shards import (
    Shard,
    iter_batches,
    shard_files,
    split_shards,
    write_articles_parquet,
)
from fidelity.outputs import FINDING_COLUMNS, finding_rows, story_results, write_story_reports
from fidelity.pipeline import RunConfig, compare

pq = pytest.importorskip("pyarrow.parquet")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synth import generate  # noqa: E402

CONFIG = RunConfig(translator="identity", embedder="none", use_cache=False, jobs=1)


def records(stories: int = 3, outlets: int = 4) -> list[dict[str, Any]]:
    return [
        {"id": a.id, "outlet": a.outlet, "title": a.title, "text": a.text, "language": "en"}
        for a in generate(stories, outlets, sentences=12, seed=5)
    ]


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    """The same twelve articles as two JSONL shards and one Parquet shard of row groups of 2."""
    folder = tmp_path / "shards"
    folder.mkdir()
    rows = records()
    for k, part in enumerate((rows[:4], rows[4:6])):
        (folder / f"part-{k}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in part), encoding="utf-8"
        )
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist(rows[6:]), folder / "part-2.parquet", row_group_size=2)
    return folder


def test_shards_are_read_in_batches_and_equal_the_whole_corpus(shards: Path) -> None:
    files = shard_files([shards])
    assert [f.name for f in files] == ["part-0.jsonl", "part-1.jsonl", "part-2.parquet"]
    tasks = split_shards(files, rows_per_task=3)
    # JSONL shards split every 3 lines (4 lines: 3 + 1; 2 lines), Parquet at row groups (2 rows
    # each: 4 then 2 rows)
    assert [(Path(t.path).name, t.first_line, t.row_groups) for t in tasks] == [
        ("part-0.jsonl", 1, None),
        ("part-0.jsonl", 4, None),
        ("part-1.jsonl", 1, None),
        ("part-2.parquet", 1, (0, 1)),
        ("part-2.parquet", 1, (2,)),
    ]
    batches = [b for t in tasks for b, _ in iter_batches(t, batch=3)]
    assert max(len(b) for b in batches) <= 3
    streamed = [a for b in batches for a in b]
    whole = load_corpus([shards]).articles
    assert [a.id for a in streamed] == [a.id for a in whole] == [r["id"] for r in records()]
    assert streamed == list(whole)
    assert streamed[-1].origin.endswith("part-2.parquet:6")


@pytest.mark.parametrize("ending", ["\n", ""])
@pytest.mark.parametrize("every", [1, 2, 3, 7])
def test_jsonl_pieces_cover_every_line_once(tmp_path: Path, ending: str, every: int) -> None:
    rows = records(1, 5)
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + ending, encoding="utf-8")
    pieces = split_shards([path], rows_per_task=every)
    assert len(pieces) == -(-len(rows) // every)
    read = [a for p in pieces for b, _ in iter_batches(p, batch=2) for a in b]
    assert [a.id for a in read] == [r["id"] for r in rows]
    assert [a.origin.rsplit(":", 1)[1] for a in read] == [str(k) for k in range(1, 6)]


def test_a_bad_line_or_row_costs_only_itself(tmp_path: Path) -> None:
    good = records(1, 2)
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps(good[0]) + "\n{not json\n" + json.dumps({"id": "x"}) + "\n")
    [(articles, bad)] = list(iter_batches(jsonl))
    assert [a.id for a in articles] == [good[0]["id"]]
    assert [b.origin.rsplit(":", 1)[1] for b in bad] == ["2", "3"]
    parquet = tmp_path / "b.parquet"
    write_articles_parquet([good[1], {**good[0], "text": "  "}], parquet)
    [(articles, bad)] = list(iter_batches(Shard(str(parquet))))
    assert [a.id for a in articles] == [good[1]["id"]]
    assert bad[0].origin.endswith("b.parquet:2") and "text" in bad[0].reason


def test_a_parquet_shard_without_text_is_refused(tmp_path: Path) -> None:
    from fidelity.errors import InputError

    path = tmp_path / "c.parquet"
    write_articles_parquet([{"id": "a", "body": "words"}], path)
    with pytest.raises(InputError, match="no 'text' column"):
        list(iter_batches(path))


def test_story_reports_and_the_findings_table_round_trip(shards: Path, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from fidelity.report import schema

    out = tmp_path / "out"
    table = tmp_path / "findings.parquet"
    result = compare([shards], replace(CONFIG, stories_out=out, findings_parquet=table))
    assert result.findings, "the synthetic stories disagree somewhere"
    # the table: one row per finding, every column, the values of the result
    read = pq.read_table(table)
    assert tuple(read.column_names) == FINDING_COLUMNS
    assert read.to_pylist() == finding_rows(result)
    assert read.column("finding_id").to_pylist() == [f.id for f in result.findings]
    # one JSON report per story; together they hold every finding and score, once
    files = sorted(out.glob("*.json"))
    assert len(files) == len(result.alignment.stories)
    found: list[str] = []
    scored: list[str] = []
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(document, schema())
        [story] = document["stories"]
        assert path.name == f"{story['id']}.json"
        assert {a["id"] for a in document["articles"]} == set(story["article_ids"])
        found += [f["id"] for f in document["findings"]]
        scored += [s["article_id"] for s in document["scores"]]
    assert sorted(found) == sorted(f.id for f in result.findings)
    assert sorted(scored) == sorted(s.article_id for s in result.scores)
    assert sum(len(s.alignment.alignments) for s in story_results(result)) == len(
        result.alignment.alignments
    )
    assert not list(out.glob(".*")), "no temporary file is left behind"


def test_outputs_to_an_unwritable_place_are_a_report_error(shards: Path, tmp_path: Path) -> None:
    result = compare([shards], CONFIG)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError):
        write_story_reports(result, blocker / "sub")


def test_the_cli_writes_both(shards: Path, tmp_path: Path) -> None:
    out, table = tmp_path / "stories", tmp_path / "f.parquet"
    run = CliRunner().invoke(
        app,
        [
            "compare",
            str(shards),
            "--translator",
            "identity",
            "--embedder",
            "none",
            "--no-cache",
            "-j",
            "1",
            "--format",
            "json",
            "--stories-out",
            str(out),
            "--findings-parquet",
            str(table),
        ],
    )
    assert run.exit_code == 0, run.output
    document = json.loads(run.stdout)
    assert pq.read_table(table).column("finding_id").to_pylist() == [
        f["id"] for f in document["findings"]
    ]
    assert len(list(out.glob("*.json"))) == len(document["stories"])
