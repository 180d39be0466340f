"""Worker processes: the same result as the serial run, in order, with errors carried back."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import fidelity.align as align_stage
import fidelity.align.stories as stories_stage
import fidelity.extract as extract_stage
import fidelity.score as score_stage
from fidelity.errors import InputError
from fidelity.parallel import _cut, can_fork, run_pieces
from fidelity.pipeline import RunConfig, compare

needs_fork = pytest.mark.skipif(not can_fork(), reason="workers are forked on Linux only")


def _square(x: int) -> int:
    return x * x


def _refuse_seven(x: int) -> int:
    if x == 7:
        raise InputError(f"item-{x}", "seven is refused")
    return x


@pytest.mark.parametrize(
    ("weights", "count"),
    [([1.0] * 10, 4), ([100.0, 1.0, 1.0, 1.0], 3), ([1.0], 8), ([0.0, 0.0, 5.0], 2)],
)
def test_cut_covers_every_item_once_in_order(weights: list[float], count: int) -> None:
    chunks = _cut(weights, count)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(weights)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))
    assert len(chunks) <= max(1, count)


@needs_fork
def test_results_come_back_in_order() -> None:
    items = list(range(200))
    assert run_pieces(_square, items, jobs=2) == [x * x for x in items]


@needs_fork
def test_error_in_a_worker_reaches_the_caller_intact() -> None:
    with pytest.raises(InputError) as info:
        run_pieces(_refuse_seven, list(range(20)), jobs=2)
    assert info.value.origin == "item-7"
    assert info.value.reason == "seven is refused"


def test_small_work_stays_in_this_process() -> None:
    # a lambda cannot pickle: it would fail in a worker, so this proves nothing was forked
    assert run_pieces(lambda x: x + 1, [1, 2, 3], jobs=2, min_weight=1e9) == [2, 3, 4]


@needs_fork
def test_compare_with_workers_equals_the_serial_run(
    seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = compare([seeds_dir], RunConfig(jobs=1, use_cache=False))
    # make every stage's corpus "large" so that the workers really run
    monkeypatch.setattr(extract_stage, "_PARALLEL_SEGMENTS", 0)
    monkeypatch.setattr(align_stage, "_PARALLEL_CLAIM_PAIRS", 0)
    monkeypatch.setattr(stories_stage, "_PARALLEL_CLAIM_PAIRS", 0)
    monkeypatch.setattr(score_stage, "_PARALLEL_CLAIM_PAIRS", 0)
    parallel = compare([seeds_dir], RunConfig(jobs=2, use_cache=False))
    assert [c.id for a in parallel.articles for c in a.claims] == [
        c.id for a in serial.articles for c in a.claims
    ]
    assert parallel.alignment == serial.alignment
    assert [f.id for f in parallel.findings] == [f.id for f in serial.findings]
    assert parallel.scores == serial.scores
