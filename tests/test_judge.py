# ruff: noqa: E501  (the case table keeps one real sentence per line)
"""The shipped judge: loads offline (socket guard armed), deterministic, and a case table of
sentence pairs, one row per phenomenon: a paraphrase must be judged supported, a distortion not.
Rows the model gets wrong are strict xfails with the reason, not dropped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fidelity.judge.info import shipped_judge
from fidelity.judge.model import Judge

pytestmark = pytest.mark.skipif(shipped_judge() is None, reason="no judge classifier shipped")


@pytest.fixture(scope="module")
def judge() -> Judge:
    from fidelity.judge import load_judge

    return load_judge()


SOURCE = (
    "NATO agreed a plan on Tuesday for a coordinated military response 72 hours after any "
    "breach of the ceasefire, the alliance said in a statement. Russia's foreign ministry "
    "spokeswoman Maria Zakharova said the plan was 'a provocation'. Officials in Kiev said "
    "about 40 people were reportedly killed in the strike on the market. If the talks fail, "
    "the sanctions would take effect in March. The minister may resign next week, two sources "
    "said. Exports rose by 12 percent in 2023."
)

PARAPHRASES = [
    (
        "verbatim",
        "NATO agreed a plan on Tuesday for a coordinated military response 72 hours after any breach of the ceasefire.",
    ),
    (
        "three days = 72 hours",
        "NATO agreed on Tuesday to a coordinated military response three days after any breach of the ceasefire.",
    ),
    (
        "Kiev = Kyiv",
        "Officials in Kyiv said about 40 people were reportedly killed in the strike on the market.",
    ),
    (
        "speech reordered",
        "The plan was 'a provocation', Russian foreign ministry spokeswoman Maria Zakharova said.",
    ),
    ("clause moved", "In March, the sanctions would take effect if the talks fail."),
    ("synonym", "Exports increased by 12 percent in 2023."),
    ("compression", "The minister may resign next week."),
    (
        "passive voice",
        "A plan was agreed by NATO on Tuesday for a coordinated military response to any breach of the ceasefire.",
    ),
]

DISTORTIONS = [
    (
        "agreed -> signed",
        "NATO signed a treaty on Tuesday for a coordinated military response 72 hours after any breach of the ceasefire.",
    ),
    (
        "after -> within",
        "NATO agreed a plan on Tuesday for a coordinated military response within 72 hours of any breach of the ceasefire.",
    ),
    (
        "number changed",
        "Officials in Kiev said about 400 people were reportedly killed in the strike on the market.",
    ),
    ("hedge removed", "Officials in Kiev said 40 people were killed in the strike on the market."),
    ("speaker swapped", "Russian President Dmitry Medvedev said the plan was 'a provocation'."),
    ("quote changed", "Maria Zakharova said the plan was 'an act of war'."),
    ("conditional made fact", "The sanctions will take effect in March."),
    ("hedge removed (may)", "The minister will resign next week, two sources said."),
    ("negation", "NATO did not agree a plan on Tuesday for a coordinated military response."),
    ("antonym", "Exports fell by 12 percent in 2023."),
    ("date changed", "Exports rose by 12 percent in 2021."),
    (
        "day changed",
        "NATO agreed a plan on Friday for a coordinated military response 72 hours after any breach of the ceasefire.",
    ),
    ("not in the source", "The alliance will also send 5,000 troops to Poland."),
    (
        "place changed",
        "Officials in Lviv said about 40 people were reportedly killed in the strike on the market.",
    ),
]

# Filled in from the shipped model's answers: rows it gets wrong, with what it does instead.
# The shipped judge (word-alignment features + gradient-boosted trees, document threshold
# 0.321) rejects the antonym, the negation, the changed number, day and place; it passes hedges
# removed, a conditional made fact, a changed quote, a changed date, a swapped speaker and a
# sentence not in the source (both just over the threshold), and it rejects paraphrases whose
# words the source does not use (Kyiv, three days, a reordered quote).
_OVER = "P(supported) {p}, over the document threshold 0.321"
_UNDER = "P(supported) {p}, under the document threshold 0.321"
WRONG: dict[str, str] = {
    "paraphrase:three days = 72 hours": _UNDER.format(p=0.148),
    "paraphrase:Kiev = Kyiv": _UNDER.format(p=0.08),
    "paraphrase:speech reordered": _UNDER.format(p=0.139),
    "distortion:agreed -> signed": _OVER.format(p=0.393),
    "distortion:after -> within": _OVER.format(p=0.57),
    "distortion:hedge removed": _OVER.format(p=0.774),
    "distortion:speaker swapped": _OVER.format(p=0.322),
    "distortion:quote changed": _OVER.format(p=0.679),
    "distortion:conditional made fact": _OVER.format(p=0.828),
    "distortion:hedge removed (may)": _OVER.format(p=0.81),
    "distortion:date changed": _OVER.format(p=0.367),
    "distortion:not in the source": _OVER.format(p=0.325),
}


def _row(name: str, kind: str) -> object:
    reason = WRONG.get(f"{kind}:{name}")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, id=name, marks=marks)


def test_loads_offline_and_is_deterministic(judge: Judge) -> None:
    pairs = [(text, SOURCE) for _, text in PARAPHRASES + DISTORTIONS]
    first = judge.probabilities(pairs)
    second = judge.probabilities(pairs)
    assert first.shape == (len(pairs), 2)  # P(supported), P(unsupported)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first.sum(axis=1), 1.0, rtol=1e-5)
    # Batching by length must not change a pair's answer.
    alone = judge.probabilities(pairs[:1])
    np.testing.assert_allclose(alone[0], first[0], atol=1e-5)


def test_supported_is_the_first_class(judge: Judge) -> None:
    pairs = [(PARAPHRASES[0][1], SOURCE)]
    assert judge.supported(pairs)[0] == pytest.approx(judge.probabilities(pairs)[0, 0])


@pytest.mark.parametrize("name", [_row(n, "paraphrase") for n, _ in PARAPHRASES])
def test_paraphrase_is_supported(judge: Judge, name: str) -> None:
    text = dict(PARAPHRASES)[name]
    result = judge.judge_text(text, SOURCE)
    assert result.supported >= judge.thresholds.document, result


@pytest.mark.parametrize("name", [_row(n, "distortion") for n, _ in DISTORTIONS])
def test_distortion_is_not_supported(judge: Judge, name: str) -> None:
    text = dict(DISTORTIONS)[name]
    result = judge.judge_text(text, SOURCE)
    assert result.supported < judge.thresholds.document, result


def test_judge_text_takes_the_weakest_sentence(judge: Judge) -> None:
    derived = PARAPHRASES[0][1] + " " + DISTORTIONS[-3][1]
    result = judge.judge_text(derived, [SOURCE])
    assert len(result.sentences) == 2
    assert result.supported == min(s.supported for s in result.sentences)
    assert result.consistent == (result.supported >= judge.thresholds.document)


def test_the_judge_never_loads_torch() -> None:
    code = (
        "import sys, fidelity, fidelity.judge, fidelity.judge.info, fidelity.cli_models\n"
        "from fidelity.judge import load_judge\n"
        "judge = load_judge()\n"
        "judge.judge_text('NATO agreed a plan.', 'NATO agreed a plan on Tuesday.')\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
        "print(fidelity.judge.info.shipped_judge().signature)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("judge-words-")


def test_eval_consistency_command(tmp_path: Path) -> None:
    from test_judge_train import _consistency_rows
    from typer.testing import CliRunner

    from fidelity.cli import app

    data = tmp_path / "data"
    data.mkdir()
    (data / "summedits_tiny.json").write_text(json.dumps(_consistency_rows()), encoding="utf-8")
    folds = tmp_path / "folds" / "judge-holdout-tiny"
    folds.mkdir(parents=True)
    held = {"domain": "tiny", "balanced_accuracy": 61.5, "auc": 66.0, "n": 24, "threshold": 0.4}
    (folds / "results.json").write_text(
        json.dumps({"config": {"small": False}, "held_out": held}), encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["eval", "consistency", str(data), "--folds", str(tmp_path / "folds")]
    )
    assert result.exit_code == 0, result.output
    assert "tiny" in result.output and "seen" in result.output
    assert "mean balanced accuracy 61.5 over 1 folds" in result.output
    # Without --folds, a folder gets the committed table of the shipped recipe.
    default = CliRunner().invoke(app, ["eval", "consistency", str(data)])
    assert default.exit_code == 0, default.output
    assert "lodo.json" in default.output and "over 7 folds" in default.output
    as_json = CliRunner().invoke(
        app, ["eval", "consistency", str(data / "summedits_tiny.json"), "--format", "json"]
    )
    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.output)
    tiny = report["files"]["tiny"]
    assert tiny["n"] == 48
    assert 0 <= tiny["balanced_accuracy"] <= 100
    assert set(tiny["recall_by_edit_type"]) == {"antonym_swap", "entity_modification"}
    assert report["leave_one_domain_out"]["folds"] == []


def test_an_empty_source_supports_nothing_and_an_empty_text_is_consistent(judge: Judge) -> None:
    assert judge.supported([("NATO agreed a plan.", "")])[0] == 0.0
    assert judge.judge_text("NATO agreed a plan.", ["", " "]).supported == 0.0
    empty = judge.judge_text("", SOURCE)
    assert empty.sentences == () and empty.consistent


def test_a_classifier_for_other_features_is_refused(tmp_path: Path) -> None:
    import shutil

    from fidelity.errors import FidelityError
    from fidelity.judge.model import CLASSIFIER_FILE, WEIGHTS_DIR, load_judge

    shutil.copytree(WEIGHTS_DIR, tmp_path / "w")
    path = tmp_path / "w" / CLASSIFIER_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sentence"]["features"][0] = "precision_all"  # a feature this version does not compute
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FidelityError, match="trained on other features"):
        load_judge(tmp_path / "w")
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(FidelityError, match="cannot read the judge classifier"):
        load_judge(tmp_path / "w")


def test_a_very_long_sentence_is_judged(judge: Judge) -> None:
    long = "The minister said that " + "the plan was agreed and signed " * 60 + "."
    probs = judge.probabilities([(long, SOURCE), (PARAPHRASES[0][1], SOURCE)])
    assert probs.shape == (2, 2)
    assert np.isfinite(probs).all()
