"""Additions: a claim of the retelling that no aligned source sentence backs is a retelling the
aligner missed (its figures compared with the sentence it retells), words put in a source's
mouth (fabricated attribution, HIGH), or background no source covers (context, informational)."""

from __future__ import annotations

import dataclasses

import pytest
from claim_cases import article, claim, comparison, speaker

from fidelity.score.detectors.unsupported import UnsupportedDetector, same_voice
from fidelity.types import ExtractedArticle

SOURCE = article(
    "source",
    claim(
        "The central bank raised its key rate by 25 basis points on Thursday.",
        ident="source#0",
        quantities=[("25 basis points", 0.25, "percentage-point")],
    ),
    claim(
        "“Inflation is still too high,” governor Maria Lindqvist told reporters.",
        ident="source#1",
        attribution=speaker("Maria Lindqvist"),
        quotes=[("Inflation is still too high,", speaker("Maria Lindqvist"))],
    ),
)


def _outlet(art: ExtractedArticle, outlet: str) -> ExtractedArticle:
    """``art`` published by ``outlet``."""
    detected = art.translated.detected
    detected = dataclasses.replace(
        detected, article=dataclasses.replace(detected.article, outlet=outlet)
    )
    return dataclasses.replace(
        art, translated=dataclasses.replace(art.translated, detected=detected)
    )


CASES = [
    # (why, derived claim, expected "category/severity" or None)
    (
        "background with a figure of its own: context, not a distortion",
        claim(
            "The bank will cut 300 jobs in Frankfurt this year.",
            ident="derived#0",
            quantities=[("300 jobs", 300, "job")],
            entities=[("Frankfurt", "Frankfurt", "place")],
        ),
        "context_added/low",
    ),
    (
        "a new name",
        claim(
            "Analysts at Goldman Sachs expect another hike in June.",
            ident="derived#0",
            entities=[("Goldman Sachs", "Goldman Sachs", "organisation")],
        ),
        "context_added/low",
    ),
    (
        "a rewording the aligner missed",
        claim(
            "On Thursday the central bank raised its key rate by 25 basis points.",
            ident="derived#0",
            quantities=[("25 basis points", 0.25, "percentage-point")],
        ),
        None,
    ),
    (
        "a retold fact whose figure changed (paired with the sentence it retells)",
        claim(
            "Rates went up by 50 basis points, the central bank announced.",
            ident="derived#0",
            quantities=[("50 basis points", 0.5, "percentage-point")],
        ),
        "number_changed/high",
    ),
    (
        "a retold fact with a figure no source has",
        claim(
            "The central bank raised its key rate by 25 basis points on Thursday, "
            "the first rise in 10 years.",
            ident="derived#0",
            quantities=[
                ("25 basis points", 0.25, "percentage-point"),
                ("10 years", 87600, "hour"),
            ],
        ),
        "unsupported_addition/medium",
    ),
    (
        # the source quotes her in other words: a quote she did not give (the finding shows
        # what she said; fixtures/eval labels this quote_altered)
        "words the source's speaker never said, where the source quotes her otherwise",
        claim(
            "“We will cut rates again in June,” governor Maria Lindqvist said.",
            ident="derived#0",
            attribution=speaker("Maria Lindqvist"),
            quotes=[("We will cut rates again in June,", speaker("Maria Lindqvist"))],
        ),
        "quote_altered/high",
    ),
    (
        "the quote the source holds, attributed to its speaker",
        claim(
            "Governor Maria Lindqvist said: “Inflation is still too high.”",
            ident="derived#0",
            attribution=speaker("Maria Lindqvist"),
            quotes=[("Inflation is still too high.", speaker("Maria Lindqvist"))],
        ),
        None,
    ),
    (
        "a quote of someone the source does not quote: context",
        claim(
            "“This will hurt exporters,” economist Jan Berg said.",
            ident="derived#0",
            attribution=speaker("Jan Berg"),
            quotes=[("This will hurt exporters,", speaker("Jan Berg"))],
        ),
        "context_added/low",
    ),
    ("nothing substantive", claim("Markets were calm.", ident="derived#0"), None),
]


@pytest.mark.parametrize(("why", "derived", "expected"), CASES, ids=[c[0] for c in CASES])
def test_unsupported(why, derived, expected) -> None:  # type: ignore[no-untyped-def]
    found = list(UnsupportedDetector().detect(comparison(article("derived", derived), [SOURCE])))
    got = f"{found[0].category.value}/{found[0].severity.value}" if found else None
    assert got == expected, why


def test_a_retold_claims_finding_shows_the_sentence_it_was_compared_with() -> None:
    derived = CASES[3][1]
    (found,) = UnsupportedDetector().detect(comparison(article("derived", derived), [SOURCE]))
    assert found.reference is not None and found.reference.id == "source#0"
    assert found.signals is not None and 0.5 <= float(found.signals["confidence"]) < 1.0  # type: ignore[arg-type]


def test_words_put_in_the_source_outlets_mouth() -> None:
    """'The FT said the aim would be …' checked against the FT's article, which has no aim."""
    ft = _outlet(SOURCE, "Financial Times")
    derived = claim(
        "The aim would be to deter any attack on the eastern flank, the FT said.",
        ident="derived#0",
        attribution=speaker("FT", "the FT", "outlet"),
    )
    (found,) = UnsupportedDetector().detect(comparison(article("derived", derived), [ft]))
    assert (found.category.value, found.severity.value) == ("fabricated_attribution", "high")
    assert "FT" in found.message
    # the same claim with no source named is background (with nothing checkable: not shown)
    plain = dataclasses.replace(derived, attribution=None)
    assert list(UnsupportedDetector().detect(comparison(article("derived", plain), [ft]))) == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("ECB", "European Central Bank", True),
        ("WHO", "World Health Organization", True),
        ("FT", "Financial Times", True),
        ("Fed", "Federal Reserve", True),
        ("Tedros", "Tedros Adhanom Ghebreyesus", True),
        ("the Kremlin", "Kremlin", True),
        ("Reuters", "European Central Bank", False),
        ("FT", "Federal Reserve", False),
        ("Jan Berg", "Maria Lindqvist", False),
    ],
)
def test_same_voice(a: str, b: str, same: bool) -> None:
    assert same_voice(a, b) is same


def test_an_aligned_claim_is_supported() -> None:
    derived = CASES[0][1]
    found = UnsupportedDetector().detect(
        comparison(article("derived", derived), [SOURCE], [(derived.id, "source#0")])
    )
    assert list(found) == []


def test_in_consensus_mode_nothing_is_judged() -> None:
    derived = CASES[5][1]
    found = UnsupportedDetector().detect(
        comparison(article("derived", derived), [SOURCE], strict=False)
    )
    assert list(found) == []


def test_arithmetic_on_the_sources_figures_is_no_addition() -> None:
    """A cut of 10 basis points to -0.50% is a cut from -0.4%."""
    ecb = article(
        "source",
        claim(
            "The deposit rate will be decreased by 10 basis points to -0.50%.",
            ident="source#0",
            quantities=[("10 basis points", 0.1, "percentage-point"), ("0.50%", 0.5, "percent")],
        ),
    )
    derived = claim(
        "The ECB cut its deposit rate to -0.5 per cent from -0.4 per cent, it said.",
        ident="derived#0",
        quantities=[("0.5 per cent", 0.5, "percent"), ("0.4 per cent", 0.4, "percent")],
    )
    assert list(UnsupportedDetector().detect(comparison(article("derived", derived), [ecb]))) == []
    # a figure that no arithmetic gives is an addition
    other = claim(
        "The ECB cut its deposit rate to -0.5 per cent from -0.3 per cent, it said.",
        ident="derived#0",
        quantities=[("0.5 per cent", 0.5, "percent"), ("0.3 per cent", 0.3, "percent")],
    )
    (found,) = UnsupportedDetector().detect(comparison(article("derived", other), [ecb]))
    assert found.category.value == "unsupported_addition" and "0.3" in found.message


# A claim pinned on a voice that no source holds: words put in its mouth (HIGH) where the
# sources are all the article has of that voice; background to check (context, LOW) where the
# article retells other statements of the voice that the sources hold, so that it works from
# the statement itself and the sources may be an excerpt of it.
STATEMENT = article(
    "statement",
    claim(
        "The Board decided to keep the policy rate at 4 percent.",
        ident="statement#0",
        attribution=speaker("Norges Bank", kind="organisation"),
    ),
    claim(
        "“Inflation has come down, but remains above target,” said governor Ida Wolden.",
        ident="statement#1",
        attribution=speaker("Ida Wolden"),
        quotes=[("Inflation has come down, but remains above target,", speaker("Ida Wolden"))],
    ),
)
RELAYED = claim(
    "“Inflation has come down, but remains above target,” governor Ida Wolden said.",
    ident="derived#0",
    attribution=speaker("Ida Wolden"),
    quotes=[("Inflation has come down, but remains above target,", speaker("Ida Wolden"))],
)
PINNED_CASES = [
    # (why, the claim no source holds, the article's other claims aligned with a source,
    #  expected "category/severity")
    (
        "a loose paraphrase of what the sources quote her saying (admitted / remains above)",
        claim("Wolden admitted that inflation was still a problem.", attribution=speaker("Wolden")),
        False,
        "context_added/low",
    ),
    (
        "a paraphrase pinned on her that shares nothing of substance with her words",
        claim(
            "Wolden said the bank would sell part of its gold reserves.",
            attribution=speaker("Wolden"),
        ),
        False,
        "fabricated_attribution/high",
    ),
    (
        "a quote of the governor's, alone, where the source quotes her otherwise",
        claim(
            "“We expect to lower the rate twice next year,” Ida Wolden said.",
            attribution=speaker("Ida Wolden"),
            quotes=[("We expect to lower the rate twice next year,", speaker("Ida Wolden"))],
        ),
        False,
        "quote_altered/high",
    ),
    (
        "a quote of the bank's, whose statement the source gives (not as a quote)",
        claim(
            "“Rates will be lowered twice next year,” Norges Bank said in its statement.",
            attribution=speaker("Norges Bank", kind="organisation"),
            quotes=[
                (
                    "Rates will be lowered twice next year,",
                    speaker("Norges Bank", kind="organisation"),
                )
            ],
        ),
        False,
        "fabricated_attribution/high",
    ),
    (
        "the same quote in an article that quotes her faithfully elsewhere: maybe an excerpt",
        claim(
            "“We expect to lower the rate twice next year,” Ida Wolden said.",
            attribution=speaker("Ida Wolden"),
            quotes=[("We expect to lower the rate twice next year,", speaker("Ida Wolden"))],
        ),
        True,
        "context_added/low",
    ),
    (
        "a paraphrase pinned on her (translated from Norwegian), beside a faithful quote",
        claim(
            "Wolden also said the bank would watch the krone's weakness closely in coming weeks.",
            attribution=speaker("Wolden"),
        ),
        True,
        "context_added/low",
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "relayed", "expected"), PINNED_CASES, ids=[c[0] for c in PINNED_CASES]
)
def test_words_no_source_holds(why, derived, relayed, expected) -> None:  # type: ignore[no-untyped-def]
    claims = (RELAYED, derived) if relayed else (derived,)
    links = [(RELAYED.id, "statement#1")] if relayed else []
    found = list(
        UnsupportedDetector().detect(comparison(article("derived", *claims), [STATEMENT], links))
    )
    got = [f"{x.category.value}/{x.severity.value}" for x in found if x.derived.id == derived.id]
    assert got == [expected], why
    if relayed:
        assert "excerpt" in found[0].message and "Wolden" in found[0].message
