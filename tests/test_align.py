"""The align stage: stories, claim alignments, quote matches, clusters, unmatched claims.

Articles are built from real sentences (one claim per sentence, split by the shared splitter);
quantities come from the real quantity extractor, and the other anchors from the numbers, names
and quotation marks in the text, as the extractor would give them. The embedder is the real
all-MiniLM-L6-v2, loaded once for the module.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from fidelity.align import AlignConfig, align_articles
from fidelity.align.clusters import cluster_claims
from fidelity.align.features import UnitConflicts, claim_anchors, claim_features, normalise
from fidelity.align.pairs import anchor_incidence
from fidelity.embed import Embedder, make_embedder
from fidelity.extract import load_lexicon
from fidelity.extract.quantities import QuantityFinder
from fidelity.text.sentences import split_sentences
from fidelity.types import (
    Alignment,
    AlignmentResult,
    Article,
    Claim,
    DetectedArticle,
    Entity,
    ExtractedArticle,
    PivotSegment,
    Provenance,
    Quantity,
    Segment,
    Span,
    TranslatedArticle,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Sentences about other matters, so that each test article has a realistic background and
# the rarity of an anchor means something.
FILLER_A = (
    "The city council approved a new budget for public libraries on Monday.",
    "A marathon through the old town drew a record number of runners.",
    "Forecasters expect heavy snowfall across the northern mountains this week.",
    "The national football team named a new coach after a string of defeats.",
)
FILLER_B = (
    "A new exhibition of modern sculpture opened at the city museum.",
    "Ticket prices for the summer music festival rose for the first time in years.",
    "The zoo welcomed two panda cubs born last month.",
    "Scientists reported the discovery of a new species of beetle in a nature reserve.",
)


LEXICON = load_lexicon()


def make_article(
    article_id: str,
    sentences: Sequence[str],
    *,
    untranslated: bool = False,
    language: str = "en",
) -> ExtractedArticle:
    """One claim per sentence of ``sentences`` (joined as paragraphs)."""
    text = "\n\n".join(sentences)
    spans = split_sentences(text)
    article = Article(id=article_id, origin=f"{article_id}.txt", text=text)
    segments = tuple(
        Segment(index=i, span=s, paragraph=i, language=language, confidence=1.0)
        for i, s in enumerate(spans)
    )
    detected = DetectedArticle(article, language, ((language, 1.0),), segments)
    status = "untranslated" if untranslated else "original"
    quantities = QuantityFinder(LEXICON.language(language if untranslated else "en"))
    provenance = Provenance(engine="none" if untranslated else "identity", status=status)
    translated = TranslatedArticle(
        detected, "en", tuple(PivotSegment(s, s.span.of(text), provenance) for s in segments)
    )
    claims = tuple(
        Claim(
            id=f"{article_id}#{i}",
            article_id=article_id,
            index=i,
            kind="lede" if i == 0 else "body",
            span=span,
            text=span.of(text),
            status=status,
            quantities=tuple(quantities.find(span.of(text), None)),
        )
        for i, span in enumerate(spans)
    )
    return ExtractedArticle(translated, claims)


def seed_article(prefix: str) -> ExtractedArticle:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return make_article(prefix, lines)


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    made = make_embedder("minilm", tmp_path_factory.mktemp("embeddings"))
    assert made is not None
    return made


@pytest.fixture(scope="module")
def seeds() -> list[ExtractedArticle]:
    return [seed_article(p) for p in ("000", "001", "002", "003", "004")]


@pytest.fixture(scope="module")
def seeds_one_story(seeds: list[ExtractedArticle], embedder: Embedder) -> AlignmentResult:
    return align_articles(seeds, embedder=embedder, one_story=True)


def claims_with(articles: Sequence[ExtractedArticle], article_id: str, pattern: str) -> set[str]:
    found = {
        c.id
        for a in articles
        if a.article.id == article_id
        for c in a.claims
        if re.search(pattern, c.text)
    }
    assert found, f"no claim of {article_id} matches {pattern!r}"
    return found


def linked(result: AlignmentResult, left: set[str], right: set[str]) -> list[Alignment]:
    return [
        a
        for a in result.alignments
        if (a.left in left and a.right in right) or (a.left in right and a.right in left)
    ]


def same_cluster(result: AlignmentResult, left: set[str], right: set[str]) -> bool:
    return any(left & set(c.claim_ids) and right & set(c.claim_ids) for c in result.clusters)


def pair_result(
    left: str | Sequence[str],
    right: str | Sequence[str],
    embedder: Embedder | None,
    **kwargs: bool,
) -> AlignmentResult:
    lefts = [left] if isinstance(left, str) else list(left)
    rights = [right] if isinstance(right, str) else list(right)
    a = make_article("a", [*lefts, *FILLER_A], untranslated=kwargs.get("left_untranslated", False))
    b = make_article("b", [*rights, *FILLER_B])
    return align_articles([a, b], embedder=embedder, one_story=True)


def aligned(result: AlignmentResult, left_index: int, right_index: int) -> Alignment | None:
    want = {f"a#{left_index}", f"b#{right_index}"}
    return next((a for a in result.alignments if {a.left, a.right} == want), None)


# ----------------------------------------------------------------------------------- seeds


def test_rutte_quote_is_aligned_across_000_001_003(
    seeds: list[ExtractedArticle], seeds_one_story: AlignmentResult
) -> None:
    quote = claims_with(seeds, "000", r"As soon as a peace agreement is reached")
    in_001 = claims_with(seeds, "001", r"Rutte said that the ground, air, and naval forces")
    in_003 = claims_with(seeds, "003", r"will deploy forces across Ukraine")
    # 000 quotes Rutte without naming him in the sentence ("the Secretary General stated");
    # 003 and 001 paraphrase him. One fact, one cluster, linked pair by pair.
    assert linked(seeds_one_story, quote, in_003)
    assert linked(seeds_one_story, in_001, in_003)
    assert same_cluster(seeds_one_story, quote, in_001)
    assert same_cluster(seeds_one_story, quote, in_003)


LEGITIMATE_TARGETS = {
    "000": r"legitimate target",
    "001": r"legitimate targets",
    "003": r"could be targets",
    "004": r"legitimate combat targets",
}


def target_statements(seeds: list[ExtractedArticle]) -> dict[str, set[str]]:
    return {a: claims_with(seeds, a, pattern) for a, pattern in LEGITIMATE_TARGETS.items()}


def test_legitimate_target_statements_align_across_outlets(
    seeds: list[ExtractedArticle], seeds_one_story: AlignmentResult
) -> None:
    statements = target_statements(seeds)
    for x, y in itertools.combinations(["000", "001", "004"], 2):
        assert linked(seeds_one_story, statements[x], statements[y]), (x, y)
    cluster = next(
        set(c.claim_ids) for c in seeds_one_story.clusters if statements["004"] & set(c.claim_ids)
    )
    assert statements["000"] & cluster and statements["001"] & cluster
    # Medvedev (000), Putin (001) and the foreign ministry (004) remain separate claims: the
    # alignment is between statements; the speakers are the scoring stage's business.
    assert len(set().union(*statements.values())) >= 7


@pytest.mark.xfail(
    reason="003 words it loosely ('foreign boots ... could be targets for future Russian "
    "action'): cosine 0.62-0.71 with the others, no shared number or quote; confidence "
    "0.34-0.47, below the calibrated 0.5. Tried on fixtures/eval and not adopted: the rare "
    "lemmas it shares (target, foreign, warn) as an idf-weighted term lift it at a weight "
    "that aligns 13 more labelled pairs and 9 more unlabelled ones; a neighbouring-sentence "
    "term adds more unlabelled than labelled pairs",
    strict=True,
)
def test_legitimate_target_statement_of_003_aligns_too(
    seeds: list[ExtractedArticle], seeds_one_story: AlignmentResult
) -> None:
    statements = target_statements(seeds)
    others = set().union(*(ids for a, ids in statements.items() if a != "003"))
    assert linked(seeds_one_story, statements["003"], others)


def test_seed_stories_keep_002_apart_from_the_ft_story(
    seeds: list[ExtractedArticle], embedder: Embedder
) -> None:
    result = align_articles(seeds, embedder=embedder)
    story_of = {a: s.id for s in result.stories for a in s.article_ids}
    assert story_of["000"] == story_of["001"]
    assert story_of["002"] != story_of["000"]
    assert all(s.reason for s in result.stories)
    for al in result.alignments:  # claims of different stories are never aligned
        assert story_of[al.left.split("#")[0]] == story_of[al.right.split("#")[0]]


# 003 joining the FT story and 004 staying apart: tests/test_stories.py (real extraction).


# ------------------------------------------------------------------------- paraphrase pairs

PARAPHRASES = [
    pytest.param(
        "In the first 24 hours following a hypothetical ceasefire violation, Western countries "
        "would issue only a diplomatic warning, while only the Ukrainian Armed Forces would "
        "take actual action.",
        "Three people familiar with the matter told the outlet that the counter-measures would "
        "come within 24 hours, starting with a diplomatic warning and engagement by the "
        "Ukrainian military.",
        id="24-hours-warning",
    ),
    pytest.param(
        "The crown firmed 0.4% to 24.95 per euro.",
        "The crown strengthened 0.4% to 24.95 per euro after the decision.",
        id="synonym-verb",
    ),
    pytest.param(
        "Officials said the bridge would stay closed until Friday for repairs.",
        "The bridge will remain shut for repair work until Friday, officials said.",
        id="reordered-passive",
    ),
    pytest.param(
        "Severn Vale pleaded guilty in January to 34 offences under environmental permitting "
        "rules.",
        "In January Severn Vale admitted 34 offences of breaching its environmental permits.",
        id="admitted-offences",
    ),
    pytest.param(
        "The Kremlin said on Monday that Russia is seeking a full-fledged peace rather than a "
        "temporary truce.",
        "Russia wants lasting peace, not a temporary truce, the Kremlin said.",
        id="condensed",
    ),
    pytest.param(
        "Average annual air temperatures in Yakutia have risen by 2.8C over the past "
        "half-century, according to Roshydromet.",
        "Air temperatures in Yakutia have risen by 2.8 degrees in 50 years, Roshydromet says.",
        id="units-rephrased",
    ),
    pytest.param(
        "The union is demanding that at least 250 drivers and technicians be hired.",
        "The union wants at least 150 drivers and technicians to be hired.",
        id="changed-number-still-same-fact",
    ),
    pytest.param(
        "Veltron said all 320 workers it has already hired at the Dresden plant keep their jobs.",
        "None of the 320 people already hired at the Dresden plant will lose their jobs.",
        id="same-count-of-people-other-noun",
    ),
    pytest.param(
        "The wildfire north of Kamloops has destroyed 40 homes, officials said.",
        "Forty families north of Kamloops lost their homes to the wildfire.",
        id="same-count-other-noun-that-names-the-first",
    ),
]

NEAR_MISSES = [
    pytest.param(
        "The central bank cut its main interest rate to 3.25% on Thursday.",
        "The central bank will publish the minutes of Thursday's meeting on March 20.",
        id="same-bank-other-fact",
    ),
    pytest.param(
        "Rutte said Ukraine needs binding commitments and security guarantees.",
        "Rutte said Russia's full-scale invasion, launched in February 2022, was crazy.",
        id="same-speaker-other-fact",
    ),
    pytest.param(
        "Three patients have been admitted to intensive care.",
        "Three new vaccination clinics have been opened in Seville.",
        id="same-number-other-fact",
    ),
    pytest.param(
        "The fire has destroyed 40 homes north of Kamloops.",
        "The fire service has 40 helicopters on standby north of Kamloops.",
        id="same-number-and-place-other-fact",
    ),
    pytest.param(
        "The ministry said it has already approved 120 new hires.",
        "The ministry said it has already closed 120 rural schools.",
        id="same-frame-other-object",
    ),
]


@pytest.mark.parametrize(("left", "right"), PARAPHRASES)
def test_paraphrases_align(left: str, right: str, embedder: Embedder) -> None:
    result = pair_result(left, right, embedder)
    assert aligned(result, 0, 0) is not None


@pytest.mark.parametrize(("left", "right"), NEAR_MISSES)
def test_near_misses_do_not_align(left: str, right: str, embedder: Embedder) -> None:
    result = pair_result(left, right, embedder)
    assert aligned(result, 0, 0) is None
    assert "a#0" in result.unmatched and "b#0" in result.unmatched


@pytest.mark.parametrize(("left", "right"), PARAPHRASES[1:4])
def test_close_paraphrases_align_without_embeddings(left: str, right: str) -> None:
    result = pair_result(left, right, None)
    match = aligned(result, 0, 0)
    assert match is not None
    assert match.cosine is None


def test_filler_sentences_do_not_align_with_each_other(embedder: Embedder) -> None:
    result = pair_result(PARAPHRASES[2].values[0], PARAPHRASES[2].values[1], embedder)
    assert [(a.left, a.right) for a in result.alignments] == [("a#0", "b#0")]


# --------------------------------------------------------------------------- many to many


def test_one_sentence_summarising_two_aligns_with_both(embedder: Embedder) -> None:
    result = pair_result(
        "The wildfire north of Kamloops has destroyed 40 homes and forced about 3,400 people "
        "to leave their houses.",
        [
            "About 3,400 residents north of Kamloops were ordered to evacuate.",
            "Officials said 40 homes have been destroyed by the wildfire.",
        ],
        embedder,
    )
    assert aligned(result, 0, 0) is not None
    assert aligned(result, 0, 1) is not None


def test_quote_split_over_two_sentences_aligns_with_both_halves(embedder: Embedder) -> None:
    result = pair_result(
        "“We are not pre-committing to any particular rate path, and if the data confirm that "
        "inflation is settling at our target, further easing could be appropriate,” Hradil said.",
        [
            "“We are not pre-committing to any particular rate path,” Hradil said.",
            "“If the data confirm that inflation is settling at our target, further easing could "
            "be appropriate,” he added.",
        ],
        embedder,
    )
    first, second = aligned(result, 0, 0), aligned(result, 0, 1)
    assert first is not None and second is not None
    assert first.quote_match == second.quote_match == "trimmed"


# ---------------------------------------------------------------------------------- quotes

QUOTES = [
    pytest.param(
        "“We are not pre-committing to any particular rate path,” Hradil said.",
        "Hradil told reporters: “We are not pre-committing to any particular rate path.”",
        "verbatim",
        id="verbatim",
    ),
    pytest.param(
        "“As soon as a peace agreement is reached, there will immediately be armed forces, "
        "aircraft in the air, and support at sea from those in NATO who have agreed,” Rutte "
        "said.",
        "Rutte said “there will immediately be armed forces, aircraft in the air” once a peace "
        "agreement is reached.",
        "trimmed",
        id="trimmed",
    ),
    pytest.param(
        "“If the data confirm that inflation is settling at our target, further easing could "
        "be appropriate,” Hradil said.",
        "“If the data confirm inflation is settling at target, further easing will be "
        "appropriate,” Hradil said.",
        "altered",
        id="altered",
    ),
    pytest.param(
        "“All such units and facilities will be considered legitimate combat targets of the "
        "Russian Armed Forces,” the ministry said.",
        "“Any such units will be treated as lawful targets by Russia’s army,” the ministry said.",
        "paraphrased-as-quote",
        id="paraphrased-as-quote",
    ),
]


@pytest.mark.parametrize(("left", "right", "kind"), QUOTES)
def test_quotes_align_with_quotes(left: str, right: str, kind: str, embedder: Embedder) -> None:
    result = pair_result(left, right, embedder)
    match = aligned(result, 0, 0)
    assert match is not None
    assert match.quote_match == kind
    assert any(label.startswith("“") for label in match.anchors)


def test_a_claim_without_quotes_has_no_quote_match(embedder: Embedder) -> None:
    result = pair_result(
        "Officials said the bridge would stay closed until Friday for repairs.",
        "The bridge will remain shut for repair work until Friday, officials said.",
        embedder,
    )
    match = aligned(result, 0, 0)
    assert match is not None and match.quote_match is None


# -------------------------------------------------------------------- untranslated anchors

ENGLISH_PLAN = (
    "Rutte said the first response would come within 24 hours and a coordinated military "
    "response within 72 hours."
)
UNTRANSLATED = [
    pytest.param(
        "Ο Ρούτε δήλωσε ότι η πρώτη αντίδραση θα έρθει μέσα σε 24 ώρες και η συντονισμένη "
        "στρατιωτική απάντηση μέσα σε 72 ώρες.",
        "el",
        id="greek",
    ),
    pytest.param(
        "Рютте заявил: «Первая реакция последует в течение 24 часов, а скоординированный "
        "военный ответ — в течение 72 часов».",
        "ru",
        id="russian",
    ),
]


@pytest.mark.parametrize(("sentence", "language"), UNTRANSLATED)
def test_untranslated_sentence_aligns_through_numbers_and_names(
    sentence: str, language: str, embedder: Embedder
) -> None:
    foreign = make_article(
        "a",
        [
            sentence,
            "Ένα άλλο θέμα χωρίς αριθμούς." if language == "el" else "Другая тема без чисел.",
        ],
        untranslated=True,
        language=language,
    )
    english = make_article(
        "b",
        [
            ENGLISH_PLAN,
            "Rutte also urged allies to share the burden more equally.",
            "The talks are due to resume in Abu Dhabi on Wednesday.",
            *FILLER_B,
        ],
    )
    result = align_articles([foreign, english], embedder=embedder, one_story=True)
    match = next(a for a in result.alignments if {a.left, a.right} == {"a#0", "b#0"})
    assert match.cosine is None  # the English-only model is never asked about Greek or Russian
    assert {"24", "72"} <= set(match.anchors)
    assert any("Rutte" in label and "/" in label for label in match.anchors)
    # A name alone is not enough: the other Rutte sentence is not aligned with it.
    assert not any({a.left, a.right} == {"a#0", "b#1"} for a in result.alignments)


def test_counts_of_different_things_conflict() -> None:
    """Equal numbers that count different things weigh against a pair; counts that one
    claim's words name in the other, or that both count people, do not."""
    a = make_article(
        "a",
        [
            "The fire has destroyed 40 homes north of Kamloops.",
            "All 320 workers will keep their jobs.",
            "Crews saved 12 barns near the river.",
        ],
    )
    b = make_article(
        "b",
        [
            "The fire service has 40 helicopters on standby.",
            "None of the 320 people hired will lose their jobs.",
            "Twelve farmers saved their barns near the river.",
        ],
    )
    features = claim_features([a, b])
    _, weighted, keys = anchor_incidence(features)
    every = slice(None)
    conflicts = UnitConflicts(features, weighted, keys).block(every, every)
    index = {f.claim.id: i for i, f in enumerate(features)}
    assert conflicts[index["a#0"], index["b#0"]] > 0  # homes, helicopters
    assert conflicts[index["b#0"], index["a#0"]] == conflicts[index["a#0"], index["b#0"]]
    assert conflicts[index["a#1"], index["b#1"]] == 0  # workers, people: both people
    assert conflicts[index["a#2"], index["b#2"]] == 0  # barns named on both sides
    untranslated = claim_features(
        [make_article("a", ["Сгорели 40 домов."], untranslated=True, language="ru"), b]
    )
    _, weighted, keys = anchor_incidence(untranslated)
    assert not UnitConflicts(untranslated, weighted, keys).block(every, every).any()
    # a block of rows and columns reads the same pairs as the whole
    _, weighted, keys = anchor_incidence(features)
    whole = UnitConflicts(features, weighted, keys)
    part = whole.block(np.asarray([index["a#0"], index["a#2"]]), slice(index["b#0"], None))
    assert part[0, 0] == conflicts[index["a#0"], index["b#0"]]
    assert part[1, 2] == conflicts[index["a#2"], index["b#2"]] == 0


def test_name_keys_fold_scripts_in_claim_anchors() -> None:
    def claim(text: str) -> Claim:
        return Claim(id="x#0", article_id="x", index=0, kind="body", span=Span(0, 1), text=text)

    latin = claim_anchors(claim("On Tuesday NATO chief Rutte spoke to parliament."))
    greek = claim_anchors(claim("Την Τρίτη ο Ρούτε μίλησε στη Βουλή."))
    cyrillic = claim_anchors(claim("Во вторник Рютте выступил в Раде."))
    rutte = {k for k in latin if k.startswith("e:") and latin[k] == "Rutte"}
    assert rutte and rutte <= set(greek) and rutte <= set(cyrillic)


def test_extracted_quantities_and_entities_are_anchors() -> None:
    text = "The fine was cut by a third to 18.5 million pounds, the judge in Birmingham said."
    claim = Claim(
        id="x#0",
        article_id="x",
        index=0,
        kind="body",
        span=Span(0, len(text)),
        text=text,
        quantities=(Quantity(Span(31, 35), 18.5, "million pound"),),
        entities=(Entity(Span(64, 74), "Birmingham", "place"),),
    )
    anchors = claim_anchors(claim)
    assert anchors["q:18.5 million pound"] == "18.5 million pound"
    assert anchors["n:18.5"] == "18.5"
    assert any(label == "Birmingham" for label in anchors.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Legitimate  targets,” he said.", "legitimate targets he said"),
        ("The army numbers 800,000 troops.", "the army numbers 800000 troops"),
        ("Rates fell to 3.25% — a record.", "rates fell to 3.25% a record"),
        ("«Законные цели», — заявил он.", "законные цели заявил он"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


# ------------------------------------------------------------------------------- clusters


def test_cluster_guard_stops_chaining_unrelated_claims() -> None:
    # A~B and B~C are confident, A and C have nothing in common.
    confidence = np.array([[0.0, 0.9, 0.0], [0.9, 0.0, 0.8], [0.0, 0.8, 0.0]])
    article = np.array([0, 1, 2])
    edges = [(0, 1), (1, 2)]
    assert cluster_claims(confidence, article, edges, link=0.6) == [[0, 1]]
    assert cluster_claims(confidence, article, edges, link=0.3) == [[0, 1, 2]]


def test_config_is_recorded_as_thresholds() -> None:
    config = AlignConfig()
    values = config.as_dict()
    assert values["align.accept"] == config.accept
    assert all(k.startswith("align.") and isinstance(v, float) for k, v in values.items())
    with pytest.raises(AttributeError):
        config.accept = 0.1  # type: ignore[misc]


def test_stricter_threshold_gives_fewer_alignments(
    seeds: list[ExtractedArticle], embedder: Embedder, seeds_one_story: AlignmentResult
) -> None:
    strict = align_articles(
        seeds, embedder=embedder, one_story=True, config=AlignConfig(accept=0.9)
    )
    assert 0 < len(strict.alignments) < len(seeds_one_story.alignments)
    assert all(a.confidence >= 0.9 for a in strict.alignments)


def test_empty_and_single_inputs() -> None:
    assert align_articles([], embedder=None) == AlignmentResult((), (), (), ())
    single = align_articles([make_article("a", FILLER_A)], embedder=None)
    assert len(single.stories) == 1 and not single.alignments
    assert set(single.unmatched) == {f"a#{i}" for i in range(len(FILLER_A))}


def test_replace_keeps_article_helper_honest() -> None:
    article = make_article("a", ["One sentence.", "Another sentence."])
    assert [c.span.of(article.article.text) for c in article.claims] == [
        "One sentence.",
        "Another sentence.",
    ]
    assert replace(article.claims[0], status="untranslated").status == "untranslated"


@pytest.mark.parametrize("embedded", [True, False], ids=["embeddings", "lexical"])
def test_small_blocks_give_the_same_alignment(
    seeds: list[ExtractedArticle],
    embedder: Embedder,
    monkeypatch: pytest.MonkeyPatch,
    embedded: bool,
) -> None:
    # A long article is aligned a slice of rows at a time; with blocks of a few pairs every
    # article is cut into many slices, and nothing may change: stories, pairs, signals,
    # quote matches, clusters.
    from fidelity.align import pairs, stories

    used = embedder if embedded else None
    whole = align_articles(seeds, embedder=used)
    monkeypatch.setattr(pairs, "BLOCK_ENTRIES", 50)
    monkeypatch.setattr(stories, "BLOCK_ENTRIES", 50)
    sliced = align_articles(seeds, embedder=used)
    assert len(whole.alignments) > 10
    assert sliced == whole
