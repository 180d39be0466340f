"""Safe access to input files: regular files only, reads bounded as they happen, names as text.

Every path fidelity reads (articles, sidecars, ``--batch`` files, lexicons) goes through
``read_bounded``: a FIFO, device or socket is refused before it could block or stream forever,
and the byte limit is counted while reading, not taken from ``stat()`` (``/dev/zero`` says 0).
Folders are walked by ``walk_folder``: special files and broken links are skipped with a note,
and links that leave the folder are not followed unless asked. A project file inside a folder
(README, LICENSE, CHANGELOG and the like, see ``is_project_file``) is not an article: it is
skipped with a note, and read only when named on its own.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fidelity.errors import InputError

_CHUNK = 1 << 16

# Files a repository or a download keeps beside the articles: their names (before the first
# dot, case-insensitive) say what they are. ``README.md`` or ``LICENSE.txt`` in a corpus folder
# is about the folder, never a news article; named on its own, it is read like any file.
PROJECT_FILE_NAMES = frozenset(
    {
        "readme",
        "license",
        "licence",
        "copying",
        "notice",
        "changelog",
        "changes",
        "authors",
        "contributors",
        "contributing",
        "code_of_conduct",
        "citation",
    }
)


def is_project_file(path: Path) -> bool:
    """Whether a file in a corpus folder is a project file, not an article.

    The rule: the part of the name before the first dot, compared case-insensitively, is one
    of :data:`PROJECT_FILE_NAMES` (``README.md``, ``LICENSE.txt``, ``CHANGELOG.md``,
    ``readme.de.md``, ``CODE_OF_CONDUCT.md``). ``readme-notes.md`` or ``licensed-goods.md`` are not.
    """
    return path.name.split(".", 1)[0].casefold().replace("-", "_") in PROJECT_FILE_NAMES


def display_path(path: str | os.PathLike[str]) -> str:
    """A file name as printable text: bytes that are not UTF-8 are shown as ``\\xff``.

    Python keeps such bytes as lone surrogates (``surrogateescape``), which no UTF-8 writer
    accepts; every name that reaches a report or a message goes through here first.
    """
    raw = os.fspath(path)
    if isinstance(raw, bytes):  # pragma: no cover - fidelity passes str paths
        raw = os.fsdecode(raw)
    if not any("\udc80" <= ch <= "\udcff" or "\ud800" <= ch <= "\udfff" for ch in raw):
        return raw
    out = []
    for ch in raw:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def file_kind(mode: int) -> str:
    """What a ``st_mode`` is, in words ("a FIFO", "a character device" ...)."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a special file"


def read_bounded(path: str | os.PathLike[str], limit: int, *, what: str = "file") -> bytes:
    """The bytes of a regular file, refusing anything else and anything over ``limit`` bytes.

    The file is opened without blocking (a FIFO with no writer would hang an ordinary open),
    checked to be a regular file on the open descriptor, and read in chunks until ``limit``
    is passed, so a file that grows, or lies about its size, is still refused in bounded time.

    Args:
        path: the file to read.
        limit: the most bytes accepted.
        what: what the file is, for messages ("file", "batch file", "lexicon file").

    Raises:
        InputError: the path is missing, a folder, a special file, unreadable, or too large.
    """
    origin = display_path(path)
    try:
        before = Path(path).stat()
    except OSError as exc:
        raise InputError(origin, f"cannot read the {what} ({exc.strerror or exc})") from exc
    _require_regular(before.st_mode, origin, what)
    if before.st_size > limit:
        raise _too_large(origin, before.st_size, limit, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(origin, f"cannot read the {what} ({exc.strerror or exc})") from exc
    try:
        # The path may have been swapped for something else since stat(): check what is open.
        _require_regular(os.fstat(fd).st_mode, origin, what)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _too_large(origin, None, limit, what)
    except OSError as exc:
        raise InputError(origin, f"cannot read the {what} ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    return b"".join(chunks)


def _require_regular(mode: int, origin: str, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError(origin, f"expected a {what}, not a folder")
    raise InputError(
        origin, f"is {file_kind(mode)}, not a regular file; only regular files are read"
    )


def _too_large(origin: str, size: int | None, limit: int, what: str) -> InputError:
    size_text = f"is {size:,} bytes" if size is not None else "holds more bytes than that"
    flag = "--max-bytes" if what == "file" else "a smaller file"
    return InputError(
        origin,
        f"the {what} {size_text}, over the {limit:,}-byte limit; "
        + ("raise it with --max-bytes" if flag == "--max-bytes" else "split it"),
    )


@dataclass(frozen=True, slots=True)
class FolderListing:
    """The article files found under a folder, and what was passed over with a reason."""

    files: tuple[Path, ...]
    notes: tuple[tuple[str, str], ...]  # (origin, reason) of each entry skipped


def walk_folder(
    root: Path, suffixes: Iterable[str], *, follow_links: bool = False
) -> FolderListing:
    """Every regular file under ``root`` whose suffix is one of ``suffixes``, sorted.

    Special files (FIFOs, devices, sockets) and broken links with an article suffix are
    passed over with a note, as are project files (README, LICENSE, CHANGELOG ...: see
    :func:`is_project_file`). A symbolic link whose target lies outside ``root`` is not
    followed unless ``follow_links``; a folder reached twice (a link loop) is walked once.
    """
    wanted = tuple(s.lower() for s in suffixes)
    root_real = os.path.realpath(root)
    seen = {root_real}
    files: list[Path] = []
    notes: list[tuple[str, str]] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            notes.append((display_path(folder), f"cannot list the folder ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            is_article = path.suffix.lower() in wanted
            try:
                link = entry.is_symlink()
                if link:
                    try:
                        target = os.path.realpath(path, strict=True)
                    except (OSError, RuntimeError):
                        if is_article:
                            notes.append((display_path(path), "a broken link"))
                        continue
                    if not follow_links and not _inside(target, root_real):
                        if is_article or Path(target).is_dir():
                            notes.append(
                                (
                                    display_path(path),
                                    "a link to outside the folder; not followed "
                                    "(use --follow-links to read it)",
                                )
                            )
                        continue
                    mode = path.stat().st_mode
                else:
                    mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                if is_article:
                    notes.append((display_path(path), f"cannot read it ({exc.strerror})"))
                continue
            if stat.S_ISDIR(mode):
                real = os.path.realpath(path)
                if real not in seen:
                    seen.add(real)
                    pending.append(path)
            elif is_article:
                if stat.S_ISREG(mode) and is_project_file(path):
                    notes.append(
                        (
                            display_path(path),
                            "a project file (README, LICENSE, CHANGELOG ...), not an article; "
                            "name the file itself to read it",
                        )
                    )
                elif stat.S_ISREG(mode):
                    files.append(path)
                else:
                    notes.append((display_path(path), f"is {file_kind(mode)}, not a regular file"))
    return FolderListing(tuple(sorted(files)), tuple(notes))


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)
