"""The objects passed between stages: invariants, and the pickled form the analysis cache keeps."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from fidelity import types
from fidelity.pipeline import RunConfig, compare

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _all_objects(value: object, seen: dict[int, object]) -> None:
    """Every fidelity dataclass instance reachable from ``value``."""
    if id(value) in seen:
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        seen[id(value)] = value
        for f in dataclasses.fields(value):
            _all_objects(getattr(value, f.name), seen)
    elif isinstance(value, tuple | list):
        for item in value:
            _all_objects(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _all_objects(item, seen)


@pytest.fixture(scope="module")
def seed_result() -> types.ComparisonResult:
    return compare([SEEDS], RunConfig(translator="identity", embedder="none", use_cache=False))


def test_a_result_survives_pickling_whole(seed_result: types.ComparisonResult) -> None:
    back = pickle.loads(pickle.dumps(seed_result, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == seed_result
    assert back.articles[0].claims[0].span == seed_result.articles[0].claims[0].span


def test_every_kind_of_object_round_trips_field_by_field(
    seed_result: types.ComparisonResult,
) -> None:
    seen: dict[int, object] = {}
    _all_objects(seed_result, seen)
    kinds = {type(o) for o in seen.values()}
    # the seeds reach every stage's objects, so the check covers the cache's whole content
    for name in ("Article", "Segment", "PivotSegment", "Claim", "Quote", "Speaker", "Quantity"):
        assert getattr(types, name) in kinds
    for obj in seen.values():
        back = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(back) is type(obj)
        for f in dataclasses.fields(obj):  # type: ignore[arg-type]
            assert getattr(back, f.name) == getattr(obj, f.name), (type(obj).__name__, f.name)


def test_unpickled_objects_stay_frozen(seed_result: types.ComparisonResult) -> None:
    claim = pickle.loads(pickle.dumps(seed_result.articles[0].claims[0]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.text = "changed"  # type: ignore[misc]


def test_state_of_the_default_dataclass_form_still_loads() -> None:
    # An entry written by the dataclass-generated state functions holds a list of values.
    span = types.Span.__new__(types.Span)
    span.__setstate__([3, 9])  # type: ignore[attr-defined]
    assert span == types.Span(3, 9)


def test_invariants_are_checked() -> None:
    with pytest.raises(ValueError, match="bad span"):
        types.Span(5, 2)
    with pytest.raises(ValueError, match="confidence"):
        types.Alignment(left="a#1", right="b#1", confidence=1.5, fuzzy=0.0, cosine=None)
