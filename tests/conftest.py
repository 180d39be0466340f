"""Shared test set-up: every test runs offline with its own fidelity home.

The socket guard is pytest-socket, switched on for every test in pyproject.toml
(``--disable-socket --allow-unix-socket``): any attempt to open a network connection fails
loudly with ``SocketBlockedError``. ``test_offline.py`` proves the guard is armed.
"""

from __future__ import annotations

import os
from pathlib import Path

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
