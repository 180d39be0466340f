"""A corpus of any size on Dask: shards in, a JSON report per story and a findings table out.

    driver:  list the shards (JSONL files, Parquet row groups) ──> one task each
    workers: read a batch ─> langid -> translate -> extract -> embed ─> records, kept on the
             cluster (bytes, so that Dask counts them and spills them to disk past its limit)
    driver:  gathers one sketch per article (a hashed bag of words, 256 numbers) and cuts the
             corpus into blocks: articles that could be in one story share a block
    shuffle: the records move to the worker of their block (``bag.groupby``)
    workers: per block: relays -> stories -> align -> score ─> <stories-out>/<story>.json
    driver:  collects the findings' rows as blocks finish ─> findings.parquet

Nothing whole passes through the driver: it holds the shard list, the sketches and the
findings' rows, never an article. Memory on a worker is bounded by a batch of articles, a
block, and what Dask keeps before it spills (``memory_limit``).

Blocks are connected components of the sketches' cosine at ``BLOCK_LINK``, low enough that
articles the story grouping joins always share a block (measured in ``bench/bench_dask.py``
and checked against the in-process engine in ``tests/test_stream.py``), so the stories, and
with them findings and scores, are the in-process engine's. A component larger than
``MAX_BLOCK`` articles is cut again at a higher link, with a warning, since then a story may
be split.
"""

from __future__ import annotations

import logging
import pickle
import re
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fidelity import __version__
from fidelity.errors import UsageError
from fidelity.types import (
    AlignmentResult,
    ComparisonResult,
    ExtractedArticle,
    FidelityScore,
    Finding,
    Signature,
    Skipped,
    Story,
)

__all__ = ["BLOCK_LINK", "MAX_BLOCK", "StreamSummary", "blocks_of", "stream_compare"]

log = logging.getLogger(__name__)

SKETCH_DIM = 1024
BLOCK_LINK = 0.35  # sketch cosine that puts two articles in one block
MAX_BLOCK = 1000  # articles in a block before it is cut at a higher link
LINK_STEP = 0.01  # how much the link rises each time a block is cut again
# what tells stories apart: names (a capital letter) and figures; other words of six letters
# or more only when an article has few of those
_NAME_OR_FIGURE = re.compile(r"\b(?:[^\W\d_][^\W_]{2,}|[^\W\d_]*\d[\w.,]*)\b", re.UNICODE)
_LONG_WORD = re.compile(r"\b[^\W\d_]{6,}\b", re.UNICODE)


@dataclass(frozen=True)
class StreamSummary:
    """What a streamed comparison did (its results are in the files it wrote)."""

    articles: int
    skipped: tuple[Skipped, ...]
    stories: int
    blocks: int
    largest_block: int
    relays: int
    alignments: int
    findings: int
    story_files: int
    findings_parquet: str | None
    signature: Signature
    seconds: Mapping[str, float] = field(default_factory=dict)
    scores: tuple[FidelityScore, ...] = ()


@dataclass(frozen=True)
class _Record:
    """One analysed article on the cluster: its place, sketch and pickled analysis."""

    order: tuple[int, int]  # (task, position in the task): the corpus order
    ident: str
    origin: str
    sketch: npt.NDArray[np.float16]
    payload: bytes  # pickle of (ExtractedArticle, {text: vector})

    def __sizeof__(self) -> int:  # what Dask counts to decide when to spill
        return len(self.payload) + self.sketch.nbytes + 200


@dataclass(frozen=True)
class _Meta:
    """What a task's backends were (for the signature)."""

    detector: str
    translator: str
    packages: tuple[str, ...]
    embedder: str | None
    dim: int
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class _BlockOutcome:
    stories: int
    articles: int
    relays: int
    alignments: int
    story_files: int
    rows: list[dict[str, Any]]
    scores: tuple[FidelityScore, ...]


def sketch(extracted: ExtractedArticle) -> npt.NDArray[np.float16]:
    """The set of the article's names and figures (pivot text), hashed into ``SKETCH_DIM``
    bits and normalised; its long words stand in when it has fewer than ten."""
    text = "\n".join(s.text for s in extracted.translated.segments)
    words = {
        w for w in _NAME_OR_FIGURE.findall(text) if w[0].isupper() or any(c.isdigit() for c in w)
    }
    if len(words) < 10:
        words |= {w.casefold() for w in _LONG_WORD.findall(text)}
    bits = np.zeros(SKETCH_DIM, dtype=np.float32)
    for word in words:
        bits[zlib.crc32(word.encode("utf-8")) % SKETCH_DIM] = 1.0
    norm = float(np.linalg.norm(bits))
    return (bits / norm if norm > 0 else bits).astype(np.float16)


def blocks_of(
    sketches: npt.NDArray[np.float16] | npt.NDArray[np.float32],
    *,
    link: float = BLOCK_LINK,
    max_block: int = MAX_BLOCK,
    chunk: int = 1024,
) -> npt.NDArray[np.int64]:
    """The block of each article: connected components of sketch cosine >= ``link``,
    numbered by their first article; a component over ``max_block`` is cut again at a link
    raised by ``LINK_STEP`` until it fits (or the link reaches 1).

    The pairs over ``link`` are found once, a chunk of rows at a time; cutting a component
    again only filters them.
    """
    vectors = np.asarray(sketches, dtype=np.float32)
    n = len(vectors)
    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    weights: list[npt.NDArray[np.float32]] = []
    for start in range(0, n, chunk):
        sims = vectors[start : start + chunk] @ vectors.T
        i, j = np.nonzero(sims >= link)
        keep = i + start < j
        rows.append(i[keep] + start)
        cols.append(j[keep])
        weights.append(sims[i[keep], j[keep]])
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    w = np.concatenate(weights) if weights else np.zeros(0, np.float32)
    labels = _components(n, r, c)
    while True:
        sizes = np.bincount(labels) if n else np.zeros(0, np.int64)
        big = np.flatnonzero(sizes > max_block).tolist()
        if not big or link >= 1.0:
            break
        link = min(1.0, link + LINK_STEP)
        for b in big:
            inside = (labels[r] == b) & (labels[c] == b) & (w >= link)
            members = np.flatnonzero(labels == b)
            left = np.asarray(np.searchsorted(members, r[inside]), dtype=np.int64)
            right = np.asarray(np.searchsorted(members, c[inside]), dtype=np.int64)
            sub = _components(len(members), left, right)
            labels[members] = sub + labels.max() + 1
        log.info("blocks over %d articles cut again at a sketch link of %.2f", max_block, link)
    # renumber by first appearance, so that blocks follow the corpus order
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse]


def _components(
    n: int, rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Component labels (0..k-1) of the graph of ``n`` nodes and these edges."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def stream_compare(
    paths: Sequence[str | Path],
    config: Any,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    memory_limit: str = "2.5GiB",
    batch: int = 128,
    rows_per_task: int = 512,
    progress: Callable[[str], None] | None = None,
) -> StreamSummary:
    """Compare the articles of JSONL/Parquet shards on Dask, writing results as they come.

    Args:
        paths: shard files or folders of them.
        config: the run's ``RunConfig``; ``stories_out`` (a folder every worker can write)
            gets one JSON report per story, ``findings_parquet`` the findings table.
        scheduler: address of a running Dask scheduler; ``None`` starts a local cluster.
        workers: worker processes of the local cluster.
        memory_limit: each local worker's memory limit (Dask spills kept data to disk well
            before it, and pauses a worker near it).
        batch: articles a worker analyses at once.
        rows_per_task: articles per reading task (Parquet row groups are not split).
        progress: called with a stage name as each stage starts.

    Returns:
        The counts, the scores, the signature and the time of each phase.

    Raises:
        UsageError: Dask is not installed, or the scheduler cannot be reached.
        InputError: no shard was found.
        FidelityError: a worker's error, as it was raised.
    """
    try:
        import dask.bag
        from dask.delayed import delayed as make_delayed

        bags: Any = dask.bag
        delayed: Any = make_delayed
    except ImportError as exc:
        raise UsageError(
            "--engine dask needs Dask: pip install 'fidelity[dask]' (dask and distributed)"
        ) from exc
    from fidelity.distributed import _client
    from fidelity.load import LoadOptions
    from fidelity.load.shards import shard_files, split_shards
    from fidelity.pipeline import stage_configs

    def say(stage: str) -> None:
        log.info("stage: %s", stage)
        if progress is not None:
            progress(stage)

    if config.one_story:
        raise UsageError("--one-story compares the corpus as one story: run it without streaming")
    align_config, score_config = stage_configs(config.extra_thresholds, config.pivot)
    gate = None
    if config.judge:
        from fidelity.judge.gate import GateSettings
        from fidelity.judge.model import load_thresholds

        gate = GateSettings(sentence=load_thresholds().sentence)
    options = LoadOptions(max_bytes=config.max_bytes, pivot=config.pivot)
    tasks = split_shards(shard_files(paths, follow_links=config.follow_links), rows_per_task)
    seconds: dict[str, float] = {}
    with _client(scheduler, workers, memory_limit=memory_limit) as client:
        import dask.distributed

        # distributed's functions carry no annotations
        as_completed: Any = dask.distributed.as_completed
        wait: Any = dask.distributed.wait

        say("analyse (langid, translate, extract, embed)")
        t0 = time.perf_counter()
        analysed = (
            bags.from_sequence(list(enumerate(tasks)), npartitions=max(1, len(tasks)))
            .map_partitions(_analyse_tasks, config, options, batch)
            .persist()
        )
        wait(analysed)
        seconds["analyse"] = time.perf_counter() - t0

        say("group into blocks")
        t0 = time.perf_counter()
        metas: list[_Meta] = analysed.filter(_is_meta).compute()
        found = analysed.filter(_is_record).map(_sketch_of).compute()
        found.sort(key=lambda x: x[0])
        skipped = tuple(s for m in metas for s in m.skipped)
        if not found:
            raise UsageError("no readable article in the shards")
        renames = _unique_ids([(order, ident, origin) for order, ident, origin, _ in found])
        block = blocks_of(np.stack([s for *_, s in found]))
        block_of = {order: int(b) for (order, *_), b in zip(found, block.tolist(), strict=True)}
        seconds["block"] = time.perf_counter() - t0
        signature = _signature(metas, align_config, score_config, gate, config)

        say("align and score, block by block")
        t0 = time.perf_counter()
        block_key = delayed(block_of, pure=True)
        outcomes = (
            analysed.filter(_is_record)
            .map(_keyed, block_key)
            .groupby(_first, npartitions=max(1, min(len(set(block_of.values())), 4 * len(tasks))))
            .map(
                _process_block,
                config,
                align_config,
                score_config,
                gate,
                signature,
                renames,
            )
        )
        rows: list[dict[str, Any]] = []
        scores: list[FidelityScore] = []
        totals = dict.fromkeys(("stories", "articles", "relays", "alignments", "files"), 0)
        futures = client.compute(outcomes.to_delayed())
        for future in as_completed(futures):
            for outcome in future.result():
                rows.extend(outcome.rows)
                scores.extend(outcome.scores)
                totals["stories"] += outcome.stories
                totals["articles"] += outcome.articles
                totals["relays"] += outcome.relays
                totals["alignments"] += outcome.alignments
                totals["files"] += outcome.story_files
        seconds["align_score"] = time.perf_counter() - t0
        del analysed

    table = None
    if config.findings_parquet is not None:
        from fidelity.outputs import write_findings_parquet

        rows.sort(key=lambda r: (r["story_id"] or "", r["finding_id"]))
        table = str(write_findings_parquet(rows, config.findings_parquet, inputs=paths))
    position = {ident: k for k, (_, ident, _, _) in enumerate(found)}
    sizes = np.bincount(block)
    return StreamSummary(
        articles=totals["articles"],
        skipped=skipped,
        stories=totals["stories"],
        blocks=len(sizes),
        largest_block=int(sizes.max()),
        relays=totals["relays"],
        alignments=totals["alignments"],
        findings=len(rows),
        story_files=totals["files"],
        findings_parquet=table,
        signature=signature,
        seconds=seconds,
        scores=tuple(sorted(scores, key=lambda s: position.get(s.article_id, len(position)))),
    )


def _is_meta(item: object) -> bool:
    return isinstance(item, _Meta)


def _is_record(item: object) -> bool:
    return isinstance(item, _Record)


def _sketch_of(record: _Record) -> tuple[tuple[int, int], str, str, npt.NDArray[np.float16]]:
    return record.order, record.ident, record.origin, record.sketch


def _keyed(record: _Record, block_of: Mapping[tuple[int, int], int]) -> tuple[int, _Record]:
    return block_of[record.order], record


def _first(item: tuple[int, _Record]) -> int:
    return item[0]


def _unique_ids(found: Sequence[tuple[tuple[int, int], str, str]]) -> dict[tuple[int, int], str]:
    """New ids for repeated ones, as the in-process loader gives them (``unique_ids``)."""
    from fidelity.load import unique_ids
    from fidelity.types import Article

    counts: dict[str, int] = {}
    for _, ident, _ in found:
        counts[ident] = counts.get(ident, 0) + 1
    if all(c == 1 for c in counts.values()):
        return {}
    stand_ins = [Article(id=ident, origin=origin, text="-") for _, ident, origin in found]
    return {
        order: new.id
        for (order, ident, _), new in zip(found, unique_ids(stand_ins), strict=True)
        if new.id != ident
    }


def _analyse_tasks(
    items: Sequence[tuple[int, Any]], config: Any, options: Any, batch: int
) -> list[_Record | _Meta]:
    """Read, analyse and embed the articles of some reading tasks (on a worker)."""
    from fidelity.align.features import claim_features, embedded_texts, quote_texts
    from fidelity.distributed import _worker_backends
    from fidelity.load.shards import iter_batches
    from fidelity.pipeline import _analyse, _open_cache

    backends = _worker_backends(config)
    embedder = backends.embedder
    out: list[_Record | _Meta] = []
    skipped: list[Skipped] = []
    cache = _open_cache(config)
    try:
        for task_index, shard in items:
            position = 0
            for articles, bad in iter_batches(shard, options, batch=batch):
                skipped.extend(bad)
                if not articles:
                    continue
                extracted, _ = _analyse(articles, config, backends, cache, None)
                vectors: dict[str, Any] = {}
                if embedder is not None:
                    features = claim_features(extracted)
                    texts = list(dict.fromkeys([*embedded_texts(features), *quote_texts(features)]))
                    rows = embedder.embed(texts)
                    vectors = dict(zip(texts, np.asarray(rows, dtype=np.float32), strict=True))
                for e in extracted:
                    own = claim_features([e])
                    mine = {
                        t: vectors[t]
                        for t in dict.fromkeys([*embedded_texts(own), *quote_texts(own)])
                        if t in vectors
                    }
                    out.append(
                        _Record(
                            order=(task_index, position),
                            ident=e.article.id,
                            origin=e.article.origin,
                            sketch=sketch(e),
                            payload=pickle.dumps((e, mine), protocol=pickle.HIGHEST_PROTOCOL),
                        )
                    )
                    position += 1
    finally:
        if cache:
            cache.close()
    out.append(
        _Meta(
            detector=backends.detector.name,
            translator=backends.translator.name,
            packages=tuple(backends.translator.packages()),
            embedder=embedder.name if embedder is not None else None,
            dim=int(embedder.dim) if embedder is not None else 0,
            skipped=tuple(skipped),
        )
    )
    return out


def _signature(
    metas: Sequence[_Meta], align_config: Any, score_config: Any, gate: Any, config: Any
) -> Signature:
    thresholds = {**align_config.as_dict(), **score_config.as_dict()}
    if gate is not None:
        thresholds.update(gate.as_dict())
    first = metas[0]
    return Signature(
        fidelity_version=__version__,
        detector=first.detector,
        translator=first.translator,
        translation_packages=tuple(sorted({p for m in metas for p in m.packages})),
        embedder=first.embedder or "none",
        thresholds=thresholds,
        pivot_language=config.pivot,
    )


def _renamed(extracted: ExtractedArticle, ident: str) -> ExtractedArticle:
    """The article under another id (a repeated id made unique), its claims with it."""
    translated = extracted.translated
    detected = replace(translated.detected, article=replace(extracted.article, id=ident))
    return replace(
        extracted,
        translated=replace(translated, detected=detected),
        claims=tuple(
            replace(c, id=f"{ident}#{c.index}", article_id=ident) for c in extracted.claims
        ),
    )


def _process_block(
    item: tuple[int, list[tuple[int, _Record]]],
    config: Any,
    align_config: Any,
    score_config: Any,
    gate: Any,
    signature: Signature,
    renames: Mapping[tuple[int, int], str],
) -> _BlockOutcome:
    """Relays, stories, alignment and scores of one block; its stories' reports written."""
    from fidelity.align import group_articles
    from fidelity.distributed import VectorTable, _align_and_score_story
    from fidelity.outputs import finding_rows, write_story_reports

    key, keyed = item
    records = sorted((r for _, r in keyed), key=lambda r: r.order)
    everything: list[ExtractedArticle] = []
    vectors: dict[str, Any] = {}
    for record in records:
        extracted, mine = pickle.loads(record.payload)
        if record.order in renames:
            extracted = _renamed(extracted, renames[record.order])
        everything.append(extracted)
        vectors.update(mine)
    table = None
    if signature.embedder != "none":
        dim = len(next(iter(vectors.values()))) if vectors else 0
        table = VectorTable(signature.embedder, dim, vectors)
    if getattr(config, "relays", False):
        from fidelity.relays import find_relays, relay_article

        copies = find_relays([e.translated for e in everything])
        by_id = {e.article.id: e for e in everything}
        everything = [
            relay_article(by_id[copies[e.article.id]], e.translated)
            if e.article.id in copies
            else e
            for e in everything
        ]
    working = [e for e in everything if e.relay_of is None]
    stories = [
        replace(s, id=f"block-{key + 1}/{s.id}")
        for s in group_articles(working, embedder=table, config=align_config)
    ]
    by_id = {e.article.id: e for e in working}
    per_story = [
        _align_and_score_story(
            story,
            [by_id[a] for a in story.article_ids],
            table,
            None,
            align_config,
            score_config,
            gate,
        )
        for story in stories
    ]
    result = _merge(tuple(everything), tuple(working), tuple(stories), per_story, signature)
    files = 0
    if config.stories_out is not None:
        files = len(write_story_reports(result, config.stories_out))
    return _BlockOutcome(
        stories=len(stories),
        articles=len(everything),
        relays=len(everything) - len(working),
        alignments=len(result.alignment.alignments),
        story_files=files,
        rows=finding_rows(result),
        scores=result.scores,
    )


def _merge(
    everything: tuple[ExtractedArticle, ...],
    working: tuple[ExtractedArticle, ...],
    stories: tuple[Story, ...],
    per_story: Sequence[tuple[AlignmentResult, tuple[Finding, ...], tuple[FidelityScore, ...]]],
    signature: Signature,
) -> ComparisonResult:
    from fidelity.types import SEVERITY_RANK

    alignment = AlignmentResult(
        stories=stories,
        alignments=tuple(a for r, _, _ in per_story for a in r.alignments),
        clusters=tuple(c for r, _, _ in per_story for c in r.clusters),
        unmatched=tuple(u for r, _, _ in per_story for u in r.unmatched),
    )
    findings = tuple(
        sorted(
            (f for _, fs, _ in per_story for f in fs),
            key=lambda f: (-SEVERITY_RANK[f.severity], f.category, f.id),
        )
    )
    position = {e.article.id: i for i, e in enumerate(working)}
    scores = tuple(
        sorted((s for _, _, ss in per_story for s in ss), key=lambda s: position[s.article_id])
    )
    if len(everything) > len(working):
        from fidelity.relays import share_with_relays

        alignment, findings, scores = share_with_relays(everything, alignment, findings, scores)
    return ComparisonResult(
        articles=everything,
        alignment=alignment,
        findings=findings,
        scores=scores,
        skipped=(),
        signature=signature,
    )


def iter_story_files(folder: Path) -> Iterator[Path]:
    """The story reports a streamed run wrote, in name order."""
    return iter(sorted(Path(folder).glob("*.json")))


def summary_text(summary: StreamSummary) -> str:
    """The few lines a streamed run prints (its results are in the files it wrote)."""
    took = ", ".join(f"{k} {v:.1f} s" for k, v in summary.seconds.items())
    lines = [
        f"{summary.articles} articles in {summary.stories} stories ({summary.blocks} blocks, "
        f"the largest {summary.largest_block} articles); {summary.relays} relays; "
        f"{summary.alignments} alignments; {summary.findings} findings",
        f"wrote {summary.story_files} story reports"
        + (f" and {summary.findings_parquet}" if summary.findings_parquet else ""),
        f"skipped {len(summary.skipped)} lines or rows" if summary.skipped else "",
        f"time: {took}",
        f"signature: {summary.signature.as_text()}",
    ]
    return "\n".join(line for line in lines if line)
