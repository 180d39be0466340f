"""How well ``compare`` groups a folder into stories, on a labelled set (``fixtures/stories``).

Each topic folder holds the coverage of two or three events on one topic and a
``stories.yaml`` naming the documents of each event. Grouping is scored with B-cubed
precision and recall (per document: the share of its predicted group that shares its event,
and the share of its event that shares its predicted group), per topic and over all topics
pooled into one corpus (which also tests that topics stay apart).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fidelity.errors import InputError
from fidelity.load.metadata import parse_yaml
from fidelity.pipeline import RunConfig, compare


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


def read_labels(folder: Path) -> dict[str, str]:
    """``{file name: event id}`` from a topic folder's ``stories.yaml``."""
    path = folder / "stories.yaml"
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
    name: str, folders: Sequence[Path], config: RunConfig | None = None
) -> GroupingScore:
    """Run ``compare`` on the documents of ``folders`` together and score its stories."""
    gold: dict[str, str] = {}
    for folder in folders:
        for file, event in read_labels(folder).items():
            gold[f"{folder.name}/{file}"] = f"{folder.name}/{event}"
    result = compare(list(folders), config or RunConfig())
    key_of = {
        a.article.id: f"{Path(a.article.origin).parent.name}/{Path(a.article.origin).name}"
        for a in result.articles
    }
    predicted = {key_of[i]: s.id for s in result.alignment.stories for i in s.article_ids}
    missing = sorted(set(gold) - set(predicted))
    if missing:
        raise InputError(name, f"labelled documents not read: {', '.join(missing)}")
    precision, recall = bcubed(predicted, gold)
    groups = tuple(
        tuple(sorted(key_of[i] for i in s.article_ids)) for s in result.alignment.stories
    )
    return GroupingScore(name, len(gold), precision, recall, groups)


def topic_folders(root: Path) -> list[Path]:
    """The topic folders (those with a ``stories.yaml``) under ``root``, sorted."""
    return sorted(p for p in root.iterdir() if (p / "stories.yaml").is_file())
