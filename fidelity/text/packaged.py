"""The YAML lexicons shipped in ``fidelity/lexicons/score/``, each parsed once per process.

The scoring stage's word lists (``words.yaml``, ``scope.yaml``, ``offices.yaml``,
``headline.yaml``) are package data written here, not user input: they are read with YAML's
safe loader (libyaml's when present) and a file that is not a mapping reads as empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["packaged_lexicon"]


@cache
def packaged_lexicon(name: str) -> Mapping[str, Any]:
    """The parsed lexicon ``fidelity/lexicons/<name>`` (``name`` like ``"score/words.yaml"``)."""
    text = resources.files("fidelity").joinpath("lexicons", *name.split("/")).read_text("utf-8")
    loaded = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loaded if isinstance(loaded, dict) else {}
