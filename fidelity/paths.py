"""Where fidelity keeps its data: models, caches. Honours FIDELITY_HOME and the XDG dirs."""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
_RUNTIME_FALLBACK: list[Path] = []


def data_home() -> Path:
    """The root of fidelity's own data (translation packages, caches).

    ``FIDELITY_HOME`` wins; otherwise ``$XDG_DATA_HOME/fidelity`` (default ``~/.local/share``).
    """
    explicit = os.environ.get("FIDELITY_HOME")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "fidelity"


def cache_home() -> Path:
    """Caches (translations, embeddings).

    ``FIDELITY_HOME/cache`` when set, else ``$XDG_CACHE_HOME/fidelity``.
    """
    explicit = os.environ.get("FIDELITY_HOME")
    if explicit:
        return Path(explicit).expanduser() / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "fidelity"


def argos_packages_dir() -> Path:
    return data_home() / "argos-packages"


def argos_runtime_dir() -> Path:
    """A folder for the data, config and cache folders argostranslate creates on import.

    ``argos-runtime`` in the data folder; when that cannot be created (a read-only or
    misplaced FIDELITY_HOME), a temporary folder for this process, removed at exit, with a
    warning: translation with the installed models still works.
    """
    runtime = data_home() / "argos-runtime"
    try:
        for sub in ("data", "config", "cache"):
            (runtime / sub).mkdir(parents=True, exist_ok=True)
        return runtime
    except OSError as exc:
        if not _RUNTIME_FALLBACK:
            _RUNTIME_FALLBACK.append(Path(tempfile.mkdtemp(prefix="fidelity-argos-")))
            atexit.register(shutil.rmtree, _RUNTIME_FALLBACK[0], ignore_errors=True)
        log.warning(
            "cannot create %s (%s); argostranslate's own folders go to %s for this run",
            runtime,
            exc.strerror or exc,
            _RUNTIME_FALLBACK[0],
        )
        return _RUNTIME_FALLBACK[0]
