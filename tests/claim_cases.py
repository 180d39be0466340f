"""Hand-made claims for the detector tests: the extract stage's own dataclasses, with the parts
(quotes, figures, names, markers, framing) given as the words they cover, so a case reads as
the sentence pair it is. No pipeline, no model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from fidelity.extract import load_lexicon
from fidelity.extract.quantities import QuantityFinder
from fidelity.score.base import Comparison, Divergence, Match, Pair, PairDetector
from fidelity.score.detectors.numbers import NumberDetector
from fidelity.text.vocabulary import vocabulary
from fidelity.types import (
    Article,
    Claim,
    DetectedArticle,
    Entity,
    ExtractedArticle,
    FramingTerm,
    Marker,
    Quantity,
    Quote,
    Span,
    Speaker,
    TranslatedArticle,
)


def span_of(text: str, words: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``words`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(words, at + 1)
    return Span(at, at + len(words))


def speaker(name: str, surface: str | None = None, kind: str = "person") -> Speaker:
    return Speaker(name=name, surface=surface if surface is not None else name, kind=kind)


def claim(
    text: str,
    *,
    ident: str = "derived#1",
    kind: str = "body",
    status: str = "original",
    attribution: Speaker | None = None,
    quotes: Iterable[tuple[str, Speaker | None]] = (),
    quantities: Iterable[tuple[object, ...]] = (),
    entities: Iterable[tuple[str, str, str]] = (),
    markers: Iterable[tuple[str, str, float]] = (),
    framing: Iterable[tuple[str, str, int, str]] = (),
) -> Claim:
    """A claim of ``text``. Parts name their words: ``quotes`` (words inside the marks,
    speaker), ``quantities`` (words, value, unit[, relation[, approximate]]), ``entities``
    (words, canonical, kind), ``markers`` (term, kind, level), ``framing`` (term, concept,
    level, voice)."""
    article, _, index = ident.partition("#")
    return Claim(
        id=ident,
        article_id=article,
        index=int(index or 0),
        kind=kind,  # type: ignore[arg-type]
        span=Span(0, len(text)),
        text=text,
        status=status,
        attribution=attribution,
        quotes=tuple(Quote(span_of(text, w), "“", sp) for w, sp in quotes),
        quantities=tuple(
            Quantity(span_of(text, str(q[0])), *q[1:])  # type: ignore[arg-type]
            for q in quantities
        ),
        entities=tuple(Entity(span_of(text, w), canon, k) for w, canon, k in entities),
        markers=tuple(Marker(span_of(text, w), w, k, level) for w, k, level in markers),
        framing=tuple(
            FramingTerm(span_of(text, w), w, concept, level, voice)  # type: ignore[arg-type]
            for w, concept, level, voice in framing
        ),
    )


def source(text: str, **parts: object) -> Claim:
    """The counterpart claim (another article)."""
    return claim(text, ident="source#1", **parts)  # type: ignore[arg-type]


ENGLISH = vocabulary("en")


def detect(detector: PairDetector, derived: Claim, reference: Claim) -> list[Divergence]:
    return list(detector.detect(Pair(derived, reference, ENGLISH)))


def categories(found: Sequence[Divergence]) -> list[str]:
    return [d.category.value for d in found]


def article(ident: str, *claims: Claim) -> ExtractedArticle:
    """An English article holding ``claims`` (their ids should start with ``ident#``)."""
    text = " ".join(c.text for c in claims)
    detected = DetectedArticle(Article(id=ident, origin=f"{ident}.txt", text=text), "en", (), ())
    return ExtractedArticle(TranslatedArticle(detected, "en", ()), claims)


def comparison(
    derived: ExtractedArticle,
    references: Sequence[ExtractedArticle],
    links: Iterable[tuple[str, str]] = (),
    *,
    strict: bool = True,
) -> Comparison:
    """``derived`` against ``references``, with the claim pairs in ``links`` aligned."""
    claims = {c.id: c for a in (derived, *references) for c in a.claims}
    counterparts: dict[str, list[Match]] = {}
    matches: dict[str, dict[str, Match]] = {c.id: {} for c in derived.claims}
    for mine, theirs in links:
        counterparts.setdefault(mine, []).append((theirs, 1.0, {}))
        counterparts.setdefault(theirs, []).append((mine, 1.0, {}))
        if mine in matches:
            matches[mine][claims[theirs].article_id] = (theirs, 1.0, {})
    return Comparison(derived, references, claims, matches, counterparts, strict, 0.45, ENGLISH)


@cache
def figure_finder() -> QuantityFinder:
    """The extract stage's quantity finder for English."""
    return QuantityFinder(load_lexicon().language("en"))


def read_figures(text: str, ident: str) -> Claim:
    """A claim of ``text`` with the figures the extract stage reads in it (dated 2 May 2024)."""
    article, _, index = ident.partition("#")
    return Claim(
        id=ident,
        article_id=article,
        index=int(index),
        kind="body",
        span=Span(0, len(text)),
        text=text,
        quantities=tuple(figure_finder().find(text, "2024-05-02")),
    )


def number_changes(derived: str, reference: str) -> list[str]:
    """The numbers detector's ``number_changed`` messages on two sentences read for figures."""
    pair = Pair(read_figures(derived, "derived#1"), read_figures(reference, "source#1"), ENGLISH)
    return [
        d.message for d in NumberDetector().detect(pair) if d.category.value == "number_changed"
    ]
