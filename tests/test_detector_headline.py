"""Headlines: a figure or loaded term that neither the body nor the sources carry."""

from __future__ import annotations

import dataclasses

import pytest
from claim_cases import article, claim, comparison

from fidelity.score.base import Match
from fidelity.score.detectors.headline import HeadlineDetector
from fidelity.types import Claim, ExtractedArticle

BODY = claim(
    "NATO said allies would respond within 72 hours of a breach.",
    ident="derived#1",
    quantities=[("within 72 hours", 72, "hour", "within")],
    framing=[("breach", "conflict", 1, "outlet")],
)
SOURCE = article(
    "source",
    claim(
        "Allies would respond within three days of a breach, NATO said.",
        ident="source#0",
        quantities=[("within three days", 72, "hour", "within")],
    ),
)


def _found(headline_text: str, **parts: object) -> list[tuple[str, str]]:
    headline = claim(headline_text, ident="derived#0", kind="headline", **parts)  # type: ignore[arg-type]
    found = HeadlineDetector().detect(comparison(article("derived", headline, BODY), [SOURCE]))
    return [(d.severity.value, d.detail) for d in found]


def test_a_figure_nowhere_in_body_or_sources() -> None:
    assert _found(
        "NATO to respond within 48 hours", quantities=[("within 48 hours", 48.0, "hour", "within")]
    ) == [("high", "hq:(48.0, 'hour')")]


def test_the_same_figure_in_other_words() -> None:
    assert (
        _found(
            "NATO to respond within three days",
            quantities=[("within three days", 72, "hour", "within")],
        )
        == []
    )


def test_unquoted_words_in_quotation_marks_are_the_outlet_s() -> None:
    assert _found(
        "‘World war in 72 hours’",
        quotes=[("World war in 72 hours", None)],
        quantities=[("72 hours", 72, "hour")],
        framing=[("World war", "conflict", 5, "quote")],
    ) == [("high", "hframe:conflict")]


def test_loaded_wording_the_body_carries() -> None:
    assert _found("NATO warns of a breach", framing=[("breach", "conflict", 1, "outlet")]) == []


def _found_with_body(headline_term: str, body_term: str, refs: bool) -> list[tuple[str, str]]:
    headline = claim(
        f"‘{headline_term} in 72 hours’",
        ident="derived#0",
        kind="headline",
        framing=[(headline_term, "conflict", 5, "outlet")],
    )
    body = claim(
        f"The plan provides for {body_term} within 72 hours.",
        ident="derived#1",
        framing=[(body_term, "conflict", 5, "outlet")],
    )
    found = HeadlineDetector().detect(
        comparison(article("derived", headline, body), [SOURCE] if refs else [])
    )
    return [(d.severity.value, d.detail) for d in found]


def test_a_body_as_loaded_as_the_headline_does_not_source_it() -> None:
    # the body escalates too ("total conflict"): the headline is still beyond the sources
    assert _found_with_body("World war", "total conflict", refs=True) == [
        ("high", "hframe:conflict")
    ]


def test_without_references_the_body_is_the_standard() -> None:
    assert _found_with_body("World war", "total conflict", refs=False) == []


def test_the_sources_own_loaded_wording_supports_the_headline() -> None:
    source = article(
        "source",
        claim(
            "Officials warned of a world war within 72 hours.",
            ident="source#0",
            framing=[("world war", "conflict", 5, "outlet")],
        ),
    )
    headline = claim(
        "‘World war in 72 hours’",
        ident="derived#0",
        kind="headline",
        framing=[("World war", "conflict", 5, "outlet")],
    )
    found = HeadlineDetector().detect(comparison(article("derived", headline, BODY), [source]))
    assert list(found) == []


def test_the_source_s_own_headline_supports_the_same_figure() -> None:
    source = article(
        "source",
        claim(
            "NATO to respond within 48 hours",
            ident="source#0",
            kind="headline",
            quantities=[("within 48 hours", 48.0, "hour", "within")],
        ),
        claim("Allies would respond quickly to a breach, NATO said.", ident="source#1"),
    )
    headline = claim(
        "NATO to respond within 48 hours",
        ident="derived#0",
        kind="headline",
        quantities=[("within 48 hours", 48.0, "hour", "within")],
    )
    assert (
        list(HeadlineDetector().detect(comparison(article("derived", headline, BODY), [source])))
        == []
    )


# A headline is held to the whole of its sources: what its counterpart seems to contradict is
# answered when another source sentence says it in the headline's terms.
def _headline_findings(headline: Claim, counterpart: Claim, *others: Claim) -> list[str]:
    from fidelity.score.config import ScoreConfig
    from fidelity.score.engine import compare_article

    body = claim("The central bank published its decision on Thursday.", ident="derived#1")
    derived, reference = article("derived", headline, body), article("source", counterpart, *others)
    claims = {c.id: c for c in (headline, body, counterpart, *others)}
    partners: dict[str, list[Match]] = {
        headline.id: [(counterpart.id, 0.9, {})],
        counterpart.id: [(headline.id, 0.9, {})],
    }
    found, _ = compare_article(derived, [reference], claims, partners, True, ScoreConfig())
    return [str(d.detail) for d in found if d.category.value == "headline_unsupported"]


HELD_CASES = [
    # (why, headline, its counterpart, other source sentences, expected details)
    (
        "the counterpart hedges and the headline does not",
        claim("Telescope finds water vapour on rocky planet", ident="derived#0", kind="headline"),
        claim(
            "Astronomers found tentative signs of water vapour on the rocky planet.",
            ident="source#0",
        ),
        (),
        ["h:hedge-dropped:tentative"],
    ),
    (
        "the headline hedges in its own words (possible for tentative)",
        claim(
            "Telescope spots possible water vapour on rocky planet",
            ident="derived#0",
            kind="headline",
        ),
        claim(
            "Astronomers found tentative signs of water vapour on the rocky planet.",
            ident="source#0",
        ),
        (),
        [],
    ),
    (
        "a hedge noun in the headline (hint for tentative signs)",
        claim("Water vapour hint on rocky planet", ident="derived#0", kind="headline"),
        claim(
            "Astronomers found tentative signs of water vapour on the rocky planet.",
            ident="source#0",
        ),
        (),
        [],
    ),
    (
        "a compound modifier names a length, not that it is exact (72-hour / within 72 hours)",
        claim(
            "Allies plan 72-hour response to truce breaches",
            ident="derived#0",
            kind="headline",
            quantities=[("72-hour", 72, "hour")],
        ),
        claim(
            "Allies would respond within 72 hours of a truce breach.",
            ident="source#0",
            quantities=[("within 72 hours", 72, "hour", "within")],
        ),
        (),
        [],
    ),
    (
        "an exact length where the source gives a bound",
        claim(
            "Allies to respond to truce breaches after exactly 72 hours",
            ident="derived#0",
            kind="headline",
            quantities=[("72 hours", 72, "hour")],
        ),
        claim(
            "Allies would respond within 72 hours of a truce breach.",
            ident="source#0",
            quantities=[("within 72 hours", 72, "hour", "within")],
        ),
        (),
        ["h:rel:(72, 'hour'):exact:within"],
    ),
    (
        "a negation no source makes",
        claim("No metro from 11:00 to 16:00 on Thursday", ident="derived#0", kind="headline"),
        claim("Metro work stoppage on Thursday from 11:00 to 16:00.", ident="source#0"),
        (),
        ["h:neg-added:metro"],
    ),
    (
        "a negation another source sentence makes (translated from Greek: να μην κινηθούν)",
        claim("No metro from 11:00 to 16:00 on Thursday", ident="derived#0", kind="headline"),
        claim("Metro work stoppage on Thursday from 11:00 to 16:00.", ident="source#0"),
        (claim("No metro trains will run on lines 1, 2 and 3 on Thursday.", ident="source#1"),),
        [],
    ),
    (
        "the counterpart says the opposite and no source says the headline's word",
        claim("Central bank raises rates", ident="derived#0", kind="headline"),
        claim("The central bank cut its rates by a quarter point.", ident="source#0"),
        (),
        ["h:ant:raise|cut"],
    ),
    (
        "another source sentence uses the headline's word (translated from French: abaisse)",
        claim("The central bank lowers one key rate", ident="derived#0", kind="headline"),
        claim("Rates will stay unchanged until the council starts raising them.", ident="source#0"),
        (claim("The deposit rate will be lowered to -0.5%.", ident="source#1"),),
        [],
    ),
    (
        "a word with the same opposite ('cut' for 'lower', both against 'raise')",
        claim("Central bank lowers its key rate", ident="derived#0", kind="headline"),
        claim("The bank will not raise its key rate before summer.", ident="source#0"),
        (claim("The bank cut its key rate by a quarter point.", ident="source#1"),),
        [],
    ),
    (
        "a loaded verb the wire's own headline uses as strongly",
        claim(
            "Fed slashes rate to zero",
            ident="derived#0",
            kind="headline",
            framing=[("slashes", "cut", 3, "outlet")],
        ),
        claim(
            "The Fed cuts rates to near zero.",
            ident="source#0",
            framing=[("cuts", "cut", 1, "outlet")],
        ),
        (
            claim(
                "Fed acts on a Sunday evening to slash rates",
                ident="source#1",
                kind="headline",
                framing=[("slash", "cut", 3, "outlet")],
            ),
        ),
        [],
    ),
    (
        "the loaded verb nowhere in the sources",
        claim(
            "Fed slashes rate to zero",
            ident="derived#0",
            kind="headline",
            framing=[("slashes", "cut", 3, "outlet")],
        ),
        claim(
            "The Fed cuts rates to near zero.",
            ident="source#0",
            framing=[("cuts", "cut", 1, "outlet")],
        ),
        (),
        ["h:frame:cut:3>1", "hframe:cut"],
    ),
    (
        "a softer word than the source's: the headline says less, nothing unsupported",
        claim(
            "Federal Reserve cuts rates",
            ident="derived#0",
            kind="headline",
            framing=[("cuts", "cut", 1, "outlet")],
        ),
        claim(
            "The Federal Reserve slashed rates to near zero.",
            ident="source#0",
            framing=[("slashed", "cut", 3, "outlet")],
        ),
        (),
        [],
    ),
]


@pytest.mark.parametrize(
    ("why", "headline", "counterpart", "others", "expected"),
    HELD_CASES,
    ids=[c[0] for c in HELD_CASES],
)
def test_a_headline_is_held_to_all_its_sources(  # type: ignore[no-untyped-def]
    why, headline, counterpart, others, expected
) -> None:
    assert _headline_findings(headline, counterpart, *others) == expected, why


# A headline's figure that the sources give in another form that arithmetic turns into it,
# or no figure at all ("in a week").
def _dated(art: ExtractedArticle, published: str) -> ExtractedArticle:
    detected = art.translated.detected
    detected = dataclasses.replace(
        detected, article=dataclasses.replace(detected.article, published=published)
    )
    return dataclasses.replace(
        art, translated=dataclasses.replace(art.translated, detected=detected)
    )


WORKED_OUT_CASES = [
    # (why, headline, its figure (surface, hours), source sentence, expected details)
    (
        "a duration between two clock times",
        "Metro halted for five hours on Thursday",
        ("five hours", 5.0),
        "Metro staff will stop work on Thursday from 11:00 to 16:00.",
        [],
    ),
    (
        "another duration than the clock times give",
        "Metro halted for six hours on Thursday",
        ("six hours", 6.0),
        "Metro staff will stop work on Thursday from 11:00 to 16:00.",
        ["hq:(6.0, 'hour')"],
    ),
    (
        "years since the year the source names, from the article's date (2026)",
        "Housing starts slide to six-year low",
        ("six-year", 6 * 8760.0),
        "Housing starts fell to the lowest level since June 2020.",
        [],
    ),
    (
        "more years than since the year the source names",
        "Housing starts slide to ten-year low",
        ("ten-year", 10 * 8760.0),
        "Housing starts fell to the lowest level since June 2020.",
        ["hq:(87600.0, 'hour')"],
    ),
    (
        "'a week' is a time window, not a figure (translated from Spanish: en una semana)",
        "47 new measles cases in a week",
        ("a week", 168.0),
        "The region confirmed 47 new measles cases in the past seven days.",
        [],
    ),
]


@pytest.mark.parametrize(
    ("why", "text", "figure", "source_text", "expected"),
    WORKED_OUT_CASES,
    ids=[c[0] for c in WORKED_OUT_CASES],
)
def test_a_figure_worked_out_from_the_sources(why, text, figure, source_text, expected) -> None:  # type: ignore[no-untyped-def]
    headline = claim(
        text, ident="derived#0", kind="headline", quantities=[(figure[0], figure[1], "hour")]
    )
    derived = _dated(article("derived", headline), "2026-06-17")
    found = HeadlineDetector().detect(
        comparison(derived, [article("source", claim(source_text, ident="source#0"))])
    )
    assert [d.detail for d in found] == expected, why
