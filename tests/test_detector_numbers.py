"""Figures: a changed count or date, a duration's relation turned round, and figures no source
has anywhere. Hand-made claims, no pipeline."""

from __future__ import annotations

import pytest
from claim_cases import article, claim, comparison, detect, source

from fidelity.score.detectors.numbers import NewFigureDetector, NumberDetector

CASES = [
    # (why, derived, reference, expected (category, detail prefix) or None)
    (
        "a count changed",
        claim(
            "At least 40 people were killed when the bridge collapsed.",
            quantities=[("40 people", 40, "person", "at-least")],
        ),
        source(
            "At least 12 people were killed when the bridge collapsed.",
            quantities=[("12 people", 12, "person", "at-least")],
        ),
        ("number_changed", "num:"),
    ),
    (
        "a duration's relation turned round",
        claim(
            "The coalition would respond 72 hours after a breach.",
            quantities=[("72 hours after", 72, "hour", "after")],
        ),
        source(
            "The coalition would respond within 72 hours of a breach.",
            quantities=[("within 72 hours", 72, "hour", "within")],
        ),
        ("temporal_changed", "rel:"),
    ),
    (
        "a year changed (within 1%: read as the same figure; the times detector reads years)",
        claim(
            "The plant will close in 2027, the company said.", quantities=[("2027", 2027, "year")]
        ),
        source(
            "The plant will close in 2026, the company said.", quantities=[("2026", 2026, "year")]
        ),
        None,
    ),
    (
        "three days are 72 hours",
        claim(
            "Troops must leave within three days.",
            quantities=[("within three days", 72, "hour", "within")],
        ),
        source(
            "Troops must leave within 72 hours.",
            quantities=[("within 72 hours", 72, "hour", "within")],
        ),
        None,
    ),
    (
        "about 70 is 72",
        claim(
            "About 70 homes were flooded.",
            quantities=[("About 70 homes", 70, "home", "about", True)],
        ),
        source("Exactly 72 homes were flooded.", quantities=[("72 homes", 72, "home")]),
        None,
    ),
    (
        "a figure inside the counterpart's bound",
        claim(
            "The project will cost 62 million euros.",
            quantities=[("62 million euros", 62e6, "EUR")],
        ),
        source(
            "The project will cost up to 70 million euros.",
            quantities=[("up to 70 million euros", 70e6, "EUR", "up-to")],
        ),
        None,
    ),
    (
        "115 countries are not 114 (1% apart, but neither is the other rounded)",
        claim(
            "The virus has spread to 115 countries.", quantities=[("115 countries", 115, "country")]
        ),
        source("There are cases in 114 countries.", quantities=[("114 countries", 114, "country")]),
        ("number_changed", "num:"),
    ),
    (
        "about 54 million is not 55 million (two digits: it stands for what rounds to it)",
        claim(
            "It lies about 54 million light-years away.",
            quantities=[("about 54 million", 54e6, "", "about", True)],
        ),
        source(
            "It lies 55 million light-years from Earth.",
            quantities=[("55 million", 55e6, "")],
        ),
        ("number_changed", "num:"),
    ),
    (
        "a bare count paired with the noun a few words on",
        claim("Nine telescopes took part.", quantities=[("Nine telescopes", 9, "telescope")]),
        source(
            "The array links eight ground-based radio telescopes.",
            quantities=[("eight", 8, "")],
        ),
        ("number_changed", "num:"),
    ),
    (
        "a position is no count: the 82nd minute against the 34th",
        claim("Bakker levelled in the 82nd minute.", quantities=[("82", 82, "")]),
        source("Mulder scored in the 34th minute.", quantities=[("34", 34, "")]),
        None,
    ),
    (
        "a bound meets its equal figure, not the 'a year' of a rate",
        claim(
            "Talks overran by more than 30 hours.",
            quantities=[("more than 30 hours", 30, "hour", "beyond")],
        ),
        source(
            "Aid will reach 120 billion dollars a year after talks ran more than 30 hours late.",
            quantities=[("a year", 8760, "hour"), ("more than 30 hours", 30, "hour", "beyond")],
        ),
        None,
    ),
    (
        "'a single telescope' is no count to set against eight",
        claim(
            "The network works as a single radio telescope.",
            quantities=[("single", 1, "")],
        ),
        source(
            "The array links eight ground-based radio telescopes.",
            quantities=[("eight", 8, "")],
        ),
        None,
    ),
    (
        "the Fed and five other central banks are six central banks",
        claim(
            "The Fed and five other central banks lowered swap prices.",
            quantities=[("five", 5, "")],
        ),
        source(
            "Six global central banks agreed to lower swap pricing.",
            quantities=[("Six global central banks", 6, "bank")],
        ),
        None,
    ),
    (
        "0.25 basis points for 0.25 percent: the unit changed the figure",
        claim(
            "Rates were cut to 0 to 0.25 basis points.",
            quantities=[("0.25 basis points", 0.0025, "percentage-point")],
        ),
        source(
            "The target range is 0 to 0.25 percent.",
            quantities=[("0.25 percent", 0.25, "percent")],
        ),
        ("number_changed", "num:"),
    ),
    (
        "the start of a range is in its end's unit: -0.4 is -0.50% less 10 basis points",
        claim(
            "The rate will be lowered from -0.4 to -0.5 percent.",
            quantities=[("0.4", 0.4, ""), ("0.5 percent", 0.5, "percent")],
        ),
        source(
            "The rate will be decreased by 10 basis points to -0.50%.",
            quantities=[("10 basis points", 0.1, "percentage-point"), ("0.50%", 0.5, "percent")],
        ),
        None,
    ),
    (
        "4,300 is 4,291 rounded",
        claim("Some 4,300 people have died.", quantities=[("4,300 people", 4300, "person")]),
        source(
            "4,291 people have lost their lives.", quantities=[("4,291 people", 4291, "person")]
        ),
        None,
    ),
    (
        "4,000 is too far from 4,291 to be its rounding",
        claim("4,000 people have died.", quantities=[("4,000 people", 4000, "person")]),
        source(
            "4,291 people have lost their lives.", quantities=[("4,291 people", 4291, "person")]
        ),
        ("number_changed", "num:"),
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_numbers(why: str, derived, reference, expected) -> None:  # type: ignore[no-untyped-def]
    found = detect(NumberDetector(), derived, reference)
    got = (found[0].category.value, found[0].detail[:4]) if found else None
    assert got == expected, why


def test_a_figure_no_source_has() -> None:
    mine = claim(
        "The strike cost the airline 40 million euros, union officials said.",
        ident="derived#0",
        quantities=[("40 million euros", 40e6, "EUR")],
    )
    theirs = claim("The strike hit the airline hard, union officials said.", ident="source#0")
    derived, ref = article("derived", mine), article("source", theirs)
    found = list(NewFigureDetector().detect(comparison(derived, [ref], [(mine.id, theirs.id)])))
    assert [(d.category.value, d.detail) for d in found] == [
        ("unsupported_addition", "q:(40000000.0, 'EUR')")
    ]
    # shown with the sentence it was compared with
    assert found[0].reference is not None and found[0].reference.id == theirs.id
    # in consensus mode (no sources) it is not judged
    assert (
        list(
            NewFigureDetector().detect(
                comparison(derived, [ref], [(mine.id, theirs.id)], strict=False)
            )
        )
        == []
    )


def test_the_changed_figure_is_paired_with_the_one_it_replaces() -> None:
    """4.5 -> 5.4 billion in aid, not the unrelated 10 billion of the same unit beside it."""
    derived = claim(
        "The fund holds 10 billion euros, and the EU pledged 5.4 billion euros in aid to Kyiv.",
        quantities=[("10 billion euros", 10e9, "EUR"), ("5.4 billion euros", 5.4e9, "EUR")],
    )
    reference = source(
        "The EU pledged 4.5 billion euros in aid to Kyiv.",
        quantities=[("4.5 billion euros", 4.5e9, "EUR")],
    )
    (found,) = detect(NumberDetector(), derived, reference)
    assert found.category.value == "number_changed"
    assert found.message == "“5.4 billion euros” where the counterpart has “4.5 billion euros”"
    assert [m.of(derived.text) for m in found.derived_marks] == ["5.4 billion euros"]


def test_two_figures_each_paired_by_the_words_around_them() -> None:
    derived = claim(
        "Exports rose to 40 billion dollars while imports fell to 31 billion dollars.",
        quantities=[("40 billion dollars", 40e9, "USD"), ("31 billion dollars", 31e9, "USD")],
    )
    reference = source(
        "Imports fell to 33 billion dollars while exports rose to 40.5 billion dollars.",
        quantities=[("33 billion dollars", 33e9, "USD"), ("40.5 billion dollars", 40.5e9, "USD")],
    )
    found = detect(NumberDetector(), derived, reference)
    assert sorted(d.message for d in found) == [
        "“31 billion dollars” where the counterpart has “33 billion dollars”",
        "“40 billion dollars” where the counterpart has “40.5 billion dollars”",
    ]


@pytest.mark.parametrize(
    ("why", "derived", "sources"),
    [
        (
            "the outlet's conversion in brackets",
            claim(
                "The bank will buy €20 billion ($22 billion) of bonds a month.",
                ident="derived#0",
                quantities=[("€20 billion", 20e9, "EUR"), ("$22 billion", 22e9, "USD")],
            ),
            [
                (
                    "It will buy bonds at a pace of €20 billion a month.",
                    [("€20 billion", 20e9, "EUR")],
                )
            ],
        ),
        (
            "a sum of the source's figures",
            claim(
                "The Fed will buy $700 billion of securities.",
                ident="derived#0",
                quantities=[("$700 billion", 700e9, "USD")],
            ),
            [
                (
                    "It will buy $500 billion of Treasuries and $200 billion of mortgage bonds.",
                    [("$500 billion", 500e9, "USD"), ("$200 billion", 200e9, "USD")],
                )
            ],
        ),
    ],
)
def test_figures_the_sources_state_another_way(why: str, derived, sources) -> None:  # type: ignore[no-untyped-def]
    refs = [claim(text, ident=f"source#{i}", quantities=qs) for i, (text, qs) in enumerate(sources)]
    found = NewFigureDetector().detect(
        comparison(
            article("derived", derived), [article("source", *refs)], [(derived.id, refs[0].id)]
        )
    )
    assert list(found) == [], why


def test_a_figure_stated_differently_in_another_source_sentence() -> None:
    """The claim is aligned with a sentence without the figure; the source has it elsewhere."""
    mine = claim(
        "The image shows the galaxy Messier 87, 53 million light-years away.",
        ident="derived#0",
        quantities=[("53 million", 53e6, "")],
    )
    aligned = claim(
        "The image reveals the black hole at the centre of Messier 87.", ident="source#0"
    )
    other = claim(
        "This black hole resides 55 million light-years from Earth.",
        ident="source#1",
        quantities=[("55 million", 55e6, "")],
    )
    found = list(
        NewFigureDetector().detect(
            comparison(
                article("derived", mine),
                [article("source", aligned, other)],
                [(mine.id, aligned.id)],
            )
        )
    )
    assert [(d.category.value, d.reference.id if d.reference else None) for d in found] == [
        ("number_changed", "source#1")
    ]
    assert found[0].signals == {"confidence": 0.5}


@pytest.mark.parametrize(
    ("why", "mine", "theirs"),
    [
        (
            "a digit slipped: 10,250 for 1,025 adults",
            claim(
                "Support fell to 22%, a NordPuls survey of 10,250 adults showed.",
                ident="derived#0",
                quantities=[("22%", 22, "percent"), ("10,250 adults", 10250, "adult")],
            ),
            claim(
                "The survey of 1,025 adults was conducted in late September.",
                ident="source#1",
                quantities=[("1,025 adults", 1025, "adult")],
            ),
        ),
        (
            "digits swapped, whatever the noun: 74 new infections for 47 new cases",
            claim(
                "Cases rose to 22% after 74 new infections in the past week.",
                ident="derived#0",
                quantities=[("22%", 22, "percent"), ("74 new infections", 74, "infection")],
            ),
            claim(
                "Officials confirmed 47 new cases in the past week.",
                ident="source#1",
                quantities=[("47 new cases", 47, "case")],
            ),
        ),
    ],
)
def test_a_figure_slipped_or_swapped_elsewhere_in_the_sources(why: str, mine, theirs) -> None:  # type: ignore[no-untyped-def]
    aligned = claim("Support stood at 22%.", ident="source#0", quantities=[("22%", 22, "percent")])
    found = list(
        NewFigureDetector().detect(
            comparison(
                article("derived", mine),
                [article("source", aligned, theirs)],
                [(mine.id, aligned.id)],
            )
        )
    )
    assert [(d.category.value, d.reference.id if d.reference else None) for d in found] == [
        ("number_changed", "source#1")
    ], why
