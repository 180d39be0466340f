"""The provided backend: the user supplies a pivot-language translation of the whole article.

The loader puts it in ``Article.translation``. It is mapped onto the article's segments so each
segment is compared in the pivot language while its evidence still points to the original
span: paragraph by paragraph when the paragraph counts agree (leaving out a headline the
translation lacks), else over the whole document; inside a unit, sentence by sentence when the
counts agree, else each translated sentence goes to the segment at the same relative position
(by length), so some segment may receive the text of two and another none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from fidelity.text.sentences import paragraphs, split_sentences
from fidelity.translate._common import original_segment, untranslated_segment
from fidelity.types import DetectedArticle, PivotSegment, Provenance, Segment

ENGINE = "provided"
PROVIDED = Provenance(engine=ENGINE, status="provided")


def _assign(segments: Sequence[Segment], sentences: Sequence[str]) -> list[list[str]]:
    """Distribute translated ``sentences`` over ``segments`` in order."""
    if len(segments) == len(sentences):
        return [[s] for s in sentences]
    out: list[list[str]] = [[] for _ in segments]
    if not segments:
        return out
    lengths = [max(len(seg.span), 1) for seg in segments]
    total_src = sum(lengths)
    bounds, acc = [], 0
    for n in lengths:
        acc += n
        bounds.append(acc / total_src)
    sizes = [max(len(s), 1) for s in sentences]
    total_tgt = sum(sizes)
    acc = 0
    owner = 0
    for sentence, size in zip(sentences, sizes, strict=True):
        middle = (acc + size / 2) / total_tgt
        acc += size
        while owner < len(bounds) - 1 and middle > bounds[owner]:
            owner += 1
        out[owner].append(sentence)
    return out


def _paragraph_groups(segments: Sequence[Segment]) -> list[list[int]]:
    groups: list[list[int]] = []
    last: int | None = None
    for i, seg in enumerate(segments):
        if last is None or seg.paragraph != last:
            groups.append([])
            last = seg.paragraph
        groups[-1].append(i)
    return groups


def map_translation(detected: DetectedArticle, translation: str) -> list[list[str] | None]:
    """For each segment of ``detected``, the translated sentences that belong to it.

    ``None`` marks a segment the translation does not cover (a headline it left out).
    """
    segments = detected.segments
    target = [
        [s.of(translation) for s in split_sentences(translation, p.start, p.end)]
        for p in paragraphs(translation)
    ]
    target = [t for t in target if t]
    result: list[list[str] | None] = [[] for _ in segments]
    if not segments:
        return result
    groups = _paragraph_groups(segments)
    headline = [g for g in groups if all(segments[i].is_title for i in g)]
    body = [g for g in groups if g not in headline]
    if len(groups) == len(target):
        plan = list(zip(groups, target, strict=True))
    elif headline and len(body) == len(target):
        plan = list(zip(body, target, strict=True))
        for group in headline:
            for i in group:
                result[i] = None
    else:
        plan = [(list(range(len(segments))), [s for t in target for s in t])]
    for indexes, sentences in plan:
        shares = _assign([segments[i] for i in indexes], sentences)
        for i, share in zip(indexes, shares, strict=True):
            result[i] = share
    return result


def translation_digest(translation: str) -> str:
    return hashlib.sha256(translation.encode("utf-8")).hexdigest()


class ProvidedTranslator:
    """Use the article's provided translation; pivot-language segments keep their own words."""

    name = "provided"

    def __init__(self) -> None:
        self._digests: set[str] = set()

    def translate(self, detected: DetectedArticle, pivot: str) -> tuple[PivotSegment, ...]:
        return tuple(self.translate_segments(detected, detected.segments, pivot))

    def translate_segments(
        self, detected: DetectedArticle, segments: Sequence[Segment], pivot: str
    ) -> list[PivotSegment]:
        article = detected.article
        text = article.text
        translation = article.translation
        if translation is None or not translation.strip():
            hint = (
                f"no {pivot} translation was provided for {article.id}; give one with the "
                f"article, or install a translation model (`fidelity models list`)"
            )
            return [
                original_segment(s, text)
                if s.language == pivot
                else untranslated_segment(s, text, hint)
                for s in segments
            ]
        self._digests.add(translation_digest(translation))
        mapped = map_translation(detected, translation)
        position = {(seg.index, seg.span): i for i, seg in enumerate(detected.segments)}
        out = []
        for seg in segments:
            if seg.language == pivot:
                out.append(original_segment(seg, text))
                continue
            where = position.get((seg.index, seg.span))
            share = mapped[where] if where is not None else None
            if share is None:
                hint = "the provided translation does not cover this headline"
                out.append(untranslated_segment(seg, text, hint))
            elif not share:
                out.append(
                    PivotSegment(
                        seg,
                        "",
                        Provenance(
                            ENGINE,
                            "provided",
                            hint="the provided translation merges this sentence into a "
                            "neighbouring one",
                        ),
                    )
                )
            else:
                out.append(PivotSegment(seg, " ".join(share), PROVIDED))
        return out

    def packages(self) -> tuple[str, ...]:
        return provided_signature(self._digests)


def provided_signature(digests: Iterable[str]) -> tuple[str, ...]:
    """The signature entry of the provided translations with these digests (none: none)."""
    found = sorted(set(digests))
    if not found:
        return ()
    combined = hashlib.sha256("".join(found).encode()).hexdigest()
    return (f"{ENGINE}:{combined[:12]}",)
