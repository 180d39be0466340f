"""Two real `fidelity compare` processes at once on one data folder.

Both start on an empty FIDELITY_HOME, so they race to create and fill every shared cache: the
translation cache (Greek and Russian articles go through tiny installed argos models), the
embedding cache (the real MiniLM embedder) and the analysis cache. Both must finish with
complete reports equal to each other and to a later warm run, leave healthy caches and no file
set aside as corrupt. Each child process has the socket guard armed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from argos_tiny import tiny_argos_models  # noqa: F401  (session fixture)

from fidelity.translate.packages import install_package

ROOT = Path(__file__).resolve().parent.parent
_GUARDED = (
    "import pytest_socket, sys; pytest_socket.disable_socket(allow_unix_socket=True); "
    "from fidelity.cli import main; sys.argv = ['fidelity'] + sys.argv[1:]; main()"
)
GREEK = (
    "---\noutlet: Kathimerini\nlanguage: el\n---\n"
    "Ο Μαρκ Ρούτε δήλωσε σήμερα στη Βουλή της Ουκρανίας ότι η συμμαχία θα αναπτύξει δυνάμεις "
    "σε ξηρά, θάλασσα και αέρα. Η Ρωσία προειδοποίησε ότι τα στρατεύματα θα είναι νόμιμοι "
    "στόχοι.\nΟι εγγυήσεις ασφαλείας προβλέπουν στρατιωτική απάντηση μέσα σε 72 ώρες.\n"
)
RUSSIAN = (
    "---\noutlet: RIA\nlanguage: ru\n---\n"
    "Генеральный секретарь НАТО Марк Рютте заявил в Верховной раде, что коалиция развернет "
    "силы на суше, на море и в воздухе. Москва предупредила, что войска станут законными "
    "целями.\nГарантии безопасности предусматривают военный ответ в течение 72 часов.\n"
)
CACHES = {
    "cache/translations.sqlite": "translations",
    "cache/embeddings/vectors.sqlite3": "vectors",
    "cache/analysis.sqlite": "entries",
}


def _compare(home: Path, corpus: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", _GUARDED, "compare", str(corpus), "-f", "json", "-o", str(out)],
        env={**os.environ, "FIDELITY_HOME": str(home)},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _finish(proc: subprocess.Popen[bytes]) -> str:
    _out, err = proc.communicate(timeout=600)
    text = err.decode("utf-8", "replace")
    assert proc.returncode == 0, text[-3000:]
    assert "Traceback" not in text and "WARNING" not in text, text[-3000:]
    return text


def _without_cache_flags(value: Any) -> Any:
    """The report, less `cached` (whether a run found a translation already made)."""
    if isinstance(value, dict):
        return {k: _without_cache_flags(v) for k, v in value.items() if k != "cached"}
    if isinstance(value, list):
        return [_without_cache_flags(v) for v in value]
    return value


def test_two_compare_runs_at_once_share_every_cache(
    seeds_dir: Path,
    tmp_path: Path,
    tiny_argos_models: dict[str, Path],  # noqa: F811
) -> None:
    home = tmp_path / "home"
    for key in ("el", "ru"):
        install_package(tiny_argos_models[key], home / "argos-packages")
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    (corpus / "greek.md").write_text(GREEK, "utf-8")
    (corpus / "russian.md").write_text(RUSSIAN, "utf-8")

    outs = [tmp_path / "first.json", tmp_path / "second.json"]
    for proc in [_compare(home, corpus, out) for out in outs]:
        _finish(proc)
    warm = tmp_path / "warm.json"
    _finish(_compare(home, corpus, warm))

    first, second, third = (json.loads(p.read_text("utf-8")) for p in (*outs, warm))
    assert len(first["articles"]) == 7 and first["findings"] and first["scores"]
    translated = [
        seg
        for article in first["articles"]
        for seg in article["segments"]
        if seg["provenance"]["status"] == "translated"
    ]
    assert {seg["provenance"]["package"] for seg in translated} == {
        "translate-el_en",
        "translate-ru_en",
    }
    assert _without_cache_flags(first) == _without_cache_flags(second)
    assert _without_cache_flags(first) == _without_cache_flags(third)

    for name, table in CACHES.items():
        conn = sqlite3.connect(home / name)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], name
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, name
        conn.close()
    assert not list(home.rglob("*.corrupt-*"))
