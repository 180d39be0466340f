"""Small helpers shared by the translation backends (no heavy imports)."""

from __future__ import annotations

from fidelity.types import PivotSegment, Provenance, Segment

ORIGINAL = Provenance(engine="identity", status="original")


def original_segment(segment: Segment, text: str) -> PivotSegment:
    """A segment already in the pivot language: its own words, provenance ``original``."""
    return PivotSegment(segment, segment.span.of(text), ORIGINAL)


def untranslated_segment(segment: Segment, text: str, hint: str) -> PivotSegment:
    """A segment nothing could translate: its original words and a hint saying what would."""
    return PivotSegment(
        segment, segment.span.of(text), Provenance("none", "untranslated", hint=hint)
    )
