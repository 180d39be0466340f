"""Headlines: a figure or loaded wording of the headline that neither the article's body nor
its references carry. (What the headline's counterparts contradict comes from the pair
detectors that run on headlines; the engine reports it as ``headline_unsupported`` too.)

A headline is held to the whole of its sources, not to one sentence: what one counterpart
seems to contradict is supported when another source sentence says it in the headline's
terms ("slash rates" in the wire's headline for "Fed slashes rate to zero"; "lower" for
"lowers"; "ECB" named elsewhere for "the Governing Council"), and a headline that says less
than a source (a softer word) claims nothing unsupported.

What only a headline does is checked against the sources as a whole (words in
``lexicons/score/headline.yaml``): it asserts what a source sentence denies, an absolute word
for the sources' limited one, one of two competing estimates as fact, "the first" for "one of
the first", a record in a wider history, a quote cut from its "not", a loser as the winner.
A headline in question form asserts none of these."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from fidelity.extract.quantities import CALENDAR_UNITS
from fidelity.score.base import Category, Comparison, Divergence, Severity
from fidelity.score.detectors.framing import outlet_framing, strongest
from fidelity.score.detectors.numbers import quantity_key, quantity_text
from fidelity.score.figures import same_quantity
from fidelity.score.lexical import (
    asserted_in,
    clause_index_of,
    content_lemmas_of,
    negated_in,
    negated_of,
    tokens_of,
)
from fidelity.text.packaged import packaged_lexicon
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Quantity, Span

_NAME_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class HeadlineDetector:
    name: ClassVar[str] = "headline"
    categories: ClassVar[tuple[Category, ...]] = (Category.HEADLINE_UNSUPPORTED,)

    tolerance: float = 0.01  # as the numbers detector's: a body figure this close supports it
    approximate_ratio: float = 0.75
    framing_level: int = 3  # a headline term at least this loaded is checked against the body
    framing_delta: int = 1  # escalation steps above the body's that count
    framing_high_step: int = 2  # ... and that make it high severity

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        art, refs = comparison.article, comparison.references
        body = [c for c in art.claims if c.kind != "headline"]
        # A reference's own headline is sourced too: a relayed "Fed cuts rates to 0%" is
        # supported by the wire's headline even when the wire's body words it otherwise.
        sourced = [c for r in refs for c in r.claims]
        support = body + sourced
        # Loaded wording is measured against the references: a body that repeats the
        # headline's "world war" (or escalates on its own) does not make it sourced. With no
        # reference, the body is all there is to hold the headline to.
        levels = _levels(sourced if refs else body)
        in_body = _levels(body)
        for headline in art.claims:
            if headline.kind != "headline":
                continue
            for q in headline.quantities:
                if (
                    q.unit
                    and not any(
                        same_quantity(q, sq, self.tolerance, self.approximate_ratio)
                        for s in support
                        for sq in s.quantities
                    )
                    and not worked_out(headline, q, support, art.article.published)
                ):
                    yield Divergence(
                        Category.HEADLINE_UNSUPPORTED,
                        Severity.HIGH,
                        f"the headline's “{quantity_text(headline, q)}” appears nowhere in the "
                        "body or sources",
                        headline,
                        None,
                        (q.span,),
                        detail=f"hq:{quantity_key(q)}",
                    )
            if not headline.text.rstrip().endswith("?"):  # a question claims nothing
                yield from _beyond_sources(headline, sourced if refs else body, comparison.words)
            for t in outlet_framing(headline):
                if t.level < self.framing_level:
                    continue
                step = t.level - levels.get(t.concept, 0)
                if step >= self.framing_delta:
                    top = strongest(sourced or body, t.concept)
                    where = (
                        "the sources say (the body words it as strongly)"
                        if refs and in_body.get(t.concept, 0) >= t.level
                        else "the body and sources say"
                    )
                    yield Divergence(
                        Category.HEADLINE_UNSUPPORTED,
                        Severity.HIGH if step >= self.framing_high_step else Severity.MEDIUM,
                        f"the headline's “{t.term}” goes beyond what {where}",
                        headline,
                        top,
                        (t.span,),
                        tuple(x.span for x in top.framing if x.concept == t.concept) if top else (),
                        detail=f"hframe:{t.concept}",
                    )


def _levels(claims: list[Claim]) -> dict[str, int]:
    """The most loaded level of each framing concept the claims use."""
    levels: dict[str, int] = {}
    for c in claims:
        for t in c.framing:
            levels[t.concept] = max(levels.get(t.concept, 0), t.level)
    return levels


def supported_elsewhere(found: Divergence, sources: Sequence[Claim], words: Vocabulary) -> bool:
    """Whether a pair detector's divergence between a headline and one counterpart is
    answered by the sources as a whole: a softer word than the source's (the headline says
    less), loaded wording a source uses as strongly, a word (or one with the same opposite:
    "lower" / "cut") a source uses for what the counterpart seems to contradict, a negation a
    source sentence makes too, a name the sources carry elsewhere; or by the headline itself,
    hedged in its own words where the counterpart hedges."""
    kind, _, rest = found.detail.partition(":")
    if kind == "soften":
        return True
    if kind in ("frame", "frame-added"):
        concept, _, level = rest.partition(":")
        need = int(level.partition(">")[0] or 0)
        return any(t.concept == concept and t.level >= need for c in sources for t in c.framing)
    if kind == "ant":
        lem = rest.partition("|")[0]
        opposites = words.antonyms.get(lem, frozenset())
        same = {lem} | {w for w, opp in words.antonyms.items() if opp & opposites}
        return any(
            same & {t.lemma for t in tokens} or same & {t.lower for t in tokens}
            for tokens in (tokens_of(c.text, words) for c in sources)
        )
    if kind == "rel" and rest.split(":")[1:2] == ["exact"] and found.derived_marks:
        # a compound modifier ("a 72-hour response") names a length, not that it is exact
        return bool(_COMPOUND.search(found.derived_marks[0].of(found.derived.text)))
    if kind in ("hedge-dropped", "modal-dropped"):
        # a headline that hedges in its own words ("Webb spots possible water vapour") does
        # not state it as fact
        own = {t.lower for t in tokens_of(found.derived.text, words)}
        return any(w in words.hedges or f"{w[:-1]}y" in words.hedges for w in own)
    if kind == "neg-added":
        # a source sentence negates the same thing ("No metro ..." / "metro trains will not run")
        return any(negated_in(rest, clause_index_of(c.text, words)) is not None for c in sources)
    if kind == "ent" and found.derived_marks:
        named = {
            w.lower() for w in _NAME_WORD.findall(found.derived_marks[0].of(found.derived.text))
        }
        return any(named & {w.lower() for w in _NAME_WORD.findall(c.text)} for c in sources)
    return False


_COMPOUND = re.compile(r"\d-[^\W\d_]+")
_CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
_SINCE_YEAR = re.compile(r"\bsince\s+(?:[^\W\d_]+\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
_HOURS_A_YEAR = 8760.0


def worked_out(
    headline: Claim, q: Quantity, support: Sequence[Claim], published: str | None
) -> bool:
    """Whether a headline's figure is no figure ("in a week") or one the support states in
    another form that arithmetic turns into it: a duration between two clock times of one
    sentence ("five hours" / "from 11:00 to 16:00"), or the years since a year the sentence
    names, counted from the article's date ("six-year low" / "the lowest since June 2020")."""
    surface = q.span.of(headline.text).strip().lower()
    if not any(ch.isdigit() for ch in surface) and surface.split()[:1] in (["a"], ["an"]):
        return True
    if q.unit != "hour":
        return False
    for claim in support:
        times = [int(h) * 60 + int(m) for h, m in _CLOCK.findall(claim.text)]
        if any(
            abs((b - a) / 60 - q.value) < 1e-6 for i, a in enumerate(times) for b in times[i + 1 :]
        ):
            return True
    years = q.value / _HOURS_A_YEAR
    if published and years.is_integer() and published[:4].isdigit():
        since = (int(y) for c in support for y in _SINCE_YEAR.findall(c.text))
        return any(int(published[:4]) - y == years for y in since)
    return False


# ------------------------------------------------------------------ what only headlines do


@dataclass(frozen=True, slots=True)
class Overstatement:
    """A headline's absolute wording (``claim``) that sources state in a limited form
    (``limits``), and what the headline does, for the message (``why``)."""

    name: str
    claim: re.Pattern[str]
    limits: re.Pattern[str]
    why: str
    anywhere: bool = False  # a limit counts in any source sentence, not only one on its subject


@dataclass(frozen=True, slots=True)
class HeadlineWords:
    """The headline words of one language (``lexicons/score/headline.yaml``); empty where the
    lexicon has none for it."""

    relatives: tuple[frozenset[str], ...] = ()
    carriers: frozenset[str] = frozenset()
    undeniable: frozenset[str] = frozenset()
    overstatements: tuple[Overstatement, ...] = ()
    estimates: re.Pattern[str] | None = None
    estimate_joins: re.Pattern[str] | None = None
    attributions: re.Pattern[str] | None = None
    won: re.Pattern[str] | None = None
    beat: re.Pattern[str] | None = None
    lost: re.Pattern[str] | None = None
    ranks: re.Pattern[str] | None = None
    members: re.Pattern[str] | None = None
    scope: re.Pattern[str] | None = None


_FILE = "score/headline.yaml"


def _whole(terms: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(terms) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=16)
def headline_words(language: str) -> HeadlineWords:
    """The headline words of ``language`` (empty when the lexicon has no entry for it)."""
    data = packaged_lexicon(_FILE)

    def entry(section: str) -> object:
        return (data.get(section) or {}).get(language)

    relatives = tuple(
        frozenset(str(w) for w in group) for group in map(_seq, _seq(entry("relatives")))
    )
    overstatements = tuple(
        Overstatement(
            str(g["name"]),
            _whole([str(t) for t in _seq(g["claim"])]),
            _whole([str(t) for t in _seq(g["limits"])]),
            str(g["why"]),
            bool(g.get("anywhere", False)),
        )
        for g in _seq(entry("overstatements"))
        if isinstance(g, dict)
    )
    ranks = entry("ranks")
    outcomes = entry("outcomes")
    won, beat, lost = (
        _whole([str(t) for t in _seq(outcomes.get(k))]) if isinstance(outcomes, dict) else None
        for k in ("won", "beat", "lost")
    )
    estimates, attributions = _seq(entry("estimates")), _seq(entry("attributions"))
    return HeadlineWords(
        relatives,
        frozenset(str(w) for w in _seq(entry("carriers"))),
        frozenset(str(w) for w in _seq(entry("undeniable"))),
        overstatements,
        _whole([str(t) for t in estimates]) if estimates else None,
        re.compile(str(entry("estimate_joins"))) if entry("estimate_joins") else None,
        _whole([str(t) for t in attributions]) if attributions else None,
        won,
        beat,
        lost,
        _whole([str(t) for t in _seq(ranks["words"])]) if isinstance(ranks, dict) else None,
        _whole([str(t) for t in _seq(ranks["members"])]) if isinstance(ranks, dict) else None,
        re.compile(str(ranks["scope"]), re.IGNORECASE)
        if isinstance(ranks, dict) and ranks.get("scope")
        else None,
    )


def _seq(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _beyond_sources(
    headline: Claim, sources: Sequence[Claim], words: Vocabulary
) -> Iterator[Divergence]:
    """What a headline claims beyond its sources as a whole: what a source sentence denies,
    an absolute word for a limited one, one of several competing figures as fact, "the first"
    for "one of the first"."""
    hw = headline_words(words.language)
    yield from _denied(headline, sources, words, hw)
    yield from _overstated(headline, sources, words, hw)
    yield from _one_estimate(headline, sources, hw)
    yield from _ranked(headline, sources, words, hw)
    yield from _quote_cut(headline, sources, words)
    yield from _widened_record(headline, sources, words, hw)
    yield from _loser_won(headline, sources, hw)


_DENIAL_REACH = 3  # tokens after a negator that it denies in a source sentence
_DERIVED_ENDINGS = ("ation", "ion", "ment", "al", "ance", "ence", "ure")


def _related(a: str, b: str, hw: HeadlineWords) -> bool:
    """Whether two lemmas state one thing: the same, a noun made from the verb ("cancel" /
    "cancellation", "confirm" / "confirmation"), or one group of the lexicon's relatives."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 5:
        stem = short[:-1] if short.endswith("e") else short
        if long.startswith(stem):
            rest = long[len(stem) :]
            if rest in _DERIVED_ENDINGS or (rest[:1] == stem[-1:] and rest[1:] in _DERIVED_ENDINGS):
                return True
    return any(a in g and b in g for g in hw.relatives)


def _denied(
    headline: Claim, sources: Sequence[Claim], words: Vocabulary, hw: HeadlineWords
) -> Iterator[Divergence]:
    """The headline asserts what a source sentence denies ("Vermeulen pleads guilty" / "has
    pleaded not guilty"; "three children dead" / "no deaths have been reported") and no source
    sentence asserts it: one finding, on the first such word."""
    index = clause_index_of(headline.text, words)
    mine = [
        t
        for t in tokens_of(headline.text, words)
        if t.content and asserted_in(t.lemma, index) is not None
    ]
    if not mine:
        return
    cues = words.negate_one | words.negate_phrase
    indexes = [clause_index_of(s.text, words) for s in sources]
    for s in sources:
        tokens = tokens_of(s.text, words)
        for lem, negator in negated_of(s.text, words).items():
            if negator.lower not in cues or lem in hw.undeniable:
                continue
            # the word the negator stands before ("not guilty", "no deaths", "not a
            # cancellation"), not one further on in its scope ("cannot tell us whether the
            # benefit")
            at = next(i for i, t in enumerate(tokens) if t.start == negator.start)
            near = tokens[at + 1 : at + 1 + _DENIAL_REACH]
            said = next((t for t in near if t.lemma == lem), None)
            if said is None:
                continue
            denial = f"{negator.text} … {said.text}"
            if lem in hw.carriers:
                # "does not mention a transition": the object is what is denied
                after = at + 2 + near.index(said)
                obj = next(
                    (
                        t
                        for t in tokens[after : after + _DENIAL_REACH]
                        if t.content and t.lemma not in hw.undeniable
                    ),
                    None,
                )
                if obj is None:
                    continue
                lem, said, denial = obj.lemma, obj, f"{denial} … {obj.text}"
            tok = next((t for t in mine if _related(t.lemma, lem, hw)), None)
            if tok is None or any(
                not negative and any(_related(x, lem, hw) for x in lemmas)
                for ix in indexes
                for lemmas, negative in ix
            ):
                continue
            yield Divergence(
                Category.HEADLINE_UNSUPPORTED,
                Severity.HIGH,
                f"the headline asserts “{tok.text}”; the source says “{denial}”",
                headline,
                s,
                (Span(tok.start, tok.end),),
                (Span(negator.start, negator.end), Span(said.start, said.end)),
                detail=f"hdenied:{lem}",
            )
            return


def _anchored(headline: Claim, other: Claim, words: Vocabulary) -> bool:
    """Whether a source sentence is about something the headline names: a content word or a
    name in common ("Alzheimer's")."""
    if content_lemmas_of(headline.text, words) & content_lemmas_of(other.text, words):
        return True
    names = {w.lower() for w in _NAME_WORD.findall(headline.text) if w[:1].isupper()}
    return bool(names & {w.lower() for w in _NAME_WORD.findall(other.text)} - words.stop_words)


def _stated(pattern: re.Pattern[str], text: str, words: Vocabulary) -> bool:
    """Whether ``text`` states ``pattern``'s wording: a match that no negation, condition or
    hedge just before it turns into a denial or a possibility ("if convicted")."""
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        clause = re.split(r"[,;:]", before)[-1]
        lowered = {t.lower for t in tokens_of(clause, words)}
        if not lowered & (
            words.negate_one
            | words.negate_phrase
            | words.hedges
            | frozenset(c.lower() for c in words.conditions)
        ):
            return True
    return False


def _overstated(
    headline: Claim, sources: Sequence[Claim], words: Vocabulary, hw: HeadlineWords
) -> Iterator[Divergence]:
    """The headline's absolute wording where the sources state a limited form and none the
    absolute one ("stops Alzheimer's in its tracks" / "slowed cognitive decline by 27%";
    "convicted" / "charged"; "surge into clear lead" / "within the margin of error")."""
    for group in hw.overstatements:
        m = group.claim.search(headline.text)
        if m is None or any(_stated(group.claim, s.text, words) for s in sources):
            continue
        for s in sources:
            limit = group.limits.search(s.text)
            if limit is None or not (group.anywhere or _anchored(headline, s, words)):
                continue
            yield Divergence(
                Category.HEADLINE_UNSUPPORTED,
                Severity.MEDIUM,
                f"the headline's “{m.group(0)}” {group.why}: “{limit.group(0)}”",
                headline,
                s,
                (Span(m.start(), m.end()),),
                (Span(limit.start(), limit.end()),),
                detail=f"hover:{group.name}",
            )
            break


def _one_estimate(
    headline: Claim, sources: Sequence[Claim], hw: HeadlineWords
) -> Iterator[Divergence]:
    """A figure the headline states as fact that a source gives as one of two competing
    estimates ("80,000 march" / "Organisers put the turnout at 80,000; police estimated it at
    25,000"). A headline that says whose figure it is ("organisers say") is silent."""
    if hw.estimates is None or (hw.attributions and hw.attributions.search(headline.text)):
        return
    for q in headline.quantities:
        if q.unit in CALENDAR_UNITS or q.value < 2:
            continue
        for s in sources:
            same = [x for x in s.quantities if x.value == q.value and _units_meet(x.unit, q.unit)]
            other = [
                x
                for x in s.quantities
                if _units_meet(x.unit, q.unit)
                and x.unit not in CALENDAR_UNITS
                and min(x.value, q.value) > 0
                and max(x.value, q.value) / min(x.value, q.value) >= 1.2
            ]
            if not same or not other or not hw.estimates.search(s.text):
                continue
            if hw.estimate_joins is None or not hw.estimate_joins.search(
                s.text[
                    min(same[0].span.end, other[0].span.end) : max(
                        same[0].span.start, other[0].span.start
                    )
                ]
            ):
                continue  # one statement with two figures ("up from 30,000"), not two estimates
            yield Divergence(
                Category.HEADLINE_UNSUPPORTED,
                Severity.MEDIUM,
                f"the headline states “{quantity_text(headline, q)}” as fact; the source gives "
                f"it as one of two estimates, “{same[0].span.of(s.text)}” and "
                f"“{other[0].span.of(s.text)}”",
                headline,
                s,
                (q.span,),
                (same[0].span, other[0].span),
                detail=f"hestimate:{quantity_key(q)}",
            )
            return


def _units_meet(a: str, b: str) -> bool:
    """Two units that may count one thing: the same, or one of them bare ("80,000")."""
    return a == b or not a or not b


def _ranked(
    headline: Claim, sources: Sequence[Claim], words: Vocabulary, hw: HeadlineWords
) -> Iterator[Divergence]:
    """A rank the headline gives alone ("First atmosphere found") where a source ranks it one
    among others ("one of the first atmospheres detected") and none ranks it alone."""
    if hw.ranks is None or hw.members is None:
        return
    mine = content_lemmas_of(headline.text, words)
    for m in hw.ranks.finditer(headline.text):
        rank = m.group(0).lower()
        after = re.compile(rf"\b{re.escape(rank)}\s+([^\W\d_]+)", re.IGNORECASE)
        member, alone = None, False
        for s in sources:
            for a in after.finditer(s.text):
                noun = tokens_of(a.group(1), words)
                if not noun or noun[0].lemma not in mine:
                    continue
                offset = max(0, a.start() - 20)
                group = hw.members.search(s.text[offset : a.start()])
                if group is not None:
                    member = member or (s, Span(offset + group.start(), a.end()))
                else:
                    alone = True
        if member is not None and not alone:
            s, span = member
            yield Divergence(
                Category.HEADLINE_UNSUPPORTED,
                Severity.MEDIUM,
                f"the headline's “{m.group(0)}” ranks it alone; the source says it is one of "
                f"several: “{span.of(s.text)}”",
                headline,
                s,
                (Span(m.start(), m.end()),),
                (span,),
                detail=f"hrank:{rank}",
            )
            return


# words in quotation marks (an apostrophe within a word, "Sporting's", opens none)
_QUOTED = re.compile(r"(?:^|(?<=[\s:(]))[‘'“\"]([^‘’'“”\"]{8,})[’'”\"](?=$|[\s,.:;!?)])")


def _quote_cut(
    headline: Claim, sources: Sequence[Claim], words: Vocabulary
) -> Iterator[Divergence]:
    """Words the headline quotes that a source gives after a negation of the speaker's own
    ("Nair: 'this budget is painless'" / "we cannot pretend this budget is painless"): the
    quote cut from its "not" says the opposite."""
    cues = words.negate_one | words.negate_phrase
    for m in _QUOTED.finditer(headline.text):
        quoted = m.group(1).strip(" .,")
        pattern = re.compile(r"\b" + re.escape(quoted) + r"\b", re.IGNORECASE)
        for s in sources:
            found = pattern.search(s.text)
            if found is None:
                continue
            before = tokens_of(s.text[: found.start()], words)[-4:]
            negator = next((t for t in reversed(before) if t.lower in cues), None)
            if negator is None:
                return  # quoted as the source gives it
            yield Divergence(
                Category.HEADLINE_UNSUPPORTED,
                Severity.HIGH,
                f"the headline quotes “{quoted}”; the source has “{negator.text} … {quoted}”",
                headline,
                s,
                (Span(m.start(1), m.end(1)),),
                (Span(negator.start, negator.end), Span(found.start(), found.end())),
                detail="hquote-cut",
            )
            return


def _widened_record(
    headline: Claim, sources: Sequence[Claim], words: Vocabulary, hw: HeadlineWords
) -> Iterator[Divergence]:
    """A rank set in a wider history than the sources' ("most expensive player in Portuguese
    football history" / "the most expensive sale in Sporting's history")."""
    if hw.ranks is None or hw.scope is None:
        return
    mine = _record(headline.text, hw, words)
    if mine is None:
        return
    theirs = [(s, r) for s in sources if (r := _record(s.text, hw, words)) is not None]
    if not theirs or any(r[1] & mine[1] for _, r in theirs):
        return
    s, (span, _) = theirs[0]
    yield Divergence(
        Category.HEADLINE_UNSUPPORTED,
        Severity.MEDIUM,
        f"the headline sets the record in “{mine[0].of(headline.text)}”; the source in "
        f"“{span.of(s.text)}”",
        headline,
        s,
        (mine[0],),
        (span,),
        detail="hrecord-scope",
    )


def _record(text: str, hw: HeadlineWords, words: Vocabulary) -> tuple[Span, frozenset[str]] | None:
    """The span of a rank's history in ``text`` ("in Sporting's history") and its words."""
    assert hw.ranks is not None and hw.scope is not None
    for rank in hw.ranks.finditer(text):
        m = hw.scope.search(text, rank.end(), rank.end() + 80)
        if m is None:
            continue
        scope = m.group("scope")
        named = {t.lemma for t in tokens_of(scope, words) if t.content} | {
            w.lower() for w in _NAME_WORD.findall(scope)
        }
        return Span(m.start(), m.end()), frozenset(named)
    return None


_CAPITALISED = re.compile(r"(?:\b[A-Z][\w-]*\s+){1,3}$")


def _loser_won(
    headline: Claim, sources: Sequence[Claim], hw: HeadlineWords
) -> Iterator[Divergence]:
    """A winner in the headline whom the sources name only as the loser ("AZ lift Dutch
    Cup" / "Utrecht won the cup, beating AZ Alkmaar 2-1")."""
    if hw.won is None or hw.beat is None or hw.lost is None:
        return
    for m in hw.won.finditer(headline.text):
        subject = _CAPITALISED.search(headline.text[: m.start()])
        if subject is None:
            continue
        name = subject.group(0).split()[-1]
        named = re.escape(name)
        gap = r"\s+(?:[\w-]+\s+){0,2}?"
        won = re.compile(rf"\b{named}\b{gap}(?:{hw.won.pattern})", re.IGNORECASE)
        beaten = re.compile(
            rf"(?i:{hw.beat.pattern}){gap}{named}\b|\b{named}\b{gap}(?i:{hw.lost.pattern})"
        )
        if any(won.search(s.text) for s in sources):
            return
        for s in sources:
            loss = beaten.search(s.text)
            if loss is None:
                continue
            yield Divergence(
                Category.HEADLINE_UNSUPPORTED,
                Severity.HIGH,
                f"the headline has {name} “{m.group(0)}”; the source names {name} as the loser: "
                f"“{loss.group(0)}”",
                headline,
                s,
                (Span(subject.start(), m.end()),),
                (Span(loss.start(), loss.end()),),
                detail=f"hlost:{name.lower()}",
            )
            return
        return
