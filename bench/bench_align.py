"""Alignment benchmark on the synthetic corpus of ``bench/synth.py`` (prints figures only).

    .venv/bin/python bench/bench_align.py [--docs 200] [--sizes 100 200 400]

1. cold alignment of ``--docs`` documents (empty embedding cache) against the time to embed
   all their sentences once with the same model (target: ratio <= 1.5);
2. warm re-run (every vector from the cache) as a share of cold (target <= 10%);
3. time growth over ``--sizes`` documents, cold and warm, with the fitted exponent
   (target <= 1.15);
4. peak RSS of the process (target <= 2 GB);
plus how well the stories were recovered (documents of one synthetic story in one group).
"""

from __future__ import annotations

import argparse
import logging
import math
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import corpus_articles
from fidelity.align import align_articles
from fidelity.embed import MiniLMEmbedder, make_embedder
from fidelity.types import AlignmentResult, ExtractedArticle


def corpus(docs: int, seed: int = 11) -> list[ExtractedArticle]:
    """``docs`` documents: stories of 9 outlets each, plus one noise document per story."""
    stories = max(1, docs // 10)
    outlets = 9
    noise = docs - stories * outlets
    return corpus_articles(stories, outlets, noise=noise, sentences=30, seed=seed)


def story_purity(articles: list[ExtractedArticle], result: AlignmentResult) -> tuple[int, int]:
    """(synthetic stories split over several groups, groups mixing several stories)."""
    truth = {
        a.article.id: a.article.id.split("-")[0]
        for a in articles
        if not a.article.id.startswith("noise")
    }
    split = Counter()
    mixed = 0
    for story in result.stories:
        labels = {truth[a] for a in story.article_ids if a in truth}
        mixed += len(labels) > 1
        for label in labels:
            split[label] += 1
    return sum(1 for n in split.values() if n > 1), mixed


def timed_align(articles: list[ExtractedArticle], cache: Path) -> tuple[float, AlignmentResult]:
    embedder = make_embedder("minilm", cache)
    start = time.perf_counter()
    result = align_articles(articles, embedder=embedder)
    return time.perf_counter() - start, result


def cold_and_warm(
    articles: list[ExtractedArticle], repeat: int
) -> tuple[float, float, AlignmentResult]:
    """Best of ``repeat`` cold runs (fresh cache each) and of ``repeat`` warm runs."""
    colds, warms = [], []
    result = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            cold, result = timed_align(articles, Path(tmp))
            colds.append(cold)
            warms.append(min(timed_align(articles, Path(tmp))[0] for _ in range(repeat)))
    assert result is not None
    return min(colds), min(warms), result


def embed_time(sentences: list[str], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        MiniLMEmbedder(None).embed(sentences)
        best = min(best, time.perf_counter() - start)
    return best


def exponent(sizes: list[int], times: list[float]) -> float:
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400])
    parser.add_argument(
        "--repeat", type=int, default=2, help="best of this many runs (the machine is shared)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    # Import and load the model once, outside every timing.
    warm_up = MiniLMEmbedder(None)
    warm_up.embed(["warm up the model"])

    articles = corpus(args.docs)
    sentences = [c.text for a in articles for c in a.claims]
    print(f"corpus: {len(articles)} documents, {len(sentences)} sentences")

    embed_only = embed_time(sentences, args.repeat)
    cold, warm, result = cold_and_warm(articles, args.repeat)
    split, mixed = story_purity(articles, result)
    print(f"(best of {args.repeat} runs each)")
    print(f"embed all sentences once : {embed_only:7.2f} s")
    print(f"cold alignment           : {cold:7.2f} s  ratio {cold / embed_only:.2f} (<= 1.5)")
    print(f"warm alignment (cached)  : {warm:7.2f} s  {warm / cold:.1%} of cold (<= 10%)")
    print(
        f"stories: {len(result.stories)} groups; synthetic stories split: {split}, "
        f"groups mixing stories: {mixed}; {len(result.alignments)} alignments, "
        f"{len(result.clusters)} clusters, {len(result.unmatched)} unmatched claims"
    )

    colds, warms = [], []
    for size in args.sizes:
        docs = corpus(size, seed=size)
        c, w, _ = cold_and_warm(docs, args.repeat)
        colds.append(c)
        warms.append(w)
        print(f"{size:5d} documents: cold {c:7.2f} s, warm {w:6.2f} s")
    if len(args.sizes) > 1:
        print(
            f"growth exponent: cold {exponent(args.sizes, colds):.2f}, "
            f"warm {exponent(args.sizes, warms):.2f} (<= 1.15)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB (<= 2048 MB)")


if __name__ == "__main__":
    main()
