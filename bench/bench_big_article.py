"""Time of one big article: where the default --max-bytes comes from.

    .venv/bin/python bench/bench_big_article.py 100000 200000 400000

Each size is a fresh `fidelity compare` process (empty FIDELITY_HOME, default options but the
limit raised past the article) on one article of that many bytes of distinct English sentences
beside five ordinary articles of one story. Prints wall time and peak RSS per size; the default
--max-bytes is chosen so that what it accepts finishes in under two minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def big_corpus(folder: Path, size: int) -> int:
    """One article of about ``size`` bytes of distinct sentences and five of one story."""
    from synth import generate, write_markdown

    write_markdown(generate(1, 5, seed=3), folder)
    parts: list[str] = []
    total = 0
    seed = 100
    while total < size - 200:
        for article in generate(40, 1, sentences=30, seed=seed):
            parts.append(article.text)
            total += len(article.text.encode()) + 2
        seed += 1
    body = "\n\n".join(parts).encode()[: size - 100].decode("utf-8", "ignore")
    text = f"---\noutlet: Digest\ntitle: A year of stories\n---\n{body}\n"
    (folder / "digest.md").write_text(text, encoding="utf-8")
    return len(text.encode())


def main() -> None:
    from bench_limits import run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int, help="article sizes in bytes")
    parser.add_argument("--embedder", default="minilm")
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            corpus = base / "corpus"
            actual = big_corpus(corpus, size)
            code, seconds, rss, message = run(
                [
                    "compare",
                    str(corpus),
                    "--embedder",
                    args.embedder,
                    "--max-bytes",
                    str(actual + 1),
                    "--format",
                    "json",
                    "--out",
                    str(base / "out.json"),
                ],
                base / "home",
            )
            tail = message.strip().splitlines()[-1:] if code else []
            print(
                f"{actual:>10,} bytes  exit {code}  {seconds:7.1f} s  peak RSS {rss:6.0f} MB", *tail
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
