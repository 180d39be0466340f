"""`fidelity eval`'s ranking figures: the ranking AUC of the documents' fidelity scores (faithful
above distorting) and the false-alarm rate on must-not-flag passages, in JSON and terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.evaluate import ranking_auc

runner = CliRunner()


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [
        ([(100.0, False), (90.0, False), (60.0, True), (40.0, True)], 1.0),  # all in order
        ([(40.0, False), (60.0, True)], 0.0),  # inverted
        ([(80.0, False), (80.0, True)], 0.5),  # a tie counts half
        # one faithful document below one of two distorting ones: 1 of 2 pairs wrong
        ([(70.0, False), (90.0, True), (50.0, True)], 0.5),
        ([(100.0, False), (90.0, False)], None),  # no distorting document: undefined
        ([], None),
    ],
)
def test_ranking_auc(ranking: list[tuple[float, bool]], expected: float | None) -> None:
    assert ranking_auc(ranking) == expected


SOURCE = (
    "---\noutlet: Port Authority\ntitle: Port traffic\npublished: 2026-05-04\nrole: source\n---\n"
    "The port handled 2.4 million containers last year, the port authority said on Monday.\n\n"
    "Its director, Lena Berg, said 600 new jobs would be created by 2028.\n"
)
FAITHFUL = (
    "---\noutlet: Daily\ntitle: Port traffic\npublished: 2026-05-05\n---\n"
    "The port handled 2.4 million containers last year, the port authority said on Monday.\n\n"
    "Director Lena Berg said 600 new jobs would be created by 2028.\n"
)
DISTORTED = (
    "---\noutlet: Weekly\ntitle: Port traffic\npublished: 2026-05-05\n---\n"
    "The port handled 4.2 million containers last year, the port authority said on Monday.\n\n"
    "Director Lena Berg said 6,000 new jobs would be created by 2028.\n"
)


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    story = tmp_path / "set" / "port"
    story.mkdir(parents=True)
    (story / "source.md").write_text(SOURCE, "utf-8")
    (story / "faithful.md").write_text(FAITHFUL, "utf-8")
    (story / "distorted.md").write_text(DISTORTED, "utf-8")
    (story / "annotations.yaml").write_text(
        "reference: source.md\n"
        "documents:\n"
        "  distorted.md:\n"
        "    verdict: inconsistent\n"
        "    findings:\n"
        "      - category: number_changed\n"
        '        derived: "4.2 million containers"\n'
        '        reference: "2.4 million containers"\n'
        "  faithful.md:\n"
        "    verdict: consistent\n"
        "    non_findings:\n"
        '      - derived: "Director Lena Berg said 600 new jobs would be created by 2028."\n'
        '        reference: "Its director, Lena Berg, said 600 new jobs would be created by 2028."\n',  # noqa: E501
        "utf-8",
    )
    return story.parent


def test_eval_publishes_the_ranking_auc_and_false_alarm_rate(labelled: Path) -> None:
    result = runner.invoke(app, ["eval", str(labelled), "-f", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["ranking"]["faithful"] == 1 and doc["ranking"]["distorting"] == 1
    assert doc["ranking"]["mean_score_faithful"] > doc["ranking"]["mean_score_distorting"]
    assert doc["ranking_auc"] == 1.0
    scored = {d["document"]: d for d in doc["document_scores"]}
    assert set(scored) == {"port/faithful.md", "port/distorted.md"}
    assert (
        scored["port/distorted.md"]["distorting"] and not scored["port/faithful.md"]["distorting"]
    )
    assert scored["port/faithful.md"]["score"] > scored["port/distorted.md"]["score"]
    assert doc["false_alarm_rate"] == 0.0 and doc["paraphrases"] == 1
    terminal = runner.invoke(app, ["eval", str(labelled), "--no-cache"])
    assert terminal.exit_code == 0, terminal.output
    assert "ranking AUC" in terminal.output and "1.000" in terminal.output
    assert "false alarms on must-not-flag" in terminal.output


def test_eval_lists_the_cases_that_went_wrong(labelled: Path) -> None:
    # A label nothing can satisfy (framing on a neutral phrase) must come back as missed;
    # the 600 -> 6,000 change it does not label must come back as an unexpected finding.
    notes = labelled / "port" / "annotations.yaml"
    notes.write_text(
        notes.read_text("utf-8").replace(
            '        reference: "2.4 million containers"\n',
            '        reference: "2.4 million containers"\n'
            "      - category: framing_shifted\n"
            '        derived: "the port authority said on Monday"\n',
        ),
        "utf-8",
    )
    result = runner.invoke(app, ["eval", str(labelled), "-f", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    cases = json.loads(result.stdout)["cases"]
    missed = [c for c in cases if c["kind"] == "missed"]
    assert [(c["document"], c["category"]) for c in missed] == [("distorted.md", "framing_shifted")]
    unexpected = [c for c in cases if c["kind"] == "unexpected"]
    assert unexpected and all(c["document"] == "distorted.md" for c in unexpected)
    assert any("6,000" in c["derived"] for c in unexpected)
    # HIGH precision: the HIGH findings a label credits among all HIGH findings emitted; the
    # uncredited ones are exactly the unexpected HIGH cases.
    doc = json.loads(result.stdout)
    uncredited = sum(1 for c in unexpected if c["severity"] == "high")
    assert doc["high_findings"] >= 1
    credited = doc["high_findings"] - uncredited
    assert doc["high_precision"] == round(credited / doc["high_findings"], 3)
    terminal = runner.invoke(app, ["eval", str(labelled), "--no-cache", "--cases"])
    assert terminal.exit_code == 0, terminal.output
    assert "cases gone wrong" in terminal.output and "framing_shifted" in terminal.output


def test_a_finding_credited_to_a_labelled_distortion_is_not_a_false_alarm_beside_it(
    tmp_path: Path,
) -> None:
    # One sentence holds a labelled distortion (2.4 -> 4.2 million) and a faithful part (600
    # jobs). The finding spans the whole claim: it is the distortion's, not a false alarm on
    # the faithful part. Labelled only as faithful, the same finding is a false alarm.
    story = tmp_path / "set" / "port"
    story.mkdir(parents=True)
    (story / "source.md").write_text(
        "---\noutlet: Gazette\ntitle: Port\npublished: 2026-05-04\n---\n"
        "The port handled 2.4 million containers last year and created 600 jobs.\n",
        "utf-8",
    )
    (story / "derived.md").write_text(
        "---\noutlet: Weekly\ntitle: Port\npublished: 2026-05-05\n---\n"
        "The port handled 4.2 million containers last year and created 600 jobs.\n",
        "utf-8",
    )
    faithful = '      - derived: "created 600 jobs"\n        reference: "created 600 jobs"\n'
    distortion = (
        "    findings:\n      - category: number_changed\n"
        '        derived: "4.2 million containers"\n        reference: "2.4 million containers"\n'
    )
    head = "reference: source.md\ndocuments:\n  derived.md:\n    verdict: inconsistent\n"
    notes = story / "annotations.yaml"
    rates = []
    for labels in (distortion, ""):
        notes.write_text(head + labels + "    non_findings:\n" + faithful, "utf-8")
        result = runner.invoke(app, ["eval", str(story.parent), "-f", "json", "--no-cache"])
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        assert doc["paraphrases"] == 1
        rates.append(doc["paraphrases_flagged"])
    assert rates == [0, 1]
