"""How well ``compare`` groups a folder into stories, on a labelled set (``fixtures/stories``).

Each topic folder holds the coverage of two or three events on one topic and a
``stories.yaml`` naming the documents of each event. Grouping is scored with B-cubed
precision and recall (per document: the share of its predicted group that shares its event,
and the share of its event that shares its predicted group), per topic and over all topics
pooled into one corpus (which also tests that topics stay apart). A folder without a
``stories.yaml`` counts as one event (so the story folders of ``fixtures/eval`` pooled test
that distinct stories stay apart and each stays whole).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fidelity.errors import InputError
from fidelity.load.metadata import parse_yaml
from fidelity.pipeline import Backends, RunConfig, build_backends, compare

LABELS = "stories.yaml"


@dataclass(frozen=True, slots=True)
class GroupingScore:
    name: str
    documents: int
    precision: float
    recall: float
    groups: tuple[tuple[str, ...], ...]  # predicted groups, as "topic/file" names

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "documents": self.documents,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "groups": [list(g) for g in self.groups],
        }


@dataclass(frozen=True, slots=True)
class StoryEvaluation:
    """Grouping scores of each topic folder and of all of them pooled into one corpus."""

    topics: tuple[GroupingScore, ...]
    pooled: GroupingScore | None = None  # None for a single topic
    errors: tuple[str, ...] = field(default=())

    @property
    def mean_f1(self) -> float:
        """Mean of the per-topic F1 (each topic counts once, whatever its size)."""
        return sum(s.f1 for s in self.topics) / len(self.topics) if self.topics else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": "stories",
            "topics": [s.as_json() for s in self.topics],
            "mean_topic_f1": round(self.mean_f1, 3),
            "pooled": self.pooled.as_json() if self.pooled else None,
            "errors": list(self.errors),
        }


def read_labels(folder: Path) -> dict[str, str]:
    """``{file name: event id}`` from a topic folder's ``stories.yaml``."""
    path = folder / LABELS
    spec = parse_yaml(path.read_text("utf-8"), str(path), "the story labels")
    events = spec.get("events") if isinstance(spec, dict) else None
    if not isinstance(events, dict):
        raise InputError(str(path), "no 'events' mapping")
    labels: dict[str, str] = {}
    for event, body in events.items():
        docs = body.get("documents") if isinstance(body, dict) else None
        if not isinstance(docs, list):
            raise InputError(str(path), f"event {event!r} has no 'documents' list")
        for name in docs:
            if str(name) in labels:
                raise InputError(str(path), f"{name} is listed under two events")
            labels[str(name)] = str(event)
    return labels


def bcubed(predicted: Mapping[str, object], gold: Mapping[str, object]) -> tuple[float, float]:
    """B-cubed precision and recall of a clustering ``predicted`` against ``gold``."""
    items = list(gold)
    if not items:
        return 0.0, 0.0
    precision = recall = 0.0
    for i in items:
        same_pred = {j for j in items if predicted[j] == predicted[i]}
        same_gold = {j for j in items if gold[j] == gold[i]}
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    return precision / len(items), recall / len(items)


def score_grouping(
    name: str,
    folders: Sequence[Path],
    config: RunConfig | None = None,
    *,
    backends: Backends | None = None,
) -> GroupingScore:
    """Run ``compare`` on the documents of ``folders`` together and score its stories.

    A folder with a ``stories.yaml`` is scored against its events; a folder without one is
    one event holding every document read from it.

    Raises:
        InputError: a labels file is malformed, or names a document that was not read.
    """
    labelled = {folder: read_labels(folder) for folder in folders if (folder / LABELS).is_file()}
    result = compare(list(folders), config or RunConfig(), backends=backends)
    key_of = {
        a.article.id: f"{Path(a.article.origin).parent.name}/{Path(a.article.origin).name}"
        for a in result.articles
    }
    gold: dict[str, str] = {}
    for folder, labels in labelled.items():
        for file, event in labels.items():
            gold[f"{folder.name}/{file}"] = f"{folder.name}/{event}"
    unlabelled = {f.resolve() for f in folders if f not in labelled}
    for a in result.articles:
        if Path(a.article.origin).resolve().parent in unlabelled:
            gold[key_of[a.article.id]] = Path(a.article.origin).parent.name
    predicted = {key_of[i]: s.id for s in result.alignment.stories for i in s.article_ids}
    missing = sorted(set(gold) - set(predicted))
    if missing:
        raise InputError(name, f"labelled documents not read: {', '.join(missing)}")
    precision, recall = bcubed(predicted, gold)
    groups = tuple(
        tuple(sorted(key_of[i] for i in s.article_ids if key_of[i] in gold))
        for s in result.alignment.stories
    )
    return GroupingScore(name, len(gold), precision, recall, tuple(g for g in groups if g))


def topic_folders(root: Path) -> list[Path]:
    """The topic folders (those with a ``stories.yaml``) under ``root``, sorted."""
    return sorted(p for p in root.iterdir() if (p / LABELS).is_file())


def is_story_set(root: Path) -> bool:
    """``root`` is a story-grouping set: it, or a folder right under it, has a ``stories.yaml``."""
    return root.is_dir() and ((root / LABELS).is_file() or bool(topic_folders(root)))


def evaluate_stories(root: Path, config: RunConfig | None = None) -> StoryEvaluation:
    """Score story grouping on every topic folder of ``root`` and on all of them pooled.

    Args:
        root: a topic folder (with a ``stories.yaml``) or a folder of them.
        config: the run configuration (``compare``'s).

    Raises:
        InputError: no topic folder was found, or every topic failed.
    """
    folders = [root] if (root / LABELS).is_file() else topic_folders(root) if root.is_dir() else []
    if not folders:
        raise InputError(str(root), f"no {LABELS} found; see fixtures/stories/README.md")
    config = config or RunConfig()
    backends = build_backends(config)
    scores: list[GroupingScore] = []
    errors: list[str] = []
    for folder in folders:
        try:
            scores.append(score_grouping(folder.name, [folder], config, backends=backends))
        except InputError as exc:
            errors.append(str(exc))
    if not scores:
        raise InputError(str(root), "no topic could be scored: " + "; ".join(errors))
    pooled = None
    if len(folders) > 1 and not errors:
        pooled = score_grouping("all topics pooled", folders, config, backends=backends)
    return StoryEvaluation(tuple(scores), pooled, tuple(errors))


def render_story_evaluation(report: StoryEvaluation) -> Any:
    """A rich renderable: B-cubed precision, recall and F1 per topic, the mean and pooled."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"fidelity eval: story grouping, {len(report.topics)} topics (B-cubed)")
    for col in ("topic", "documents", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "topic" else "right")
    for s in report.topics:
        table.add_row(
            s.name, str(s.documents), f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}"
        )
    if report.pooled is not None:
        p = report.pooled
        table.add_row(
            p.name,
            str(p.documents),
            f"{p.precision:.2f}",
            f"{p.recall:.2f}",
            f"{p.f1:.2f}",
            style="bold",
        )
    parts: list[Any] = [table, Text(f"mean per-topic F1: {report.mean_f1:.3f}")]
    for err in report.errors:
        parts.append(Text(f"error: {err}", style="red"))
    return Group(*parts)
