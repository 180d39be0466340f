"""What the shipped judge is, read from its files without importing torch (for `models list`
and for run signatures)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


@dataclass(frozen=True, slots=True)
class JudgeInfo:
    """The shipped judge's classifier file, size, digest and recorded thresholds."""

    path: Path  # the classifier (JSON)
    size_bytes: int
    sha256: str
    document_threshold: float | None
    sentence_threshold: float | None

    @property
    def signature(self) -> str:
        """A short identifier for run signatures: ``judge-words-<digest>@<thresholds>``
        (document and sentence thresholds on P(supported))."""
        t = (
            "none"
            if self.document_threshold is None or self.sentence_threshold is None
            else f"{self.document_threshold:.4f}/{self.sentence_threshold:.4f}"
        )
        return f"judge-words-{self.sha256[:12]}@{t}"


def shipped_judge(folder: Path = WEIGHTS_DIR) -> JudgeInfo | None:
    """The shipped judge's description, or None when no classifier is in the package."""
    path = folder / "judge.json"
    if not path.is_file():
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    doc = sent = None
    thresholds = folder / "thresholds.json"
    if thresholds.is_file():
        data = json.loads(thresholds.read_text(encoding="utf-8"))
        doc, sent = float(data["document"]), float(data["sentence"])
    return JudgeInfo(path, path.stat().st_size, digest, doc, sent)
