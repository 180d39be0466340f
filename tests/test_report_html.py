"""The HTML report: self-contained, escaped, linked, and usable without JavaScript."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from test_report_sample import hostile_result, sample_result

from fidelity.report import render_html, to_document
from fidelity.report.html_report import inline_json, safe_href
from fidelity.types import ComparisonResult

# Every element the template writes; article text must never add another.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "strong",
    "code", "nav", "a", "main", "section", "table", "thead", "tbody", "tr", "th", "td", "br",
    "meter", "small", "form", "fieldset", "legend", "label", "input", "span", "button", "output",
    "div", "ins", "del", "article", "figure", "figcaption", "blockquote", "mark", "footer",
    "details", "summary", "dl", "dt", "dd", "em", "ul", "li", "script",
}  # fmt: skip


class Page(HTMLParser):
    """Collects elements, attributes and script bodies of a rendered page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._open: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = tag
            if tag == "script":
                self.scripts.append((dict(attrs), ""))
            else:
                self.styles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        elif self._open == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}  # type: ignore[misc]

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def sample() -> ComparisonResult:
    return sample_result()


@pytest.fixture(scope="module")
def sample_page(sample: ComparisonResult) -> Page:
    return Page(render_html(sample))


@pytest.fixture(scope="module")
def hostile_html() -> str:
    return render_html(hostile_result())


def test_page_is_self_contained(sample_page: Page) -> None:
    for _, attrs in sample_page.tags:
        assert "src" not in attrs
        href = attrs.get("href")
        assert href is None or href.startswith(("#", "https://"))
    css = "".join(sample_page.styles)
    assert "@import" not in css
    assert "url(" not in css
    assert "@font-face" not in css
    assert [t for t, _ in sample_page.tags if t == "link"] == []


def test_csp_allows_exactly_the_inline_script_and_style(sample_page: Page) -> None:
    (csp,) = [
        a["content"]
        for a in sample_page.all("meta")
        if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp is not None
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp

    def digest(source: str) -> str:
        return base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()

    executable = [body for attrs, body in sample_page.scripts if attrs.get("type") is None]
    assert len(executable) == 1
    assert f"script-src 'sha256-{digest(executable[0])}'" in csp
    assert f"style-src 'sha256-{digest(sample_page.styles[0])}'" in csp


def test_embedded_json_is_the_canonical_document(
    sample: ComparisonResult, sample_page: Page
) -> None:
    (body,) = [b for a, b in sample_page.scripts if a.get("type") == "application/json"]
    assert json.loads(body) == json.loads(json.dumps(to_document(sample)))


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script>",
        "a & b > c",
        "line\u2028separator\u2029",
    ],
)
def test_inline_json_cannot_close_its_element(value: str) -> None:
    text = str(inline_json({"text": value}))
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"text": value}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://wire.example/a1", "https://wire.example/a1"),
        (" http://x.example/ ", "http://x.example/"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_urls_become_links(url: str | None, expected: str | None) -> None:
    assert safe_href(url) == expected


def test_every_finding_links_to_its_sentences(sample: ComparisonResult, sample_page: Page) -> None:
    ids = sample_page.ids()
    findings = [
        a for t, a in sample_page.tags if t == "article" and "finding" in (a.get("class") or "")
    ]
    assert len(findings) == len(sample.findings)
    jumps = [a["href"] for a in sample_page.all("a") if "jump" in (a.get("class") or "")]
    assert jumps
    for href in jumps:
        assert href is not None
        assert href[1:] in ids, href
    # every claim of every article has an anchor in the full text
    claim_spans = [a for a in sample_page.all("span") if (a.get("id") or "").startswith("claim-")]
    assert len(claim_spans) == sum(len(x.claims) for x in sample.articles)


def test_findings_are_ordered_most_severe_cluster_first(sample_page: Page) -> None:
    severities = [
        a["data-severity"] for t, a in sample_page.tags if t == "article" and "data-severity" in a
    ]
    clusters = [
        a.get("class") for a in sample_page.all("section") if "cluster" in (a.get("class") or "")
    ]
    assert clusters[0] == "cluster worst-high"
    assert severities[0] == "high"
    assert severities.count("high") == 2


def test_full_articles_show_boilerplate_struck_and_keep_every_character(
    sample: ComparisonResult,
) -> None:
    html = render_html(sample)
    for extracted in sample.articles:
        for removal in extracted.article.removed:
            reason = removal.reason
            words = removal.span.of(extracted.article.text)
            assert f'<del class="boilerplate" title="boilerplate: {reason}">{words}</del>' in html
    # the article text survives whole: the text of its section equals the article
    page = Page(html)
    text = "".join(page.text)
    for extracted in sample.articles:
        assert extracted.article.text.strip() in text


def test_translation_table_shows_original_translation_and_provenance(
    sample: ComparisonResult,
) -> None:
    html = render_html(sample)
    section = html[
        html.index('<section id="translations">') : html.index('<section id="articles">')
    ]
    assert "Το έγγραφο προβλέπει επέμβαση" in section
    assert "The document provides for the intervention" in section
    assert "translate-el_en" in section
    assert "cached" in section
    assert '<tr class="status-untranslated">' in section
    assert "fidelity models install translate-el_en.argosmodel" in section
    # English-only articles need no translation table
    assert "Daily Blast" not in section


def test_clusters_show_each_outlets_wording_with_word_differences(sample_page: Page) -> None:
    html = render_html(sample_result())
    start = html.index('id="cluster-c4"')
    cluster = html[start : html.index("</section>", start)]
    assert cluster.count('class="wording"') + cluster.count('class="wording is-reference"') == 3
    # the close Greek retelling is redlined word by word against the reference ...
    assert "<del>deputy chairman of Russia&#39;s Security Council, told reporters </del>" in cluster
    assert "<ins>said</ins>" in cluster
    assert "<ins>&#39;</ins>" not in cluster  # a change of quotation marks is not a change
    # ... the tabloid's sentence shares too few words for that and is shown whole
    assert cluster.count('class="tag reworded"') == 1
    assert "Dmitry Medvedev vowed that foreign troops will be destroyed." in cluster


def test_filters_are_hidden_until_javascript_runs(sample_page: Page) -> None:
    (form,) = sample_page.all("form")
    assert "hidden" in form
    # no finding or cluster starts hidden: with JS off, everything is shown
    for tag, attrs in sample_page.tags:
        if tag in ("article", "section"):
            assert "hidden" not in attrs
    boxes = sample_page.all("input")
    assert {b["name"] for b in boxes} == {"severity", "category", "outlet"}
    assert all("checked" in b for b in boxes)


def test_hostile_text_adds_no_element_attribute_or_link(hostile_html: str) -> None:
    page = Page(hostile_html)
    for tag, attrs in page.tags:
        assert tag in TEMPLATE_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for value in attrs.values():
            assert not (value or "").lower().lstrip().startswith("javascript:")
    assert len(page.scripts) == 2
    assert len(page.styles) == 1
    # the payloads are still there, as text a reader can see
    text = "".join(page.text)
    for payload in (
        "<script>document.title='PWNED'",
        "onerror=",
        "javascript:",
        "</style>",
        "</script>",
    ):
        assert payload in text


def test_hostile_url_is_shown_but_not_linked(hostile_html: str) -> None:
    page = Page(hostile_html)
    assert all(not (a.get("href") or "").startswith("javascript") for a in page.all("a"))
    assert "javascript:document.title=&#39;PWNED-url&#39;" in hostile_html
    # an http URL with markup characters is linked, escaped
    assert 'href="https://daily.example/talks?a=1&amp;b=&lt;2&gt;"' in hostile_html


def test_empty_result_renders(sample: ComparisonResult) -> None:
    from dataclasses import replace

    empty = replace(sample, findings=(), scores=(), skipped=())
    page = Page(render_html(empty))
    assert "No findings" in "".join(page.text)
    assert page.all("form") == []
