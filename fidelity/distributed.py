"""The same stages on a Dask cluster (``fidelity compare --engine dask``).

    driver:  read the corpus ──> partitions of articles
    workers: langid -> translate -> extract -> embed, per partition (a dask.bag)
    driver:  group the stories, on the workers' vectors
    workers: align -> score, one task per story
    driver:  one result, the same as the in-process engine gives

Each worker builds its backends (detector, translator, lexicon, embedding model) once, on the
first partition it runs, and keeps them for its life. The driver never loads a model: it
groups stories and hands each story task the vectors of that story's sentences, which the
workers computed. Aligning a story's articles alone gives the alignments the whole run gives
them (features and pair evidence are per story), so the merged result is the in-process one.

Relays are found in the driver over the whole corpus, as the in-process engine finds them,
before the stories are grouped. The driver holds every analysed article here: a corpus too
large for that is streamed instead (``fidelity/stream.py``, ``--stories-out``).

With no scheduler address a ``LocalCluster`` of worker processes is started on this machine;
with one (``tcp://host:8786``) the run uses that cluster, whose workers need fidelity and its
models installed (the README says how).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from fidelity import __version__
from fidelity.errors import ModelError, UsageError
from fidelity.types import (
    SEVERITY_RANK,
    AlignmentResult,
    Article,
    ClaimCluster,
    ComparisonResult,
    Corpus,
    ExtractedArticle,
    FidelityScore,
    Finding,
    Signature,
    Story,
)

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_PARTITION", "VectorTable", "compare_corpus_on_dask"]

DEFAULT_PARTITION = 32  # articles per partition of the per-article stages

# the worker's backends, built on its first partition (keyed by the run's settings)
_WORKER_BACKENDS: dict[str, Any] = {}


@dataclass(frozen=True)
class VectorTable:
    """An ``Embedder`` that answers from vectors the workers computed with the real model.

    The driver and the story tasks use it so that no model is loaded twice; a text the
    workers did not embed is a ``ModelError``, never a silent zero vector.
    """

    name: str
    dim: int
    vectors: Mapping[str, npt.NDArray[np.float32]]

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            raise ModelError(
                f"{len(missing)} sentences were not embedded by the workers "
                f"(first: {missing[0][:80]!r})"
            )
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts]).astype(np.float32)

    def subset(self, texts: Sequence[str]) -> VectorTable:
        return VectorTable(self.name, self.dim, {t: self.vectors[t] for t in texts})


@dataclass(frozen=True)
class _Analysed:
    """What a worker returns for one partition."""

    extracted: tuple[ExtractedArticle, ...]
    vectors: dict[str, npt.NDArray[np.float32]]
    detector: str
    translator: str
    packages: tuple[str, ...]
    embedder: str | None
    dim: int


def compare_corpus_on_dask(
    corpus: Corpus,
    config: Any,
    *,
    reference_id: str | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    partition: int = DEFAULT_PARTITION,
) -> ComparisonResult:
    """Compare the articles of ``corpus`` on a Dask cluster.

    Args:
        corpus: the articles read (and the inputs skipped).
        config: the run's ``RunConfig``.
        reference_id: score every other article against this one.
        scheduler: address of a running Dask scheduler; ``None`` starts a local cluster.
        workers: worker processes of the local cluster.
        partition: articles per partition of the per-article stages.

    Raises:
        UsageError: Dask is not installed, or the scheduler cannot be reached.
        FidelityError: as the in-process engine (a worker's error comes back as it was).
    """
    try:
        import dask.bag

        bags: Any = dask.bag
    except ImportError as exc:
        raise UsageError(
            "--engine dask needs Dask: pip install 'fidelity[dask]' (dask and distributed)"
        ) from exc
    from fidelity.align import group_articles
    from fidelity.pipeline import packages_used, stage_configs

    align_config, score_config = stage_configs(config.extra_thresholds, config.pivot)
    gate = None
    if config.judge:
        from fidelity.judge.gate import GateSettings
        from fidelity.judge.model import load_thresholds

        gate = GateSettings(sentence=load_thresholds().sentence)
    with _client(scheduler, workers) as client:
        bag = bags.from_sequence(list(corpus.articles), partition_size=max(1, partition))
        parts: list[_Analysed] = bag.map_partitions(_analyse_partition, config).compute()
        extracted = tuple(e for p in parts for e in p.extracted)
        first = parts[0]
        table = (
            VectorTable(
                first.embedder, first.dim, {t: v for p in parts for t, v in p.vectors.items()}
            )
            if first.embedder is not None
            else None
        )
        log.info("analysed %d articles in %d partitions", len(extracted), len(parts))
        everything = extracted
        if getattr(config, "relays", False):
            # relays as the in-process engine finds them: over the whole corpus, before grouping
            from fidelity.relays import find_relays, relay_article

            copies = find_relays([e.translated for e in extracted], reference_id=reference_id)
            by_id = {e.article.id: e for e in extracted}
            everything = tuple(
                relay_article(by_id[copies[e.article.id]], e.translated)
                if e.article.id in copies
                else e
                for e in extracted
            )
            extracted = tuple(e for e in everything if e.relay_of is None)
        if config.one_story:
            stories: tuple[Story, ...] = (
                Story(
                    id="story-1",
                    article_ids=tuple(e.article.id for e in extracted),
                    reason="all documents compared with each other (one story was asked for)",
                ),
            )
        else:
            stories = group_articles(extracted, embedder=table, config=align_config)
        by_id = {e.article.id: e for e in extracted}
        tasks = [
            client.submit(
                _align_and_score_story,
                story,
                [by_id[a] for a in story.article_ids],
                table,
                reference_id,
                align_config,
                score_config,
                gate,
                pure=False,
            )
            for story in stories
        ]
        per_story = client.gather(tasks)

    alignments = [a for result, _, _ in per_story for a in result.alignments]
    clusters = [c for result, _, _ in per_story for c in result.clusters]
    unmatched = [u for result, _, _ in per_story for u in result.unmatched]
    findings: tuple[Finding, ...] = tuple(
        sorted(
            (f for _, story_findings, _ in per_story for f in story_findings),
            key=lambda f: (-_severity_rank(f), f.category, f.id),
        )
    )
    position = {e.article.id: i for i, e in enumerate(extracted)}
    scores: tuple[FidelityScore, ...] = tuple(
        sorted(
            (s for _, _, story_scores in per_story for s in story_scores),
            key=lambda s: position[s.article_id],
        )
    )
    alignment = AlignmentResult(
        stories=stories,
        alignments=tuple(alignments),
        clusters=tuple(clusters),
        unmatched=tuple(unmatched),
    )
    thresholds = {**align_config.as_dict(), **score_config.as_dict()}
    if len(everything) > len(extracted):
        from fidelity.relays import RelayConfig, share_with_relays

        alignment, findings, scores = share_with_relays(everything, alignment, findings, scores)
        thresholds.update(RelayConfig().as_dict())
    if gate is not None:
        thresholds.update(gate.as_dict())
    signature = Signature(
        fidelity_version=__version__,
        detector=first.detector,
        translator=first.translator,
        translation_packages=packages_used(everything, {x for p in parts for x in p.packages}),
        embedder=first.embedder or "none",
        thresholds=thresholds,
        pivot_language=config.pivot,
    )
    return ComparisonResult(
        articles=everything,
        alignment=alignment,
        findings=findings,
        scores=scores,
        skipped=tuple(corpus.skipped),
        signature=signature,
        reference_id=reference_id,
    )


@contextmanager
def _client(
    scheduler: str | None, workers: int, *, memory_limit: str | None = None
) -> Iterator[Any]:
    """A client of the given scheduler, or of a local cluster of worker processes (each with
    ``memory_limit``, or Dask's share of the machine)."""
    import dask.distributed

    # distributed's classes carry no annotations
    client_of: Any = dask.distributed.Client
    local_cluster: Any = dask.distributed.LocalCluster
    # a worker still busy freeing torch's threads when the cluster closes is killed: expected
    logging.getLogger("distributed.nanny").setLevel(logging.ERROR)
    if scheduler is not None:
        try:
            client = client_of(scheduler, timeout="20s")
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
        with client:
            yield client
        return
    cluster = local_cluster(
        n_workers=max(1, workers),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        host="127.0.0.1",
        memory_limit=memory_limit or "auto",
        # one thread of BLAS / torch per worker: the workers share the machine's cores
        env={"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"},
    )
    with cluster, client_of(cluster) as client:
        yield client


def _worker_backends(config: Any) -> Any:
    from fidelity.pipeline import build_backends

    key = repr(config)
    if key not in _WORKER_BACKENDS:
        try:
            import torch

            torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "0")) or 1)
        except ImportError:
            pass
        _WORKER_BACKENDS[key] = build_backends(config)
    return _WORKER_BACKENDS[key]


def _analyse_partition(articles: Sequence[Article], config: Any) -> list[_Analysed]:
    """Langid, translation, extraction and embedding of one partition (on a worker)."""
    from fidelity.align.features import claim_features, embedded_texts, quote_texts
    from fidelity.pipeline import _analyse, _open_cache

    backends = _worker_backends(config)
    cache = _open_cache(config)
    try:
        extracted, _ = _analyse(list(articles), config, backends, cache, None)
    finally:
        if cache:
            cache.close()
    embedder = backends.embedder
    vectors: dict[str, npt.NDArray[np.float32]] = {}
    dim = 0
    if embedder is not None:
        features = claim_features(extracted)
        texts = list(dict.fromkeys([*embedded_texts(features), *quote_texts(features)]))
        rows = embedder.embed(texts)
        vectors = {t: np.asarray(r, dtype=np.float32) for t, r in zip(texts, rows, strict=True)}
        dim = int(embedder.dim)
    return [
        _Analysed(
            extracted=extracted,
            vectors=vectors,
            detector=backends.detector.name,
            translator=backends.translator.name,
            packages=tuple(backends.translator.packages()),
            embedder=embedder.name if embedder is not None else None,
            dim=dim,
        )
    ]


def _align_and_score_story(
    story: Story,
    extracted: Sequence[ExtractedArticle],
    table: VectorTable | None,
    reference_id: str | None,
    align_config: Any,
    score_config: Any,
    gate: Any = None,
) -> tuple[AlignmentResult, tuple[Finding, ...], tuple[FidelityScore, ...]]:
    """One story's alignment, findings and scores (on a worker), under the story's own id;
    read by the judge when ``gate`` is given (the worker loads it once)."""
    from fidelity.align import align_articles
    from fidelity.score import score_articles

    alone = align_articles(extracted, embedder=table, config=align_config, one_story=True)
    result = AlignmentResult(
        stories=(story,),
        alignments=alone.alignments,
        clusters=tuple(
            ClaimCluster(
                id=story.id + c.id[c.id.index("/") :], story_id=story.id, claim_ids=c.claim_ids
            )
            for c in alone.clusters
        ),
        unmatched=alone.unmatched,
    )
    findings, scores = score_articles(
        extracted, result, reference_id=reference_id, config=score_config, jobs=1
    )
    if gate is not None:
        from fidelity.judge import load_judge
        from fidelity.judge.gate import apply_judge

        if "judge" not in _WORKER_BACKENDS:
            _WORKER_BACKENDS["judge"] = load_judge()
        findings, scores = apply_judge(
            extracted, result, findings, scores, _WORKER_BACKENDS["judge"], gate
        )
    return result, findings, scores


def _severity_rank(finding: Finding) -> int:
    return SEVERITY_RANK[finding.severity]
