"""The extract stage on the seed articles and on small articles written for one phenomenon.

Inputs go through the real earlier stages: Article -> sentence segments
(``split_sentences``) -> DetectedArticle -> ``translate_articles`` with the identity translator.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from fidelity.errors import ConfigError
from fidelity.extract import extract_articles, load_lexicon
from fidelity.extract.lexicon import Lexicon
from fidelity.report.claims import render_claims
from fidelity.text.sentences import paragraphs, split_sentences
from fidelity.translate import IdentityTranslator, translate_articles
from fidelity.types import Article, Claim, DetectedArticle, ExtractedArticle, Segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_TITLES = {
    "000": "‘World war in 72 hours’: Ukraine, US and EU sign ‘destruction guarantees’ as Russia "
    "warns of NATO invasion",
    "002": "The US and Europe have prepared security guarantees for Ukraine: what does the plan "
    "provide for?",
    "004": "Russian Official Attacks US-Europe’s Ukraine Security Guarantees",
}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def detect(
    article: Article, title: str | None = None, languages: Sequence[str] = ()
) -> DetectedArticle:
    """Sentence segments of ``article``; the first line equal to ``title`` is the headline.

    ``languages`` gives a language per paragraph (default English throughout).
    """
    segments = []
    title_seen = False
    for number, paragraph in enumerate(paragraphs(article.text)):
        language = languages[number] if number < len(languages) else "en"
        for span in split_sentences(article.text, paragraph.start, paragraph.end):
            is_title = not title_seen and title is not None and span.of(article.text) == title
            title_seen = title_seen or is_title
            segments.append(Segment(len(segments), span, number, language, 1.0, is_title=is_title))
    return DetectedArticle(article, "en", (("en", 1.0),), tuple(segments))


def extract_text(
    text: str,
    lexicon: Lexicon,
    *,
    title: str | None = None,
    published: str | None = None,
    languages: Sequence[str] = (),
) -> ExtractedArticle:
    article = Article(id="t", origin="test", text=text, published=published)
    translated = translate_articles([detect(article, title, languages)], IdentityTranslator())
    return extract_articles(translated, lexicon)[0]


def seed(number: str, lexicon: Lexicon, published: str | None = None) -> ExtractedArticle:
    path = next(SEEDS.glob(f"{number}_*.txt"))
    article = Article(
        id=number, origin=path.name, text=path.read_text(encoding="utf-8"), published=published
    )
    translated = translate_articles(
        [detect(article, SEED_TITLES.get(number))], IdentityTranslator()
    )
    return extract_articles(translated, lexicon)[0]


def claim_with(extracted: ExtractedArticle, words: str) -> Claim:
    found = [c for c in extracted.claims if words in c.text and c.kind != "headline"]
    assert found, f"no claim contains {words!r}"
    return found[0]


def quote_with(claim: Claim, words: str):  # type: ignore[no-untyped-def]
    found = [q for q in claim.quotes if words in q.span.of(claim.text)]
    assert found, f"no quote in {claim.text!r} contains {words!r}"
    return found[0]


# ------------------------------------------------------------------------------------ seed 000


@pytest.fixture(scope="module")
def seed000(lexicon: Lexicon) -> ExtractedArticle:
    return seed("000", lexicon, published="2026-02-03")


def test_seed000_headline_apart_from_body(seed000: ExtractedArticle) -> None:
    headline = seed000.headline
    assert headline is not None
    assert headline.kind == "headline" and headline.index == 0
    assert headline.text == SEED_TITLES["000"]
    assert headline.span.of(seed000.article.text) == SEED_TITLES["000"]
    assert [c.kind for c in seed000.claims].count("headline") == 1
    assert quote_with(headline, "World war in 72 hours").style == "‘"
    ledes = [c for c in seed000.claims if c.kind == "lede"]
    assert ledes and all(c.text != headline.text for c in ledes)
    assert "pre-agreement" in ledes[0].text


def test_seed000_rutte_quote(seed000: ExtractedArticle) -> None:
    claim = claim_with(seed000, "As soon as a peace agreement is reached")
    quote = quote_with(claim, "As soon as a peace agreement")
    assert quote.speaker is not None and quote.speaker.name == "Mark Rutte"
    assert not quote.partial
    assert "Secretary General" in (quote.speaker.role or "")
    follow = claim_with(seed000, "He added that other members")
    assert quote_with(follow, "will help in other ways").speaker.name == "Mark Rutte"


def test_seed000_medvedev_target_via_reuters(seed000: ExtractedArticle) -> None:
    claim = claim_with(seed000, "reiterated to Reuters")
    quote = quote_with(claim, "legitimate target for destruction")
    assert quote.partial
    assert quote.speaker is not None
    assert quote.speaker.name == "Dmitry Medvedev"
    assert quote.speaker.via == ("Reuters",)
    assert "Security Council" in (quote.speaker.role or "")
    later = claim_with(seed000, "He reiterated that Moscow does not accept")
    assert quote_with(later, "legitimate target").speaker.name == "Dmitry Medvedev"


def test_seed000_durations_and_relations(seed000: ExtractedArticle) -> None:
    def quantities(words: str) -> list[tuple[float, str, str]]:
        return [(q.value, q.unit, q.relation) for q in claim_with(seed000, words).quantities]

    assert (72.0, "hour", "within") in quantities("intervention of European armies within 72")
    assert (24.0, "hour", "within") in quantities("In the first 24 hours following")
    assert (72.0, "hour", "after") in quantities("72 hours after the first violation")


def test_seed000_dates_resolved_against_publication(seed000: ExtractedArticle) -> None:
    import datetime as dt

    claim = claim_with(seed000, "reiterated to Reuters yesterday, 2/2")
    dates = [q.value for q in claim.quantities if q.unit == "date"]
    feb2 = float(dt.date(2026, 2, 2).toordinal())
    assert dates == [feb2, feb2]  # "yesterday" and "2/2" are the same day


def test_seed000_framing_voice(seed000: ExtractedArticle) -> None:
    headline = seed000.headline
    assert headline is not None
    voices = {f.term.lower(): f.voice for f in headline.framing}
    assert voices["destruction guarantees"] == "quote"
    assert voices["invasion"] == "outlet"
    lede = claim_with(seed000, "FT bombshell")
    assert {(f.term, f.voice) for f in lede.framing} >= {("bombshell", "outlet")}
    guardians = claim_with(seed000, "Kyiv and its guardians")
    assert [(f.concept, f.voice) for f in guardians.framing if f.term == "guardians"] == [
        ("patronage", "quote")
    ]


def test_seed000_multi_sentence_quote_gets_later_speaker(seed000: ExtractedArticle) -> None:
    first = claim_with(seed000, "This proposal was repeatedly discussed")
    second = claim_with(seed000, "the newspaper states")
    assert first.quotes[0].speaker is not None
    assert first.quotes[0].speaker == second.quotes[0].speaker
    assert second.quotes[0].speaker.name == "Financial Times"


def test_seed000_reported_through_sources(seed000: ExtractedArticle) -> None:
    claim = claim_with(seed000, "the Financial Times reported, citing sources")
    assert claim.attribution is not None
    assert claim.attribution.kind == "anonymous"
    assert claim.attribution.via == ("Financial Times",)
    publication = claim_with(seed000, "According to the publication's sources")
    assert publication.attribution is not None
    assert publication.attribution.via == ("Financial Times",)


# ------------------------------------------------------------------------------------ seed 004


@pytest.fixture(scope="module")
def seed004(lexicon: Lexicon) -> ExtractedArticle:
    return seed("004", lexicon)


def test_seed004_foreign_ministry_quotes(seed004: ExtractedArticle) -> None:
    opening = claim_with(seed004, "According to Reuters, the ministry said")
    speaker = quote_with(opening, "All such units").speaker
    assert speaker is not None
    assert speaker.name == "Russian Foreign Ministry"
    assert speaker.via == ("Reuters",)
    # news style: each continued paragraph re-opens the quote without closing the last
    for words in ("The fresh militaristic declarations", "The plans of these participants"):
        claim = claim_with(seed004, words)
        assert claim.quotes[0].speaker == speaker
        assert claim.attribution == speaker
    combat = claim_with(seed004, "according to the Russian foreign ministry")
    assert quote_with(combat, "legitimate combat targets").speaker.name == (
        "Russian Foreign Ministry"
    )


def test_seed004_zakharova_and_voice(seed004: ExtractedArticle) -> None:
    claim = claim_with(seed004, "Maria Zakharova described")
    quote = quote_with(claim, "axis of war")
    assert quote.speaker is not None and quote.speaker.name == "Maria Zakharova"
    assert quote.speaker.role == "foreign ministry spokesperson"
    assert quote.partial
    assert [f.voice for f in claim.framing if f.term == "axis of war"] == ["quote"]
    beleaguered = claim_with(seed004, "beleaguered country")
    assert [(f.concept, f.voice) for f in beleaguered.framing if f.term == "beleaguered"] == [
        ("sympathy", "outlet")
    ]
    regime = claim_with(seed004, "the Kyiv regime")
    assert [f.voice for f in regime.framing if f.term == "Kyiv regime"] == ["quote"]


def test_seed004_headline_and_thousands(seed004: ExtractedArticle) -> None:
    assert seed004.headline is not None
    assert seed004.headline.text == SEED_TITLES["004"]
    claim = claim_with(seed004, "thousands of troops")
    (troops,) = [q for q in claim.quantities if q.unit == "troop"]
    assert troops.approximate and troops.relation == "at-least"
    assert claim.attribution is not None and claim.attribution.name == "Emmanuel Macron"


# ------------------------------------------------------------------------------------ seed 002


@pytest.fixture(scope="module")
def seed002(lexicon: Lexicon) -> ExtractedArticle:
    return seed("002", lexicon)


def test_seed002_quantities_and_dictator(seed002: ExtractedArticle) -> None:
    army = claim_with(seed002, "800,000-strong")
    assert [(q.value, q.unit) for q in army.quantities] == [(800000.0, "troop")]
    days = claim_with(seed002, "within a few days")
    (few,) = days.quantities
    assert (few.value, few.unit, few.relation, few.approximate) == (72.0, "hour", "within", True)
    dictator = claim_with(seed002, "Russian dictator")
    assert [(f.concept, f.voice) for f in dictator.framing if f.term == "dictator"] == [
        ("legitimacy", "outlet")
    ]
    bloomberg = claim_with(seed002, "reported by Bloomberg")
    assert bloomberg.attribution is not None
    assert bloomberg.attribution.kind == "anonymous"
    assert bloomberg.attribution.via == ("Bloomberg",)


# ------------------------------------------------------------------------------- all seeds


def test_all_seeds_claims_are_consistent(lexicon: Lexicon) -> None:
    for number in ("000", "001", "002", "003", "004"):
        extracted = seed(number, lexicon)
        claims = extracted.claims
        assert claims, number
        assert [c.index for c in claims] == list(range(len(claims)))
        assert all(c.id == f"{number}#{c.index}" for c in claims)
        kinds = [c.kind for c in claims]
        if "headline" in kinds:
            assert kinds.index("headline") == 0
        for claim in claims:
            assert claim.span.of(extracted.article.text).startswith(claim.text[:20])
        text = render_claims(extracted)
        assert f"{len(claims)} claims" in text


def test_speed_figure_is_printed(lexicon: Lexicon, capsys: pytest.CaptureFixture[str]) -> None:
    """Not a threshold: the figure is printed for the report (run with -s to see it)."""
    articles = [seed(n, lexicon) for n in ("000", "001", "002", "003", "004")]
    translated = [a.translated for a in articles]
    start = time.perf_counter()
    again = extract_articles(translated, lexicon)
    elapsed = time.perf_counter() - start
    count = sum(len(a.claims) for a in again)
    with capsys.disabled():
        print(f"\nextract: {count} claims in {elapsed:.3f}s ({count / elapsed:.0f} claims/s)")
    assert again == tuple(articles)  # deterministic


# ------------------------------------------------------------------ quotes across claims


def test_quote_open_across_paragraphs_news_style(lexicon: Lexicon) -> None:
    text = (
        "The health minister, Ana Costa, gave a statement on Friday.\n"
        "“Hospitals will receive the funds this month. Nobody will be left behind.\n"
        "“We have heard the nurses and we will act,” Costa said.\n"
        "The opposition was not convinced."
    )
    extracted = extract_text(text, lexicon)
    quoted = [c for c in extracted.claims if c.quotes]
    assert len(quoted) == 3
    speakers = {q.speaker.name if q.speaker else None for c in quoted for q in c.quotes}
    assert speakers == {"Ana Costa"}
    last = extracted.claims[-1]
    assert not last.quotes and last.attribution is None


def test_stray_open_mark_stops_at_paragraph_end(lexicon: Lexicon) -> None:
    text = "The mayor said “the bridge will open in May.\nTraffic fell by 20% last year."
    extracted = extract_text(text, lexicon)
    assert extracted.claims[0].quotes
    assert extracted.claims[1].quotes == ()


def test_split_quote_around_attribution(lexicon: Lexicon) -> None:
    text = (
        '"As soon as a deal is reached, troops will arrive," the general said. '
        '"Nobody should doubt it."'
    )
    extracted = extract_text(text, lexicon)
    first, second = extracted.claims
    assert first.quotes[0].speaker is not None
    assert first.quotes[0].speaker.name == "general"
    assert second.quotes[0].speaker == first.quotes[0].speaker


def test_greek_untranslated_segment_with_greek_lexicon(lexicon: Lexicon) -> None:
    text = "Ο Ρούτε δήλωσε ότι «το ΝΑΤΟ είναι έτοιμο να στείλει στρατό»."
    extracted = extract_text(text, lexicon, languages=["el"])
    (claim,) = extracted.claims
    assert claim.status == "untranslated"
    assert claim.attribution is not None and claim.attribution.name == "Mark Rutte"
    assert claim.quotes[0].speaker == claim.attribution
    assert "Mark Rutte" in {e.canonical for e in claim.entities}


def test_user_lexicon_adds_a_language(tmp_path: Path) -> None:
    extra = tmp_path / "de.yaml"
    extra.write_text(
        "reporting_verbs:\n  de:\n    sagen: {certainty: 0.9, forms: [sagte]}\n"
        "markers:\n  de:\n    hedge: {angeblich: 0.3}\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon([extra])
    extracted = extract_text(
        "Scholz sagte, die Truppen seien angeblich bereit.", lexicon, languages=["de"]
    )
    (claim,) = extracted.claims
    assert claim.attribution is not None and claim.attribution.name == "Olaf Scholz"
    assert [(m.term, m.kind) for m in claim.markers] == [("angeblich", "hedge")]
    assert claim.certainty == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("verbs:\n  en: {}\n", "unknown lexicon section"),
        ("reporting_verbs: [1, 2\n", "not valid YAML"),
        ("- just a list\n", "mapping of sections"),
        ("entities: {a: 1}\n", "must be a list"),
    ],
)
def test_bad_user_lexicon_is_refused(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_lexicon([bad])


def test_missing_user_lexicon(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the lexicon file"):
        load_lexicon([tmp_path / "nope.yaml"])
