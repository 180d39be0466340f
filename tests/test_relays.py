"""Relays: near-verbatim copies share the work, findings and score of what they copy."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from fidelity.pipeline import RunConfig, compare
from fidelity.relays import RelayConfig, find_relays, relay_finding_id
from fidelity.types import (
    Article,
    DetectedArticle,
    PivotSegment,
    Provenance,
    Segment,
    Span,
    TranslatedArticle,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synth import generate, write_markdown

WIRE = (
    "The central bank raised its key rate by 50 basis points to 4.25 percent on Tuesday, "
    "the third increase this year. Governor Anna Novak said the decision was unanimous and "
    'that "inflation remains far too high for comfort". Markets had expected a smaller step '
    "of 25 basis points, and the currency rose 1.2 percent against the euro after the news."
)


def translated(ident: str, text: str, *, role: str | None = None) -> TranslatedArticle:
    article = Article(id=ident, origin=f"{ident}.txt", text=text, role=role)  # type: ignore[arg-type]
    segment = Segment(index=0, span=Span(0, len(text)), paragraph=0, language="en", confidence=1)
    detected = DetectedArticle(article, "en", (("en", 1.0),), (segment,))
    identity = Provenance(engine="identity", status="original")
    return TranslatedArticle(detected, "en", (PivotSegment(segment, text, identity),))


@pytest.mark.parametrize(
    ("copy", "is_relay"),
    [
        (WIRE, True),  # verbatim
        (WIRE + " Reporting by the wire desk.", True),  # a credit line added
        ("By our wire desk. " + WIRE, True),  # a byline
        (WIRE.replace(" after the news.", "."), True),  # the end trimmed by three words
        (WIRE.replace("4.25", "4.75"), False),  # a changed figure is a divergence to find
        (WIRE.replace("raised", "cut"), False),  # so is any edit inside the text
        (WIRE.replace("Markets had", "Traders had"), False),  # even a harmless-looking one
        ("Rates soar. " + WIRE.split(". ", 1)[1], False),  # a rewritten opening
        (WIRE + " The governor resigned at 5 pm.", False),  # an added figure
        (" ".join(WIRE.split()[:30]), False),  # half of it: a different article
    ],
)
def test_relays_are_near_verbatim_copies_with_the_same_numbers(copy: str, is_relay: bool) -> None:
    relays = find_relays([translated("wire", WIRE), translated("copy", copy)])
    assert relays == ({"copy": "wire"} if is_relay else {})


def test_sources_and_the_reference_are_never_relays_and_copies_point_at_the_root() -> None:
    articles = [
        translated("a", WIRE),
        translated("b", WIRE),
        translated("src", WIRE, role="source"),
        translated("c", WIRE),
    ]
    # the source is visited first: every copy relays it, none relays another copy
    assert find_relays(articles) == {"a": "src", "b": "src", "c": "src"}
    assert find_relays(articles[:2], reference_id="b") == {"a": "b"}


def test_short_texts_are_never_relays() -> None:
    brief = "Rates rise by 50 points."
    assert find_relays([translated("a", brief), translated("b", brief)]) == {}
    assert RelayConfig().min_words > len(brief.split())


@pytest.fixture(scope="module")
def relayed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("relayed")
    write_markdown(generate(2, 6, sentences=16, seed=3, relays=0.5), folder)
    return folder


CONFIG = RunConfig(translator="identity", embedder="none", use_cache=False, jobs=1)


def test_a_relay_shares_the_findings_and_score_of_its_original(relayed: Path) -> None:
    result = compare([relayed], CONFIG)
    relays = {e.article.id: e.relay_of for e in result.articles if e.relay_of}
    assert relays, "the synthetic corpus has relays"
    scores = {s.article_id: s for s in result.scores}
    by_article: dict[str, set[str]] = {}
    for f in result.findings:
        by_article.setdefault(f.derived.article_id, set()).add(f.id)
    for relay, original in relays.items():
        assert scores[relay].score == scores[original].score
        assert scores[relay].compared_with == scores[original].compared_with
        assert by_article.get(relay, set()) == {
            relay_finding_id(relay, f) for f in by_article.get(original, set())
        }
        story = next(s for s in result.alignment.stories if original in s.article_ids)
        assert relay in story.article_ids
        assert f"{relay} relays {original}" in story.reason
    copied = [f for f in result.findings if f.derived.article_id in relays]
    assert copied, "some relay copies a finding"
    for f in copied:
        claim = next(c for e in result.articles for c in e.claims if c.id == f.derived.claim_id)
        assert f.derived.span == claim.span
        text = next(e.article.text for e in result.articles if e.article.id in f.derived.claim_id)
        assert " ".join(f.derived.span.of(text).split()) == " ".join(claim.text.split())
    assert compare([relayed], CONFIG).findings == result.findings  # deterministic


def test_relays_in_the_json_report_follow_the_schema(relayed: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from fidelity.report import render_html, render_json, render_markdown, render_text, schema

    result = compare([relayed], CONFIG)
    document = json.loads(render_json(result))
    jsonschema.validate(document, schema())
    marked = {a["id"]: a["relays"] for a in document["articles"] if "relays" in a}
    assert marked == {e.article.id: e.relay_of for e in result.articles if e.relay_of}
    for render in (render_markdown, render_html):
        assert "· relays Outlet" in render(result), render.__name__
    assert "· relays" in render_text(result)  # its table may wrap the cell after "relays"


def test_a_relay_of_a_source_scores_as_the_sources_copy(tmp_path: Path) -> None:
    articles = generate(1, 4, sentences=16, seed=5)
    write_markdown(articles, tmp_path)
    source = tmp_path / f"{articles[0].id}.md"
    source.write_text(source.read_text().replace("---\n", "---\nrole: source\n", 1))
    copy = tmp_path / "copy.md"
    copy.write_text(source.read_text().replace("role: source\n", "").replace("Outlet 1", "Wire"))
    with_relays = compare([tmp_path], CONFIG)
    without = compare([tmp_path], replace(CONFIG, relays=False))
    relay = next(e for e in with_relays.articles if e.article.id == "copy")
    assert relay.relay_of == articles[0].id
    assert not [f for f in with_relays.findings if f.derived.article_id == "copy"]
    scored = {s.article_id: s.score for s in with_relays.scores}
    scored_as_copy = {s.article_id: s.score for s in without.scores}
    assert scored["copy"] >= 95
    # read as an article, the copy is scored at least as well only by a faithful pipeline (a
    # headline figure the source's own body lacks costs the copy, not the source, 94.1 here)
    assert scored["copy"] >= scored_as_copy["copy"]


def test_without_relays_the_result_is_unchanged(tmp_path: Path) -> None:
    write_markdown(generate(2, 5, sentences=16, seed=3), tmp_path)
    on = compare([tmp_path], CONFIG)
    off = compare([tmp_path], replace(CONFIG, relays=False))
    assert not [e for e in on.articles if e.relay_of]
    assert on == off
