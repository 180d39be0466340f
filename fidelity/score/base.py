"""What the scoring stage's detectors exchange: categories and severities, a ``Divergence``
(one difference between a derived claim and one counterpart, before findings are merged), the
``Pair`` and ``Comparison`` a detector reads, and the two detector Protocols.

A pair detector looks at one derived claim and one counterpart; an article detector looks at a
whole derived article against its references (what it leaves out, what it adds). Detectors are
frozen dataclasses whose fields are their thresholds, so the thresholds are the signature.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, ExtractedArticle, Span

# A signal is a measurement behind a finding: a number, a name, or a list of anchor words.
SignalValue = float | int | str | list[str]
Signals = Mapping[str, SignalValue]


class Category(StrEnum):
    """The kinds of finding, in report order (the JSON schema's enum and SCHEMA.md's table)."""

    QUOTE_ALTERED = "quote_altered"
    NUMBER_CHANGED = "number_changed"
    TEMPORAL_CHANGED = "temporal_changed"
    ATTRIBUTION_CHANGED = "attribution_changed"
    CERTAINTY_SHIFTED = "certainty_shifted"
    NEGATION_FLIPPED = "negation_flipped"
    ANTONYM_SWAPPED = "antonym_swapped"
    ENTITY_SWAPPED = "entity_swapped"
    FRAMING_SHIFTED = "framing_shifted"
    OMISSION = "omission"
    UNSUPPORTED_ADDITION = "unsupported_addition"
    FABRICATED_ATTRIBUTION = "fabricated_attribution"
    HEADLINE_UNSUPPORTED = "headline_unsupported"
    CONTEXT_ADDED = "context_added"
    # the learned judge's (fidelity.judge.gate), not a detector's: a claim it finds unsupported
    # that no detector explains
    MEANING_CHANGED = "meaning_changed"


# What each category means to an editor (SCHEMA.md's table is written from this).
CATEGORY_MEANING: Mapping[Category, str] = {
    Category.QUOTE_ALTERED: "words inside quotation marks differ from the counterpart's quote, "
    "or a paraphrase is presented as a direct quote",
    Category.NUMBER_CHANGED: "a count, amount or share differs from the counterpart's",
    Category.TEMPORAL_CHANGED: "a date, time, duration or before/after relation differs",
    Category.ATTRIBUTION_CHANGED: "the claim or quote is pinned on another source, or its "
    "source is dropped or added",
    Category.CERTAINTY_SHIFTED: "a hedge, condition or stage of a plan is dropped or added "
    "('agreed' -> 'signed')",
    Category.NEGATION_FLIPPED: "what one side asserts the other negates",
    Category.ANTONYM_SWAPPED: "a word replaced by its opposite ('rose' -> 'fell')",
    Category.ENTITY_SWAPPED: "another person, organisation or place in the same statement",
    Category.FRAMING_SHIFTED: "loaded wording in the outlet's own voice, intensified or softened",
    Category.OMISSION: "a caveat, condition or dissent of the source left out",
    Category.UNSUPPORTED_ADDITION: "a figure that no source supports, added to a fact the "
    "sources report",
    Category.FABRICATED_ATTRIBUTION: "words or a claim pinned on a source (its outlet or "
    "speaker) that the source does not contain",
    Category.HEADLINE_UNSUPPORTED: "the headline says what the body and sources do not",
    Category.CONTEXT_ADDED: "background the sources do not cover (it retells none of their "
    "facts and puts nothing in their mouth): shown to the editor, not counted against the score",
    Category.MEANING_CHANGED: "the consistency judge (`--judge`) finds the claim not supported "
    "by its counterparts and no detector names the change",
}


# Findings that inform the editor but claim no distortion: never counted against the score.
INFORMATIONAL: frozenset[Category] = frozenset({Category.CONTEXT_ADDED})


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Divergence:
    """One divergence between a derived claim and one counterpart, before merging.

    ``detail`` names the divergence within its category; with the category and both claim ids
    it makes the finding's stable id.
    """

    category: Category
    severity: Severity
    message: str
    derived: Claim
    reference: Claim | None
    derived_marks: tuple[Span, ...] = ()
    reference_marks: tuple[Span, ...] = ()
    detail: str = ""
    signals: Signals | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    """A derived claim and one counterpart, with the pivot language's ``words``; ``context``
    holds the content lemmas of the whole derived article (a caveat said elsewhere in it is not
    left out)."""

    derived: Claim
    reference: Claim
    words: Vocabulary
    context: frozenset[str] = frozenset()

    @property
    def translated(self) -> bool:
        """Either side came through machine translation (wording is then looser)."""
        return self.derived.status != "original" or self.reference.status != "original"

    @property
    def same_words(self) -> bool:
        """A verbatim copy: the detectors that read only the words are skipped for it."""
        return self.derived.text == self.reference.text

    @property
    def headline(self) -> bool:
        return self.derived.kind == "headline"


Match = tuple[str, float, Signals]  # a counterpart: claim id, alignment confidence, signals


@dataclass(frozen=True, slots=True)
class Comparison:
    """A derived article against its references, with each claim's best counterparts.

    ``strict``: against sources (``check``) or one reference, a divergence counts when no
    reference supports the claim; otherwise (consensus of outlets) most must disagree.
    """

    article: ExtractedArticle
    references: Sequence[ExtractedArticle]
    claims: Mapping[str, Claim]  # every claim of the run by id
    matches: Mapping[str, Mapping[str, Match]]  # claim id -> reference article id -> match
    counterparts: Mapping[str, Sequence[Match]]  # claim id -> every aligned claim, any article
    strict: bool
    min_alignment: float
    words: Vocabulary


class PairDetector(Protocol):
    """Finds one family of divergences between a derived claim and one counterpart."""

    @property
    def name(self) -> str: ...  # the key in the detector table and the signature

    @property
    def categories(self) -> tuple[Category, ...]: ...

    @property
    def reads_words(self) -> bool: ...  # skipped for a verbatim copy

    @property
    def on_headlines(self) -> bool: ...  # also run for a headline (as headline_unsupported)

    def detect(self, pair: Pair) -> Iterable[Divergence]: ...


class ArticleDetector(Protocol):
    """Finds divergences of a whole article against its references (omissions, additions)."""

    @property
    def name(self) -> str: ...

    @property
    def categories(self) -> tuple[Category, ...]: ...

    def detect(self, comparison: Comparison) -> Iterable[Divergence]: ...


def find_all(text: str, needle: str) -> tuple[Span, ...]:
    """Spans of the first three case-insensitive occurrences of ``needle`` in ``text``."""
    if not needle:
        return ()
    out = []
    low, n = text.lower(), needle.lower()
    start = 0
    while (at := low.find(n, start)) >= 0:
        out.append(Span(at, at + len(n)))
        start = at + len(n)
    return tuple(out[:3])


def category_table() -> str:
    """The Markdown table of categories that ``report/SCHEMA.md`` holds (a test keeps them
    equal)."""
    rows = [f"| `{c.value}` | {CATEGORY_MEANING[c]} |" for c in Category]
    return "\n".join(["| category | what it means |", "| --- | --- |", *rows])
