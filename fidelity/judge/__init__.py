"""A learned consistency judge: P(supported) of a derived sentence against source windows.

``load_judge()`` returns a ``Judge`` (MiniLM-L6 cross-encoder, three classes: supported,
contradicted, not in the source). torch and transformers are imported only when a judge is
loaded, never at ``import fidelity.judge``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fidelity.judge.model import (
        Judge,
        JudgeThresholds,
        SentenceJudgement,
        TextJudgement,
        load_judge,
    )

__all__ = ["Judge", "JudgeThresholds", "SentenceJudgement", "TextJudgement", "load_judge"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from fidelity.judge import model

        return getattr(model, name)
    raise AttributeError(name)
