"""Quotations: the words inside the marks changed, a paraphrase presented as a quote, or the
same words put in another speaker's mouth.

Not a change: a verbatim excerpt (one quote a contiguous stretch of the other, pieces split by
an ellipsis in order; either way round when the counterpart's is a fragment it trimmed), two
machine translations of one quote that keep its figures, negations and hedges (wording differs
between translations, not the statement), and a quote of another occasion ("Putin warned last
September ..."). An altered quote marks only the words inserted, deleted or changed.

Translations of one quote vary in wording, so between them (and between a quote and the
speaker's statement it quotes, where the statement has no quotation marks) what counts is a
word that bounds the commitment replaced by one of another class ("as long as possible" for
"as long as necessary", "some" for "all", "soon" for "immediately": ``quote_contrasts``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import ClassVar

from fidelity.score.base import Category, Comparison, Divergence, Pair, Severity
from fidelity.score.detectors.attribution import name_marks, other_occasion, speakers_differ
from fidelity.score.lexical import content_lemmas_of, normalised
from fidelity.text.vocabulary import Vocabulary
from fidelity.types import Claim, Quantity, Quote, Span


@dataclass(frozen=True, slots=True)
class QuoteDetector:
    name: ClassVar[str] = "quotes"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.QUOTE_ALTERED,
        Category.ATTRIBUTION_CHANGED,
        Category.ENTITY_SWAPPED,
    )
    reads_words: ClassVar[bool] = False
    on_headlines: ClassVar[bool] = True

    min_words: int = 3  # fewer words in quotation marks are scare quotes: framing, not a quote
    match_floor: float = 55.0  # token-set ratio at which two quotes are the same quotation
    same_quote_words: float = 0.5  # ... sharing more than this share of the shorter's words
    verbatim: float = 96.0  # ratio at or above which the words are the same
    # two translations of one quote that keep its figures, negations and hedges are the
    # same quote from this token ratio on (their wording differs, not the statement)
    translated_floor: float = 60.0
    paraphrase_min_words: int = 5  # a quote the counterpart only paraphrases: at least this long
    paraphrase_low: float = 50.0  # partial ratio of a paraphrase: at least this ...
    paraphrase_high: float = 90.0  # ... and under this (higher: the words are there verbatim)
    # ... and the counterpart must state the same thing: this share of the quote's content
    # words in it (else the pair is two sentences of the story, not a quote and its source)
    paraphrase_shared: float = 0.6

    def detect(self, pair: Pair) -> Iterator[Divergence]:
        from rapidfuzz import fuzz

        c, r, translated = pair.derived, pair.reference, pair.translated
        if other_occasion(c, r, pair.words):
            return  # a quote of another occasion is another quotation
        for q in c.quotes:
            words = normalised(q.span.of(c.text))
            if len(words.split()) < self.min_words:
                continue
            best: tuple[float, Quote | None] = (0.0, None)
            for candidate in r.quotes:
                their_words = normalised(candidate.span.of(r.text))
                if _shared_words(words, their_words) <= self.same_quote_words:
                    continue  # "coordinated military response" / "multi-tiered response"
                score = fuzz.token_set_ratio(words, their_words)
                if score > best[0]:
                    best = (score, candidate)
            score, rq = best[0], best[1]
            if rq is not None and score >= self.match_floor:
                ref_words = normalised(rq.span.of(r.text))
                ratio = fuzz.ratio(words, ref_words)
                swapped = contrast(words, ref_words, pair.words)
                meaning = changes_meaning(words, ref_words, pair.words.quote_negations) or swapped
                kept = not (meaning or hedges_differ(words, ref_words, pair.words))
                # in the same language the same words are the same words: a near-identical
                # quote that changed a word ("not committing" / "not pre-committing") is not
                kept = kept and (translated or not word_changed(words, ref_words, pair.words))
                if (
                    kept and ratio >= (self.translated_floor if translated else self.verbatim)
                ) or excerpt(q.span.of(c.text), rq.span.of(r.text), trimmed=rq.partial):
                    # Same words (or a trimmed excerpt): check who said them. A headline's
                    # speaker is left to the attribution of its body.
                    if (
                        not pair.headline
                        and q.speaker is not None
                        and rq.speaker is not None
                        and speakers_differ(q.speaker, rq.speaker, c, r, pair.words)
                    ):
                        yield Divergence(
                            Category.ATTRIBUTION_CHANGED,
                            Severity.HIGH,
                            f"quote attributed to {q.speaker.name}; the counterpart has "
                            f"{rq.speaker.name} saying it",
                            c,
                            r,
                            name_marks(c.text, q.speaker, pair.words) or (q.span,),
                            name_marks(r.text, rq.speaker, pair.words) or (rq.span,),
                            detail=f"quote-speaker:{q.speaker.name}|{rq.speaker.name}",
                        )
                    continue
                if translated and kept:
                    continue  # two translations of one quote differ in wording, not in fact
                mine, theirs = changed_words(c.text, q.span, r.text, rq.span)
                names = _names_swapped(c.text, q.span, mine, r.text, rq.span, theirs)
                if names is not None:
                    # the one change is a name for another: an entity swapped inside a quote
                    yield Divergence(
                        Category.ENTITY_SWAPPED,
                        Severity.HIGH,
                        f"the quote has “{names[0]}” where the counterpart's quote has "
                        f"“{names[1]}”",
                        c,
                        r,
                        mine,
                        theirs,
                        detail=f"quote-name:{names[0]}>{names[1]}",
                    )
                    continue
                yield Divergence(
                    Category.QUOTE_ALTERED,
                    Severity.HIGH if meaning else Severity.MEDIUM,
                    f"the quote says “{swapped[0]}” where the counterpart's quote says "
                    f"“{swapped[1]}”"
                    if swapped
                    else "the words inside the quotation marks differ from the counterpart's quote",
                    c,
                    r,
                    mine or (q.span,),
                    theirs or (rq.span,),
                    detail=f"quote:{words[:40]}",
                    signals={"quote_ratio": round(ratio, 1)},
                )
            elif (
                not r.quotes and not translated and len(words.split()) >= self.paraphrase_min_words
            ):
                # Quoted words the counterpart only paraphrases: paraphrase presented as quote.
                partial = fuzz.partial_ratio(words, normalised(r.text))
                quoted = content_lemmas_of(q.span.of(c.text), pair.words)
                shared = len(quoted & content_lemmas_of(r.text, pair.words)) / max(len(quoted), 1)
                if (
                    self.paraphrase_low <= partial < self.paraphrase_high
                    and shared >= self.paraphrase_shared
                ):
                    yield Divergence(
                        Category.QUOTE_ALTERED,
                        Severity.MEDIUM,
                        "presented as a direct quote, but the counterpart has these words only "
                        "as paraphrase",
                        c,
                        r,
                        (q.span,),
                        detail=f"paraphrase-as-quote:{words[:40]}",
                    )


@dataclass(frozen=True, slots=True)
class StatementQuoteDetector:
    """A quote of the speaker's own statement (a source sentence without quotation marks:
    the statement itself) in which a word that bounds the commitment was replaced. Any
    source sentence may be the one quoted, aligned with the quoting sentence or not: a
    sentence often quotes two of the statement's sentences."""

    name: ClassVar[str] = "statement-quotes"
    categories: ClassVar[tuple[Category, ...]] = (
        Category.QUOTE_ALTERED,
        Category.ATTRIBUTION_CHANGED,
        Category.ENTITY_SWAPPED,
    )

    min_words: int = 4  # content words a quote needs to be matched with a sentence
    # this share of the quote's content words in the sentence it quotes (a translation
    # rewords some of the rest)
    shared: float = 0.5
    # a paraphrase in quotation marks: the quote shares at least this share of its content
    # words with a statement sentence, a run of at least ``min_run`` of its words, and
    # states a figure no source sentence gives
    loose_share: float = 0.2
    min_run: int = 3

    def detect(self, comparison: Comparison) -> Iterator[Divergence]:
        if not comparison.strict:
            return  # other outlets' sentences are not the statement
        words = comparison.words
        sources = [c for r in comparison.references for c in r.claims if not c.quotes]
        quoting = [c for r in comparison.references for c in r.claims if c.quotes]
        for claim in comparison.article.claims:
            yield from self._quoted_elsewhere(claim, comparison, quoting)
            for q in claim.quotes:
                quoted = content_lemmas_of(q.span.of(claim.text), words)
                if len(quoted) < self.min_words:
                    continue
                best, top = None, self.shared
                for ref in sources:
                    share = len(quoted & content_lemmas_of(ref.text, words)) / len(quoted)
                    if share >= top:
                        best, top = ref, share
                if best is None:
                    composed = self._composed(claim, q, sources, quoted, words)
                    if composed is not None:
                        yield composed
                    continue
                swapped = contrast(normalised(q.span.of(claim.text)), normalised(best.text), words)
                if swapped is None:
                    continue
                yield Divergence(
                    Category.QUOTE_ALTERED,
                    Severity.HIGH,
                    f"the quote says “{swapped[0]}” where the statement it quotes says "
                    f"“{swapped[1]}”",
                    claim,
                    best,
                    find_word(claim.text, swapped[0], q.span) or (q.span,),
                    find_word(best.text, swapped[1], Span(0, len(best.text))),
                    detail=f"quote-word:{swapped[0]}>{swapped[1]}",
                    signals={"shared": round(top, 2)},
                )

    def _quoted_elsewhere(
        self, claim: Claim, comparison: Comparison, quoting: Sequence[Claim]
    ) -> Iterator[Divergence]:
        """A quote of a source sentence other than the one the claim is aligned with (a
        sentence that strings two quotes together is aligned with one of them): compared
        with the source quote it shares most words with, as the pair would be."""
        counterparts = [
            comparison.claims[m[0]]
            for m in (comparison.matches.get(claim.id) or {}).values()
            if m[0] in comparison.claims
        ]
        detector = QuoteDetector()
        for q in claim.quotes:
            mine = normalised(q.span.of(claim.text))
            if len(mine.split()) < detector.min_words or any(
                _shared_words(mine, normalised(rq.span.of(c.text))) > detector.same_quote_words
                for c in counterparts
                for rq in c.quotes
            ):
                continue  # the aligned counterpart holds it: the pair detectors compare them
            best: tuple[float, Claim | None] = (detector.same_quote_words, None)
            for c in quoting:
                for rq in c.quotes:
                    share = _shared_words(mine, normalised(rq.span.of(c.text)))
                    if share > best[0]:
                        best = (share, c)
            if best[1] is None:
                other = self._said_instead(claim, q, counterparts, comparison)
                if other is not None:
                    yield other
                continue
            pair = Pair(claim, best[1], comparison.words)
            for x in detector.detect(pair):
                if all(q.span.start <= m.start and m.end <= q.span.end for m in x.derived_marks):
                    yield x

    def _said_instead(
        self, claim: Claim, q: Quote, counterparts: Sequence[Claim], comparison: Comparison
    ) -> Divergence | None:
        """A quote no source holds (no source quote shares its words, no source sentence
        most of them), where the aligned counterpart quotes the same speaker saying
        something else: words given to the speaker in place of what they said."""
        from fidelity.score.detectors.unsupported import same_voice

        words = comparison.words
        quoted = content_lemmas_of(q.span.of(claim.text), words)
        if q.speaker is None or not quoted:
            return None  # (the caller has made sure the quote is no scare quote)
        if any(
            len(quoted & content_lemmas_of(c.text, words)) / len(quoted) >= self.shared
            for r in comparison.references
            for c in r.claims
        ):
            return None
        names = {n for n in (q.speaker.name, q.speaker.surface) if n}
        for c in counterparts:
            for rq in c.quotes:
                if rq.speaker is None or not any(
                    same_voice(n, m) for n in names for m in (rq.speaker.name, rq.speaker.surface)
                ):
                    continue
                said = rq.span.of(c.text).strip(" ,.")
                return Divergence(
                    Category.QUOTE_ALTERED,
                    Severity.MEDIUM,
                    f"presented as {q.speaker.name}'s words, but no source has them; the "
                    f"counterpart quotes {rq.speaker.name} saying “{said}”",
                    claim,
                    c,
                    (q.span,),
                    (rq.span,),
                    detail=f"quote-instead:{normalised(q.span.of(claim.text))[:40]}",
                )
        return None

    def _composed(
        self,
        claim: Claim,
        q: Quote,
        sources: Sequence[Claim],
        quoted: frozenset[str],
        words: Vocabulary,
    ) -> Divergence | None:
        """A paraphrase put in quotation marks: the quote shares a run of the statement's
        words ("spread and severity") but little else, and states figures the statement
        never gives (its own "more than 110,000" where the speaker said "118,000")."""
        own = [
            x
            for x in claim.quantities
            if q.span.start <= x.span.start < q.span.end
            and not any(_same_value(x, y) for s in sources for y in s.quantities)
        ]
        if not own:
            return None
        text = normalised(q.span.of(claim.text)).split()
        best: tuple[int, Claim | None, str] = (0, None, "")
        for source in sources:
            if len(quoted & content_lemmas_of(source.text, words)) / len(quoted) < self.loose_share:
                continue
            theirs = normalised(source.text).split()
            m = SequenceMatcher(None, text, theirs, autojunk=False).find_longest_match(
                0, len(text), 0, len(theirs)
            )
            common = theirs[m.b : m.b + m.size]
            if m.size > best[0] and sum(w not in words.stop_words for w in common) >= 2:
                best = (m.size, source, " ".join(common))
        size, ref, run = best
        if ref is None or size < self.min_run:
            return None
        figures = ", ".join(f"“{x.span.of(claim.text)}”" for x in own)
        return Divergence(
            Category.QUOTE_ALTERED,
            Severity.MEDIUM,
            f"presented as a direct quote, but of its words the statement has only “{run}”; "
            f"its figures ({figures}) are not the speaker's: a paraphrase in quotation marks",
            claim,
            ref,
            tuple(x.span for x in own),
            find_word(ref.text, run, Span(0, len(ref.text))),
            detail=f"paraphrase-as-quote:{run[:40]}",
        )


def _same_value(a: Quantity, b: Quantity) -> bool:
    return abs(a.value - b.value) <= 1e-9 * max(abs(a.value), abs(b.value), 1.0)


def _names_swapped(
    text: str,
    span: Span,
    mine: tuple[Span, ...],
    ref_text: str,
    ref_span: Span,
    theirs: tuple[Span, ...],
) -> tuple[str, str] | None:
    """The two names when the one change between two quotes is a capitalised name (not the
    quote's first word) for another ("to Leonding" / "to Pichling"), else None."""
    if len(mine) != 1 or len(theirs) != 1:
        return None
    a, b = mine[0].of(text), theirs[0].of(ref_text)
    if mine[0].start == span.start or theirs[0].start == ref_span.start:
        return None  # a sentence's first word is capitalised anyway
    if all(w[:1].isupper() for w in (a + " " + b).split()) and a.lower() != b.lower():
        return a, b
    return None


def word_changed(a: str, b: str, words: Vocabulary) -> bool:
    """Whether two quotes in one language (normalised) differ in a word other than a stop
    word, a contraction ("we're") or a spelling variant ("characterised" / "characterized",
    "program" / "programme")."""
    wa = {w for w in a.split() if w not in words.stop_words and "'" not in w}
    wb = {w for w in b.split() if w not in words.stop_words and "'" not in w}
    only_a, only_b = wa - wb, wb - wa
    return any(
        not any(_spelling(w, o) for o in others)
        for mine, others in ((only_a, only_b), (only_b, only_a))
        for w in mine
    )


def _spelling(a: str, b: str) -> bool:
    """Two spellings of one word: one letter apart, or one the other plus a short ending."""
    from rapidfuzz.distance import Levenshtein

    short, long = sorted((a, b), key=len)
    return Levenshtein.distance(a, b) <= 1 or (
        len(short) >= 5 and long.startswith(short) and len(long) - len(short) <= 2
    )


def contrast(a: str, b: str, words: Vocabulary) -> tuple[str, str] | None:
    """A word of ``a`` (normalised text) that bounds a commitment, and the word of another
    class of its family that ``b`` has instead ("possible", "necessary"), or None. Neither
    text may hold a word of the other's class: a quote that says both is not changed."""
    table = words.quote_contrasts
    mine = {w: table[w] for w in a.split() if w in table}
    theirs = {w: table[w] for w in b.split() if w in table}
    for w, (family, cls) in mine.items():
        if (family, cls) in theirs.values():
            continue
        for o, (f2, c2) in theirs.items():
            if f2 == family and c2 != cls and (f2, c2) not in mine.values():
                return w, o
    return None


def find_word(text: str, word: str, within: Span) -> tuple[Span, ...]:
    """Where ``word`` stands as a whole word inside ``within`` of ``text`` (case-insensitive)."""
    m = re.search(rf"\b{re.escape(word)}\b", within.of(text), re.IGNORECASE)
    return (Span(within.start + m.start(), within.start + m.end()),) if m else ()


def excerpt(a: str, b: str, *, trimmed: bool = False) -> bool:
    """Whether quote ``a`` (its words as written) is a verbatim excerpt of ``b`` after
    normalisation: a contiguous stretch of it, or stretches cut at an ellipsis that stand in
    it in order. With ``trimmed`` (the counterpart's quote is a fragment woven into its
    sentence) either way round: in consensus the outlet that trimmed may be the counterpart.
    A full quote of the counterpart's that ours extends is an addition, not an excerpt."""
    return _pieces_in(a, b) or (trimmed and _pieces_in(b, a))


def _pieces_in(short: str, long: str) -> bool:
    pieces = [normalised(p) for p in re.split(r"\.\.\.|…|\[\.\.\.\]", short)]
    pieces = [p for p in pieces if p]
    if not pieces:
        return False
    whole = f" {normalised(long)} "
    at = 0
    for piece in pieces:
        found = whole.find(f" {piece} ", at)
        if found < 0:
            return False
        at = found + len(piece) + 1
    return True


def _shared_words(a: str, b: str) -> float:
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / max(min(len(wa), len(wb)), 1)


def hedges_differ(a: str, b: str, words: Vocabulary) -> bool:
    """A hedge or weak modal on one side of two quotes only ("could be" / "will be")."""
    return bool((set(a.split()) ^ set(b.split())) & words.hedges)


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def changed_words(
    text: str, span: Span, ref_text: str, ref_span: Span
) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The words of each quote that the other lacks (inserted, deleted or changed), as spans
    into each claim text: what the editor should look at."""
    a = [
        (m.group(0).casefold(), m.start() + span.start, m.end() + span.start)
        for m in _WORD.finditer(span.of(text))
    ]
    b = [
        (m.group(0).casefold(), m.start() + ref_span.start, m.end() + ref_span.start)
        for m in _WORD.finditer(ref_span.of(ref_text))
    ]
    mine: list[Span] = []
    theirs: list[Span] = []
    matcher = SequenceMatcher(None, [w[0] for w in a], [w[0] for w in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            mine.append(Span(a[i1][1], a[i2 - 1][2]))
        if j2 > j1:
            theirs.append(Span(b[j1][1], b[j2 - 1][2]))
    return tuple(mine), tuple(theirs)


def changes_meaning(a: str, b: str, negations: frozenset[str]) -> bool:
    """A quote change that touches a number or a negation is a high-severity change."""
    diff = set(a.split()) ^ set(b.split())
    return any(w.isdigit() for w in diff) or bool(diff & negations)
