"""What every report says besides findings: the comparison mode, articles not compared,
untranslated parts; article names as outlet·short id; passages cut so no row fills a screen."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_report_sample import sample_result

from fidelity.report import render_html, render_markdown, render_text, to_document
from fidelity.report.view import (
    ResultIndex,
    clip_passage,
    comparison,
    comparison_mode,
    not_compared,
    short_ids,
)
from fidelity.types import ComparisonResult, ExtractedArticle, FidelityScore, Span, Story


def _copy(extracted: ExtractedArticle, **changes: object) -> ExtractedArticle:
    article = replace(extracted.article, **changes)  # type: ignore[arg-type]
    detected = replace(extracted.translated.detected, article=article)
    return replace(extracted, translated=replace(extracted.translated, detected=detected))


def _with_lone_article(result: ComparisonResult) -> ComparisonResult:
    lone = _copy(result.articles[-1], id="lone", outlet="Lone Gazette", role="derived")
    stories = (*result.alignment.stories, Story("s2", ("lone",), "shares 3% of facts"))
    return replace(
        result,
        articles=(*result.articles, lone),
        alignment=replace(result.alignment, stories=stories),
    )


def test_tags_are_outlet_and_a_short_unique_id() -> None:
    result = sample_result()
    index = ResultIndex(result)
    tags = [index.tag(x.article.id) for x in result.articles]
    assert len(set(tags)) == len(tags)
    for extracted, tag in zip(result.articles, tags, strict=True):
        outlet, short = tag.split("·")
        assert outlet == extracted.article.label
        assert len(short) == 4 and int(short, 16) >= 0
    claim = result.articles[0].claims[1]
    assert index.claim_tag(claim.id) == f"{tags[0]} #{claim.id.rpartition('#')[2]}"


def test_short_ids_grow_until_unique() -> None:
    ids = [f"article-{n}" for n in range(3000)]  # 4 hex digits would collide
    short = short_ids(ids)
    assert len(set(short.values())) == len(ids)
    assert min(len(s) for s in short.values()) >= 4


def test_an_article_without_outlet_keeps_its_name() -> None:
    result = sample_result()
    anonymous = _copy(result.articles[0], outlet=None, site=None)
    result = replace(result, articles=(anonymous, *result.articles[1:]))
    assert ResultIndex(result).tag(anonymous.article.id) == anonymous.article.id


def test_lone_article_is_listed_with_reason_and_hint_in_every_format() -> None:
    result = _with_lone_article(sample_result())
    (item,) = not_compared(result)
    assert item.article_id == "lone"
    assert item.reason == "alone in its story s2: shares 3% of facts"
    assert "--one-story" in item.hint
    tag = ResultIndex(result).tag("lone")
    flat = {
        "terminal": " ".join(render_text(result).split()),
        "md": " ".join(render_markdown(result).split()),
        "html": " ".join(render_html(result).split()),
    }
    for fmt, text in flat.items():
        assert tag in text, fmt
        assert "alone in its story s2" in text, fmt
        assert "--one-story" in text, fmt
    assert to_document(result)["not_compared"] == [
        {"article_id": "lone", "reason": item.reason, "hint": item.hint}
    ]


def test_scored_and_source_articles_are_compared() -> None:
    assert not_compared(sample_result()) == []


def test_article_outside_the_references_story() -> None:
    result = sample_result()
    other = _copy(result.articles[-1], id="other", outlet="Other Times")
    stories = (
        *result.alignment.stories,
        Story("s2", ("other", "lone2"), "grouped"),
    )
    result = replace(
        result,
        articles=(*result.articles, other),
        alignment=replace(result.alignment, stories=stories),
    )
    (item,) = not_compared(result)
    assert item.article_id == "other"
    assert item.reason.startswith("not in the story of the reference Wire Service·")
    assert "it is in s2" in item.reason


def test_comparison_modes() -> None:
    result = sample_result()
    assert result.reference_id is not None
    assert comparison(result)["mode"] == "reference"
    sources = replace(result, reference_id=None)  # the wire keeps role: source
    mode = comparison(sources)
    assert mode["mode"] == "sources"
    assert mode["text"] == "measured against the sources: Wire Service"
    derived_only = replace(
        sources,
        articles=tuple(_copy(x, role="derived") for x in sources.articles),
    )
    assert comparison(derived_only)["mode"] == "consensus"
    assert comparison_mode(derived_only).startswith("consensus")


def test_sources_and_a_story_without_one() -> None:
    result = _with_lone_article(replace(sample_result(), reference_id=None))
    second = _copy(result.articles[1], id="second", outlet="Second Post")
    stories = (*result.alignment.stories[:1], Story("s2", ("lone", "second"), "grouped"))
    result = replace(
        result,
        articles=(*result.articles, second),
        alignment=replace(result.alignment, stories=stories),
    )
    mode = comparison(result)
    assert mode["consensus_stories"] == ["s2"]
    assert mode["text"].endswith("; by consensus of the outlets in s2 (no source)")


@given(
    st.text(alphabet="ab ", min_size=0, max_size=400),
    st.integers(min_value=0, max_value=399),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=20, max_value=200),
)
@example(" " + "a" * 20, 0, 1, 20)  # a highlight of a space at the start: stripped with it
@example(" " + "a" * 20, 0, 3, 20)  # ' aa': the words are kept
def test_clip_keeps_the_changed_words_and_the_limit(
    text: str, start: int, length: int, limit: int
) -> None:
    start = min(start, len(text))
    end = min(start + length, len(text))
    spans = (Span(start, end),) if start < end else ()
    clipped, moved, cut = clip_passage(text, spans, limit)
    assert cut == (len(text) > limit)
    assert len(clipped) <= limit + 2  # the two ellipses
    if not cut:
        assert clipped == text and moved == spans
        return
    for span in moved:
        assert 0 <= span.start < span.end <= len(clipped)
        assert clipped[span.start : span.end] in text[start:end]
    changed = text[start:end].strip()  # spaces at a highlight's edges may fall at a cut
    if changed and end - start <= limit // 3:
        kept = "".join(clipped[s.start : s.end] for s in moved)
        assert moved and kept.strip() == changed


def test_terminal_rows_stay_short_and_passages_are_cut() -> None:
    result = sample_result()
    huge = _copy(result.articles[0], outlet="Very Long Outlet Name " * 40)
    long_text = "A long preamble of words " * 60 + "the key change" + " and more words" * 60
    claim = replace(huge.claims[1], text=long_text)
    huge = replace(huge, claims=(huge.claims[0], claim, *huge.claims[2:]))
    first = result.findings[0]
    finding = replace(
        first,
        derived=replace(
            first.derived,
            claim_id=claim.id,
            text=long_text,
            highlight=(Span(long_text.index("the key"), long_text.index("the key") + 14),),
        ),
    )
    scores = tuple(
        replace(s, compared_with=tuple(f"x{n}" for n in range(200))) for s in result.scores
    )
    result = replace(
        result,
        articles=(huge, *result.articles[1:]),
        findings=(finding, *result.findings[1:]),
        scores=scores,
    )
    text = render_text(result, width=100)
    table = text[: text.index("Cluster")]
    for line in table.splitlines():
        assert len(line) <= 100
    # no table row spans more than 20 lines: count the lines from one row's start to the next
    body = table.splitlines()
    header = next(i for i, line in enumerate(body) if line.startswith("|---"))
    end = next(i for i, line in enumerate(body) if i > header and line.startswith("+"))
    starts = [i for i in range(header + 1, end) if body[i][1:2].strip()]
    assert len(starts) == len(result.scores)
    assert max(b - a for a, b in itertools.pairwise([*starts, end])) <= 20
    assert "*the key change*" in " ".join(text.split())
    assert "…" in text
    assert "-v or --format html shows them whole" in text
    whole = render_text(result, width=100, full=True)
    assert long_text[-40:] in " ".join(whole.split()) and "shows them whole" not in whole


@pytest.mark.parametrize("top", [1, 3])
def test_top_in_the_terminal_keeps_the_most_severe(top: int) -> None:
    result = sample_result()
    text = render_text(result, top=top)
    shown = [f for f in result.findings if f.id in text]
    assert len(shown) == top
    assert all(f.severity == "high" for f in shown[:1])
    assert f"{len(result.findings) - top} more findings not shown (--top {top})" in text


def test_scores_with_no_findings_still_fit() -> None:
    result = sample_result()
    one = replace(result, scores=(FidelityScore("wire", "Wire Service", 100.0, {}, ()),))
    assert "Wire Service·" in render_text(one)


def test_a_source_alone_in_its_story_is_not_named_as_measured_against() -> None:
    """Found on fixtures/real: of two sources, one ended in a story of its own."""
    result = replace(sample_result(), reference_id=None)
    lone = _copy(result.articles[0], id="lone-source", outlet="Agency", role="source")
    stories = (*result.alignment.stories, Story("s2", ("lone-source",), "shares 5% of facts"))
    result = replace(
        result,
        articles=(*result.articles, lone),
        alignment=replace(result.alignment, stories=stories),
    )
    assert comparison(result)["text"] == "measured against the sources: Wire Service"
    (item,) = not_compared(result)
    assert item.article_id == "lone-source"
    assert item.reason.startswith("alone in its story s2")


def test_two_articles_of_one_outlet_are_told_apart() -> None:
    result = sample_result()
    twin = _copy(result.articles[-1], id="daily-blast-2")
    result = replace(result, articles=(*result.articles, twin))
    index = ResultIndex(result)
    first = result.articles[-2].article
    assert first.label == twin.article.label
    assert index.name(first.id) != index.name(twin.article.id)
    assert index.name(first.id) == index.tag(first.id)
    assert index.name("wire") == "Wire Service"  # one article of its outlet: the name alone
