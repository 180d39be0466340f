"""Property tests of the align stage and of `compare` on generated folders.

The aligner takes what the real extractor makes of generated multi-article inputs: text in many
scripts, control characters, empty and whitespace-only documents, sentences repeated within and
across documents, whole documents repeated, huge lines, numbers of thousands of digits. It
ends in a result whose structure holds (every alignment joins claims that exist, of two
different articles of one story, earlier article on the left, confidence in [0, 1]; clusters
are disjoint and made of aligned claims; every claim is aligned or unmatched), or in a
FidelityError with a message, never in a traceback. ``compare`` runs the same on generated
folders of .txt, .md, .html and .jsonl files (with sidecars and odd encodings) and its result
renders in every report format.

Each input runs several whole stages, so CI tries a small sample (20, 12 and 4 inputs);
FIDELITY_FUZZ_EXAMPLES sets the number for a full run (the variant with the real MiniLM
embedder runs a tenth of it).
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fidelity.errors import FidelityError, InputError
from fidelity.langid import LangidOptions, detect_articles
from fidelity.load import article_from_text
from fidelity.pipeline import Backends, RunConfig, build_backends
from fidelity.types import AlignmentResult, ComparisonResult, ExtractedArticle

_FULL_RUN = os.environ.get("FIDELITY_FUZZ_EXAMPLES")


def _examples(ci: int, share: float = 1.0) -> int:
    """Inputs per property: ``share`` of FIDELITY_FUZZ_EXAMPLES when it is set (the full run),
    else ``ci``. Each input here runs several whole stages, so CI takes a smaller sample than
    the loader properties do."""
    return max(1, int(int(_FULL_RUN) * share)) if _FULL_RUN else ci


_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
    "database": None,
}
ALIGN_FUZZ = settings(max_examples=_examples(20), **_SETTINGS)
COMPARE_FUZZ = settings(max_examples=_examples(12), **_SETTINGS)
EMBEDDED_FUZZ = settings(max_examples=_examples(4, share=0.1), **_SETTINGS)

# News sentences several outlets could share, in several languages and scripts, with the
# numbers, names, quotes and hedges the aligner anchors on.
POOL = (
    'NATO Secretary General Mark Rutte said the alliance would deploy forces "on land, at sea '
    'and in the air".',
    "Russia's foreign ministry warned that any troops would be legitimate targets for destruction.",
    "The guarantees provide for a coordinated military response within 72 hours of a breach.",
    "The plan was reportedly agreed by 26 countries on Tuesday, 3 March 2024.",
    "Officials said at least 40 people were killed and 120 injured in the attack.",
    "The central bank raised its key rate by 0.5 percentage points to 4.25%.",
    "Kyiv did not sign the agreement, a spokesman told Reuters.",
    "“We will not back down,” the minister said, according to sources.",
    "Thousands of protesters gathered in Athens; police estimated 800,000.",
    "Ο Μαρκ Ρούτε δήλωσε ότι η συμμαχία θα αναπτύξει δυνάμεις σε ξηρά, θάλασσα και αέρα.",
    "Οι εγγυήσεις προβλέπουν στρατιωτική απάντηση μέσα σε 72 ώρες.",
    "Марк Рютте заявил, что коалиция развернет силы на суше, на море и в воздухе.",
    "Москва предупредила, что войска станут «законными целями».",
    "Марк Рютте заявив, що коаліція розгорне сили протягом 72 годин.",
    "Die Regierung hat den Plan am Dienstag nicht unterzeichnet, sagte ein Sprecher.",
    "Le ministre a déclaré que 26 pays avaient « probablement » accepté le plan.",
    "وقال المتحدث إن 40 شخصا قتلوا في الهجوم.",
    "官员说至少有40人死亡，120人受伤。",
    "अधिकारियों ने कहा कि हमले में 40 लोग मारे गए।",
    "הדובר אמר כי 40 בני אדם נהרגו.",
)
ODD = (
    "",
    " ",
    "\x00\x01\x02\x1b[31m",
    "\u200b\u200c\u200d\ufeff",
    "\ud800",
    "\udfff lone",
    "9" * 5000,
    "1,000,000,000,000,000,000,000,000,000,000,000,000 people",
    "1e999 dollars and -0.0 percent and NaN euros",
    "10^309 km within 99999999999999999999 hours",
    "“" * 50 + "unclosed quote",
    '"' * 101,
    "«»„“”‘’ “ ” « »",
    "...!!!???;;;:::",
    "A. B. C. D. E. F. G.",
    "\t\t\t\v\f\r\r\n",
    "👍🏽👨‍👩‍👧‍👦🇬🇷" * 20,
    "Ρούτε Рютте Rutte RUTTE rutte",
    "said said said said said reportedly allegedly not never",
)
WHITESPACE = st.text(alphabet=" \t\n\r\x0b\x0c\u00a0\u2003\u2028\u2029\u200b\ufeff", max_size=30)
FUZZ_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("αβγΔΩ ЖжЯя їєґ «»„“”‘’\"' .!?…;:\n\t\r\x00\x07\x1b\u200b\ufeff0123")),
    ),
    max_size=300,
)


def _mutate(sentence: str, how: str, n: int) -> str:
    """A retelling of ``sentence``: a number changed, a negation, case, spacing, a control
    character, a repeat, no punctuation."""
    if how == "number":
        return re.sub(r"\d+", str(n), sentence, count=1)
    if how == "negate":
        return sentence.replace(" would ", " would not ", 1).replace(" did not ", " did ", 1)
    if how == "upper":
        return sentence.upper()
    if how == "spacing":
        return sentence.replace(" ", "\u00a0" if n % 2 else "\t")
    if how == "control":
        at = n % (len(sentence) + 1)
        return sentence[:at] + chr(n % 32) + sentence[at:]
    if how == "repeat":
        return " ".join([sentence] * (2 + n % 4))
    if how == "bare":
        return re.sub(r"[^\w\s]", "", sentence)
    return sentence


SENTENCES = st.builds(
    _mutate,
    st.sampled_from(POOL),
    st.sampled_from(["same", "same", "number", "negate", "upper", "spacing", "control", "repeat"]),
    st.integers(0, 10_000),
)
HUGE_LINE = st.builds(
    lambda s, n, end: (s.rstrip(".。") + " ") * n + end,
    st.sampled_from(POOL),
    st.integers(20, 200),
    st.sampled_from(["", ".", "\n"]),
) | st.builds(
    lambda ch, n: ch * n, st.sampled_from(["a", "7", " ", "“", "Ж", "."]), st.integers(1000, 20_000)
)
# Mostly shared sentences, so that generated articles do tell one story and align.
PARAGRAPHS = st.one_of(
    *[SENTENCES] * 8,
    st.sampled_from(ODD),
    WHITESPACE,
    FUZZ_TEXT,
    HUGE_LINE,
)


def _document(paragraphs: list[str], repeats: int, separator: str) -> str:
    return separator.join(paragraphs + paragraphs[: repeats % (len(paragraphs) + 1)])


_PROSE = st.builds(
    _document,
    st.lists(PARAGRAPHS, max_size=8),
    st.integers(0, 4),
    st.sampled_from(["\n\n", "\n", " ", "\r\n", "", "\n\n\n\n"]),
)
DOCUMENTS = st.one_of(*[_PROSE] * 6, WHITESPACE, st.just(""))
TITLES = st.one_of(st.none(), SENTENCES, st.sampled_from(ODD), FUZZ_TEXT)


_SEPARATORS = st.sampled_from(["\n\n", "\n", " ", "\r\n", "\n\n\n\n"])
_HOW = st.sampled_from(["same", "same", "same", "number", "negate", "upper", "control", "bare"])


@st.composite
def article_sets(draw: st.DrawFn) -> list[str]:
    """Up to six documents: most retell one story (its sentences picked, repeated, reordered
    and altered, among noise), some are noise alone, some empty or only whitespace, and a
    document may come twice (the same wire story run by two outlets)."""
    story = draw(st.lists(SENTENCES, min_size=1, max_size=6))
    docs: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["retelling"] * 4 + ["noise", "empty"]))
        if kind == "empty":
            docs.append(draw(WHITESPACE | st.just("")))
        elif kind == "noise":
            docs.append(draw(_PROSE))
        else:
            told = [
                _mutate(sentence, draw(_HOW), draw(st.integers(0, 999)))
                for sentence in draw(st.lists(st.sampled_from(story), min_size=1, max_size=8))
            ]
            parts = draw(st.permutations(told + draw(st.lists(PARAGRAPHS, max_size=3))))
            docs.append(draw(_SEPARATORS).join(parts))
    for i in draw(st.lists(st.integers(0, 5), max_size=2)):
        if docs:
            docs.append(docs[i % len(docs)])
    return docs


ARTICLE_SETS = article_sets()

_BACKENDS: list[Backends] = []


def _backends() -> Backends:
    """Detector, translator (auto: with no model installed, Greek or Russian sentences stay
    untranslated and align by anchors), lexicon; no embedder. Built once for the module."""
    if not _BACKENDS:
        _BACKENDS.append(build_backends(RunConfig(embedder="none", use_cache=False)))
    return _BACKENDS[0]


_EMBEDDER: list[Any] = []


def _minilm() -> Any:
    from fidelity.embed import make_embedder

    if not _EMBEDDER:
        _EMBEDDER.append(make_embedder("minilm", use_cache=False))
    return _EMBEDDER[0]


def _extract(texts: Sequence[str], titles: Sequence[str | None]) -> tuple[ExtractedArticle, ...]:
    """The real stages up to extraction; a text the loader would refuse (empty, only
    whitespace) is left out, as ``compare`` leaves out an unreadable file."""
    from fidelity.extract import extract_articles
    from fidelity.translate import translate_articles

    backends = _backends()
    articles = []
    for i, text in enumerate(texts):
        title = titles[i % len(titles)] if titles else None
        try:
            articles.append(article_from_text(f"doc-{i}", f"generated:{i}", text, {"title": title}))
        except InputError as exc:
            assert exc.reason.strip()
    detected = detect_articles(articles, backends.detector, LangidOptions())
    translated = translate_articles(detected, backends.translator)
    return extract_articles(translated, backends.lexicon)


def check_alignment(
    extracted: Sequence[ExtractedArticle], result: AlignmentResult, *, embedded: bool
) -> None:
    """The structure an alignment result promises, whatever the input."""
    order = {a.article.id: n for n, a in enumerate(extracted)}
    assert len(order) == len(extracted), "article ids repeat"
    article_of = {c.id: a.article.id for a in extracted for c in a.claims}
    assert len(article_of) == sum(len(a.claims) for a in extracted), "claim ids repeat"

    story_of: dict[str, str] = {}
    for story in result.stories:
        assert story.article_ids and story.reason.strip()
        for aid in story.article_ids:
            assert aid in order and aid not in story_of, f"{aid} in no or two stories"
            story_of[aid] = story.id
    assert set(story_of) == set(order), "an article is in no story"
    assert len({s.id for s in result.stories}) == len(result.stories)

    pairs = set()
    for al in result.alignments:
        assert al.left in article_of and al.right in article_of, "alignment of unknown claims"
        left, right = article_of[al.left], article_of[al.right]
        assert left != right, f"{al.left} and {al.right} are of one article"
        assert story_of[left] == story_of[right], "alignment across stories"
        assert order[left] < order[right], "the left claim is not from the earlier article"
        assert 0.0 <= al.confidence <= 1.0 and 0.0 <= al.fuzzy <= 100.0, "a signal outside"
        if not embedded:
            assert al.cosine is None, "a cosine without an embedder"
        assert al.cosine is None or -1.001 <= al.cosine <= 1.001
        assert (al.left, al.right) not in pairs, "a pair aligned twice"
        pairs.add((al.left, al.right))
    aligned = {c for p in pairs for c in p}

    # A relay (a word-for-word copy) is not aligned again: it joins its original's story and
    # clusters through the original's alignments.
    relays = {a.article.id: a.relay_of for a in extracted if a.relay_of}
    for relay, original in relays.items():
        assert story_of[relay] == story_of[original], "a relay outside its original's story"
    seen: set[str] = set()
    stories = {s.id for s in result.stories}
    for cluster in result.clusters:
        assert cluster.story_id in stories
        assert len(cluster.claim_ids) >= 2
        assert len({article_of[c] for c in cluster.claim_ids}) >= 2, "a cluster of one article"
        for claim_id in cluster.claim_ids:
            assert claim_id in aligned or article_of[claim_id] in relays, (
                f"{claim_id} is clustered but aligned with nothing"
            )
            assert story_of[article_of[claim_id]] == cluster.story_id
            assert claim_id not in seen, f"{claim_id} is in two clusters"
            seen.add(claim_id)
    assert len({c.id for c in result.clusters}) == len(result.clusters)

    unmatched = set(result.unmatched)
    assert len(unmatched) == len(result.unmatched), "a claim unmatched twice"
    assert not unmatched & aligned, "a claim both aligned and unmatched"
    relay_claims = {c for c, a in article_of.items() if a in relays}
    assert unmatched | aligned <= set(article_of)
    assert unmatched | aligned | relay_claims == set(article_of), (
        "a claim neither aligned nor unmatched (nor a relay's, which shares its original's)"
    )


def _outcome(alignment: AlignmentResult) -> str:
    """What a generated input came to, for a run's statistics (--hypothesis-show-statistics)."""
    if alignment.clusters:
        return "aligned, with clusters"
    return "aligned" if alignment.alignments else "nothing aligned"


def _align_and_score(
    extracted: tuple[ExtractedArticle, ...], mode: str, embedder: Any
) -> tuple[AlignmentResult, Any]:
    from fidelity.align import align_articles
    from fidelity.score import score_articles

    first = extracted[0].article.id if extracted else None
    alignment = align_articles(extracted, embedder=embedder, one_story=mode == "check")
    findings, scores = score_articles(
        extracted,
        alignment,
        reference_id=first if mode == "reference" else None,
        draft_id=first if mode == "check" else None,
    )
    return alignment, (findings, scores)


def _check_findings(extracted: Sequence[ExtractedArticle], findings: Any, scores: Any) -> None:
    text_of = {a.article.id: a.article.text for a in extracted}
    claim_ids = {c.id for a in extracted for c in a.claims}
    for finding in findings:
        for side in (finding.derived, finding.reference):
            if side is None:
                continue
            assert side.claim_id in claim_ids and side.article_id in text_of
            assert side.span.end <= len(text_of[side.article_id])
            assert all(h.end <= len(side.text) for h in side.highlight)
        assert finding.message.strip()
    assert len({f.id for f in findings}) == len(findings), "finding ids repeat"
    for score in scores:
        assert score.article_id in text_of and 0.0 <= score.score <= 100.0


@ALIGN_FUZZ
@given(
    texts=ARTICLE_SETS,
    titles=st.lists(TITLES, max_size=3),
    mode=st.sampled_from(["consensus", "reference", "check"]),
)
def test_aligner_on_generated_articles(
    texts: list[str], titles: list[str | None], mode: str
) -> None:
    _align_and_check(texts, titles, mode, embedder=None)


@EMBEDDED_FUZZ
@given(texts=ARTICLE_SETS, mode=st.sampled_from(["consensus", "check"]))
def test_aligner_with_minilm_on_generated_articles(texts: list[str], mode: str) -> None:
    _align_and_check(texts, [None], mode, embedder=_minilm())


def _align_and_check(
    texts: list[str], titles: list[str | None], mode: str, *, embedder: Any
) -> None:
    """Extract, align and score; a refusal must be a FidelityError with a message, anything
    else must satisfy the alignment and findings invariants."""
    try:
        extracted = _extract(texts, titles)
        alignment, (findings, scores) = _align_and_score(extracted, mode, embedder)
    except FidelityError as exc:
        assert str(exc).strip()
        event(f"refused: {type(exc).__name__}")
        return
    event(_outcome(alignment))
    check_alignment(extracted, alignment, embedded=embedder is not None)
    _check_findings(extracted, findings, scores)


# ------------------------------------------------------------------- compare on generated folders

_FRONT = st.fixed_dictionaries(
    {},
    optional={
        "title": TITLES,
        "outlet": st.sampled_from(["Reuters", "ТАСС", "Καθημερινή", "", "x" * 300]),
        "role": st.sampled_from(["source", "derived"]),
        "language": st.sampled_from(["el", "ru", "en", "xx", ""]),
        "published": st.sampled_from(["2024-03-03", "2024-02-30", "yesterday", "2024-03-03T25:00"]),
    },
)


def _markdown(text: str, front: dict[str, Any] | None) -> str:
    if front is None:
        return text
    lines = "".join(f"{k}: {json.dumps(v)}\n" for k, v in front.items())
    return f"---\n{lines}---\n{text}"


def _html(paragraphs: list[str], broken: bool) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    if broken:
        return f"<html><body><div><article>{'<div>' * 300}{body}<p><b>unclosed"
    return f"<html><head><title>t</title></head><body><article>{body}</article></body></html>"


def _jsonl(texts: list[str], ids: list[Any]) -> str:
    return "\n".join(
        json.dumps({"id": ids[i % len(ids)] if ids else i, "text": t, "title": t[:40]})
        for i, t in enumerate(texts)
    )


@st.composite
def folders(draw: st.DrawFn) -> list[tuple[str, str]]:
    """(suffix, file body) of each file: the documents of ``article_sets`` as plain text,
    Markdown with or without front matter, HTML (well formed or broken) or JSONL records
    (several documents, ids repeated or odd)."""
    docs = draw(ARTICLE_SETS)
    files: list[tuple[str, str]] = []
    while docs:
        suffix = draw(st.sampled_from([".txt", ".txt", ".md", ".html", ".jsonl"]))
        if suffix == ".jsonl":
            take = draw(st.integers(1, 3))
            ids = draw(st.lists(st.sampled_from(["a", "a", 1, None, "", "x/../y"]), max_size=3))
            files.append((suffix, _jsonl(docs[:take], ids)))
            docs = docs[take:]
            continue
        doc, docs = docs[0], docs[1:]
        if suffix == ".md":
            files.append((suffix, _markdown(doc, draw(st.none() | _FRONT))))
        elif suffix == ".html":
            files.append((suffix, _html(doc.split("\n"), draw(st.booleans()))))
        else:
            files.append((suffix, doc))
    return files


ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1251", "cp1253"])


def _write(folder: Path, name: str, body: str, encoding: str) -> Path:
    path = folder / name
    if encoding.startswith("utf"):
        path.write_bytes(body.encode(encoding, "surrogatepass"))
    else:
        path.write_bytes(body.encode(encoding, "replace"))
    return path


@COMPARE_FUZZ
@given(
    files=folders(),
    encodings=st.lists(ENCODINGS, min_size=6, max_size=6),
    sidecar=st.none() | st.tuples(DOCUMENTS, DOCUMENTS),
    reference=st.none() | st.integers(0, 5),
    use_cache=st.booleans(),
    fmt=st.sampled_from(["json", "html", "md", "txt"]),
)
def test_compare_on_generated_folders(
    files: list[tuple[str, str]],
    encodings: list[str],
    sidecar: tuple[str, str] | None,
    reference: int | None,
    use_cache: bool,
    fmt: str,
) -> None:
    from fidelity.pipeline import compare
    from fidelity.report import render

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [
            _write(folder, f"{n:02d}-article{suffix}", body, encodings[n % len(encodings)])
            for n, (suffix, body) in enumerate(files)
        ]
        if sidecar is not None:  # an original and the translation a user supplied
            paths.append(_write(folder, "story.el.md", sidecar[0], "utf-8"))
            _write(folder, "story.en.md", sidecar[1], "utf-8")
        ref = paths[reference % len(paths)] if reference is not None and paths else None
        config = RunConfig(embedder="none", use_cache=use_cache)
        try:
            result = compare([folder], config, reference=ref, backends=_backends())
            rendered = render(result, fmt)
        except FidelityError as exc:
            assert str(exc).strip()
            event(f"refused: {type(exc).__name__}")
            return
    event(_outcome(result.alignment))
    check_comparison(result)
    assert rendered.strip()


def check_comparison(result: ComparisonResult) -> None:
    check_alignment(result.articles, result.alignment, embedded=False)
    _check_findings(result.articles, result.findings, result.scores)
    ids = {a.article.id for a in result.articles}
    assert len(result.articles) >= 2 and len(ids) == len(result.articles)
    assert result.reference_id is None or result.reference_id in ids
    assert all(s.origin and s.reason.strip() for s in result.skipped)


# ------------------------------------------------------------------ the checks themselves


@functools.lru_cache(maxsize=1)
def _told_three_times() -> tuple[tuple[ExtractedArticle, ...], AlignmentResult]:
    texts = [
        "\n\n".join(POOL[:4]),
        "\n\n".join([POOL[2].replace("72", "48"), POOL[0], "", POOL[1], POOL[1]]),
        "\n\n".join([POOL[0].upper(), POOL[3], POOL[10], "9" * 5000]),
        " \u2003\n",
    ]
    extracted = _extract(texts, [None])
    alignment, _ = _align_and_score(extracted, "consensus", None)
    return extracted, alignment


def test_retellings_align_and_pass_the_checks() -> None:
    extracted, alignment = _told_three_times()
    assert [a.article.id for a in extracted] == ["doc-0", "doc-1", "doc-2"]  # doc-3 is blank
    assert alignment.alignments and alignment.clusters
    check_alignment(extracted, alignment, embedded=False)


def _broken(
    extracted: Sequence[ExtractedArticle], alignment: AlignmentResult, how: str
) -> AlignmentResult:
    from dataclasses import replace

    first = alignment.alignments[0]
    cluster = alignment.clusters[0]
    if how == "same-article":
        (article,) = (a for a in extracted if any(c.id == first.left for c in a.claims))
        other = next(c.id for c in article.claims if c.id != first.left)
        return replace(alignment, alignments=(*alignment.alignments, replace(first, right=other)))
    if how == "unknown-claim":
        return replace(alignment, alignments=(replace(first, right="doc-9#0"),))
    if how == "right-to-left":
        flipped = replace(first, left=first.right, right=first.left)
        return replace(alignment, alignments=(flipped, *alignment.alignments[1:]))
    if how == "confidence":
        wild = replace(first)
        object.__setattr__(wild, "confidence", 1.5)  # what __post_init__ would refuse
        return replace(alignment, alignments=(wild, *alignment.alignments[1:]))
    if how == "overlapping-clusters":
        twin = replace(cluster, id=f"{cluster.id}-twin")
        return replace(alignment, clusters=(*alignment.clusters, twin))
    if how == "lost-claim":  # no longer aligned, and not listed as unmatched either
        return replace(
            alignment,
            alignments=tuple(
                a for a in alignment.alignments if first.left not in (a.left, a.right)
            ),
            clusters=tuple(c for c in alignment.clusters if first.left not in c.claim_ids),
        )
    assert how == "story-missing"
    return replace(alignment, stories=alignment.stories[1:] or ())


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("same-article", "of one article"),
        ("unknown-claim", "unknown claims"),
        ("right-to-left", "earlier article"),
        ("confidence", "outside"),
        ("overlapping-clusters", "in two clusters"),
        ("lost-claim", "neither aligned nor unmatched"),
        ("story-missing", "in no story"),
    ],
)
def test_the_checks_catch_a_broken_alignment(how: str, message: str) -> None:
    extracted, alignment = _told_three_times()
    with pytest.raises(AssertionError, match=message):
        check_alignment(extracted, _broken(extracted, alignment, how), embedded=False)
