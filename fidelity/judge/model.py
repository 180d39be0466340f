"""The judge: P(supported) of a derived sentence against a source, from word-alignment
features (``fidelity.judge.features``) and gradient-boosted trees over them (or a logistic
regression).

The trained part is the classifier, stored as plain JSON (``weights/judge.json``: feature names
and trees, or standardisation and coefficients; no pickle); a file trained on other features
than this version computes is refused at load. A derived text is judged sentence by sentence
against the whole source; the document's P(supported) is its weakest sentence's. No neural
model, no torch, nothing fetched.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fidelity.errors import FidelityError

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
CLASSIFIER_FILE = "judge.json"
THRESHOLDS_FILE = "thresholds.json"
FORMAT = "fidelity-judge-logistic/1"
TREES_FORMAT = "fidelity-judge-trees/1"
LABELS = ("supported", "unsupported")


@dataclass(frozen=True, slots=True)
class JudgeThresholds:
    """Decision thresholds on P(supported), chosen on training domains only."""

    document: float  # a derived text is consistent when min P(supported) >= this
    sentence: float  # a sentence is supported when P(supported) >= this
    chosen_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (0.0 <= self.document <= 1.0 and 0.0 <= self.sentence <= 1.0):
            raise ValueError("thresholds are probabilities")


@dataclass(frozen=True, slots=True)
class SentenceJudgement:
    """The judge's reading of one derived sentence against a source.

    ``premise`` is the source sentence best aligned with it (by IDF-weighted shared words): the
    counterpart to show a reader, not the only text the judge read.
    """

    sentence: str
    premise: str
    supported: float

    @property
    def unsupported(self) -> float:
        return 1.0 - self.supported

    @property
    def label(self) -> str:
        return LABELS[0] if self.supported >= 0.5 else LABELS[1]


@dataclass(frozen=True, slots=True)
class TextJudgement:
    """Per-sentence judgements of a derived text and the document's P(supported) (the minimum)."""

    sentences: tuple[SentenceJudgement, ...]
    supported: float
    consistent: bool


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """A logistic regression on standardised features, as plain numbers."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def __post_init__(self) -> None:
        n = len(self.features)
        if not (len(self.mean) == len(self.scale) == len(self.coef) == n) or n == 0:
            raise ValueError("a logistic model needs one mean, scale and weight per feature")

    def probability(self, rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """P(supported) of each feature row."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float64)
        x = (rows.astype(np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        z = x @ np.asarray(self.coef) + self.intercept
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(v, 8) for v in self.mean],
            "scale": [round(v, 8) for v in self.scale],
            "coef": [round(v, 8) for v in self.coef],
            "intercept": round(self.intercept, 8),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogisticModel:
        return cls(
            tuple(str(f) for f in data["features"]),
            tuple(float(v) for v in data["mean"]),
            tuple(float(v) for v in data["scale"]),
            tuple(float(v) for v in data["coef"]),
            float(data["intercept"]),
        )


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Gradient-boosted regression trees on raw features (binary log-loss), as plain numbers.

    Each tree is a list of nodes ``[feature, threshold, left, right, value]``; a leaf has
    feature -1. A row goes left when its feature is ``<=`` the threshold. P(supported) is the
    logistic of the baseline plus the leaves' values.
    """

    features: tuple[str, ...]
    baseline: float
    trees: tuple[tuple[tuple[int, float, int, int, float], ...], ...]

    def __post_init__(self) -> None:
        n = len(self.features)
        for tree in self.trees:
            for feature, _, left, right, _ in tree:
                if feature >= n or (feature >= 0 and not (0 < left < len(tree))):
                    raise ValueError("a tree node points outside its tree or the features")
                if feature >= 0 and not (0 < right < len(tree)):
                    raise ValueError("a tree node points outside its tree")

    def probability(self, rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """P(supported) of each feature row."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float64)
        x = np.nan_to_num(rows.astype(np.float64))
        raw = np.full(len(x), self.baseline)
        at = np.arange(len(x))
        for tree in self.trees:
            table = np.asarray(tree, dtype=np.float64)
            feature = table[:, 0].astype(np.int64)
            node = np.zeros(len(x), dtype=np.int64)
            for _ in range(len(tree)):
                f = feature[node]
                inner = f >= 0
                if not inner.any():
                    break
                left = x[at, np.maximum(f, 0)] <= table[node, 1]
                step = np.where(left, table[node, 2], table[node, 3]).astype(np.int64)
                node = np.where(inner, step, node)
            raw += table[node, 4]
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(raw, -40.0, 40.0)))
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "baseline": round(self.baseline, 10),
            "trees": [
                [[f, round(t, 10), left, right, round(v, 10)] for f, t, left, right, v in tree]
                for tree in self.trees
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeEnsemble:
        return cls(
            tuple(str(f) for f in data["features"]),
            float(data["baseline"]),
            tuple(
                tuple((int(f), float(t), int(lo), int(hi), float(v)) for f, t, lo, hi, v in tree)
                for tree in data["trees"]
            ),
        )


Classifier = LogisticModel | TreeEnsemble


def _has_words(text: str) -> bool:
    """An empty source supports nothing (the classifier never saw one: no extrapolating)."""
    return any(ch.isalnum() for ch in text)


def save_classifier(
    model: Classifier, folder: Path, *, extra: dict[str, Any] | None = None
) -> Path:
    """Write the classifier as JSON (no pickle)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CLASSIFIER_FILE
    kind = TREES_FORMAT if isinstance(model, TreeEnsemble) else FORMAT
    payload = {"format": kind, "sentence": model.as_json()}
    payload.update(extra or {})
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return path


def load_classifier(folder: Path = WEIGHTS_DIR) -> Classifier:
    """The shipped (or ``folder``'s) classifier.

    Raises:
        FidelityError: the file is missing or not a judge classifier of this format.
    """
    from fidelity.judge.features import FEATURE_NAMES

    path = folder / CLASSIFIER_FILE
    if not path.is_file():
        raise FidelityError(
            f"no judge classifier at {path}; train it with `python -m fidelity.judge.train --ship`"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kind = data.get("format")
        model: Classifier
        if kind == FORMAT:
            model = LogisticModel.from_json(data["sentence"])
        elif kind == TREES_FORMAT:
            model = TreeEnsemble.from_json(data["sentence"])
        else:
            raise ValueError(f"format {kind!r}, expected {FORMAT!r} or {TREES_FORMAT!r}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FidelityError(f"cannot read the judge classifier {path}: {exc}") from exc
    if model.features != FEATURE_NAMES:
        raise FidelityError(
            f"{path} was trained on other features than this fidelity computes; retrain it with "
            "`python -m fidelity.judge.train --ship`"
        )
    return model


def load_thresholds(folder: Path = WEIGHTS_DIR) -> JudgeThresholds:
    """The thresholds recorded beside the classifier (0.5 each when none were recorded)."""
    path = folder / THRESHOLDS_FILE
    if not path.is_file():
        return JudgeThresholds(0.5, 0.5)
    data = json.loads(path.read_text(encoding="utf-8"))
    return JudgeThresholds(
        float(data["document"]),
        float(data["sentence"]),
        tuple(data.get("chosen_on", ())),
    )


class Judge:
    """Reads derived sentences against sources: word-alignment features, then the classifier."""

    def __init__(self, classifier: Classifier, thresholds: JudgeThresholds) -> None:
        self.classifier = classifier
        self.thresholds = thresholds

    def _rows(
        self, documents: Sequence[tuple[Sequence[str], str]]
    ) -> tuple[npt.NDArray[np.float32], list[str]]:
        from fidelity.judge.features import document_rows

        return document_rows(documents)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        """(n, 2) per (derived sentence, premise): P(supported), P(unsupported)."""
        supported = self.supported(pairs)
        return np.stack([supported, 1.0 - supported], axis=1).astype(np.float32)

    def supported(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        """P(supported) per (derived sentence, source premise) pair."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        rows, _ = self._rows([([s], p) for s, p in pairs])
        probs = self.classifier.probability(rows)
        probs[[not _has_words(p) for _, p in pairs]] = 0.0  # nothing to support it
        return probs.astype(np.float32)

    def judge_text(self, derived: str, source: str | Sequence[str]) -> TextJudgement:
        """Judge every sentence of ``derived`` against the whole of ``source``.

        Args:
            derived: the derived text (English pivot).
            source: the source text, or several sources (read as one text).

        Returns:
            Per-sentence judgements; the document's P(supported) is the lowest sentence's.
        """
        return self.judge_texts([(derived, source)])[0]

    def judge_texts(
        self, documents: Sequence[tuple[str, str | Sequence[str]]]
    ) -> list[TextJudgement]:
        """``judge_text`` for many (derived, source) documents in one batched pass."""
        from fidelity.judge.windows import sentences_of

        prepared = []
        for derived, source in documents:
            text = source if isinstance(source, str) else "\n\n".join(source)
            prepared.append((sentences_of(derived) or ([derived] if derived.strip() else []), text))
        rows, premises = self._rows(prepared)
        probs = self.classifier.probability(rows)
        probs[[not _has_words(text) for sentences, text in prepared for _ in sentences]] = 0.0
        out, at = [], 0
        for sentences, _ in prepared:
            judged = tuple(
                SentenceJudgement(s, premises[at + k], float(probs[at + k]))
                for k, s in enumerate(sentences)
            )
            at += len(sentences)
            doc = min((j.supported for j in judged), default=1.0)
            out.append(TextJudgement(judged, doc, doc >= self.thresholds.document))
        return out


def load_judge(folder: Path = WEIGHTS_DIR) -> Judge:
    """The shipped judge (or ``folder``'s): local files only.

    Raises:
        FidelityError: the classifier is missing, unreadable or trained on other features.
    """
    return Judge(load_classifier(folder), load_thresholds(folder))
