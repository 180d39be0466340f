"""What an article has named so far, for pronouns and bare roles."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fidelity.extract.lexicon import Lexicon
from fidelity.types import Entity, Speaker


class Registry:
    """What an article has named so far, for pronouns and bare roles (newest last).

    Each pool keeps one entry per distinct speaker at the place of its latest mention (a dict
    in recency order), so a lookup that walks back from the newest sees exactly what a walk
    over every mention would, at a cost that follows the article's distinct names rather
    than its length: a 5 MB article names the same few people thousands of times. Only the
    ``MEMORY`` most recently named are kept: a pronoun or a bare role ("the minister") points
    back a few paragraphs, not to the 300th name before it.
    """

    MEMORY = 256

    def __init__(self) -> None:
        self._speakers: dict[Speaker, None] = {}
        self._mentions: dict[Speaker, None] = {}  # every entity seen, as a speaker

    def _touch(self, pool: dict[Speaker, None], speaker: Speaker) -> None:
        pool.pop(speaker, None)
        pool[speaker] = None
        if len(pool) > self.MEMORY:
            del pool[next(iter(pool))]

    def note_speaker(self, speaker: Speaker) -> None:
        self._touch(self._speakers, speaker)

    def note_entities(self, entities: Sequence[Entity], lexicon: Lexicon) -> None:
        for entity in entities:
            entry = lexicon.lookup_entity(entity.canonical)
            role = entry.role if entry is not None else None
            self._touch(
                self._mentions, Speaker(entity.canonical, entity.canonical, entity.kind, role)
            )

    def _pools(self, speakers_only: bool) -> tuple[dict[Speaker, None], ...]:
        return (self._speakers,) if speakers_only else (self._speakers, self._mentions)

    def last(
        self,
        kinds: Sequence[str],
        *,
        speakers_only: bool = False,
        fits: Callable[[Speaker], bool] | None = None,
    ) -> Speaker | None:
        """The newest speaker (then mention) of one of ``kinds`` that ``fits``: the nearest
        compatible antecedent of a pronoun."""
        for pool in self._pools(speakers_only):
            for speaker in reversed(pool):
                if speaker.kind in kinds and (fits is None or fits(speaker)):
                    return speaker
        return None

    def by_surname(self, words: Sequence[str]) -> Speaker | None:
        """A person named before whose full name ends with ``words``."""
        tail = [w.lower() for w in words]
        for pool in self._pools(False):
            for speaker in reversed(pool):
                parts = speaker.name.lower().split()
                if (
                    speaker.kind == "person"
                    and len(parts) > len(tail)
                    and parts[-len(tail) :] == tail
                ):
                    return speaker
        return None

    def by_role(
        self, head: str, *, speakers_only: bool = False, kinds: Sequence[str] | None = None
    ) -> Speaker | None:
        """The newest speaker (then mention) whose role or name has ``head``, of ``kinds``."""
        head = head.lower()
        for pool in self._pools(speakers_only):
            for speaker in reversed(pool):
                if kinds is not None and speaker.kind not in kinds:
                    continue
                if head in (speaker.role or "").lower() or head in speaker.name.lower().split():
                    return speaker
                if head in speaker.name.lower() and " " in head:
                    return speaker
        return None
