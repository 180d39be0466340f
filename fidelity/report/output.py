"""Writing a rendered report to disk: atomically, with errors that say how to fix them."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from fidelity.errors import ReportError
from fidelity.load.files import display_path, file_kind

# ``.report.json.<pid>-<hex>.tmp``: the pid tells a live write from one killed half-way.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?:(?P<pid>\d+)-)?[0-9a-f]{12}\.tmp$")
_STALE_AFTER_S = 3600  # a temporary file without a pid (older fidelity) is an orphan after this

FORMATS: dict[str, str] = {
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".text": "txt",
}


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The report format a file name asks for: ``json``, ``html``, ``md`` or ``txt``.

    Raises:
        ReportError: the extension is not one of ``.json .html .htm .md .markdown .txt``.
    """
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        known = " ".join(FORMATS)
        raise ReportError(
            f"cannot tell the report format of {os.fspath(path)!r} from its extension "
            f"{suffix or '(none)'!r}; use one of: {known}"
        ) from None


def check_output_path(
    path: str | os.PathLike[str], inputs: Sequence[str | os.PathLike[str]] = ()
) -> Path:
    """The file a report may be written to, or an error saying why not.

    A report replaces only a regular file: never a device, FIFO or socket, never an input of
    the run, and never through a symbolic link unless the link and its target, a regular
    file, are owned by the user (then the target is replaced and the link kept); root, who
    may write anywhere, never writes through a link.

    Args:
        path: the ``--out`` path.
        inputs: the files and folders the run reads; the report may not be one of them, nor
            an article file inside one of the folders.

    Returns:
        The path to write: ``path`` itself, or the target of an allowed link.

    Raises:
        ReportError: the path is refused.
    """
    target = Path(path)
    shown = display_path(target)
    try:
        st = target.lstat()
    except FileNotFoundError:
        st = None
    except OSError as error:
        raise ReportError(f"cannot write report {shown!r}: {error.strerror or error}") from error
    if st is not None and stat.S_ISLNK(st.st_mode):
        try:
            resolved = target.resolve(strict=True)
            pointed = resolved.stat()
        except (OSError, RuntimeError):
            raise ReportError(
                f"cannot write report {shown!r}: it is a broken symbolic link; remove it or "
                "choose another output path"
            ) from None
        user = os.geteuid()
        if user == 0:
            # root owns, or may write, every file: a link could aim the report at any of them
            raise ReportError(
                f"cannot write report {shown!r}: it is a symbolic link, and as root a report "
                f"is never written through one; give the target path itself"
            )
        if not stat.S_ISREG(pointed.st_mode) or pointed.st_uid != user or st.st_uid != user:
            raise ReportError(
                f"cannot write report {shown!r}: it is a symbolic link to "
                f"{file_kind(pointed.st_mode)} not owned by you; choose another output path"
            )
        target, st = resolved, pointed
    if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        raise ReportError(
            f"cannot write report {shown!r}: it is {file_kind(st.st_mode)}, not a regular "
            "file; give a file name"
        )
    real = _real(target)
    named = _real(Path(path).parent)
    places = {p for p in (real, named / Path(path).name if named else None) if p is not None}
    for item in inputs:
        source = _real(Path(item))
        if source is None:
            continue
        if source in places:
            raise ReportError(
                f"cannot write report {shown!r}: it is an input of this run and would be "
                "overwritten; choose another output path"
            )
        if Path(item).is_dir() and st is not None:
            from fidelity.load import SUFFIXES

            inside = any(source in place.parents for place in places)
            if inside and Path(path).suffix.lower() in SUFFIXES:
                raise ReportError(
                    f"cannot write report {shown!r}: it is an article file inside the input "
                    f"folder {display_path(item)!r} and would be overwritten; choose another "
                    "output path"
                )
    return target


def _real(path: Path) -> Path | None:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return None


def remove_orphan_temporaries(target: Path) -> list[Path]:
    """Remove temporary files that earlier writes of ``target`` left when killed half-way.

    A temporary file names the process that wrote it; it is an orphan when that process is
    gone (or, for names without a pid, when it is over an hour old). Returns those removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if not match or match.group("name") != target.name:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            continue
        pid = match.group("pid")
        orphan = not _process_alive(int(pid)) if pid else time.time() - st.st_mtime > _STALE_AFTER_S
        if orphan:
            with contextlib.suppress(OSError):
                Path(entry.path).unlink()
                removed.append(Path(entry.path))
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def write_report(
    content: str | bytes | Iterable[str],
    path: str | os.PathLike[str],
    *,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Write ``content`` to ``path`` atomically: a temporary file beside it, then a rename.

    ``content`` may be text, bytes, or text in pieces (``iter_json``), written as they come so
    that a very large report is never held whole in memory.

    Readers never see half a report, and a failed write leaves any previous report intact.
    Text is written as UTF-8 (a lone surrogate as its ``\\udcxx`` escape). A new file gets
    the usual permissions (0666 less the umask); a replaced file keeps its own. The path is
    checked first (``check_output_path``), and temporary files of earlier writes that were
    killed half-way are removed.

    Returns:
        The path written.

    Raises:
        ReportError: the folder is missing or not writable, the target is a folder, a
            read-only file, a special file, a link not allowed or an input, or the disk
            refused the write.
    """
    target = check_output_path(path, inputs)
    folder = target.parent
    pieces: Iterable[str | bytes] = [content] if isinstance(content, str | bytes) else content
    if not folder.is_dir():
        raise ReportError(
            f"cannot write report {os.fspath(target)!r}: the folder {os.fspath(folder)!r} does "
            "not exist; create it first or choose another output path"
        )
    mode: int | None = None
    if target.is_dir():
        raise ReportError(
            f"cannot write report {os.fspath(target)!r}: it is a folder; give a file name"
        )
    if target.exists():
        st = target.stat()
        # Mode bits, not os.access: as root os.access says yes to anything.
        writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
        if not st.st_mode & writable_bits or not os.access(target, os.W_OK):
            raise ReportError(
                f"cannot write report {os.fspath(target)!r}: the file is read-only; make it "
                "writable (chmod u+w) or choose another output path"
            )
        mode = stat.S_IMODE(st.st_mode)
    remove_orphan_temporaries(target)
    temporary = folder / f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        # O_EXCL: never follow or reuse someone else's file; 0o666 lets the umask decide.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as handle:
                for piece in pieces:
                    if isinstance(piece, str):
                        piece = piece.encode("utf-8", errors="backslashreplace")
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
            if mode is not None:
                temporary.chmod(mode)
            temporary.replace(target)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
    except PermissionError as error:
        raise ReportError(
            f"cannot write report {os.fspath(target)!r}: permission denied in "
            f"{os.fspath(folder)!r} ({error.strerror}); choose a writable folder"
        ) from error
    except OSError as error:
        raise ReportError(
            f"cannot write report {os.fspath(target)!r}: {error.strerror or error}"
        ) from error
    return target
