"""Run one measurement in a fresh Python process and read the JSON line it prints last.

Every benchmark measures in a child so model loads, caches and peak RSS are the run's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_child(args: list[str], home: Path, what: str = "run") -> Any:
    """``python ARGS`` with ``FIDELITY_HOME=home``, offline; its last stdout line as JSON.

    ``args`` is ``["-c", code, ...]`` or ``[script, ...]``. A failed child ends the bench
    with its error's tail.
    """
    env = {
        **os.environ,
        "FIDELITY_HOME": str(home),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    proc = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{what} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
