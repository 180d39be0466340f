"""Writing a rendered report to disk: atomically, with errors that say how to fix them."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from fidelity.errors import ReportError

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


def write_report(content: str | bytes | Iterable[str], path: str | os.PathLike[str]) -> Path:
    """Write ``content`` to ``path`` atomically: a temporary file beside it, then a rename.

    ``content`` may be text, bytes, or text in pieces (``iter_json``), written as they come so
    that a very large report is never held whole in memory.

    Readers never see half a report, and a failed write leaves any previous report intact.
    Text is written as UTF-8. A new file gets the usual permissions (0666 less the umask);
    a replaced file keeps its own.

    Returns:
        The path written.

    Raises:
        ReportError: the folder is missing or not writable, the target is a folder or a
            read-only file, or the disk refused the write.
    """
    target = Path(path)
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
    temporary = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        # O_EXCL: never follow or reuse someone else's file; 0o666 lets the umask decide.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as handle:
                for piece in pieces:
                    handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
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
