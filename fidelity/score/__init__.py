"""Stage 6, score: aligned claims in, typed findings and per-outlet fidelity scores out.

Each derived claim is compared with its counterparts (the reference article's; the sources' in
``check`` and in any story that has articles with ``role: source``; or, in a story without
sources, every other outlet's, the consensus mode) by a table of small detectors
(``fidelity.score.detectors``). A divergence becomes a ``Finding`` with a category, a
severity, both spans and the signals behind it. Equivalences that the extract stage normalised
(72 hours = three days, Kiev = Kyiv) never produce a finding.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from fidelity.parallel import run_pieces
from fidelity.score.base import Category, Divergence, Match, Pair, Severity, SignalValue
from fidelity.score.config import ScoreConfig
from fidelity.score.engine import WEIGHTS, compare_article, fidelity_score, to_findings
from fidelity.types import (
    SEVERITY_RANK,
    AlignmentResult,
    ComparisonResult,
    ExtractedArticle,
    FidelityScore,
    Finding,
)

CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)

# Below this many (claim, compared article) pairs in all, workers cost more than they save.
_PARALLEL_CLAIM_PAIRS = 10_000


def score_articles(
    extracted: Sequence[ExtractedArticle],
    alignment: AlignmentResult,
    *,
    reference_id: str | None = None,
    draft_id: str | None = None,
    config: ScoreConfig | None = None,
    jobs: int = 1,
) -> tuple[tuple[Finding, ...], tuple[FidelityScore, ...]]:
    """Find divergences and score every article that is compared with something.

    Args:
        extracted: articles with their claims.
        alignment: the align stage's result (stories, pairwise alignments).
        reference_id: score every other article against this one.
        draft_id: ``check`` mode: score this article against all the others (its sources).
        config: thresholds and detectors.
        jobs: worker processes for a large corpus (0: one per CPU); the result is the same.

    Returns:
        ``(findings, scores)``; findings most severe first.
    """
    config = config or ScoreConfig()
    claims = {c.id: c for a in extracted for c in a.claims}
    by_article = {a.article.id: a for a in extracted}
    story_of = {aid: s for s in alignment.stories for aid in s.article_ids}
    partners: dict[str, list[Match]] = defaultdict(list)
    for al in alignment.alignments:
        if al.confidence < config.min_alignment:
            continue
        signals: dict[str, SignalValue] = {
            "confidence": round(al.confidence, 3),
            "fuzzy": round(al.fuzzy, 1),
        }
        if al.cosine is not None:
            signals["cosine"] = round(al.cosine, 3)
        if al.anchors:
            signals["anchors"] = list(al.anchors)
        partners[al.left].append((al.right, al.confidence, signals))
        partners[al.right].append((al.left, al.confidence, signals))

    def refs_of(art: ExtractedArticle) -> tuple[tuple[str, ...], bool] | None:
        """The articles ``art`` is scored against and whether strictly, or None."""
        aid = art.article.id
        story = story_of.get(aid)
        if story is None or len(story.article_ids) < 2:
            return None
        if draft_id is not None:
            if aid != draft_id:
                return None
            return tuple(x for x in story.article_ids if x != aid), True
        if reference_id is not None:
            if aid == reference_id or reference_id not in story.article_ids:
                return None
            return (reference_id,), True
        # A story with sources (``role: source``) is measured against them: its derived
        # articles against the sources together, the sources never as the drifting side.
        sources = tuple(
            x
            for x in story.article_ids
            if x in by_article and by_article[x].article.role == "source"
        )
        if sources:
            return None if aid in sources else (sources, True)
        return tuple(x for x in story.article_ids if x != aid), False

    todo = [(art, how) for art in extracted if (how := refs_of(art)) is not None]

    def score_one(
        job: tuple[ExtractedArticle, tuple[tuple[str, ...], bool]],
    ) -> tuple[list[Finding], int]:
        art, (refs, strict) = job
        ref_articles = [by_article[r] for r in refs if r in by_article]
        found, compared = compare_article(art, ref_articles, claims, partners, strict, config)
        return to_findings(found), compared

    done = run_pieces(
        score_one,
        todo,
        jobs=jobs,
        weights=[len(art.claims) * len(refs) for art, (refs, _) in todo],
        min_weight=_PARALLEL_CLAIM_PAIRS,
    )
    kept = _one_side(
        [
            f
            for (_, (_, strict)), (found, _) in zip(todo, done, strict=True)
            for f in found
            if not strict
        ],
        extracted,
        {c: cluster.id for cluster in alignment.clusters for c in cluster.claim_ids},
    )
    findings: list[Finding] = []
    scores: list[FidelityScore] = []
    for (art, (refs, strict)), (found, compared) in zip(todo, done, strict=True):
        article_findings = found if strict else [f for f in found if f.id in kept]
        counts = Counter(f.category for f in article_findings)
        findings.extend(article_findings)
        scores.append(
            FidelityScore(
                article_id=art.article.id,
                outlet=art.article.label,
                score=fidelity_score(article_findings, compared),
                counts={c: counts.get(c, 0) for c in CATEGORIES},
                compared_with=refs,
            )
        )
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.category, f.id))
    return tuple(findings), tuple(scores)


def _one_side(
    found: Sequence[Finding], extracted: Sequence[ExtractedArticle], fact: Mapping[str, str]
) -> set[str]:
    """The ids of consensus findings to keep: a divergence found from both sides (each outlet
    differs from the other about one fact: the same claim cluster, or the same claim pair) is
    reported once, on the later article (by publication date, then input order), which is the
    retelling when one of the two is."""
    position = {a.article.id: (a.article.published or "", i) for i, a in enumerate(extracted)}
    chosen: dict[tuple[str, frozenset[str], str], Finding] = {}
    kept = {f.id for f in found if f.reference is None}
    for f in found:
        if f.reference is None:
            continue
        pair = frozenset((f.derived.claim_id, f.reference.claim_id))
        about = (
            fact.get(f.derived.claim_id) or fact.get(f.reference.claim_id) or "|".join(sorted(pair))
        )
        key = (f.category, frozenset((f.derived.article_id, f.reference.article_id)), about)
        other = chosen.get(key)
        if other is None or position[f.derived.article_id] > position[other.derived.article_id]:
            chosen[key] = f
    return kept | {f.id for f in chosen.values()}


def verdict(
    findings: Sequence[Finding],
    score: float | None,
    *,
    min_severity: str = "medium",
    fail_under: float | None = None,
    unverifiable: bool = False,
) -> str:
    """``inconsistent`` when a finding reaches ``min_severity`` or the score is under the floor;
    else ``unverifiable`` when nothing of the draft could be read (``unverifiable``), else
    ``consistent``: a draft no model translated never passes as consistent."""
    floor = SEVERITY_RANK[min_severity]
    if any(SEVERITY_RANK[f.severity] >= floor for f in findings):
        return "inconsistent"
    if fail_under is not None and score is not None and score < fail_under:
        return "inconsistent"
    return "unverifiable" if unverifiable else "consistent"


def draft_unverifiable(result: ComparisonResult) -> bool:
    """``check``: every claim of the draft (the scored article) is untranslated, so nothing of
    it could be compared in the pivot language beyond numbers and names."""
    draft = next((s.article_id for s in result.scores), None)
    article = next((a for a in result.articles if a.article.id == draft), None)
    if article is None:
        return False
    body = [c for c in article.claims if c.kind != "headline"] or list(article.claims)
    return bool(body) and all(c.status == "untranslated" for c in body)


__all__ = [
    "CATEGORIES",
    "SEVERITY_RANK",
    "WEIGHTS",
    "Category",
    "Divergence",
    "Pair",
    "ScoreConfig",
    "Severity",
    "draft_unverifiable",
    "score_articles",
    "verdict",
]
