"""The canonical JSON report and its versioned schema."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest
from test_report_sample import hostile_result, sample_result

from fidelity.report import SCHEMA_VERSION, iter_json, render_json, schema, to_document
from fidelity.types import ComparisonResult


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    loaded = schema()
    jsonschema.Draft202012Validator.check_schema(loaded)
    return jsonschema.Draft202012Validator(loaded)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(render_json(sample_result()))
    return loaded


@pytest.mark.parametrize("build", [sample_result, hostile_result], ids=["sample", "hostile"])
def test_output_validates_against_the_schema(
    build: Any, validator: jsonschema.Draft202012Validator
) -> None:
    validator.validate(json.loads(render_json(build())))


def test_top_level_shape(document: dict[str, Any]) -> None:
    assert document["schema_version"] == SCHEMA_VERSION == "1.0"
    assert list(document)[:2] == ["schema_version", "signature"]
    for key in ("articles", "stories", "clusters", "alignments", "findings", "scores", "skipped"):
        assert isinstance(document[key], list), key
    assert document["signature"]["text"].startswith("fidelity:0.1.0|langid:lingua-2.1.1")
    assert document["summary"]["by_severity"] == {"high": 2, "medium": 2, "low": 1}


@pytest.mark.parametrize(
    ("path", "breakage"),
    [
        (("schema_version",), "2.0"),
        (("findings", 0, "severity"), "critical"),
        (("findings", 0, "derived", "span", "start"), -1),
        (("articles", 1, "segments", 0, "provenance", "status"), "guessed"),
        (("scores", 0, "score"), 101),
    ],
)
def test_schema_rejects_broken_documents(
    document: dict[str, Any],
    validator: jsonschema.Draft202012Validator,
    path: tuple[Any, ...],
    breakage: Any,
) -> None:
    broken = copy.deepcopy(document)
    node: Any = broken
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = breakage
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_schema_rejects_unknown_and_missing_keys(
    document: dict[str, Any], validator: jsonschema.Draft202012Validator
) -> None:
    extra = copy.deepcopy(document)
    extra["findings"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(extra)
    missing = copy.deepcopy(document)
    del missing["findings"][0]["id"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(missing)


def test_spans_carry_the_text_they_cover(document: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in document["articles"]}
    seen = 0
    for finding in document["findings"]:
        for side in ("derived", "reference"):
            evidence = finding[side]
            if evidence is None:
                continue
            span = evidence["span"]
            assert texts[evidence["article_id"]][span["start"] : span["end"]] == span["text"]
            for h in evidence["highlight"]:
                assert evidence["text"][h["start"] : h["end"]] == h["text"]
                seen += 1
    assert seen >= 5
    for article in document["articles"]:
        for claim in article["claims"]:
            for quote in claim["quotes"]:
                assert (
                    claim["text"][quote["span"]["start"] : quote["span"]["end"]]
                    == quote["span"]["text"]
                )


def test_findings_keep_their_stable_ids_and_clusters(document: dict[str, Any]) -> None:
    ids = [f["id"] for f in document["findings"]]
    assert ids == [f.id for f in sample_result().findings]
    by_id = {f["id"]: f for f in document["findings"]}
    assert by_id["f-77b0d2"]["cluster_id"] == "c4"
    assert by_id["f-d61c08"]["cluster_id"] is None
    assert by_id["f-d61c08"]["reference"] is None


def test_every_segment_has_provenance(document: dict[str, Any]) -> None:
    greek = next(a for a in document["articles"] if a["id"] == "kathimerini-el")
    provenances = [s["provenance"] for s in greek["segments"]]
    assert {p["status"] for p in provenances} == {"translated", "untranslated"}
    untranslated = next(p for p in provenances if p["status"] == "untranslated")
    assert untranslated["engine"] == "none"
    assert "translate-el_en" in untranslated["hint"]
    translated = next(p for p in provenances if p["status"] == "translated")
    assert translated["package"] == "translate-el_en"
    assert translated["version"] == "1.9"
    assert any(p["cached"] for p in provenances)
    assert greek["removed"][0] == {
        "span": {"start": 0, "end": 13, "text": "Τελευταία Νέα"},
        "reason": "navigation",
    }


def test_non_json_signal_values_are_made_plain() -> None:
    result = sample_result()
    finding = replace(
        result.findings[0],
        signals={"nan": float("nan"), "inf": float("inf"), "set": {"b", "a"}, "obj": object()},
    )
    odd: ComparisonResult = replace(result, findings=(finding, *result.findings[1:]))
    signals = json.loads(render_json(odd))["findings"][0]["signals"]
    assert signals["nan"] is None
    assert signals["inf"] is None
    assert signals["set"] == ["a", "b"]
    assert signals["obj"].startswith("<object object")


def test_rendering_is_deterministic() -> None:
    assert render_json(sample_result()) == render_json(sample_result())
    assert render_json(sample_result(), indent=None).count("\n") == 1


@pytest.mark.parametrize("indent", [2, None, 4])
@pytest.mark.parametrize("make", [sample_result, hostile_result])
def test_streamed_pieces_are_the_whole_document(make: Any, indent: int | None) -> None:
    result = make()
    whole = json.dumps(to_document(result), ensure_ascii=False, indent=indent, allow_nan=False)
    pieces = list(iter_json(result, indent=indent))
    assert "".join(pieces) == whole + "\n"
    assert len(pieces) > len(result.articles) + len(result.findings)  # one item at a time


def test_empty_lists_stream_as_empty_lists() -> None:
    empty = replace(sample_result(), findings=(), skipped=())
    document = json.loads("".join(iter_json(empty)))
    assert document["findings"] == []
    assert document["skipped"] == []


def test_schema_doc_names_every_top_level_key() -> None:
    from importlib import resources

    doc = resources.files("fidelity.report").joinpath("SCHEMA.md").read_text("utf-8")
    for key in schema()["properties"]:  # type: ignore[attr-defined]
        assert f"`{key}`" in doc, key


def test_finding_to_json_matches_the_document(document: dict[str, Any]) -> None:
    from fidelity.report import finding_to_json

    result = sample_result()
    assert [finding_to_json(f, result) for f in result.findings] == document["findings"]
