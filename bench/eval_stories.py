"""Story grouping quality on the labelled set ``fixtures/stories`` (and the seeds).

    .venv/bin/python bench/eval_stories.py [--topics a,b] [--no-pooled]

Prints B-cubed precision / recall / F1 of ``compare``'s story groups per topic folder, for
all topics pooled into one corpus, and for the seeds (000/001/003 one story; 002 and 004
each their own). Not a timing benchmark: it lives here because it is run by hand when the
grouping thresholds (``AlignConfig.story_*``) change. It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fidelity.evaluate_stories import score_grouping, topic_folders  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", help="comma-separated topic folder names (default: all)")
    parser.add_argument("--no-pooled", action="store_true", help="skip the pooled run")
    parser.add_argument("--verbose", action="store_true", help="print the predicted groups")
    args = parser.parse_args()
    folders = topic_folders(ROOT / "fixtures" / "stories")
    if args.topics:
        folders = [f for f in folders if f.name in args.topics.split(",")]
    with tempfile.TemporaryDirectory() as home:
        import os

        os.environ.setdefault("FIDELITY_HOME", home)
        scores = [score_grouping(f.name, [f]) for f in folders]
        if not args.no_pooled and len(folders) > 1:
            scores.append(score_grouping("all topics pooled", folders))
        print(f"{'set':36s} {'docs':>4s} {'P':>5s} {'R':>5s} {'F1':>5s}")
        for s in scores:
            print(f"{s.name:36s} {s.documents:4d} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}")
            if args.verbose:
                for g in s.groups:
                    print("    ", ", ".join(g))
        per_topic = scores[: len(folders)]
        if per_topic:
            mean = sum(s.f1 for s in per_topic) / len(per_topic)
            print(f"mean per-topic F1 {mean:.3f}")
        seeds = _seeds()
        print(f"seeds: {' | '.join(', '.join(g) for g in seeds)}")


def _seeds() -> list[list[str]]:
    from fidelity.pipeline import compare

    result = compare([ROOT / "seeds"])
    return [[i[:3] for i in s.article_ids] for s in result.alignment.stories]


if __name__ == "__main__":
    main()
