"""`fidelity models`: install (with archive validation), list, remove, download offline; a
half-installed or damaged package is listed as broken, refused by translation, and replaced by
the next install."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argos_tiny import tiny_argos_models  # noqa: F401  (session fixture)
from typer.testing import CliRunner

from fidelity.cli_models import models_app
from fidelity.errors import ArchiveError, ModelError
from fidelity.paths import argos_packages_dir
from fidelity.text.sentences import split_sentences
from fidelity.translate.argos import ArgosTranslator
from fidelity.translate.packages import (
    MANIFEST,
    install_package,
    list_packages,
    scan_packages,
    validate_archive,
)
from fidelity.types import Article, DetectedArticle, Segment

METADATA = json.dumps(
    {"package_version": "1.0", "from_code": "el", "to_code": "en", "type": "translate"}
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(models_app, list(args))
    return result.exit_code, result.output


def make_zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def package_entries(top: str = "translate-el_en-1_0") -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    return [
        (f"{top}/metadata.json", METADATA.encode()),
        (f"{top}/model/model.bin", b"\x00" * 64),
        (f"{top}/sentencepiece.model", b"\x01" * 64),
    ]


def symlink(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _bomb(tmp: Path) -> Path:
    path = tmp / "bomb.argosmodel"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in package_entries():
            zf.writestr(name, data)
        zf.writestr("translate-el_en-1_0/model/weights.bin", b"\x00" * (32 * 1024 * 1024))
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip-slip": (
        lambda t: make_zip(
            t / "a.argosmodel", [*package_entries(), ("translate-el_en-1_0/../../x", b"pwned")]
        ),
        "'..'",
    ),
    "zip-slip-top": (
        lambda t: make_zip(t / "a.argosmodel", [*package_entries(), ("../x", b"pwned")]),
        "'..'",
    ),
    "absolute-path": (
        lambda t: make_zip(t / "a.argosmodel", [*package_entries(), ("/tmp/fidelity-pwned", b"x")]),
        "absolute path",
    ),
    "windows-drive": (
        lambda t: make_zip(t / "a.argosmodel", [*package_entries(), ("C:/evil", b"x")]),
        "absolute path",
    ),
    "symlink": (
        lambda t: make_zip(
            t / "a.argosmodel",
            [
                *package_entries(),
                (symlink("translate-el_en-1_0/model/link", "/etc/passwd"), b"/etc/passwd"),
            ],
        ),
        "symbolic link",
    ),
    "missing-metadata": (
        lambda t: make_zip(t / "a.argosmodel", package_entries()[1:]),
        "no translate-el_en-1_0/metadata.json",
    ),
    "two-top-level-folders": (
        lambda t: make_zip(t / "a.argosmodel", [*package_entries(), ("other/file.txt", b"x")]),
        "exactly one top-level folder",
    ),
    "top-level-file": (
        lambda t: make_zip(
            t / "a.argosmodel", [*package_entries(), ("metadata.json", METADATA.encode())]
        ),
        "exactly one top-level folder",
    ),
    "decompression-bomb": (_bomb, "decompression bomb"),
    "not-a-zip": (
        lambda t: (
            (t / "a.argosmodel").write_bytes(b"PK but not really a zip") and t / "a.argosmodel"
        ),
        "not a zip archive",
    ),
    "bad-metadata": (
        lambda t: make_zip(
            t / "a.argosmodel",
            [("translate-el_en-1_0/metadata.json", b"{not json"), *package_entries()[1:]],
        ),
        "not valid JSON",
    ),
    "metadata-without-codes": (
        lambda t: make_zip(
            t / "a.argosmodel",
            [
                ("translate-el_en-1_0/metadata.json", b'{"package_version": "1"}'),
                *package_entries()[1:],
            ],
        ),
        "from_code",
    ),
    "no-model": (
        lambda t: make_zip(t / "a.argosmodel", [package_entries()[0], package_entries()[2]]),
        "model.bin",
    ),
    "duplicate-entry": (
        lambda t: make_zip(t / "a.argosmodel", [*package_entries(), package_entries()[1]]),
        "appears twice",
    ),
    # well-formed archives whose model is no model: refused after unpacking, before the rename
    "garbage-model": (
        lambda t: make_zip(t / "a.argosmodel", package_entries()),
        "not a CTranslate2 model",
    ),
    "no-vocabulary": (
        lambda t: make_zip(
            t / "a.argosmodel",
            [
                package_entries()[0],
                ("translate-el_en-1_0/model/model.bin", b"\x06\x00\x00\x00" + b"\x00" * 60),
                package_entries()[2],
            ],
        ),
        "no vocabulary",
    ),
}


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archive_is_refused_and_nothing_written(tmp_path: Path, case: str) -> None:
    build, message = HOSTILE[case]
    archive = build(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, output = run("install", str(archive))
    assert code == 2, output
    assert message in " ".join(output.split())
    written = argos_packages_dir().iterdir() if argos_packages_dir().exists() else ()
    assert [p.name for p in written] in ([], [".lock"])
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not Path("/tmp/fidelity-pwned").exists()
    if case not in ("garbage-model", "no-vocabulary"):
        with pytest.raises(ArchiveError):
            validate_archive(archive)


def test_size_cap_refuses_before_writing(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.argosmodel", package_entries())
    with pytest.raises(ArchiveError, match="cap"):
        install_package(archive, max_total_bytes=100)
    assert not argos_packages_dir().exists()


def test_install_list_remove(tiny_argos_models: dict[str, Path]) -> None:  # noqa: F811
    code, output = run("list")
    assert code == 0
    assert "No translation packages installed" in output

    for key in ("el", "uk"):
        code, output = run("install", str(tiny_argos_models[key]))
        assert code == 0, output
        assert f"installed {key}-en" in output

    code, output = run("list")
    assert code == 0, output
    for expected in (
        "el-en",
        "translate-el_en",
        "1.0",
        "KiB",
        "minisbd",
        "uk-en",
        "fidelity (fallback)",
    ):
        assert expected in output
    assert [p.pair for p in list_packages()] == ["el-en", "uk-en"]
    # no work folder is left behind (the lock file stays)
    assert not [p for p in argos_packages_dir().iterdir() if p.name.startswith(".") and p.is_dir()]

    code, output = run("remove", "el-en")
    assert code == 0, output
    assert [p.pair for p in list_packages()] == ["uk-en"]

    code, output = run("remove", "el-en")
    assert code == 2
    assert "no el→en package is installed" in output


@pytest.mark.parametrize("spelling", ["uk-en", "uk_en", "translate-uk_en", "uk→en"])
def test_remove_accepts_pair_spellings(
    tiny_argos_models: dict[str, Path],  # noqa: F811
    spelling: str,
) -> None:
    install_package(tiny_argos_models["uk"])
    code, output = run("remove", spelling)
    assert code == 0, output
    assert list_packages() == ()


def test_remove_rejects_a_malformed_pair() -> None:
    code, output = run("remove", "greek")
    assert code == 2
    assert "write it like `el-en`" in output


def test_reinstall_replaces_the_pair(tmp_path: Path, tiny_argos_models: dict[str, Path]) -> None:  # noqa: F811
    install_package(tiny_argos_models["el"])
    install_package(tiny_argos_models["el"])
    assert [p.label for p in list_packages()] == ["translate-el_en@1.0"]
    # A newer version under another folder name replaces the old one.
    newer = tmp_path / "newer.argosmodel"
    with zipfile.ZipFile(tiny_argos_models["el"]) as src, zipfile.ZipFile(newer, "w") as dst:
        for info in src.infolist():
            name = info.filename.replace("translate-el_en-1_0", "translate-el_en-2_0")
            data = src.read(info)
            if name.endswith("metadata.json"):
                data = json.dumps({**json.loads(data), "package_version": "2.0"}).encode()
            dst.writestr(name, data)
    install_package(newer)
    installed = list_packages()
    assert [p.label for p in installed] == ["translate-el_en@2.0"]
    assert installed[0].path.name == "translate-el_en-2_0"
    assert sorted(p.name for p in argos_packages_dir().iterdir()) == [
        ".lock",
        "translate-el_en-2_0",
    ]


def test_install_into_explicit_dir(tmp_path: Path, tiny_argos_models: dict[str, Path]) -> None:  # noqa: F811
    target = tmp_path / "pkgs"
    code, output = run("install", str(tiny_argos_models["ru"]), "--dir", str(target))
    assert code == 0, output
    assert [p.pair for p in list_packages(target)] == ["ru-en"]
    assert list_packages() == ()


def test_missing_archive_is_a_clear_error(tmp_path: Path) -> None:
    code, output = run("install", str(tmp_path / "nope.argosmodel"))
    assert code == 2
    assert "no such file" in output


def test_download_offline_fails_fast_with_a_clear_message() -> None:
    # A loopback index: the socket guard refuses the connection without any DNS lookup.
    index = "https://127.0.0.1:9/index.json"
    code, output = run("download", "el", "--timeout", "1", "--index-url", index)
    assert code == 2
    assert "cannot reach" in output
    assert "fidelity models install" in " ".join(output.split())
    assert list_packages() == ()


def test_models_help_lists_the_commands() -> None:
    code, output = run("--help")
    assert code == 0
    for command in ("list", "install", "remove", "download"):
        assert command in output


# ------------------------------------------------------------------ half-installed packages

GREEK = "Ο πρόεδρος δήλωσε σήμερα ότι οι διαπραγματεύσεις συνεχίζονται."
RUSSIAN = "Президент заявил сегодня, что переговоры продолжаются."
EL_FOLDER = "translate-el_en-1_0"


def detected(text: str, language: str) -> DetectedArticle:
    segments = tuple(
        Segment(index=i, span=span, paragraph=0, language=language, confidence=0.9)
        for i, span in enumerate(split_sentences(text))
    )
    article = Article(id="a", origin="a.txt", text=text)
    return DetectedArticle(article, language, ((language, 1.0),), segments)


def _same_size(path: Path, byte: bytes, keep: int = 0) -> None:
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[:keep] + byte * (size - keep))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


# case -> (damage to the installed el package, reason listed or None when only loading fails)
DAMAGE: dict[str, tuple[Callable[[Path], object], str | None]] = {
    "no-model-folder": (lambda p: shutil.rmtree(p / "model"), "no model/ folder"),
    "no-model-bin": (lambda p: (p / "model" / "model.bin").unlink(), "no model/model.bin"),
    "truncated-model": (lambda p: _truncate(p / "model" / "model.bin"), "truncated?"),
    "empty-model": (lambda p: (p / "model" / "model.bin").write_bytes(b""), "empty or truncated"),
    "garbage-model": (
        lambda p: _same_size(p / "model" / "model.bin", b"\xa5"),
        "not a CTranslate2 model",
    ),
    "no-vocabulary": (
        lambda p: [f.unlink() for f in (p / "model").glob("*vocabulary*")],
        "no vocabulary",
    ),
    "no-sentencepiece": (
        lambda p: (p / "sentencepiece.model").unlink(),
        "no sentencepiece.model or bpe.model",
    ),
    "manifest-lists-a-missing-file": (
        lambda p: (p / "minisbd" / "el.onnx").unlink(),
        "minisbd/el.onnx is missing",
    ),
    "damaged-manifest": (lambda p: (p / MANIFEST).write_text("{", "utf-8"), "manifest"),
    # Damage of the right size that only loading the model shows:
    "model-body-zeroed": (lambda p: _same_size(p / "model" / "model.bin", b"\x00", 64), None),
    "garbage-sentencepiece": (lambda p: _same_size(p / "sentencepiece.model", b"\x07"), None),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_half_installed_package_is_listed_broken_and_refused(
    case: str,
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    install_package(tiny_argos_models["el"])
    install_package(tiny_argos_models["ru"])
    damage, reason = DAMAGE[case]
    damage(argos_packages_dir() / EL_FOLDER)

    code, output = run("list")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "ru-en" in flat
    if reason is not None:
        assert "Broken package folders" in flat
        assert EL_FOLDER in flat and reason in flat
        assert "fidelity models remove el-en" in flat
        assert [p.pair for p in list_packages()] == ["ru-en"]
        (broken,) = scan_packages()[1]
        assert broken.pair == "el-en" and reason in broken.reason

    translator = ArgosTranslator()
    with pytest.raises(ModelError) as refused:
        translator.translate(detected(GREEK, "el"), "en")
    message = " ".join(str(refused.value).split())
    assert EL_FOLDER in message
    assert "fidelity models remove el-en" in message
    assert "fidelity models install translate-el_en.argosmodel" in message
    # the other package keeps working
    (out,) = ArgosTranslator().translate(detected(RUSSIAN, "ru"), "en")
    assert out.provenance.status == "translated" and out.provenance.package == "translate-ru_en"

    # installing again replaces the broken package, and it translates
    code, output = run("install", str(tiny_argos_models["el"]))
    assert code == 0, output
    assert scan_packages()[1] == ()
    (out,) = ArgosTranslator().translate(detected(GREEK, "el"), "en")
    assert out.provenance.status == "translated" and out.provenance.package == "translate-el_en"


def test_folder_without_metadata_is_listed_and_removed_by_name(
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    install_package(tiny_argos_models["el"])
    (argos_packages_dir() / EL_FOLDER / "metadata.json").unlink()
    code, output = run("list")
    assert code == 0
    flat = " ".join(output.split())
    assert "No working translation packages installed" in flat
    assert "no metadata.json" in flat and f"fidelity models remove {EL_FOLDER}" in flat
    # the pair is unknown: Greek is left untranslated with the install hint, not refused
    (out,) = ArgosTranslator().translate(detected(GREEK, "el"), "en")
    assert out.provenance.status == "untranslated"
    code, output = run("remove", EL_FOLDER)
    assert code == 0, output
    assert "removed the broken package folder" in output
    assert scan_packages() == ((), ())


def test_leftover_of_an_interrupted_install_is_listed_then_cleaned(
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    install_package(tiny_argos_models["ru"])
    leftover = argos_packages_dir() / ".install-k2j4x" / EL_FOLDER
    leftover.mkdir(parents=True)
    (leftover / "metadata.json").write_text(METADATA, "utf-8")
    (leftover / "sentencepiece.model").write_bytes(b"\x01" * 10)
    code, output = run("list")
    assert code == 0
    flat = " ".join(output.split())
    assert ".install-k2j4x" in flat and "interrupted install" in flat
    assert [p.pair for p in list_packages()] == ["ru-en"]
    (out,) = ArgosTranslator().translate(detected(GREEK, "el"), "en")
    assert out.provenance.status == "untranslated"  # a work folder is never used
    code, output = run("install", str(tiny_argos_models["el"]))
    assert code == 0, output
    assert scan_packages()[1] == ()
    assert sorted(p.name for p in argos_packages_dir().iterdir() if p.is_dir()) == [
        EL_FOLDER,
        "translate-ru_en-1_0",
    ]


def test_install_replaces_a_broken_package_of_the_pair_under_another_name(
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    old = argos_packages_dir() / "translate-el_en-0_9"
    old.mkdir(parents=True)
    (old / "metadata.json").write_text(METADATA, "utf-8")  # and nothing else
    assert [b.pair for b in scan_packages()[1]] == ["el-en"]
    with pytest.raises(ModelError, match="translate-el_en-0_9"):
        ArgosTranslator().translate(detected(GREEK, "el"), "en")
    install_package(tiny_argos_models["el"])
    assert not old.exists()
    assert [p.label for p in list_packages()] == ["translate-el_en@1.0"]


def test_remove_takes_a_broken_package_of_the_pair(
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    install_package(tiny_argos_models["el"])
    shutil.rmtree(argos_packages_dir() / EL_FOLDER / "model")
    code, output = run("remove", "el-en")
    assert code == 0, output
    assert f"removed the broken package folder {EL_FOLDER}" in output
    assert scan_packages() == ((), ())


def test_interrupted_extraction_keeps_the_old_package_and_leaves_nothing(
    tiny_argos_models: dict[str, Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install_package(tiny_argos_models["el"])
    before = sorted(p.relative_to(argos_packages_dir()) for p in argos_packages_dir().rglob("*"))
    opened = 0
    real_open = zipfile.ZipFile.open

    def failing_open(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> Any:
        nonlocal opened
        opened += 1
        if opened > 2:  # a few files are written, then the disk "fills up"
            raise OSError(28, "No space left on device")
        return real_open(self, *args, **kwargs)

    with monkeypatch.context() as patch, pytest.raises(ArchiveError, match="nothing installed"):
        patch.setattr(zipfile.ZipFile, "open", failing_open)
        install_package(tiny_argos_models["el"])
    after = sorted(p.relative_to(argos_packages_dir()) for p in argos_packages_dir().rglob("*"))
    assert after == before
    (out,) = ArgosTranslator().translate(detected(GREEK, "el"), "en")
    assert out.provenance.status == "translated"


def test_broken_package_stops_compare_with_one_clear_line(
    tmp_path: Path,
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    from fidelity.cli import app

    install_package(tiny_argos_models["el"])
    _truncate(argos_packages_dir() / EL_FOLDER / "model" / "model.bin")
    (tmp_path / "a.md").write_text(f"---\nlanguage: el\n---\n{GREEK}\n", "utf-8")
    (tmp_path / "b.md").write_text("The president said talks continue today.\n", "utf-8")
    result = CliRunner().invoke(app, ["compare", str(tmp_path), "--embedder", "none"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "fidelity models remove el-en" in " ".join(result.output.split())


def test_two_installs_at_once_take_turns(
    tmp_path: Path,
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    folder = tmp_path / "packages"
    script = (
        "import sys; from pathlib import Path; "
        "from fidelity.translate.packages import install_package; "
        "[install_package(Path(sys.argv[1]), Path(sys.argv[2])) for _ in range(5)]"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tiny_argos_models["el"]), str(folder)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
    installed, broken = scan_packages(folder)
    assert [p.label for p in installed] == ["translate-el_en@1.0"] and broken == ()
    assert sorted(p.name for p in folder.iterdir()) == [".lock", EL_FOLDER]
