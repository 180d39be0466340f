"""The scoring stage's parameters: the engine's thresholds and every detector's (a detector
is a frozen dataclass whose fields are its thresholds). Flattened into the run's signature as
``score.min_alignment``, ``score.quotes.match_floor`` ...; a dotted-name mapping overrides them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from fidelity.errors import ConfigError
from fidelity.score.base import ArticleDetector, PairDetector
from fidelity.score.detectors import ARTICLE_DETECTORS, PAIR_DETECTORS


def _pair_detectors() -> tuple[PairDetector, ...]:
    return tuple(PAIR_DETECTORS.values())


def _article_detectors() -> tuple[ArticleDetector, ...]:
    return tuple(ARTICLE_DETECTORS.values())


@dataclass(frozen=True, slots=True)
class ScoreConfig:
    """Thresholds of the scoring stage and its detectors (recorded in every signature)."""

    min_alignment: float = 0.45  # weaker alignments are not compared
    consensus_fraction: float = 0.5  # consensus mode: share of counterparts that must disagree
    headline_shared_words: int = 2  # a headline also meets the source sentence sharing this many
    language: str = "en"  # the pivot language: whose words (lexicons/scoring.yaml) are read
    pair_detectors: tuple[PairDetector, ...] = field(default_factory=_pair_detectors)
    article_detectors: tuple[ArticleDetector, ...] = field(default_factory=_article_detectors)

    def as_dict(self) -> dict[str, float]:
        """Every threshold by dotted name: ``score.<field>`` and ``score.<detector>.<field>``."""
        out = {f"score.{k}": float(v) for k, v in _numbers(self).items()}
        detectors: tuple[PairDetector | ArticleDetector, ...] = (
            *self.pair_detectors,
            *self.article_detectors,
        )
        for det in detectors:
            out.update({f"score.{det.name}.{k}": float(v) for k, v in _numbers(det).items()})
        return out

    def with_overrides(self, overrides: Mapping[str, object]) -> ScoreConfig:
        """This config with thresholds set by dotted name (``score.quotes.match_floor``).

        Raises:
            ConfigError: an unknown name, or a value that is not a number of the right kind.
        """
        config = self
        for key, value in overrides.items():
            parts = key.split(".")
            if parts[0] != "score" or len(parts) not in (2, 3):
                raise ConfigError(
                    f"unknown threshold {key!r}: expected score.<name> or score.<detector>.<name>"
                )
            if len(parts) == 2:
                config = _set(config, key, parts[1], value)
                continue
            name, attr = parts[1], parts[2]
            names = [d.name for d in config.pair_detectors] + [
                d.name for d in config.article_detectors
            ]
            if name not in names:
                raise ConfigError(
                    f"unknown detector {name!r} in {key!r}; the detectors are {', '.join(names)}"
                )
            config = dataclasses.replace(
                config,
                pair_detectors=tuple(
                    _set(d, key, attr, value) if d.name == name else d
                    for d in config.pair_detectors
                ),
                article_detectors=tuple(
                    _set(d, key, attr, value) if d.name == name else d
                    for d in config.article_detectors
                ),
            )
        return config


def _numbers(obj: object) -> dict[str, int | float]:
    """The numeric dataclass fields of ``obj`` (its thresholds)."""
    if not dataclasses.is_dataclass(obj):
        return {}
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    return {
        k: v for k, v in values.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }


_T = TypeVar("_T")


def _set(obj: _T, key: str, attr: str, value: object) -> _T:
    current = _numbers(obj)
    if attr not in current:
        known = ", ".join(sorted(current)) or "none"
        raise ConfigError(f"unknown threshold {key!r}; its known thresholds are {known}")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise ConfigError(f"threshold {key!r} must be a number, not {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ConfigError(f"threshold {key!r} must be a number, not {value!r}")
    if isinstance(current[attr], int) and not isinstance(current[attr], bool):
        if float(value) != int(value):
            raise ConfigError(f"threshold {key!r} must be a whole number, not {value!r}")
        value = int(value)
    else:
        value = float(value)
    return dataclasses.replace(obj, **{attr: value})  # type: ignore[type-var]
