"""The whole run, stage after stage: load -> langid -> translate -> extract -> align -> score.

``compare`` and ``check`` are the two library entry points the CLI calls. Backends are built
from a ``RunConfig`` by name here, once, and passed into the stages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fidelity import __version__, runcache
from fidelity.errors import CacheError, ConfigError, InputError, UsageError
from fidelity.langid import (
    DEFAULT_LANGUAGES,
    LangidOptions,
    LanguageDetector,
    detect_articles,
    make_detector,
)
from fidelity.load import (
    DEFAULT_MAX_BYTES,
    LoadOptions,
    article_from_text,
    load_corpus,
    read_file,
    unique_ids,
)
from fidelity.load.files import display_path
from fidelity.types import (
    Article,
    ComparisonResult,
    Corpus,
    ExtractedArticle,
    Signature,
    Skipped,
)

if TYPE_CHECKING:
    from fidelity.align import AlignConfig
    from fidelity.embed import Embedder
    from fidelity.extract.lexicon import Lexicon
    from fidelity.judge import Judge
    from fidelity.score import ScoreConfig
    from fidelity.translate import Translator

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Everything a run can be told; the CLI fills it from options."""

    detector: str = "lingua"
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    translator: str = "auto"
    pivot: str = "en"
    embedder: str = "minilm"
    one_story: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    max_documents: int = 2000  # a larger corpus is refused with a message naming the flag
    follow_links: bool = False  # follow links in a corpus folder that point outside it
    use_cache: bool = True
    lexicons: tuple[Path, ...] = ()
    min_severity: str = "medium"  # for check's verdict
    extra_thresholds: dict[str, float] = field(default_factory=dict)
    jobs: int = 0  # worker processes for a large corpus: 0 = one per CPU, 1 = none
    source_outlets: tuple[str, ...] = ()  # compare: these outlets' articles count as sources
    # compare's engine: "local" (this process and its --jobs workers) or "dask" (a cluster:
    # ``scheduler`` is its address, or None for a local cluster of ``dask_workers`` processes)
    engine: str = "local"
    scheduler: str | None = None
    dask_workers: int = 2
    # the learned consistency judge reads every compared claim after scoring (fidelity.judge)
    judge: bool = False
    # compare: near-verbatim copies share the work and findings of what they copy (relays.py)
    relays: bool = True
    # compare: also one JSON report per story in this folder, and a Parquet table of findings
    # (fidelity/outputs.py); the Dask engine writes each story's as soon as it is scored
    stories_out: Path | None = None
    findings_parquet: Path | None = None


def compare(
    paths: Sequence[str | Path],
    config: RunConfig | None = None,
    *,
    reference: str | Path | None = None,
    progress: Progress | None = None,
    backends: Backends | None = None,
) -> ComparisonResult:
    """Compare every article under ``paths`` with the others (or with ``reference``).

    Args:
        paths: files and folders of articles.
        config: backends and thresholds.
        reference: a file to score every other article against; without one, each article is
            scored against the consensus of the others.
        progress: called with a stage name as each stage starts.
        backends: backends already built for ``config`` (default: built from it), so that
            many comparisons can share one detector, translator, lexicon and embedder.

    Returns:
        The full result: articles with their extracted claims, alignments, findings, scores.

    Raises:
        FidelityError: bad input or a missing model (the CLI maps it to exit code 2).
    """
    config = config or RunConfig()
    options = LoadOptions(
        max_bytes=config.max_bytes, pivot=config.pivot, follow_links=config.follow_links
    )
    _say(progress, "load")
    corpus = load_corpus(paths, options)
    reference_id = None
    if reference is not None:
        ref_articles = _read_reference(Path(reference), options)
        known = {a.origin for a in corpus.articles}
        extra = [a for a in ref_articles if a.origin not in known]
        corpus = Corpus(corpus.articles + tuple(extra), corpus.skipped)
        reference_id = next(a.id for a in corpus.articles if a.origin == ref_articles[0].origin)
        corpus = Corpus(
            tuple(
                replace(a, role="source") if a.id == reference_id else a for a in corpus.articles
            ),
            corpus.skipped,
        )
    if config.source_outlets:
        corpus = _mark_sources(corpus, config.source_outlets)
    if config.engine == "dask":
        from fidelity.distributed import compare_corpus_on_dask

        if len(corpus.articles) < 2:
            raise UsageError("comparison needs at least two articles; give more files or a folder")
        # --max-documents bounds this process's memory; a cluster's workers hold a partition
        result = compare_corpus_on_dask(
            corpus,
            config,
            reference_id=reference_id,
            scheduler=config.scheduler,
            workers=config.dask_workers,
        )
        _write_outputs(result, config, paths)
        return result
    if config.engine != "local":
        raise UsageError(f"unknown engine {config.engine!r}; expected local or dask")
    if len(corpus.articles) > config.max_documents:
        raise UsageError(
            f"{len(corpus.articles)} articles is over the limit of {config.max_documents} "
            "for one comparison (memory grows with the corpus); split the corpus by story, "
            "or raise the limit with --max-documents"
        )
    if len(corpus.articles) < 2:
        why = "".join(f"; skipped {x.origin}: {x.reason}" for x in corpus.skipped)
        raise UsageError(
            "comparison needs at least two articles; give more files or a folder "
            f"(read {len(corpus.articles)}, skipped {len(corpus.skipped)}){why}"
        )
    result = _run(corpus, config, reference_id, progress, backends=backends)
    _write_outputs(result, config, paths)
    return result


def _write_outputs(
    result: ComparisonResult, config: RunConfig, inputs: Sequence[str | Path]
) -> None:
    """The per-story JSON reports and the findings table the config asks for."""
    if config.stories_out is not None:
        from fidelity.outputs import write_story_reports

        write_story_reports(result, config.stories_out)
    if config.findings_parquet is not None:
        from fidelity.outputs import finding_rows, write_findings_parquet

        write_findings_parquet(finding_rows(result), config.findings_parquet, inputs=inputs)


def compare_articles(
    articles: Sequence[Article],
    config: RunConfig | None = None,
    *,
    reference_id: str | None = None,
    progress: Progress | None = None,
    backends: Backends | None = None,
) -> ComparisonResult:
    """Compare articles already read (the Python API, the web app); as :func:`compare`."""
    config = config or RunConfig()
    if len(articles) < 2:
        raise UsageError(f"comparison needs at least two articles (got {len(articles)})")
    corpus = Corpus(tuple(articles))
    if config.source_outlets:
        corpus = _mark_sources(corpus, config.source_outlets)
    return _run(corpus, config, reference_id, progress, backends=backends)


def _mark_sources(corpus: Corpus, outlets: Sequence[str]) -> Corpus:
    """Articles of the outlets the house rules treat as sources get the role "source"."""
    names = {o.casefold() for o in outlets}
    return Corpus(
        tuple(
            replace(a, role="source")
            if {(a.outlet or "").casefold(), (a.site or "").casefold()} & names
            else a
            for a in corpus.articles
        ),
        corpus.skipped,
    )


def check(
    draft: str | Path,
    sources: Sequence[str | Path],
    config: RunConfig | None = None,
    *,
    progress: Progress | None = None,
) -> ComparisonResult:
    """Check a draft against its sources: the editor's pre-publication gate.

    The draft is the derived article; the sources together are the reference.
    """
    config = config or RunConfig()
    if not sources:
        raise UsageError("give at least one --source to check the draft against")
    options = LoadOptions(
        max_bytes=config.max_bytes, pivot=config.pivot, follow_links=config.follow_links
    )
    _say(progress, "load")
    draft_file = _real(Path(draft))
    for named in sources:
        if draft_file is not None and _real(Path(named)) == draft_file:
            raise UsageError(
                f"{display_path(draft)} is given as both the draft and a source; give the "
                "source it was written from"
            )
    drafts = _read_reference(Path(draft), options)
    if len(drafts) != 1:
        raise UsageError("the draft must be one article (not a JSONL corpus)")
    source_corpus = load_corpus(sources, options)
    # A source folder that holds the draft: the draft is not its own source.
    own = [a for a in source_corpus.articles if _real(Path(a.origin)) == draft_file]
    if own and len(own) == len(source_corpus.articles):
        raise UsageError(
            f"the only source found is the draft {display_path(draft)} itself; give the "
            "source it was written from"
        )
    draft_article = replace(drafts[0], role="derived")
    articles = tuple(
        unique_ids(
            [
                draft_article,
                *(replace(a, role="source") for a in source_corpus.articles if a not in own),
            ]
        )
    )
    return _run(
        Corpus(articles, source_corpus.skipped),
        replace(config, one_story=True),
        None,
        progress,
        draft_id=draft_article.id,
    )


def articles_from_texts(
    draft_text: str, source_texts: Sequence[str], *, ident: str = "draft", title: str | None = None
) -> tuple[Article, ...]:
    """Articles from raw strings (for ``check --batch``), with boilerplate found as for files."""
    draft = replace(
        article_from_text(ident, f"{ident}:text", draft_text, {"title": title}),
        role="derived",
    )
    sources = tuple(
        replace(
            article_from_text(f"{ident}-source-{i}", f"{ident}:sources[{i}]", text),
            role="source",
        )
        for i, text in enumerate(source_texts, start=1)
    )
    return (draft, *sources)


def check_articles(
    articles: Sequence[Article],
    config: RunConfig | None = None,
    *,
    backends: Backends | None = None,
) -> ComparisonResult:
    """Check ``articles[0]`` (the draft) against the rest (its sources)."""
    config = config or RunConfig()
    return _run(
        Corpus(tuple(articles)),
        replace(config, one_story=True),
        None,
        None,
        draft_id=articles[0].id,
        backends=backends,
    )


def _real(path: Path) -> Path | None:
    """The file a path names, links resolved; None for what is not an existing file."""
    try:
        return path.resolve(strict=True) if path.is_file() else None
    except (OSError, RuntimeError):
        return None


def _read_reference(path: Path, options: LoadOptions) -> list[Article]:
    if not path.exists():
        raise InputError(display_path(path), "no such file; check the path")
    if path.is_dir():
        raise InputError(display_path(path), "expected one article file here, not a folder")
    return read_file(path, options)


@dataclass(frozen=True, slots=True)
class Backends:
    """The pluggable parts of a run, built once and passed into the stages."""

    detector: LanguageDetector
    translator: Translator
    lexicon: Lexicon
    embedder: Embedder | None
    judge: Judge | None = None  # built when the run asks for the judge


def build_backends(config: RunConfig) -> Backends:
    """Build the detector, translator, lexicon and embedder a config names."""
    from fidelity.embed import make_embedder
    from fidelity.extract import load_lexicon
    from fidelity.store import with_cache_or_without
    from fidelity.translate import make_translator

    return Backends(
        detector=make_detector(config.detector, config.languages),
        translator=with_cache_or_without(
            lambda cached: make_translator(config.translator, use_cache=cached), config.use_cache
        ),
        lexicon=load_lexicon(config.lexicons),
        embedder=with_cache_or_without(
            lambda cached: make_embedder(config.embedder, use_cache=cached), config.use_cache
        ),
        judge=_load_judge() if config.judge else None,
    )


def _load_judge() -> Judge:
    from fidelity.judge import load_judge

    return load_judge()


def stage_configs(
    thresholds: Mapping[str, float], pivot: str = "en"
) -> tuple[AlignConfig, ScoreConfig]:
    """The align and score stages' configs with ``thresholds`` applied: dotted names as the
    run signature lists them (``align.accept``, ``score.quotes.match_floor``).

    Raises:
        ConfigError: a name no stage knows, a value that is not a number of its kind, or a
            pivot language whose scoring words the lexicon lacks.
    """
    from fidelity.align import AlignConfig
    from fidelity.score import ScoreConfig
    from fidelity.text.vocabulary import vocabulary

    vocabulary(pivot)  # refused here, before any work, if the lexicon lacks the language

    align, score_overrides = AlignConfig(), {}
    for key, value in thresholds.items():
        stage, _, name = key.partition(".")
        if stage == "score":
            score_overrides[key] = value
        elif stage == "align" and name in align.__dataclass_fields__:
            current = getattr(align, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"threshold {key!r} must be a number, not {value!r}")
            if isinstance(current, int) and value != int(value):
                raise ConfigError(f"threshold {key!r} must be a whole number, not {value!r}")
            align = replace(align, **{name: type(current)(value)})
        else:
            known = ", ".join(sorted(align.as_dict()))
            raise ConfigError(
                f"unknown threshold {key!r}; names start with 'score.' or are one of {known}"
            )
    return align, ScoreConfig(language=pivot).with_overrides(score_overrides)


def _run(
    corpus: Corpus,
    config: RunConfig,
    reference_id: str | None,
    progress: Progress | None,
    *,
    draft_id: str | None = None,
    backends: Backends | None = None,
) -> ComparisonResult:
    from fidelity.align import align_articles
    from fidelity.score import score_articles

    backends = backends or build_backends(config)
    cache = _open_cache(config)
    try:
        extracted, keys = _analyse(
            corpus.articles,
            config,
            backends,
            cache,
            progress,
            relays=config.relays and draft_id is None,
            reference_id=reference_id,
        )
        relayed = tuple(e for e in extracted if e.relay_of is None)
        align_config, score_config = stage_configs(config.extra_thresholds, config.pivot)
        thresholds = {**align_config.as_dict(), **score_config.as_dict()}
        gate = None
        if len(relayed) < len(extracted):
            from fidelity.relays import RelayConfig

            thresholds.update(RelayConfig().as_dict())
        if config.judge:
            from fidelity.judge.gate import GateSettings

            if backends.judge is None:
                backends = replace(backends, judge=_load_judge())
            assert backends.judge is not None
            gate = GateSettings(sentence=backends.judge.thresholds.sentence)
            thresholds.update(gate.as_dict())
        embedder = backends.embedder
        embedder_name = embedder.name if embedder is not None else "none"
        run_key = runcache.key(
            "run",
            keys,
            reference_id,
            draft_id,
            config.one_story,
            embedder_name,
            sorted(thresholds.items()),
            runcache.code_fingerprint(),
            sorted((e.article.id, e.relay_of) for e in extracted if e.relay_of),
        )
        cached = cache.get_many([run_key]).get(run_key) if cache else None
        if cached is not None:
            alignment, findings, scores = cached
        else:
            _say(progress, "align")
            alignment = align_articles(
                relayed,
                embedder=embedder,
                config=align_config,
                one_story=config.one_story,
                jobs=config.jobs,
            )
            _say(progress, "score")
            findings, scores = score_articles(
                relayed,
                alignment,
                reference_id=reference_id,
                draft_id=draft_id,
                config=score_config,
                jobs=config.jobs,
            )
            if gate is not None and backends.judge is not None:
                from fidelity.judge.gate import apply_judge

                _say(progress, "judge")
                findings, scores = apply_judge(
                    relayed, alignment, findings, scores, backends.judge, gate
                )
            if len(relayed) < len(extracted):
                from fidelity.relays import share_with_relays

                alignment, findings, scores = share_with_relays(
                    extracted, alignment, findings, scores
                )
            if cache:
                cache.put_many([(run_key, (alignment, findings, scores))], "run")
    finally:
        if cache:
            cache.close()
    signature = Signature(
        fidelity_version=__version__,
        detector=backends.detector.name,
        translator=backends.translator.name,
        translation_packages=_packages_used(extracted, backends.translator),
        embedder=embedder_name,
        thresholds=thresholds,
        pivot_language=config.pivot,
    )
    return ComparisonResult(
        articles=extracted,
        alignment=alignment,
        findings=findings,
        scores=scores,
        skipped=tuple(corpus.skipped),
        signature=signature,
        reference_id=reference_id,
    )


def _open_cache(config: RunConfig) -> runcache.RunCache | None:
    if not config.use_cache:
        return None
    try:
        return runcache.RunCache()
    except CacheError as exc:
        log.warning("%s; running without the analysis cache", exc)
        return None


def _analyse(
    articles: Sequence[Article],
    config: RunConfig,
    backends: Backends,
    cache: runcache.RunCache | None,
    progress: Progress | None,
    *,
    relays: bool = False,
    reference_id: str | None = None,
) -> tuple[tuple[ExtractedArticle, ...], tuple[bytes, ...]]:
    """Language detection, translation and extraction, per article, from the cache if it has
    them (keyed by everything that could change the outcome). With ``relays``, an article that
    nearly copies another is not extracted: it takes the other's claims (``relay_of`` set)."""
    from fidelity.extract import extract_articles
    from fidelity.translate import translate_articles

    shared = (
        backends.detector.name,
        config.languages,
        backends.translator.name,
        runcache.models_fingerprint(),
        config.pivot,
        runcache.files_fingerprint(config.lexicons),
        runcache.code_fingerprint(),
    )
    keys = tuple(runcache.key("article", repr(a), shared) for a in articles)
    found = cache.get_many(keys) if cache else {}
    todo = [a for a, k in zip(articles, keys, strict=True) if k not in found]
    if todo:
        _say(progress, "detect languages")
        detected = detect_articles(
            todo, backends.detector, LangidOptions(languages=config.languages)
        )
        _say(progress, "translate")
        translated = translate_articles(detected, backends.translator, pivot=config.pivot)
    else:
        translated = ()
    copies: dict[str, str] = {}
    if relays:
        from fidelity.relays import find_relays

        fresh_translated = {t.detected.article.id: t for t in translated}
        copies = find_relays(
            [
                found[k].translated if k in found else fresh_translated[a.id]
                for a, k in zip(articles, keys, strict=True)
            ],
            reference_id=reference_id,
        )
    todo_translated = [t for t in translated if t.detected.article.id not in copies]
    if todo_translated:
        _say(progress, "extract claims")
        fresh = extract_articles(todo_translated, backends.lexicon, jobs=config.jobs)
        by_id = {e.article.id: e for e in fresh}
        new = [(k, by_id[a.id]) for a, k in zip(articles, keys, strict=True) if a.id in by_id]
        found.update(new)
        if cache:
            cache.put_many(new, "article")
    if not copies:
        return tuple(found[k] for k in keys), keys
    from fidelity.relays import relay_article

    originals = {found[k].article.id: found[k] for k in keys if k in found}
    by_translated = {t.detected.article.id: t for t in translated}
    return tuple(
        relay_article(
            originals[copies[a.id]], found[k].translated if k in found else by_translated[a.id]
        )
        if a.id in copies
        else found[k]
        for a, k in zip(articles, keys, strict=True)
    ), keys


def _packages_used(
    extracted: Sequence[ExtractedArticle], translator: Translator
) -> tuple[str, ...]:
    """Translation packages behind the segments (also when they came from the cache)."""
    return packages_used(extracted, translator.packages())


def packages_used(
    extracted: Sequence[ExtractedArticle], translator_packages: Iterable[str]
) -> tuple[str, ...]:
    """The signature's translation packages: what the translators report (in this process or
    in others), installed models from the provenance of each segment, and one entry for the
    provided translations of the articles whose segments used them."""
    from fidelity.translate.provided import ENGINE, provided_signature, translation_digest

    used = {p for p in translator_packages if not p.startswith(f"{ENGINE}:")}
    provided: set[str] = set()
    for art in extracted:
        for seg in art.translated.segments:
            prov = seg.provenance
            if prov.package:
                used.add(f"{prov.package}@{prov.version}" if prov.version else prov.package)
            if prov.engine == ENGINE and prov.status == "provided" and art.article.translation:
                provided.add(translation_digest(art.article.translation))
    return tuple(sorted(used | set(provided_signature(provided))))


def _say(progress: Progress | None, stage: str) -> None:
    log.info("stage: %s", stage)
    if progress is not None:
        progress(stage)


__all__ = [
    "Backends",
    "RunConfig",
    "Skipped",
    "articles_from_texts",
    "build_backends",
    "check",
    "check_articles",
    "compare",
    "compare_articles",
]
