"""Hedges, modality, plan status, conditionals and negation; loaded framing terms.

Markers carry the certainty their term conveys (0 speculative .. 1 settled). Claim.certainty
combines them as documented in ``claim_certainty``. Framing terms carry their concept scale,
escalation level and voice: inside a quote they are the speaker's words ("quote"), outside
they are the outlet's ("outlet").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fidelity.extract.lexicon import LanguageLexicon
from fidelity.types import FramingTerm, Marker, Span

_SUBJECT_STARTS = frozenset(
    [
        "this",
        "that",
        "these",
        "those",
        "it",
        "the",
        "a",
        "an",
        "any",
        "they",
        "he",
        "she",
        "we",
        "you",
        "there",
        "such",
        "its",
        "their",
        "his",
        "her",
    ]
)
# A modal phrase that is also a noun ("plans to", "promise to") is the noun before one of
# these ("our plans to YOUR coverage": no verb follows) or after "shown" ("has shown promise
# to learn": a prospect, no pledge)
_DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "our",
        "their",
        "its",
        "his",
        "her",
        "your",
        "my",
        "this",
        "these",
        "those",
        "such",
        "any",
        "no",
    ]
)
_SHOW = frozenset(["show", "shows", "showed", "shown", "showing"])
_NOUN_MODALS = frozenset(["plan", "plans", "promise", "pledge", "aim", "aims"])
_NEXT_WORD = re.compile(r"\s+([\w’']+)")
_PREV_WORD = re.compile(r"([\w’']+|[,;:—–])\s*$")
_HYPHENED_PREFIX = re.compile(r"(?<![\w-])([^\W\d_]+)[-‐‑]$")  # "post-" right before a term


def find_markers(text: str, language: LanguageLexicon) -> list[Marker]:
    """Hedges, modals, status terms, conditionals and negations in ``text``."""
    out: list[Marker] = []
    pattern = language.marker_re
    if pattern is None:
        return out
    for m in pattern.finditer(text):
        term = " ".join(m.group(0).split())
        entry = language.marker(term)
        if entry is None:
            continue
        kind, level = entry
        if m.group(0)[0].isupper() and text[: m.start()].strip(" \"'“‘«„("):
            continue  # capitalised mid-sentence: a name ("May", "Will"), not the word
        if kind == "modal" and _noun_phrase(text, m.start(), m.end(), term):
            continue  # "insurance plans to fit your needs": a thing, no intention
        if term.lower() == "should":
            # "should Russia violate ...", "should this occur": followed by a subject, a
            # condition, as is a sentence it opens (not a question); followed by a verb
            # ("should be"), a modal
            nxt = _NEXT_WORD.match(text, m.end())
            word = nxt.group(1) if nxt else ""
            opens = not text[: m.start()].strip(" \"'“‘«„(")  # "Should hostilities continue"
            if (
                not text.rstrip().endswith("?")
                if opens
                else word[:1].isupper() or word.lower() in _SUBJECT_STARTS
            ):
                conditional = language.marker("if")
                kind, level = "conditional", conditional[1] if conditional else 0.5
            else:
                kind, level = "modal", 0.6
        out.append(Marker(Span(m.start(), m.end()), term, kind, level))
    # "n't" is glued to its verb and escapes the whole-word pattern
    for m in re.finditer(r"(?<=\w)n[’']t\b", text):
        out.append(Marker(Span(m.start(), m.end()), "n't", "negation", 1.0))
    out.sort(key=lambda mk: mk.span.start)
    return out


def _noun_phrase(text: str, start: int, end: int, term: str) -> bool:
    """Whether a modal phrase that can be a noun ("plans to", "promise to") is one here:
    before no verb ("our plans to your current coverage") or after "shown" ("has shown
    promise to learn")."""
    words = term.lower().split()
    if len(words) != 2 or words[0] not in _NOUN_MODALS or words[1] != "to":
        return False
    prev = _PREV_WORD.search(text[:start])
    if prev and prev.group(1).lower() in _SHOW:
        return True
    nxt = _NEXT_WORD.match(text, end)
    return bool(nxt and nxt.group(1).lower() in _DETERMINERS)


def find_framing(
    text: str, language: LanguageLexicon, quote_spans: Sequence[Span]
) -> list[FramingTerm]:
    """Loaded terms in ``text`` with their concept, level and voice.

    Args:
        text: the claim text.
        language: the claim language's lexicon.
        quote_spans: spans of the quoted words in ``text`` (the speaker's voice).
    """
    out: list[FramingTerm] = []
    pattern = language.framing_re
    if pattern is None:
        return out
    for m in pattern.finditer(text):
        term = " ".join(m.group(0).split())
        entry = language.frame(term)
        if entry is None:
            continue
        concept, level = entry
        glued = _HYPHENED_PREFIX.search(text[max(0, m.start() - 40) : m.start()])
        if glued and glued.group(1).lower() in language.framing_prefixes:
            continue  # "post-war", "anti-war": another word, not the loaded term
        span = Span(m.start(), m.end())
        inside = any(q.start <= span.start and span.end <= q.end for q in quote_spans)
        out.append(FramingTerm(span, term, concept, level, "quote" if inside else "outlet"))
    return out


def claim_certainty(markers: Sequence[Marker], reporting: float | None) -> float:
    """How settled a claim is presented, 0..1.

    The weakest qualifier governs: the minimum of the levels of the claim's hedges, modals and
    conditionals, and of the reporting verb's certainty when the claim is attributed (so
    "X claimed" < "X said" < "X confirmed"). Status terms (discussed < agreed < signed)
    describe the thing reported, not the writer's confidence, and negations flip polarity
    without changing certainty; neither counts. With no qualifier the claim is 1.0.
    """
    levels = [m.level for m in markers if m.kind in ("hedge", "modal", "conditional")]
    if reporting is not None:
        levels.append(reporting)
    return round(min(levels, default=1.0), 3)
