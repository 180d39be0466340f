"""Translation model packages (argostranslate ``.argosmodel`` archives): list, install, remove,
download.

Installing validates the whole archive before anything is written (one top-level folder,
``metadata.json``, no absolute paths, no ``..``, no links, size and compression-ratio caps) and
then extracts it next to the other packages through a temporary folder and one rename, holding
a lock on the packages folder so two installs never interleave. A manifest of the files and
their sizes is kept in the package, so that a package damaged later (a truncated model, a
missing tokenizer) is reported as broken by :func:`scan_packages`, like a folder left over by
an interrupted install. Only :func:`download_package` touches the network, and only when the
user asks for it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import socket
import stat
import struct
import tempfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fidelity.errors import ArchiveError, ModelError
from fidelity.paths import argos_packages_dir

log = logging.getLogger(__name__)

MAX_TOTAL_BYTES = 4 * 1024**3  # the largest argos packages unpack to well under 1 GiB
MAX_RATIO = 100.0  # model weights barely compress; a bomb compresses a thousandfold
MAX_ENTRIES = 20_000
_RATIO_FLOOR = 1024 * 1024  # small files (JSON, vocabularies) may compress well; ignore them
_METADATA_LIMIT = 1024 * 1024
_TOP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}

ARGOS_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
MANIFEST = ".fidelity-manifest.json"  # files and sizes as installed, kept in the package
_LOCK = ".lock"
# Folders an install, a download or a replacement works in; only a lock holder makes them, so
# one found while holding the lock was left by an interrupted run.
_WORK_PREFIXES = (".install-", ".retired-", ".download-")
_CT2_BINARY_VERSIONS = range(1, 64)  # model.bin starts with its format version (6 in 2025)


@dataclass(frozen=True, slots=True)
class InstalledPackage:
    """One installed translation package."""

    package_id: str  # "translate-el_en"
    from_code: str
    to_code: str
    version: str
    path: Path
    size_bytes: int
    splitter: str  # "minisbd" | "stanza" | "fidelity" (no splitter of its own: the fallback)

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def label(self) -> str:
        """Package id with version, as it appears in a result's signature."""
        return f"{self.package_id}@{self.version or '?'}"


@dataclass(frozen=True, slots=True)
class BrokenPackage:
    """A folder among the packages that cannot translate, with the reason and the fix."""

    path: Path
    reason: str
    from_code: str | None = None  # known when metadata.json could be read
    to_code: str | None = None
    leftover: bool = False  # a work folder of an interrupted install

    @property
    def pair(self) -> str | None:
        return f"{self.from_code}-{self.to_code}" if self.from_code and self.to_code else None

    @property
    def fix(self) -> str:
        """What to run to repair it."""
        if self.leftover:
            return "the next `fidelity models install` removes it, or delete the folder"
        if self.pair:
            return (
                f"run `fidelity models remove {self.pair}`, then `fidelity models install "
                f"translate-{self.from_code}_{self.to_code}.argosmodel` (install alone "
                "replaces it too)"
            )
        return f"run `fidelity models remove {self.path.name}`, then install the package again"


@dataclass(frozen=True, slots=True)
class ArchiveManifest:
    """What validation learned about an archive before extracting it."""

    top: str
    metadata: dict[str, Any]
    members: tuple[zipfile.ZipInfo, ...]
    total_bytes: int


# ----------------------------------------------------------------------------------- listing


def splitter_kind(package_dir: Path) -> str:
    """Which sentence splitter a package brings: ``minisbd``, ``stanza`` or ``fidelity``.

    A ``stanza/`` folder counts only when complete (``resources.json`` and a model file);
    otherwise stanza would fetch its resources from the network on first use.
    """
    minisbd = package_dir / "minisbd"
    if minisbd.is_dir() and any(minisbd.glob("*.onnx")):
        return "minisbd"
    stanza = package_dir / "stanza"
    if (stanza / "resources.json").is_file() and any(stanza.rglob("*.pt")):
        return "stanza"
    return "fidelity"


def _dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:
                continue
    return total


def _read_metadata(package_dir: Path) -> dict[str, Any]:
    metadata_path = package_dir / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError("no metadata.json") from exc
    except (OSError, ValueError, RecursionError) as exc:
        raise ModelError(f"metadata.json is unreadable ({exc})") from exc
    problem = _metadata_problem(metadata)
    if problem:
        raise ModelError(problem)
    return dict(metadata)


def _model_bin_problem(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        return f"model/model.bin is unreadable ({exc.strerror or exc})"
    if len(head) < 4:
        return "model/model.bin is empty or truncated"
    (version,) = struct.unpack("<I", head)
    if version not in _CT2_BINARY_VERSIONS:
        return "model/model.bin is not a CTranslate2 model (damaged or overwritten)"
    return None


def package_problem(package_dir: Path) -> str | None:
    """Why the package in ``package_dir`` cannot translate, or None when it looks complete.

    Checks the parts a translation needs (a CTranslate2 model with its vocabulary, a
    tokenizer) and, for packages fidelity installed, every file against the size it had.
    """
    model = package_dir / "model"
    if not model.is_dir():
        return "no model/ folder (the CTranslate2 model)"
    if not (model / "model.bin").is_file():
        return "no model/model.bin"
    problem = _model_bin_problem(model / "model.bin")
    if problem:
        return problem
    if not any(model.glob("*vocabulary*")):
        return "model/ has no vocabulary file"
    tokenizers = [package_dir / "sentencepiece.model", package_dir / "bpe.model"]
    if not any(t.is_file() for t in tokenizers):
        return "no sentencepiece.model or bpe.model (the tokenizer)"
    if all(t.stat().st_size == 0 for t in tokenizers if t.is_file()):
        return "the tokenizer file is empty"
    return _manifest_problem(package_dir)


def _manifest_problem(package_dir: Path) -> str | None:
    path = package_dir / MANIFEST
    if not path.is_file():
        return None  # installed by other means: only the structure can be checked
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
        expected = {str(name): int(size) for name, size in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return f"the install manifest {MANIFEST} is damaged"
    for name, size in sorted(expected.items()):
        try:
            found = (package_dir / name).stat().st_size
        except (OSError, ValueError):  # ValueError: a name with a NUL byte
            return f"{name} is missing"
        if found != size:
            return f"{name} is {found:,} bytes where {size:,} were installed (truncated?)"
    return None


def _inspect(package_dir: Path) -> InstalledPackage | BrokenPackage:
    if package_dir.name.startswith(_WORK_PREFIXES):
        return BrokenPackage(
            package_dir, "left over from an interrupted install or removal", leftover=True
        )
    try:
        metadata = _read_metadata(package_dir)
    except ModelError as exc:
        return BrokenPackage(package_dir, str(exc))
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    problem = package_problem(package_dir)
    if problem:
        return BrokenPackage(package_dir, problem, from_code, to_code)
    return InstalledPackage(
        package_id=f"translate-{from_code}_{to_code}",
        from_code=from_code,
        to_code=to_code,
        version=str(metadata.get("package_version", "")),
        path=package_dir,
        size_bytes=_dir_size(package_dir),
        splitter=splitter_kind(package_dir),
    )


def read_package(package_dir: Path) -> InstalledPackage:
    """Describe the installed package in ``package_dir``.

    Raises:
        ModelError: the folder is not a complete translation package (the message says why
            and how to repair it).
    """
    found = _inspect(package_dir)
    if isinstance(found, BrokenPackage):
        raise ModelError(broken_message(found))
    return found


def broken_message(broken: BrokenPackage) -> str:
    """The error a translation that needs ``broken`` stops with."""
    pair = f" {broken.from_code}→{broken.to_code}" if broken.pair else ""
    return (
        f"the{pair} translation package in {broken.path} is broken: {broken.reason}; {broken.fix}"
    )


def scan_packages(
    packages_dir: Path | None = None,
) -> tuple[tuple[InstalledPackage, ...], tuple[BrokenPackage, ...]]:
    """Every folder among the packages: the usable ones (sorted by pair) and the broken ones.

    Returns:
        ``(installed, broken)``; other hidden files (the lock) are not listed.
    """
    folder = packages_dir if packages_dir is not None else argos_packages_dir()
    if not folder.is_dir():
        return (), ()
    installed: list[InstalledPackage] = []
    broken: list[BrokenPackage] = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or (
            child.name.startswith(".") and not child.name.startswith(_WORK_PREFIXES)
        ):
            continue
        found = _inspect(child)
        if isinstance(found, BrokenPackage):
            broken.append(found)
        else:
            installed.append(found)
    return tuple(sorted(installed, key=lambda p: (p.pair, p.path.name))), tuple(broken)


def list_packages(packages_dir: Path | None = None) -> tuple[InstalledPackage, ...]:
    """Installed translation packages that can translate, sorted by language pair."""
    installed, broken = scan_packages(packages_dir)
    for item in broken:
        log.warning("%s", broken_message(item))
    return installed


def find_package(
    from_code: str, to_code: str, packages_dir: Path | None = None
) -> InstalledPackage | None:
    """The installed package translating ``from_code`` to ``to_code``, if any."""
    for pkg in list_packages(packages_dir):
        if pkg.from_code == from_code and pkg.to_code == to_code:
            return pkg
    return None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the packages folder's lock (installs, downloads and removals take turns).

    Work folders found while holding it were left by an interrupted run and are removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, leftovers are only listed
        yield
        return
    with (folder / _LOCK).open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            for child in folder.iterdir():
                if child.is_dir() and child.name.startswith(_WORK_PREFIXES):
                    log.info("removing %s, left over from an interrupted install", child)
                    shutil.rmtree(child, ignore_errors=True)
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _retire(path: Path, folder: Path) -> None:
    """Remove a package folder: first renamed away in one step, so no half folder remains."""
    retired = Path(tempfile.mkdtemp(prefix=".retired-", dir=folder))
    path.replace(retired / path.name)
    shutil.rmtree(retired, ignore_errors=True)


# -------------------------------------------------------------------------------- validation


def _metadata_problem(metadata: object) -> str | None:
    if not isinstance(metadata, dict):
        return "metadata.json must hold a JSON object"
    if metadata.get("type", "translate") != "translate":
        return f"package type {metadata.get('type')!r} is not a translation package"
    for field in ("from_code", "to_code"):
        code = metadata.get(field)
        if not isinstance(code, str) or not _LANG_CODE.match(code):
            return f"metadata.json needs a language code in {field!r} (got {code!r})"
    if not isinstance(metadata.get("package_version", ""), str):
        return "metadata.json 'package_version' must be a string"
    return None


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if not name or "\x00" in name or any(ord(c) < 32 for c in name):
        return f"entry {name!r} has an empty name or control characters"
    if "\\" in name:
        return f"entry {name!r} uses backslashes"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return f"entry {name!r} is an absolute path"
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"entry {name!r} has an empty, '.' or '..' path component"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return f"entry {name!r} is a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return f"entry {name!r} is not a regular file or folder"
    if info.flag_bits & 0x1:
        return f"entry {name!r} is encrypted"
    if info.compress_type not in _COMPRESSIONS:
        return f"entry {name!r} uses an unsupported compression method"
    return None


def validate_archive(
    archive: Path,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
    max_entries: int = MAX_ENTRIES,
) -> ArchiveManifest:
    """Check a ``.argosmodel`` archive without extracting anything.

    Raises:
        ArchiveError: the archive is not a zip, is hostile (absolute paths, ``..``, links, a
            decompression bomb) or is not a translation package.
    """
    where = str(archive)
    if not archive.is_file():
        raise ArchiveError(f"{where}: no such file; give the path of a .argosmodel archive")
    if not zipfile.is_zipfile(archive):
        raise ArchiveError(f"{where}: not a zip archive; a .argosmodel file is a zip")
    try:
        with zipfile.ZipFile(archive) as zf:
            members = tuple(zf.infolist())
            return _validate_members(
                zf, where, members, archive.stat().st_size, max_total_bytes, max_ratio, max_entries
            )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveError(f"{where}: unreadable zip archive ({exc})") from exc


def _validate_members(
    zf: zipfile.ZipFile,
    where: str,
    members: tuple[zipfile.ZipInfo, ...],
    archive_size: int,
    max_total_bytes: int,
    max_ratio: float,
    max_entries: int,
) -> ArchiveManifest:
    if not members:
        raise ArchiveError(f"{where}: the archive is empty")
    if len(members) > max_entries:
        raise ArchiveError(f"{where}: {len(members)} entries, more than the cap of {max_entries}")
    names: set[str] = set()
    tops: set[str] = set()
    total = 0
    for info in members:
        problem = _member_problem(info)
        if problem:
            raise ArchiveError(f"{where}: refused: {problem}")
        key = info.filename.rstrip("/")
        if key in names:
            raise ArchiveError(f"{where}: refused: entry {key!r} appears twice")
        names.add(key)
        parts = key.split("/")
        tops.add(parts[0])
        if len(parts) == 1 and not info.is_dir():
            raise ArchiveError(
                f"{where}: refused: file {key!r} sits at the top level; a package holds exactly "
                "one top-level folder"
            )
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            raise ArchiveError(
                f"{where}: refused: entry {key!r} expands {info.file_size} bytes from "
                f"{info.compress_size} (ratio above {max_ratio:g}; a decompression bomb?)"
            )
    if len(tops) != 1:
        raise ArchiveError(
            f"{where}: refused: {len(tops)} top-level entries ({', '.join(sorted(tops)[:5])}); "
            "a package holds exactly one top-level folder"
        )
    top = next(iter(tops))
    if not _TOP_NAME.match(top):
        raise ArchiveError(f"{where}: refused: top-level folder name {top!r} is not a plain name")
    if total > max_total_bytes:
        raise ArchiveError(
            f"{where}: refused: it would unpack to {total} bytes, more than the cap of "
            f"{max_total_bytes}"
        )
    if total > _RATIO_FLOOR and total > max_ratio * max(archive_size, 1):
        raise ArchiveError(
            f"{where}: refused: {archive_size} bytes would unpack to {total} (ratio above "
            f"{max_ratio:g}; a decompression bomb?)"
        )
    metadata_name = f"{top}/metadata.json"
    if metadata_name not in names:
        raise ArchiveError(f"{where}: refused: no {metadata_name}; not a translation package")
    info = zf.getinfo(metadata_name)
    if info.file_size > _METADATA_LIMIT:
        raise ArchiveError(f"{where}: refused: metadata.json is {info.file_size} bytes")
    try:
        metadata = json.loads(zf.read(info).decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ArchiveError(f"{where}: metadata.json is not valid JSON ({exc})") from exc
    problem = _metadata_problem(metadata)
    if problem:
        raise ArchiveError(f"{where}: {problem}")
    if f"{top}/model/model.bin" not in names:
        raise ArchiveError(f"{where}: no {top}/model/model.bin; not a CTranslate2 package")
    if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
        raise ArchiveError(f"{where}: no sentencepiece.model or bpe.model tokenizer")
    return ArchiveManifest(top=top, metadata=metadata, members=members, total_bytes=total)


# ---------------------------------------------------------------------------- install/remove


def _extract(zf: zipfile.ZipFile, manifest: ArchiveManifest, into: Path) -> None:
    root = into.resolve()
    for info in manifest.members:
        target = (into / info.filename).resolve()
        if target != root and root not in target.parents:
            raise ArchiveError(f"entry {info.filename!r} would land outside the package folder")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with zf.open(info) as src, target.open("xb") as dst:
            while chunk := src.read(1024 * 1024):
                written += len(chunk)
                if written > info.file_size:
                    raise ArchiveError(
                        f"entry {info.filename!r} unpacks to more than its declared "
                        f"{info.file_size} bytes"
                    )
                dst.write(chunk)


def _write_manifest(package_dir: Path) -> None:
    # metadata.json (checked by parsing) and the README may be edited; the rest must not change
    editable = {package_dir / "metadata.json", package_dir / "README.md"}
    files = {
        path.relative_to(package_dir).as_posix(): path.stat().st_size
        for path in sorted(package_dir.rglob("*"))
        if path.is_file() and path not in editable
    }
    (package_dir / MANIFEST).write_text(json.dumps({"files": files}, indent=1), "utf-8")


def install_package(
    archive: Path,
    packages_dir: Path | None = None,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> InstalledPackage:
    """Validate ``archive`` and install it, replacing any package (working or broken) for the
    same language pair.

    Args:
        archive: a ``.argosmodel`` file.
        packages_dir: where packages live (default: fidelity's own argos packages folder).
        max_total_bytes: refuse archives that would unpack to more than this.
        max_ratio: refuse archives that expand more than this many times.

    Returns:
        The installed package.

    Raises:
        ArchiveError: the archive was refused; nothing was written.
    """
    folder = packages_dir if packages_dir is not None else argos_packages_dir()
    manifest = validate_archive(archive, max_total_bytes=max_total_bytes, max_ratio=max_ratio)
    with _locked(folder):
        return _install_locked(archive, manifest, folder)


def _install_locked(archive: Path, manifest: ArchiveManifest, folder: Path) -> InstalledPackage:
    metadata = manifest.metadata
    installed, broken = scan_packages(folder)
    every: list[InstalledPackage | BrokenPackage] = [*installed, *broken]
    previous = [
        p.path
        for p in every
        if p.from_code == metadata["from_code"] and p.to_code == metadata["to_code"]
    ]
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=folder))
    destination = folder / manifest.top
    try:
        try:
            with zipfile.ZipFile(archive) as zf:
                _extract(zf, manifest, staging)
            _write_manifest(staging / manifest.top)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise ArchiveError(f"{archive}: extraction failed ({exc}); nothing installed") from exc
        problem = package_problem(staging / manifest.top)
        if problem:
            raise ArchiveError(f"{archive}: refused: {problem}; nothing installed")
        if destination.exists():
            _retire(destination, folder)
        (staging / manifest.top).replace(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for old in previous:
        if old.exists() and old.resolve() != destination.resolve():
            log.info("replacing %s with %s", old, manifest.top)
            _retire(old, folder)
    package = read_package(destination)
    log.info("installed %s into %s", package.label, destination)
    return package


def _normalise_pair(pair: str) -> tuple[str, str] | None:
    text = pair.strip()
    text = text.removeprefix("translate-")
    match = re.match(r"^([a-z]{2,3})\s*(?:-|_|→|->|2)\s*([a-z]{2,3})$", text)
    if not match:
        return None
    return match.group(1), match.group(2)


def remove_package(pair: str, packages_dir: Path | None = None) -> InstalledPackage | BrokenPackage:
    """Remove the installed package for ``pair`` (``el-en``, ``el_en`` or ``translate-el_en``),
    working or broken, or the package folder of that name (for a broken one).

    Returns:
        The package removed (a working one when the pair had one).

    Raises:
        ModelError: no such package is installed (or the pair is malformed).
    """
    folder = packages_dir if packages_dir is not None else argos_packages_dir()
    codes = _normalise_pair(pair)
    if not folder.is_dir():
        chosen: list[InstalledPackage | BrokenPackage] = []
        return _removed(chosen, pair, codes, ())
    with _locked(folder):
        installed, broken = scan_packages(folder)
        every: list[InstalledPackage | BrokenPackage] = [*installed, *broken]
        if codes is not None:
            chosen = [p for p in every if (p.from_code, p.to_code) == codes]
        else:
            chosen = [p for p in every if p.path.name == pair.strip()]
        for item in chosen:
            _retire(item.path, folder)
            log.info("removed %s", item.path)
    return _removed(chosen, pair, codes, installed)


def _removed(
    chosen: list[InstalledPackage | BrokenPackage],
    pair: str,
    codes: tuple[str, str] | None,
    installed: tuple[InstalledPackage, ...],
) -> InstalledPackage | BrokenPackage:
    if not chosen:
        if codes is None:
            raise ModelError(
                f"{pair!r} is not a language pair or a package folder; write it like `el-en`"
            )
        names = ", ".join(p.pair for p in installed) or "none"
        raise ModelError(
            f"no {codes[0]}→{codes[1]} package is installed (installed: {names}); "
            "see `fidelity models list`"
        )
    return next((p for p in chosen if isinstance(p, InstalledPackage)), chosen[0])


# ---------------------------------------------------------------------------------- download


def _probe(url: str, timeout: float) -> None:
    """Fail fast when the index host cannot be reached (one connection, short timeout)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except Exception as exc:  # any refusal (DNS, timeout, a socket guard) means offline
        raise ModelError(
            f"cannot reach {host} ({exc}); fidelity works offline and downloads only on "
            "request. Fetch the .argosmodel file on a connected machine and run "
            "`fidelity models install PATH.argosmodel`"
        ) from exc


def _fetch(url: str, timeout: float, limit: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "fidelity"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data: bytes = response.read(limit + 1)
    if len(data) > limit:
        raise ModelError(f"{url} is larger than {limit} bytes; refused")
    return data


def download_package(
    lang: str,
    *,
    pivot: str = "en",
    packages_dir: Path | None = None,
    index_url: str = ARGOS_INDEX_URL,
    timeout: float = 5.0,
) -> InstalledPackage:
    """Download the ``lang``→``pivot`` package from the argos package index and install it.

    The only function in fidelity that touches the network; the CLI calls it only when the
    user runs ``fidelity models download``. Offline it fails within ``timeout`` seconds.

    Raises:
        ModelError: offline, no such package in the index, or the download failed.
        ArchiveError: the downloaded archive was refused.
    """
    _probe(index_url, timeout)
    try:
        index = json.loads(_fetch(index_url, timeout, 16 * 1024 * 1024))
    except (OSError, ValueError) as exc:
        raise ModelError(f"could not read the package index {index_url}: {exc}") from exc
    entries = [
        e
        for e in (index if isinstance(index, list) else [])
        if isinstance(e, dict)
        and e.get("type", "translate") == "translate"
        and e.get("from_code") == lang
        and e.get("to_code") == pivot
    ]
    if not entries:
        raise ModelError(f"the package index lists no {lang}→{pivot} translation package")
    links = [link for link in entries[0].get("links", []) if str(link).startswith("https://")]
    folder = packages_dir if packages_dir is not None else argos_packages_dir()
    errors = []
    with _locked(folder):
        for link in links:
            with tempfile.TemporaryDirectory(prefix=".download-", dir=folder) as tmp:
                target = Path(tmp) / f"translate-{lang}_{pivot}.argosmodel"
                try:
                    target.write_bytes(_fetch(link, max(timeout, 60.0), MAX_TOTAL_BYTES))
                except (OSError, ModelError) as exc:
                    errors.append(f"{link}: {exc}")
                    continue
                return _install_locked(target, validate_archive(target), folder)
    raise ModelError(
        f"downloading the {lang}→{pivot} package failed: {'; '.join(errors) or 'no https link'}"
    )
