"""Hostile paths, special files and big inputs: no crash, no hang, nothing overwritten.

Each case is one an adversarial run found: a file name that is not UTF-8, a FIFO or device
named as an article, a batch file or a lexicon, a full disk on stdout, a link out of the corpus
folder, ``--out`` aimed at a device, a link or an input, a malformed JSONL line, legacy
encodings of short texts, escape sequences in metadata. The CLI cases run the real command in
a fresh process; a refusal is one line on stderr and exit code 2.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.errors import InputError, ReportError
from fidelity.load import LoadOptions, load_corpus, read_file
from fidelity.load.decode import decode_text
from fidelity.load.files import display_path, read_bounded, walk_folder
from fidelity.report.output import check_output_path, write_report

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")

AGREED = (
    "Ministers agreed a plan on Tuesday in Brussels, officials said. It costs 5 billion euros.\n"
)
SIGNED = (
    "Ministers signed a plan on Tuesday in Brussels, officials said. It costs 6 billion euros.\n"
)
BAD_NAME = os.fsdecode(b"bad\xff\xfe.txt")  # as Python holds a name that is not UTF-8


def _fidelity(
    *args: str, home: Path, stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    """The real command in a fresh process (socket guard armed); output kept as bytes."""
    guarded = (
        "import pytest_socket, sys; pytest_socket.disable_socket(allow_unix_socket=True); "
        "from fidelity.cli import main; sys.argv = ['fidelity'] + sys.argv[1:]; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", guarded, *args],
        env={**os.environ, "FIDELITY_HOME": str(home)},
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=300,  # a hang fails the test instead of blocking the suite
        check=False,
    )


def _one_clear_line(result: subprocess.CompletedProcess[bytes], *expected: str) -> str:
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr[-2000:]
    assert "Traceback" not in stderr
    lines = [line for line in stderr.strip().splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, stderr
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def _story(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "agreed.txt").write_text(AGREED, "utf-8")
    (folder / "signed.txt").write_text(SIGNED, "utf-8")
    return folder


# ------------------------------------------------------------------------ names with bad bytes


def test_a_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    assert display_path(tmp_path / BAD_NAME).endswith("bad\\xff\\xfe.txt")
    (tmp_path / BAD_NAME).write_text(AGREED, "utf-8")
    (tmp_path / "signed.txt").write_text(SIGNED, "utf-8")
    corpus = load_corpus([tmp_path])
    origins = sorted(Path(a.origin).name for a in corpus.articles)
    assert origins == ["bad\\xff\\xfe.txt", "signed.txt"]
    for article in corpus.articles:
        article.origin.encode("utf-8")  # no lone surrogate left to crash a writer
        article.id.encode("utf-8")


def test_reports_on_a_name_that_is_not_utf8_stay_valid_utf8(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / BAD_NAME).write_text(AGREED, "utf-8")
    (tmp_path / "in" / "signed.txt").write_text(SIGNED, "utf-8")
    out = tmp_path / "report.html"
    args = ("compare", str(tmp_path / "in"), "--embedder", "none")
    to_file = _fidelity(*args, "--out", str(out), home=tmp_path / "home")
    to_stdout = _fidelity(*args, "-f", "json", home=tmp_path / "home")
    for result in (to_file, to_stdout):
        assert result.returncode == 0, result.stderr[-2000:]
        assert b"Traceback" not in result.stderr
    page = out.read_bytes().decode("utf-8")  # strict: raises on a raw 0xFF byte
    assert "bad\\xff\\xfe" in page
    document = json.loads(to_stdout.stdout.decode("utf-8"))
    assert any(a["origin"].endswith("bad\\xff\\xfe.txt") for a in document["articles"])


# ------------------------------------------------------------------------------ special files


@needs_fifo
def test_a_fifo_named_as_an_article_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        read_bounded(fifo, 1000)
    result = _fidelity("inspect", str(fifo), home=tmp_path / "home")
    _one_clear_line(result, "pipe.txt", "FIFO", "not a regular file")


@needs_fifo
def test_special_files_and_broken_links_in_a_folder_are_skipped_with_a_note(
    tmp_path: Path,
) -> None:
    folder = _story(tmp_path / "story")
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.md").symlink_to(folder / "missing.md")
    corpus = load_corpus([folder])
    assert sorted(a.id for a in corpus.articles) == ["agreed", "signed"]
    notes = {Path(s.origin).name: s.reason for s in corpus.skipped}
    assert "FIFO" in notes["pipe.txt"]
    assert "broken link" in notes["gone.md"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("role", ["article", "batch", "lexicon"])
def test_dev_zero_is_refused_wherever_it_is_named(tmp_path: Path, role: str) -> None:
    story = _story(tmp_path / "story")
    home = tmp_path / "home"
    if role == "article":
        result = _fidelity("compare", "/dev/zero", str(story), "--embedder", "none", home=home)
    elif role == "batch":
        result = _fidelity("check", "--batch", "/dev/zero", home=home)
    else:
        args = ("compare", str(story), "--lexicon", "/dev/zero", "--embedder", "none")
        result = _fidelity(*args, home=home)
    _one_clear_line(result, "/dev/zero", "character device")


def test_reads_are_bounded_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 400)
    assert len(read_bounded(path, 2000)) == 2000
    with pytest.raises(InputError, match="--max-bytes"):
        read_bounded(path, 1999)
    with pytest.raises(InputError, match="--max-bytes"):
        read_file(path, LoadOptions(max_bytes=1999))


def test_a_jsonl_article_over_the_limit_loses_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        {"id": "short", "text": "Ministers agreed a plan on Tuesday."},
        {"id": "long", "text": "Ministers agreed a plan. " * 100},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    corpus = load_corpus([path], LoadOptions(max_bytes=1000))
    assert [a.id for a in corpus.articles] == ["short"]
    assert corpus.skipped[0].origin.endswith("corpus.jsonl:2")
    assert "--max-bytes" in corpus.skipped[0].reason


# --------------------------------------------------------------------------------- self-check


def test_a_draft_checked_against_itself_is_one_clear_line(tmp_path: Path) -> None:
    story = _story(tmp_path / "story")
    draft = str(story / "agreed.txt")
    result = _fidelity("check", draft, "--source", draft, "--embedder", "none", home=tmp_path)
    _one_clear_line(result, "agreed.txt", "both the draft and a source")


def test_a_draft_and_a_source_with_one_file_name_are_both_read(tmp_path: Path) -> None:
    (tmp_path / "draft").mkdir()
    (tmp_path / "wire").mkdir()
    (tmp_path / "draft" / "story.txt").write_text(SIGNED, "utf-8")
    (tmp_path / "wire" / "story.txt").write_text(AGREED, "utf-8")
    args = ("check", str(tmp_path / "draft" / "story.txt"), "--source")
    result = _fidelity(*args, str(tmp_path / "wire"), "--embedder", "none", home=tmp_path)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert b"Traceback" not in result.stderr


# --------------------------------------------------------------------------------- full disk


@needs_dev_full
@pytest.mark.parametrize("command", ["compare", "inspect", "batch"])
def test_a_full_disk_on_stdout_is_exit_2_and_one_line(tmp_path: Path, command: str) -> None:
    story = _story(tmp_path / "story")
    if command == "compare":
        args: tuple[str, ...] = ("compare", str(story), "--embedder", "none", "-f", "json")
    elif command == "inspect":
        args = ("inspect", str(story), "-f", "json")
    else:
        batch = tmp_path / "batch.jsonl"
        batch.write_text(json.dumps({"id": "x", "text": "t", "sources": []}) + "\n", "utf-8")
        args = ("check", "--batch", str(batch))
    with Path("/dev/full").open("wb") as full:
        result = _fidelity(*args, home=tmp_path / "home", stdout=full.fileno())
    _one_clear_line(result, "standard output")


# ----------------------------------------------------------------------------------- symlinks


def test_a_link_leaving_the_corpus_folder_is_not_followed_unless_asked(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("The secret plan was agreed in 1999 by nobody.\n")
    folder = _story(tmp_path / "story")
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "inside.txt").symlink_to(folder / "agreed.txt")
    corpus = load_corpus([folder])
    assert sorted(a.id for a in corpus.articles) == ["agreed", "inside", "signed"]
    assert [Path(s.origin).name for s in corpus.skipped] == ["leak.txt"]
    assert "--follow-links" in corpus.skipped[0].reason
    followed = load_corpus([folder], LoadOptions(follow_links=True))
    assert "leak" in {a.id for a in followed.articles}


def test_a_link_loop_in_a_folder_is_walked_once(tmp_path: Path) -> None:
    folder = _story(tmp_path / "story")
    (folder / "again").symlink_to(folder)
    listing = walk_folder(folder, (".txt",))
    assert [p.name for p in listing.files] == ["agreed.txt", "signed.txt"]


# ------------------------------------------------------------------------------------- --out


def test_out_refuses_a_device_a_fifo_and_an_input(tmp_path: Path) -> None:
    story = _story(tmp_path / "story")
    if Path("/dev/null").exists():
        with pytest.raises(ReportError, match="character device"):
            check_output_path("/dev/null")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")
        with pytest.raises(ReportError, match="FIFO"):
            write_report("{}", tmp_path / "pipe.json")
    with pytest.raises(ReportError, match="input of this run"):
        write_report("report", story / "agreed.txt", inputs=[story / "agreed.txt"])
    with pytest.raises(ReportError, match="inside the input folder"):
        check_output_path(story / "signed.txt", [story])
    assert (story / "agreed.txt").read_text("utf-8") == AGREED
    assert (story / "signed.txt").read_text("utf-8") == SIGNED
    # a new report in the input folder, or an existing one with another suffix, is fine
    assert check_output_path(story / "report.json", [story]) == story / "report.json"


def test_out_equal_to_an_input_is_refused_before_the_run(tmp_path: Path) -> None:
    story = _story(tmp_path / "story")
    target = str(story / "agreed.txt")
    args = ("compare", target, str(story / "signed.txt"), "--embedder", "none")
    result = _fidelity(*args, "-f", "json", "--out", target, home=tmp_path / "home")
    _one_clear_line(result, "input of this run")
    assert (story / "agreed.txt").read_text("utf-8") == AGREED


def test_out_through_a_symbolic_link(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", "utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(ReportError, match="broken symbolic link"):
        write_report("{}", dangling)
    if AS_ROOT:
        with pytest.raises(ReportError, match="as root"):
            write_report("{}", link)
        assert target.read_text("utf-8") == "old"
    else:
        write_report("{}", link)  # the user's own regular file: the target is replaced
        assert link.is_symlink()
        assert target.read_text("utf-8") == "{}"
    assert not dangling.exists() and dangling.is_symlink()


def test_temporary_files_of_killed_writes_are_removed(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    dead = tmp_path / ".report.json.999999999-0123456789ab.tmp"  # over any pid_max
    live = tmp_path / f".report.json.{os.getpid()}-0123456789ab.tmp"
    old = tmp_path / ".report.json.0123456789ab.tmp"  # an older fidelity, no pid
    other = tmp_path / ".other.json.999999999-0123456789ab.tmp"
    for path in (dead, live, old, other):
        path.write_text("half a report", "utf-8")
    os.utime(old, (1_000_000, 1_000_000))
    write_report("{}", report)
    assert report.read_text("utf-8") == "{}"
    assert not dead.exists() and not old.exists()
    assert live.exists() and other.exists()


# ---------------------------------------------------------------------------------------- JSONL


def test_one_malformed_jsonl_line_loses_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": AGREED})
        + "\n{not json\n"
        + json.dumps({"id": "b", "text": SIGNED})
        + "\n[1, 2]\n",
        "utf-8",
    )
    corpus = load_corpus([path])
    assert [a.id for a in corpus.articles] == ["a", "b"]
    assert [s.origin.rsplit(":", 1)[-1] for s in corpus.skipped] == ["2", "4"]
    result = _fidelity("compare", str(path), "--embedder", "none", "-f", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)
    assert len(document["articles"]) == 2 and len(document["skipped"]) == 2


def test_batch_exit_codes_count_the_lines_that_failed(tmp_path: Path) -> None:
    all_bad = tmp_path / "bad.jsonl"
    all_bad.write_text('{not json\n{"id": "x", "text": "t", "sources": []}\n', "utf-8")
    result = _fidelity("check", "--batch", str(all_bad), home=tmp_path / "home")
    line = _one_clear_line(result, "2 could not be checked")
    assert "0 consistent" in line
    assert len(result.stdout.decode("utf-8").splitlines()) == 2  # an error line per input line
    mixed = tmp_path / "mixed.jsonl"
    good = {"id": "ok", "text": AGREED, "sources": [AGREED]}
    mixed.write_text(json.dumps(good) + "\n{not json\n", "utf-8")
    args = ("check", "--batch", str(mixed), "--embedder", "none")
    result = _fidelity(*args, home=tmp_path / "home")
    assert result.returncode == 1, result.stderr[-2000:]
    verdicts = [json.loads(x) for x in result.stdout.decode("utf-8").splitlines()]
    assert verdicts[0]["verdict"] == "consistent" and "error" in verdicts[1]
    assert b"1 consistent, 0 inconsistent, 1 could not be checked" in result.stderr


# ------------------------------------------------------------------------------------ decoding

GREEK = "Ο υπουργός Άμυνας είπε ότι η συμφωνία θα υπογραφεί την Τρίτη στην Αθήνα."
RUSSIAN = "Министр заявил, что переговоры продолжатся в среду в Москве."
UKRAINIAN = "Прем'єр-міністр України заявив, що їхня зустріч відбудеться в четвер."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (GREEK, "cp1253"),
        (GREEK, "iso-8859-7"),
        (RUSSIAN, "koi8-r"),
        (RUSSIAN, "cp1251"),
        (UKRAINIAN, "koi8-u"),
        (UKRAINIAN, "cp1251"),
        (GREEK, "utf-16-le"),
        (RUSSIAN, "utf-16-be"),
    ],
)
def test_short_legacy_texts_decode_to_their_own_letters(text: str, encoding: str) -> None:
    decoding = decode_text(text.encode(encoding), "probe")
    assert decoding.text == text


def test_greek_with_a_language_hint_decodes_to_greek_letters(tmp_path: Path) -> None:
    path = tmp_path / "greek.md"
    path.write_bytes(f"---\nlanguage: el\n---\n{GREEK}\n".encode("cp1253"))
    (article,) = read_file(path)
    assert GREEK in article.text
    assert article.encoding in ("cp1253", "iso8859-7")


def test_a_declared_html_charset_is_used(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="koi8-r"><title>Новости</title></head><body><article>'
        f"<p>{RUSSIAN} {RUSSIAN}</p><p>{RUSSIAN}</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("koi8-r"))
    (article,) = read_file(path)
    assert RUSSIAN in article.text and article.encoding == "koi8-r"


def test_utf8_with_a_few_bad_bytes_stays_utf8_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = GREEK.encode("utf-8").replace(b" ", b" \xff", 1)
    path = tmp_path / "damaged.txt"
    path.write_bytes(data + b"\n")
    with caplog.at_level(logging.WARNING, logger="fidelity.load.decode"):
        (article,) = read_file(path)
    assert article.encoding == "utf-8"
    assert article.text.strip() == data.decode("utf-8", "replace")
    assert article.extra["decoding"]["replaced_bytes"] == 1
    assert any("not valid UTF-8" in r.getMessage() for r in caplog.records)


def test_utf16_without_bom_is_not_called_binary(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes((AGREED + GREEK + "\n").encode("utf-16-le"))
    (article,) = read_file(path)
    assert article.encoding == "utf-16-le" and GREEK in article.text


GREEK_WORDS = st.lists(
    st.text(alphabet="αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ", min_size=2, max_size=9),
    min_size=8,
    max_size=16,
).map(lambda words: " ".join(words).capitalize() + ".")
CYRILLIC_WORDS = st.lists(
    st.text(alphabet="абвгдежзийклмнопрстуфхцчшыьэюя", min_size=2, max_size=9),
    min_size=8,
    max_size=16,
).map(lambda words: " ".join(words).capitalize() + ".")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=GREEK_WORDS, encoding=st.sampled_from(["cp1253", "iso-8859-7", "utf-16-le"]))
def test_property_greek_bytes_decode_to_greek_letters(text: str, encoding: str) -> None:
    decoding = decode_text(text.encode(encoding), "probe", language="el")
    letters = [ch for ch in decoding.text if ch.isalpha()]
    assert letters and all("\u0370" <= ch <= "\u03ff" for ch in letters), decoding


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=CYRILLIC_WORDS, encoding=st.sampled_from(["cp1251", "koi8-r", "utf-16-be"]))
def test_property_russian_bytes_decode_to_cyrillic_letters(text: str, encoding: str) -> None:
    decoding = decode_text(text.encode(encoding), "probe", language="ru")
    letters = [ch for ch in decoding.text if ch.isalpha()]
    assert letters and all("\u0400" <= ch <= "\u04ff" for ch in letters), decoding


@settings(max_examples=80, deadline=None)
@given(name=st.binary(min_size=1, max_size=12))
def test_property_any_name_bytes_display_as_utf8(name: bytes) -> None:
    safe = name.replace(b"/", b"_").replace(b"\x00", b"_")
    shown = display_path(os.fsdecode(safe))
    shown.encode("utf-8")  # never raises
    try:
        assert shown == safe.decode("utf-8")
    except UnicodeDecodeError:
        assert "\\x" in shown


def test_trafilatura_log_lines_name_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = tmp_path / "100% short.html"
    page.write_text("<html><body><div><p>Short.</p></div></body></html>", "utf-8")
    with caplog.at_level(logging.DEBUG, logger="trafilatura"), contextlib.suppress(InputError):
        read_file(page)
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("trafilatura")]
    assert lines and all(line.startswith(str(page)) for line in lines)


# ------------------------------------------------------------------------- terminal and options


def test_inspect_strips_escape_sequences_and_shows_the_decoding(tmp_path: Path) -> None:
    path = tmp_path / "evil.md"
    text = (
        f'---\noutlet: "Evil\\e[2J\\e]0;pwned\\a News"\ntitle: "Plan \\e[31magreed"\n---\n{GREEK}\n'
    )
    path.write_bytes(text.encode("cp1253"))
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Evil" in result.output
    assert "cp1253" in result.output or "iso8859-7" in result.output


def test_fail_under_nan_is_refused(tmp_path: Path) -> None:
    story = _story(tmp_path / "story")
    args = ["check", str(story / "signed.txt"), "--source", str(story / "agreed.txt")]
    result = runner.invoke(app, [*args, "--fail-under", "nan"])
    assert result.exit_code == 2
    assert "--fail-under" in result.output
