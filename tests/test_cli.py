"""The real command, end to end: compare, check (exit codes), inspect, batch, resource limits.

Two runs at once on one data folder: tests/test_concurrency.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

SOURCE = (
    "---\noutlet: Wire\ntitle: Central bank raises rates\nrole: source\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
    "Officials said further increases could follow if inflation stays high.\n"
)
FAITHFUL = (
    "---\noutlet: Paper\ntitle: Central bank raises rates\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
)
DISTORTED = (
    "---\noutlet: Tabloid\ntitle: Central bank raises rates\n---\n"
    "The central bank raised its key rate by 75 basis points to 4.5% on Thursday, the bank said.\n"
)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    (tmp_path / "source.md").write_text(SOURCE, "utf-8")
    (tmp_path / "faithful.md").write_text(FAITHFUL, "utf-8")
    (tmp_path / "distorted.md").write_text(DISTORTED, "utf-8")
    return tmp_path


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("compare", "check", "inspect", "eval", "models"):
        assert command in result.output


def test_compare_seeds_json(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["compare", str(seeds_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text("utf-8"))
    assert doc["schema_version"]
    assert doc["signature"]["detector"].startswith("lingua")
    assert len(doc["articles"]) == 5
    assert doc["findings"], "the seeds diverge: there must be findings"
    assert {s["outlet"] for s in doc["scores"]} >= {"bankingnews.gr", "RT"}


def test_compare_terminal_output_names_outlets(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["compare", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    assert "bankingnews.gr" in result.output and "ZeroHedge" in result.output


@pytest.mark.parametrize(("draft", "code"), [("faithful.md", 0), ("distorted.md", 1)])
def test_check_exit_codes(story: Path, draft: str, code: int) -> None:
    result = runner.invoke(
        app, ["check", str(story / draft), "--source", str(story / "source.md"), "-f", "json"]
    )
    assert result.exit_code == code, result.output
    doc = json.loads(result.stdout)
    categories = {f["category"] for f in doc["findings"]}
    if code:
        assert "number_changed" in categories
    else:
        assert "number_changed" not in categories


def test_check_fail_under(story: Path) -> None:
    result = runner.invoke(
        app,
        [
            "check",
            str(story / "faithful.md"),
            "--source",
            str(story / "source.md"),
            "--fail-under",
            "100.5",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "no-such-folder"],
        ["check", "no-such-draft.md", "--source", "no-such-source.md"],
        ["check"],
        ["inspect", "no-such-file.txt"],
    ],
)
def test_usage_and_input_errors_exit_2(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_compare_needs_two_articles(story: Path) -> None:
    result = runner.invoke(app, ["compare", str(story / "source.md")])
    assert result.exit_code == 2
    assert "at least two articles" in result.output


def test_too_many_documents_names_the_flag(story: Path) -> None:
    result = runner.invoke(app, ["compare", str(story), "--max-documents", "2"])
    assert result.exit_code == 2
    assert "--max-documents" in result.output


def test_skipped_file_is_reported_and_others_compared(story: Path, tmp_path: Path) -> None:
    (story / "broken.txt").write_bytes(b"\x00\x01\x02" * 50)
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["compare", str(story), "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text("utf-8"))
    assert [Path(s["origin"]).name for s in doc["skipped"]] == ["broken.txt"]
    assert len(doc["articles"]) == 3


def test_greek_article_without_model_is_untranslated_with_hint(tmp_path: Path) -> None:
    (tmp_path / "el.md").write_text(
        "---\noutlet: Ελληνική\n---\n"
        "Ο Ρούτε δήλωσε ότι η συμμαχία θα στείλει στρατεύματα στην Ουκρανία μέσα σε 72 ώρες.\n",
        "utf-8",
    )
    (tmp_path / "en.md").write_text(
        "---\noutlet: English\n---\n"
        "Rutte said the alliance would send troops to Ukraine within 72 hours.\n",
        "utf-8",
    )
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["compare", str(tmp_path), "--one-story", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text("utf-8"))
    greek = next(a for a in doc["articles"] if a["outlet"] == "Ελληνική")
    statuses = {s["provenance"]["status"] for s in greek["segments"]}
    assert statuses == {"untranslated"}
    hints = " ".join(s["provenance"]["hint"] or "" for s in greek["segments"])
    assert "fidelity models install" in hints and "el" in hints


def test_inspect_shows_boilerplate_and_languages(seeds_dir: Path) -> None:
    result = runner.invoke(
        app, ["inspect", str(seeds_dir / "000_661559dbf9f888c1.txt"), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (article,) = doc["articles"]
    assert article["language"] == "en"
    removed = {r["text"]: r for r in article["removed"]}
    assert removed["Τελευταία Νέα"]["language"] == "el"
    assert "1_1465.JPG" in removed


def test_inspect_claims(seeds_dir: Path) -> None:
    result = runner.invoke(
        app, ["inspect", "--claims", str(seeds_dir / "004_1b2a53b241cc35b5.txt"), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)["articles"][0]["claims"]
    assert any(c["quotes"] for c in claims)
    assert claims[0]["kind"] == "headline"


def test_check_batch_one_line_per_input_even_when_bad(tmp_path: Path) -> None:
    batch = tmp_path / "pairs.jsonl"
    source = "The central bank raised its key rate by 25 basis points to 4.5% on Thursday."
    lines = [
        json.dumps({"id": "ok", "text": source, "sources": [source]}),
        "{broken json",
        json.dumps({"id": "bad", "text": "", "sources": [source]}),
        json.dumps({"id": "drift", "text": source.replace("25", "75"), "sources": [source]}),
    ]
    batch.write_text("\n".join(lines) + "\n", "utf-8")
    result = runner.invoke(app, ["check", "--batch", str(batch), "--format", "json"])
    out = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [o.get("id") for o in out] == ["ok", "line-2", "bad", "drift"]
    assert out[0]["verdict"] == "consistent"
    assert "error" in out[1] and "error" in out[2]
    assert out[3]["verdict"] == "inconsistent"
    assert result.exit_code == 1


def test_report_written_atomically_to_html_and_md(seeds_dir: Path, tmp_path: Path) -> None:
    for name in ("r.html", "r.md"):
        out = tmp_path / name
        result = runner.invoke(app, ["compare", str(seeds_dir), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 500
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _fidelity(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process (socket guard armed), as a user would run it."""
    guarded = (
        "import pytest_socket, sys; pytest_socket.disable_socket(allow_unix_socket=True); "
        "from fidelity.cli import main; sys.argv = ['fidelity'] + sys.argv[1:]; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", guarded, *args],
        env={**os.environ, "FIDELITY_HOME": str(home)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _one_clear_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0]


@pytest.fixture
def limits(tmp_path: Path) -> Path:
    """A 10,000-article corpus, a 5 MB article (over the 300,000-byte default) and a short one."""
    (tmp_path / "corpus.jsonl").write_text(
        "".join(
            json.dumps({"id": f"a{i}", "text": f"Officials said {i} people attended the march."})
            + "\n"
            for i in range(10_000)
        ),
        "utf-8",
    )
    sentence = "Officials said the march was peaceful. "
    five_mb = 5 * 1024 * 1024
    (tmp_path / "five-mb.txt").write_text((sentence * (five_mb // len(sentence) + 1))[:five_mb])
    (tmp_path / "short.txt").write_text("Officials said the march was peaceful.\n", "utf-8")
    return tmp_path


def test_ten_thousand_documents_stop_naming_the_limit_and_its_flag(limits: Path) -> None:
    result = _fidelity("compare", str(limits / "corpus.jsonl"), home=limits / "home")
    _one_clear_line(result, "10000 articles", "limit of 2000", "--max-documents")


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "five-mb.txt"],
        ["check", "five-mb.txt", "--source", "short.txt"],
        ["check", "short.txt", "--source", "five-mb.txt"],
    ],
    ids=["compare", "check-draft", "check-source"],
)
def test_five_megabyte_article_stops_naming_the_limit_and_its_flag(
    limits: Path, args: list[str]
) -> None:
    paths = [str(limits / a) if a.endswith(".txt") else a for a in args]
    result = _fidelity(*paths, "--embedder", "none", home=limits / "home")
    _one_clear_line(result, "5,242,880 bytes", "300,000-byte limit", "--max-bytes")


def test_too_large_file_among_others_is_skipped_with_the_flag_named(limits: Path) -> None:
    folder = limits / "folder"
    folder.mkdir()
    for name in ("five-mb.txt", "short.txt"):
        (folder / name).write_bytes((limits / name).read_bytes())
    (folder / "other.txt").write_text("Officials said the rally was calm.\n", "utf-8")
    result = _fidelity("compare", str(folder), "--embedder", "none", "-f", "json", home=limits)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "--max-bytes" in result.stderr and "Traceback" not in result.stderr
    skipped = json.loads(result.stdout)["skipped"]
    assert [Path(s["origin"]).name for s in skipped] == ["five-mb.txt"]


def test_malformed_lexicon_is_a_clear_error(story: Path, tmp_path: Path) -> None:
    bad = tmp_path / "extra.yaml"
    bad.write_text("framing: [unclosed\n", "utf-8")
    result = runner.invoke(app, ["compare", str(story), "--lexicon", str(bad)])
    assert result.exit_code == 2
    assert "extra.yaml" in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------------------ eval

STORM = (
    "---\noutlet: {outlet}\ntitle: Storm closes ports\npublished: 2026-03-{day}\n---\n"
    "A winter storm with gusts of 140 km/h closed all 14 ferry ports on the island of Mull on "
    "Monday, the coastguard said.\n"
    "Ferries will stay in harbour until Wednesday, the operator said.\n"
)
FLOOD = (
    "---\noutlet: {outlet}\ntitle: River floods old town\npublished: 2026-03-{day}\n---\n"
    "The river Tay burst its banks in Perth on Friday, flooding 230 homes in the old town, "
    "the council said.\nSandbags were handed out at three depots overnight.\n"
)
RATES = (
    "---\noutlet: {outlet}\ntitle: Central bank raises rates\npublished: 2026-03-{day}\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank "
    "said.\nOfficials said further increases could follow if inflation stays high.\n"
)
OIL = (
    "---\noutlet: {outlet}\ntitle: Oil slides on supply glut\npublished: 2026-03-{day}\n---\n"
    "Brent crude fell 6% to 61 dollars a barrel on Tuesday after OPEC said output would rise, "
    "traders said.\nShares in Shell and BP dropped more than 3% in London.\n"
)


@pytest.fixture
def labelled_story(tmp_path: Path) -> Path:
    """A story labelled as ``fixtures/eval`` is: one distortion, one faithful.

    It sits one level down (``eval/story``) so its parent holds nothing else.
    """
    story = tmp_path / "eval" / "story"
    story.mkdir(parents=True)
    (story / "source.md").write_text(SOURCE, "utf-8")
    (story / "faithful.md").write_text(FAITHFUL, "utf-8")
    (story / "distorted.md").write_text(DISTORTED, "utf-8")
    (story / "annotations.yaml").write_text(
        "reference: source.md\n"
        "documents:\n"
        "  distorted.md:\n"
        "    verdict: inconsistent\n"
        "    findings:\n"
        "      - category: number_changed\n"
        '        derived: "by 75 basis points"\n'
        '        reference: "by 25 basis points"\n'
        "  faithful.md:\n"
        "    verdict: consistent\n"
        "    non_findings:\n"
        '      - derived: "raised its key rate by 25 basis points to 4.5%"\n'
        '        reference: "raised its key rate by 25 basis points to 4.5%"\n',
        "utf-8",
    )
    return story


def test_eval_scores_findings_and_alignment(labelled_story: Path) -> None:
    result = runner.invoke(app, ["eval", str(labelled_story.parent), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["documents"] == 2
    assert doc["categories"]["number_changed"]["tp"] == 1
    assert doc["verdicts"] == {"consistent->consistent": 1, "inconsistent->inconsistent": 1}
    # both labelled passage pairs (the changed figure and the faithful retelling) align
    assert doc["alignment"]["labelled_pairs"] == 2
    assert doc["alignment"]["labelled_aligned"] == 2


def test_eval_terminal_table(labelled_story: Path) -> None:
    result = runner.invoke(app, ["eval", str(labelled_story)])
    assert result.exit_code == 0, result.output
    assert "number_changed" in result.output and "all (micro)" in result.output
    assert "of labelled passage pairs aligned" in result.output


@pytest.fixture
def story_set(tmp_path: Path) -> Path:
    """Two topic folders as ``fixtures/stories`` lays them out: two events each."""
    root = tmp_path / "stories"
    for topic, events in (
        ("weather", {"storm": STORM, "flood": FLOOD}),
        ("markets", {"rates": RATES, "oil": OIL}),
    ):
        folder = root / topic
        folder.mkdir(parents=True)
        for event, text in events.items():
            for n, outlet in enumerate(("Wire", "Paper")):
                (folder / f"{event}-{n}.md").write_text(
                    text.format(outlet=outlet, day=10 + n), "utf-8"
                )
        (folder / "stories.yaml").write_text(
            f"topic: {topic}\nevents:\n"
            + "".join(f"  {e}: {{documents: [{e}-0.md, {e}-1.md]}}\n" for e in events),
            "utf-8",
        )
    return root


def test_eval_story_set_scores_grouping_per_topic_and_pooled(story_set: Path) -> None:
    result = runner.invoke(app, ["eval", str(story_set), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["mode"] == "stories"
    assert [t["name"] for t in doc["topics"]] == ["markets", "weather"]
    for topic in doc["topics"]:
        assert topic["documents"] == 4
        assert (topic["precision"], topic["recall"]) == (1.0, 1.0), topic["groups"]
    assert doc["pooled"]["documents"] == 8
    assert (doc["pooled"]["precision"], doc["pooled"]["recall"]) == (1.0, 1.0)
    assert doc["mean_topic_f1"] == 1.0


def test_eval_one_topic_folder_terminal(story_set: Path) -> None:
    result = runner.invoke(app, ["eval", str(story_set / "weather")])
    assert result.exit_code == 0, result.output
    assert "story grouping" in result.output and "weather" in result.output
    assert "mean per-topic F1" in result.output


def test_eval_story_labels_naming_a_missing_document_exit_2(story_set: Path) -> None:
    labels = story_set / "weather" / "stories.yaml"
    labels.write_text(
        labels.read_text("utf-8").replace("storm-1.md]", "storm-1.md, storm-9.md]"), "utf-8"
    )
    result = runner.invoke(app, ["eval", str(story_set / "weather")])
    assert result.exit_code == 2
    assert "storm-9.md" in result.output


def test_terminal_report_shows_every_threshold_only_with_verbose(seeds_dir: Path) -> None:
    plain = runner.invoke(app, ["compare", str(seeds_dir)])
    verbose = runner.invoke(app, ["-v", "compare", str(seeds_dir)])
    assert plain.exit_code == 0 and verbose.exit_code == 0
    squeezed = ["".join(r.stdout.split()) for r in (plain, verbose)]  # wrapped lines joined
    assert "signaturefidelity:" not in squeezed[0]
    assert "align.accept=" not in squeezed[0]
    assert "signaturefidelity:" in squeezed[1] and "align.accept=" in squeezed[1]
    assert "fidelity 0." in plain.stdout, "the header still names the set-up"


RUSSIAN_DRAFT = (
    "Совет одобрил строительство 45 новых домов в порту в понедельник. "
    "Строительство начнётся весной, сообщили в жилищном управлении.\n"
)
ENGLISH_SOURCE = (
    "The city council approved 40 new homes on the harbour site on Monday. "
    "Construction is due to start in the spring, the housing office said.\n"
)


def test_check_of_a_draft_no_model_can_read_is_unverifiable(tmp_path: Path) -> None:
    draft, source = tmp_path / "draft.txt", tmp_path / "source.txt"
    draft.write_text(RUSSIAN_DRAFT, "utf-8")
    source.write_text(ENGLISH_SOURCE, "utf-8")
    result = runner.invoke(
        app, ["check", str(draft), "--source", str(source), "--min-severity", "high"]
    )
    # no ru->en model is installed: never "No findings, consistent"
    assert result.exit_code == 3, result.output
    assert "verdict: unverifiable" in result.stderr
