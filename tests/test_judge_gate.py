"""The gate after scoring: the judge decides which claims are unsupported, detectors explain.

The rules are tested with a scripted judge (each sentence's P(supported) written in the
case), so that each rule is seen on its own; the last test runs the shipped judge through the
real pipeline (`check --judge`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from test_align import make_article

from fidelity.judge.gate import MEANING_CHANGED, GateSettings, apply_judge
from fidelity.types import (
    Alignment,
    AlignmentResult,
    Evidence,
    ExtractedArticle,
    FidelityScore,
    Finding,
    Story,
)

SOURCE = (
    "The central bank raised its key rate to 4.5% on Thursday.",
    "Governor Anna Lindqvist said inflation was still too high.",
    "The bank expects inflation to ease next year.",
)
DERIVED = (
    "On Thursday the central bank lifted its main rate to 4.5%.",
    "Governor Anna Lindqvist said inflation was finally under control.",
    "The bank expects inflation to ease next year.",
)


class ScriptedJudge:
    """P(supported) by derived sentence, as written in a case."""

    def __init__(self, supported: dict[str, float]) -> None:
        self.table = supported
        self.seen: list[tuple[str, str]] = []

    def supported(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        self.seen.extend(pairs)
        return [self.table[s] for s, _ in pairs]


def world() -> tuple[list[ExtractedArticle], AlignmentResult, FidelityScore]:
    source, derived = make_article("src", SOURCE), make_article("drv", DERIVED)
    alignments = tuple(
        Alignment(left=f"src#{i}", right=f"drv#{i}", confidence=0.9, fuzzy=80.0, cosine=0.9)
        for i in range(3)
    )
    result = AlignmentResult(
        stories=(Story("story-1", ("src", "drv"), "test"),),
        alignments=alignments,
        clusters=(),
        unmatched=(),
    )
    score = FidelityScore("drv", "Derived", 70.0, {"framing_shifted": 1}, ("src",))
    return [source, derived], result, score


def finding(articles: list[ExtractedArticle], index: int, category: str) -> Finding:
    drv, src = articles[1].claims[index], articles[0].claims[index]
    return Finding(
        id=f"{category[:4]}{index}",
        category=category,
        severity="medium",
        message="a detector's reading",
        derived=Evidence("drv", drv.id, drv.span, drv.text),
        reference=Evidence("src", src.id, src.span, src.text),
    )


SETTINGS = GateSettings(sentence=0.5)


def run(
    supported: Sequence[float], categories: dict[int, str]
) -> tuple[tuple[Finding, ...], tuple[FidelityScore, ...], ScriptedJudge]:
    articles, result, score = world()
    judge = ScriptedJudge(dict(zip(DERIVED, supported, strict=True)))
    found = [finding(articles, i, c) for i, c in categories.items()]
    kept, scores = apply_judge(articles, result, found, [score], judge, SETTINGS)
    return kept, scores, judge


def test_a_detector_finding_on_a_supported_claim_is_dropped() -> None:
    kept, _, _ = run([0.95, 0.9, 0.97], {0: "framing_shifted"})
    assert kept == ()


def test_a_detector_finding_on_an_unsupported_claim_is_kept_with_the_probability() -> None:
    kept, _, _ = run([0.95, 0.1, 0.97], {1: "antonym_swapped"})
    assert [f.category for f in kept] == ["antonym_swapped"]
    assert kept[0].signals["judge_supported"] == pytest.approx(0.1)


@pytest.mark.parametrize("category", ["number_changed", "temporal_changed"])
def test_exact_detectors_are_never_overruled(category: str) -> None:
    kept, _, _ = run([0.99, 0.9, 0.97], {0: category})
    assert [f.category for f in kept] == [category]


def test_an_unexplained_rejection_becomes_meaning_changed() -> None:
    kept, _, _ = run([0.95, 0.05, 0.97], {})
    (found,) = kept
    assert found.category == MEANING_CHANGED
    assert found.severity == "high"
    assert found.derived.claim_id == "drv#1" and found.reference is not None
    assert found.reference.claim_id == "src#1"
    marked = {found.derived.text[m.start : m.end] for m in found.derived.highlight}
    assert {"finally", "under", "control"} <= marked
    assert "Lindqvist" not in marked


@pytest.mark.parametrize(("p", "severity"), [(0.1, "high"), (0.2, "medium"), (0.45, "low")])
def test_severity_follows_the_probability(p: float, severity: str) -> None:
    kept, _, _ = run([0.95, p, 0.97], {})
    assert [f.severity for f in kept] == [severity]


def test_the_score_is_the_share_of_supported_claims() -> None:
    _, scores, _ = run([1.0, 1.0, 1.0], {})
    assert scores[0].score == 100.0
    _, scores, _ = run([1.0, 0.05, 1.0], {})
    assert scores[0].score == pytest.approx(100 * (1.0 + 0.0 + 1.0) / 3, abs=0.1)
    assert scores[0].counts[MEANING_CHANGED] == 1
    assert scores[0].counts["framing_shifted"] == 0


def test_claims_are_read_against_the_compared_text_only() -> None:
    _, _, judge = run([0.9, 0.9, 0.9], {})
    assert [s for s, _ in judge.seen] == list(DERIVED)
    for _, premise in judge.seen:
        assert premise and all(p in SOURCE for p in _sentences(premise))


def test_omissions_pass_through() -> None:
    kept, _, _ = run([0.99, 0.99, 0.99], {2: "omission"})
    assert [f.category for f in kept] == ["omission"]


def _sentences(premise: str) -> list[str]:
    out, rest = [], premise
    for s in SOURCE:
        if s in rest:
            out.append(s)
            rest = rest.replace(s, "")
    assert not rest.strip(), "the premise holds only source sentences"
    return out


def test_an_addition_the_judge_finds_supported_is_dropped() -> None:
    articles, result, score = world()
    alone = AlignmentResult(result.stories, result.alignments[:2], (), ())  # drv#2 unaligned
    addition = replace(finding(articles, 2, "unsupported_addition"), reference=None)
    for p, kept_categories in ((0.9, []), (0.1, ["unsupported_addition"])):
        judge = ScriptedJudge(dict(zip(DERIVED, [0.95, 0.95, p], strict=True)))
        kept, _ = apply_judge(articles, alone, [addition], [score], judge, SETTINGS)
        assert [f.category for f in kept] == kept_categories
        assert all(f.category != MEANING_CHANGED for f in kept), "no counterpart, no rewording"


def test_the_signature_names_the_classifier() -> None:
    from fidelity.judge.info import shipped_judge

    info = shipped_judge()
    expected = float(int(info.sha256[:4], 16)) if info is not None else 0.0
    assert SETTINGS.as_dict()["judge.classifier"] == expected
    assert SETTINGS.as_dict()["judge.sentence"] == 0.5


@pytest.mark.parametrize("side", [1, 0])  # the derived article translated, or the source
def test_the_judge_does_not_decide_for_translated_claims(side: int) -> None:
    # A translation says the same in other words than its source: word features read that as
    # unsupported. The judge leaves such claims to the detectors: no meaning_changed, a
    # detector's finding kept whatever the judge says, the claim supported in the score.
    articles, result, score = world()
    article = articles[side]
    articles[side] = replace(
        article, claims=tuple(replace(c, status="translated") for c in article.claims)
    )
    judge = ScriptedJudge(dict(zip(DERIVED, [0.95, 0.05, 0.97], strict=True)))
    found = [finding(articles, 0, "framing_shifted")]
    kept, scores = apply_judge(articles, result, found, [score], judge, SETTINGS)
    assert [f.category for f in kept] == ["framing_shifted"]
    assert judge.seen == []
    assert scores[0].score == pytest.approx(100 * (0.5 + 1.0 + 1.0) / 3, abs=0.1)


def test_check_with_the_shipped_judge_end_to_end(tmp_path: Path) -> None:
    # The shipped judge through the real pipeline: a verbatim draft passes; a draft that
    # changes the figure fails on the exact detector, which the judge never overrules.
    from typer.testing import CliRunner

    from fidelity.cli import app

    head = "---\noutlet: {o}\ntitle: Rates\npublished: 2026-05-0{d}\n---\n"
    body = (
        "The central bank raised its key rate to 4.5% on Thursday.\n\n"
        "Governor Anna Lindqvist said inflation was still too high.\n"
    )
    source = tmp_path / "source.md"
    source.write_text(head.format(o="Wire", d=4) + body, "utf-8")
    faithful = tmp_path / "faithful.md"
    faithful.write_text(head.format(o="Daily", d=5) + body, "utf-8")
    changed = tmp_path / "changed.md"
    changed.write_text(head.format(o="Daily", d=5) + body.replace("4.5%", "5.4%"), "utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["check", str(faithful), "--source", str(source), "--judge"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(
        app, ["check", str(changed), "--source", str(source), "--judge", "-f", "json"]
    )
    assert bad.exit_code == 1, bad.output
    report = json.loads(bad.stdout)
    assert [f["category"] for f in report["findings"]] == ["number_changed"]
    assert "judge.classifier=" in json.dumps(report["signature"])
