"""Background a retelling adds about another occasion: a sentence dated to a past day that no
source gives ("The WHO declared an emergency on January 30, when there were fewer than 100
cases" in an article of March 11) tells of an earlier event, not of the story's, so a figure of
its own is context (``context_added``), not a figure added to the story."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fidelity.score.base import Category, Divergence, Severity
from fidelity.types import Claim, Span

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_MONTH_NUMBER = {m: i % 12 + 1 for i, m in enumerate(_MONTHS.split("|")[:12])} | dict(
    zip(_MONTHS.split("|")[12:], (1, 2, 3, 4, 6, 7, 8, 9, 9, 10, 11, 12), strict=True)
)
# a date of the sentence's own: "on January 30", "30 January", "in 2008", "in March 2019"
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTHS})\.? (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (?P<y1>(?:19|20)\d\d))?|"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\.? (?:of )?(?P<m2>{_MONTHS})\b"
    rf"(?:,? (?P<y2>(?:19|20)\d\d))?|"
    rf"(?:in|since|from) (?:(?P<m3>{_MONTHS}) )?(?P<y3>(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)


def dated_elsewhere(text: str, sources: Sequence[Claim], published: str | None) -> str | None:
    """A past date the sentence gives that no source sentence gives ("on January 30" in an
    article of March that the sources do not date so): the sentence tells of an earlier
    occasion, or None. A date after publication is a plan of the story's own ("will debate
    in June"); a bare year counts only when the article's date shows it past."""
    theirs = " ".join(c.text.lower() for c in sources)
    now = _ymd(published)
    for m in _DATE.finditer(text):
        day = re.sub(r"^(?:in|since|from) ", "", m.group(0).lower())
        # the same date in other words ("30 January" for "January 30"): its parts all given
        if all(re.search(rf"\b{re.escape(w)}", theirs) for w in re.findall(r"\d+|[a-z]{3,}", day)):
            continue
        month = (m.group("m1") or m.group("m2") or m.group("m3") or "").lower().rstrip(".")
        year = m.group("y1") or m.group("y2") or m.group("y3")
        d = m.group("d1") or m.group("d2")
        when = (int(year) if year else None, _MONTH_NUMBER.get(month), int(d) if d else None)
        if _before(when, now):
            return m.group(0)
    return None


def _ymd(iso: str | None) -> tuple[int, int, int] | None:
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", iso or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _before(
    when: tuple[int | None, int | None, int | None], now: tuple[int, int, int] | None
) -> bool:
    """Whether a date (year, month, day; any unknown) lies before ``now``: a day and month
    without a year are taken in ``now``'s year; when ``now`` is unknown, a day and month
    count as past (a bare year does not)."""
    year, month, day = when
    if now is None:
        return month is not None and day is not None
    if year is not None and year != now[0]:
        return year < now[0]
    if month is None:
        return False
    return (month, day or 31) < now[1:]


def dated_background(claim: Claim, dated: str, counterpart: Claim | None = None) -> Divergence:
    """The finding for a sentence dated to another occasion: context, informational."""
    at = claim.text.find(dated)
    return Divergence(
        Category.CONTEXT_ADDED,
        Severity.LOW,
        f"background dated to another occasion (“{dated}”, a day no source gives): "
        "what it says of that occasion is context, not a change to the story",
        claim,
        counterpart,
        (Span(at, at + len(dated)),) if at >= 0 else (),
        detail="dated-background",
    )
