"""Stage 3, translate: every segment reaches the pivot language, with provenance.

Takes ``DetectedArticle`` objects, returns ``TranslatedArticle`` objects. Backends follow the
``Translator`` protocol and are chosen by name (:func:`make_translator`): ``identity``,
``provided`` (the user's own translation), ``argos`` (installed argostranslate packages, imported
lazily) and ``auto`` (identity for pivot text, provided when an article has a translation, argos
otherwise). A segment nothing can translate keeps its words, status ``untranslated``, and a hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from fidelity.errors import ConfigError
from fidelity.translate._common import original_segment, untranslated_segment
from fidelity.translate.argos import ArgosTranslator, missing_model_hint
from fidelity.translate.cache import TranslationCache, cache_key, default_cache_path
from fidelity.translate.packages import (
    InstalledPackage,
    download_package,
    install_package,
    list_packages,
    remove_package,
    validate_archive,
)
from fidelity.translate.provided import ProvidedTranslator, map_translation
from fidelity.types import DetectedArticle, PivotSegment, Segment, TranslatedArticle

__all__ = [
    "TRANSLATORS",
    "ArgosTranslator",
    "AutoTranslator",
    "IdentityTranslator",
    "InstalledPackage",
    "ProvidedTranslator",
    "TranslationCache",
    "Translator",
    "cache_key",
    "default_cache_path",
    "download_package",
    "install_package",
    "list_packages",
    "make_translator",
    "map_translation",
    "missing_model_hint",
    "remove_package",
    "translate_articles",
    "validate_archive",
]


class Translator(Protocol):
    """Turns the segments of one article into pivot-language text."""

    name: str

    def translate(self, detected: DetectedArticle, pivot: str) -> tuple[PivotSegment, ...]:
        """Return one ``PivotSegment`` per segment of ``detected``, in order."""
        ...

    def packages(self) -> tuple[str, ...]:
        """Identifiers (with versions) of the models used so far, for the signature."""
        ...


class IdentityTranslator:
    """Passes pivot-language text through; marks anything else ``untranslated``."""

    name = "identity"

    def translate(self, detected: DetectedArticle, pivot: str) -> tuple[PivotSegment, ...]:
        return tuple(self.translate_segments(detected, detected.segments, pivot))

    def translate_segments(
        self, detected: DetectedArticle, segments: Sequence[Segment], pivot: str
    ) -> list[PivotSegment]:
        text = detected.article.text
        return [
            original_segment(seg, text)
            if seg.language == pivot
            else untranslated_segment(
                seg, text, f"no translator configured for {seg.language}->{pivot}"
            )
            for seg in segments
        ]

    def packages(self) -> tuple[str, ...]:
        return ()


class AutoTranslator:
    """Identity for pivot segments, the provided translation when the article has one, argos
    (installed packages) otherwise, and for what the provided translation leaves out."""

    name = "auto"

    def __init__(
        self, argos: ArgosTranslator | None = None, provided: ProvidedTranslator | None = None
    ) -> None:
        self.argos = argos if argos is not None else ArgosTranslator()
        self.provided = provided if provided is not None else ProvidedTranslator()

    def translate(self, detected: DetectedArticle, pivot: str) -> tuple[PivotSegment, ...]:
        text = detected.article.text
        out: list[PivotSegment | None] = [None] * len(detected.segments)
        rest: list[int] = []
        for i, seg in enumerate(detected.segments):
            if seg.language == pivot:
                out[i] = original_segment(seg, text)
            else:
                rest.append(i)
        if rest:
            todo = [detected.segments[i] for i in rest]
            translation = detected.article.translation
            if translation and translation.strip():
                done = self.provided.translate_segments(detected, todo, pivot)
                # What the provided text does not cover (a headline it left out) goes to argos.
                left = [k for k, p in enumerate(done) if p.provenance.status == "untranslated"]
                if left:
                    redone = self.argos.translate_segments(detected, [todo[k] for k in left], pivot)
                    for k, result in zip(left, redone, strict=True):
                        done[k] = result
            else:
                done = self.argos.translate_segments(detected, todo, pivot)
            for i, result in zip(rest, done, strict=True):
                out[i] = result
        return tuple(p for p in out if p is not None)

    def packages(self) -> tuple[str, ...]:
        return tuple(sorted({*self.argos.packages(), *self.provided.packages()}))


TRANSLATORS = ("auto", "argos", "provided", "identity")


def make_translator(
    name: str,
    *,
    cache: TranslationCache | None = None,
    use_cache: bool = False,
    packages_dir: Path | None = None,
    beam_size: int = 4,
) -> Translator:
    """Build a translator by name.

    Args:
        name: one of ``auto``, ``argos``, ``provided``, ``identity``.
        cache: the translation cache to use (takes precedence over ``use_cache``).
        use_cache: open the default on-disk cache (``translations.sqlite`` under
            ``fidelity.paths.cache_home()``) when no ``cache`` is given.
        packages_dir: installed argos packages (default: fidelity's own folder).
        beam_size: argos beam width.

    Raises:
        ConfigError: unknown name.
        CacheError: the cache could not be opened.
    """
    if name not in TRANSLATORS:
        raise ConfigError(f"unknown translator {name!r}; choose one of {', '.join(TRANSLATORS)}")
    if name == "identity":
        return IdentityTranslator()
    if name == "provided":
        return ProvidedTranslator()
    if cache is None and use_cache:
        cache = TranslationCache(default_cache_path())
    argos = ArgosTranslator(packages_dir, cache=cache, beam_size=beam_size)
    if name == "argos":
        return argos
    return AutoTranslator(argos, ProvidedTranslator())


def translate_articles(
    detected: Sequence[DetectedArticle], translator: Translator, *, pivot: str = "en"
) -> tuple[TranslatedArticle, ...]:
    """Translate every article's segments to ``pivot`` with ``translator`` (one batch per
    document)."""
    return tuple(TranslatedArticle(d, pivot, translator.translate(d, pivot)) for d in detected)
