"""One story told by many outlets: does `compare` grow linearly with the outlets?

Prints figures, never pass/fail: run with

    .venv/bin/python bench/bench_one_story.py              # 100/200/400 outlets of one story
    .venv/bin/python bench/bench_one_story.py --quick      # 40/80 outlets
    .venv/bin/python bench/bench_one_story.py --exact      # also all pairs (panel switched off)
    .venv/bin/python bench/bench_one_story.py --jobs 0     # worker processes: one per CPU
    .venv/bin/python bench/bench_one_story.py --relays 0.3 # 30% of outlets republish another
                                                           # (relay detection on, then off)

Each run is a fresh subprocess with empty caches (``use_cache=False``) and the identity
translator (the synthetic corpus is English). Figures per size: seconds, alignments, claim
clusters, findings, peak RSS; then the fitted exponent of time ~ outlets^k (target <= 1.15)
and the ratio of one story of 200 outlets to 200 documents in 40 stories of five (target <= 2).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, resource, sys, time
folder, jobs, exact = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "exact"
relays = sys.argv[4] == "relays"
import sentence_transformers  # import cost is not the pipeline's
from fidelity.pipeline import RunConfig, compare
config = RunConfig(translator="identity", use_cache=False, jobs=jobs, relays=relays)
if exact:
    import functools
    import fidelity.align as align
    align.AlignConfig = functools.partial(align.AlignConfig, panel_above=10**9)
t0 = time.perf_counter()
result = compare([folder], config)
print(json.dumps({"seconds": time.perf_counter() - t0,
    "stories": len(result.alignment.stories), "alignments": len(result.alignment.alignments),
    "clusters": len(result.alignment.clusters), "findings": len(result.findings),
    "relays": sum(e.relay_of is not None for e in result.articles),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(folder: Path, home: Path, jobs: int, exact: bool, relays: bool = True) -> dict[str, float]:
    from child import run_child

    args = [
        "-c",
        CHILD,
        str(folder),
        str(jobs),
        "exact" if exact else "panel",
        "relays" if relays else "no-relays",
    ]
    out: dict[str, float] = run_child(args, home)
    return out


def main() -> None:
    from synth import generate, write_markdown

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 and 80 outlets")
    parser.add_argument("--exact", action="store_true", help="also run all pairs (no panel)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (0: per CPU)")
    parser.add_argument(
        "--relays",
        type=float,
        default=0.0,
        help="share of outlets that republish another outlet's article; runs with relay "
        "detection on and off",
    )
    args = parser.parse_args()
    sizes = (40, 80) if args.quick else (100, 200, 400)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows: list[tuple[str, int, dict[str, float]]] = []
        for n in sizes:
            folder = root / f"one-{n}"
            write_markdown(generate(1, n, sentences=30, seed=11, relays=args.relays), folder)
            modes = ["panel", "exact"] if args.exact else ["panel"]
            if args.relays:
                modes.append("relays off")
            for mode in modes:
                home = root / f"home-{mode}-{n}"
                rows.append(
                    (mode, n, run(folder, home, args.jobs, mode == "exact", mode != "relays off"))
                )
                print(mode, n, json.dumps(rows[-1][2]), flush=True)
        mid = sizes[len(sizes) // 2]
        spread = root / "spread"
        write_markdown(generate(mid // 5, 5, sentences=30, seed=11, relays=args.relays), spread)
        spread_run = run(spread, root / "home-spread", args.jobs, False)
        print(f"spread {mid} docs in {mid // 5} stories", json.dumps(spread_run), flush=True)

    print()
    print("| mode | outlets | relays | seconds | alignments | clusters | findings | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for mode, n, r in rows:
        print(
            f"| {mode} | {n} | {r['relays']:.0f} | {r['seconds']:.1f} | {r['alignments']:.0f} "
            f"| {r['clusters']:.0f} | {r['findings']:.0f} | {r['peak_rss_mb']:.0f} |"
        )
    panel = [(n, r["seconds"], r["alignments"]) for mode, n, r in rows if mode == "panel"]
    (n0, t0, a0), (n1, t1, a1) = panel[0], panel[-1]
    k_time = math.log(t1 / t0) / math.log(n1 / n0)
    k_align = math.log(a1 / a0) / math.log(n1 / n0)
    one = next(r["seconds"] for mode, n, r in rows if mode == "panel" and n == mid)
    print(f"exponent of time ~ outlets^k, {n0}->{n1}: k = {k_time:.2f} (target <= 1.15)")
    print(f"exponent of alignments: {k_align:.2f}")
    print(
        f"one story of {mid} / {mid} documents in {mid // 5} stories: "
        f"{one:.1f} / {spread_run['seconds']:.1f} s = {one / spread_run['seconds']:.2f} "
        "(target <= 2)"
    )


if __name__ == "__main__":
    main()
