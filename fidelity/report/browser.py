"""Open an HTML report in headless Chromium: dump the DOM after scripts ran, collect console
messages, take a screenshot. Used by the browser tests and to make the README screenshot:

    python -m fidelity.report.browser report.html docs/report.png

Chromium runs offline-minded (no background networking, sync, component updates or QUIC)
with a fresh throw-away profile, on a ``file://`` URL; the report itself fetches nothing.
On Debian: ``apt-get install -y chromium``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fidelity.errors import ReportError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
)
_CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?(?::\d+)?\]\s*(?P<message>.*)$")


@dataclass(frozen=True, slots=True)
class PageRun:
    """What Chromium reported for one page load."""

    dom: str  # the serialised DOM after scripts ran ("" when not asked for)
    console: tuple[str, ...]  # console messages: errors, CSP violations, logs
    log: str  # Chromium's whole stderr, for diagnosis


def find_chromium() -> str | None:
    """The Chromium executable: ``$FIDELITY_CHROMIUM`` if set, else the first on ``PATH``."""
    explicit = os.environ.get("FIDELITY_CHROMIUM")
    if explicit:
        return shutil.which(explicit) or (explicit if Path(explicit).is_file() else None)
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def _run(executable: str, args: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="fidelity-chromium-") as profile:
        command = [executable, *FLAGS, f"--user-data-dir={profile}", *args]
        try:
            return subprocess.run(
                command,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ReportError(f"chromium did not finish within {timeout:g} s") from error
        except OSError as error:
            raise ReportError(f"cannot run chromium ({executable}): {error}") from error


def _executable(chromium: str | None) -> str:
    found = chromium or find_chromium()
    if not found:
        raise ReportError(
            "chromium is not installed; on Debian run `apt-get install -y chromium` "
            "(or set FIDELITY_CHROMIUM to the browser's path)"
        )
    return found


def load_page(
    html_path: str | os.PathLike[str],
    *,
    chromium: str | None = None,
    timeout: float = 60.0,
    budget_ms: int = 3000,
) -> PageRun:
    """Load a page, let its scripts run, and return the DOM and the console messages.

    Args:
        html_path: the HTML file.
        chromium: the browser executable (default: :func:`find_chromium`).
        timeout: seconds before giving up.
        budget_ms: virtual time granted to the page's scripts before the DOM is dumped.

    Raises:
        ReportError: no chromium, or it failed or hung.
    """
    url = Path(html_path).resolve().as_uri()
    done = _run(
        _executable(chromium),
        [
            "--enable-logging=stderr",
            "--v=0",
            f"--virtual-time-budget={budget_ms}",
            "--dump-dom",
            url,
        ],
        timeout,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise ReportError(
            f"chromium failed to load {url} (exit {done.returncode}): {done.stderr[-800:]}"
        )
    console = tuple(
        m.group("message") for line in done.stderr.splitlines() if (m := _CONSOLE.search(line))
    )
    return PageRun(dom=done.stdout, console=console, log=done.stderr)


def screenshot(
    html_path: str | os.PathLike[str],
    png_path: str | os.PathLike[str],
    *,
    width: int = 1280,
    height: int = 900,
    chromium: str | None = None,
    timeout: float = 60.0,
) -> Path:
    """Save a PNG of the first ``width`` x ``height`` pixels of the page.

    Raises:
        ReportError: no chromium, or it produced no image.
    """
    target = Path(png_path).resolve()
    if target.exists():
        target.unlink()
    done = _run(
        _executable(chromium),
        [
            f"--window-size={width},{height}",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--virtual-time-budget=3000",
            f"--screenshot={target}",
            Path(html_path).resolve().as_uri(),
        ],
        timeout,
    )
    if not target.is_file():
        raise ReportError(
            f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-800:]}"
        )
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m fidelity.report.browser REPORT.html OUT.png [WIDTH HEIGHT]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (2, 4):
        sys.stderr.write(
            "usage: python -m fidelity.report.browser REPORT.html OUT.png [WIDTH HEIGHT]\n"
        )
        return 2
    size = (int(args[2]), int(args[3])) if len(args) == 4 else (1280, 900)
    try:
        run = load_page(args[0])
        out = screenshot(args[0], args[1], width=size[0], height=size[1])
    except ReportError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    for message in run.console:
        sys.stderr.write(f"console: {message}\n")
    sys.stdout.write(f"{out} ({out.stat().st_size} bytes)\n")
    return 1 if run.console else 0


if __name__ == "__main__":
    raise SystemExit(main())
