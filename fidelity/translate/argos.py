"""The argos backend: offline neural translation with installed argostranslate packages.

Design (why not ``argostranslate.translate.translate``): that entry point finds packages
through ``ARGOS_PACKAGES_DIR`` read once at import, keeps translators in module-level state
for the life of the process, imports stanza (seconds), and for a package without its own
sentence splitter downloads one from GitHub on first use. Instead each ``ArgosTranslator``
loads the packages of an explicit folder through argostranslate's own ``Package`` class
(metadata, tokenizer, target prefix), drives the package's CTranslate2 model directly with
argostranslate's decoding settings, and splits sentences with the package's MiniSBD (or a
complete stanza) model, or with fidelity's splitter when the package has none. So nothing
reaches the network, a temporary ``FIDELITY_HOME`` works in-process (tests need no
subprocess), and translation is batched per document.
"""

from __future__ import annotations

import bisect
import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from fidelity.errors import CacheError, ModelError
from fidelity.paths import argos_packages_dir, argos_runtime_dir
from fidelity.text.sentences import split_sentences
from fidelity.translate._common import original_segment, untranslated_segment
from fidelity.translate.cache import TranslationCache, cache_key
from fidelity.translate.packages import (
    BrokenPackage,
    InstalledPackage,
    broken_message,
    scan_packages,
)
from fidelity.types import DetectedArticle, PivotSegment, Provenance, Segment

log = logging.getLogger(__name__)

ENGINE = "argos"
# Language codes whose argos packages use another code (argos names Brazilian Portuguese "pb"
# and traditional Chinese "zt").
_ARGOS_CODES: dict[str, tuple[str, ...]] = {"pt": ("pt", "pb"), "zh": ("zh", "zt")}

Splitter = Callable[[Sequence[str]], list[list[str]]]


# -------------------------------------------------------------------------- import guarding


@contextmanager
def _argos_environment() -> Iterator[None]:
    """Point argostranslate's import-time folders into fidelity's data folder.

    ``argostranslate.settings`` reads the XDG folders and ``ARGOS_PACKAGES_DIR`` once at import
    and creates data/config/cache folders there; it also honours ``ARGOS_CHUNK_TYPE=SPACY``,
    which downloads a spaCy model at import. The environment is restored afterwards.
    """
    runtime = argos_runtime_dir()
    wanted = {
        "XDG_DATA_HOME": str(runtime / "data"),
        "XDG_CONFIG_HOME": str(runtime / "config"),
        "XDG_CACHE_HOME": str(runtime / "cache"),
        "ARGOS_PACKAGES_DIR": str(argos_packages_dir()),
        "ARGOS_CHUNK_TYPE": "ARGOSTRANSLATE",
        "ARGOS_MODEL_PROVIDER": "OPENNMT",
        "ARGOS_DEVICE_TYPE": "cpu",
    }
    saved = {key: os.environ.get(key) for key in [*wanted, "SNAP"]}
    os.environ.update(wanted)
    os.environ.pop("SNAP", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def import_argos_package() -> ModuleType:
    """Import ``argostranslate.package`` (light: no stanza, no network) with a safe environment."""
    if "argostranslate.settings" not in sys.modules:
        with _argos_environment():
            return importlib.import_module("argostranslate.package")
    return importlib.import_module("argostranslate.package")


# ---------------------------------------------------------------------------- sentence split


def _fidelity_splitter(texts: Sequence[str]) -> list[list[str]]:
    return [[s.of(t) for s in split_sentences(t)] or [t] for t in texts]


def _owned(texts: Sequence[str], sentences: list[str]) -> list[list[str]] | None:
    """Give each sentence (a slice of ``"\\n\\n".join(texts)``) back to the text it came from."""
    joined = "\n\n".join(texts)
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 2
    owned: list[list[str]] = [[] for _ in texts]
    cursor = 0
    for sentence in sentences:
        if not sentence.strip():
            continue
        pos = joined.find(sentence, cursor)
        if pos < 0:
            return None
        owned[bisect.bisect_right(starts, pos) - 1].append(sentence)
        cursor = pos + len(sentence)
    return [o or [t] for o, t in zip(owned, texts, strict=True)]


def _minisbd_splitter(model_file: Path) -> Splitter:
    detector: Any = None

    def split(texts: Sequence[str]) -> list[list[str]]:
        nonlocal detector
        try:
            if detector is None:
                from minisbd import SBDetect

                detector = SBDetect(str(model_file), use_gpu=False)
            owned = _owned(texts, detector.sentences(list(texts)))
        except Exception as exc:  # a damaged model file raises onnxruntime's own errors
            log.warning("MiniSBD splitter %s failed (%s); using fidelity's", model_file, exc)
            owned = None
        return owned if owned is not None else _fidelity_splitter(texts)

    return split


def _stanza_splitter(stanza_dir: Path, lang: str) -> Splitter:
    pipeline: Any = None

    def split(texts: Sequence[str]) -> list[list[str]]:
        nonlocal pipeline
        if pipeline is None:
            import stanza

            pipeline = stanza.Pipeline(
                lang=lang,
                dir=str(stanza_dir),
                processors="tokenize",
                download_method=None,  # never fetch resources.json or models
                use_gpu=False,
                logging_level="WARNING",
            )
        return [[s.text for s in pipeline(t).sentences] or [t] for t in texts]

    return split


def make_splitter(pkg: InstalledPackage) -> Splitter:
    """The package's own sentence splitter, or fidelity's when it brings none."""
    if pkg.splitter == "minisbd":
        return _minisbd_splitter(sorted((pkg.path / "minisbd").glob("*.onnx"))[0])
    if pkg.splitter == "stanza":
        return _stanza_splitter(pkg.path / "stanza", pkg.from_code)
    return _fidelity_splitter


# --------------------------------------------------------------------------------- a package


@dataclass
class LoadedPackage:
    """An installed package ready to translate: tokenizer, CTranslate2 model, splitter."""

    info: InstalledPackage
    beam_size: int = 4
    max_batch_size: int = 32
    threads: int = 0
    _argos: Any = field(default=None, repr=False)
    _model: Any = field(default=None, repr=False)
    _split: Splitter | None = field(default=None, repr=False)

    def load(self) -> None:
        if self._model is not None:
            return
        package_module = import_argos_package()
        try:
            self._argos = package_module.Package(self.info.path)
            if not hasattr(self._argos, "tokenizer"):
                raise ModelError("it has no sentencepiece.model or bpe.model")
            self._argos.tokenizer.encode("a")  # the tokenizer loads lazily: load it now
            import ctranslate2

            self._model = ctranslate2.Translator(
                str(self.info.path / "model"),
                device="cpu",
                inter_threads=1,
                intra_threads=self.threads,
                compute_type="auto",
            )
        except Exception as exc:  # damaged files raise many kinds (IndexError, RuntimeError, ...)
            info = self.info
            # the loaders' messages can quote damaged bytes: keep them printable and short
            detail = "".join(ch if ch.isprintable() else "?" for ch in str(exc))[:300]
            raise ModelError(
                f"the {info.from_code}→{info.to_code} translation package {info.label} in "
                f"{info.path} could not be loaded ({type(exc).__name__}: {detail}); it is "
                f"damaged: run `fidelity models remove {info.pair}`, then `fidelity models install "
                f"translate-{info.from_code}_{info.to_code}.argosmodel`"
            ) from exc
        self._split = make_splitter(self.info)

    def translate_texts(self, texts: Sequence[str]) -> list[str]:
        """Translate whole segments: split into sentences, one batch for all, rejoin."""
        self.load()
        assert self._split is not None
        work = [i for i, t in enumerate(texts) if t.strip()]
        out = list(texts)
        if not work:
            return out
        sentences = self._split([texts[i] for i in work])
        tokenizer = self._argos.tokenizer
        pieces: list[list[str]] = []
        owners: list[int] = []
        for i, group in zip(work, sentences, strict=True):
            for sentence in group:
                pieces.append(tokenizer.encode(sentence))
                owners.append(i)
        prefix = self._argos.target_prefix
        results = self._model.translate_batch(
            pieces,
            target_prefix=[[prefix]] * len(pieces) if prefix else None,
            replace_unknowns=True,
            max_batch_size=self.max_batch_size,
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=0.2,
        )
        parts: dict[int, list[str]] = {i: [] for i in work}
        for owner, result in zip(owners, results, strict=True):
            value = tokenizer.decode(result.hypotheses[0])
            if prefix and value.startswith(prefix):
                value = value[len(prefix) :]
            parts[owner].append(value.strip())
        for i, values in parts.items():
            out[i] = " ".join(v for v in values if v)
        return out


# ------------------------------------------------------------------------------- translator


def missing_model_hint(source: str, pivot: str) -> str:
    return (
        f"no {source}→{pivot} model installed; run "
        f"`fidelity models install translate-{source}_{pivot}.argosmodel`"
    )


class ArgosTranslator:
    """Translate non-pivot segments with installed argostranslate packages.

    Args:
        packages_dir: folder of installed packages (default: ``fidelity.paths.argos_packages_dir()``
            at construction time, so ``FIDELITY_HOME`` is honoured).
        cache: a translation cache, or None to translate every time.
        beam_size: beam width (argostranslate's default is 4).
        max_batch_size: sentences per CTranslate2 batch.
        threads: CTranslate2 intra-op threads (0: let it choose).
    """

    name = "argos"

    def __init__(
        self,
        packages_dir: Path | None = None,
        *,
        cache: TranslationCache | None = None,
        beam_size: int = 4,
        max_batch_size: int = 32,
        threads: int = 0,
    ) -> None:
        self.packages_dir = packages_dir if packages_dir is not None else argos_packages_dir()
        self.cache = cache
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.threads = threads
        self._installed: dict[tuple[str, str], InstalledPackage] | None = None
        self._broken: dict[tuple[str, str], BrokenPackage] = {}
        self._loaded: dict[Path, LoadedPackage] = {}
        self._used: set[str] = set()
        self.translated_count = 0  # segments that went through a model (not the cache)

    @property
    def engine_tag(self) -> str:
        """Engine name with decoding settings, part of the cache key."""
        return f"{ENGINE}:beam{self.beam_size}"

    def refresh(self) -> None:
        """Forget the package list (after installing or removing packages)."""
        self._installed = None
        self._broken = {}
        self._loaded.clear()

    def find(self, source: str, pivot: str) -> InstalledPackage | None:
        """The installed package for ``source``→``pivot``, if any.

        Raises:
            ModelError: the only package for the pair is broken (incomplete or damaged); the
                message names it and the commands that repair it.
        """
        if self._installed is None:
            installed, broken = scan_packages(self.packages_dir)
            self._installed = {(p.from_code, p.to_code): p for p in installed}
            self._broken = {
                (b.from_code, b.to_code): b
                for b in broken
                if b.from_code is not None and b.to_code is not None
            }
        codes = _ARGOS_CODES.get(source, (source,))
        for code in codes:
            pkg = self._installed.get((code, pivot))
            if pkg is not None:
                return pkg
        for code in codes:
            broken_pkg = self._broken.get((code, pivot))
            if broken_pkg is not None:
                raise ModelError(broken_message(broken_pkg))
        return None

    def translate(self, detected: DetectedArticle, pivot: str) -> tuple[PivotSegment, ...]:
        return tuple(self.translate_segments(detected, detected.segments, pivot))

    def translate_segments(
        self, detected: DetectedArticle, segments: Sequence[Segment], pivot: str
    ) -> list[PivotSegment]:
        """Translate ``segments`` of ``detected`` (pivot-language ones pass through)."""
        text = detected.article.text
        out: list[PivotSegment | None] = [None] * len(segments)
        by_language: dict[str, list[int]] = {}
        for i, seg in enumerate(segments):
            if seg.language == pivot:
                out[i] = original_segment(seg, text)
            else:
                by_language.setdefault(seg.language, []).append(i)
        for language, indexes in by_language.items():
            pkg = self.find(language, pivot)
            group = [segments[i] for i in indexes]
            if pkg is None:
                hint = missing_model_hint(language, pivot)
                results = [untranslated_segment(s, text, hint) for s in group]
            else:
                results = self._translate_group(pkg, group, text)
            for i, result in zip(indexes, results, strict=True):
                out[i] = result
        return [p for p in out if p is not None]

    def _translate_group(
        self, pkg: InstalledPackage, group: Sequence[Segment], text: str
    ) -> list[PivotSegment]:
        originals = [s.span.of(text) for s in group]
        unique = list(dict.fromkeys(originals))
        engine = self.engine_tag
        keys = {
            t: cache_key(t, pkg.from_code, pkg.to_code, engine, pkg.package_id, pkg.version)
            for t in unique
        }
        hits = self._cached(list(keys.values()))
        translations: dict[str, str] = {t: hits[k] for t, k in keys.items() if k in hits}
        missing = [t for t in unique if t not in translations]
        if missing:
            loaded = self._loaded.get(pkg.path)
            if loaded is None:
                loaded = LoadedPackage(pkg, self.beam_size, self.max_batch_size, self.threads)
                self._loaded[pkg.path] = loaded
            made = loaded.translate_texts(missing)
            self.translated_count += len(missing)
            translations.update(zip(missing, made, strict=True))
            if self.cache is not None:
                try:
                    self.cache.put_many(
                        ((keys[t], translations[t]) for t in missing),
                        source=pkg.from_code,
                        target=pkg.to_code,
                        engine=engine,
                        package=pkg.package_id,
                        version=pkg.version,
                    )
                except CacheError as exc:  # a cache that cannot be written costs time only
                    log.warning("%s; these translations are not kept", exc)
        self._used.add(pkg.label)
        hit_keys = hits.keys()
        provenance = {
            cached: Provenance(
                ENGINE, "translated", package=pkg.package_id, version=pkg.version, cached=cached
            )
            for cached in (False, True)
        }
        return [
            PivotSegment(seg, translations[t], provenance[keys[t] in hit_keys])
            for seg, t in zip(group, originals, strict=True)
        ]

    def _cached(self, keys: list[bytes]) -> dict[bytes, str]:
        if self.cache is None:
            return {}
        try:
            return self.cache.get_many(keys)
        except CacheError as exc:  # a cache that cannot be read costs time only
            log.warning("%s; translating without it", exc)
            return {}

    def packages(self) -> tuple[str, ...]:
        return tuple(sorted(self._used))
