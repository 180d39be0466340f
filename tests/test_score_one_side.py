"""One finding per divergence: in consensus mode, two outlets that differ about one fact are
reported once, on the later article, not once from each side."""

from __future__ import annotations

from pathlib import Path

from fidelity.pipeline import RunConfig, compare

BODY = (
    "The city council approved {n} new homes on the harbour site on Monday.\n\n"
    "Construction is due to start in the spring, the housing office said.\n\n"
    "Residents had asked for a new school and a park on the same land.\n"
)


def write(folder: Path, name: str, published: str, homes: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.md").write_text(
        f"---\noutlet: {name.title()}\npublished: {published}\ntitle: Council backs harbour "
        f"homes\n---\n{BODY.format(n=homes)}",
        encoding="utf-8",
    )


def test_two_outlets_differing_on_a_number_give_one_finding_on_the_later(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    write(folder, "later", "2026-03-02", 45)
    write(folder, "earlier", "2026-03-01", 40)
    result = compare([folder], RunConfig(embedder="none", use_cache=False))
    numbers = [f for f in result.findings if f.category == "number_changed"]
    assert len(numbers) == 1
    assert numbers[0].derived.article_id == "later"
    earlier = next(s for s in result.scores if s.article_id == "earlier")
    assert earlier.score == 100.0 and sum(earlier.counts.values()) == 0
