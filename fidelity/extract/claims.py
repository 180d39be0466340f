"""Turn one translated article into claims: headline, lede and body, each with its parts.

Each pivot segment becomes one claim, except the segments flagged ``is_title``, which
together form the headline claim. The lede is the first body paragraph that reads as prose
(at least eight words over its sentences; short lines such as navigation, datelines and
subheads are skipped), capped at its first two sentences; every later segment is body.
Quotes left open at the end of a claim, and the speaker they belong to, carry into the next
claim of the same article (see ``fidelity.extract.quotes``); a speaker named only at the end
of a multi-sentence quote is given back to the quote's earlier sentences.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from fidelity.extract.attribution import Attributor, Registry
from fidelity.extract.entities import WORD, find_entities
from fidelity.extract.lexicon import Lexicon
from fidelity.extract.markers import claim_certainty, find_framing, find_markers
from fidelity.extract.quantities import QuantityFinder
from fidelity.extract.quotes import OpenQuote, find_quotes, is_partial, starts_with_opening_mark
from fidelity.types import (
    Claim,
    Entity,
    ExtractedArticle,
    FramingTerm,
    Marker,
    PivotSegment,
    Quantity,
    Quote,
    Span,
    Speaker,
    TranslatedArticle,
)

log = logging.getLogger(__name__)

LEDE_MIN_WORDS = 8
LEDE_MAX_SENTENCES = 2
_STATUS_RANK = {"untranslated": 0, "translated": 1, "provided": 2, "original": 3}


ClaimKind = Literal["headline", "lede", "body"]


@dataclass
class _Draft:
    """A claim being built; quotes and attribution may still change (see module doc)."""

    index: int
    kind: ClaimKind
    segments: list[PivotSegment]
    text: str
    language: str
    quotes: list[Quote] = field(default_factory=list)
    attribution: Speaker | None = None
    entities: tuple[Entity, ...] = ()
    markers: tuple[Marker, ...] = ()
    framing: tuple[FramingTerm, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    certainty: float = 1.0


class _Tools:
    """Per-language helpers, built on first use."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._attributors: dict[str, Attributor] = {}
        self._quantities: dict[str, QuantityFinder] = {}

    def attributor(self, language: str) -> Attributor:
        if language not in self._attributors:
            self._attributors[language] = Attributor(self.lexicon, self.lexicon.language(language))
        return self._attributors[language]

    def quantities(self, language: str) -> QuantityFinder:
        if language not in self._quantities:
            self._quantities[language] = QuantityFinder(self.lexicon.language(language))
        return self._quantities[language]


def _units(translated: TranslatedArticle) -> list[tuple[ClaimKind, list[PivotSegment]]]:
    segments = list(translated.segments)
    titles = [s for s in segments if s.segment.is_title]
    body = [s for s in segments if not s.segment.is_title]
    units: list[tuple[ClaimKind, list[PivotSegment]]] = []
    if titles:
        units.append(("headline", titles))
    lede_paragraph: int | None = None
    by_paragraph: dict[int, list[PivotSegment]] = {}
    for seg in body:
        by_paragraph.setdefault(seg.segment.paragraph, []).append(seg)
    headline = " ".join(s.text for s in titles).strip()
    for paragraph, segs in by_paragraph.items():
        words = sum(len(s.text.split()) for s in segs)
        if headline and " ".join(s.text for s in segs).strip() == headline:
            continue  # the headline printed again above the body
        if words >= LEDE_MIN_WORDS and any(s.provenance.status != "untranslated" for s in segs):
            lede_paragraph = paragraph
            break
    lede_left = LEDE_MAX_SENTENCES
    for seg in body:
        if seg.segment.paragraph == lede_paragraph and lede_left > 0:
            units.append(("lede", [seg]))
            lede_left -= 1
        else:
            units.append(("body", [seg]))
    return units


def _reaches(text: str, start: int, end: int, anchor: Span | None) -> bool:
    """Whether a reporting verb (or source phrase) at ``anchor`` governs the quote.

    A colon or semicolon between them separates the quote from that verb ("‘War in 72
    hours’: ... as Russia warns"), except the colon that introduces the quote ("said: “...”").
    """
    if anchor is None:
        return True
    if end <= anchor.start:
        between = text[end : anchor.start]
        # "“…,” X said" / "“…” - X said": the quote hands over to its speaker with a comma
        handover = text[end - 1 : end] in (",", ".", "!", "?", "…") or between.lstrip(" \"'”»’“")[
            :1
        ] in (",", "—", "–", "-")
        if not handover:
            return False
    else:
        between = text[anchor.end : start]
    if between.strip(" \"'“”«»„‘’,:") == "":
        return True
    return ":" not in between and ";" not in between


def _known_names(translated: TranslatedArticle) -> frozenset[str]:
    """Words written capitalised somewhere other than at a sentence start."""
    names: set[str] = set()
    for seg in translated.segments:
        for m in WORD.finditer(seg.text):
            word = m.group(0)
            if m.start() == 0 or not word[0].isupper():
                continue
            before = seg.text[: m.start()].rstrip(" \"'“‘«„(")
            if before and before[-1] not in ".!?:":
                names.add(word.lower())
    return frozenset(names)


def extract_article(translated: TranslatedArticle, lexicon: Lexicon) -> ExtractedArticle:
    """Claims of one article, headline first, then lede and body in order."""
    return ArticleExtractor(lexicon).extract(translated)


class ArticleExtractor:
    """Extracts article after article with one lexicon, compiling its per-language helpers
    (attribution, quantity patterns) once rather than once per article."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._tools = _Tools(lexicon)

    def extract(self, translated: TranslatedArticle) -> ExtractedArticle:
        """Claims of one article, headline first, then lede and body in order."""
        return _extract(translated, self._lexicon, self._tools)


def _extract(translated: TranslatedArticle, lexicon: Lexicon, tools: _Tools) -> ExtractedArticle:
    article = translated.article
    registry = Registry()
    known = _known_names(translated)
    drafts: list[_Draft] = []
    claims: list[Claim] = []
    open_quote: OpenQuote | None = None
    open_speaker: Speaker | None = None
    open_paragraph: int | None = None
    previous_speaker: Speaker | None = None
    chain: list[_Draft] = []  # earlier claims of the current open quote with no speaker yet

    for index, (kind, segs) in enumerate(_units(translated)):
        text = " ".join(s.text for s in segs)
        first = segs[0]
        language = (
            first.segment.language
            if first.provenance.status == "untranslated"
            else translated.pivot_language
        )
        lang = lexicon.language(language)
        draft = _Draft(index, kind, segs, text, language)
        paragraph = first.segment.paragraph
        carried: OpenQuote | None = None
        if open_quote is not None and kind != "headline":
            if paragraph == open_paragraph or starts_with_opening_mark(text):
                carried = open_quote
            else:
                chain = []
        if carried is None:
            open_speaker = None
        raw_quotes, left_open = find_quotes(text, carried)
        quote_spans = [Span(q.start, q.end) for q in raw_quotes]
        entities = find_entities(text, lexicon, lang, known)
        attribution = tools.attributor(language).attribute(text, quote_spans, registry)
        registry.note_entities(entities, lexicon)
        speaker = attribution.speaker if attribution is not None else None
        if speaker is None and carried is not None:
            speaker = open_speaker
        if speaker is not None and chain:
            for earlier in chain:  # the speaker named at the end of a multi-sentence quote
                earlier.quotes = [
                    q if q.speaker is not None else Quote(q.span, q.style, speaker, q.partial)
                    for q in earlier.quotes
                ]
                if earlier.attribution is None:
                    earlier.attribution = speaker
            chain = []
        quotes = []
        for q in raw_quotes:
            who: Speaker | None = None
            if attribution is not None and _reaches(text, q.start, q.end, attribution.anchor):
                who = attribution.speaker
            elif q.continued:
                who = speaker
            quotes.append(Quote(Span(q.start, q.end), q.mark, who, is_partial(text, q)))
        if (
            speaker is None
            and left_open is None
            and previous_speaker is not None
            and any(
                not q.partial
                and q.speaker is None
                and q.span.start <= 1
                and text[: q.span.end].rstrip()[-1:] in (".", "!", "?", "…", ",")
                for q in quotes
            )
        ):
            # a quote paragraph standing after "X said that ...": X's words
            speaker = previous_speaker
            quotes = [
                Quote(q.span, q.style, speaker, q.partial) if q.speaker is None else q
                for q in quotes
            ]
        previous_speaker = speaker if kind != "headline" else None
        draft.quotes = quotes
        draft.attribution = speaker
        if left_open is not None:
            open_quote, open_speaker, open_paragraph = (
                left_open,
                speaker,
                segs[-1].segment.paragraph,
            )
            if speaker is None:
                chain.append(draft)
        else:
            open_quote, open_speaker, open_paragraph = None, None, None
            chain = []
        markers = find_markers(text, lang)
        framing = find_framing(text, lang, quote_spans)
        quantities = tools.quantities(language).find(text, article.published)
        certainty = claim_certainty(markers, attribution.certainty if attribution else None)
        draft.entities = tuple(entities)
        draft.markers = tuple(markers)
        draft.framing = tuple(framing)
        draft.quantities = tuple(quantities)
        draft.certainty = certainty
        drafts.append(draft)

    # Claims are frozen only now: a later sentence may still name an earlier quote's speaker.
    for draft in drafts:
        segs = draft.segments
        status = min((s.provenance.status for s in segs), key=lambda s: _STATUS_RANK.get(s, 0))
        claims.append(
            Claim(
                id=f"{article.id}#{draft.index}",
                article_id=article.id,
                index=draft.index,
                kind=draft.kind,
                span=Span(segs[0].segment.span.start, max(s.segment.span.end for s in segs)),
                text=draft.text,
                status=status,
                quotes=tuple(draft.quotes),
                attribution=draft.attribution,
                quantities=draft.quantities,
                entities=draft.entities,
                markers=draft.markers,
                framing=draft.framing,
                certainty=draft.certainty,
            )
        )
    log.debug("extracted %d claims from %s", len(claims), article.id)
    return ExtractedArticle(translated, tuple(claims))
