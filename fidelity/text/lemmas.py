"""Word lemmas in any language simplemma knows, shared by extraction and alignment (it lives
below them so no stage reaches into another)."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=65536)
def lemma(word: str, language: str) -> str:
    """The lower-cased lemma of ``word`` in ``language``; the word itself when simplemma has no
    table for the language."""
    import simplemma  # lazy: a large lemma table, loaded per language on first use

    try:
        return str(simplemma.lemmatize(word, lang=language)).lower()
    except ValueError:  # a language simplemma does not know
        return word
