"""Sentence and paragraph boundaries as spans, shared by language detection, translation and
extraction (it lives below them so no stage reaches into another).

The splitter is rule based and script agnostic: it survives abbreviations ("Mr.", "U.S.",
"Jan."), initials ("J. R. Smith"), decimal numbers, closing quotes after the full stop, and
ellipses. It never copies text: every result is a span into the string it was given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fidelity.types import Span

# Words that end in a full stop without ending a sentence (lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt gen col lt maj capt cmdr sgt adm gov sen rep pres rev hon
    no nos vol pp p fig ed eds est approx dept univ corp inc ltd co bros vs etc al cf ie eg
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    u.s u.k u.n e.u u.s.a a.m p.m ph.d
    κ κα κος δρ π.χ χλμ
    г гг ул т.е т.д т.п им тыс млн млрд руб коп
    """.split()
)

_TERMINATORS = ".!?…;"
_CLOSERS = "\"'”’»)]›“"
# A candidate boundary: terminator run, optional closing marks, then whitespace. A match
# starts only where a run starts, and the runs never give back characters (`++`, `*+`): else a
# line of 20,000 full stops took 15 s, every start inside the run scanning the rest of it.
_BOUNDARY = re.compile(r"((?<![.!?…])[.!?…]++|;)([\"'”’»)\]›“]*+)(\s+)")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n|\r\n[ \t\r\f\v]*\r\n")
_LINE = re.compile(r"[^\n]+")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_WORD_CHAR = re.compile(r"[\w.]")
_LOOKBACK = 40  # longer than any abbreviation or initial (ABBREVIATIONS)
# No real sentence is this long; a longer run without a boundary (a table flattened into one
# line, a list of figures, a page with its full stops stripped) is cut into pieces of at most
# this many characters, at a clause break or a space, because every later stage does work
# quadratic in what one sentence holds (numbers against numbers, names against names).
MAX_SENTENCE = 1200
_CLAUSE_BREAK = re.compile(r"[,;:–—)](?=\s)")
_SPACE = re.compile(r"\s")


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Non-blank lines of ``text[start:end]`` as spans, trimmed of surrounding whitespace.

    News text pasted from the web uses a newline per paragraph as often as a blank line, so
    every line counts as a paragraph; blank lines only separate.
    """
    stop = len(text) if end is None else end
    spans = []
    for match in _LINE.finditer(text, start, stop):
        s, e = _trim(text, match.start(), match.end())
        if s < e:
            spans.append(Span(s, e))
    return spans


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split ``text[start:end]`` into sentence spans (trimmed, never empty).

    Args:
        text: the whole text the spans index into.
        start: where to begin.
        end: where to stop (default: the end of ``text``).

    Returns:
        Spans in order, covering every non-blank character of the range once.
    """
    spans: list[Span] = []
    for para in paragraphs(text, start, end):
        spans.extend(_split_paragraph(text, para.start, para.end))
    return spans


def _split_paragraph(text: str, start: int, end: int) -> Iterator[Span]:
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        cut = match.start(3)  # first whitespace character after the terminator and closers
        if not _is_boundary(text, match, end):
            continue
        yield from _bounded(text, cursor, cut)
        cursor = match.end()
    yield from _bounded(text, cursor, end)


def _bounded(text: str, start: int, end: int) -> Iterator[Span]:
    """``text[start:end]`` trimmed, as one span or, when longer than MAX_SENTENCE, as pieces
    cut after the last clause break (else the last space) of each stretch of that length."""
    s, e = _trim(text, start, end)
    while e - s > MAX_SENTENCE:
        limit = s + MAX_SENTENCE
        cut = _last(_CLAUSE_BREAK, text, s + MAX_SENTENCE // 2, limit, offset=1)
        if cut is None:
            cut = _last(_SPACE, text, s + 1, limit, offset=0)
        if cut is None:
            cut = limit  # one unbroken token: a hard cut
        piece_s, piece_e = _trim(text, s, cut)
        if piece_s < piece_e:
            yield Span(piece_s, piece_e)
        s, e = _trim(text, cut, e)
    if s < e:
        yield Span(s, e)


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int, *, offset: int) -> int | None:
    """The position ``offset`` past the start of the last match of ``pattern`` in
    ``text[lo:hi]``, or None."""
    starts = [match.start() for match in pattern.finditer(text, lo, hi)]
    return starts[-1] + offset if starts else None


def _is_boundary(text: str, match: re.Match[str], end: int) -> bool:
    terminator = match.group(1)
    after = match.end()
    next_char = text[after] if after < end else ""
    if not next_char:
        return True
    if terminator == ";":
        return False  # a semicolon joins clauses of one sentence
    if terminator.startswith("."):
        token = _word_before(text, match.start(1))
        if token.rstrip(".") in ABBREVIATIONS or token in ABBREVIATIONS:
            # "Mr. Smith": an abbreviation before a capital still does not end the sentence,
            # except sentence-final "etc." / "U.S." followed by a new capitalised sentence
            # that we cannot tell apart; prefer not splitting.
            return False
        if len(token) == 1 and token.isalpha() and next_char.isupper():
            return False  # an initial: "J. Smith"
    # "e.g. this", "“Are you?” he asked": a sentence never starts lower-case.
    return not next_char.islower()


def _word_before(text: str, at: int) -> str:
    """The word (letters, digits, dots) ending at ``at``, lower-cased; "" when there is none
    or it is longer than any abbreviation. Looks back a bounded stretch: searching from the
    start of the text made splitting quadratic in its length."""
    lo = max(0, at - _LOOKBACK)
    word = _WORD_BEFORE.search(text, lo, at)
    if word is None:
        return ""
    if word.start() == lo and lo > 0 and _WORD_CHAR.match(text, lo - 1):
        return ""  # the word runs on beyond the window: too long to be an abbreviation
    return word.group(1).lower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
