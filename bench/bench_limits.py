"""Resource limits: what the largest inputs fidelity accepts by default cost, and how it refuses
larger ones.

    .venv/bin/python bench/bench_limits.py            # everything (about 15 minutes)
    .venv/bin/python bench/bench_limits.py --quick    # the 5 MB article without embeddings

Each run is a fresh `fidelity compare` process with an empty FIDELITY_HOME; its wall time and
peak RSS (from the kernel's accounting of that process) are printed against the 2 GB target.

  5 MB article     one article just under --max-bytes 5,000,000 (passed: the default is 300,000,
                   see bench_big_article.py for the time such articles take) of distinct
                   sentences, beside five ordinary articles of one story; with the packaged
                   MiniLM and with --embedder none
  2,000 documents  a JSONL corpus at the default --max-documents
  10,000 documents a JSONL corpus over it: refused at once, the message naming the flag
  over 5 MB        an article over --max-bytes: skipped with a message naming the flag
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

TARGET_MB = 2048
MAX_BYTES = 5_000_000  # the --max-bytes these runs pass (fidelity's default is 300,000)
MAX_DOCUMENTS = 2000  # fidelity's default --max-documents


def run(args: list[str], home: Path) -> tuple[int, float, float, str]:
    """Run ``fidelity ARGS`` in a fresh process; (exit code, seconds, peak RSS MB, stderr)."""
    env = {
        **os.environ,
        "FIDELITY_HOME": str(home),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fidelity.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        err.seek(0)
        message = err.read().decode("utf-8", "replace")
    return proc.returncode, seconds, usage.ru_maxrss / 1024, message


def giant_corpus(folder: Path) -> int:
    """A near-5 MB article of distinct sentences and five articles of one story; its size."""
    from synth import generate, write_markdown

    write_markdown(generate(1, 5, seed=3), folder)
    parts: list[str] = []
    size = 0
    seed = 100
    while size < MAX_BYTES - 60_000:
        for article in generate(40, 1, sentences=30, seed=seed):
            parts.append(article.text)
            size += len(article.text.encode()) + 2
        seed += 1
    body = "\n\n".join(parts)
    body = body.encode()[: MAX_BYTES - 200].decode("utf-8", "ignore")
    text = f"---\noutlet: Digest\ntitle: A year of stories\n---\n{body}\n"
    (folder / "digest.md").write_text(text, encoding="utf-8")
    return len(text.encode())


def jsonl_corpus(path: Path, documents: int) -> None:
    from synth import generate

    outlets = 5
    articles = generate(documents // outlets, outlets, sentences=30, seed=17)
    with path.open("w", encoding="utf-8") as out:
        for a in articles[:documents]:
            record = {"id": a.id, "outlet": a.outlet, "title": a.title, "text": a.text}
            out.write(json.dumps(record) + "\n")


def report(name: str, code: int, seconds: float, rss: float, message: str) -> None:
    verdict = "within" if rss <= TARGET_MB else "OVER"
    print(
        f"{name:<34} exit {code}  {seconds:7.1f} s  peak RSS {rss:6.0f} MB "
        f"({rss / TARGET_MB:.2f} of the 2 GB target: {verdict})"
    )
    last = [line for line in message.strip().splitlines() if line.strip()]
    if code != 0 and last:
        print(f"{'':<34} {last[-1].strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 5 MB article, no MiniLM")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        giant = base / "giant"
        size = giant_corpus(giant)
        print(f"5 MB article: {size:,} bytes, beside 5 articles of one story")
        out = base / "out.json"
        modes = ["none"] if args.quick else ["minilm", "none"]
        for embedder in modes:
            home = base / f"home-{embedder}"
            code, seconds, rss, message = run(
                [
                    "compare",
                    str(giant),
                    "--embedder",
                    embedder,
                    "--max-bytes",
                    str(MAX_BYTES),
                    "--format",
                    "json",
                    "--out",
                    str(out),
                ],
                home,
            )
            report(f"5 MB article, --embedder {embedder}", code, seconds, rss, message)
            if out.exists():
                print(f"{'':<34} JSON report {out.stat().st_size / 1e6:.0f} MB")
                out.unlink()
        if args.quick:
            return
        over = base / "over"
        over.mkdir()
        (over / "big.txt").write_text("Word and word. " * (MAX_BYTES // 15 + 10))
        (over / "a.txt").write_text("Rutte met ministers on Monday. They agreed a plan.")
        (over / "b.txt").write_text("Rutte met ministers on Monday. They signed a plan.")
        code, seconds, rss, message = run(
            ["compare", str(over), "--max-bytes", str(MAX_BYTES), "--format", "json"], base / "h0"
        )
        report("an article over --max-bytes", code, seconds, rss, message)
        print(f"{'':<34} {_first(message, 'big.txt')}")
        for documents in (MAX_DOCUMENTS, 10_000):
            corpus = base / f"corpus-{documents}.jsonl"
            jsonl_corpus(corpus, documents)
            code, seconds, rss, message = run(
                ["compare", str(corpus), "--format", "json", "--out", str(out)],
                base / f"home-{documents}",
            )
            report(f"{documents:,} documents (JSONL)", code, seconds, rss, message)
            if out.exists():
                out.unlink()


def _first(message: str, needle: str) -> str:
    return next((line.strip() for line in message.splitlines() if needle in line), "")


if __name__ == "__main__":
    main()
