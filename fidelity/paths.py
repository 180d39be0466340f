"""Where fidelity keeps its data: models, caches. Honours FIDELITY_HOME and the XDG dirs."""

from __future__ import annotations

import os
from pathlib import Path


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
