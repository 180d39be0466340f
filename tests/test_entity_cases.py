"""Swapped names read from real sentences: the extract stage finds the names (no hand-given
entities), the entity detector compares a derived sentence with its counterpart. Each row is an
invented pair; "translated" rows are English renderings of another language's sentence, as the
pivot gives them."""

from __future__ import annotations

import pytest

from fidelity.extract import extract_articles, load_lexicon
from fidelity.extract.lexicon import Lexicon
from fidelity.score.base import Pair
from fidelity.score.detectors.entities import EntityDetector
from fidelity.text.sentences import paragraphs, split_sentences
from fidelity.text.vocabulary import vocabulary
from fidelity.translate import IdentityTranslator, translate_articles
from fidelity.types import Article, Claim, DetectedArticle, Segment


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def one_claim(text: str, lexicon: Lexicon, ident: str) -> Claim:
    article = Article(id=ident, origin="case", text=text)
    segments = []
    for number, paragraph in enumerate(paragraphs(text)):
        for span in split_sentences(text, paragraph.start, paragraph.end):
            segments.append(Segment(len(segments), span, number, "en", 1.0))
    detected = DetectedArticle(article, "en", (("en", 1.0),), tuple(segments))
    translated = translate_articles([detected], IdentityTranslator())
    (claim,) = extract_articles(translated, lexicon)[0].claims
    return claim


def swaps(derived: str, reference: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    c = one_claim(derived, lexicon, "derived")
    r = one_claim(reference, lexicon, "source")
    found = EntityDetector().detect(Pair(c, r, vocabulary("en")))
    return [
        (d.derived_marks[0].of(c.text), d.reference_marks[0].of(r.text))
        for d in found
        if d.derived_marks and d.reference_marks
    ]


FLAG = [
    (
        "another region in the same slot",
        "Home sales in the Southwest dropped 6% in March, the steepest fall of any region.",
        "Home sales in the Southeast dropped 6% in March, the steepest fall of any region.",
        ("Southwest", "Southeast"),
    ),
    (
        "another regulator (a full name against one after a country abbreviation)",
        "The vaccine will be reviewed by the European Medicines Agency next month.",
        "The vaccine will be reviewed by the U.S. Food and Drug Administration next month.",
        ("European Medicines Agency", "Food and Drug Administration"),
    ),
    (
        "another ministry speaking (a shared generic word names nothing)",
        "The border will stay closed until Friday, the Interior Ministry said.",
        "The border will stay closed until Friday, the Defence Ministry said.",
        ("Interior Ministry", "Defence Ministry"),
    ),
    (
        "another party (translated from Portuguese; the names share a word)",
        "The Socialist Party gained two points to 18%, its best result since 2019.",
        "The Socialist Left gained two points to 18%, its best result since 2019.",
        ("Socialist Party", "Socialist Left"),
    ),
    (
        "another river (its name also names a company in the source)",
        "Avon Valley Water spilled sewage into the River Severn on 12 occasions.",
        "Avon Valley Water spilled sewage into the River Wye on 12 occasions.",
        ("River Severn", "River Wye"),
    ),
    (
        "a compass word for another",
        "Rainfall was heaviest in the east of the country, where two rivers burst their banks.",
        "Rainfall was heaviest in the west of the country, where two rivers burst their banks.",
        ("east", "west"),
    ),
    (
        "another part of one region (translated from Russian)",
        "Permafrost thaw across Northern Siberia has doubled in speed over 20 years.",
        "Permafrost thaw across Central Siberia has doubled in speed over 20 years.",
        ("Northern Siberia", "Central Siberia"),
    ),
    (
        "another part of a country the lexicon knows",
        "Wildfires have spread across Northern Portugal since Monday.",
        "Wildfires have spread across Central Portugal since Monday.",
        ("Northern", "Central"),
    ),
    (
        "the country of a named speaker",
        "“We cannot wait another decade,” said Kenya's health minister, Amos Wekesa.",
        "“We cannot wait another decade,” said Uganda's health minister, Amos Wekesa.",
        ("Kenya", "Uganda"),
    ),
    (
        "one city of two",
        "Walk-in clinics will open in Porto and Braga from Monday.",
        "Walk-in clinics will open in Porto and Coimbra from Monday.",
        ("Braga", "Coimbra"),
    ),
    (
        "another competition, the sentence otherwise reworded",
        "Ajax will play in the Conference League next season.",
        "Ajax qualify for the group stage of next season's Europa League.",
        ("Conference League", "Europa League"),
    ),
    (
        "another funder (translated from German)",
        "The research was funded by the German Research Foundation.",
        "The work was supported by the Max Planck Society.",
        ("German Research Foundation", "Max Planck Society"),
    ),
    (
        "another region opening the sentence with a possessive",
        "Bavaria's economy grew 2% last year, the statistics office said.",
        "Saxony's economy grew 2% last year, the statistics office said.",
        ("Bavaria", "Saxony"),
    ),
    (
        "another country spelled alike",
        "Exports to Austria rose 4% in the first quarter, the statistics office said.",
        "Exports to Australia rose 4% in the first quarter, the statistics office said.",
        ("Austria", "Australia"),
    ),
    (
        "the other half of a continent",
        "Sales in Western Europe fell 3% in the quarter.",
        "Sales in Eastern Europe fell 3% in the quarter.",
        ("Western Europe", "Eastern Europe"),
    ),
    (
        "another person in the same role",
        "Finance Minister Anna Berg presented the budget to parliament on Monday.",
        "Finance Minister Karin Lund presented the budget to parliament on Monday.",
        ("Anna Berg", "Karin Lund"),
    ),
]

SILENT = [
    (
        "Kiev and Kyiv are one city",
        "Drones struck Kiev overnight, the air force said.",
        "Drones struck Kyiv overnight, the air force said.",
    ),
    (
        "the U.S. and the United States",
        "Talks in the U.S. ended on Friday without a deal.",
        "Talks in the United States ended on Friday without a deal.",
    ),
    (
        "the EU and the European Union",
        "The EU will impose new tariffs on steel from July.",
        "The European Union will impose new tariffs on steel from July.",
    ),
    (
        "Moscow for the Russian government",
        "Moscow rejected the proposal on Tuesday.",
        "Russia rejected the proposal on Tuesday.",
    ),
    (
        "a title added",
        "President Emmanuel Macron met farmers in Lyon on Saturday.",
        "Macron met farmers in Lyon on Saturday.",
    ),
    (
        "a person by surname only",
        "Officials said Reeve had warned the council about the cuts in March.",
        "Officials said Tom Reeve had warned the council about the cuts in March.",
    ),
    (
        "a transliteration with an accent",
        "Prime Minister Alexis Tsipras resigned on Sunday.",
        "Prime Minister Alexis Tsípras resigned on Sunday.",
    ),
    (
        "an abbreviation for the agency's name",
        "The drug is under review by the FDA, the company said.",
        "The drug is under review by the U.S. Food and Drug Administration, the company said.",
    ),
    (
        "an abbreviation that skips a word of the name",
        "The ECDC warned that coverage had fallen below 95%.",
        "The European Centre for Disease Prevention and Control warned that coverage had "
        "fallen below 95%.",
    ),
    (
        "a clipped name for the full one",
        "Shares rallied after the Fed cut rates by half a point on Tuesday.",
        "Shares rallied after the Federal Reserve cut rates by half a point on Tuesday.",
    ),
    (
        "an abbreviation in mixed case",
        "Markets expect the BoE to hold rates at 5% on Thursday.",
        "Markets expect the Bank of England to hold rates at 5% on Thursday.",
    ),
    (
        "a demonym for the country's name",
        "Analysts said Chinese exports rose 5% in May from a year earlier.",
        "Analysts said China's exports rose 5% in May from a year earlier.",
    ),
    (
        "two translations of one funder's name (translated from Russian)",
        "The study was funded by the Russian Scientific Foundation.",
        "The work was supported by the Russian Science Foundation.",
    ),
    (
        "a region by its name and as a part of its country",
        "Rescuers in Sichuan province found two survivors on Tuesday.",
        "Rescuers in southwestern China found two survivors on Tuesday.",
    ),
    (
        "a capital by its name and as its country's capital",
        "Prime Minister Keir Starmer visited Kyiv on Friday.",
        "The British prime minister visited Ukraine's capital on Friday.",
    ),
    (
        "a club's name shortened",
        "Manchester United signed the striker for 60 million pounds.",
        "Man Utd signed the striker for 60 million pounds.",
    ),
    (
        "an acronym of the name in its own language (translated from Russian)",
        "The FSB said it had detained two men in Moscow.",
        "The Federal Security Service said it had detained two men in Moscow.",
    ),
    (
        "a redaction is no name",
        "The invoice for XXXX was sent to the client on Monday.",
        "The invoice for XXX was sent to the client on Monday.",
    ),
    (
        "a city for its club",
        "On Sunday Utrecht beat Ajax 2-1 after extra time.",
        "On Sunday FC Utrecht beat Ajax 2-1 after extra time.",
    ),
    (
        "a city describing its club",
        "It would be the biggest sale in the Lisbon club's history.",
        "It would be the biggest sale in Sporting's history.",
    ),
    (
        "a demonym for its country",
        "Telvia reported the breach to the Dutch Data Protection Authority within 72 hours.",
        "Telvia reported the breach to the Netherlands Data Protection Authority within 72 hours.",
    ),
    (
        "a party's name in the singular and the plural",
        "Andrea Huber of the Social Democrats won the runoff with 52.4% of the vote.",
        "Social Democrat Andrea Huber won the runoff with 52.4% of the vote.",
    ),
    (
        "a compass word within the other",
        "Rainfall was heaviest in the north-east of the country.",
        "Rainfall was heaviest in the north of the country.",
    ),
    (
        "a less specific place",
        "Permafrost in Yakutia is thawing twice as fast as 20 years ago.",
        "Permafrost in Central Yakutia is thawing twice as fast as 20 years ago.",
    ),
    (
        "another body speaking is attribution's, not a swapped name",
        "According to the World Health Organization, coverage fell below 95% last year.",
        "The European Centre for Disease Prevention and Control said coverage fell below 95% "
        "last year.",
    ),
    (
        "a speaker's other role is attribution's",
        "“The results are encouraging,” said Neurovia's chief medical officer, Dr. Sarah Okafor.",
        "“The results are encouraging,” said Dr. Sarah Okafor, a neurologist at Johns Hopkins "
        "University.",
    ),
    (
        "the wire's dateline is where the story was filed",
        "Prosecutors in Antwerp have charged a former deputy mayor with bribery.",
        "GHENT, Belgium, March 2 (BCW) - Prosecutors have charged a former deputy mayor "
        "with bribery.",
    ),
]


@pytest.mark.parametrize(
    ("why", "derived", "reference", "expected"), FLAG, ids=[c[0] for c in FLAG]
)
def test_swapped_name_is_flagged(
    why: str, derived: str, reference: str, expected: tuple[str, str], lexicon: Lexicon
) -> None:
    assert swaps(derived, reference, lexicon)[:1] == [expected], why


@pytest.mark.parametrize(("why", "derived", "reference"), SILENT, ids=[c[0] for c in SILENT])
def test_same_name_stays_silent(why: str, derived: str, reference: str, lexicon: Lexicon) -> None:
    assert swaps(derived, reference, lexicon) == [], why
    assert swaps(reference, derived, lexicon) == [], f"{why} (the other way round)"
