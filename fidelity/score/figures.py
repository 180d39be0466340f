"""What a figure claims and when two agree: the interval a qualifier gives it ("almost 4,300"
is just under 4,300, "more than 110" anything above 110), rounding to the precision it is
written to, units of one dimension compared converted, and the words that say a relation.
Pure functions on ``Quantity``; the detectors in ``fidelity.score.detectors`` use them."""

from __future__ import annotations

import math

from fidelity.extract.quantities import CALENDAR_UNITS
from fidelity.types import Quantity

TIME_UNITS = frozenset({"hour", "minute", "second"})
DATE_UNITS = CALENDAR_UNITS


def same_quantity(a: Quantity, b: Quantity, tolerance: float, approximate_ratio: float) -> bool:
    """Two quantities that state the same figure: within ``tolerance`` as a rounding, within
    ``approximate_ratio`` when either is a vague count, or the values each figure claims (its
    interval: "almost 4,300" is just under 4,300, "more than 110" anything above 110) meet.
    Figures in two units of one dimension ("40 billion km", "25 billion miles") are compared
    converted, each with the precision it is written to."""
    if dimension(a.unit) != dimension(b.unit):
        return False
    if a.unit != b.unit:
        return _meet(
            _interval(a, approximate_ratio, rounded=True),
            _interval(b, approximate_ratio, rounded=True),
        )
    if a.value == b.value:
        return True
    big = max(abs(a.value), abs(b.value))
    # Within ``tolerance`` is a rounding ("4,300" for 4,291), but only when one figure is the
    # other rounded to its last significant digit: 115 countries are not 114. Dates are the
    # times detector's and keep the plain tolerance.
    if (
        big
        and abs(a.value - b.value) / big <= tolerance
        and (a.unit in DATE_UNITS or _rounds_to(a.value, b.value))
    ):
        return True
    near = [q for q in (a, b) if q.relation in _NEAR]
    if near:
        # "almost 4,300" (just under 4,300) is 4,291 and "almost 4,000" is not
        return _meet(_interval(a, approximate_ratio), _interval(b, approximate_ratio))
    if a.approximate or b.approximate:
        rough = a if a.approximate else b
        if _digits(rough.value) >= 2:
            # "about 4,300" is 4,291 and "about 54 million" is not 55 million: an approximate
            # figure precise to two digits or more stands for what rounds to it
            if _rounds_to(a.value, b.value):
                return True
        else:
            # "thousands" vs 5,000; "about 70" vs 72: the same order of magnitude.
            lo, hi = sorted((abs(a.value), abs(b.value)))
            if hi > 0 and lo / hi >= approximate_ratio:
                return True
    # A bound is consistent with a figure inside it: "over a year" and "18 months",
    # "up to 70 million" and "62 million"; a ceiling and a floor that meet are one figure
    # ("more than 118,000" and "fewer than 120,000"). Two ceilings or two floors must agree
    # on the figure ("at least 12" / "at least 40").
    if _side(a) and _side(a) == _side(b):
        return False
    if _side(a) or _side(b):
        other = b if _side(a) else a
        if other.relation not in ("exact", "about") and not _side(other):
            return False  # a time's position ("after", "before") is no figure inside a bound
        return _meet(_interval(a, approximate_ratio), _interval(b, approximate_ratio))
    return False


# relations that bound a figure on one side, and the side
_FLOORS = frozenset({"at-least", "beyond"})
_CEILINGS = frozenset({"up-to", "below", "within"})
# relations that put a figure just under or just over the one written
_NEAR = frozenset({"almost", "just-over"})


def _side(q: Quantity) -> str:
    if q.relation in _FLOORS:
        return "floor"
    if q.relation in _CEILINGS:
        return "ceiling"
    return ""


def _interval(q: Quantity, ratio: float, *, rounded: bool = False) -> tuple[float, float]:
    """The values a figure claims, in its dimension's first unit: a floor or ceiling is open on
    one side, "almost" (just under) reaches down to ``ratio`` of the figure and "just over" up
    as far, "about" (or a figure converted from another unit, when ``rounded``) covers what
    rounds to it, and an exact figure is itself."""
    factor = _DIMENSIONS.get(q.unit, ("", 1.0))[1]
    v = q.value
    if q.relation in _FLOORS:
        lo, hi = v, math.inf
    elif q.relation in _CEILINGS:
        lo, hi = -math.inf, v
    elif q.relation == "almost":
        lo, hi = v * ratio, v
    elif q.relation == "just-over":
        lo, hi = v, v / ratio
    elif q.approximate and _digits(v) < 2:
        lo, hi = v * ratio, v / ratio
    elif q.approximate:
        half = _place(v) / 2
        lo, hi = v - half, v + half
    elif rounded:
        # a conversion is rounded to a digit or two; "10" may be ten exactly, so a round
        # figure's trailing zeros count for no more than _CONVERSION_SLACK of it
        half = min(_place(v) / 2, abs(v) * _CONVERSION_SLACK)
        lo, hi = v - half, v + half
    else:
        lo, hi = v, v
    lo, hi = sorted((lo * factor, hi * factor))
    return lo, hi


_CONVERSION_SLACK = 0.05  # what rounding to two significant digits can move a figure


def _meet(a: tuple[float, float], b: tuple[float, float]) -> bool:
    slack = 1e-9 * max(1.0, *(abs(x) for x in (*a, *b) if math.isfinite(x)))
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack


def ceiling_of_exact(q: Quantity, rq: Quantity) -> bool:
    """A ceiling on the other's exact figure: "up to €20 billion a month" for "€20 billion a
    month" makes an amount a most that may not be reached; the other way round, a most
    ("up to 200 jobs") is told as what happens ("200 jobs")."""
    return (
        q.relation == "up-to"
        and rq.relation == "exact"
        and not rq.approximate
        and q.value == rq.value
        and q.unit == rq.unit
        and q.unit not in TIME_UNITS | DATE_UNITS
    )


_RELATION_WORDS = {
    "up-to": "at most",
    "below": "fewer than",
    "within": "at most",
    "at-least": "at least",
    "beyond": "more than",
    "almost": "just under",
    "just-over": "just over",
    "about": "about",
}


def bound_words(q: Quantity) -> str:
    return "an exact figure" if q.relation == "exact" else f"{relation_words(q)}: a ceiling"


def relation_words(q: Quantity) -> str:
    """The qualifier of a figure in plain words ("just under" for "almost 4,000")."""
    return _RELATION_WORDS.get(q.relation, "exactly")


def said_as(q: Quantity) -> str:
    """ " (just under)" after a qualified figure in a message; nothing after a plain one."""
    if q.relation in _FLOORS | _CEILINGS | _NEAR and q.unit not in TIME_UNITS | DATE_UNITS:
        return f" ({relation_words(q)})"
    return ""


# Units of one dimension and their factor to its first unit: a figure written in one is the
# same figure in another ("40 billion km" = "25 billion miles").
_DIMENSIONS: dict[str, tuple[str, float]] = {
    "km": ("length", 1.0),
    "m": ("length", 0.001),
    "mile": ("length", 1.609344),
    "light-year": ("length", 9.4607e12),
}


def dimension(unit: str) -> str:
    """What a unit measures ("length" for km, miles, light-years); other units are their own."""
    entry = _DIMENSIONS.get(unit)
    return entry[0] if entry else unit


def _rounds_to(a: float, b: float) -> bool:
    """One of two figures is the other rounded to its own last significant digit."""
    step = max(_place(a), _place(b))
    return abs(a - b) <= step / 2 + 1e-9 * max(abs(a), abs(b), 1.0)


def _digits(x: float) -> int:
    """How many significant digits ``x`` is written with (4300 -> 2, 70 -> 1, 6.5 -> 2)."""
    x = abs(x)
    if x == 0:
        return 1
    text = f"{x:.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")
    return len(text.rstrip("0")) if x == int(x) else len(text)


def _place(x: float) -> float:
    """The place value of ``x``'s last significant digit as written (4300 -> 100, 0.25 ->
    0.01, 114 -> 1)."""
    x = abs(x)
    if x == 0:
        return 1.0
    if x == int(x):
        n, place = int(x), 1.0
        while n and n % 10 == 0:
            n //= 10
            place *= 10
        return place
    decimals = f"{x:.6f}".rstrip("0").split(".")[1]
    return 10.0 ** -len(decimals)
