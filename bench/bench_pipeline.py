"""Whole-pipeline benchmarks: what a `fidelity compare` or `check` run costs as the corpus grows.

Prints figures and ratios against their floors (no pass/fail): run with

    .venv/bin/python bench/bench_pipeline.py            # 100/200/400 documents
    .venv/bin/python bench/bench_pipeline.py --quick    # 40/80 documents, for a smoke run
    .venv/bin/python bench/bench_pipeline.py --repeat 3 # fastest of 3 floors and 3 colds

Each measured run happens in a fresh subprocess (so peak RSS is that run's own) with its own
FIDELITY_HOME (so "cold" means empty caches) and the same one again for "warm".

Figures:
  embed floor   time to load the packaged MiniLM and embed every distinct sentence of the
                corpus once with it (what a user's own script would pay)
  cold compare  the whole pipeline on the corpus with empty caches; ratio to the embed floor
  warm compare  the same run again (every cache hit); fraction of cold
  scaling       cold compare at 3 sizes, and the fitted exponent of time ~ size^k
  check         one-page draft against 5 sources, cold process and warm (in-process repeat)
  langid        segments/s for lingua and langdetect on the same segments
  naive peer    difflib all-pairs sentence matching (what a user would otherwise script)
  --help        wall time of `fidelity --help`
Targets (2 cores): cold <= 1.5x floor; warm <= 10% of cold; exponent <= 1.15;
check warm <= 2 s; peak RSS <= 2 GB at 400 documents; --help < 0.5 s.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

# The child runs one measurement and prints one JSON line.
CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, {bench!r})
mode, folder = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if mode == "compare":
    from fidelity.pipeline import RunConfig, compare
    import sentence_transformers  # import cost is not the pipeline's; measured separately
    t0 = time.perf_counter()
    result = compare([folder], RunConfig(translator="identity"))
    out = {{"findings": len(result.findings), "stories": len(result.alignment.stories),
            "alignments": len(result.alignment.alignments)}}
elif mode == "embed":
    from fidelity.embed import make_embedder
    from fidelity.load import load_corpus
    from fidelity.langid import detect_articles, make_detector
    arts = load_corpus([folder]).articles
    det = detect_articles(arts, make_detector("lingua"))
    texts = sorted({{s.span.of(d.article.text) for d in det for s in d.segments}})
    import sentence_transformers  # imported before the clock starts, as for compare
    emb = make_embedder("minilm", use_cache=False)
    t0 = time.perf_counter()
    emb.embed(texts[:1])  # loads the model: a user's own embedding script pays this too
    loaded = time.perf_counter()
    emb.embed(texts)
    out = {{"sentences": len(texts), "model_load": loaded - t0}}
elif mode == "check":
    from fidelity.pipeline import RunConfig, check, build_backends, check_articles
    from fidelity.load import load_corpus
    import sentence_transformers
    files = sorted(os.listdir(folder))
    draft, sources = os.path.join(folder, files[0]), [os.path.join(folder, f) for f in files[1:6]]
    t0 = time.perf_counter()
    check(draft, sources, RunConfig(translator="identity"))
    cold = time.perf_counter() - t0
    config = RunConfig(translator="identity")
    backends = build_backends(config)
    arts = load_corpus([draft] + sources).articles
    check_articles(arts, config, backends=backends)
    t1 = time.perf_counter()
    check_articles(arts, config, backends=backends)
    out = {{"cold": cold, "warm": time.perf_counter() - t1}}
    t0 = time.perf_counter()
out["seconds"] = time.perf_counter() - t0
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def child(mode: str, folder: Path, home: Path) -> dict[str, float]:
    from child import run_child

    out: dict[str, float] = run_child(
        ["-c", CHILD.format(bench=str(HERE)), mode, str(folder)], home, f"{mode} run"
    )
    return out


def make_corpus(n_docs: int, folder: Path) -> None:
    from synth import generate, write_markdown

    outlets = 5
    noise = max(1, n_docs // 20)
    stories = max(1, (n_docs - noise) // outlets)
    write_markdown(generate(stories, outlets, noise=noise, sentences=30, seed=11), folder)


def langid_throughput(folder: Path) -> dict[str, float]:
    from fidelity.langid import make_detector
    from fidelity.load import load_corpus
    from fidelity.text.sentences import split_sentences

    arts = load_corpus([folder]).articles
    texts = [s.of(a.text) for a in arts for s in split_sentences(a.text)][:3000]
    out = {}
    for name in ("lingua", "langdetect"):
        det = make_detector(name)
        det.distributions(texts[:5])
        t0 = time.perf_counter()
        det.distributions(texts)
        out[name] = len(texts) / (time.perf_counter() - t0)
    return out


def naive_peer(folder: Path, max_docs: int = 40) -> tuple[float, int, int]:
    """difflib all-pairs best match per sentence over ``max_docs`` documents."""
    import difflib

    from fidelity.load import load_corpus
    from fidelity.text.sentences import split_sentences

    arts = load_corpus([folder]).articles[:max_docs]
    docs = [[s.of(a.text) for s in split_sentences(a.text)] for a in arts]
    t0 = time.perf_counter()
    pairs = 0
    for i, a in enumerate(docs):
        for j, b in enumerate(docs):
            if i >= j:
                continue
            for s in a:
                for t in b:
                    difflib.SequenceMatcher(None, s, t).ratio()
                    pairs += 1
    return time.perf_counter() - t0, pairs, len(arts)


def help_time() -> float:
    exe = Path(sys.executable).parent / "fidelity"
    best = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description="fidelity pipeline benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure the floor and cold compare this many times each, in turn, and keep the "
        "fastest of each (a shared or virtual machine's timings vary by 10-20%% run to run)",
    )
    args = parser.parse_args()
    sizes = [40, 80] if args.quick else [100, 200, 400]
    print(f"fidelity pipeline bench, {os.cpu_count()} cores; sizes {sizes}")
    print(f"--help: {help_time():.3f} s (target < 0.5 s)")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"corpus-{n}"
            make_corpus(n, folder)
            floors, colds = [], []
            for r in range(max(1, args.repeat)):  # interleaved, so drift hits both alike
                floors.append(child("embed", folder, Path(tmp) / f"floor-{n}-{r}"))
                home = Path(tmp) / f"home-{n}-{r}"
                colds.append(child("compare", folder, home))
            floor = min(floors, key=lambda f: f["seconds"])
            cold = min(colds, key=lambda c: c["seconds"])
            cold["peak_rss_mb"] = max(c["peak_rss_mb"] for c in colds)
            warm = child("compare", folder, home)
            if len(colds) > 1:
                print(
                    f"  {n} docs, {len(colds)} runs each: floor "
                    + ", ".join(f"{f['seconds']:.2f}" for f in floors)
                    + " s; cold "
                    + ", ".join(f"{c['seconds']:.2f}" for c in colds)
                    + " s (fastest of each kept)"
                )
            docs = len(list(folder.glob("*.md")))
            times.append((docs, cold["seconds"]))
            print(
                f"{docs:4d} docs, {floor['sentences']:6d} sentences | embed floor "
                f"{floor['seconds']:6.2f} s (model load {floor['model_load']:.2f} s) | "
                f"cold {cold['seconds']:6.2f} s "
                f"(x{cold['seconds'] / floor['seconds']:.2f} floor, target <= 1.5) | warm "
                f"{warm['seconds']:6.2f} s ({warm['seconds'] / cold['seconds']:.0%} of cold, "
                f"target <= 10%) | peak RSS cold {cold['peak_rss_mb']:.0f} MB "
                f"| stories {cold['stories']:.0f} findings {cold['findings']:.0f}"
            )
        if len(times) >= 2:
            xs = [math.log(d) for d, _ in times]
            ys = [math.log(t) for _, t in times]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            k = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
                (x - mx) ** 2 for x in xs
            )
            print(f"scaling exponent (cold time ~ docs^k): k = {k:.2f} (target <= 1.15)")
        small = Path(tmp) / f"corpus-{sizes[0]}"
        chk = child("check", small, Path(tmp) / "home-check")
        print(
            f"check (draft vs 5 sources): cold process {chk['cold']:.2f} s, warm "
            f"{chk['warm']:.2f} s (target <= 2 s), peak RSS {chk['peak_rss_mb']:.0f} MB"
        )
        rates = langid_throughput(small)
        print(
            f"langid: lingua {rates['lingua']:,.0f} segments/s, langdetect "
            f"{rates['langdetect']:,.0f} segments/s (x{rates['lingua'] / rates['langdetect']:.1f})"
        )
        seconds, pairs, docs = naive_peer(small)
        print(
            f"naive peer: difflib all-pairs on {docs} docs = {pairs:,} sentence pairs in "
            f"{seconds:.1f} s; quadratic, so {sizes[-1]} docs would take about "
            f"{seconds * (sizes[-1] / docs) ** 2:,.0f} s"
        )


if __name__ == "__main__":
    main()
