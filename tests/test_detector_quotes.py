"""Quotations: changed words, a paraphrase presented as a quote, the same words given to
another speaker. Hand-made claims, no pipeline."""

from __future__ import annotations

# ruff: noqa: E501  (case tables hold whole sentences)
import re
from dataclasses import replace

import pytest
from claim_cases import article, claim, comparison, detect, source, speaker

from fidelity.score.detectors.quotes import QuoteDetector, StatementQuoteDetector
from fidelity.types import Claim

MAYOR = speaker("the mayor", kind="person")


def fragment(c: Claim) -> Claim:
    """``c`` with its quotes marked as fragments woven into the sentence (scare-quote style)."""
    return replace(c, quotes=tuple(replace(q, partial=True) for q in c.quotes))


ZAKHAROVA = speaker("Maria Zakharova")
MEDVEDEV = speaker("Dmitry Medvedev")

CASES = [
    # (why, derived, reference, expected (category, severity) or None)
    (
        "words inside the marks changed",
        claim(
            "“The situation is out of control,” the mayor told reporters.",
            quotes=[("The situation is out of control", MAYOR)],
        ),
        source(
            "“The situation is difficult but under control,” the mayor told reporters.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        ("quote_altered", "medium"),
    ),
    (
        "a negation slipped into the quote",
        claim(
            "“We will accept foreign troops on our border,” the minister said.",
            quotes=[("We will accept foreign troops on our border", None)],
        ),
        source(
            "“We will not accept foreign troops on our border,” the minister said.",
            quotes=[("We will not accept foreign troops on our border", None)],
        ),
        ("quote_altered", "high"),
    ),
    (
        "the same words in another speaker's mouth",
        claim(
            "“We will not accept foreign troops on our border,” Dmitry Medvedev said.",
            quotes=[("We will not accept foreign troops on our border", MEDVEDEV)],
        ),
        source(
            "“We will not accept foreign troops on our border,” Maria Zakharova said.",
            quotes=[("We will not accept foreign troops on our border", ZAKHAROVA)],
        ),
        ("attribution_changed", "high"),
    ),
    (
        "a paraphrase presented as a direct quote",
        claim(
            "The minister said: “we will answer every provocation with all our force”.",
            quotes=[("we will answer every provocation with all our force", None)],
        ),
        source("The minister said the country would answer any provocation with force."),
        ("quote_altered", "medium"),
    ),
    (
        "the same quote",
        claim(
            "“The situation is difficult but under control,” the mayor said.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        source(
            "“The situation is difficult but under control,” the mayor told reporters.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        None,
    ),
    (
        "a trimmed excerpt of the quote",
        claim(
            "The mayor said the situation was “difficult but under control”.",
            quotes=[("difficult but under control", MAYOR)],
        ),
        source(
            "“The situation is difficult but under control,” the mayor told reporters.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        None,
    ),
    (
        "two translations of one quote",
        claim(
            "“The situation is hard but controlled,” the mayor said.",
            status="translated",
            quotes=[("The situation is hard but controlled", MAYOR)],
        ),
        source(
            "“The situation is difficult but under control,” the mayor said.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        None,
    ),
    (
        "the counterpart trimmed: the derived quote holds the excerpt (consensus)",
        claim(
            "“The situation is difficult but under control,” the mayor told reporters.",
            quotes=[("The situation is difficult but under control", MAYOR)],
        ),
        fragment(
            source(
                "The mayor said the situation was “difficult but under control”.",
                quotes=[("difficult but under control", MAYOR)],
            )
        ),
        None,
    ),
    (
        "our quote runs on past the counterpart's full quote: words added",
        claim(
            "“We sincerely apologise, and we will compensate every customer,” the company said.",
            quotes=[("We sincerely apologise, and we will compensate every customer", None)],
        ),
        source(
            "“We sincerely apologise,” the company said.",
            quotes=[("We sincerely apologise", None)],
        ),
        ("quote_altered", "medium"),
    ),
    (
        "an excerpt cut at an ellipsis, in order",
        claim(
            "“The situation is difficult … under control,” the mayor said.",
            quotes=[("The situation is difficult … under control", MAYOR)],
        ),
        source(
            "“The situation is difficult, I admit, but under control,” the mayor said.",
            quotes=[("The situation is difficult, I admit, but under control", MAYOR)],
        ),
        None,
    ),
    (
        "words cut from inside without an ellipsis",
        claim(
            "“Nobody wants a strike, but our members have been clear,” the chairman said.",
            quotes=[("Nobody wants a strike, but our members have been clear", None)],
        ),
        source(
            "“Nobody wants a strike, least of all in summer, but our members have been clear,” the chairman said.",
            quotes=[
                (
                    "Nobody wants a strike, least of all in summer, but our members have been clear",
                    None,
                )
            ],
        ),
        ("quote_altered", "medium"),
    ),
    (
        # two English renderings of one Russian statement («будет квалифицировано как
        # иностранная интервенция, представляющая прямую угрозу безопасности России»)
        "two translations of one foreign-language quote",
        claim(
            "The ministry said the deployment “will be characterized as foreign intervention constituting a direct threat to Russia's security.”",
            status="translated",
            quotes=[
                (
                    "will be characterized as foreign intervention constituting a direct threat to Russia's security.",
                    None,
                )
            ],
        ),
        source(
            "Lavrov said the deployment “will be classified as a foreign intervention posing a direct threat to Russia's security.”",
            quotes=[
                (
                    "will be classified as a foreign intervention posing a direct threat to Russia's security.",
                    None,
                )
            ],
        ),
        None,
    ),
    (
        "a translation that drops the hedge",
        claim(
            "“Further easing will be appropriate,” the governor said.",
            status="translated",
            quotes=[("Further easing will be appropriate", None)],
        ),
        source(
            "“Further easing could be appropriate,” the governor said.",
            quotes=[("Further easing could be appropriate", None)],
        ),
        ("quote_altered", "medium"),
    ),
    (
        "a translation that changes a figure",
        claim(
            "“Two doses give about 79% protection,” the minister said.",
            status="translated",
            quotes=[("Two doses give about 79% protection", None)],
        ),
        source(
            "“Two doses give about 97% protection,” the minister said.",
            quotes=[("Two doses give about 97% protection", None)],
        ),
        ("quote_altered", "high"),
    ),
    (
        "a quote of another occasion",
        claim(
            "Putin warned last September that troops would be “legitimate targets for their destruction.”",
            quotes=[("legitimate targets for their destruction.", speaker("Vladimir Putin"))],
        ),
        source(
            "Medvedev said the troops would become a “legitimate target for destruction.”",
            quotes=[("legitimate target for destruction.", MEDVEDEV)],
        ),
        None,
    ),
    (
        "two quoted phrases that share a word are two quotations",
        claim(
            "The document provides for a “coordinated military response” to a violation.",
            quotes=[("coordinated military response", None)],
        ),
        source(
            "Officials agreed a “multi-tiered response” to breaches of a ceasefire.",
            quotes=[("multi-tiered response", None)],
        ),
        None,
    ),
    (
        "scare quotes are framing, not a quotation",
        claim(
            "Officials called it a “special operation” on Monday.",
            quotes=[("special operation", None)],
        ),
        source(
            "Officials called it a “military campaign” on Monday.",
            quotes=[("military campaign", None)],
        ),
        None,
    ),
    (
        "one word changed in a quote in the same language",
        claim(
            "“We are not committing to any particular rate path,” the governor said.",
            quotes=[("We are not committing to any particular rate path", MAYOR)],
        ),
        source(
            "“We are not pre-committing to any particular rate path,” the governor said.",
            quotes=[("We are not pre-committing to any particular rate path", MAYOR)],
        ),
        ("quote_altered", "medium"),
    ),
    (
        "a place name swapped inside the quote",
        claim(
            "“We will extend the tram to Leonding next year,” the mayor said.",
            quotes=[("We will extend the tram to Leonding next year", MAYOR)],
        ),
        source(
            "“We will extend the tram to Pichling next year,” the mayor said.",
            quotes=[("We will extend the tram to Pichling next year", MAYOR)],
        ),
        ("entity_swapped", "high"),
    ),
    (
        "a capitalised first word changed is a changed word, not a name",
        claim(
            "“Soon we will extend the tram to Pichling,” the mayor said.",
            quotes=[("Soon we will extend the tram to Pichling", MAYOR)],
        ),
        source(
            "“Next year we will extend the tram to Pichling,” the mayor said.",
            quotes=[("Next year we will extend the tram to Pichling", MAYOR)],
        ),
        ("quote_altered", "medium"),
    ),
    (
        "consider for reconsider in the same language",
        claim(
            "“The council will consider the whole zoning plan next week,” the mayor said.",
            quotes=[("The council will consider the whole zoning plan next week", MAYOR)],
        ),
        source(
            "“The council will reconsider the whole zoning plan next week,” the mayor said.",
            quotes=[("The council will reconsider the whole zoning plan next week", MAYOR)],
        ),
        ("quote_altered", "medium"),
    ),
    (
        "a spelling variant is the same word (characterised / characterized)",
        claim(
            "“We have made the assessment that COVID-19 can be characterised as a pandemic,” he said.",
            quotes=[
                (
                    "We have made the assessment that COVID-19 can be characterised as a pandemic",
                    MAYOR,
                )
            ],
        ),
        source(
            "“We have made the assessment that COVID-19 can be characterized as a pandemic,” he said.",
            quotes=[
                (
                    "We have made the assessment that COVID-19 can be characterized as a pandemic",
                    MAYOR,
                )
            ],
        ),
        None,
    ),
    (
        "two translations of one quote, a bounding word changed (from Italian: il più possibile)",
        claim(
            "“We will keep buying bonds for as long as possible,” the governor said.",
            status="translated",
            quotes=[("We will keep buying bonds for as long as possible", MAYOR)],
        ),
        source(
            "“We will continue to buy bonds for as long as necessary,” the governor said.",
            quotes=[("We will continue to buy bonds for as long as necessary", MAYOR)],
        ),
        ("quote_altered", "high"),
    ),
    (
        "two translations of one quote, 'some' for 'all' (from German: einige)",
        claim(
            "“Some of the hostages have been released,” the minister said.",
            status="translated",
            quotes=[("Some of the hostages have been released", None)],
        ),
        source(
            "“All the hostages have been freed,” the minister said.",
            quotes=[("All the hostages have been freed", None)],
        ),
        ("quote_altered", "high"),
    ),
    (
        "two translations of one quote whose bounding word is the same class (needed / necessary)",
        claim(
            "“We will keep buying bonds as long as needed,” the governor said.",
            status="translated",
            quotes=[("We will keep buying bonds as long as needed", MAYOR)],
        ),
        source(
            "“We will continue to buy bonds for as long as necessary,” the governor said.",
            quotes=[("We will continue to buy bonds for as long as necessary", MAYOR)],
        ),
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_quotes(why: str, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(QuoteDetector(), derived, reference)
    got = (found[0].category.value, found[0].severity.value) if found else None
    assert got == expected, why


def test_a_headline_leaves_the_speaker_to_its_body() -> None:
    headline = claim(
        "“We will not accept foreign troops on our border,” Dmitry Medvedev said",
        kind="headline",
        quotes=[("We will not accept foreign troops on our border", MEDVEDEV)],
    )
    body = source(
        "“We will not accept foreign troops on our border,” Maria Zakharova said.",
        quotes=[("We will not accept foreign troops on our border", ZAKHAROVA)],
    )
    assert detect(QuoteDetector(), headline, body) == []


def test_a_quote_given_to_another_speaker_marks_the_two_names() -> None:
    mine, theirs = CASES[2][1], CASES[2][2]
    (found,) = detect(QuoteDetector(), mine, theirs)
    assert [mine.text[m.start : m.end] for m in found.derived_marks] == ["Dmitry", "Medvedev"]
    assert [theirs.text[m.start : m.end] for m in found.reference_marks] == ["Maria", "Zakharova"]


def test_an_altered_quote_marks_only_the_changed_words() -> None:
    mine = "“The penalty was a joke, but we lost this game ourselves,” the coach said."
    theirs = "“The penalty was soft, but we lost this game ourselves,” the coach said."
    (found,) = detect(
        QuoteDetector(),
        claim(mine, quotes=[("The penalty was a joke, but we lost this game ourselves", None)]),
        source(theirs, quotes=[("The penalty was soft, but we lost this game ourselves", None)]),
    )
    assert [mine[m.start : m.end] for m in found.derived_marks] == ["a joke"]
    assert [theirs[m.start : m.end] for m in found.reference_marks] == ["soft"]


def test_a_quote_whose_counterpart_says_something_else_is_no_paraphrase() -> None:
    """A quote aligned with another sentence of the source is not "presented as a quote"."""
    found = detect(
        QuoteDetector(),
        claim(
            "“The coronavirus outbreak has harmed communities and disrupted economic activity in many countries,” the Fed said.",
            quotes=[
                (
                    "The coronavirus outbreak has harmed communities and disrupted economic activity in many countries",
                    None,
                )
            ],
        ),
        source("The effects of the coronavirus will weigh on economic activity in the near term."),
    )
    assert found == []


def test_the_match_floor_is_a_threshold() -> None:
    derived, reference = CASES[0][1], CASES[0][2]
    assert detect(QuoteDetector(match_floor=100.0), derived, reference) == []


# A quote of the speaker's own statement (a source sentence without quotation marks), in any
# sentence of the sources: a bounding word of another class is an altered quote; a translation
# that rewords the rest is not.
STATEMENT_CASES = [
    # (why, derived sentence with its quote, source sentences, expected detail or None)
    (
        "as long as possible for as long as necessary (translated from Italian)",
        "The bank adds: “The council expects them to run for as long as possible to support "
        "its policy rates”.",
        "The council expects them to run for as long as necessary to support its policy rates.",
        "quote-word:possible>necessary",
    ),
    (
        "soon for immediately (translated from Spanish: pronto)",
        "“The ministry will soon release the emergency funds to the farmers,” she said.",
        "The ministry will immediately release the emergency funds to the farmers.",
        "quote-word:soon>immediately",
    ),
    (
        "slightly for significantly (translated from French: légèrement)",
        "According to the agency, “growth will slow slightly in the coming quarters”.",
        "Growth will slow significantly in the coming quarters, the agency expects.",
        "quote-word:slightly>significantly",
    ),
    (
        "a translation that rewords the rest but keeps the bounding word",
        "“The council expects them to work for as long as needed to strengthen its official "
        "rates”, the bank said.",
        "The council expects them to run for as long as necessary to reinforce its policy rates.",
        None,
    ),
    (
        "a quote of another sentence of the statement",
        "“Some members wanted a larger cut in interest rates,” the governor said.",
        "All purchases will be made in the secondary market.",
        None,
    ),
    (
        "the quote says both words: not a replacement",
        "“We will act immediately where possible and soon where necessary,” she said.",
        "The ministry will act immediately where necessary.",
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived_text", "source_text", "expected"),
    STATEMENT_CASES,
    ids=[c[0] for c in STATEMENT_CASES],
)
def test_a_quote_of_the_statement(why, derived_text, source_text, expected) -> None:  # type: ignore[no-untyped-def]
    quoted = re.search(r"“(.+?)[,.]?”", derived_text)
    assert quoted is not None
    derived = claim(derived_text, ident="derived#0", quotes=[(quoted.group(1), None)])
    statement = claim(source_text, ident="source#0")
    found = list(
        StatementQuoteDetector().detect(
            comparison(article("derived", derived), [article("source", statement)])
        )
    )
    assert [d.detail for d in found] == ([expected] if expected else []), why
    if expected:
        assert found[0].reference is statement and found[0].severity.value == "high"


def test_a_quote_of_another_outlet_is_not_a_quote_of_the_statement() -> None:
    """Consensus of outlets: another outlet's sentence is not the speaker's statement."""
    derived = claim(
        "“Growth will slow slightly in the coming quarters,” the agency said.",
        ident="derived#0",
        quotes=[("Growth will slow slightly in the coming quarters", None)],
    )
    other = claim("Growth will slow significantly in the coming quarters.", ident="other#0")
    found = StatementQuoteDetector().detect(
        comparison(article("derived", derived), [article("other", other)], strict=False)
    )
    assert list(found) == []


# A paraphrase put in quotation marks: the quote shares a run of the statement's words but
# little else, and states a figure no source sentence gives.
COMPOSED_CASES = [
    # (why, derived sentence, its figures, source sentence, the source's figures, flagged)
    (
        "a reporter's figures inside the speaker's quote",
        "“The collapse of the bridge over the Vltava, which injured more than 40 people on Monday morning, is a tragedy,” the mayor said.",
        [("more than 40 people", 40, "person")],
        "We are shocked by the collapse of the bridge, a tragedy for the whole city.",
        [],
        True,
    ),
    (
        "the same, translated from German (Mieten)",
        "“The rise in rents, which have climbed by 12 percent in two years, is unacceptable,” she said.",
        [("12 percent", 12, "percent"), ("two years", 2, "year")],
        "The rise in rents is unacceptable for young families, the minister said.",
        [],
        True,
    ),
    (
        "the figures are the statement's own",
        "“The rise in rents, which have climbed by 12 percent in two years, is unacceptable,” she said.",
        [("12 percent", 12, "percent"), ("two years", 2, "year")],
        "The rise in rents, up 12 percent in two years, is unacceptable for young families.",
        [("12 percent", 12, "percent"), ("two years", 2, "year")],
        False,
    ),
    (
        "a quote of another part of the speech (no run of the sentence's words)",
        "“We counted 40 injured at the scene,” the fire chief said.",
        [("40 injured", 40, "person")],
        "We are shocked by the collapse of the bridge, a tragedy for the whole city.",
        [],
        False,
    ),
]


@pytest.mark.parametrize(
    ("why", "derived_text", "figures", "source_text", "source_figures", "flagged"),
    COMPOSED_CASES,
    ids=[c[0] for c in COMPOSED_CASES],
)
def test_a_paraphrase_in_quotation_marks(  # type: ignore[no-untyped-def]
    why, derived_text, figures, source_text, source_figures, flagged
) -> None:
    quoted = re.search(r"“(.+?)[,.]?”", derived_text)
    assert quoted is not None
    derived = claim(
        derived_text, ident="derived#0", quotes=[(quoted.group(1), None)], quantities=figures
    )
    statement = claim(source_text, ident="source#0", quantities=source_figures)
    found = list(
        StatementQuoteDetector().detect(
            comparison(article("derived", derived), [article("source", statement)])
        )
    )
    assert [d.detail.split(":")[0] for d in found] == (
        ["paraphrase-as-quote"] if flagged else []
    ), why
    if flagged:
        assert "paraphrase" in found[0].message and figures[0][0] in found[0].message


# A sentence stringing two quotes together is aligned with one source sentence; its other
# quote is compared with the source quote it shares most words with.
def _two_quotes(first: str) -> list[str]:
    governor = speaker("Jan Hradil")
    derived = claim(
        f"“{first},” Hradil said, adding that “we are not there yet.”",
        ident="derived#0",
        quotes=[(first, governor), ("we are not there yet.", governor)],
    )
    aligned = claim(
        "“Further easing could be appropriate, but we are not there yet.”",
        ident="source#0",
        quotes=[("Further easing could be appropriate, but we are not there yet.", governor)],
    )
    other = claim(
        "“We are not pre-committing to any particular rate path,” Hradil said.",
        ident="source#1",
        quotes=[("We are not pre-committing to any particular rate path", governor)],
    )
    found = StatementQuoteDetector().detect(
        comparison(
            article("derived", derived),
            [article("source", aligned, other)],
            [(derived.id, aligned.id)],
        )
    )
    return [f"{d.category.value}/{d.reference.id if d.reference else None}" for d in found]


def test_a_second_quote_is_held_to_the_source_quote_it_repeats() -> None:
    assert _two_quotes("We are not committing to any particular rate path") == [
        "quote_altered/source#1"
    ]
    assert _two_quotes("We are not pre-committing to any particular rate path") == []


# A quote no source holds, where the aligned counterpart quotes the same speaker saying
# something else: words given to the speaker in place of what they said.
def _instead(mine: str, mine_by: str, theirs: str, theirs_by: str, *others: str) -> list[str]:
    derived = claim(
        f"“{mine},” {mine_by} said.", ident="derived#0", quotes=[(mine, speaker(mine_by))]
    )
    counterpart = claim(
        f"“{theirs},” {theirs_by} said.", ident="source#0", quotes=[(theirs, speaker(theirs_by))]
    )
    rest = [claim(t, ident=f"source#{i + 1}") for i, t in enumerate(others)]
    found = StatementQuoteDetector().detect(
        comparison(
            article("derived", derived),
            [article("source", counterpart, *rest)],
            [(derived.id, counterpart.id)],
        )
    )
    return [d.detail.split(":")[0] for d in found]


INSTEAD_CASES = [
    (
        "the club president quoted saying something else",
        ("We did not want to let him go", "Luis Matos"),
        ("He has given everything for this club and we will not stand in his way", "Luis Matos"),
        (),
        ["quote-instead"],
    ),
    (
        "the same, translated from Portuguese (o presidente)",
        ("We never wanted to sell our best player", "Luis Matos"),
        ("He has given everything for this club and we will not stand in his way", "Matos"),
        (),
        ["quote-instead"],
    ),
    (
        "the counterpart quotes another speaker: nothing to say who said what",
        ("We did not want to let him go", "Luis Matos"),
        ("He has given everything for this club", "Ana Costa"),
        (),
        [],
    ),
    (
        "a source sentence holds the quote's words (the statement, unquoted)",
        ("We did not want to let him go", "Luis Matos"),
        ("He has given everything for this club", "Luis Matos"),
        ("The club did not want to let him go, Matos added.",),
        [],
    ),
]


@pytest.mark.parametrize(
    ("why", "mine", "theirs", "others", "expected"),
    INSTEAD_CASES,
    ids=[c[0] for c in INSTEAD_CASES],
)
def test_a_quote_in_place_of_what_the_speaker_said(why, mine, theirs, others, expected) -> None:  # type: ignore[no-untyped-def]
    assert _instead(*mine, *theirs, *others) == expected, why
