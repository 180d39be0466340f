"""The streaming Dask engine on a LocalCluster: throughput with 1 and 2 workers, peak RSS.

Prints figures, never pass/fail: run with

    .venv/bin/python bench/bench_dask.py                    # 10,000 articles; 2,000 for 1 vs 2
    .venv/bin/python bench/bench_dask.py --articles 1000 --scaling 400   # a quick look

A JSONL corpus of ``--articles`` synthetic articles (``bench/synth.py``: stories of five
outlets, a tenth of them relays, ``--sentences`` sentences each, English, so the identity
translator) is streamed through ``fidelity.stream.stream_compare`` with MiniLM and the real
language detector, on a LocalCluster of worker processes (one thread each, memory limit
2.5 GiB) started here, so that the workers' peak RSS can be read after the run:

- per-article stages (read, langid, translate, extract, embed): articles/s with 1 and with 2
  workers on the first ``--scaling`` articles, and the ratio (target >= 1.7);
- the whole corpus with 2 workers: seconds per phase, blocks, stories, findings, story files,
  and each worker's peak RSS (target <= 2 GB).

Each measurement is a fresh subprocess and a fresh cluster with an empty analysis cache. The
machine's load (``os.getloadavg``) is printed beside each figure: the 2 cores are shared.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, os, resource, sys, time
from dataclasses import replace
from pathlib import Path

def main():
    shard, workers, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    import dask.distributed
    from fidelity.pipeline import RunConfig
    from fidelity.stream import stream_compare
    cluster = dask.distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
        host="127.0.0.1", memory_limit="2.5GiB",
        env={"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
             "HF_HUB_OFFLINE": "1"},
    )
    client = dask.distributed.Client(cluster)
    # the models are loaded once per worker before the clock starts (not the stages' cost)
    def warm():
        from fidelity.distributed import _worker_backends
        from fidelity.load import article_from_text
        from fidelity.pipeline import _analyse
        backends = _worker_backends(config)
        text = "The minister said on Monday that 40 schools would reopen in March."
        _analyse([article_from_text("warm", "warm", text)], config, backends, None, None)
        if backends.embedder is not None:
            backends.embedder.embed([text])
        return os.getpid()
    config = RunConfig(translator="identity", use_cache=False, jobs=1,
                       stories_out=out / "stories", findings_parquet=out / "findings.parquet")
    client.run(warm)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    summary = stream_compare([shard], config, scheduler=cluster.scheduler_address)
    wall = time.perf_counter() - t0
    rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    # synthetic stories (ids s<story>-o<outlet>) whose articles landed in more than one block
    blocks_of_story = {}
    for path in (out / "stories").glob("*.json"):
        document = json.loads(path.read_text("utf-8"))
        for story in document["stories"]:
            for article in story["article_ids"]:
                key = article.split("-o")[0]
                blocks_of_story.setdefault(key, set()).add(story["id"].split("/")[0])
    split = sum(len(b) > 1 for b in blocks_of_story.values())
    driver = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "workers": workers, "articles": summary.articles, "wall_s": wall,
        "seconds": dict(summary.seconds), "blocks": summary.blocks,
        "largest_block": summary.largest_block, "stories": summary.stories,
        "relays": summary.relays, "alignments": summary.alignments,
        "findings": summary.findings, "story_files": summary.story_files,
        "synthetic_stories_split_across_blocks": split,
        "worker_peak_rss_mb": sorted(rss.values()), "driver_peak_rss_mb": driver,
        "load_before": load, "load_after": os.getloadavg()[0],
    }))
    client.close()
    cluster.close()

if __name__ == "__main__":
    main()
"""


def run(shard: Path, workers: int, home: Path) -> dict[str, object]:
    from child import run_child

    out = home / "out"
    out.mkdir(parents=True, exist_ok=True)
    script = home / "child.py"  # a file, not -c: the cluster's worker processes start from it
    script.write_text(CHILD, encoding="utf-8")
    result: dict[str, object] = run_child([str(script), str(shard), str(workers), str(out)], home)
    return result


def main() -> None:
    from synth import generate, write_jsonl

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--scaling", type=int, default=2_000, help="articles for 1 vs 2")
    parser.add_argument("--sentences", type=int, default=12)
    parser.add_argument("--skip-full", action="store_true", help="only the 1 vs 2 workers run")
    args = parser.parse_args()
    articles = generate(args.articles // 5, 5, sentences=args.sentences, seed=5, relays=0.1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        full = write_jsonl(articles, root / "corpus.jsonl")
        part = write_jsonl(articles[: args.scaling], root / "scaling.jsonl")
        print(f"corpus: {len(articles)} articles, {full.stat().st_size / 1e6:.1f} MB JSONL")
        rates = {}
        for workers in (1, 2):
            r = run(part, workers, root / f"home-scaling-{workers}")
            seconds = r["seconds"]
            assert isinstance(seconds, dict)
            rates[workers] = float(r["articles"]) / seconds["analyse"]  # type: ignore[arg-type]
            print(f"scaling, {workers} worker(s):", json.dumps(r), flush=True)
        print(
            f"per-article stages: {rates[1]:.1f} articles/s with 1 worker, {rates[2]:.1f} with "
            f"2: x{rates[2] / rates[1]:.2f} (target >= 1.7; 2 cores shared with other sessions)"
        )
        if not args.skip_full:
            t0 = time.perf_counter()
            r = run(full, 2, root / "home-full")
            print("full corpus, 2 workers:", json.dumps(r), flush=True)
            print(
                f"{r['articles']} articles in {time.perf_counter() - t0:.0f} s (with cluster "
                f"start); worker peak RSS MB {r['worker_peak_rss_mb']} (target <= 2048)"
            )


if __name__ == "__main__":
    main()
