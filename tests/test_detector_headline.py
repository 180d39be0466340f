"""Headlines: a figure or loaded term that neither the body nor the sources carry."""

from __future__ import annotations

import pytest
from claim_cases import article, claim, comparison

from fidelity.score.base import Match
from fidelity.score.detectors.headline import HeadlineDetector
from fidelity.types import Claim

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
