"""Polarity: a change stated in the opposite direction ("rose" -> "fell"), a word swapped for
its opposite ("approved" -> "rejected"), or a negation dropped or added on the same predicate,
judged on the words both claims share.

A direction of change is one of two classes (up: rose, climbed, firmed, "up 3 points"; down:
fell, slid, weakened, "down from 47.8%"), tied to the figure it moves ("rose 5.0%") or, with no
figure both claims state, to the words before it ("single-family starts"): a counterpart that
holds both classes for different figures or subjects is read figure by figure, and two words of
one class are paraphrases of each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar, NamedTuple

from fidelity.extract.quantities import CALENDAR_UNITS
from fidelity.score.base import Category, Comparison, Divergence, Pair, Severity
from fidelity.score.lexical import (
    Token,
    asserted_in,
    clause_index_of,
    content_lemmas_of,
    lemma_tokens_of,
    negated_in,
    negated_of,
    tokens_of,
)
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Span

_PUNCTUATION = frozenset('.;:!?()"“”«»„')
# Figures a change does not move: dates, and durations ("up three points from a month ago").
_NOT_MOVED = CALENDAR_UNITS | {"hour"}


class Direction(NamedTuple):
    """A word stating the direction of a change, with what it is tied to."""

    token: Token
    sign: int  # +1 up, -1 down
    figures: frozenset[tuple[str, float]]  # the figures it moves ("rose 5.0% to 1.3 million")
    subject: frozenset[str]  # content lemmas of what moves ("single-family starts rose")


@dataclass(frozen=True, slots=True)
class PolarityDetector:
    name: ClassVar[str] = "polarity"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.ANTONYM_SWAPPED,
        Category.NEGATION_FLIPPED,
        Category.TEMPORAL_CHANGED,
    )
    reads_words: ClassVar[bool] = True
    on_headlines: ClassVar[bool] = True

    # The negated and the asserted clause must state the same thing, not merely share a word
    # ("no library will close" is not the clause "12 libraries will have ..."): this share of
    # the larger clause's content words in common.
    same_clause: float = 0.5
    # How many content words before a direction word name what moves ("housing starts rose").
    subject_words: int = 3

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        c, r, words = pair.derived, pair.reference, pair.words
        ct, rt = tokens_of(c.text, words), tokens_of(r.text, words)
        c_lemmas, r_lemmas = lemma_tokens_of(c.text, words), lemma_tokens_of(r.text, words)
        reversed_ = self._reversed(c, r, words)
        if reversed_ is not None:
            yield reversed_
            return
        table = words.antonyms
        for lem, tok in c_lemmas.items():
            if lem in r_lemmas:
                continue
            for cand in (tok.lower, lem):
                opposite = [
                    o
                    for o in table.get(cand, ())
                    if (o in r_lemmas or any(t.lower == o for t in rt))
                    and o not in c_lemmas
                    # two directions of change are judged by what they move (``_reversed``)
                    and not (tok.lower in words.directions and _direction_word(o, rt, words))
                ]
                if opposite:
                    o = opposite[0]
                    rtok = r_lemmas.get(o) or next(t for t in rt if t.lower == o)
                    if _converse(ct, tok, words) or _converse(rt, rtok, words):
                        continue  # "AZ lost to Utrecht" / "Utrecht won"
                    yield Divergence(
                        Category.TEMPORAL_CHANGED
                        if cand in words.time_order  # before/after: a change of time
                        else Category.ANTONYM_SWAPPED,
                        Severity.HIGH,
                        f"“{tok.text}” where the counterpart says “{rtok.text}”",
                        c,
                        r,
                        (Span(tok.start, tok.end),),
                        (Span(rtok.start, rtok.end),),
                        detail=f"ant:{lem}|{o}",
                    )
                    return
        neg_c, neg_r = negated_of(c.text, words), negated_of(r.text, words)
        clauses_c, clauses_r = clause_index_of(c.text, words), clause_index_of(r.text, words)

        def same_clause(a: set[str] | None, b: set[str] | None) -> bool:
            if not a or not b:
                return False
            return len(a & b) / max(len(a), len(b)) >= self.same_clause

        for lem, negator in neg_r.items():
            here = asserted_in(lem, clauses_c)
            if here is not None and (
                same_clause(here, negated_in(lem, clauses_r))
                or _negator_inserted(rt, negator, lem, ct, neg_c, words)
            ):
                tok = c_lemmas.get(lem) or next(t for t in ct if t.lemma == lem)
                yield Divergence(
                    Category.NEGATION_FLIPPED,
                    Severity.HIGH,
                    f"“{tok.text}” is asserted here; the counterpart says "
                    f"“{negator.text} … {r_lemmas.get(lem, tok).text}”",
                    c,
                    r,
                    (Span(tok.start, tok.end),),
                    (Span(negator.start, negator.end),),
                    detail=f"neg-dropped:{lem}",
                )
                return
        for lem, negator in neg_c.items():
            there = asserted_in(lem, clauses_r)
            if there is not None and (
                same_clause(there, negated_in(lem, clauses_c))
                or _negator_inserted(ct, negator, lem, rt, neg_r, words)
            ):
                rtok = r_lemmas.get(lem) or next(t for t in rt if t.lemma == lem)
                yield Divergence(
                    Category.NEGATION_FLIPPED,
                    Severity.HIGH,
                    f"“{negator.text}” negates “{c_lemmas.get(lem, negator).text}”, which the "
                    "counterpart asserts",
                    c,
                    r,
                    (Span(negator.start, negator.end),),
                    (Span(rtok.start, rtok.end),),
                    detail=f"neg-added:{lem}",
                )
                return

    def _reversed(self, c: Claim, r: Claim, words: Vocabulary) -> Divergence | None:
        """A change the claim states in the direction opposite to its counterpart's for the
        same figure (or, with no figure in common, the same subject), when nothing in the
        counterpart states it in the claim's direction."""
        mine = directions(c, words, self.subject_words)
        if not mine:
            return None
        theirs = directions(r, words, self.subject_words)
        for d in mine:
            # the same figure, said of the same subject, or of one the counterpart words
            # otherwise ("the krone" / "the Danish currency"): a figure the counterpart gives
            # another subject while it says this one's ("Their support is up three points" /
            # "support is up one point, while the Liberals are down three") is not tied
            named = any(d.subject & t.subject for t in theirs)
            tied = [
                t for t in theirs if d.figures & t.figures and (d.subject & t.subject or not named)
            ]
            if not tied:
                # no figure in common: the same subject, unless each moves a figure of its own
                tied = [
                    t for t in theirs if d.subject & t.subject and not (d.figures and t.figures)
                ]
            if not tied or any(t.sign == d.sign for t in tied):
                continue
            t = tied[0]
            on = (
                "for the same figure"
                if d.figures & t.figures
                else f"about “{', '.join(sorted(d.subject & t.subject))}”"
            )
            return Divergence(
                Category.ANTONYM_SWAPPED,
                Severity.HIGH,
                f"“{d.token.text}” where the counterpart says “{t.token.text}”: "
                f"{_WAY[d.sign]} instead of {_WAY[t.sign]} {on}",
                c,
                r,
                (Span(d.token.start, d.token.end),),
                (Span(t.token.start, t.token.end),),
                detail=f"dir:{d.token.lower}|{t.token.lower}",
            )
        return None


_WAY = {1: "up", -1: "down"}
_TIED = ("dir:", "neg-")  # details of divergences tied to a figure, subject or predicate


def _converse(tokens: Sequence[Token], tok: Token, words: Vocabulary) -> bool:
    """Whether ``tok`` is a converse word naming the other side within the next three words
    ("lost 2-1 to Utrecht", "beaten by a rival"): its subject is the other side's object."""
    markers = words.converses.get(tok.lower)
    if not markers:
        return False
    at = next(k for k, t in enumerate(tokens) if t.start == tok.start)
    follow = tokens[at + 1 : at + 5]
    for k, t in enumerate(follow):
        if t.lower in _PUNCTUATION or t.lower == ",":
            return False
        if t.lower in markers:
            return k + 1 < len(follow) and follow[k + 1].text[:1].isupper()
    return False


def _direction_word(word: str, tokens: Sequence[Token], words: Vocabulary) -> bool:
    """Whether ``word`` is a direction word as some token of ``tokens`` writes it."""
    return any(t.lower in words.directions for t in tokens if word in (t.lemma, t.lower))


def directions(claim: Claim, words: Vocabulary, subject_words: int = 3) -> list[Direction]:
    """The words of ``claim`` that state a direction of change, each tied to its figures and
    subject. A negated one ("did not rise") and a refusal ("declined to comment") state none."""
    tokens = tokens_of(claim.text, words)
    negators = {t.start for t in negated_of(claim.text, words).values()}
    figures = [
        (q.span, (q.unit, round(q.value, 6))) for q in claim.quantities if q.unit not in _NOT_MOVED
    ]
    spans = [q.span for q in claim.quantities]  # a figure's words name no subject ("three")
    out = []
    for i, tok in enumerate(tokens):
        sign = words.directions.get(tok.lower)
        if sign is None:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if tok.lower in words.directions_before_figure and not (
            _figure_at(nxt, figures)
            or (nxt is not None and nxt.lower == "from" and _figure_at(after, figures))
        ):
            continue  # "set up", "stepped down from the board", "up to 10%": no change stated
        if (
            tok.lemma in words.negating_before_infinitive
            and nxt is not None
            and nxt.lower in words.infinitive_markers
            and after is not None
            and after.lower.isalpha()
        ):
            continue  # "declined to comment"
        if any(n < tok.start and _same_clause(tokens, n, tok.start, words) for n in negators):
            continue
        end = _clause_end(tokens, i, words)
        moved = frozenset(
            f
            for s, f in figures
            if tok.end <= s.start < end or (s.end <= tok.start and _adjacent(claim.text, s, tok))
        )
        out.append(Direction(tok, sign, moved, _subject(tokens, i, words, subject_words, spans)))
    return out


def _figure_at(tok: Token | None, figures: Sequence[tuple[Span, object]]) -> bool:
    """Whether a figure starts at ``tok`` (a number, or the words of a quantity)."""
    return tok is not None and (
        tok.lower[:1].isdigit() or any(s.start == tok.start for s, _ in figures)
    )


def _clause_end(tokens: Sequence[Token], i: int, words: Vocabulary) -> int:
    """Where the clause of the token at ``i`` ends (a character offset)."""
    for j in range(i + 1, len(tokens)):
        low = tokens[j].lower
        between_numbers = (
            low == ","
            and j + 1 < len(tokens)
            and tokens[j - 1].lower[:1].isdigit()
            and tokens[j + 1].lower[:1].isdigit()
        )
        if (low in _PUNCTUATION or low == "," or low in words.clause_joiners) and not (
            between_numbers
        ):
            return tokens[j].start
    return tokens[-1].end if tokens else 0


def _same_clause(tokens: Sequence[Token], start: int, end: int, words: Vocabulary) -> bool:
    """Whether no punctuation or clause joiner stands between two character offsets."""
    return not any(
        start < t.start < end and (t.lower in _PUNCTUATION or t.lower in words.clause_joiners)
        for t in tokens
    )


def _adjacent(text: str, span: Span, tok: Token) -> bool:
    """A figure written right before the word ("a 4% rise")."""
    return not text[span.end : tok.start].strip(" -")


def _subject(
    tokens: Sequence[Token], i: int, words: Vocabulary, size: int, figures: Sequence[Span] = ()
) -> frozenset[str]:
    """Content lemmas of what the direction word at ``i`` moves: up to ``size`` content words
    before it in its clause (commas do not end it: "turnout was 41.2%, down from ..."), and a
    content word right after it ("warmer temperatures")."""
    out: list[str] = []
    for j in range(i - 1, -1, -1):
        t = tokens[j]
        if t.lower in _PUNCTUATION or t.lower in words.scope_ends or len(out) >= size:
            break
        if _names(t, words, figures):
            out.append(t.lemma)
    if i + 1 < len(tokens) and _names(tokens[i + 1], words, figures):
        out.append(tokens[i + 1].lemma)
    return frozenset(out)


def _names(t: Token, words: Vocabulary, figures: Sequence[Span]) -> bool:
    """Whether a token can name what moves: a content word, not a direction word, not part
    of a figure."""
    return (
        t.content
        and t.lower not in words.directions
        and t.lemma not in words.stop_words
        and not any(s.start <= t.start < s.end for s in figures)
    )


def _negator_inserted(
    negating: Sequence[Token],
    negator: Token,
    lem: str,
    asserting: Sequence[Token],
    asserting_negated: dict[str, Token],
    words: Vocabulary,
) -> bool:
    """Whether the negation stands inside a phrase the other side says without it: "has
    pleaded not guilty" / "has pleaded guilty", "Telvia did not confirm" / "Telvia confirmed".
    The content word before the negator and the negated word must follow each other on the
    asserting side, and the word after, if any, must be said there too (so "would not cut
    jobs" is not "cut prices")."""
    content = [
        t for t in negating if t.content and t.lemma not in words.stop_words
    ]  # the phrase's content words, punctuation kept out
    at = next((k for k, t in enumerate(negating) if t.start == negator.start), None)
    if at is None or lem in asserting_negated:  # both sides negate it
        return False
    before = None
    for t in reversed(negating[:at]):
        if t.lower in _PUNCTUATION or t.lower == "," or t.lower in words.clause_joiners:
            break
        if t.content and t.lemma not in words.stop_words:
            before = t
            break
    if before is None or before.lemma in asserting_negated:
        return False
    negated_tok = next((t for t in negating[at + 1 :] if t.lemma == lem), None)
    if negated_tok is None:
        return False
    k = content.index(negated_tok)
    following = content[k + 1] if k + 1 < len(content) else None
    if following is not None and any(
        t.lower in _PUNCTUATION or t.lower == ","
        for t in negating
        if negated_tok.end <= t.start < following.start
    ):
        following = None  # the clause ends after the negated word
    seq = [
        t
        for t in asserting
        if (t.content and t.lemma not in words.stop_words)
        or t.lower in _PUNCTUATION
        or t.lower == ","
    ]
    said = {t.lemma for t in asserting if t.content}
    return any(
        a.lemma == before.lemma
        and b.lemma == lem
        and (following is None or following.lemma in said)
        for a, b in pairwise(seq)
    )


@dataclass(frozen=True, slots=True)
class OtherSentenceDetector:
    """A claim against the source sentences it was not compared with (it aligned with another
    sentence of the source, or with none): a claim that merges two source sentences ("slowed
    decline by 27%, according to results published in a journal") or words one so differently
    that the aligner misses it ("Bank details were also taken" / "..., but that no bank
    details or passwords were taken") can reverse what that sentence says. Only against
    sources (``check``, or a story with a source), and only where the two share most of their
    words: the pair rules of ``PolarityDetector`` then decide."""

    name: ClassVar[str] = "polarity_elsewhere"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.ANTONYM_SWAPPED,
        Category.NEGATION_FLIPPED,
    )

    shared_words: int = 2  # content words the claim and the sentence have in common, at least
    # ... and this share of the shorter one's content words (three words in common of a long
    # claim merging two sentences catch a few more, but fire on paraphrases four times as often)
    shared_share: float = 0.5

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        if not comparison.strict or not comparison.references:
            return
        words = comparison.words
        pairs = PolarityDetector()
        sentences = [c for r in comparison.references for c in r.claims if c.kind != "headline"]
        for claim in comparison.article.claims:
            if claim.kind == "headline":
                continue
            compared = {other for other, _, _ in comparison.matches.get(claim.id, {}).values()}
            if any(
                x.category in self.categories
                for other in compared
                for x in pairs.detect(Pair(claim, comparison.claims[other], words))
            ):
                continue  # the compared counterpart already says it
            mine = content_lemmas_of(claim.text, words)
            for sentence in sentences:
                if sentence.id in compared or sentence.text == claim.text:
                    continue
                theirs = content_lemmas_of(sentence.text, words)
                shared = len(mine & theirs)
                if shared < self.shared_words or shared < self.shared_share * min(
                    len(mine), len(theirs)
                ):
                    continue
                # a swapped word of the antonym table is tied to nothing ("cut" one rate,
                # "raising" another): only a direction tied to its figure or subject, or a
                # negation of the same predicate, holds against a sentence not aligned
                found = [
                    x
                    for x in pairs.detect(Pair(claim, sentence, words))
                    if x.category in self.categories and x.detail.startswith(_TIED)
                ]
                if found:
                    yield dataclasses.replace(
                        found[0],
                        message=f"{found[0].message} (a source sentence it was not aligned with)",
                        signals={"other_sentence": shared},
                    )
                    break
