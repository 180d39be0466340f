"""The renderers on real pipeline results: the seed articles and the hostile fixture pair."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from test_report_html import TEMPLATE_TAGS, Page

from fidelity.report import (
    render_html,
    render_json,
    render_markdown,
    render_text,
    schema,
    write_report,
)
from fidelity.report.browser import find_chromium, load_page
from fidelity.report.view import ResultIndex
from fidelity.types import ComparisonResult

ROOT = Path(__file__).resolve().parent.parent


def _compare(folder: Path, home: Path) -> ComparisonResult:
    from fidelity.pipeline import compare

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIDELITY_HOME", str(home))
        return compare([folder])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> ComparisonResult:
    return _compare(ROOT / "seeds", tmp_path_factory.mktemp("home"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> ComparisonResult:
    return _compare(ROOT / "fixtures" / "hostile", tmp_path_factory.mktemp("home"))


@pytest.mark.parametrize("name", ["seeds", "hostile"])
def test_json_validates_and_spans_match(name: str, request: pytest.FixtureRequest) -> None:
    result: ComparisonResult = request.getfixturevalue(name)
    document = json.loads(render_json(result))
    jsonschema.Draft202012Validator(schema()).validate(document)
    texts = {a["id"]: a["text"] for a in document["articles"]}
    for finding in document["findings"]:
        for side in (finding["derived"], finding["reference"]):
            if side is not None:
                span = side["span"]
                assert texts[side["article_id"]][span["start"] : span["end"]] == span["text"]
    assert len({f["id"] for f in document["findings"]}) == len(document["findings"])


def test_seeds_report_shows_every_scored_outlet(seeds: ComparisonResult) -> None:
    assert seeds.findings, "the seed articles diverge; the pipeline should find something"
    text = render_text(seeds)
    markdown = render_markdown(seeds)
    index = ResultIndex(seeds)
    for score in seeds.scores:
        tag = index.tag(score.article_id)
        assert tag.startswith(score.outlet + "·")
        assert tag in text
        assert score.article_id not in text  # people read outlet·short id, not the long id
        assert re.search(rf"^\| {re.escape(tag)}[^|]* \| {score.score:.0f} \|", markdown, re.M)
    assert text.rstrip().splitlines()[-1].startswith(f"{len(seeds.findings)} findings")


def test_seeds_html_links_resolve(seeds: ComparisonResult) -> None:
    page = Page(render_html(seeds))
    ids = page.ids()
    hrefs = [a["href"] for a in page.all("a") if (a.get("href") or "").startswith("#")]
    assert hrefs
    assert all(h is not None and h[1:] in ids for h in hrefs)
    # every removed stretch of boilerplate is shown, struck through
    removed = sum(len(x.article.removed) for x in seeds.articles)
    struck = [a for a in page.all("del") if a.get("class") == "boilerplate"]
    assert len(struck) >= removed


def test_hostile_articles_through_the_pipeline_stay_inert(hostile: ComparisonResult) -> None:
    assert [x.article.origin.rsplit("/", 1)[-1] for x in hostile.articles] == [
        "derived.md",
        "source.md",
    ]
    assert hostile.findings, "the derived sentences are close retellings; they should align"
    page = Page(render_html(hostile))
    for tag, attrs in page.tags:
        assert tag in TEMPLATE_TAGS, tag
        assert not any(name.startswith("on") for name in attrs)
    assert len(page.scripts) == 2
    assert "\x1b" not in render_text(hostile)
    markdown = render_markdown(hostile)
    assert set(re.findall(r"<(/?\w+)", markdown)) <= {"sub", "/sub"}


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")
@pytest.mark.parametrize("name", ["seeds", "hostile"])
def test_real_report_in_the_browser(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    result: ComparisonResult = request.getfixturevalue(name)
    run = load_page(write_report(render_html(result), tmp_path / f"{name}.html"))
    assert run.console == ()
    root = re.search(r"<html[^>]*>", run.dom)
    assert root is not None
    assert 'data-fidelity-ready="1.0"' in root.group()
    assert "data-pwned" not in root.group()
