"""Train the judge's classifier: ``python -m fidelity.judge.train [--lodo] [--ship]``.

A classifier over the word-alignment features of ``fidelity.judge.features`` is fitted:
gradient-boosted trees (``--model trees``, the default) or a logistic regression (``--model
logistic``); no neural model, no torch. Data: the consistency files
(``--data``, default ``../shared/data/consistency``), one row per summary sentence, labelled by
the word diff against the original summary (``fidelity.judge.data``): an edited sentence of an
inconsistent summary is unsupported, every other sentence supported. Features are cached per
file in ``--cache`` (default ``checkpoints/judge-features``, gitignored, keyed by the file's
bytes and the feature code), so a rerun or another fold only refits the classifier.

Thresholds are chosen on the training domains only: each training domain is predicted by a
model fitted on the other training domains, and the thresholds maximise the balanced accuracy of
those pooled out-of-domain predictions (documents: min P(supported) over the summary's
sentences; sentences: their P(supported) against the derived labels).

- ``--lodo``: the seven leave-one-domain-out folds (results in ``--out``/``lodo.json``);
- ``--hold-out DOMAIN``: one fold;
- ``--ship``: the model on every domain, written to ``fidelity/judge/weights`` with the LODO
  table of the same recipe (``lodo.json``), which ``fidelity eval consistency`` prints;
- ``--small``: a smoke test on the first ~50 items of each file.

Deterministic (lbfgs on fixed data); ``--seed`` is recorded for the run signature only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fidelity.judge.data import ConsistencyItem, consistency_files, edited_sentences, load_items

log = logging.getLogger("fidelity.judge.train")

DEFAULT_DATA = Path("..") / "shared" / "data" / "consistency"
DEFAULT_CACHE = Path("checkpoints") / "judge-features"
LODO_FILE = "lodo.json"
C = 0.3  # inverse L2 strength of the logistic regression


@dataclass(frozen=True, slots=True)
class TrainConfig:
    data: str
    out: str
    cache: str = str(DEFAULT_CACHE)
    hold_out: str | None = None
    lodo: bool = False
    seed: int = 13
    c: float = C
    model: str = "trees"  # or "logistic"
    small: bool = False
    ship: bool = False


@dataclass(frozen=True, slots=True)
class DomainRows:
    """One consistency file's items and the feature rows of their summary sentences."""

    domain: str
    items: tuple[ConsistencyItem, ...]
    rows: npt.NDArray[np.float32]  # (sentences, features)
    owner: npt.NDArray[np.int64]  # item index of each row
    label: npt.NDArray[np.int64]  # 1 supported, 0 unsupported (derived sentence label)

    @property
    def consistent(self) -> npt.NDArray[np.int64]:
        return np.array([int(i.consistent) for i in self.items], dtype=np.int64)


def summary_sentences(item: ConsistencyItem) -> tuple[list[str], list[int]]:
    """The summary's sentences and their labels (1 supported, 0 touched by an inconsistent
    edit). An inconsistent item whose edit cannot be located marks every sentence 0."""
    from fidelity.judge.windows import sentences_of

    sentences = sentences_of(item.summary) or [item.summary]
    if item.consistent:
        return sentences, [1] * len(sentences)
    bad = (
        edited_sentences(item.original_summary, item.summary, sentences)
        if item.original_summary
        else set()
    )
    if not bad:
        bad = set(range(len(sentences)))
    return sentences, [0 if i in bad else 1 for i in range(len(sentences))]


def _cache_key(path: Path, limit: int | None) -> str:
    """The data file's bytes, the feature code's bytes and the item limit."""
    from fidelity.judge import features

    digest = hashlib.sha256(path.read_bytes())
    digest.update(Path(features.__file__).read_bytes())
    digest.update(json.dumps(limit).encode())
    return digest.hexdigest()[:16]


def domain_rows(path: Path, cache: Path, *, limit: int | None = None) -> DomainRows:
    """Feature rows of one consistency file, from the cache when it holds them."""
    from fidelity.judge.features import document_rows

    items = load_items(path)[:limit] if limit else load_items(path)
    domain = items[0].domain if items else path.stem
    cached = cache / f"{path.stem}-{_cache_key(path, limit)}.npz"
    if cached.is_file():
        with np.load(cached) as z:
            return DomainRows(domain, tuple(items), z["rows"], z["owner"], z["label"])
    started = time.monotonic()
    documents, owner, label = [], [], []
    for n, item in enumerate(items):
        sentences, labels = summary_sentences(item)
        documents.append((sentences, item.doc))
        owner.extend([n] * len(sentences))
        label.extend(labels)
    rows, _ = document_rows(documents)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(cached, rows=rows, owner=np.array(owner), label=np.array(label))
    log.info(
        "%s: %d items, %d sentences read in %.0f s",
        domain,
        len(items),
        len(rows),
        time.monotonic() - started,
    )
    return DomainRows(domain, tuple(items), rows, np.array(owner), np.array(label))


def fit(parts: Sequence[DomainRows], c: float = C, model: str = "trees") -> Any:
    """The classifier on sentence rows: gradient-boosted trees (``trees``, 200 rounds of depth
    3, learning rate 0.05, balanced classes) or a logistic regression (``logistic``, balanced
    classes, standardised features, L2 with ``c``)."""
    x = np.concatenate([p.rows for p in parts]).astype(np.float64)
    y = np.concatenate([p.label for p in parts])
    if model == "trees":
        return _fit_trees(x, y)
    return _fit_logistic(x, y, c)


def _fit_logistic(x: npt.NDArray[np.float64], y: npt.NDArray[np.int64], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    from fidelity.judge.features import FEATURE_NAMES
    from fidelity.judge.model import LogisticModel

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    reg = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    reg.fit((x - mean) / scale, y)
    return LogisticModel(
        FEATURE_NAMES,
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(v) for v in reg.coef_[0]),
        float(reg.intercept_[0]),
    )


def _fit_trees(x: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    from fidelity.judge.features import FEATURE_NAMES
    from fidelity.judge.model import TreeEnsemble

    gbm = HistGradientBoostingClassifier(
        max_iter=200,
        learning_rate=0.05,
        max_depth=3,
        class_weight="balanced",
        early_stopping=False,
        random_state=13,
    )
    gbm.fit(x, y)
    trees = []
    for (predictor,) in gbm._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise RuntimeError("categorical splits cannot be exported")
        trees.append(
            tuple(
                (
                    -1 if n["is_leaf"] else int(n["feature_idx"]),
                    float(n["num_threshold"]),
                    int(n["left"]),
                    int(n["right"]),
                    float(n["value"]),
                )
                for n in nodes
            )
        )
    model = TreeEnsemble(FEATURE_NAMES, float(np.ravel(gbm._baseline_prediction)[0]), tuple(trees))
    # The exported trees must answer as scikit-learn does (no pickle, so check the export).
    gap = np.abs(model.probability(x.astype(np.float32)) - gbm.predict_proba(x)[:, 1]).max()
    if gap > 1e-4:
        raise RuntimeError(f"exported trees differ from scikit-learn's by {gap:.2e}")
    return model


def document_scores(model: Any, part: DomainRows) -> npt.NDArray[np.float64]:
    """min P(supported) over each item's sentences."""
    probs = model.probability(part.rows)
    scores = np.ones(len(part.items))
    np.minimum.at(scores, part.owner, probs)
    return scores


def best_threshold(labels: npt.NDArray[np.int64], scores: npt.NDArray[np.float64]) -> float:
    """The threshold with the best balanced accuracy (midpoints between scores; the lowest on
    ties)."""
    values = np.unique(scores)
    candidates = (values[1:] + values[:-1]) / 2 if len(values) > 1 else values
    best, best_ba = 0.5, -1.0
    pos, neg = labels == 1, labels == 0
    for t in candidates:
        decided = scores >= t
        ba = 0.5 * (decided[pos].mean() if pos.any() else 0.0) + 0.5 * (
            (~decided[neg]).mean() if neg.any() else 0.0
        )
        if ba > best_ba + 1e-12:
            best, best_ba = float(t), float(ba)
    return round(best, 6)


def choose_thresholds(
    parts: Sequence[DomainRows], c: float = C, model: str = "trees"
) -> dict[str, Any]:
    """Document and sentence thresholds from out-of-domain predictions within ``parts``: each
    domain scored by a model fitted on the others."""
    doc_y, doc_s, sent_y, sent_s = [], [], [], []
    for inner in parts:
        others = [p for p in parts if p is not inner]
        if not others:
            others = [inner]  # one domain only (smoke tests): in-domain, said so below
        fitted = fit(others, c, model)
        doc_y.append(inner.consistent)
        doc_s.append(document_scores(fitted, inner))
        sent_y.append(inner.label)
        sent_s.append(fitted.probability(inner.rows))
    return {
        "document": best_threshold(np.concatenate(doc_y), np.concatenate(doc_s)),
        "sentence": best_threshold(np.concatenate(sent_y), np.concatenate(sent_s)),
        "chosen_on": sorted(p.domain for p in parts),
        "chosen_how": (
            "max balanced accuracy of out-of-domain predictions within the training domains "
            "(each scored by a model fitted on the others); document: min P(supported) over "
            "the summary's sentences, sentence: P(supported) against the derived sentence labels"
            if len(parts) > 1
            else "max balanced accuracy on the one training domain (in-domain)"
        ),
    }


def evaluate_fold(
    train_parts: Sequence[DomainRows], held: DomainRows, c: float = C, model: str = "trees"
) -> dict[str, Any]:
    """Fit on ``train_parts``, choose thresholds there, score ``held``."""
    from fidelity.judge.evaluate import summarise

    thresholds = choose_thresholds(train_parts, c, model)
    fitted = fit(train_parts, c, model)
    scores = document_scores(fitted, held)
    result = summarise(held.items, [float(s) for s in scores], thresholds["document"])
    result["domain"] = held.domain
    result["trained_on"] = thresholds["chosen_on"]
    return result


def lodo(parts: Sequence[DomainRows], c: float = C, model: str = "trees") -> dict[str, Any]:
    """The leave-one-domain-out table of this recipe."""
    folds = []
    for held in parts:
        folds.append(evaluate_fold([p for p in parts if p is not held], held, c, model))
        log.info(
            "fold %s: balanced accuracy %.1f, AUC %.1f",
            held.domain,
            folds[-1]["balanced_accuracy"],
            folds[-1]["auc"],
        )
    mean = float(np.mean([f["balanced_accuracy"] for f in folds])) if folds else float("nan")
    return {
        "recipe": f"word-alignment features + {model} "
        f"(python -m fidelity.judge.train --lodo --model {model})",
        "folds": folds,
        "mean_balanced_accuracy": mean,
        "mean_auc": float(np.mean([f["auc"] for f in folds])) if folds else float("nan"),
    }


def run(config: TrainConfig) -> dict[str, Any]:
    """Run what ``config`` asks for; returns (and writes to ``config.out``) its results."""
    from fidelity.judge.model import THRESHOLDS_FILE, WEIGHTS_DIR, save_classifier

    limit = 50 if config.small else None
    parts = [
        domain_rows(path, Path(config.cache), limit=limit)
        for path in consistency_files(Path(config.data))
    ]
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"config": asdict(config)}
    if config.hold_out:
        held = [p for p in parts if p.domain == config.hold_out]
        if not held:
            raise SystemExit(
                f"--hold-out {config.hold_out}: no such domain among {[p.domain for p in parts]}"
            )
        results["held_out"] = evaluate_fold(
            [p for p in parts if p is not held[0]], held[0], config.c, config.model
        )
    if config.lodo or config.ship:
        results["leave_one_domain_out"] = lodo(parts, config.c, config.model)
        (out / LODO_FILE).write_text(
            json.dumps(results["leave_one_domain_out"], indent=1) + "\n", encoding="utf-8"
        )
    if config.ship or not (config.lodo or config.hold_out):
        model = fit(parts, config.c, config.model)
        thresholds = choose_thresholds(parts, config.c, config.model)
        thresholds["seed"] = config.seed
        extra = {
            "trained_on": thresholds["chosen_on"],
            "sentences": int(sum(len(p.rows) for p in parts)),
        }
        results["thresholds"] = thresholds
        target = WEIGHTS_DIR if config.ship else out
        save_classifier(model, target, extra=extra)
        (target / THRESHOLDS_FILE).write_text(
            json.dumps(thresholds, indent=2) + "\n", encoding="utf-8"
        )
        if config.ship:
            (target / LODO_FILE).write_text(
                json.dumps(results["leave_one_domain_out"], indent=1) + "\n", encoding="utf-8"
            )
        log.info("classifier written to %s", target)
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fidelity.judge.train", description=__doc__)
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="consistency folder or file")
    parser.add_argument("--out", default=None, help="run folder (default checkpoints/judge-RUN)")
    parser.add_argument("--cache", default=str(DEFAULT_CACHE), help="feature cache folder")
    parser.add_argument("--hold-out", default=None, metavar="DOMAIN", help="one LODO fold")
    parser.add_argument("--lodo", action="store_true", help="all leave-one-domain-out folds")
    parser.add_argument("--seed", type=int, default=13, help="recorded only (fitting is exact)")
    parser.add_argument("--c", type=float, default=C, help="logistic: inverse L2 strength")
    parser.add_argument(
        "--model", choices=("trees", "logistic"), default="trees", help="the classifier"
    )
    parser.add_argument("--small", action="store_true", help="smoke test: 50 items per file")
    parser.add_argument("--ship", action="store_true", help="write the classifier into the package")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )
    if args.ship and (args.hold_out or args.small):
        parser.error("--ship fits on every domain (no --hold-out, no --small)")
    run_name = ("holdout-" + args.hold_out if args.hold_out else "lodo" if args.lodo else "all") + (
        "-small" if args.small else ""
    )
    config = TrainConfig(
        data=args.data,
        out=args.out or str(Path("checkpoints") / f"judge-{run_name}"),
        cache=args.cache,
        hold_out=args.hold_out,
        lodo=args.lodo,
        seed=args.seed,
        c=args.c,
        model=args.model,
        small=args.small,
        ship=args.ship,
    )
    results = run(config)
    table = results.get("leave_one_domain_out")
    if table:
        for f in table["folds"]:
            print(f"{f['domain']:<14} {f['n']:>5} {f['balanced_accuracy']:6.1f} {f['auc']:6.1f}")
        print(f"mean balanced accuracy {table['mean_balanced_accuracy']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
