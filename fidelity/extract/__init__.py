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
from fidelity.parallel import run_pieces
from fidelity.types import Claim, ExtractedArticle, TranslatedArticle

__all__ = [
    "LEDE_MAX_SENTENCES",
    "LEDE_MIN_WORDS",
    "ArticleExtractor",
    "Lexicon",
    "extract_article",
    "extract_articles",
    "load_lexicon",
]


# Below this many segments in all, forking workers costs more than it saves.
_PARALLEL_SEGMENTS = 1500


def extract_articles(
    translated: Sequence[TranslatedArticle], lexicon: Lexicon | None = None, *, jobs: int = 1
) -> tuple[ExtractedArticle, ...]:
    """Extract the claims of every article.

    Args:
        translated: the translate stage's output.
        lexicon: a lexicon from ``load_lexicon``; the packaged one when None.
        jobs: worker processes for a large corpus (0: one per CPU); the result is the same.

    Returns:
        One ``ExtractedArticle`` per input, in order.

    Raises:
        ConfigError: the packaged lexicon is broken (only when ``lexicon`` is None).
    """
    lex = lexicon if lexicon is not None else load_lexicon()
    extractor = ArticleExtractor(lex)

    def claims_of(article: TranslatedArticle) -> tuple[Claim, ...]:
        return extractor.extract(article).claims  # only the claims travel back from a worker

    claims = run_pieces(
        claims_of,
        translated,
        jobs=jobs,
        weights=[len(t.segments) for t in translated],
        min_weight=_PARALLEL_SEGMENTS,
    )
    return tuple(ExtractedArticle(t, c) for t, c in zip(translated, claims, strict=True))
