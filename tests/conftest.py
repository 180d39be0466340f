"""Shared test set-up: every test runs offline with its own fidelity home.

The socket guard is pytest-socket, switched on for every test in pyproject.toml
(``--disable-socket --allow-unix-socket``): any attempt to open a network connection fails
loudly with ``SocketBlockedError``. ``test_offline.py`` proves the guard is armed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argos_tiny import tiny_argos_models  # noqa: F401  (session fixture: tiny .argosmodel files)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"

# Model hubs are never reachable; make every library that knows these switches stay offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test gets an empty FIDELITY_HOME unless it sets its own."""
    home = tmp_path_factory.mktemp("fidelity-home")
    monkeypatch.setenv("FIDELITY_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """A local Dask cluster of two worker processes over loopback, one per test module, given
    to the engine by its address as a user's cluster would be (tests using it are marked
    ``allow_hosts(["127.0.0.1"])``)."""
    dask_distributed = pytest.importorskip("dask.distributed")
    cluster: Any = dask_distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        host="127.0.0.1",
        env={"OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"},
    )
    with cluster:
        yield cluster.scheduler_address
