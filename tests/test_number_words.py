"""Figures written in words and figures whose role changed: shares ("a third of", "one in
five"), multiples ("doubled", "agreed to triple"), spans back ("the past decade"), halves ("a
year and a half"), a limit told as the figure, a most told as a sum, a part of a group told
as all of it, and a vote's sides swapped. Invented sentences (English, and English renderings
of German, Spanish, French, Russian and Ukrainian retellings), read by the extract stage and
compared by the numbers detector: rows that must be flagged and paraphrases that must stay
silent."""

from __future__ import annotations

from dataclasses import replace

import pytest
from claim_cases import ENGLISH, figure_finder, number_changes, read_figures

from fidelity.score.base import Pair
from fidelity.score.detectors.numbers import NumberDetector, figures
from fidelity.types import Claim, Quote, Span

FINDER = figure_finder()
read = read_figures
changed = number_changes


# (derived, reference, must flag)
SHARES = [
    (
        "Roughly a third of the airline's flights were cancelled.",
        "Roughly two thirds of the airline's flights were cancelled.",
        True,
    ),
    (
        "Half of the staff will lose their jobs.",
        "A quarter of the staff will lose their jobs.",
        True,
    ),
    ("One in three voters is still undecided.", "One in five voters is still undecided.", True),
    # de "drei von zehn Befragten", rendered
    (
        "Three in ten respondents said they would not vote.",
        "Four in ten respondents said they would not vote.",
        True,
    ),
    ("The budget was cut by a third.", "The budget was cut by a quarter.", True),
    # the same share in other words
    ("Half of the staff will lose their jobs.", "50% of the staff will lose their jobs.", False),
    ("A third of the flights were cancelled.", "33% of the flights were cancelled.", False),
    ("One in five voters is still undecided.", "20% of voters are still undecided.", False),
    # es "dos tercios de los vuelos", rendered
    (
        "Two-thirds of the flights were cancelled.",
        "Two thirds of the flights were cancelled.",
        False,
    ),
    (
        "The bank cut rates by half a percentage point.",
        "The bank cut rates by 50 basis points.",
        False,
    ),
    ("The project took a quarter of a century.", "The project took 25 years.", False),
    (
        "He said it was the third of five meetings.",
        "He said it was the fourth of five meetings.",
        False,
    ),
]
MULTIPLES = [
    (
        "Countries agreed to double finance for adaptation.",
        "Countries agreed to triple finance for adaptation.",
        True,
    ),
    (
        "Sales of electric cars doubled last year.",
        "Sales of electric cars quadrupled last year.",
        True,
    ),
    # es "se ha triplicado", fr "a été multiplié par trois", rendered
    ("The number of cases has tripled.", "The number of cases has increased 13-fold.", True),
    ("Thaw is now twice as fast as in 2004.", "Thaw is now three times as fast as in 2004.", True),
    ("The rate of thaw has doubled.", "The rate of thaw is now twice as fast.", False),
    # multiples of different things
    (
        "Its diameter is three million times that of the Earth.",
        "The horizon is 2.5 times smaller than the shadow it casts.",
        False,
    ),
    (
        "Exports to China doubled, while imports from Japan tripled.",
        "Exports to China doubled, and imports from Japan tripled.",
        False,
    ),
    ("The rate of thaw has roughly doubled.", "The rate of thaw has doubled.", False),
    ("Exports rose twofold.", "Exports doubled.", False),
    # no multiple: an adjective, a frequency
    (
        "Police are investigating a double murder.",
        "Police are investigating a triple murder.",
        False,
    ),
    ("The committee meets twice a week.", "The committee meets three times a week.", False),
    ("The plant aims to double-check every part.", "The plant aims to triple output.", False),
]
SPANS = [
    ("Thaw has doubled over the past decade.", "Thaw has doubled over the past 20 years.", True),
    # ru "за последние 20 лет", rendered
    ("Prices rose 40% in the last five years.", "Prices rose 40% over the past decade.", True),
    (
        "The drug slowed decline over two and a half years.",
        "The drug slowed decline over 18 months.",
        True,
    ),
    ("Thaw has doubled over the past decade.", "Thaw has doubled over the past 10 years.", False),
    (
        "The drug slowed decline over a year and a half.",
        "The drug slowed decline over 18 months.",
        False,
    ),
    (
        "The drug slowed decline over one and a half years.",
        "The drug slowed decline over 18 months.",
        False,
    ),
    ("Talks lasted two and a half days.", "Talks lasted 60 hours.", False),
    ("Troops must leave within three days.", "Troops must leave within 72 hours.", False),
    ("The fund holds 1.28 million shares.", "The fund holds 1,280,000 shares.", False),
]
SCALES = [
    # a scale word after a number in words multiplies it
    ("Three million people were displaced.", "3 million people were displaced.", False),
    ("Donors pledged two billion dollars.", "Donors pledged $2 billion.", False),
    ("Three million people were displaced.", "Four million people were displaced.", True),
    (
        "It is three million times the diameter of the Earth.",
        "It is 3 million times the diameter of the Earth.",
        False,
    ),
]
FACTORS = [
    # es "el brote se multiplicó por 13", fr "multiplié par 13", rendered
    (
        "In two weeks the outbreak multiplied by 13.",
        "In two weeks the outbreak grew 13-fold.",
        False,
    ),
    (
        "In two weeks the outbreak multiplied by 31.",
        "In two weeks the outbreak grew 13-fold.",
        True,
    ),
    ("Cases rose by a factor of three.", "Cases tripled.", False),
    ("Cases rose by a factor of ten.", "Cases tripled.", True),
]
GUARDS = [
    # words that read like a share, a multiple or a limit but are none
    (
        "In the second half the hosts scored twice.",
        "In the first half the hosts scored twice.",
        False,
    ),
    ("Police made five arrests in seven days.", "Police made four arrests in seven days.", True),
    ("The stadium will double as a concert venue.", "The stadium will triple its capacity.", False),
    (
        "Wages will rise 10% this year.",
        "A 10% minimum wage rise takes effect; average pay rises 4%.",
        False,
    ),
]
ROLES = [
    # a limit told as the figure itself
    (
        "Council tax will rise by 4.99% next year.",
        "The council approved a 2.9% rise, below the 4.99% maximum allowed without a referendum.",
        True,
    ),
    (
        "The signal reached a significance of 5 sigma.",
        "The signal is about 3 sigma, below the 5-sigma threshold needed to claim a detection.",
        True,
    ),
    # de "Die Inflation liegt bei 2 Prozent", rendered
    (
        "Inflation stands at 2%, the bank said.",
        "Inflation stands at 3.1%, well above the bank's 2% target.",
        True,
    ),
    (
        "The rise of 2.9% stays below the 4.99% cap.",
        "The council approved a 2.9% rise, below the 4.99% maximum.",
        False,
    ),
    (
        "The rise of 2.9% is well short of the 4.99% allowed.",
        "The council approved a 2.9% rise, below the 4.99% maximum.",
        False,
    ),
    (
        "Inflation stands at 3.1%, above the 2% target.",
        "Inflation stands at 3.1%, well above the bank's 2% target.",
        False,
    ),
    # a most told as the sum
    (
        "He joined Villa for 70 million euros.",
        "Villa pays a fee of 62 million euros, with up to 8 million euros more in add-ons.",
        True,
    ),
    (
        "He joined Villa in a deal that could reach 70 million euros.",
        "Villa pays a fee of 62 million euros, with up to 8 million euros more in add-ons.",
        False,
    ),
    (
        "He joined Villa for up to 70 million euros.",
        "Villa pays a fee of 62 million euros, with up to 8 million euros more in add-ons.",
        False,
    ),
    (
        "He joined Villa for 62 million euros.",
        "Villa pays a fee of 62 million euros, with up to 8 million euros more in add-ons.",
        False,
    ),
    (
        "The two loans total 70 million euros.",
        "The bank lent 62 million euros and a further 8 million euros.",
        False,
    ),
    # a part of a group told as all of it, and the other way round
    (
        "The move was backed by all seven board members.",
        "The move was backed by five of the seven board members.",
        True,
    ),
    (
        "The move was backed by five of the seven board members.",
        "The move was backed by all seven board members.",
        True,
    ),
    # fr "les 27 États membres", rendered
    (
        "All 27 member states signed the text.",
        "Twenty-five of the 27 member states signed the text.",
        True,
    ),
    (
        "Five of the seven board members voted for the cut.",
        "The cut was backed by five of the seven board members.",
        False,
    ),
    (
        "All 14 economists polled had expected the cut.",
        "All of the 14 economists polled had expected the cut.",
        False,
    ),
    # a vote's sides swapped
    (
        "The council voted by 29 votes to 38 on the budget.",
        "The budget passed by 38 votes to 29.",
        True,
    ),
    (
        "Senators voted 52 to 47 to confirm her.",
        "The Senate voted 47-52 on her confirmation.",
        True,
    ),
    ("The budget passed by 38 votes to 29.", "Councillors voted 38-29 for the budget.", False),
    ("The motion was defeated by 38 votes to 29.", "Councillors voted 29-38 on the motion.", False),
    (
        "Turnout in the vote fell from 38 to 29 percent.",
        "Turnout in the vote rose from 29 to 38 percent.",
        False,
    ),
    ("Ajax beat PSV 2-1 on Sunday.", "PSV lost 1-2 to Ajax on Sunday.", False),
    # the people a report cites
    (
        "The paper cited two people familiar with the talks.",
        "The paper cited three sources familiar with the talks.",
        True,
    ),
    (
        "The paper cited three people familiar with the talks.",
        "The paper cited three sources familiar with the talks.",
        False,
    ),
]


@pytest.mark.parametrize(
    ("derived", "reference", "flag"), SHARES + MULTIPLES + FACTORS + SPANS + SCALES + GUARDS + ROLES
)
def test_figure_in_words(derived: str, reference: str, flag: bool) -> None:
    found = changed(derived, reference)
    assert bool(found) == flag, found


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("Roughly two thirds of the flights", "two thirds", 66.666667, "share"),
        ("One in five voters", "One in five", 20.0, "share"),
        ("cut by half", "half", 50.0, "share"),
        ("agreed to triple finance", "triple", 3.0, "fold"),
        ("increased 13-fold", "13-fold", 13.0, "fold"),
        ("over the past decade", "past decade", 87600.0, "hour"),
        ("over a year and a half", "a year and a half", 13140.0, "hour"),
        ("over two and a half years", "two and a half years", 21900.0, "hour"),
        ("passed by 38 votes to 29", "29", 29.0, "vote"),
        ("the virus killed 5 in 7 days", "7 days", 168.0, "hour"),
        ("three million people", "three million people", 3e6, "person"),
    ],
)
def test_reading(text: str, figure: str, value: float, unit: str) -> None:
    found = {q.span.of(text): (q.value, q.unit) for q in FINDER.find(text, None)}
    assert found[figure] == (pytest.approx(value), unit)


def test_messages_name_both_figures() -> None:
    (message,) = changed(
        "Council tax will rise by 4.99% next year.",
        "The council approved a 2.9% rise, below the 4.99% maximum.",
    )
    assert "“4.99%”" in message and "maximum" in message and "“2.9%”" in message
    (message,) = changed(
        "He joined Villa for 70 million euros.",
        "An initial fee of 62 million euros, with up to 8 million euros more in add-ons.",
    )
    assert "“70 million euros”" in message and "“62 million euros”" in message


def test_words_are_no_new_figure() -> None:
    """A share or multiple in words, or "the two sides", is no figure to look for in the
    sources ("doubled" may be a source's "rose 100%")."""
    claim = read(
        "Talks between the two sides resume as exports doubled to a third of output.", "d#1"
    )
    assert figures(claim) == []


def test_a_figure_changed_inside_a_quote_is_the_quote_altered() -> None:
    """A figure changed inside the speaker's own words on both sides is an altered quote (the
    quote's words changed); the same change outside quotation marks is a changed figure."""

    def quoted(text: str, ident: str) -> Claim:
        start, end = text.index("“") + 1, text.index("”")
        return replace(read(text, ident), quotes=(Quote(Span(start, end), "“"),))

    mine = quoted("“We have had three difficult seasons in a row,” she said.", "d#1")
    theirs = quoted("“We have had two difficult seasons in a row,” she said.", "s#1")
    found = list(NumberDetector().detect(Pair(mine, theirs, ENGLISH)))
    assert [d.category.value for d in found] == ["quote_altered"]
    assert "“three difficult seasons”" in found[0].message
    plain = list(
        NumberDetector().detect(
            Pair(read(mine.text.replace("“", "").replace("”", ""), "d#1"), theirs, ENGLISH)
        )
    )
    assert [d.category.value for d in plain] == ["number_changed"]
