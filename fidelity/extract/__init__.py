"""Stage 4, extract: claims, quotes, speakers, quantities, entities, hedges and framing.

Takes ``TranslatedArticle`` objects and returns ``ExtractedArticle`` objects. Every span in a
claim's parts points into ``Claim.text`` (the pivot-language text); ``Claim.span`` points
into the original ``Article.text``. The vocabulary is data: ``fidelity/lexicons/*.yaml`` plus
any user files given to ``load_lexicon``.
"""

from __future__ import annotations

from collections.abc import Sequence

from fidelity.extract.claims import (
    LEDE_MAX_SENTENCES,
    LEDE_MIN_WORDS,
    ArticleExtractor,
    extract_article,
)
from fidelity.extract.lexicon import Lexicon, load_lexicon
from fidelity.types import ExtractedArticle, TranslatedArticle

__all__ = [
    "LEDE_MAX_SENTENCES",
    "LEDE_MIN_WORDS",
    "ArticleExtractor",
    "Lexicon",
    "extract_article",
    "extract_articles",
    "load_lexicon",
]


def extract_articles(
    translated: Sequence[TranslatedArticle], lexicon: Lexicon | None = None
) -> tuple[ExtractedArticle, ...]:
    """Extract the claims of every article.

    Args:
        translated: the translate stage's output.
        lexicon: a lexicon from ``load_lexicon``; the packaged one when None.

    Returns:
        One ``ExtractedArticle`` per input, in order.

    Raises:
        ConfigError: the packaged lexicon is broken (only when ``lexicon`` is None).
    """
    lex = lexicon if lexicon is not None else load_lexicon()
    extractor = ArticleExtractor(lex)
    return tuple(extractor.extract(t) for t in translated)
