"""The objects that flow between fidelity's pipeline stages.

    load -> langid -> translate -> extract -> align -> score -> report

Every object is a frozen dataclass that checks its own invariants. A span is a pair of offsets
into the text it came from, never a copy, so any finding can point back to the exact characters
of the article. This module sits below every stage and imports nothing heavy.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

Role = Literal["source", "derived"]
Severity = Literal["low", "medium", "high"]
SEVERITY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` into a text that the holder names."""

    start: int
    end: int

    def __post_init__(self) -> None:
        _require(0 <= self.start <= self.end, f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """Return the characters of ``text`` this span covers."""
        return text[self.start : self.end]

    def shift(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


# --------------------------------------------------------------------------------------- load


@dataclass(frozen=True, slots=True)
class Removal:
    """A stretch of the article text judged boilerplate (kept so a report can show it)."""

    span: Span
    reason: str  # "navigation", "comments", "share", "photo-credit", "image-file", "footer", ...


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from disk, with its metadata and the boilerplate found in it.

    ``text`` is the decoded article text (for HTML, the extracted main content); every later
    span that names the article points into it. ``removed`` marks boilerplate inside ``text``.
    """

    id: str
    origin: str  # file path (relative as given) or "corpus.jsonl:12"
    text: str
    title: str | None = None
    title_span: Span | None = None  # where the headline stands in ``text``, if it does
    outlet: str | None = None
    site: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date when known
    language: str | None = None  # declared language of the original, if any
    role: Role | None = None
    encoding: str = "utf-8"
    removed: tuple[Removal, ...] = ()
    translation: str | None = None  # a user-provided pivot-language translation of ``text``
    translation_origin: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require(bool(self.id), "an article needs an id")
        _require(self.role in (None, "source", "derived"), f"bad role {self.role!r}")
        for removal in self.removed:
            _require(removal.span.end <= len(self.text), f"removal {removal.span} outside text")
        if self.title_span is not None:
            _require(self.title_span.end <= len(self.text), "title span outside text")

    @property
    def label(self) -> str:
        """Short human name: the outlet when known, else the id."""
        return self.outlet or self.site or self.id


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be used, and why (one bad file never sinks the others)."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class Corpus:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()


# ------------------------------------------------------------------------------------- langid


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence-sized stretch of kept (non-boilerplate) text with its language."""

    index: int
    span: Span  # into Article.text
    paragraph: int
    language: str  # ISO 639-1
    confidence: float
    inherited: bool = False  # too short or unsure: took the document's language
    is_title: bool = False

    def __post_init__(self) -> None:
        _require(0.0 <= self.confidence <= 1.0, f"confidence {self.confidence} outside [0, 1]")
        _require(len(self.span) > 0, "empty segment")


@dataclass(frozen=True, slots=True)
class DetectedArticle:
    article: Article
    language: str  # dominant language of the kept text
    shares: tuple[tuple[str, float], ...]  # (language, share of characters), largest first
    segments: tuple[Segment, ...]


# ---------------------------------------------------------------------------------- translate


@dataclass(frozen=True, slots=True)
class Provenance:
    """How a segment reached the pivot language."""

    engine: str  # "identity" | "argos" | "provided" | "none"
    status: Literal["original", "translated", "provided", "untranslated"]
    package: str | None = None  # e.g. "translate-el_en"
    version: str | None = None
    cached: bool = False
    hint: str | None = None  # for "untranslated": what would translate it


@dataclass(frozen=True, slots=True)
class PivotSegment:
    segment: Segment
    text: str  # pivot-language text; for "untranslated" the original words
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class TranslatedArticle:
    detected: DetectedArticle
    pivot_language: str
    segments: tuple[PivotSegment, ...]

    @property
    def article(self) -> Article:
        return self.detected.article


# ------------------------------------------------------------------------------------ extract
# Spans inside Claim.text (quotes, quantities, ...) are offsets into that pivot text.


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str  # canonical name ("Dmitry Medvedev", "Russian foreign ministry")
    surface: str  # as written
    kind: str = "unknown"  # person | organisation | outlet | anonymous | unknown
    role: str | None = None  # "Secretary of the Russian Security Council"
    via: tuple[str, ...] = ()  # reported-through chain, nearest first: ("Reuters",)


@dataclass(frozen=True, slots=True)
class Quote:
    span: Span  # the words inside the marks
    style: str  # the opening mark
    speaker: Speaker | None = None
    partial: bool = False  # a fragment inside a sentence rather than a full utterance


@dataclass(frozen=True, slots=True)
class Quantity:
    span: Span
    value: float
    unit: str  # canonical: "hour", "troop", "percent", "person", "" ...
    relation: str = "exact"  # exact | within | after | before | beyond | about | at-least | up-to
    # | below | almost | just-over
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    span: Span
    canonical: str
    kind: str  # person | organisation | place | outlet


@dataclass(frozen=True, slots=True)
class Marker:
    """A hedge, modal, status verb, conditional or negation."""

    span: Span
    term: str
    kind: str  # hedge | modal | status | conditional | negation
    level: float  # certainty the term conveys, 0 (speculative) .. 1 (settled fact)


@dataclass(frozen=True, slots=True)
class FramingTerm:
    span: Span
    term: str
    concept: str  # the scale it sits on, e.g. "conflict", "guarantee", "regime"
    level: int  # escalation on that scale (higher = more intense)
    voice: Literal["outlet", "quote"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence-level unit an editor compares, in pivot language, pointing to its original."""

    id: str  # "<article id>#<index>"
    article_id: str
    index: int
    kind: Literal["headline", "lede", "body"]
    span: Span  # into Article.text (the original words)
    text: str  # pivot-language text
    status: str = "original"  # provenance status of the weakest segment in the claim
    quotes: tuple[Quote, ...] = ()
    attribution: Speaker | None = None  # who the claim is attributed to, if anyone
    quantities: tuple[Quantity, ...] = ()
    entities: tuple[Entity, ...] = ()
    markers: tuple[Marker, ...] = ()
    framing: tuple[FramingTerm, ...] = ()
    certainty: float = 1.0

    def __post_init__(self) -> None:
        _require(0.0 <= self.certainty <= 1.0, "certainty outside [0, 1]")
        parts: tuple[Quote | Quantity | Entity | Marker | FramingTerm, ...] = (
            *self.quotes,
            *self.quantities,
            *self.entities,
            *self.markers,
            *self.framing,
        )
        for part in parts:
            _require(part.span.end <= len(self.text), f"{type(part).__name__} span outside claim")


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    translated: TranslatedArticle
    claims: tuple[Claim, ...]  # headline (if any) first, then lede and body in order
    relay_of: str | None = None  # the article this one republishes (fidelity/relays.py)

    @property
    def article(self) -> Article:
        return self.translated.detected.article

    @property
    def headline(self) -> Claim | None:
        return next((c for c in self.claims if c.kind == "headline"), None)


# -------------------------------------------------------------------------------------- align


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    article_ids: tuple[str, ...]
    reason: str  # why these were grouped


@dataclass(frozen=True, slots=True)
class Alignment:
    """Two claims from different articles judged to state the same fact, and why."""

    left: str  # claim id
    right: str
    confidence: float
    fuzzy: float  # 0..100, rapidfuzz on normalised text
    cosine: float | None  # embedding similarity; None when not computed
    anchors: tuple[str, ...] = ()  # shared normalised quantities, entities, quoted strings
    quote_match: str | None = None  # verbatim | trimmed | altered | paraphrased-as-quote

    def __post_init__(self) -> None:
        _require(self.left != self.right, "a claim cannot align with itself")
        _require(0.0 <= self.confidence <= 1.0, "confidence outside [0, 1]")


@dataclass(frozen=True, slots=True)
class ClaimCluster:
    id: str
    story_id: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlignmentResult:
    stories: tuple[Story, ...]
    alignments: tuple[Alignment, ...]
    clusters: tuple[ClaimCluster, ...]
    unmatched: tuple[str, ...]  # claim ids with no counterpart in their story


# -------------------------------------------------------------------------------------- score


@dataclass(frozen=True, slots=True)
class Evidence:
    """One side of a finding: a claim and the characters in its article."""

    article_id: str
    claim_id: str
    span: Span  # into Article.text
    text: str  # pivot-language text of the claim
    highlight: tuple[Span, ...] = ()  # the changed words, as spans into ``text``


@dataclass(frozen=True, slots=True)
class Finding:
    id: str  # stable: hash of category + both claim ids + detail
    category: str
    severity: Severity
    message: str
    derived: Evidence
    reference: Evidence | None  # None for unsupported additions
    signals: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require(self.severity in SEVERITY_RANK, f"bad severity {self.severity!r}")


@dataclass(frozen=True, slots=True)
class AcceptedFinding:
    """A finding an editor accepted (a baseline entry matched it): shown apart, never gating."""

    finding: Finding
    reason: str
    fingerprint: str  # category + normalised words of both passages (fidelity/baseline.py)


@dataclass(frozen=True, slots=True)
class FidelityScore:
    article_id: str
    outlet: str
    score: float  # 0..100
    counts: Mapping[str, int]
    compared_with: tuple[str, ...]

    def __post_init__(self) -> None:
        _require(0.0 <= self.score <= 100.0, "score outside [0, 100]")


@dataclass(frozen=True, slots=True)
class Signature:
    """What produced a result; two results with equal signatures are comparable."""

    fidelity_version: str
    detector: str
    translator: str
    translation_packages: tuple[str, ...]
    embedder: str
    thresholds: Mapping[str, float]
    pivot_language: str

    def as_text(self) -> str:
        parts = [
            f"fidelity:{self.fidelity_version}",
            f"langid:{self.detector}",
            f"translate:{self.translator}",
            f"packages:{','.join(self.translation_packages) or 'none'}",
            f"embed:{self.embedder}",
            f"pivot:{self.pivot_language}",
            "thresholds:" + ",".join(f"{k}={v:g}" for k, v in sorted(self.thresholds.items())),
        ]
        return "|".join(parts)


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    articles: tuple[ExtractedArticle, ...]
    alignment: AlignmentResult
    findings: tuple[Finding, ...]
    scores: tuple[FidelityScore, ...]
    skipped: tuple[Skipped, ...]
    signature: Signature
    reference_id: str | None = None
    accepted: tuple[AcceptedFinding, ...] = ()  # findings a baseline accepted, not in findings


# ------------------------------------------------------------------------------------ pickling


def _fast_state(cls: type) -> None:
    """Give a slots dataclass a tuple state for pickling.

    The analysis cache pickles every article's claims. The state functions ``dataclass``
    writes for slots classes call ``fields()`` for every object, which made loading a cached
    400-article corpus take a second; these read a tuple of the field names computed once.
    """
    names = tuple(f.name for f in fields(cls))
    # the slot descriptors themselves: setting through them skips the frozen __setattr__
    slots = tuple(getattr(cls, n) for n in names)
    read = operator.attrgetter(*names)
    single = len(names) == 1

    def __getstate__(self: Any) -> Any:
        return (read(self),) if single else read(self)

    def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
        for slot, value in zip(slots, state, strict=True):
            slot.__set__(self, value)

    cls.__getstate__ = __getstate__  # type: ignore[assignment]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]


for _cls in list(globals().values()):
    if isinstance(_cls, type) and is_dataclass(_cls) and hasattr(_cls, "__slots__"):
        _fast_state(_cls)
