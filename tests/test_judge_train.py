"""The judge's training code on a tiny generated consistency file: data derivation, generators,
a real fit of the classifier on frozen-encoder features (cached, reproducible), LODO folds."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fidelity.judge.data import (
    CONTRADICTED,
    SUPPORTED,
    consistency_files,
    edited_sentences,
    load_items,
    sentence_pairs,
)
from fidelity.judge.generate import CHANGING, PRESERVING, generate_pairs

SOURCES = [
    "The central bank raised its main interest rate by 0.25 points on Tuesday. Governor Anna "
    "Berg said inflation may fall below 3 percent next year. The decision was taken by a vote "
    "of seven to two. Two members wanted to keep the rate unchanged. Markets in Oslo rose "
    "after the announcement.",
    "Mike asked Ann to buy butter on her way home. Ann said she would check the fridge for milk "
    "first. She found two bottles of milk in the fridge. Mike thanked her and said he would "
    "cook pasta for dinner on Friday. Ann agreed to bring wine.",
    "The study proposes a new method for training small networks on abundant data. Experiments "
    "on five datasets show that the method improves accuracy by 4 percent. The authors suggest "
    "that the approach could be extended to speech. Code will be released after publication.",
]


def _consistency_rows(seed: int = 3) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    summaries = [
        (
            "The bank raised its rate by 0.25 points. Governor Berg said inflation may fall.",
            "The bank cut its rate by 0.25 points. Governor Berg said inflation may fall.",
            "antonym_swap",
        ),
        (
            "Mike asked Ann to buy butter. Ann found two bottles of milk.",
            "Mike asked Ann to buy butter. Ann found no milk.",
            "entity_modification",
        ),
        (
            "A new method improves accuracy by 4 percent on five datasets.",
            "A new method improves accuracy by 14 percent on five datasets.",
            "entity_modification",
        ),
    ]
    n = 0
    for doc, (good, bad, kind) in zip(SOURCES, summaries, strict=True):
        for _ in range(8):  # enough rows for trees with 20 rows a leaf to split
            rows.append(
                {
                    "id": f"t{n}",
                    "doc": doc,
                    "summary": good,
                    "label": 1,
                    "original_summary": good,
                    "edit_types": [],
                    "split": "test",
                }
            )
            rows.append(
                {
                    "id": f"t{n}b",
                    "doc": doc,
                    "summary": bad,
                    "label": 0,
                    "original_summary": good,
                    "edit_types": [kind],
                    "split": "test",
                }
            )
            n += 1
    rng.shuffle(rows)
    return rows


@pytest.fixture
def consistency_file(tmp_path: Path) -> Path:
    path = tmp_path / "summedits_tiny.json"
    path.write_text(json.dumps(_consistency_rows()), encoding="utf-8")
    return path


def test_edited_sentence_is_located() -> None:
    original = "Ann asks Mike to buy butter. Later, Mike asks about milk."
    summary = "Ann asks Mike to buy butter. Later, Mike asks about bread."
    assert edited_sentences(
        original, summary, ["Ann asks Mike to buy butter.", "Later, Mike asks about bread."]
    ) == {1}


def test_sentence_labels_follow_the_edit(consistency_file: Path) -> None:
    items = load_items(consistency_file)
    assert {i.domain for i in items} == {"tiny"}
    pairs, skipped = sentence_pairs(items)
    assert skipped == 0
    bad = {p.hypothesis for p in pairs if p.label == CONTRADICTED}
    assert bad == {
        "The bank cut its rate by 0.25 points.",
        "Ann found no milk.",
        "A new method improves accuracy by 14 percent on five datasets.",
    }
    assert "Mike asked Ann to buy butter." in {p.hypothesis for p in pairs if p.label == SUPPORTED}
    # The premise is the best source windows: the sentence the summary retells comes first.
    cut = next(p for p in pairs if p.hypothesis.startswith("The bank cut"))
    assert cut.premise.startswith("The central bank raised")


def test_generators_are_deterministic_and_change_text(consistency_file: Path) -> None:
    items = load_items(consistency_file)
    first = generate_pairs(items, per_doc=30, seed=5)
    again = generate_pairs(items, per_doc=30, seed=5)
    assert first == again
    assert generate_pairs(items, per_doc=30, seed=6) != first
    assert {p.label for p in first} == {0, 1, 2}
    rng = random.Random(0)
    sentence = "Governor Anna Berg said inflation may fall below 3 percent next year."
    assert CHANGING["number"](sentence, rng, []) != sentence
    assert CHANGING["negation"]("The vote was held.", rng, []) == "The vote was not held."
    assert "will" in (CHANGING["hedge_removed"](sentence, rng, []) or "")
    assert (
        PRESERVING["number_format"]("They waited 72 hours.", rng, []) == "They waited three days."
    )


def test_training_smoke_and_feature_cache(consistency_file: Path, tmp_path: Path) -> None:
    from fidelity.judge.features import FEATURE_NAMES
    from fidelity.judge.model import CLASSIFIER_FILE, THRESHOLDS_FILE, load_classifier
    from fidelity.judge.train import TrainConfig, run

    config = TrainConfig(
        data=str(consistency_file), out=str(tmp_path / "run"), cache=str(tmp_path / "cache")
    )
    results = run(config)
    out = tmp_path / "run"
    assert (out / CLASSIFIER_FILE).is_file() and (out / THRESHOLDS_FILE).is_file()
    assert results["thresholds"]["chosen_on"] == ["tiny"]
    assert list((tmp_path / "cache").glob("*.npz"))  # features cached per file
    model = load_classifier(out)
    assert model.features == FEATURE_NAMES
    # The edited summaries score lower than the faithful ones on this easy set.
    from fidelity.judge.data import load_items
    from fidelity.judge.train import document_scores, domain_rows, fit

    part = domain_rows(consistency_file, tmp_path / "cache")
    scores = document_scores(model, part)
    good = [s for s, i in zip(scores, load_items(consistency_file), strict=True) if i.consistent]
    bad = [s for s, i in zip(scores, load_items(consistency_file), strict=True) if not i.consistent]
    assert sum(good) / len(good) > sum(bad) / len(bad) + 0.3
    # The JSON export answers as the fitted model (whose export was checked against
    # scikit-learn's own predictions inside fit).
    assert np.allclose(model.probability(part.rows), fit([part]).probability(part.rows))
    logistic = fit([part], model="logistic")
    assert np.allclose(
        load_classifier_roundtrip(logistic, tmp_path).probability(part.rows),
        logistic.probability(part.rows),
    )
    # Rerun from the cache: the same classifier, byte for byte.
    first = (out / CLASSIFIER_FILE).read_bytes()
    run(config)
    assert (out / CLASSIFIER_FILE).read_bytes() == first


def load_classifier_roundtrip(model: object, folder: Path) -> Any:
    from fidelity.judge.model import load_classifier, save_classifier

    save_classifier(model, folder / "roundtrip")  # type: ignore[arg-type]
    return load_classifier(folder / "roundtrip")


def test_lodo_folds_never_fit_on_the_held_out_domain(
    consistency_file: Path, tmp_path: Path
) -> None:
    import shutil

    from fidelity.judge.train import TrainConfig, run

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(consistency_file, data / "summedits_one.json")
    shutil.copy(consistency_file, data / "summedits_two.json")
    config = TrainConfig(
        data=str(data), out=str(tmp_path / "lodo"), cache=str(tmp_path / "cache"), lodo=True
    )
    table = run(config)["leave_one_domain_out"]
    assert [f["domain"] for f in table["folds"]] == ["one", "two"]
    assert [f["trained_on"] for f in table["folds"]] == [["two"], ["one"]]
    assert (tmp_path / "lodo" / "lodo.json").is_file()


def test_consistency_files_refuses_an_empty_folder(tmp_path: Path) -> None:
    from fidelity.errors import FidelityError

    with pytest.raises(FidelityError):
        consistency_files(tmp_path)
