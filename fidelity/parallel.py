"""Independent pieces of one stage (articles to extract or score, stories to align) run in
worker processes.

The workers are forked, so they start with the stage's inputs already in memory; only their
results travel back (pickled). The pieces are cut in order and put back in order, so a run
gives the same result with any number of jobs. Work runs in this process instead when one job
is asked for, the work is too small to pay for the processes, or the platform cannot fork
safely (only Linux forks here: macOS's system libraries are not fork-safe, Windows cannot).

Workers never touch the embedding model, the language detector or the translator: those hold
thread pools that do not survive a fork, and they are used by the parent only.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class _State:
    """What the forked workers run (set just before the pool starts, read by ``_run_chunk``)
    and whether this process is one of them."""

    task: tuple[Callable[[Any], Any], Sequence[Any], list[tuple[int, int]]] | None = None
    in_worker = False
    blas_limit: object = None  # kept for the worker's life


_STATE = _State()

# Pieces per worker: a few, so that one long article or story does not leave a core idle.
_CHUNKS_PER_JOB = 4


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int) -> int:
    """``jobs`` as a process count: 0 (or less) means one per usable CPU."""
    return jobs if jobs > 0 else usable_cpus()


def in_worker() -> bool:
    """Whether this code runs in a worker (it should then not start threads of its own)."""
    return _STATE.in_worker


def library_workers() -> int:
    """``workers=`` for a library that can use every CPU (rapidfuzz): -1 (all) in this
    process, 1 in a worker, whose siblings already keep the other CPUs busy."""
    return 1 if _STATE.in_worker else -1


def can_fork() -> bool:
    """Whether workers can be forked here."""
    return sys.platform.startswith("linux")


def run_pieces(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int,
    weights: Sequence[float] | None = None,
    min_weight: float = 0.0,
) -> list[R]:
    """``[fn(x) for x in items]``, in worker processes when that pays.

    Args:
        fn: the work for one item; its result must pickle.
        items: the pieces, in the order the results are wanted.
        jobs: worker processes to use (0: one per usable CPU; 1: this process only).
        weights: the rough cost of each item (default 1 each), to cut balanced chunks.
        min_weight: below this total weight everything runs in this process.

    Returns:
        The results in the order of ``items``.

    Raises:
        Whatever ``fn`` raises (the first failing item's error, as in the serial loop).
    """
    jobs = min(resolve_jobs(jobs), len(items))
    w = [float(x) for x in weights] if weights is not None else [1.0] * len(items)
    if jobs <= 1 or _STATE.in_worker or not can_fork() or sum(w) < min_weight:
        return [fn(x) for x in items]
    chunks = _cut(w, jobs * _CHUNKS_PER_JOB)
    _STATE.task = (fn, items, chunks)
    try:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        with warnings.catch_warnings():
            # Python 3.12+ warns on any fork of a threaded process; the workers never use the
            # threads' libraries (see the module docstring).
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                parts = list(pool.map(_run_chunk, range(len(chunks))))
    except (BrokenProcessPool, OSError) as exc:
        # A worker was killed (out of memory, a signal) or none could be started.
        log.warning("worker processes failed (%s); running this stage in one process", exc)
        return [fn(x) for x in items]
    finally:
        _STATE.task = None
    log.debug("%d pieces in %d chunks on %d workers", len(items), len(chunks), jobs)
    return [r for part in parts for r in part]


def _cut(weights: Sequence[float], count: int) -> list[tuple[int, int]]:
    """Contiguous ``[start, end)`` ranges of about equal weight, at most ``count`` of them."""
    total = sum(weights)
    if not weights:
        return []
    target = total / max(1, min(count, len(weights)))
    chunks: list[tuple[int, int]] = []
    start, acc = 0, 0.0
    for i, x in enumerate(weights):
        acc += x
        if acc >= target and i + 1 < len(weights):
            chunks.append((start, i + 1))
            start, acc = i + 1, 0.0
    chunks.append((start, len(weights)))
    return chunks


def _run_chunk(index: int) -> list[Any]:
    if not _STATE.in_worker:
        _STATE.in_worker = True
        # One BLAS thread per worker: OpenBLAS's threads spin while they wait, and with a
        # sibling worker on the other CPU the pool of each would only slow both down.
        from threadpoolctl import threadpool_limits

        _STATE.blas_limit = threadpool_limits(1, user_api="blas")
    assert _STATE.task is not None, "a worker ran without a task"
    fn, items, chunks = _STATE.task
    start, end = chunks[index]
    return [fn(items[i]) for i in range(start, end)]


__all__ = ["can_fork", "in_worker", "library_workers", "resolve_jobs", "run_pieces", "usable_cpus"]
