"""Training and evaluation data for the judge: labelled consistency files and sentence pairs.

A consistency file (SummEdits shape) is a JSON list of ``{id, doc, summary, label,
original_summary?, edit_types?}``. Sentence labels are derived from the word diff between the
original summary and the edited one: the sentences an inconsistent edit touched are unsupported,
the others supported.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fidelity.errors import FidelityError
from fidelity.judge.windows import SourceIndex, sentences_of

SUPPORTED, CONTRADICTED, NOT_IN_SOURCE = 0, 1, 2
LABELS = ("supported", "contradicted", "not_in_source")

_WORDS = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class ConsistencyItem:
    """One labelled (source, derived text) pair of a consistency file."""

    id: str
    domain: str
    doc: str
    summary: str
    consistent: bool
    original_summary: str | None = None
    edit_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.doc.strip() or not self.summary.strip():
            raise ValueError(f"{self.id}: empty doc or summary")


@dataclass(frozen=True, slots=True)
class JudgePair:
    """A (derived sentence, source premise) pair with its three-way label."""

    hypothesis: str
    premise: str
    label: int
    domain: str
    kind: str  # where it came from: summedits, or the generator's edit name
    group: str = field(default="")  # the source document's id (for splits by document)

    def __post_init__(self) -> None:
        if self.label not in (SUPPORTED, CONTRADICTED, NOT_IN_SOURCE):
            raise ValueError(f"bad label {self.label}")


def domain_of(path: Path) -> str:
    """``summedits_podcast.json`` -> ``podcast``."""
    stem = path.stem
    return stem.split("_", 1)[1] if stem.startswith("summedits_") else stem


def consistency_files(path: Path) -> list[Path]:
    """The JSON files of a consistency folder (sorted), or the one file given."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.is_file())
        if not files:
            raise FidelityError(f"no *.json consistency files in {path}")
        return files
    if not path.is_file():
        raise FidelityError(f"{path} does not exist; give a consistency JSON file or a folder")
    return [path]


def load_items(path: Path) -> list[ConsistencyItem]:
    """Read one consistency file.

    Raises:
        FidelityError: the file is not a JSON list of objects with doc, summary and label.
    """
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FidelityError(f"cannot read {path}: {exc}") from exc
    if not isinstance(rows, list):
        raise FidelityError(f"{path}: expected a JSON list of {{doc, summary, label}} objects")
    domain = domain_of(path)
    items = []
    for n, row in enumerate(rows):
        try:
            items.append(
                ConsistencyItem(
                    id=str(row.get("id", f"{domain}-{n}")),
                    domain=domain,
                    doc=str(row["doc"]),
                    summary=str(row["summary"]),
                    consistent=int(row["label"]) == 1,
                    original_summary=row.get("original_summary"),
                    edit_types=tuple(row.get("edit_types") or ()),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise FidelityError(f"{path}: row {n} is not a consistency item ({exc})") from exc
    return items


def edited_sentences(original: str, summary: str, sentences: Sequence[str]) -> set[int]:
    """Indexes of the summary sentences that the edit from ``original`` touched."""
    old = _WORDS.findall(original)
    new_spans = [(m.start(), m.end()) for m in _WORDS.finditer(summary)]
    new = [summary[s:e] for s, e in new_spans]
    # Character start of each sentence in the summary, found in order.
    starts, at = [], 0
    for sentence in sentences:
        pos = summary.find(sentence, at)
        pos = at if pos < 0 else pos
        starts.append(pos)
        at = pos + len(sentence)

    def sentence_at(char: int) -> int:
        idx = 0
        for i, s in enumerate(starts):
            if s <= char:
                idx = i
        return idx

    touched: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if j2 > j1:
            for j in range(j1, j2):
                touched.add(sentence_at(new_spans[j][0]))
        elif new_spans:  # a deletion: the sentence where the words were
            j = min(j1, len(new_spans) - 1)
            touched.add(sentence_at(new_spans[j][0]))
    return touched


def _unsupported_label(edit_types: Sequence[str]) -> int:
    if edit_types and all(t == "hallucinated_fact_insertion" for t in edit_types):
        return NOT_IN_SOURCE
    return CONTRADICTED


def sentence_pairs(
    items: Iterable[ConsistencyItem], windows: int = 3
) -> tuple[list[JudgePair], int]:
    """Sentence pairs with derived labels; also the number of inconsistent items skipped
    because no edited sentence could be located (no original summary, or no word changed)."""
    pairs: list[JudgePair] = []
    skipped = 0
    seen_originals: set[tuple[str, str]] = set()
    indexes: dict[str, SourceIndex] = {}
    for item in items:
        index = indexes.get(item.doc)
        if index is None:
            index = indexes[item.doc] = SourceIndex.of_text(item.doc)
        sentences = sentences_of(item.summary)
        if item.consistent:
            bad: set[int] = set()
        else:
            if not item.original_summary:
                skipped += 1
                continue
            bad = edited_sentences(item.original_summary, item.summary, sentences)
            if not bad:
                skipped += 1
                continue
        for i, sentence in enumerate(sentences):
            label = _unsupported_label(item.edit_types) if i in bad else SUPPORTED
            pairs.append(
                JudgePair(
                    sentence,
                    index.premise(sentence, windows),
                    label,
                    item.domain,
                    "summedits",
                    item.id,
                )
            )
        if item.original_summary and (item.doc, item.original_summary) not in seen_originals:
            seen_originals.add((item.doc, item.original_summary))
            for sentence in sentences_of(item.original_summary):
                pairs.append(
                    JudgePair(
                        sentence,
                        index.premise(sentence, windows),
                        SUPPORTED,
                        item.domain,
                        "original",
                        item.id,
                    )
                )
    # A sentence of an edited summary that equals an original sentence is supported either
    # way; drop exact duplicates so the original summaries do not dominate.
    unique: dict[tuple[str, str, int], JudgePair] = {}
    for pair in pairs:
        unique.setdefault((pair.hypothesis, pair.premise, pair.label), pair)
    return list(unique.values()), skipped
