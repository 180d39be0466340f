"""fidelity: a multilingual source-fidelity checker for news."""

from __future__ import annotations

__version__ = "0.1.0"
