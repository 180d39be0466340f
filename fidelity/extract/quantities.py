"""Quantities, durations and dates in a claim, normalised so retellings can be compared.

Durations are in hours ("72 hours" = "three days" = 72 hour; "within a day" = within 24
hour); counts keep their noun's canonical unit (troop, person, percent, USD ...); vague counts
("thousands of troops", "a few days") are approximate with a conventional value. A count whose
noun is in no unit list takes the noun's lemma as its unit ("40 homes" = 40 home, "40
helicopters" = 40 helicopter), where the language's lexicon says how to tell a counted noun
(``count_noun_endings``, ``count_noun_stops``): two equal numbers that count different things
are different facts. The word
before or after a quantity gives its relation: within, after, before, beyond (more than),
at-least, up-to (at most), below (fewer than), almost (just under), just-over, about, or
exact; the numbers detector reads each as the interval of values the figure claims.

Dates are quantities too:
  unit "date"          value = proleptic ordinal of the day (``date.toordinal()``), when the
                       year is written or known from ``Article.published``;
  unit "month-day"     value = month * 100 + day, when the year is unknown;
  unit "month"         value = year * 100 + month ("February 2022", "last September");
  unit "month-of-year" value = month, when the year is unknown ("in December");
  unit "year"          value = the year ("in 2022").
Numeric dates "2/2" read day/month unless the second number exceeds 12.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fidelity.extract.lexicon import LanguageLexicon, phrase_pattern
from fidelity.text.lemmas import lemma
from fidelity.types import Quantity, Span

_DEFAULT_MULTIPLIERS = ("million", "mln", "billion", "bln", "bn", "trillion", "tn", "thousand")


def _digits_pattern(group: str, decimal: str, multipliers: Sequence[str]) -> re.Pattern[str]:
    """Figures written with the language's digit group and decimal marks ("118,000" and
    "6.5" in English, "118.000" and "6,6" in German, "118 000" in French), then a scale word
    ("million", "Milliarden", "mil millones"). Where the group mark is a point, a point
    followed by one or two digits is still a decimal point ("6.5 millones" in Mexico)."""
    g = "[ \u00a0\u202f]" if group.isspace() else re.escape(group)
    d = re.escape(decimal)
    number = rf"\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?|\d+{d}\d+"
    if group == ".":
        number += r"|\d+\.\d{1,2}(?!\d)"
    number += r"|\d+"
    words = sorted({*multipliers, "k", "m", "b"}, key=len, reverse=True)
    scale = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(
        r"(?<![\w.,/])(?P<cur>US\$|[$€£₽₴])?\s?"
        rf"(?P<num>{number})"
        rf"(?:\s?(?P<mult>{scale})(?![\w]))?"
        r"(?P<cur_after>\s?(?:US\$|[$€£₽₴]))?"
        r"(?P<pct>\s?%)?"
        r"(?P<strong>-strong)?",
        re.IGNORECASE,
    )


_DIGITS = _digits_pattern(",", ".", _DEFAULT_MULTIPLIERS)
_NUMERIC_DATE = re.compile(r"(?<![\w./])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\w/])")
# A fraction written with a slash, read as a figure when a unit follows ("0 to 1/4 percent");
# without one it may be a date ("1/4" is the first of April), which _dates reads.
_FRACTION = re.compile(r"(?<![\w./])(\d{1,2})/(\d{1,2})(?![\w/])")
_WORDS_AFTER = re.compile(r"[\s-]*([\w%']+(?:\s+cent|\s+points?)?)")
_HYPHEN_UNIT = re.compile(r"-(\w+)")
# The words after a count, up to its noun: lower-case words only (a capital, a digit or
# punctuation ends the noun phrase).
_NOUN_WORD = re.compile(r"[ \t]+([^\W\d_][^\W\d_'’-]*)")
# Inside a partitive ("12 of the city's 27 libraries") possessives and numbers may stand
# between the count and the noun of the whole.
_PARTITIVE_WORD = re.compile(r"[ \t]+([^\W_][\w'’-]*)")
_COUNT_NOUN_REACH = 3  # the noun and up to two modifiers before it ("40 badly damaged homes")
_PARTITIVE_REACH = 4  # "of the city's 27 libraries"


def _published(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


class QuantityFinder:
    """Finds quantities with one language's number words, units and relations."""

    def __init__(self, language: LanguageLexicon) -> None:
        numbers: Mapping[str, Any] = language.numbers
        self.cardinals: dict[str, float] = {
            k.lower(): float(v) for k, v in (numbers.get("cardinals") or {}).items()
        }
        self.approximate: dict[str, tuple[float, str]] = {
            k.lower(): (float(v[0]), str(v[1]))
            for k, v in (numbers.get("approximate") or {}).items()
        }
        self.units: dict[str, tuple[str, float]] = {
            k.lower(): (str(v[0]), float(v[1])) for k, v in (numbers.get("units") or {}).items()
        }
        self.currencies: dict[str, str] = dict(numbers.get("currencies") or {})
        self.multipliers: dict[str, float] = {
            k.lower(): float(v) for k, v in (numbers.get("multipliers") or {}).items()
        }
        number_format: Mapping[str, Any] = numbers.get("number_format") or {}
        # the marks between digit groups and before decimals: "118,000.5" (en, the default),
        # "118.000,5" (de, es, it), "118 000,5" (fr)
        self.group_mark = str(number_format.get("group", ","))
        self.decimal_mark = str(number_format.get("decimal", "."))
        self.digits_re = (
            _digits_pattern(
                self.group_mark,
                self.decimal_mark,
                [m for m in self.multipliers if m not in ("k", "m", "b")] or _DEFAULT_MULTIPLIERS,
            )
            if number_format
            else _DIGITS
        )
        self.relations: dict[str, str] = {
            " ".join(k.lower().split()): str(v) for k, v in (numbers.get("relations") or {}).items()
        }
        self.months: dict[str, int] = {
            k.lower(): int(v) for k, v in (numbers.get("months") or {}).items()
        }
        self.relative_days: dict[str, int] = {
            k.lower(): int(v) for k, v in (numbers.get("relative_days") or {}).items()
        }
        self.relative_months: dict[str, int] = {
            k.lower(): int(v) for k, v in (numbers.get("relative_months") or {}).items()
        }
        small = [k for k in self.cardinals if k not in ("a", "an")]
        self.word_number_re = (
            re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(w) for w in sorted(small, key=len, reverse=True))
                + r")(?:(?:[\s-]+(?:and[\s-]+)?)(?:"
                + "|".join(re.escape(w) for w in sorted(small, key=len, reverse=True))
                + r"))*(?![\w])",
                re.IGNORECASE,
            )
            if small
            else None
        )
        self.approx_re = phrase_pattern(self.approximate)
        # scale words after a number in words ("three million"); the short ones ("m", "k")
        # only follow digits
        scales = [w for w in self.multipliers if len(w) > 2 and w.isalpha()]
        scales = [w for w in scales if w not in self.cardinals]
        self.scale_re = (
            re.compile(
                r"[ \t]+("
                + "|".join(map(re.escape, sorted(scales, key=len, reverse=True)))
                + r")\b",
                re.IGNORECASE,
            )
            if scales
            else None
        )
        self.a_unit_re = (
            re.compile(
                r"(?<![\w])(?:an?|one)\s+(?=(?:"
                + "|".join(re.escape(u) for u in self.units if u.isalpha())
                + r")\b)",
                re.IGNORECASE,
            )
            if self.units
            else None
        )
        month_names = sorted(self.months, key=len, reverse=True)
        self.month_re = (
            re.compile(
                r"(?<![\w])(?:(?P<rel>last|next|this|in|early|late|mid-?)\s+)?"
                r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+)?"
                r"(?P<month>" + "|".join(re.escape(m) for m in month_names) + r")"
                r"(?:(?<=\b\w{3})\.|(?<=\b\w{4})\.)?"
                r"(?:\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?![\d,]\d))?"
                r"(?:,?\s+(?P<year>(?:19|20)\d\d))?(?![\w])",
                re.IGNORECASE,
            )
            if month_names
            else None
        )
        self.relative_day_re = phrase_pattern(self.relative_days)
        # units of more than one word or with a hyphen ("light-years", "solar masses", "times
        # the mass of the sun"), longest first; "-strong" is read by _DIGITS
        phrases = sorted(
            (u for u in self.units if re.search(r"\w[\s-]\w", u)), key=len, reverse=True
        )
        self.unit_phrase_re = (
            re.compile(
                r"[ \t]*(?:"
                + "|".join(r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", u))) for u in phrases)
                + r")(?![\w-])",
                re.IGNORECASE,
            )
            if phrases
            else None
        )
        self.language = language.language
        self.noun_endings: tuple[str, ...] = tuple(
            str(e).lower() for e in numbers.get("count_noun_endings") or ()
        )
        self.noun_stops: frozenset[str] = frozenset(
            str(w).lower() for w in numbers.get("count_noun_stops") or ()
        )
        self.partitives: frozenset[str] = frozenset(
            str(w).lower() for w in numbers.get("count_noun_partitives") or ()
        )
        self.fractions: dict[str, float] = {
            k.lower(): float(v) for k, v in (numbers.get("fractions") or {}).items()
        }
        self.multiples: dict[str, float] = {
            k.lower(): float(v) for k, v in (numbers.get("multiples") or {}).items()
        }
        self.multiple_verbs: dict[str, float] = {
            k.lower(): float(v) for k, v in (numbers.get("multiple_verbs") or {}).items()
        }
        cues: Mapping[str, Any] = numbers.get("multiple_cues") or {}
        self.cues_before = frozenset(str(w).lower() for w in cues.get("before") or ())
        self.cues_after = frozenset(str(w).lower() for w in cues.get("after") or ())
        self.multiple_re = phrase_pattern([*self.multiples, *self.multiple_verbs])
        numerator = "|".join(
            [r"\d+", *(re.escape(w) for w in sorted(self.cardinals, key=len, reverse=True))]
        )
        self.share_re = (
            re.compile(
                rf"(?<![\w-])(?:(?P<num>{numerator})[\s-]+)?"
                r"(?P<den>" + "|".join(map(re.escape, self.fractions)) + r")(?![\w-])"
                rf"|(?<![\w-])(?P<part>{numerator})\s+in\s+(?P<whole>{numerator})(?![\w-])",
                re.IGNORECASE,
            )
            if self.fractions
            else None
        )
        spans_back = [str(w) for w in numbers.get("spans_back") or ()]
        periods = [u for u, (unit, factor) in self.units.items() if unit == "hour" and factor >= 24]
        self.span_back_re = (
            re.compile(
                r"\bthe\s+(?P<w>"
                + "|".join(map(re.escape, spans_back))
                + r")\s+(?=(?:"
                + "|".join(map(re.escape, sorted(periods, key=len, reverse=True)))
                + r")\b)",
                re.IGNORECASE,
            )
            if spans_back and periods
            else None
        )
        factors = [str(w) for w in numbers.get("factor_phrases") or ()]
        self.factor_re = (
            re.compile(
                r"\b(?:"
                + "|".join(r"\s+".join(map(re.escape, f.split())) for f in factors)
                + r")\s+(?P<n>\d+(?:\.\d+)?|[^\W\d_]+(?:-[^\W\d_]+)?)(?![\w-])",
                re.IGNORECASE,
            )
            if factors
            else None
        )
        halves = [str(w) for w in numbers.get("and_a_half") or ()]
        self.half_re = (
            re.compile(
                r"[ \t]+(?:"
                + "|".join(r"\s+".join(map(re.escape, h.split())) for h in halves)
                + r")(?![\w-])",
                re.IGNORECASE,
            )
            if halves
            else None
        )

    # ---------------------------------------------------------------- public

    def find(self, text: str, published: str | None) -> list[Quantity]:
        """Quantities in ``text`` in order of position (spans into ``text``)."""
        ref = _published(published)
        out: list[Quantity] = []
        starts: list[int] = []  # of the spans taken, sorted; they never overlap, so their
        ends: list[int] = []  # ends are sorted too and only the neighbours need a look

        def add(q: Quantity) -> None:
            at = bisect.bisect_left(starts, q.span.start)
            if at and ends[at - 1] > q.span.start:
                return
            if at < len(starts) and starts[at] < q.span.end:
                return
            out.append(q)
            starts.insert(at, q.span.start)
            ends.insert(at, q.span.end)

        for m in _FRACTION.finditer(text):
            numerator, denominator = int(m.group(1)), int(m.group(2))
            if 0 < numerator < denominator and self._unit_after(text, m.end()) is not None:
                value = numerator / denominator
                add(self._with_unit(text, m.start(), m.end(), value, False, "exact"))
        for q in self._shares(text):
            add(q)
        for q in self._multiples(text):
            add(q)
        if self.span_back_re is not None:
            for m in self.span_back_re.finditer(text):
                add(
                    self._with_unit(
                        text, m.start("w"), m.end(), 1.0, False, "exact", require_unit=True
                    )
                )
        for q in self._dates(text, ref):
            add(q)
        for m in self.digits_re.finditer(text):
            raw = self._plain(m.group("num"))
            value = float(raw)
            # a currency sign before the figure, or after it as many languages write it
            # ("4.300 €", "20 Mrd. €")
            currency = m.group("cur") or (m.group("cur_after") or "").strip()
            if m.group("mult"):
                mult = " ".join(m.group("mult").lower().split())
                if mult in ("m", "b", "k") and not currency:
                    value_end = m.end("num")
                else:
                    value *= self.multipliers.get(mult, 1.0)
                    value_end = m.end("mult")
            else:
                value_end = m.end("num")
            if m.group("cur_after") and currency:
                value_end = m.end("cur_after")
            start = m.start("cur") if m.group("cur") else m.start("num")
            if currency:
                add(
                    self._finish(
                        text,
                        start,
                        value_end,
                        value,
                        self.currencies.get(currency, "money"),
                        False,
                        "exact",
                    )
                )
                continue
            if m.group("pct"):
                add(self._finish(text, start, m.end("pct"), value, "percent", False, "exact"))
                continue
            if m.group("strong"):
                add(self._finish(text, start, m.end("strong"), value, "troop", False, "exact"))
                continue
            if 1900 <= value <= 2100 and raw.isdigit() and not self._unit_after(text, value_end):
                add(Quantity(Span(start, value_end), value, "year"))
                continue
            add(self._with_unit(text, start, value_end, value, False, "exact"))
        if self.approx_re is not None:
            for m in self.approx_re.finditer(text):
                value, relation = self.approximate[" ".join(m.group(0).lower().split())]
                add(self._with_unit(text, m.start(), m.end(), value, True, relation))
        if self.word_number_re is not None:
            for m in self.word_number_re.finditer(text):
                word_value = self._word_value(m.group(0))
                if word_value is None:
                    continue
                value = word_value
                approximate = (
                    m.group(0).lower().startswith("a dozen") or m.group(0).lower() == "dozen"
                )
                end = m.end()
                scale = self.scale_re.match(text, end) if self.scale_re is not None else None
                if scale is not None:  # "three million people", "two billion dollars"
                    value *= self.multipliers[scale.group(1).lower()]
                    end = scale.end()
                add(self._with_unit(text, m.start(), end, value, approximate, "exact"))
        if self.a_unit_re is not None:
            for m in self.a_unit_re.finditer(text):
                add(
                    self._with_unit(
                        text, m.start(), m.end(), 1.0, False, "exact", require_unit=True
                    )
                )
        out = [q for q in out if q is not None]
        out.sort(key=lambda q: q.span.start)
        return _paired_units(text, out)

    # ---------------------------------------------------------------- pieces

    def _plain(self, written: str) -> str:
        """A figure as written in the language, in Python's digits ("118.000,5" in German ->
        "118000.5")."""
        if self.group_mark == "." and re.fullmatch(r"\d+\.\d{1,2}", written):
            return written  # a decimal point where points group digits: "6.5 millones"
        grouped = re.sub(r"\s", " ", written) if self.group_mark.isspace() else written
        mark = " " if self.group_mark.isspace() else self.group_mark
        return grouped.replace(mark, "").replace(self.decimal_mark, ".")

    def _word_value(self, phrase: str) -> float | None:
        whole = self.cardinals.get(" ".join(phrase.lower().split()))
        if whole is not None:
            return whole
        total = 0.0
        current = 0.0
        for word in re.split(r"[\s-]+", phrase.lower()):
            if word == "and":
                continue
            value = self.cardinals.get(word)
            if value is None:
                return None
            if value == 100:
                current = max(current, 1.0) * 100
            elif value >= 1000:
                total += max(current, 1.0) * value
                current = 0.0
            else:
                current += value
        return total + current

    def _number(self, written: str | None) -> float | None:
        """A small count in digits or words ("3", "three", "a")."""
        if not written:
            return None
        if written.isdigit():
            return float(written)
        return self._word_value(written)

    def _shares(self, text: str) -> list[Quantity]:
        """Shares of a whole in words, as percent of it (unit "share"): "two thirds of the
        flights" (66.7), "cut by a third", "half the staff", "one in five voters" (20)."""
        if self.share_re is None:
            return []
        out = []
        for m in self.share_re.finditer(text):
            if m.group("den"):
                den = self.fractions[m.group("den").lower()]
                num = self._number(m.group("num")) if m.group("num") else None
                after = text[m.end() : m.end() + 12].lower()
                before = text[max(0, m.start() - 4) : m.start()].lower()
                if re.match(r"\s+(?:of\s+)?an?\b", after):
                    continue  # "a quarter of a point", "half an hour": the cardinals' fractions
                whole_after = re.match(r"\s+of\b", after) is not None
                by_before = re.search(r"\bby\s$", before) is not None
                if num is None:
                    if den != 2 or not (
                        by_before or re.match(r"\s+(?:of|the|its|their|his|her|our|them)\b", after)
                    ):
                        continue
                    if _HALF_OF_TIME.search(text[max(0, m.start() - 12) : m.start()]):
                        continue  # "in the second half the team scored": a half of a match
                    num = 1.0
                elif not (whole_after or by_before):
                    continue
                if not 0 < num < den:
                    continue
                value = 100 * num / den
            else:
                part, whole = self._number(m.group("part")), self._number(m.group("whole"))
                if part is None or whole is None or not 0 < part < whole <= 1000:
                    continue
                unit = self._unit_after(text, m.end())
                if unit is not None and unit[0] != "person":
                    continue  # "five in seven days": a count in a time, not a share
                value = 100 * part / whole
            out.append(self._finish(text, m.start(), m.end(), value, "share", False, "exact"))
        return out

    def _multiples(self, text: str) -> list[Quantity]:
        """Multiples in words (unit "fold"): "doubled", "tripling", "agreed to triple",
        "double the amount", "twice as fast"; not "a double murder" or "twice a week"."""
        if self.multiple_re is None:
            return []
        out = []
        for m in self.multiple_re.finditer(text):
            word = m.group(0).lower()
            value = self.multiples.get(word)
            if value is None:
                prev = re.search(r"([\w']+)\s+$", text[max(0, m.start() - 20) : m.start()])
                nxt = re.match(r"\s+([\w']+)", text[m.end() :])
                cued = (prev is not None and prev.group(1).lower() in self.cues_before) or (
                    nxt is not None and nxt.group(1).lower() in self.cues_after
                )
                if not cued or text[m.end() : m.end() + 1] == "-":
                    continue
                if word != "twice" and nxt is not None and nxt.group(1).lower() == "as":
                    continue  # "the stadium will double as a concert venue": serve as
                value = self.multiple_verbs[word]
            out.append(self._finish(text, m.start(), m.end(), value, "fold", False, "exact"))
        if self.factor_re is not None:
            for m in self.factor_re.finditer(text):
                written = m.group("n")
                factor = float(written) if written[0].isdigit() else self._word_value(written)
                if factor is not None and factor > 0:
                    out.append(
                        self._finish(text, m.start(), m.end(), factor, "fold", False, "exact")
                    )
        return out

    def _unit_after(self, text: str, end: int) -> tuple[str, float, int] | None:
        """The unit written right after a number: (canonical, factor, end offset)."""
        if self.unit_phrase_re is not None:
            phrase = self.unit_phrase_re.match(text, end)
            if phrase:
                written = " ".join(re.split(r"[\s-]+", phrase.group(0).strip().lower()))
                for key, (unit, factor) in self.units.items():
                    if " ".join(re.split(r"[\s-]+", key)) == written:
                        return unit, factor, phrase.end()
        hyphen = _HYPHEN_UNIT.match(text, end)
        if hyphen and hyphen.group(1).lower() in self.units:
            unit, factor = self.units[hyphen.group(1).lower()]
            return unit, factor, hyphen.end()
        m = _WORDS_AFTER.match(text, end)
        if not m:
            return None
        word = " ".join(m.group(1).lower().split())
        for candidate in (word, word.split()[0]):
            if candidate in self.units:
                unit, factor = self.units[candidate]
                stop = m.start(1) + len(candidate) if candidate != word else m.end(1)
                return unit, factor, stop
        # one adjective between a count and its noun: "three Western countries"
        nxt = _WORDS_AFTER.match(text, m.end())
        if nxt:
            second = nxt.group(1).lower()
            if second in self.units and self.units[second][0] not in ("hour", "percent"):
                unit, factor = self.units[second]
                return unit, factor, nxt.end(1)
        return None

    def _counted_noun(self, text: str, end: int) -> tuple[str, int] | None:
        """The noun a bare count counts, as (lemma, end of the quantity's span), or None.

        A plural form (one of the language's ``count_noun_endings`` on a word whose lemma
        differs) within the next few lower-case words is the noun; the words before it are
        its modifiers. A stop word (article, preposition, auxiliary: a clause goes on, not
        the noun phrase) or a listed unit ends the search, except after a partitive word
        ("12 of the city's 27 libraries" counts libraries, as "12 libraries" does), so that
        both ways of telling one figure get one unit. Languages without endings in their
        lexicon give no noun, rather than guess one from an inflected adjective.
        """
        if not self.noun_endings:
            return None
        first = _NOUN_WORD.match(text, end)
        if first and first.group(1).lower() in self.partitives:
            pattern, reach, at = _PARTITIVE_WORD, _PARTITIVE_REACH, first.end(1)
        else:
            pattern, reach, at = _NOUN_WORD, _COUNT_NOUN_REACH, end
        partitive = pattern is _PARTITIVE_WORD
        for _ in range(reach):
            m = pattern.match(text, at)
            if not m:
                return None
            word = m.group(1)
            at = m.end(1)
            if word != word.lower() or word in self.units:
                return None
            if word in self.noun_stops:
                if partitive:
                    continue
                return None
            if word.endswith(self.noun_endings) and word.isalpha():
                base = lemma(word, self.language)
                if base != word and base not in self.noun_stops:
                    # a partitive's whole may hold its own figure ("of the 60 homes"): the
                    # count's span stops at the count
                    return base, end if partitive else m.end(1)
        return None

    def _with_unit(
        self,
        text: str,
        start: int,
        end: int,
        value: float,
        approximate: bool,
        relation: str,
        *,
        require_unit: bool = False,
    ) -> Quantity:
        half = self.half_re.match(text, end) if self.half_re is not None else None
        if half is not None:
            value, end = value + 0.5, half.end()  # "two and a half years"
        unit_found = self._unit_after(text, end)
        unit = ""
        if unit_found is not None:
            unit, factor, end = unit_found
            half = self.half_re.match(text, end) if self.half_re is not None else None
            if half is not None and value == int(value):
                value, end = value + 0.5, half.end()  # "a year and a half"
            value *= factor
        elif not require_unit:
            noun = self._counted_noun(text, end)
            if noun is not None:
                unit, end = noun
        return self._finish(text, start, end, value, unit, approximate, relation)

    def _finish(
        self,
        text: str,
        start: int,
        end: int,
        value: float,
        unit: str,
        approximate: bool,
        relation: str,
    ) -> Quantity:
        before = " ".join(text[max(0, start - 40) : start].lower().split())
        found = None
        for phrase in sorted(self.relations, key=len, reverse=True):
            if before.endswith(phrase) and (
                len(before) == len(phrase) or not before[-len(phrase) - 1].isalnum()
            ):
                found = self.relations[phrase]
                break
        if found is None:
            after = text[end : end + 20].lower().split()
            if after:
                word = after[0].strip(",.;:")
                if self.relations.get(word) in ("after", "before"):
                    found = self.relations[word]
        if found in ("about", "almost", "just-over"):
            approximate = True  # near the figure, not the figure
        if found is not None and (relation == "exact" or found != "exact"):
            relation = found
        return Quantity(Span(start, end), round(value, 6), unit, relation, approximate)

    def _dates(self, text: str, ref: dt.date | None) -> list[Quantity]:
        out: list[Quantity] = []
        for m in _NUMERIC_DATE.finditer(text):
            a, b = int(m.group(1)), int(m.group(2))
            day, month = (b, a) if b > 12 and a <= 12 else (a, b)
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            after = text[m.end() : m.end() + 4].lower()
            if after.startswith(" of") or self._unit_after(text, m.end()) is not None:
                continue  # a fraction: "1/3 of", "1/4 percent"
            year = int(m.group(3)) if m.group(3) else (ref.year if ref else None)
            if year is not None and year < 100:
                year += 2000
            out.append(self._date_quantity(Span(m.start(), m.end()), year, month, day))
        if self.month_re is not None:
            for m in self.month_re.finditer(text):
                month_word = m.group("month").lower()
                if month_word == "may" and not (m.group("d1") or m.group("d2") or m.group("year")):
                    continue  # the modal verb
                if month_word in ("mar", "dec", "sep", "jan") and m.group("month")[0].islower():
                    continue
                if not m.group("month")[0].isupper() and not m.group("month").isupper():
                    continue
                month = self.months[month_word]
                day_text = m.group("d1") or m.group("d2")
                year = int(m.group("year")) if m.group("year") else None
                rel = (m.group("rel") or "").lower()
                start = (
                    m.start("rel")
                    if rel in self.relative_months
                    else (m.start("d1") if m.group("d1") else m.start("month"))
                )
                span = Span(start, m.end())
                if day_text:
                    day = int(day_text)
                    if not 1 <= day <= 31:
                        continue
                    if year is None and ref is not None:
                        year = ref.year
                    out.append(self._date_quantity(span, year, month, day))
                    continue
                if year is None and rel in self.relative_months and ref is not None:
                    shift = self.relative_months[rel]
                    year = ref.year
                    if shift < 0 and month >= ref.month:
                        year -= 1
                    elif shift > 0 and month <= ref.month:
                        year += 1
                if year is not None:
                    out.append(Quantity(span, float(year * 100 + month), "month"))
                else:
                    out.append(Quantity(span, float(month), "month-of-year"))
        if self.relative_day_re is not None:
            for m in self.relative_day_re.finditer(text):
                shift = self.relative_days[" ".join(m.group(0).lower().split())]
                span = Span(m.start(), m.end())
                if ref is not None:
                    when = ref + dt.timedelta(days=shift)
                    out.append(Quantity(span, float(when.toordinal()), "date"))
                else:
                    out.append(Quantity(span, float(shift), "relative-day"))
        return out

    @staticmethod
    def _date_quantity(span: Span, year: int | None, month: int, day: int) -> Quantity:
        if year is not None:
            try:
                return Quantity(span, float(dt.date(year, month, day).toordinal()), "date")
            except ValueError:
                pass
        return Quantity(span, float(month * 100 + day), "month-day")


_HALF_OF_TIME = re.compile(r"\b(?:first|second|last|latter|other|1st|2nd)\s+$", re.IGNORECASE)
# "38 votes to 29", "12 seats to 9": a bare number after "to" counts what the figure before
# it counts (a count of one plain noun: no scale, currency or duration to carry over)
_COUNT_TO = re.compile(r"\s+to\s+")
_PLAIN_COUNT = re.compile(r"\d+\s+[^\W\d_]+")


def _paired_units(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Quantities with the bare number of a tally given its first figure's unit."""
    out = list(quantities)
    for i in range(1, len(out)):
        first, second = out[i - 1], out[i]
        if (
            not second.unit
            and first.unit
            and first.unit not in CALENDAR_UNITS | {"hour"}
            and _PLAIN_COUNT.fullmatch(first.span.of(text))
            and _COUNT_TO.fullmatch(text[first.span.end : second.span.start])
            and re.fullmatch(r"\d+", second.span.of(text))
        ):
            out[i] = Quantity(second.span, second.value, first.unit, second.relation)
    return out


# Calendar quantities name a day or a year, not a count of anything.
CALENDAR_UNITS = frozenset(["date", "month-day", "month", "month-of-year", "year", "relative-day"])
# Units whose figures add up to a total a retelling may state alone ("$500 bln of bonds and
# $200 bln of mortgage securities" retold as "at least $700 billion"): amounts and counts,
# not rates, durations or dates.
NOT_ADDITIVE = CALENDAR_UNITS | {"percent", "percentage-point", "hour"}
# A claim states few figures of one unit; beyond this many, its sums would be coincidences.
_MOST_PARTS = 4


def part_totals(quantities: Sequence[Quantity]) -> list[tuple[float, str]]:
    """The sums of two or three of ``quantities`` (one claim's) in one additive unit: a total
    of its parts, which another claim may state instead of the parts ((value, unit) each)."""
    by_unit: dict[str, list[float]] = {}
    for q in quantities:
        if q.unit and q.unit not in NOT_ADDITIVE and q.value > 0:
            values = by_unit.setdefault(q.unit, [])
            if q.value not in values:
                values.append(q.value)
    out: list[tuple[float, str]] = []
    for unit, values in by_unit.items():
        if not 2 <= len(values) <= _MOST_PARTS:
            continue
        for k in (2, 3):
            for parts in itertools.combinations(values, k):
                total = round(sum(parts), 6)
                if total not in values and (total, unit) not in out:
                    out.append((total, unit))
    return out
