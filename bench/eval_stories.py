"""Story grouping quality on the labelled set ``fixtures/stories`` (and the seeds).

    .venv/bin/python bench/eval_stories.py [--topics a,b] [--no-pooled] [--eval-folders]
        [--embedder none]

Prints B-cubed precision / recall / F1 of ``compare``'s story groups per topic folder, the
mean F1 of the topics the grouping rules were chosen on (1-4) and of the held-out ones (5-8),
all topics pooled into one corpus, optionally the ``fixtures/eval`` story folders pooled (each
folder one story), and the seeds' grouping (000/001/003 one story; 002 and 004 each their
own). ``fidelity eval fixtures/stories/`` prints the same per-topic and pooled figures. Not a
timing benchmark: it is run by hand when the grouping rules (``AlignConfig.story_*``) change.
It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fidelity.evaluate_stories import GroupingScore, score_grouping, topic_folders  # noqa: E402
from fidelity.pipeline import RunConfig, build_backends, compare  # noqa: E402

# The topics the grouping rules were chosen on; the others are the held-out check
# (fixtures/stories/README.md).
CHOSEN_ON = (
    "cee-central-banks-may",
    "greece-wildfires-july",
    "poland-transport-strikes-june",
    "ukraine-security-guarantees-april",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--topics", help="comma-separated topic folder names (default: all)")
    parser.add_argument("--no-pooled", action="store_true", help="skip the pooled run")
    parser.add_argument(
        "--eval-folders", action="store_true", help="also pool the fixtures/eval story folders"
    )
    parser.add_argument("--embedder", default="minilm", help="minilm (default) or none")
    parser.add_argument("--verbose", action="store_true", help="print the predicted groups")
    args = parser.parse_args()
    folders = topic_folders(ROOT / "fixtures" / "stories")
    if args.topics:
        folders = [f for f in folders if f.name in args.topics.split(",")]
    with tempfile.TemporaryDirectory() as home:
        os.environ.setdefault("FIDELITY_HOME", home)
        config = RunConfig(embedder=args.embedder)
        backends = build_backends(config)
        scores = [score_grouping(f.name, [f], config, backends=backends) for f in folders]
        pooled: list[GroupingScore] = []
        if not args.no_pooled and len(folders) > 1:
            pooled.append(score_grouping("all topics pooled", folders, config, backends=backends))
        if args.eval_folders:
            stories = sorted(p for p in (ROOT / "fixtures" / "eval").iterdir() if p.is_dir())
            pooled.append(
                score_grouping("fixtures/eval pooled", stories, config, backends=backends)
            )
        print(f"{'set':36s} {'docs':>4s} {'P':>5s} {'R':>5s} {'F1':>5s}")
        for s in [*scores, *pooled]:
            print(f"{s.name:36s} {s.documents:4d} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}")
            if args.verbose:
                for g in s.groups:
                    print("    ", ", ".join(g))
        for label, part in (
            ("topics 1-4 (chosen on)", [s for s in scores if s.name in CHOSEN_ON]),
            ("topics 5-8 (held out)", [s for s in scores if s.name not in CHOSEN_ON]),
            ("all topics", scores),
        ):
            if part:
                mean = sum(s.f1 for s in part) / len(part)
                print(f"mean per-topic F1, {label}: {mean:.3f}")
        result = compare([ROOT / "seeds"], config, backends=backends)
        seeds = [[i[:3] for i in s.article_ids] for s in result.alignment.stories]
        print(f"seeds: {' | '.join(', '.join(g) for g in seeds)}")


if __name__ == "__main__":
    main()
