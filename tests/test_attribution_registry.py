"""What an article has named so far: the newest first, one entry per speaker, bounded."""

from __future__ import annotations

from fidelity.extract.attribution import Registry
from fidelity.types import Speaker

COSTA = Speaker("Ana Costa", "Ana Costa", "person", "finance minister")
MINISTRY = Speaker("Russian foreign ministry", "the ministry", "organisation")
SOURCES = Speaker("anonymous sources", "officials", "anonymous")


def test_the_newest_of_a_kind() -> None:
    registry = Registry()
    for speaker in (COSTA, MINISTRY, SOURCES):
        registry.note_speaker(speaker)
    assert registry.last(("person",)) == COSTA
    assert registry.last(("organisation", "outlet")) == MINISTRY
    registry.note_speaker(COSTA)  # named again: the newest again, still one entry
    assert registry.last(("person", "organisation", "anonymous")) == COSTA


def test_by_surname_and_role() -> None:
    registry = Registry()
    registry.note_speaker(COSTA)
    registry.note_speaker(MINISTRY)
    assert registry.by_surname(["Costa"]) == COSTA
    assert registry.by_surname(["Ana", "Costa"]) is None  # the whole name is not a surname
    assert registry.by_role("minister") == COSTA
    assert registry.by_role("ministry") == MINISTRY


def test_only_the_latest_are_remembered() -> None:
    registry = Registry()
    registry.note_speaker(COSTA)
    for n in range(Registry.MEMORY):
        registry.note_speaker(Speaker(f"Person {n}", f"Person {n}", "person"))
    assert registry.by_surname(["Costa"]) is None
