"""Ingestion: every input kind, encodings, boilerplate on the seeds, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fidelity.errors import InputError
from fidelity.load import LoadOptions, load_corpus, read_file

GREEK = "Ο Ρούτε δήλωσε ότι η συμμαχία θα στείλει στρατεύματα στην Ουκρανία μέσα σε 72 ώρες."
RUSSIAN = "Рютте заявил, что коалиция желающих направит войска на Украину в течение 72 часов."
UKRAINIAN = "Рютте заявив, що коаліція охочих направить війська в Україну протягом 72 годин."


def test_seeds_load_with_sidecar_metadata(seeds_dir: Path) -> None:
    corpus = load_corpus([seeds_dir])
    assert len(corpus.articles) == 5
    assert not corpus.skipped
    by_id = {a.id: a for a in corpus.articles}
    banking = by_id["000_661559dbf9f888c1"]
    assert banking.outlet == "bankingnews.gr"
    assert banking.title is not None and banking.title.startswith("‘World war in 72 hours’")
    assert banking.title_span is not None
    assert banking.title_span.of(banking.text) == banking.title
    # A headline-less article gets no invented headline.
    assert by_id["003_11ee4c27b3d7f6e1"].title is None


@pytest.mark.parametrize(
    ("seed", "reason", "text"),
    [
        ("000_661559dbf9f888c1", "navigation", "Τελευταία Νέα"),
        ("000_661559dbf9f888c1", "navigation", "Διεθνή"),
        ("000_661559dbf9f888c1", "image-file", "1_1465.JPG"),
        ("000_661559dbf9f888c1", "image-file", "3_622.JPG"),
        ("000_661559dbf9f888c1", "comments", "Σχόλια αναγνωστών"),
        ("000_661559dbf9f888c1", "footer", "www.bankingnews.gr"),
        ("002_cd92c3cc2028f998", "photo-credit", "Фото: Reuters"),
        ("002_cd92c3cc2028f998", "navigation", "News"),
        ("003_11ee4c27b3d7f6e1", "comments", "Post a Comment"),
        ("003_11ee4c27b3d7f6e1", "comments", "No comments:"),
        ("004_1b2a53b241cc35b5", "navigation", "News Beat"),
    ],
)
def test_seed_boilerplate(seeds_dir: Path, seed: str, reason: str, text: str) -> None:
    (article,) = read_file(seeds_dir / f"{seed}.txt")
    removed = {(r.reason, r.span.of(article.text)) for r in article.removed}
    assert (reason, text) in removed


def test_share_line_removed_but_prose_kept(seeds_dir: Path) -> None:
    (article,) = read_file(seeds_dir / "002_cd92c3cc2028f998.txt")
    removed = [r.span.of(article.text) for r in article.removed]
    assert any(t.startswith("Also follow") for t in removed)
    # No line of real prose is set aside.
    assert not any("Bloomberg" in t for t in removed)
    (rt,) = read_file(seeds_dir / "001_2010daea4983f6c8.txt")
    assert rt.removed == ()


def test_image_name_glued_to_sentence_is_cut_exactly(seeds_dir: Path) -> None:
    (article,) = read_file(seeds_dir / "000_661559dbf9f888c1.txt")
    image = next(r for r in article.removed if r.reason == "image-file")
    before = article.text[image.span.start - 8 : image.span.start]
    assert before.endswith("armies.")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (GREEK, "cp1253"),
        (GREEK, "iso-8859-7"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8-r"),
        (UKRAINIAN, "cp1251"),
        (UKRAINIAN, "koi8-u"),
        (GREEK, "utf-16"),
        (RUSSIAN, "utf-8-sig"),
    ],
)
def test_legacy_encodings_read_correctly(tmp_path: Path, text: str, encoding: str) -> None:
    body = (text + "\n") * 3
    path = tmp_path / "article.txt"
    path.write_bytes(body.encode(encoding))
    (article,) = read_file(path)
    assert article.text.strip().split("\n")[0] == text


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "---\noutlet: Example Wire\nurl: https://example.org/a\npublished: 2026-02-03\n"
        "language: en\nrole: source\ntitle: Ministers agree plan\n---\n"
        "Ministers agree plan\n\nMinisters agreed a plan on Tuesday, officials said.\n",
        encoding="utf-8",
    )
    (article,) = read_file(path)
    assert article.outlet == "Example Wire"
    assert article.role == "source"
    assert article.published == "2026-02-03"
    assert article.title == "Ministers agree plan"
    assert article.title_span is not None
    assert article.text.startswith("Ministers agree plan")


def test_translation_sidecar_is_attached_not_loaded_as_article(tmp_path: Path) -> None:
    (tmp_path / "a.el.md").write_text("---\nlanguage: el\n---\n" + GREEK + "\n", "utf-8")
    (tmp_path / "a.en.md").write_text(
        "Rutte said the alliance would send troops to Ukraine within 72 hours.\n", "utf-8"
    )
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["a.el"]
    article = corpus.articles[0]
    assert article.translation is not None and "72 hours" in article.translation
    assert article.translation_origin is not None and article.translation_origin.endswith("a.en.md")


def test_html_main_content_title_and_date(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Plan agreed | Example</title>"
        '<meta property="article:published_time" content="2026-02-03T10:00:00Z"></head><body>'
        "<nav>Home | World | Sport</nav><article><h1>Plan agreed</h1>"
        "<p>Officials from three countries agreed a plan on Tuesday to respond within 24 hours "
        "to any breach of the ceasefire, according to people familiar with the talks.</p>"
        "<p>The plan has not been signed, and its details could still change before the summit "
        "next week, the officials said.</p></article><footer>© Example</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    (article,) = read_file(path)
    assert article.title == "Plan agreed"
    assert article.published == "2026-02-03"
    assert "within 24 hours" in article.text
    assert "Home | World" not in article.text


def test_malformed_html_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "broken.htm"
    path.write_text(
        "<html><body><div><p>Officials agreed a plan on Tuesday to respond within 24 hours to "
        "any breach of the ceasefire, people familiar with the talks said.<p>It has not been "
        "signed yet, and could still change before the summit next week<div></span></b>",
        "utf-8",
    )
    (article,) = read_file(path)
    assert "within 24 hours" in article.text


def test_jsonl_corpus_and_bad_line_skipped(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "a", "outlet": "A", "text": "Ministers agreed a plan on Tuesday."}),
        "{not json",
        json.dumps({"id": "b", "outlet": "B", "role": "derived", "text": "Ministers signed it."}),
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    # The bad line is an error for that line only: the good lines of the file are read.
    assert [a.id for a in read_file(path)] == ["a", "b"]
    good = tmp_path / "good.txt"
    good.write_text("Ministers agreed a plan on Tuesday, officials said.\n", "utf-8")
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["a", "b", "good"]
    assert [s.origin.rsplit("/", 1)[-1] for s in corpus.skipped] == ["corpus.jsonl:2"]
    assert "not valid JSON" in corpus.skipped[0].reason


def test_jsonl_records_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": i, "outlet": f"O{i}", "title": "T", "text": f"Claim number {i}."})
            for i in range(3)
        ),
        "utf-8",
    )
    articles = read_file(path)
    assert [a.outlet for a in articles] == ["O0", "O1", "O2"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\t\n", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "binary"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nBody text here.\n", "front matter"),
        ("list.md", b"---\n- a\n- b\n---\nBody text here.\n", "front matter"),
        ("empty.jsonl", b"\n\n", "empty"),
        ("notext.jsonl", b'{"id": 1}\n', "no 'text'"),
        ("array.jsonl", b"[1, 2]\n", "JSON object"),
        ("doc.pdf", b"%PDF-1.4", "unknown file type"),
        ("role.md", b"---\nrole: editor\n---\nBody.\n", "role must be"),
    ],
)
def test_bad_input_is_a_clear_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_file(path)
    assert name in str(info.value)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Officials said so. " * 2000, "utf-8")
    with pytest.raises(InputError, match="--max-bytes"):
        read_file(path, LoadOptions(max_bytes=10_000))


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_corpus([tmp_path / "nope"])
    with pytest.raises(InputError, match="holds no article files"):
        load_corpus([tmp_path])


def test_one_bad_file_never_loses_the_others(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Ministers agreed a plan on Tuesday.\n", "utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "empty.md").write_bytes(b"")
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["ok"]
    assert sorted(Path(s.origin).name for s in corpus.skipped) == ["bin.txt", "empty.md"]
