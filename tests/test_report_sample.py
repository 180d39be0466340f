"""A hand-built ComparisonResult for the renderer tests (until the pipeline produces real ones),
and the hostile-fixture result built from ``fixtures/hostile/``.

The sample is a small but realistic story: a wire report (source, English), a Greek retelling
with Greek navigation around it and one sentence the translator could not handle, and an
English tabloid retelling. Every span is computed from the texts, never typed in, so the
helpers below double as a check that the renderers get consistent input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from fidelity.text.sentences import split_sentences
from fidelity.types import (
    Alignment,
    AlignmentResult,
    Article,
    Claim,
    ClaimCluster,
    ComparisonResult,
    DetectedArticle,
    Evidence,
    ExtractedArticle,
    FidelityScore,
    Finding,
    Marker,
    PivotSegment,
    Provenance,
    Quantity,
    Quote,
    Removal,
    Segment,
    Signature,
    Skipped,
    Span,
    Speaker,
    Story,
    TranslatedArticle,
)

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "fixtures" / "hostile"

IDENTITY = Provenance(engine="identity", status="original")
ARGOS = Provenance(engine="argos", status="translated", package="translate-el_en", version="1.9")
ARGOS_CACHED = Provenance(
    engine="argos", status="translated", package="translate-el_en", version="1.9", cached=True
)
UNTRANSLATED = Provenance(
    engine="none",
    status="untranslated",
    hint="install an el→en model: fidelity models install translate-el_en.argosmodel",
)


@dataclass
class Sentence:
    original: str
    pivot: str | None = None  # None: same as original
    provenance: Provenance = IDENTITY
    claim: bool = True
    kind: str = "body"


@dataclass
class ArticleBuilder:
    """Lays out boilerplate lines and sentences, recording every span as it goes."""

    id: str
    language: str
    role: str
    outlet: str
    url: str | None = None
    text: str = ""
    removed: list[Removal] = field(default_factory=list)
    placed: list[tuple[Span, Sentence, int]] = field(default_factory=list)
    title: str | None = None
    title_span: Span | None = None
    paragraph: int = 0

    def boilerplate(self, line: str, reason: str) -> None:
        start = len(self.text)
        self.text += line
        self.removed.append(Removal(Span(start, len(self.text)), reason))
        self.text += "\n"

    def headline(self, sentence: Sentence) -> None:
        sentence.kind = "headline"
        self.title = sentence.original
        self.paragraph_of([sentence])
        self.title_span = self.placed[-1][0]

    def paragraph_of(self, sentences: list[Sentence]) -> None:
        for n, sentence in enumerate(sentences):
            if n:
                self.text += " "
            start = len(self.text)
            self.text += sentence.original
            self.placed.append((Span(start, len(self.text)), sentence, self.paragraph))
        self.text += "\n\n"
        self.paragraph += 1

    def build(self) -> ExtractedArticle:
        article = Article(
            id=self.id,
            origin=f"inputs/{self.id}.md",
            text=self.text,
            title=self.title,
            title_span=self.title_span,
            outlet=self.outlet,
            url=self.url,
            published="2026-02-03",
            language=self.language,
            role=self.role,  # type: ignore[arg-type]
            removed=tuple(self.removed),
        )
        segments, claims = [], []
        for n, (span, sentence, paragraph) in enumerate(self.placed):
            segment = Segment(
                index=n,
                span=span,
                paragraph=paragraph,
                language=self.language,
                confidence=0.97,
                is_title=sentence.kind == "headline",
            )
            pivot = sentence.pivot if sentence.pivot is not None else sentence.original
            segments.append(PivotSegment(segment, pivot, sentence.provenance))
            if sentence.claim:
                kind = sentence.kind if sentence.kind == "headline" else "body"
                if kind == "body" and not any(c.kind != "headline" for c in claims):
                    kind = "lede"
                claims.append(
                    Claim(
                        id=f"{self.id}#{len(claims)}",
                        article_id=self.id,
                        index=len(claims),
                        kind=kind,  # type: ignore[arg-type]
                        span=span,
                        text=pivot,
                        status=sentence.provenance.status,
                    )
                )
        detected = DetectedArticle(
            article, self.language, ((self.language, 1.0),), tuple(s.segment for s in segments)
        )
        translated = TranslatedArticle(detected, "en", tuple(segments))
        return ExtractedArticle(translated, tuple(claims))


def _words(text: str, *needles: str) -> tuple[Span, ...]:
    spans = []
    for needle in needles:
        start = text.index(needle)
        spans.append(Span(start, start + len(needle)))
    return tuple(spans)


def _evidence(article: ExtractedArticle, index: int, *changed: str) -> Evidence:
    claim = article.claims[index]
    return Evidence(
        article_id=claim.article_id,
        claim_id=claim.id,
        span=claim.span,
        text=claim.text,
        highlight=_words(claim.text, *changed),
    )


def _with(claim: Claim, **parts: object) -> Claim:
    from dataclasses import replace

    return replace(claim, **parts)  # type: ignore[arg-type]


def sample_result() -> ComparisonResult:
    """Three articles on one story, five findings of four categories, one skipped input."""
    wire = ArticleBuilder("wire", "en", "source", "Wire Service", url="https://wire.example/a1")
    wire.headline(
        Sentence("Russia's Medvedev says foreign troops in Ukraine would be 'legitimate target'")
    )
    wire.paragraph_of(
        [
            Sentence(
                "Ukraine, the United States and European countries have agreed in principle on "
                "security guarantees, the Financial Times reported on Monday."
            ),
            Sentence(
                "The draft could see European forces deployed within 72 hours if Russia "
                "violated a future ceasefire, the newspaper said."
            ),
        ]
    )
    wire.paragraph_of(
        [
            Sentence(
                "Dmitry Medvedev, deputy chairman of Russia's Security Council, told reporters "
                'that foreign troops would become a "legitimate target for destruction."'
            ),
            Sentence(
                "Talks between the U.S., Russia and Ukraine are expected to resume in Abu Dhabi "
                "on Wednesday."
            ),
        ]
    )
    wire.boilerplate("Reporting by Staff; Editing by Desk", "footer")

    greek = ArticleBuilder(
        "kathimerini-el", "el", "derived", "Νέα Ημέρα", url="https://nea.example/x"
    )
    greek.boilerplate("Τελευταία Νέα", "navigation")
    greek.boilerplate("Διεθνή", "navigation")
    greek.headline(
        Sentence(
            "Μεντβέντεφ: «Νόμιμος στόχος» τα ξένα στρατεύματα στην Ουκρανία",
            "Medvedev: foreign troops in Ukraine a 'legitimate target'",
            ARGOS_CACHED,
        )
    )
    greek.paragraph_of(
        [
            Sentence(
                "Η Ουκρανία, οι ΗΠΑ και η Ευρώπη υπέγραψαν προσυμφωνία για εγγυήσεις ασφαλείας.",
                "Ukraine, the US and Europe signed a pre-agreement on security guarantees.",
                ARGOS,
            ),
            Sentence(
                "Το έγγραφο προβλέπει επέμβαση ευρωπαϊκών στρατών μέσα σε 72 ώρες.",
                "The document provides for the intervention of European armies within 72 hours.",
                ARGOS,
            ),
        ]
    )
    greek.paragraph_of(
        [
            Sentence(
                "Ο Ντμίτρι Μεντβέντεφ δήλωσε ότι τα ξένα στρατεύματα θα γίνουν «νόμιμος στόχος "
                "για καταστροφή».",
                "Dmitry Medvedev said that foreign troops would become a 'legitimate target for "
                "destruction'.",
                ARGOS,
            ),
            Sentence(
                "Οι διαπραγματεύσεις αναμένεται να συνεχιστούν στο Άμπου Ντάμπι.",
                None,
                UNTRANSLATED,
            ),
        ]
    )
    greek.boilerplate("Ακολουθήστε μας στο Facebook", "share")

    tabloid = ArticleBuilder("daily-blast", "en", "derived", "Daily Blast")
    tabloid.headline(Sentence("'World war in 72 hours': Russia vows to destroy NATO troops"))
    tabloid.paragraph_of(
        [
            Sentence(
                "Ukraine, the US and the EU have signed 'destruction guarantees' that will "
                "trigger total war within 72 hours."
            ),
            Sentence("Dmitry Medvedev vowed that foreign troops will be destroyed."),
            Sentence("Negotiations are heading toward a definitive derailment."),
        ]
    )
    tabloid.boilerplate("Share this article on Facebook", "share")

    w, g, t = wire.build(), greek.build(), tabloid.build()
    # Give the claims the parts an extractor would find, so the JSON shows them.
    wc = list(w.claims)
    wc[2] = _with(
        wc[2],
        quantities=(Quantity(_words(wc[2].text, "72 hours")[0], 72.0, "hour", "within"),),
        markers=(Marker(_words(wc[2].text, "could")[0], "could", "modal", 0.4),),
        certainty=0.4,
    )
    medvedev = Speaker(
        "Dmitry Medvedev", "Dmitry Medvedev", "person", "deputy chairman of the Security Council"
    )
    wc[3] = _with(
        wc[3],
        quotes=(Quote(_words(wc[3].text, "legitimate target for destruction.")[0], '"', medvedev),),
        attribution=medvedev,
    )
    w = ExtractedArticle(w.translated, tuple(wc))

    alignment = AlignmentResult(
        stories=(Story("s1", ("wire", "kathimerini-el", "daily-blast"), "shared anchors"),),
        alignments=(
            Alignment("wire#0", "kathimerini-el#0", 0.81, 72.0, 0.86, ("medvedev",), "trimmed"),
            Alignment("wire#0", "daily-blast#0", 0.52, 38.0, 0.61, ("troops",)),
            Alignment("wire#1", "kathimerini-el#1", 0.77, 64.0, 0.83, ("ukraine",)),
            Alignment("wire#2", "kathimerini-el#2", 0.74, 58.0, 0.79, ("72 hour",)),
            Alignment("wire#2", "daily-blast#1", 0.58, 41.0, 0.66, ("72 hour",)),
            Alignment("wire#3", "kathimerini-el#3", 0.88, 77.0, 0.9, (), "verbatim"),
            Alignment("wire#3", "daily-blast#2", 0.63, 52.0, 0.71, (), "paraphrased-as-quote"),
            Alignment("wire#4", "kathimerini-el#4", 0.41, 30.0, None, ("abu dhabi",)),
        ),
        clusters=(
            ClaimCluster("c1", "s1", ("wire#0", "kathimerini-el#0", "daily-blast#0")),
            ClaimCluster("c2", "s1", ("wire#1", "kathimerini-el#1")),
            ClaimCluster("c3", "s1", ("wire#2", "kathimerini-el#2", "daily-blast#1")),
            ClaimCluster("c4", "s1", ("wire#3", "kathimerini-el#3", "daily-blast#2")),
            ClaimCluster("c5", "s1", ("wire#4", "kathimerini-el#4")),
        ),
        unmatched=("daily-blast#3",),
    )
    findings = (
        Finding(
            id="f-3c1a9e",
            category="certainty_shifted",
            severity="high",
            message="The reference reports a possibility ('could see'); the retelling states a "
            "certainty ('will trigger total war').",
            derived=_evidence(t, 1, "will", "trigger total war"),
            reference=_evidence(w, 2, "could see"),
            signals={"certainty_reference": 0.4, "certainty_derived": 1.0},
        ),
        Finding(
            id="f-77b0d2",
            category="quote_altered",
            severity="high",
            message="The quoted words 'legitimate target for destruction' became 'will be "
            "destroyed'.",
            derived=_evidence(t, 2, "vowed", "will be destroyed"),
            reference=_evidence(w, 3, "legitimate target for destruction"),
            signals={"quote_match": "paraphrased-as-quote", "fuzzy": 52.0},
        ),
        Finding(
            id="f-0e5f41",
            category="framing_shifted",
            severity="medium",
            message="The headline escalates 'legitimate target' to 'world war' and 'destroy'.",
            derived=_evidence(t, 0, "World war", "destroy"),
            reference=_evidence(w, 0, "legitimate target"),
            signals={"concept": "conflict", "level_reference": 1, "level_derived": 4},
        ),
        Finding(
            id="f-a4d913",
            category="certainty_shifted",
            severity="medium",
            message="'could see ... deployed' became 'provides for the intervention'.",
            derived=_evidence(g, 2, "provides for"),
            reference=_evidence(w, 2, "could see"),
            signals={"certainty_reference": 0.4, "certainty_derived": 0.9, "cosine": 0.79},
        ),
        Finding(
            id="f-d61c08",
            category="unsupported_addition",
            severity="low",
            message="No claim in the reference supports this sentence.",
            derived=_evidence(t, 3),
            reference=None,
            signals={"best_fuzzy": 21.0, "best_cosine": float("nan")},
        ),
    )
    scores = (
        FidelityScore("kathimerini-el", "Νέα Ημέρα", 84.0, {"certainty_shifted": 1}, ("wire",)),
        FidelityScore(
            "daily-blast",
            "Daily Blast",
            31.5,
            {
                "certainty_shifted": 1,
                "quote_altered": 1,
                "framing_shifted": 1,
                "unsupported_addition": 1,
            },
            ("wire",),
        ),
    )
    signature = Signature(
        fidelity_version="0.1.0",
        detector="lingua-2.1.1",
        translator="argos",
        translation_packages=("translate-el_en-1.9",),
        embedder="all-MiniLM-L6-v2",
        thresholds={"align": 0.55, "fuzzy": 70.0},
        pivot_language="en",
    )
    return ComparisonResult(
        articles=(w, g, t),
        alignment=alignment,
        findings=findings,
        scores=scores,
        skipped=(
            Skipped(
                "inputs/scan.pdf", "unsupported file type .pdf: use .txt, .md, .html or .jsonl"
            ),
        ),
        signature=signature,
        reference_id="wire",
    )


def _read_hostile(path: Path) -> tuple[dict[str, str], str]:
    raw = path.read_text("utf-8")
    _, front, body = raw.split("---\n", 2)
    return yaml.safe_load(front), body


def hostile_result() -> ComparisonResult:
    """The hostile fixture pair as a result: every sentence a claim, sentence i of the
    derived article set against sentence i of the source, one finding per pair."""
    built = []
    for name in ("source.md", "derived.md"):
        meta, body = _read_hostile(HOSTILE / name)
        spans = split_sentences(body)
        article = Article(
            id=name.removesuffix(".md"),
            origin=f"fixtures/hostile/{name}",
            text=body,
            title=meta.get("title"),
            outlet=meta.get("outlet"),
            url=meta.get("url"),
            language="en",
            role=meta.get("role"),  # type: ignore[arg-type]
            removed=(Removal(spans[-1], "footer"),),
        )
        segments = tuple(
            Segment(index=i, span=s, paragraph=0, language="en", confidence=0.9)
            for i, s in enumerate(spans[:-1])
        )
        detected = DetectedArticle(article, "en", (("en", 1.0),), segments)
        pivot = tuple(PivotSegment(s, s.span.of(body), IDENTITY) for s in segments)
        claims = tuple(
            Claim(
                id=f"{article.id}#{i}",
                article_id=article.id,
                index=i,
                kind="lede" if i == 0 else "body",
                span=s.span,
                text=s.span.of(body),
            )
            for i, s in enumerate(segments)
        )
        built.append(ExtractedArticle(TranslatedArticle(detected, "en", pivot), claims))
    source, derived = built
    last = len(source.claims) - 1
    pairs = [(source.claims[min(i, last)], d) for i, d in enumerate(derived.claims)]
    findings = tuple(
        Finding(
            id=f"h-{n}",
            category="quote_altered",
            severity="high",
            message=f"Sentence changed: {d.text[:40]}",
            derived=Evidence(d.article_id, d.id, d.span, d.text, (Span(0, min(10, len(d.text))),)),
            reference=Evidence(
                s.article_id, s.id, s.span, s.text, (Span(0, min(10, len(s.text))),)
            ),
            signals={"note": "<script>document.title='PWNED-signal'</script>"},
        )
        for n, (s, d) in enumerate(pairs)
    )
    return ComparisonResult(
        articles=(source, derived),
        alignment=AlignmentResult(
            stories=(Story("<s1>", ("source", "derived"), "<i>hostile</i>"),),
            alignments=tuple(Alignment(s.id, d.id, 0.5, 50.0, None) for s, d in pairs),
            clusters=tuple(
                ClaimCluster(f"c{n}</script>", "<s1>", (s.id, d.id))
                for n, (s, d) in enumerate(pairs[:last])
            ),
            unmatched=(),
        ),
        findings=findings,
        scores=(
            FidelityScore(
                "derived",
                derived.article.label,
                12.0,
                {"quote_altered": len(findings)},
                ("source",),
            ),
        ),
        skipped=(Skipped("<img src=x onerror=alert(1)>.pdf", "</style><script>alert(2)</script>"),),
        signature=Signature("0.1.0", "<det>", "</script>", (), "emb", {"t": 1.0}, "en"),
        reference_id="source",
    )


def _spans_agree(result: ComparisonResult) -> list[str]:
    problems = []
    texts = {x.article.id: x.article.text for x in result.articles}
    for finding in result.findings:
        for evidence in (finding.derived, finding.reference):
            if evidence is None:
                continue
            if evidence.span.end > len(texts[evidence.article_id]):
                problems.append(f"{finding.id}: span outside article")
            problems += [
                f"{finding.id}: highlight outside claim"
                for h in evidence.highlight
                if h.end > len(evidence.text)
            ]
    return problems


def test_sample_result_is_consistent() -> None:
    result = sample_result()
    assert _spans_agree(result) == []
    claims = {c.id for x in result.articles for c in x.claims}
    for cluster in result.alignment.clusters:
        assert set(cluster.claim_ids) <= claims
    statuses = {p.provenance.status for x in result.articles for p in x.translated.segments}
    assert statuses == {"original", "translated", "untranslated"}
    assert {f.category for f in result.findings} >= {"quote_altered", "unsupported_addition"}


def test_hostile_result_carries_the_payloads() -> None:
    result = hostile_result()
    assert _spans_agree(result) == []
    text = "".join(x.article.text for x in result.articles)
    for payload in ("<script>", "onerror=", "javascript:", "</style>", "</script>"):
        assert payload in text
