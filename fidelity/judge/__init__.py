"""A learned consistency judge: P(supported) of a derived sentence against a source.

``load_judge()`` returns a ``Judge``: word-alignment features and gradient-boosted trees
(``MODEL_CARD.md``). No neural model and no torch; the model module loads on first use.
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
