"""Figures a desk can trust: qualified figures, units and conversions, read by the extract
stage from invented sentences (English, and English renderings of German, Spanish, French and
Italian retellings) and compared by the numbers detector. Each table has rows that must be
flagged and paraphrases that must stay silent."""

from __future__ import annotations

import pytest
from claim_cases import ENGLISH, figure_finder, number_changes, read_figures

from fidelity.extract import load_lexicon
from fidelity.extract.quantities import QuantityFinder
from fidelity.score.base import Pair
from fidelity.score.detectors.numbers import NumberDetector
from fidelity.types import Claim, Span

FINDER = figure_finder()
read = read_figures
changed = number_changes


# (derived, reference, must flag)
QUALIFIED = [
    # "almost" / "nearly" / "just under" put the figure just below the one written
    ("Almost 3,000 homes lost power, the utility said.", "3,412 homes lost power.", True),
    ("Almost 3,500 homes lost power, the utility said.", "3,412 homes lost power.", False),
    ("Nearly 60 people were hurt in the crash.", "62 people were hurt in the crash.", True),
    ("Nearly 65 people were hurt in the crash.", "62 people were hurt in the crash.", False),
    # de "fast 4.000 Menschen", es "casi 4.000 personas": rendered "almost" / "nearly"
    ("Almost 4,000 people have died worldwide.", "4,291 people have died.", True),
    ("Nearly 4,300 people have died worldwide.", "4,291 people have died.", False),
    ("Just under 4,300 people have died.", "4,291 people have died.", False),
    ("Just under 4,200 people have died.", "4,291 people have died.", True),
    # "just over" sits just above
    ("Just over 4,000 people signed the petition.", "4,120 people signed it.", False),
    ("Just over 4,000 people signed the petition.", "3,950 people signed it.", True),
    # floors and ceilings: the source's figure must lie inside
    ("More than 3,000 homes lost power.", "3,412 homes lost power.", False),
    ("More than 3,500 homes lost power.", "3,412 homes lost power.", True),
    ("The virus has reached more than 110 countries.", "It is in 114 countries.", False),
    ("Fewer than 50 delegates attended the summit.", "57 delegates attended.", True),
    ("Fewer than 60 delegates attended the summit.", "57 delegates attended.", False),
    # a floor and a "nearly" that meet are one figure
    ("There are almost 120,000 cases.", "There are more than 118,000 cases.", False),
    ("There are almost 110,000 cases.", "There are more than 118,000 cases.", True),
    # an exact amount turned into a ceiling: the pace becomes a most that may not be reached
    (
        "The bank will buy bonds worth up to €15 billion a month.",
        "Net purchases will restart at a monthly pace of €15 billion.",
        True,
    ),
    (
        "It plans to spend at most $300 million on the bridge.",
        "The city will spend $300 million on the bridge.",
        True,
    ),
    (
        "The bank will buy bonds worth up to €15 billion a month.",
        "Purchases of up to €15 billion a month will restart.",
        False,
    ),
    (
        "As many as 200 jobs could go.",
        "Up to 200 jobs could be cut.",
        False,
    ),
    (
        "The bank will buy €15 billion of bonds a month.",
        "Net purchases will restart at a monthly pace of €15 billion.",
        False,
    ),
    # the ceiling dropped: a most told as what happens
    ("The merger will cut 200 jobs.", "The merger could cut up to 200 jobs.", True),
    ("The fund will lend $5 billion to farmers.", "It can lend at most $5 billion.", True),
    ("The merger will cut about 200 jobs.", "It could cut up to 200 jobs.", False),
    ("The merger will cut 150 jobs.", "It could cut up to 200 jobs.", False),
    # "about" keeps the precision it is written to: 6.6 is not 6.5 rounded
    ("The firm has about 6.6 million customers.", "It has 6.5 million customers.", True),
    ("The firm has about 6.5 million customers.", "It has 6.46 million customers.", False),
    ("The firm has about 7 million customers.", "It has 6.5 million customers.", False),
    ("The firm has some 4,300 employees.", "It employs 4,291 workers.", False),
]


UNITS = [
    # a length in another unit is converted, with the precision each is written to
    (
        "The cloud is 60 light-years across.",
        "The cloud measures just under 40 billion km across.",
        True,
    ),
    (
        "The ring measures 25 billion miles across.",
        "The ring measures just under 40 billion km across.",
        False,
    ),
    (
        "The ring measures 25 billion km across.",
        "The ring measures just under 40 billion km across.",
        True,
    ),
    (
        "The star is 4.2 light-years away.",
        "The star lies about 40 trillion km from us.",
        False,
    ),
    ("A 10-mile convoy formed on the road.", "A 16 km convoy formed on the road.", False),
    ("A 10-mile convoy formed on the road.", "A 10 km convoy formed on the road.", True),
    # basis points are hundredths of a percentage point, not percent
    (
        "The Fed cut its rate to now 0 to 0.25 basis points.",
        "The Fed cut its rate to 0 to 1/4 percent.",
        True,
    ),
    (
        "The Fed cut its rate to 0 to 0.25 percent.",
        "The Fed cut its rate to 0 to 1/4 percent.",
        False,
    ),
    (
        "The bank cut its rate by 25 basis points.",
        "The bank cut its rate by a quarter of a percentage point.",
        False,
    ),
    # a mass as a multiple of the Sun's is a count of solar masses
    (
        "The black hole weighs about 4.3 million solar masses.",
        "Its mass is 4.1 million times that of the Sun.",
        True,
    ),
    (
        "The black hole weighs 4.1 million solar masses.",
        "It is 4.1 million times more massive than the Sun.",
        False,
    ),
    (
        "It has a mass of 4.1 million times that of the sun.",
        "It has a mass 4.1 million times that of the Sun.",
        False,
    ),
]


@pytest.mark.parametrize(("derived", "reference", "flag"), QUALIFIED + UNITS)
def test_number_cases(derived: str, reference: str, flag: bool) -> None:
    found = changed(derived, reference)
    assert bool(found) == flag, found


def test_messages_name_both_figures_and_the_qualifier() -> None:
    (message,) = changed("Almost 4,000 people have died.", "4,291 people have died.")
    assert "“4,000 people” (just under)" in message and "“4,291 people”" in message
    (message,) = changed("Bonds worth up to €15 billion a month.", "A monthly pace of €15 billion.")
    assert "at most: a ceiling" in message and "(an exact figure)" in message
    assert "€15 billion" in message


@pytest.mark.parametrize(
    ("text", "value", "unit", "relation"),
    [
        ("to 0 to 1/4 percent", 0.25, "percent", "exact"),
        ("up 3/4 percentage point", 0.75, "percentage-point", "exact"),
        ("60 light-years across", 60, "light-year", "exact"),
        ("55 million light years away", 55e6, "light-year", "exact"),
        ("6.6 billion solar masses", 6.6e9, "solar-mass", "exact"),
        ("6.5 billion times more massive than the Sun", 6.5e9, "solar-mass", "exact"),
        ("nearly 4,300 people", 4300, "person", "almost"),
        ("just under 40 billion km", 40e9, "km", "almost"),
        ("ca. 6.6 billion solar masses", 6.6e9, "solar-mass", "about"),
        ("fewer than 50 delegates", 50, "person", "below"),
        ("just over 4,000 people", 4000, "person", "just-over"),
    ],
)
def test_figures_read(text: str, value: float, unit: str, relation: str) -> None:
    (q,) = [q for q in FINDER.find(text, None) if q.value]
    assert (q.value, q.unit, q.relation) == (pytest.approx(value), unit, relation)


def test_a_slash_date_stays_a_date() -> None:
    (q,) = FINDER.find("The talks resume on 1/4 in Geneva.", "2024-05-02")
    assert q.unit == "date"


# A segment nothing translated is read with its own language's lexicon: the digit marks, scale
# words, units and qualifiers of German, Spanish, French and Italian.
@pytest.mark.parametrize(
    ("language", "text", "value", "unit", "relation"),
    [
        ("de", "es seien bereits 118.000 Fälle registriert worden", 118000, "", "exact"),
        ("de", "fast 4300 Menschen seien gestorben", 4300, "person", "almost"),
        ("de", "fast 4.000 Menschen sind gestorben", 4000, "person", "almost"),
        ("de", "Anleihen für bis zu 20 Milliarden Euro", 20e9, "EUR", "up-to"),
        ("de", "die Masse ist ca. 6,6 Milliarden Sonnenmassen", 6.6e9, "solar-mass", "about"),
        ("de", "auf 0 bis 0,25 Basispunkte", 0.0025, "percentage-point", "exact"),
        ("de", "Das sind 500 Trillionen Kilometer.", 5e20, "km", "exact"),
        ("de", "knapp 55 Millionen Lichtjahre entfernt", 55e6, "light-year", "almost"),
        ("es", "es 6.500 millones de veces más masivo", 6.5e9, "", "exact"),
        ("es", "a 54 millones de años-luz de la Tierra", 54e6, "light-year", "exact"),
        ("es", "700.000 millones de dólares", 700e9, "USD", "exact"),
        ("es", "casi 4.000 personas", 4000, "person", "almost"),
        ("es", "un paquete de 6.5 millones", 6.5e6, "", "exact"),  # a decimal point
        ("fr", "118 000 cas confirmés", 118000, "", "exact"),
        ("fr", "près de 4 300 morts", 4300, "death", "about"),
        ("fr", "plus de 110 pays", 110, "country", "beyond"),
        ("it", "quasi 4.300 morti", 4300, "death", "almost"),
        ("it", "20 miliardi di euro al mese", 20e9, "EUR", "exact"),
        ("en", "118,000 cases and 6.5 billion", 118000, "case", "exact"),
    ],
)
def test_untranslated_figures_read_in_their_language(
    language: str, text: str, value: float, unit: str, relation: str
) -> None:
    finder = QuantityFinder(load_lexicon().language(language))
    q = next(q for q in finder.find(text, None) if q.value)
    assert (q.value, q.unit, q.relation) == (pytest.approx(value), unit, relation)


def test_untranslated_qualified_figures_compare() -> None:
    """German "fast 4.000" (almost 4,000) is not the source's 4,291; "fast 4300" is."""
    german = QuantityFinder(load_lexicon().language("de"))

    def german_claim(text: str) -> Claim:
        return Claim(
            id="derived#1",
            article_id="derived",
            index=1,
            kind="body",
            span=Span(0, len(text)),
            text=text,
            quantities=tuple(german.find(text, None)),
        )

    source = read("4,291 people have lost their lives.", "source#1")
    wrong = Pair(german_claim("fast 4.000 Menschen sind gestorben"), source, ENGLISH)
    right = Pair(german_claim("fast 4300 Menschen sind gestorben"), source, ENGLISH)
    assert [d.category.value for d in NumberDetector().detect(wrong)] == ["number_changed"]
    assert not list(NumberDetector().detect(right))


@pytest.mark.parametrize(
    ("derived", "reference", "flag"),
    [
        # percent and percentage points are told for each other: the same digits agree
        ("Prices rose 0.5 percent on the month.", "Prices rose 0.5 percentage points.", False),
        ("The bank cut rates by 0.25 percent.", "The bank cut by 25 basis points.", False),
        # the same digits in basis points are a hundredth of that
        (
            "The bank lowered the range to 0 to 0.25 basis points.",
            "The bank lowered the range to 0 to 0.25 percent.",
            True,
        ),
    ],
)
def test_percent_and_points(derived: str, reference: str, flag: bool) -> None:
    assert bool(changed(derived, reference)) == flag


@pytest.mark.parametrize(
    ("language", "text", "value", "unit"),
    [
        ("de", "Anleihen für 20 Mrd. € im Monat", 20e9, "EUR"),
        ("de", "es kostet 4.300 € im Jahr", 4300, "EUR"),
        ("fr", "20 Mds€ par mois", 20e9, "EUR"),
        ("en", "a $5bn fund", 5e9, "USD"),
        ("en", "bonds worth €20 billion a month", 20e9, "EUR"),
    ],
)
def test_currency_sign_before_or_after(language: str, text: str, value: float, unit: str) -> None:
    finder = QuantityFinder(load_lexicon().language(language))
    q = next(q for q in finder.find(text, None) if q.unit == unit)
    assert q.value == pytest.approx(value)
