"""`fidelity models`: install (with archive validation), list, remove, download offline."""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from argos_tiny import tiny_argos_models  # noqa: F401  (session fixture)
from typer.testing import CliRunner

from fidelity.cli_models import models_app
from fidelity.errors import ArchiveError
from fidelity.paths import argos_packages_dir
from fidelity.translate.packages import install_package, list_packages, validate_archive

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
    assert not argos_packages_dir().exists() or not any(argos_packages_dir().iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not Path("/tmp/fidelity-pwned").exists()
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
    assert not [p for p in argos_packages_dir().iterdir() if p.name.startswith(".")]

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
    assert sorted(p.name for p in argos_packages_dir().iterdir()) == ["translate-el_en-2_0"]


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
