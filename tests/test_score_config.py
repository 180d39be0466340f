"""The scoring stage's thresholds: every one in the signature by dotted name, settable through
``RunConfig.extra_thresholds`` (a config file, the environment, later the CLI), refused with a
``ConfigError`` naming the key when unknown or not a number of its kind."""

from __future__ import annotations

import pytest

from fidelity.errors import ConfigError
from fidelity.pipeline import stage_configs
from fidelity.score import ScoreConfig
from fidelity.score.detectors import ARTICLE_DETECTORS, PAIR_DETECTORS


def test_every_detector_threshold_is_in_the_signature() -> None:
    names = ScoreConfig().as_dict()
    assert names["score.min_alignment"] == 0.45
    assert names["score.quotes.match_floor"] == 55
    assert names["score.dropped_clauses.kept"] == 0.34
    assert names["score.quotes.paraphrase_low"] == 50
    assert names["score.quotes.paraphrase_high"] == 90
    detectors = {*PAIR_DETECTORS, *ARTICLE_DETECTORS}
    assert {k.split(".")[1] for k in names if k.count(".") == 2} <= detectors


def test_overrides_reach_the_configs_and_the_signature() -> None:
    align, score = stage_configs(
        {"align.accept": 0.6, "score.min_alignment": 0.5, "score.quotes.match_floor": 60}
    )
    assert align.accept == 0.6
    assert score.min_alignment == 0.5
    quotes = next(d for d in score.pair_detectors if d.name == "quotes")
    assert quotes.match_floor == 60  # type: ignore[attr-defined]
    assert score.as_dict()["score.quotes.match_floor"] == 60
    assert stage_configs({})[1] == ScoreConfig()


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        ({"score.quotes.nope": 1}, "'score.quotes.nope'"),
        ({"score.nope.floor": 1}, "unknown detector 'nope'"),
        ({"score.quotes.min_words": 2.5}, "whole number"),
        ({"score.quotes.verbatim": "high"}, "must be a number"),
        ({"score.min_alignment": True}, "must be a number"),
        ({"judge.floor": 1}, "'judge.floor'"),
        ({"align.nope": 1}, "'align.nope'"),
    ],
)
def test_bad_overrides_name_the_key(thresholds: dict[str, float], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        stage_configs(thresholds)
