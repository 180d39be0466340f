"""Group documents into stories by the facts they share.

Two documents tell the same story when a good share of their claims find a confident
counterpart in each other. The counterpart test is the alignment model without the fuzzy and
quote terms (cosine + anchors, or anchors alone for untranslated claims), run only between
each document and its nearest documents (by mean claim vector and by shared rare anchors), so
the cost grows linearly with the number of documents.

The link of two documents is the mean of the two shares (the share of A's claims found in B,
and of B's found in A). A brief, at most ``story_brief_ratio`` as long as the other, links by
the share of its own claims alone: a four-sentence summary of a long report is the same story
even though the report holds much it leaves out. Groups are formed by average linkage: two
groups merge while the mean link over their compared document pairs reaches ``story_link``.
Averaging (rather than joining on any single strong pair) keeps a follow-up story apart from
the original whose facts it recaps as background, and keeps related events of one topic (two
central banks' decisions in one week, a strike vote and a strike) apart. Two documents
published more than ``story_days`` apart link by their share times ``story_days / gap``: the
retellings of one event come out within a day or two, and a document a week later that
shares much with an earlier one is most often the next event recapping it (a poll, then the
election result). In the counterpart test, a number both claims count, but of different
things ("40 homes", "40 helicopters"), counts against the pair. The thresholds were chosen on
``fixtures/stories/`` (see its README for the figures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from fidelity.align.config import AlignConfig
from fidelity.align.features import ClaimFeatures, FloatMatrix, UnitConflicts, anchor_strength
from fidelity.align.pairs import BLOCK_ENTRIES, anchor_incidence, fuzzy_block, sigmoid
from fidelity.parallel import run_pieces

# Below this many claim pairs to test in all, workers cost more than they save.
_PARALLEL_CLAIM_PAIRS = 200_000


@dataclass(frozen=True, slots=True)
class StoryGroups:
    groups: list[list[int]]  # article positions, each group sorted, groups by first article
    share: npt.NDArray[np.float64]  # D x D symmetric link of compared pairs (0 elsewhere)
    compared: npt.NDArray[np.bool_]  # D x D: the pair was compared
    found: npt.NDArray[np.float64]  # D x D: share of the row's claims found in the column
    # D x D: the factor on each link for the days between the two publications (1: none)
    apart: npt.NDArray[np.float64] | None = None


def group_stories(
    features: Sequence[ClaimFeatures],
    n_articles: int,
    vectors: FloatMatrix | sparse.csr_matrix,
    config: AlignConfig,
    *,
    lexical: bool = False,
    jobs: int = 1,
) -> StoryGroups:
    """Group articles into stories.

    Args:
        features: all claims, article by article.
        n_articles: number of articles (some may have no claims).
        vectors: unit claim vectors (embeddings, or lexical vectors without an embedder);
            zero rows for claims that have none.
        config: thresholds.
        lexical: ``vectors`` are lexical stand-ins: they pick the neighbours, and the
            counterpart test is the lexical alignment model (fuzzy + anchors).
        jobs: worker processes for a large corpus (0: one per CPU); the result is the same.
    """
    d = n_articles
    share = np.zeros((d, d))
    compared = np.zeros((d, d), dtype=bool)
    if d < 2:
        return StoryGroups([[a] for a in range(d)], share, compared, share.copy())
    article = np.asarray([f.article for f in features], dtype=np.int64)
    weight = np.asarray([f.weight for f in features])
    translated = np.asarray([f.translated for f in features])
    members = [np.flatnonzero(article == a) for a in range(d)]

    # each document's weighted sum of its claim vectors (dense or sparse vectors alike)
    weights = sparse.csr_matrix(
        (weight, (article, np.arange(len(article)))), shape=(d, len(article))
    )
    doc = np.asarray(_dense(weights @ vectors), dtype=np.float32)
    norms = np.linalg.norm(doc, axis=1, keepdims=True)
    np.divide(doc, norms, out=doc, where=norms > 0)
    doc_cos = doc @ doc.T
    np.fill_diagonal(doc_cos, -np.inf)

    incidence, weighted, keys = anchor_incidence(features)
    conflicts = UnitConflicts(features, weighted, keys)
    # Documents sharing any rare anchor are candidates too (untranslated ones have no vector).
    doc_incidence = sparse.csr_matrix(
        (np.ones(len(article)), (article, np.arange(len(article)))), shape=(d, len(article))
    )
    # (documents x anchors) @ (anchors x documents): never the claims-by-claims product
    doc_anchor = ((doc_incidence @ weighted) @ (incidence.T @ doc_incidence.T)).toarray()
    np.fill_diagonal(doc_anchor, 0.0)
    words = np.asarray([len(f.content.split()) for f in features])

    def passes(rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which pairs of ``rows`` x ``cols`` pass the counterpart test."""
        cos = _dense(vectors[rows] @ vectors[cols].T)
        shared = (weighted[rows] @ incidence[cols].T).toarray()
        anchor = anchor_strength(shared, conflicts.block(rows, cols), config.anchor_gain)
        comparable = np.outer(translated[rows], translated[cols])
        if lexical:
            # Fuzzy scores for the pairs that share any content word at all.
            fuzzy = fuzzy_block(features, rows, cols, comparable & (cos > 0.0))
            fuzzy_weight = np.minimum(1.0, np.minimum.outer(words[rows], words[cols]) / 4.0)
            z_text = (
                config.bias_lexical
                + config.w_fuzzy_lexical * fuzzy_weight * fuzzy / 100.0
                + config.w_anchor_lexical * anchor
            )
        else:
            z_text = (
                config.bias
                + config.w_cosine * cos
                + config.w_anchor * anchor
                # the fuzzy term is not computed here: count it at its typical paraphrase value
                + config.w_fuzzy * 0.5
            )
        z = np.where(
            comparable, z_text, config.bias_anchor_only + config.w_anchor_anchor_only * anchor
        )
        passed: npt.NDArray[np.bool_] = sigmoid(z) >= config.story_claim_accept
        return passed

    k = min(d - 1, config.story_neighbours)
    # hits[i, b]: claim i has a confident counterpart in document b (both directions of
    # every compared pair come from the same block of confidences)
    # Which documents each one is compared with is settled first, in order (a pair is
    # compared once, from its first document); the tests themselves are independent.
    work: list[tuple[int, npt.NDArray[np.int64]]] = []
    for a in range(d):
        rows = members[a]
        if not len(rows):
            continue
        by_vector = np.argsort(-doc_cos[a], kind="stable")[:k]
        by_anchor = np.argsort(-doc_anchor[a], kind="stable")[:k]
        by_anchor = by_anchor[doc_anchor[a, by_anchor] > 0]
        others = np.unique(np.r_[by_vector, by_anchor])
        others = others[(others != a) & ~compared[a, others]]
        compared[a, others] = compared[others, a] = True
        cols = np.concatenate([members[b] for b in others]) if len(others) else rows[:0]
        if len(cols):
            work.append((a, cols))

    def hits_of(job: tuple[int, npt.NDArray[np.int64]]) -> tuple[npt.NDArray[np.int64], ...]:
        """The claim pairs of document ``a`` and the documents it is compared with that pass
        the test: ``(claims of a, their counterparts, the counterparts' documents)``."""
        a, cols = job
        rows = members[a]
        left, right = [], []
        # a slice of a long document's claims at a time (BLOCK_ENTRIES pairs per block)
        step = max(1, BLOCK_ENTRIES // len(cols))
        for r0 in range(0, len(rows), step):
            chunk = rows[r0 : r0 + step]
            r, c = np.nonzero(passes(chunk, cols))
            left.append(chunk[r])
            right.append(cols[c])
        i, j = np.concatenate(left), np.concatenate(right)
        return i, j, article[j]

    found_hits = run_pieces(
        hits_of,
        work,
        jobs=jobs,
        weights=[len(members[a]) * len(cols) for a, cols in work],
        min_weight=_PARALLEL_CLAIM_PAIRS,
    )
    # hits[i, b]: claim i has a confident counterpart in document b (both directions of
    # every compared pair come from the same block of confidences)
    hit_claims = [x for i, j, _ in found_hits for x in (i, j)]
    hit_docs = [x for i, _, docs in found_hits for x in (docs, article[i])]
    n = len(features)
    hits = sparse.csr_matrix(
        (
            np.ones(sum(len(x) for x in hit_claims)),
            (
                np.concatenate(hit_claims or [np.zeros(0, np.int64)]),
                np.concatenate(hit_docs or [np.zeros(0, np.int64)]),
            ),
        ),
        shape=(n, d),
    )
    hits.sum_duplicates()
    hits.data = np.minimum(hits.data, 1.0)
    owner = sparse.csr_matrix((np.ones(n), (article, np.arange(n))), shape=(d, n))
    sizes = np.asarray(owner.sum(axis=1)).ravel()
    found = (owner @ hits).toarray() / np.maximum(sizes, 1.0)[:, None]
    np.fill_diagonal(found, 0.0)
    brief = sizes[:, None] <= config.story_brief_ratio * sizes[None, :]
    contained = np.where(brief, found, 0.0)
    share = np.maximum((found + found.T) / 2.0, np.maximum(contained, contained.T))
    # Retellings of one event come out within a news cycle or two; documents further apart
    # that share facts are mostly a later event recapping an earlier one (a poll and the
    # result a week later, a fire and the aid package), so their link is divided by the
    # number of such spans between them.
    apart = _news_cycles(_publication_days(features, d), config.story_days)
    share = np.where(compared, share * apart, 0.0)
    groups = _average_linkage(share, compared, config.story_link)
    return StoryGroups(sorted(groups, key=lambda g: g[0]), share, compared, found, apart)


def _dense(m: Any) -> npt.NDArray[Any]:
    """``m`` as an array (a product of sparse lexical vectors is sparse)."""
    out: npt.NDArray[Any] = m.toarray() if sparse.issparse(m) else np.asarray(m)
    return out


def _publication_days(
    features: Sequence[ClaimFeatures], n_articles: int
) -> npt.NDArray[np.float64]:
    """Publication day of each article (a day number), NaN when unknown."""
    day = np.full(n_articles, np.nan)
    for f in features:
        if f.published and np.isnan(day[f.article]):
            try:
                day[f.article] = dt.date.fromisoformat(f.published[:10]).toordinal()
            except ValueError:
                continue
    return day


def _news_cycles(day: npt.NDArray[np.float64], story_days: float) -> npt.NDArray[np.float64]:
    """D x D factor on each document link: 1 within ``story_days`` of each other (or when
    either date is unknown), else ``story_days / gap``."""
    gap = np.abs(day[:, None] - day[None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(gap > story_days, story_days / gap, 1.0)
    return np.where(np.isnan(gap), 1.0, factor)


def _average_linkage(
    share: npt.NDArray[np.float64], compared: npt.NDArray[np.bool_], link: float
) -> list[list[int]]:
    """Average-linkage groups of documents: merge the two groups with the highest mean link
    over their compared pairs, while it reaches ``link``.

    Groups never reach across the connected components of the graph of pairs linked by at
    least ``link`` (a mean cannot reach it unless one pair does), so each component is
    clustered on its own and the cost follows the size of the largest story, not the corpus.
    """
    strong = sparse.csr_matrix(compared & (share >= link))
    _, component = connected_components(strong, directed=False)
    groups: list[list[int]] = []
    for c in np.unique(component):
        idx = np.flatnonzero(component == c)
        if len(idx) == 1:
            groups.append([int(idx[0])])
            continue
        total = np.where(compared[np.ix_(idx, idx)], share[np.ix_(idx, idx)], 0.0)
        count = compared[np.ix_(idx, idx)].astype(np.float64)
        alive = np.ones(len(idx), dtype=bool)
        label = np.arange(len(idx))
        while True:
            score = np.full(total.shape, -1.0)
            np.divide(total, count, out=score, where=count > 0)
            score[~alive, :] = -1.0
            score[:, ~alive] = -1.0
            np.fill_diagonal(score, -1.0)
            x, y = np.unravel_index(int(np.argmax(score)), score.shape)
            if score[x, y] < link:
                break
            x, y = min(x, y), max(x, y)
            for m in (total, count):
                m[x] += m[y]
                m[:, x] += m[:, y]
            label[label == y] = x
            alive[y] = False
        for g in np.unique(label):
            groups.append(sorted(int(i) for i in idx[label == g]))
    return groups
