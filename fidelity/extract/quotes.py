"""Quotation marks: direct quotes in every common style, carried across sentences.

A quote opened and not closed in one claim continues into the next claim of the same
paragraph; news style also re-opens every continued paragraph with an opening mark without
closing the previous one, so a new paragraph that starts with an opening mark of the same
family continues the quote too. A quote never runs past a paragraph otherwise, which bounds
the damage a stray mark can do. Apostrophes ("Russia's", "allies’ ") are told from single
quotes by the letters around them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Opening mark -> the marks that may close it.
CLOSERS: dict[str, str] = {
    "“": "”“",  # English “…”; Polish/Ukrainian „…” handled under „
    "„": "“”",  # German/Russian/Ukrainian „…“, Polish „…”
    "«": "»",  # Greek, Russian, Ukrainian, French
    "»": "«»",  # German/Danish »…«, Swedish »…»
    "‹": "›",
    "›": "‹",
    "‘": "’‘",
    "‚": "‘’",
    '"': '"',
    "'": "'’",
    "”": "”",  # Swedish/Finnish ”…”
    "「": "」",
    "『": "』",
}
DOUBLE_MARKS = frozenset('“”„«»"「『')
ALL_MARKS = frozenset("“”„«»‹›‘’‚\"'「」『』")
_OPEN_CONTEXT = set(" \t\n([{—–-:/") | set("“„«»‘‚\"'‹")
_AFTER_CLOSE = set(" \t\n)]}.,;:!?…—–-/") | set("”“»«’'\"›‹")
# Quotes open inside one another at most this deep. Marks that never close (`"a " "b " …`)
# would otherwise each open one more quote running to the end of the claim: quadratic text.
_MAX_OPEN = 4


@dataclass
class OpenQuote:
    """A quote still open at the end of a claim."""

    mark: str
    family_double: bool


@dataclass
class RawQuote:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    mark: str
    continued: bool = False  # opened in an earlier claim
    unclosed: bool = False  # still open at the end of this claim
    depth: int = 0  # 0 outer, 1 nested inside another quote


def _is_apostrophe(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return prev.isalnum() and nxt.isalnum()


def _can_close(char: str, mark: str, prev: str, nxt: str) -> bool:
    if char not in CLOSERS[mark] or prev.isspace():
        return False
    # after sentence punctuation a mark closes even when junk follows ("Agreement."3_622.JPG)
    return nxt.isspace() or nxt in _AFTER_CLOSE or prev in ".,!?…"


def find_quotes(text: str, carried: OpenQuote | None) -> tuple[list[RawQuote], OpenQuote | None]:
    """Direct quotes in ``text``.

    Args:
        text: a claim's pivot text.
        carried: the quote left open by the previous claim, if the caller decided it goes on
            into this one (the text starts inside that quote).

    Returns:
        The quotes (spans of the words inside the marks) and the quote left open at the end.
    """
    stack: list[tuple[str, int, bool]] = []  # (mark, start of content, continued)
    quotes: list[RawQuote] = []
    n = len(text)
    skip = -1
    if carried is not None:
        # A continued paragraph may open with its own mark again: skip it.
        lead = len(text) - len(text.lstrip())
        first = text[lead] if lead < n else ""
        if first and first in DOUBLE_MARKS and first in CLOSERS:
            stack.append((first, lead + 1, True))
            skip = lead
        else:
            stack.append((carried.mark, 0, True))
    for i, char in enumerate(text):
        if char not in ALL_MARKS or i == skip:
            continue
        if char in "'’‘" and _is_apostrophe(text, i):
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        # Close the innermost open quote this mark can close; an unmatched inner single
        # quote does not stop a double mark from closing the quote around it.
        closed = False
        for depth in range(len(stack) - 1, -1, -1):
            mark, start, continued = stack[depth]
            if _can_close(char, mark, prev, nxt):
                del stack[depth:]
                if i > start:
                    quotes.append(RawQuote(start, i, mark, continued, depth=depth))
                closed = True
                break
            if not (mark in "'‘‚" and char in DOUBLE_MARKS):
                break
        if closed:
            continue
        if (
            char in CLOSERS
            and i + 1 < n
            and (i == 0 or prev in _OPEN_CONTEXT)
            and not nxt.isspace()
        ):
            if len(stack) < _MAX_OPEN:
                stack.append((char, i + 1, False))
            continue
        if not stack and char in '”»"' and not prev.isspace() and i > 0:
            # A closing mark with nothing open: the quote began before this claim.
            quotes.append(RawQuote(_lead(text), i, "“" if char == "”" else char, True))
    left_open: OpenQuote | None = None
    for depth, (mark, start, continued) in enumerate(stack):
        if mark not in DOUBLE_MARKS:
            continue  # single marks rarely span sentences: an unmatched one is an apostrophe
        end = len(text.rstrip())
        if end > start:
            quotes.append(RawQuote(start, end, mark, continued, unclosed=True, depth=depth))
        if left_open is None:
            left_open = OpenQuote(mark, True)
    quotes.sort(key=lambda q: (q.start, q.depth))
    return quotes, left_open


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def starts_with_opening_mark(text: str) -> bool:
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in DOUBLE_MARKS and stripped[0] in CLOSERS


def is_partial(text: str, quote: RawQuote) -> bool:
    """Whether a quote is a fragment (scare quotes, a phrase) rather than a full utterance.

    A quote is full when it starts with a capital (or continues one) and has at least five
    words, or ends in sentence punctuation inside the marks; shorter or lower-case-initial
    quotes are fragments woven into the writer's sentence.
    """
    inner = text[quote.start : quote.end].strip()
    words = inner.split()
    if quote.continued and len(words) >= 3:
        return False
    if not words:
        return True
    starts_upper = inner[0].isupper() or inner[0].isdigit()
    if starts_upper and len(words) >= 5:
        return False
    return not (starts_upper and inner[-1] in ".!?…" and len(words) >= 3)
