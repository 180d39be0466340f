"""``fidelity eval consistency``: the judge's document decisions on consistency files.

A derived text is scored by its weakest sentence (min P(supported) against the whole source)
and called consistent at or above the recorded document threshold. Figures: balanced accuracy
(mean recall of the two classes), ROC AUC, recall per edit type. On a folder of domain files,
the leave-one-domain-out table is *read*, not recomputed: by default from the committed
``fidelity/judge/weights/lodo.json`` that ``python -m fidelity.judge.train --ship`` wrote with
the shipped classifier (the same recipe, one fold per domain, each fitted and thresholded
without the domain it scores); ``--folds`` names another ``lodo.json`` or a folder of fold runs
(``*/lodo.json`` or ``*/results.json`` with a ``held_out`` section). The per-file figures of the
shipped model are on domains it was trained on, and say so.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fidelity.judge.data import ConsistencyItem, consistency_files, load_items

if TYPE_CHECKING:
    from fidelity.judge.model import Judge


def document_scores(judge: Judge, items: Sequence[ConsistencyItem]) -> list[float]:
    """min P(supported) over each item's summary sentences, in one batched pass."""
    return [j.supported for j in judge.judge_texts([(i.summary, i.doc) for i in items])]


def balanced_accuracy(
    items: Sequence[ConsistencyItem], predicted_consistent: Sequence[bool]
) -> float:
    """Mean of the recall on consistent and on inconsistent items (0.5 is chance)."""
    pos = [p for i, p in zip(items, predicted_consistent, strict=True) if i.consistent]
    neg = [not p for i, p in zip(items, predicted_consistent, strict=True) if not i.consistent]
    recalls = [sum(x) / len(x) for x in (pos, neg) if x]
    return sum(recalls) / len(recalls) if recalls else float("nan")


def roc_auc(items: Sequence[ConsistencyItem], scores: Sequence[float]) -> float:
    """Probability that a consistent item scores above an inconsistent one (ties count half)."""
    pos = [s for i, s in zip(items, scores, strict=True) if i.consistent]
    neg = [s for i, s in zip(items, scores, strict=True) if not i.consistent]
    if not pos or not neg:
        return float("nan")
    ranked = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    # Mann-Whitney U with average ranks for ties.
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        avg = (i + j + 1) / 2.0
        rank_sum += avg * sum(1 for k in range(i, j) if ranked[k][1] == 1)
        i = j
    u = rank_sum - len(pos) * (len(pos) + 1) / 2.0
    return u / (len(pos) * len(neg))


def best_threshold(items: Sequence[ConsistencyItem], scores: Sequence[float]) -> float:
    """The threshold on document scores with the best balanced accuracy (midpoints, lowest
    on ties)."""
    values = sorted(set(scores))
    candidates = [0.5] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    best, best_ba = 0.5, -1.0
    for t in sorted(candidates):
        ba = balanced_accuracy(items, [s >= t for s in scores])
        if ba > best_ba + 1e-12:
            best, best_ba = t, ba
    return round(best, 6)


def summarise(
    items: Sequence[ConsistencyItem], scores: Sequence[float], threshold: float
) -> dict[str, Any]:
    """Balanced accuracy, AUC and recall per edit type at ``threshold``."""
    decided = [s >= threshold for s in scores]
    per_type: dict[str, list[bool]] = {}
    for item, ok in zip(items, decided, strict=True):
        if not item.consistent:
            for kind in item.edit_types or ("unlabelled",):
                per_type.setdefault(kind, []).append(not ok)
    consistent = [ok for i, ok in zip(items, decided, strict=True) if i.consistent]
    return {
        "n": len(items),
        "balanced_accuracy": 100 * balanced_accuracy(items, decided),
        "auc": 100 * roc_auc(items, scores),
        "threshold": threshold,
        "recall_consistent": 100 * sum(consistent) / len(consistent) if consistent else None,
        "recall_by_edit_type": {
            k: {"n": len(v), "recall": 100 * sum(v) / len(v)} for k, v in sorted(per_type.items())
        },
    }


def write_predictions(
    path: Path, items: Sequence[ConsistencyItem], scores: Sequence[float]
) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for item, score in zip(items, scores, strict=True):
            row = {
                "id": item.id,
                "domain": item.domain,
                "label": int(item.consistent),
                "score": round(score, 6),
                "edit_types": list(item.edit_types),
            }
            fh.write(json.dumps(row) + "\n")


@dataclass(frozen=True, slots=True)
class DomainResult:
    domain: str
    summary: dict[str, Any]


@dataclass(frozen=True, slots=True)
class FoldResult:
    domain: str
    balanced_accuracy: float
    auc: float
    n: int
    threshold: float
    run: str


@dataclass(frozen=True, slots=True)
class ConsistencyEvaluation:
    """The shipped judge on each file, and the leave-one-domain-out folds found."""

    model: str
    threshold: float
    seen_domains: tuple[str, ...]
    files: tuple[DomainResult, ...]
    folds: tuple[FoldResult, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "threshold": self.threshold,
            "model_trained_on": list(self.seen_domains),
            "files": {d.domain: d.summary for d in self.files},
            "leave_one_domain_out": {
                "folds": [
                    {
                        "domain": f.domain,
                        "balanced_accuracy": f.balanced_accuracy,
                        "auc": f.auc,
                        "n": f.n,
                        "threshold": f.threshold,
                        "run": f.run,
                    }
                    for f in self.folds
                ],
                "mean_balanced_accuracy": (
                    sum(f.balanced_accuracy for f in self.folds) / len(self.folds)
                    if self.folds
                    else None
                ),
            },
        }


def _lodo_folds(path: Path) -> list[FoldResult]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        FoldResult(
            f["domain"],
            float(f["balanced_accuracy"]),
            float(f["auc"]),
            int(f["n"]),
            float(f["threshold"]),
            path.name,
        )
        for f in data.get("folds", ())
    ]


def read_folds(folds_dir: Path) -> list[FoldResult]:
    """Fold results: a ``lodo.json`` file (``folds`` list), or under a folder its
    ``lodo.json``, else every ``*/lodo.json``, else every ``*/results.json`` with a
    ``held_out`` section."""
    if folds_dir.is_file():
        return _lodo_folds(folds_dir)
    if (folds_dir / "lodo.json").is_file():
        return _lodo_folds(folds_dir / "lodo.json")
    nested = sorted(folds_dir.glob("*/lodo.json"))
    if nested:
        return _lodo_folds(nested[-1])
    folds = []
    for path in sorted(folds_dir.glob("*/results.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        held = data.get("held_out")
        if not held or data.get("config", {}).get("small"):
            continue
        folds.append(
            FoldResult(
                held["domain"],
                float(held["balanced_accuracy"]),
                float(held["auc"]),
                int(held["n"]),
                float(held["threshold"]),
                path.parent.name,
            )
        )
    return folds


def evaluate_consistency(
    path: Path, judge: Judge, folds_dir: Path | None = None
) -> ConsistencyEvaluation:
    """Score every consistency file under ``path`` with ``judge`` at its document threshold.

    Args:
        path: a consistency JSON file, or a folder of them (one per domain).
        judge: the judge (usually ``load_judge()``).
        folds_dir: where fold runs left their ``results.json`` (the LODO table); None: no table.
    """
    results = []
    threshold = judge.thresholds.document
    for file in consistency_files(path):
        items = load_items(file)
        scores = document_scores(judge, items)
        results.append(
            DomainResult(
                items[0].domain if items else file.stem, summarise(items, scores, threshold)
            )
        )
    folds = read_folds(folds_dir) if folds_dir and folds_dir.exists() else []
    return ConsistencyEvaluation(
        "fidelity/judge/weights (word-alignment features + boosted trees)",
        threshold,
        judge.thresholds.chosen_on,
        tuple(results),
        tuple(folds),
    )


def render_consistency(report: ConsistencyEvaluation) -> str:
    """The evaluation as plain text tables."""
    lines = [
        f"judge: {report.model} (document threshold {report.threshold:.3f} on min P(supported))",
        "shipped model, per file (a domain it was trained on is NOT a held-out figure):",
        f"  {'domain':<14} {'n':>5} {'bal.acc':>8} {'AUC':>6}  seen  recall: consistent; by edit"
        " type",
    ]
    for d in report.files:
        s = d.summary
        seen = "yes" if d.domain in report.seen_domains else "no"
        per = ", ".join(
            f"{k} {v['recall']:.0f} ({v['n']})" for k, v in s["recall_by_edit_type"].items()
        )
        lines.append(
            f"  {d.domain:<14} {s['n']:>5} {s['balanced_accuracy']:>8.1f} {s['auc']:>6.1f}"
            f"  {seen:<4}  {s['recall_consistent'] or 0:.0f}; {per}"
        )
    if report.folds:
        source = report.folds[0].run
        lines.append(
            "leave-one-domain-out (fold models fitted and thresholded without the domain they "
            f"score; read from {source}):"
        )
        lines.append(f"  {'domain':<14} {'n':>5} {'bal.acc':>8} {'AUC':>6}  run")
        for f in report.folds:
            lines.append(
                f"  {f.domain:<14} {f.n:>5} {f.balanced_accuracy:>8.1f} {f.auc:>6.1f}  {f.run}"
            )
        mean = sum(f.balanced_accuracy for f in report.folds) / len(report.folds)
        worst = min(report.folds, key=lambda f: f.balanced_accuracy)
        lines.append(
            f"  mean balanced accuracy {mean:.1f} over {len(report.folds)} folds; lowest "
            f"{worst.domain} {worst.balanced_accuracy:.1f} (targets: mean >= 80, none < 70)"
        )
    else:
        lines.append(
            "no leave-one-domain-out results found (python -m fidelity.judge.train --lodo)"
        )
    return "\n".join(lines)


DEFAULT_FOLDS = Path(__file__).resolve().parent / "weights" / "lodo.json"


def run_consistency_eval(target: Path, folds: Path | None = None, *, as_json: bool = False) -> str:
    """Load the shipped judge, score ``target``, and render (the CLI's one call).

    Args:
        target: a consistency JSON file or a folder of domain files.
        folds: the LODO table's ``lodo.json`` or folder of fold runs (default: the committed
            ``weights/lodo.json``, when a folder of domain files is given).
        as_json: JSON instead of text tables.
    """
    from fidelity.judge.model import load_judge

    judge = load_judge()
    if folds is None and target.is_dir():
        folds = DEFAULT_FOLDS
    report = evaluate_consistency(target, judge, folds)
    if as_json:
        return json.dumps(report.as_json(), indent=2)
    return render_consistency(report)
