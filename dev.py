#!/usr/bin/env python3
"""Set-up and run in one command, from a clean clone, with nothing but Python 3.11+.

    python3 dev.py demo    # create .venv, install, run `fidelity compare seeds/`
    python3 dev.py test    # create .venv, install with test tools, run the test suite

The virtual environment lives in .venv and is re-used while pyproject.toml is unchanged.
CPU-only torch is installed first so the resolver never pulls a CUDA build; on machines where
PyPI's default torch wheel is a CUDA build, point FIDELITY_TORCH_INDEX at PyTorch's CPU wheel
index (see README).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TORCH = "torch==2.13.0"


def _python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def ensure_env(extras: str) -> Path:
    stamp = VENV / ".fidelity-installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == want and _python().exists():
        return _python()
    if not _python().exists():
        print(f"creating {VENV.name} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    py = _python()
    pip = [py, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    index = os.environ.get("FIDELITY_TORCH_INDEX")
    torch_args = [TORCH] + (["--index-url", index] if index else [])
    if _run(*pip, *torch_args) != 0:
        sys.exit("could not install CPU torch; see README (FIDELITY_TORCH_INDEX)")
    target = f".[{extras}]" if extras else "."
    if _run(*pip, "-e", target) != 0:
        sys.exit("could not install fidelity's dependencies")
    stamp.write_text(want)
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    if command == "demo":
        py = ensure_env("")
        return _run(py, "-m", "fidelity.cli", "compare", "seeds/", *rest, env=env)
    py = ensure_env("dev")
    code = _run(py, "-m", "pytest", "-m", "not slow", *rest, env=env)
    if code == 5:
        print("no test ran: that is a failure", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
