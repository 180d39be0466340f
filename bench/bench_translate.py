"""Translate-stage figures (printed, never asserted).

1. Segments/second through the cache-hit path (a warm re-run; target >= 50,000/s).
2. Overhead of fidelity's argos wrapper over a bare argostranslate call on the same sentences
   with the tiny test model (target <= 10%).

Run: .venv/bin/python bench/bench_translate.py [--segments 3000] [--sentences 200] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def russian_sentences(n: int, seed: int = 7) -> list[str]:
    from argos_tiny import _WORDS

    rng = random.Random(seed)
    words = _WORDS["ru"]
    out = []
    for i in range(n):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(5, 14)))
        out.append(f"{body.capitalize()} {i}.")
    return out


def detected_article(sentences: list[str]):  # type: ignore[no-untyped-def]
    from fidelity.text.sentences import split_sentences
    from fidelity.types import Article, DetectedArticle, Segment

    text = "\n".join(sentences)
    segments = tuple(
        Segment(i, span, text.count("\n", 0, span.start), "ru", 0.99)
        for i, span in enumerate(split_sentences(text))
    )
    article = Article(id="bench", origin="bench", text=text)
    return DetectedArticle(article, "ru", (("ru", 1.0),), segments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=3000, help="segments for the cache bench")
    parser.add_argument(
        "--sentences", type=int, default=200, help="sentences for the overhead bench"
    )
    parser.add_argument("--repeats", type=int, default=5, help="interleaved repeats, best kept")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="fidelity-bench-"))
    os.environ["FIDELITY_HOME"] = str(work / "home")

    from argos_tiny import build_argos_package

    from fidelity.translate import ArgosTranslator, TranslationCache, install_package

    start = time.perf_counter()
    archive = build_argos_package(work / "archives", "ru", "en")
    pkg = install_package(archive)
    print(
        f"tiny ru→en package built and installed in {time.perf_counter() - start:.2f} s "
        f"({pkg.label})"
    )

    # ---------------------------------------------------------------- 1. cache-hit path
    detected = detected_article(russian_sentences(args.segments))
    n = len(detected.segments)
    with TranslationCache(work / "cache.sqlite") as cache:
        cold = ArgosTranslator(cache=cache)
        cold_s = best_of(1, lambda: cold.translate(detected, "en"))
        warm_s = best_of(5, lambda: ArgosTranslator(cache=cache).translate(detected, "en"))
        check = ArgosTranslator(cache=cache)
        assert all(p.provenance.cached for p in check.translate(detected, "en"))
    print("\n1. cache-hit path")
    print(f"   cold (model) : {n} segments in {cold_s:.3f} s = {n / cold_s:,.0f} segments/s")
    print(f"   warm (cache) : {n} segments in {warm_s:.4f} s = {n / warm_s:,.0f} segments/s")
    print(f"   target 50,000 segments/s: ratio {n / warm_s / 50_000:.2f}x of target")
    print(f"   warm / cold speed-up: {cold_s / warm_s:.0f}x")

    # ---------------------------------------------------------------- 2. wrapper overhead
    sentences = russian_sentences(args.sentences, seed=11)
    detected = detected_article(sentences)
    fidelity_translator = ArgosTranslator(cache=None)
    fidelity_translator.translate(detected_article(sentences[:3]), "en")  # load the model

    from fidelity.translate.argos import import_argos_package

    import_argos_package()  # sets ARGOS_PACKAGES_DIR to fidelity's folder for the import
    from argostranslate import translate as argos_translate

    translation = argos_translate.get_translation_from_codes("ru", "en")
    bare = translation.underlying  # the PackageTranslation, without argos's paragraph cache
    bare.hypotheses(sentences[0], num_hypotheses=1)  # load model and splitter
    document = "\n".join(sentences)

    model, tokenizer = bare.translator, bare.pkg.tokenizer

    def same_batching() -> list[str]:
        pieces = [tokenizer.encode(s) for s in sentences]
        results = model.translate_batch(
            pieces,
            replace_unknowns=True,
            max_batch_size=32,
            beam_size=4,
            num_hypotheses=1,
            length_penalty=0.2,
        )
        return [tokenizer.decode(r.hypotheses[0]).strip() for r in results]

    # Interleaved repeats, best of each: the machine is shared, so noise hits all variants alike.
    variants: dict[str, Callable[[], object]] = {
        "fidelity": lambda: fidelity_translator.translate(detected, "en"),
        "document": lambda: bare.hypotheses(document, num_hypotheses=1),
        "sentence": lambda: [bare.hypotheses(s, num_hypotheses=1) for s in sentences],
        "raw": same_batching,
    }
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(args.repeats):
        for name, fn in variants.items():
            best[name] = min(best[name], best_of(1, fn))
    fid_s, doc_s, one_s, raw_s = best["fidelity"], best["document"], best["sentence"], best["raw"]
    ours = [p.text for p in fidelity_translator.translate(detected, "en")]
    theirs = [bare.hypotheses(s, num_hypotheses=1)[0].value for s in sentences]
    same = sum(a == b for a, b in zip(ours, theirs, strict=True))
    print(f"\n2. wrapper overhead, {len(sentences)} sentences, tiny model, no cache")
    print(f"   fidelity ArgosTranslator.translate   : {fid_s:.3f} s")
    print(
        f"   bare argos, whole document per call : {doc_s:.3f} s  "
        f"(overhead {100 * (fid_s / doc_s - 1):+.1f}%, ratio {fid_s / doc_s:.2f})"
    )
    print(
        f"   bare argos, one call per sentence    : {one_s:.3f} s  "
        f"(overhead {100 * (fid_s / one_s - 1):+.1f}%, ratio {fid_s / one_s:.2f})"
    )
    print(
        f"   bare ctranslate2 with the same batching: {raw_s:.3f} s  "
        f"(overhead {100 * (fid_s / raw_s - 1):+.1f}%, ratio {fid_s / raw_s:.2f})"
    )
    print("   target: overhead <= +10%")
    print(f"   identical output to bare argos per sentence: {same}/{len(sentences)}")


if __name__ == "__main__":
    main()
