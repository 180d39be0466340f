"""Relays: an article that republishes another one verbatim, or nearly so, shares its work.

    translated articles -> relays (relay id -> the article it copies) -> extract the others
    aligned and scored results -> the same results, with each relay given its original's

A wire report picked up by hundreds of outlets is mostly copies. After translation and before
extraction, each article's pivot text is cut into word shingles and summarised by a MinHash
signature; articles that share a band of the signature are candidates, and a candidate is a
relay of the earlier one when it has the earlier one's words in the same order, give or take
a few words before or after them (a byline, a credit line) that hold no figure. Any edit
inside the text, however small ("raised" for "cut"), makes it an article to read, not a copy;
so does a rewritten headline (a deletion and an insertion at the start). A relay is not
extracted, aligned or
scored again: it takes its original's claims (moved onto its own text), its findings (copied,
with ids derived from the original's) and its score. A relay of an article that is not
scored (a source, the reference, an article alone in its story) scores as a faithful copy.

Sources and the reference are never relays: they are what the others are measured against.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from fidelity.types import (
    SEVERITY_RANK,
    AlignmentResult,
    ClaimCluster,
    ComparisonResult,
    Evidence,
    ExtractedArticle,
    FidelityScore,
    Finding,
    Span,
    Story,
    TranslatedArticle,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["RelayConfig", "find_relays", "relay_article", "relay_note", "share_with_relays"]

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)
_PRIME = (1 << 61) - 1  # a Mersenne prime above every 32-bit shingle hash


@dataclass(frozen=True, slots=True)
class RelayConfig:
    """When one article counts as a relay of another."""

    shingle: int = 3  # words per shingle
    bands: int = 16  # LSH bands of the MinHash signature
    rows: int = 4  # signature rows per band: candidates from a shingle Jaccard of ~0.5 up
    edge_words: int = 20  # words a relay may add or drop before and after the copied text
    min_words: int = 20  # shorter texts are never relays (a one-line brief is not a copy)

    def as_dict(self) -> dict[str, float]:
        return {
            "relays.edge_words": self.edge_words,
            "relays.min_words": self.min_words,
            "relays.shingle": self.shingle,
        }


def _words(translated: TranslatedArticle) -> tuple[str, ...]:
    return tuple(w.casefold() for s in translated.segments for w in _WORD.findall(s.text))


def _signature(words: Sequence[str], config: RelayConfig, salts: np.ndarray) -> np.ndarray:
    import numpy as np

    k = config.shingle
    shingles = {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}
    hashes = np.fromiter(
        (zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64, count=len(shingles)
    )
    a, b = salts[:, :1], salts[:, 1:]
    # (a*x + b) mod p per permutation; x < 2**32 and a, b < 2**29 keep this inside uint64
    return np.asarray(((a * hashes[None, :] + b) % _PRIME).min(axis=1))


def find_relays(
    articles: Sequence[TranslatedArticle],
    config: RelayConfig | None = None,
    *,
    reference_id: str | None = None,
) -> dict[str, str]:
    """Which articles copy which: ``{relay id: original id}``.

    Articles are visited sources first, then by publication date (undated last), then in
    input order; each is a relay of the first visited original it nearly equals, or else an
    original itself, so a relay never copies another relay.

    Args:
        articles: the translated articles of a comparison.
        config: the thresholds.
        reference_id: the article every other one is scored against (never a relay).
    """
    import numpy as np

    config = config or RelayConfig()
    texts = [_words(t) for t in articles]
    rng = np.random.default_rng(20261204)  # fixed: the same corpus, the same relays
    salts = rng.integers(1, 1 << 29, size=(config.bands * config.rows, 2), dtype=np.uint64)

    def fixed(t: TranslatedArticle) -> bool:
        art = t.detected.article
        return art.role == "source" or art.id == reference_id

    order = sorted(
        range(len(articles)),
        key=lambda i: (
            not fixed(articles[i]),
            articles[i].detected.article.published is None,
            articles[i].detected.article.published or "",
            i,
        ),
    )
    rank = {i: r for r, i in enumerate(order)}
    buckets: dict[tuple[int, bytes], list[int]] = {}
    relays: dict[str, str] = {}
    for i in order:
        text = texts[i]
        if len(text) < config.min_words:
            continue
        signature = _signature(text, config, salts)
        bands = [
            (b, signature[b * config.rows : (b + 1) * config.rows].tobytes())
            for b in range(config.bands)
        ]
        if not fixed(articles[i]):
            original = _confirmed(text, bands, buckets, texts, rank, config)
            if original is not None:
                relays[articles[i].detected.article.id] = articles[original].detected.article.id
                continue
        for band in bands:
            buckets.setdefault(band, []).append(i)
    if relays:
        log.info("relays: %d of %d articles copy another one", len(relays), len(articles))
    return relays


def _confirmed(
    text: Sequence[str],
    bands: Iterable[tuple[int, bytes]],
    buckets: Mapping[tuple[int, bytes], list[int]],
    texts: Sequence[Sequence[str]],
    rank: Mapping[int, int],
    config: RelayConfig,
) -> int | None:
    """The first-visited candidate original that ``text`` copies, or ``None``."""
    seen: set[int] = set()
    for band in bands:
        seen.update(buckets.get(band, ()))
    for j in sorted(seen, key=rank.__getitem__):
        if _copies(text, texts[j], config.edge_words):
            return j
    return None


def _copies(copy: Sequence[str], original: Sequence[str], edge_words: int) -> bool:
    """Whether ``copy`` is ``original`` word for word, but for at most ``edge_words`` words
    added or dropped at its start and its end (each edge only added or only dropped), none of
    them a figure."""
    from rapidfuzz.distance import Indel

    if abs(len(copy) - len(original)) > edge_words:
        return False
    changed = [op for op in Indel.opcodes(original, copy) if op.tag != "equal"]
    if not changed:
        return True
    edges: dict[str, set[str]] = {}
    count = 0
    for op in changed:
        if op.src_start == 0 and op.dest_start == 0:
            edge = "start"
        elif op.src_end == len(original) and op.dest_end == len(copy):
            edge = "end"
        else:
            return False  # an edit inside the text
        edges.setdefault(edge, set()).add(op.tag)
        words = (
            original[op.src_start : op.src_end]
            if op.tag == "delete"
            else copy[op.dest_start : op.dest_end]
        )
        if any(ch.isdigit() for w in words for ch in w):
            return False
        count += len(words)
    return count <= edge_words and all(len(tags) == 1 for tags in edges.values())


def relay_article(original: ExtractedArticle, relay: TranslatedArticle) -> ExtractedArticle:
    """The relay with its original's claims, each moved onto the relay's own text.

    A claim's words are looked for in the relay's text after the previous claim's; where they
    were edited, the best fuzzy match stands in.
    """
    from rapidfuzz import fuzz

    article = relay.detected.article
    text, source = article.text, original.article.text
    claims = []
    cursor = 0
    for claim in original.claims:
        words = claim.span.of(source)
        at = text.find(words, cursor)
        if at < 0:
            at = text.find(words)
        if at >= 0:
            span = Span(at, at + len(words))
        else:
            match = fuzz.partial_ratio_alignment(words, text[cursor:]) if words else None
            if match is not None and match.score > 0:
                span = Span(cursor + match.dest_start, cursor + match.dest_end)
            else:
                span = Span(cursor, cursor)
        cursor = max(cursor, span.end) if span.end <= len(text) else cursor
        claims.append(
            replace(claim, id=f"{article.id}#{claim.index}", article_id=article.id, span=span)
        )
    return ExtractedArticle(translated=relay, claims=tuple(claims), relay_of=original.article.id)


def relay_finding_id(relay_id: str, finding_id: str) -> str:
    """A copied finding's id: stable, from the relay and the original finding."""
    return hashlib.sha1(f"relay|{relay_id}|{finding_id}".encode()).hexdigest()[:12]


def share_with_relays(
    articles: Sequence[ExtractedArticle],
    alignment: AlignmentResult,
    findings: Sequence[Finding],
    scores: Sequence[FidelityScore],
) -> tuple[AlignmentResult, tuple[Finding, ...], tuple[FidelityScore, ...]]:
    """Give each relay in ``articles`` its original's story, clusters, findings and score.

    Args:
        articles: every article of the run, relays (``relay_of`` set) among them.
        alignment: the alignment of the articles that are not relays.
        findings: their findings.
        scores: their scores.

    Returns:
        The alignment (relays in their original's story; their claims in the clusters and the
        unmatched list beside the claims they copy), the findings with the copies, the scores.
    """
    from fidelity.score import CATEGORIES
    from fidelity.score.engine import fidelity_score

    relays = [a for a in articles if a.relay_of is not None]
    if not relays:
        return alignment, tuple(findings), tuple(scores)
    position = {a.article.id: i for i, a in enumerate(articles)}
    copies: dict[str, list[ExtractedArticle]] = {}
    for relay in relays:
        assert relay.relay_of is not None
        copies.setdefault(relay.relay_of, []).append(relay)
    # claim id -> the relays' copies of it
    claim_copies: dict[str, list[str]] = {}
    for original, group in copies.items():
        for relay in group:
            for claim in relay.claims:
                origin = f"{original}#{claim.index}"
                claim_copies.setdefault(origin, []).append(claim.id)
    by_claim = {c.id: c for a in relays for c in a.claims}

    stories = tuple(
        replace(
            story,
            article_ids=tuple(
                sorted(
                    [
                        *story.article_ids,
                        *(r.article.id for a in story.article_ids for r in copies.get(a, ())),
                    ],
                    key=position.__getitem__,
                )
            ),
            reason=story.reason + _relay_reason(story, copies),
        )
        if any(a in copies for a in story.article_ids)
        else story
        for story in alignment.stories
    )
    clusters = tuple(
        ClaimCluster(
            id=c.id,
            story_id=c.story_id,
            claim_ids=(*c.claim_ids, *(x for m in c.claim_ids for x in claim_copies.get(m, ()))),
        )
        for c in alignment.clusters
    )
    unmatched = (
        *alignment.unmatched,
        *(x for m in alignment.unmatched for x in claim_copies.get(m, ())),
    )

    shared: list[Finding] = list(findings)
    for finding in findings:
        derived = finding.derived
        for relay in copies.get(derived.article_id, ()):
            copied = by_claim.get(f"{relay.article.id}#{derived.claim_id.rpartition('#')[2]}")
            if copied is None:
                continue
            shared.append(
                replace(
                    finding,
                    id=relay_finding_id(relay.article.id, finding.id),
                    derived=Evidence(
                        article_id=relay.article.id,
                        claim_id=copied.id,
                        span=copied.span,
                        text=derived.text,
                        highlight=derived.highlight,
                    ),
                    signals={**finding.signals, "relay_of": finding.id},
                )
            )
    shared.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.category, f.id))

    scored = {s.article_id: s for s in scores}
    new_scores = list(scores)
    for relay in relays:
        assert relay.relay_of is not None
        own = scored.get(relay.relay_of)
        if own is not None:
            new_scores.append(replace(own, article_id=relay.article.id, outlet=relay.article.label))
        else:  # a copy of what is not scored (a source, the reference): a faithful copy
            new_scores.append(
                FidelityScore(
                    article_id=relay.article.id,
                    outlet=relay.article.label,
                    score=fidelity_score([], len(relay.claims)),
                    counts=dict.fromkeys(CATEGORIES, 0),
                    compared_with=(relay.relay_of,),
                )
            )
    new_scores.sort(key=lambda s: position.get(s.article_id, len(position)))
    log.info(
        "alignments: %d between %d articles; %d relays share their originals' (%d claims "
        "not aligned again)",
        len(alignment.alignments),
        len(articles) - len(relays),
        len(relays),
        sum(len(r.claims) for r in relays),
    )
    return (
        AlignmentResult(
            stories=stories,
            alignments=alignment.alignments,
            clusters=clusters,
            unmatched=unmatched,
        ),
        tuple(shared),
        tuple(new_scores),
    )


def _relay_reason(story: Story, copies: Mapping[str, Sequence[ExtractedArticle]]) -> str:
    pairs = [f"{r.article.id} relays {a}" for a in story.article_ids for r in copies.get(a, ())]
    return "; relays (near-verbatim copies, sharing the findings of what they copy): " + (
        ", ".join(pairs)
    )


def relay_note(result: ComparisonResult, article_id: str) -> str:
    """`` · relays X`` for a relay's row in a report (X: the label of what it copies), else ""."""
    if _NOTES[0] is not result.articles:  # one pass per result, not one per row
        labels = {a.article.id: a.article.label for a in result.articles}
        _NOTES[:] = [
            result.articles,
            {
                a.article.id: f" · relays {labels.get(a.relay_of, a.relay_of)}"
                for a in result.articles
                if a.relay_of is not None
            },
        ]
    notes = _NOTES[1]
    assert isinstance(notes, dict)
    return str(notes.get(article_id, ""))


_NOTES: list[object] = [None, {}]  # the last result's articles and their notes
