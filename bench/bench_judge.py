"""The learned judge's speed and memory on this machine (figures, not pass/fail).

    .venv/bin/python bench/bench_judge.py [--pairs 256]

Prints: load time; sentence pairs/s (a derived sentence of 12-28 words against a premise of 3
sentences, each pair its own source: the gate's case), on one core (the judge is pure Python
and numpy); an 800-pair document batch (100 derived texts of 8 sentences, each against its own
30-sentence source) in seconds; RSS at start, after importing fidelity, after load, and the
peak while judging (the judge's own share is peak minus the start).
Targets from issue 19: >= 40 pairs/s on 2 cores, 800 pairs <= 5 minutes, judge adds <= 300 MB.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

WORDS = (
    "the minister said officials agreed plan ceasefire breach response military alliance "
    "statement spokeswoman provocation strike market people killed sanctions talks March "
    "exports percent rose fell quarter revenue company customers meeting proposal deadline "
    "Tuesday Kyiv Athens Moscow NATO president government report 72 hours three days"
).split()


def _rss_mb() -> float:
    with Path("/proc/self/status").open(encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=256)
    args = parser.parse_args()
    rng = random.Random(0)
    before = _rss_mb()
    import fidelity.judge.model  # noqa: F401

    after_import = _rss_mb()
    from fidelity.judge import load_judge

    t0 = time.perf_counter()
    judge = load_judge()
    load_s = time.perf_counter() - t0
    after_load = _rss_mb()
    print(f"load: {load_s:.2f} s")

    pairs = [
        (
            _sentence(rng, rng.randint(12, 28)),
            " ".join(_sentence(rng, rng.randint(15, 30)) for _ in range(3)),
        )
        for _ in range(args.pairs)
    ]
    judge.supported(pairs[:32])  # warm-up
    t0 = time.perf_counter()
    judge.supported(pairs)
    rate = len(pairs) / (time.perf_counter() - t0)
    print(f"sentence pairs: {rate:.1f} pairs/s (target >= 40 on 2 cores)")

    docs = []
    for _ in range(100):
        source = " ".join(_sentence(rng, rng.randint(12, 30)) for _ in range(30))
        derived = " ".join(_sentence(rng, rng.randint(10, 25)) for _ in range(8))
        docs.append((derived, source))
    t0 = time.perf_counter()
    n = sum(len(t.sentences) for t in judge.judge_texts(docs))
    batch_s = time.perf_counter() - t0
    print(f"document batch: {n} sentence pairs in {batch_s:.1f} s (target <= 300 s for 800)")
    print(
        f"RSS: {before:.0f} MB at start, {after_import:.0f} MB after importing the judge, "
        f"{after_load:.0f} MB after load, peak {_peak_mb():.0f} MB; the judge adds "
        f"{_peak_mb() - before:.0f} MB (target <= 300 MB)"
    )


if __name__ == "__main__":
    main()
