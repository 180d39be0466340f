"""The engine around the detectors: verbatim copies skip the detectors that read words, a
headline runs only the detectors that apply to headlines (reported as headline_unsupported),
and the agreement rule across references. Hand-made claims, no pipeline."""

from __future__ import annotations

from claim_cases import ENGLISH, article, claim, source, speaker

from fidelity.score import Category, Severity
from fidelity.score.base import Divergence, Match, Pair
from fidelity.score.config import ScoreConfig
from fidelity.score.engine import agree, compare_article, compare_pair, to_findings

DETECTORS = ScoreConfig().pair_detectors


def categories(found: list[Divergence]) -> list[str]:
    return [d.category.value for d in found]


def test_a_verbatim_copy_skips_the_detectors_that_read_words() -> None:
    text = "Unemployment rose to 6.1% in March, the statistics office said."
    derived = claim(text, attribution=speaker("Eurostat", "the statistics office", "organisation"))
    reference = source(
        text,
        attribution=speaker(
            "Office for National Statistics", "the statistics office", "organisation"
        ),
    )
    # the same words: no polarity, time or clause check (the speakers are still compared:
    # "the statistics office" under two names is not certainly another source)
    assert compare_pair(Pair(derived, reference, ENGLISH), {}, DETECTORS) == []
    reworded = claim("Unemployment fell to 6.1% in March, the statistics office said.")
    found = compare_pair(Pair(reworded, reference, ENGLISH), {"confidence": 0.9}, DETECTORS)
    assert categories(found) == ["antonym_swapped"]
    assert found[0].signals == {"confidence": 0.9}  # the alignment's signals travel along


def test_a_headline_is_held_to_its_counterparts_as_headline_unsupported() -> None:
    headline = claim("Unemployment fell to 6.1% in March", ident="derived#0", kind="headline")
    body = claim("The statistics office published its monthly figures.", ident="derived#1")
    ref = claim("Unemployment rose to 6.1% in March, the statistics office said.", ident="source#0")
    derived, reference = article("derived", headline, body), article("source", ref)
    claims = {c.id: c for c in (headline, body, ref)}
    partners: dict[str, list[Match]] = {
        headline.id: [(ref.id, 0.9, {})],
        ref.id: [(headline.id, 0.9, {})],
    }
    found, compared = compare_article(derived, [reference], claims, partners, True, ScoreConfig())
    assert compared == 1  # the headline, compared with its counterpart, is a checkable claim
    ((finding),) = to_findings(found)
    assert (finding.category, finding.signals["divergence"]) == (
        "headline_unsupported",
        "antonym_swapped",
    )
    assert finding.message.startswith("headline: “fell” where the counterpart says “rose”")


def _one(category: Category) -> list[Divergence]:
    c = claim("x y z")
    return [Divergence(category, Severity.HIGH, "m", c, source("x y z"))]


def test_agreement_across_references() -> None:
    swapped, none = _one(Category.ANTONYM_SWAPPED), list[Divergence]()
    # against sources: a divergence counts only if no source supports the claim
    assert agree([swapped, none], strict=True, fraction=0.5) == []
    assert categories(agree([swapped, swapped], strict=True, fraction=0.5)) == ["antonym_swapped"]
    # consensus: more than half of the other outlets must disagree (one outlet is enough alone)
    assert agree([swapped, none], strict=False, fraction=0.5) == []
    assert categories(agree([swapped, swapped, none], strict=False, fraction=0.5)) == [
        "antonym_swapped"
    ]
    assert categories(agree([swapped], strict=False, fraction=0.5)) == ["antonym_swapped"]


def test_checkable_claims_are_the_compared_and_the_flagged_ones() -> None:
    """The score's denominator: claims compared with a counterpart, and claims a counting
    finding is about (words put in a source's mouth); background context and unchecked
    claims do not count."""
    aligned = claim("Unemployment rose to 6.1% in March.", ident="derived#0")
    pinned = claim(
        "“We will cut rates in June,” governor Maria Lindqvist said.",
        ident="derived#1",
        attribution=speaker("Maria Lindqvist"),
        quotes=[("We will cut rates in June,", speaker("Maria Lindqvist"))],
    )
    background = claim(
        "Analysts at Goldman Sachs expect a weaker labour market.",
        ident="derived#2",
        entities=[("Goldman Sachs", "Goldman Sachs", "organisation")],
    )
    ref = claim("Unemployment rose to 6.1% in March, the office said.", ident="source#0")
    quoted = claim(
        "“Inflation is too high,” governor Maria Lindqvist said.",
        ident="source#1",
        attribution=speaker("Maria Lindqvist"),
    )
    derived = article("derived", aligned, pinned, background)
    reference = article("source", ref, quoted)
    claims = {c.id: c for c in (aligned, pinned, background, ref, quoted)}
    partners: dict[str, list[Match]] = {
        aligned.id: [(ref.id, 0.9, {})],
        ref.id: [(aligned.id, 0.9, {})],
    }
    found, checkable = compare_article(derived, [reference], claims, partners, True, ScoreConfig())
    assert sorted(d.category.value for d in found) == ["context_added", "fabricated_attribution"]
    assert checkable == 2  # the aligned claim and the fabricated quote, not the background
