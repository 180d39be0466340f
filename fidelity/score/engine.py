"""The comparison of one derived article with its references: each claim's best counterpart in
every reference (and the sentence that alone states a figure none of them has), the pair
detectors on each pair, the agreement rule across references, the article detectors, and the
merge of divergences into findings and a fidelity score.

Fidelity score (documented in the README): the share of the article's checkable claims that
are supported, weighted by severity and by each finding's confidence. A checkable claim is one
compared with a counterpart, or one a finding is about (an addition no source supports). Each
counts ``1 - max(loss(severity) * confidence)`` over its findings (loss: high 1, medium 0.5,
low 0.2; informational findings cost nothing), and ``score = 100 * mean``: 100 with no finding,
90 when one claim of ten carries a sure high-severity finding.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from fidelity.align.features import normalise
from fidelity.extract.quantities import CALENDAR_UNITS, part_totals
from fidelity.score.base import (
    INFORMATIONAL,
    Category,
    Comparison,
    Divergence,
    Match,
    Pair,
    PairDetector,
    Severity,
    Signals,
)
from fidelity.score.config import ScoreConfig
from fidelity.score.detectors.headline import supported_elsewhere
from fidelity.score.lexical import content_lemmas_of, hedged_of, tokens_of
from fidelity.text.vocabulary import Vocabulary, vocabulary
from fidelity.types import Claim, Evidence, ExtractedArticle, Finding, Quantity, Span
from fidelity.types import Severity as SeverityName

# What a finding of each severity takes from its claim's support (a claim counts 1 when
# supported): a sure high-severity finding leaves nothing of it.
WEIGHTS: Mapping[str, float] = {Severity.HIGH: 1.0, Severity.MEDIUM: 0.5, Severity.LOW: 0.2}
_NAMES: Mapping[Severity, SeverityName] = {
    Severity.LOW: "low",
    Severity.MEDIUM: "medium",
    Severity.HIGH: "high",
}

# Figures that mark one fact of a story: amounts of money and counts of things, not rates,
# durations or dates (every sentence of a rate decision says "0.25 percent").
_MEASURES = frozenset(["percent", "percentage-point", "hour"])

# What a sentence compared for one figure is judged on: that figure and the time it names
# (the rest of a merged claim retells another sentence, whose words this one lacks).
_FIGURE_CATEGORIES = frozenset([Category.NUMBER_CHANGED, Category.TEMPORAL_CHANGED])

Partners = Mapping[str, Sequence[Match]]  # claim id -> every aligned claim (any article)


def compare_article(
    art: ExtractedArticle,
    refs: Sequence[ExtractedArticle],
    claims: Mapping[str, Claim],
    partners: Partners,
    strict: bool,
    config: ScoreConfig,
) -> tuple[list[Divergence], int]:
    """The divergences of ``art`` against ``refs`` and how many of its claims are checkable
    (compared with a counterpart, or the subject of a finding that counts)."""
    words = vocabulary(config.language)
    context = frozenset(lem for claim in art.claims for lem in content_lemmas_of(claim.text, words))
    ref_ids = {r.article.id for r in refs}
    matches = {
        c.id: best_counterparts(c, claims, partners, ref_ids, config.min_alignment)
        for c in art.claims
    }
    found: list[Divergence] = []
    checkable: set[str] = set()
    holders = figure_holders(refs)
    for claim in art.claims:
        best = matches[claim.id]
        if best:
            checkable.add(claim.id)
        if claim.kind == "headline":
            found.extend(_headline(claim, refs, best, claims, config, words, context))
            continue
        # Here a per-claim judgement ("is this claim supported by its counterparts?") would
        # sit beside the detectors: it sees the claim, every counterpart and their signals.
        per_ref = [
            compare_pair(Pair(claim, claims[other], words, context), signals, config.pair_detectors)
            for other, _, signals in best.values()
        ]
        agreed = agree(per_ref, strict, config.consensus_fraction)
        if strict and any(x.category in _FIGURE_CATEGORIES for x in agreed):
            aligned_ids = _aligned_ids(best)
            others = [c for r in refs for c in r.claims if c.id not in aligned_ids]
            agreed = [
                x
                for x in agreed
                if not (x.category in _FIGURE_CATEGORIES and _told_elsewhere(x, others, words))
            ]
        found.extend(agreed)
        # A claim that merges two source sentences ("rates cut to 0-0.25% and $700 billion of
        # bonds") aligns with one of them; the sentence that alone states its other figure is
        # compared as well. No other counterpart states that figure, so its pair alone judges it.
        aligned = [claims[o] for o, _, _ in best.values()]
        extra = figure_counterpart(claim, aligned, holders)
        if extra is not None:
            other, label = extra
            pair = Pair(claim, other, words, context)
            found.extend(
                x
                for x in compare_pair(pair, {"figure_counterpart": label}, config.pair_detectors)
                if x.category in _FIGURE_CATEGORIES and not _told_by(x, aligned)
            )
            checkable.add(claim.id)
    comparison = Comparison(
        art, refs, claims, matches, partners, strict, config.min_alignment, words
    )
    for detector in config.article_detectors:
        found.extend(detector.detect(comparison))
    checkable.update(d.derived.id for d in found if d.category not in INFORMATIONAL)
    return found, len(checkable)


def best_counterparts(
    claim: Claim,
    claims: Mapping[str, Claim],
    partners: Partners,
    ref_ids: set[str],
    min_alignment: float,
) -> dict[str, Match]:
    """The best-aligned claim in each reference article."""
    best: dict[str, Match] = {}
    for other, conf, signals in partners.get(claim.id, ()):
        if conf < min_alignment:
            continue
        art = claims[other].article_id
        if art in ref_ids and (art not in best or conf > best[art][1]):
            best[art] = (other, conf, signals)
    return best


def _figures(claim: Claim) -> set[tuple[str, float]]:
    """The figures a claim states with a unit (dates aside), and the totals of its parts."""
    out = {
        (q.unit, round(q.value, 6))
        for q in claim.quantities
        if q.unit and q.unit not in CALENDAR_UNITS
    }
    out.update((unit, round(value, 6)) for value, unit in part_totals(claim.quantities))
    return out


def figure_holders(refs: Sequence[ExtractedArticle]) -> dict[tuple[str, float], list[Claim]]:
    """Each figure the references state (``_figures``, headlines aside) and the claims stating
    it: built once per compared article, read for each of its claims."""
    holders: dict[tuple[str, float], list[Claim]] = {}
    for ref in refs:
        for c in ref.claims:
            if c.kind != "headline":
                for figure in _figures(c):
                    holders.setdefault(figure, []).append(c)
    return holders


def figure_counterpart(
    claim: Claim, counterparts: Sequence[Claim], holders: Mapping[tuple[str, float], list[Claim]]
) -> tuple[Claim, str] | None:
    """The reference claim that alone states a figure of ``claim`` (an amount or count, or a
    total of a reference claim's parts) that none of its aligned ``counterparts`` states, with
    the figure's label; ``None`` when there is none or when several reference claims state it
    (then the figure is common to the story, not the mark of one sentence). ``holders`` is
    ``figure_holders`` of the references."""
    if claim.kind == "headline":
        return None
    told = set().union(*(_figures(c) for c in counterparts)) if counterparts else set()
    mine = {f for f in _figures(claim) if f[0] not in _MEASURES} - told
    alone = sorted(
        (figure, holders[figure][0]) for figure in mine if len(holders.get(figure, ())) == 1
    )
    if not alone:
        return None
    (unit, value), other = alone[0]
    return other, f"{value:g} {unit}"


def _aligned_ids(best: Mapping[str, Match]) -> set[str]:
    """The ids of the claims in ``best_counterparts``' result."""
    return {other for other, _, _ in best.values()}


def _told_elsewhere(found: Divergence, others: Sequence[Claim], words: Vocabulary) -> bool:
    """Whether every figure a figure divergence marks in the derived claim is stated, in the
    claim's own words, by a source sentence it was not aligned with: a claim that merges two
    source sentences ("EPS rose to $3.69 and net interest income was $971 million") retells
    the other sentence's figure ("net interest income was $971 million"); that figure is no
    change of the aligned sentence's rival one ("$3.41"). The words around the figure in that
    sentence (its clause) must be mostly the claim's: "40 people were injured" does not
    state the 40 of "the storm killed 40 people"."""
    claim = found.derived
    marked = [q for q in claim.quantities if q.span in found.derived_marks]
    if not marked or len(marked) != len(found.derived_marks):
        return False
    mine = content_lemmas_of(claim.text, words)
    return all(
        any(_states_in_words(q, claim, other, mine, words) for other in others) for q in marked
    )


_CLAUSE_WORDS = 2  # content words a clause needs to tell what its figure counts
_CLAUSE_SHARE = 0.6  # share of them the claim must use ("40 people were injured": 1 of 2)
_CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]|\.(?:\s|$)|\b(?:and|but|while|whereas)\b")


def _states_in_words(
    q: Quantity, claim: Claim, other: Claim, mine: frozenset[str], words: Vocabulary
) -> bool:
    figure = normalise(q.span.of(claim.text))
    for rq in other.quantities:
        if rq.unit != q.unit or round(rq.value, 6) != round(q.value, 6):
            continue
        if normalise(rq.span.of(other.text)) != figure:
            continue
        # the clause the figure stands in, or its whole sentence when the clause is the
        # figure alone ("..., for just $480/month")
        start = max(
            (m.end() for m in _CLAUSE_END.finditer(other.text, 0, rq.span.start)), default=0
        )
        end_match = _CLAUSE_END.search(other.text, rq.span.end)
        end = end_match.start() if end_match else len(other.text)
        figure_words = content_lemmas_of(rq.span.of(other.text), words)
        around = content_lemmas_of(other.text[start:end], words) - figure_words
        if len(around) < _CLAUSE_WORDS:
            around = content_lemmas_of(other.text, words) - figure_words
        if len(around) >= _CLAUSE_WORDS and len(around & mine) >= _CLAUSE_SHARE * len(around):
            return True
    return False


def _told_by(found: Divergence, counterparts: Sequence[Claim]) -> bool:
    """Whether the words a divergence marks in the derived claim ("2027") are stated by one
    of its aligned counterparts: then they retell that sentence, not the figure's one."""
    marked = [normalise(m.of(found.derived.text)) for m in found.derived_marks]
    if not marked or not all(marked):
        return False
    texts = [f" {normalise(c.text)} " for c in counterparts]
    return all(any(f" {m} " in t for t in texts) for m in marked)


def compare_pair(
    pair: Pair, signals: Signals, detectors: Sequence[PairDetector]
) -> list[Divergence]:
    """Every pair detector's divergences, with the alignment's signals added to each."""
    out: list[Divergence] = []
    for detector in detectors:
        # A verbatim copy (wire relays are full of them) can still differ in what its context
        # gives it: who said it, dates read against another publication date, whether it
        # stands inside a running quotation. The detectors that read only the words skip it.
        if (detector.reads_words and pair.same_words) or (
            pair.headline and not detector.on_headlines
        ):
            continue
        out.extend(
            dataclasses.replace(x, signals={**signals, **(x.signals or {})})
            for x in detector.detect(pair)
        )
    return out


def agree(per_ref: list[list[Divergence]], strict: bool, fraction: float) -> list[Divergence]:
    """Keep a category only when enough counterparts disagree with the claim.

    Against sources (``strict``) a divergence counts only if no source supports the claim;
    in consensus mode, if more than ``fraction`` of the other outlets disagree.
    """
    if not per_ref:
        return []
    n = len(per_ref)
    seen: Counter[Category] = Counter()
    for found in per_ref:
        for cat in {r.category for r in found}:
            seen[cat] += 1
    keep = {cat for cat, k in seen.items() if (k == n if strict else k / n > fraction or n == 1)}
    out: list[Divergence] = []
    for found in per_ref:
        for r in found:
            if r.category in keep:
                out.append(r)
                keep.discard(r.category)  # one piece of evidence per category per claim
    return out


def _headline(
    headline: Claim,
    refs: Sequence[ExtractedArticle],
    best: Mapping[str, Match],
    claims: Mapping[str, Claim],
    config: ScoreConfig,
    words: Vocabulary,
    context: frozenset[str],
) -> Iterator[Divergence]:
    """The headline against its counterparts: what would be a divergence of a claim is
    reported as ``headline_unsupported`` (one per category)."""
    # Headlines are short and rarely align by wording: besides the aligned counterpart, take
    # the source sentence that shares most of the headline's content words.
    # A sentence stating the headline's figure comes first: the headline's "-0.5%" is held
    # to the sentence that has -0.50%, not to a wordier one about another rate.
    candidates: dict[str, Signals] = {other: dict(signals) for other, _, signals in best.values()}
    mine = content_lemmas_of(headline.text, words)
    if mine:
        ranked = sorted(
            (
                (_same_figures(headline, c), len(mine & content_lemmas_of(c.text, words)), c.id)
                for r in refs
                for c in r.claims
            ),
            reverse=True,
        )
        if ranked and (
            ranked[0][0] or ranked[0][1] >= max(config.headline_shared_words, len(mine) // 2)
        ):
            candidates.setdefault(ranked[0][2], {"shared_words": ranked[0][1]})
        # A headline often joins two facts ("Mayor backs rent cap as tens of thousands
        # march"), and the best-sharing sentence retells the other one: each further source
        # sentence that shares two of its content words is compared too, for a contradiction
        # of the words they share only (a direction swapped, a negation or hedge dropped).
        # One that shares a single word is compared for a direction word swapped after that
        # same word in both ("Neurovia shares slump" / "The company's shares rose 41%").
        extra: dict[str, Signals] = {
            cid: {"shared_words": n} for _, n, cid in ranked if n >= 1 and cid not in candidates
        }
        one_word = {cid for _, n, cid in ranked if n < config.headline_shared_words}
    else:
        extra, one_word = {}, set()
    seen: set[Category] = set()
    sources = [c for r in refs for c in r.claims]
    # a headline in question form ("Will the mayor back a rent cap?") asserts nothing that a
    # source could contradict or hedge
    question = headline.text.rstrip().endswith("?")
    for other, signals in [*candidates.items(), *extra.items()]:
        pair = Pair(headline, claims[other], words, context)
        for x in compare_pair(pair, signals, config.pair_detectors):
            if x.category in seen or supported_elsewhere(x, sources, words):
                continue
            if question and x.category in _ASSERTIONS:
                continue
            if _named_hedge(x) or (
                other in extra
                and not (
                    _same_subject(x, words) if other in one_word else _contradicts(x, mine, words)
                )
            ):
                continue
            seen.add(x.category)
            yield Divergence(
                Category.HEADLINE_UNSUPPORTED,
                x.severity,
                f"headline: {x.message} ({x.category.value.replace('_', ' ')})",
                headline,
                x.reference,
                x.derived_marks,
                x.reference_marks,
                detail=f"h:{x.detail}",
                signals={**(x.signals or {}), "divergence": x.category.value},
            )


# What a pair shows against an assertion of the headline (none in a question).
_ASSERTIONS = frozenset(
    [Category.ANTONYM_SWAPPED, Category.NEGATION_FLIPPED, Category.CERTAINTY_SHIFTED]
)


def _contradicts(found: Divergence, mine: frozenset[str], words: Vocabulary) -> bool:
    """Whether a divergence between a headline and a sentence that merely shares two of its
    words contradicts the headline's own words: a swapped direction or negation (judged on
    the words both use), or a hedge on a word of the headline ("could suspend new ... rental
    licences" for "to ban new short-term rentals"; not the "likely" of another figure)."""
    if found.category in (Category.ANTONYM_SWAPPED, Category.NEGATION_FLIPPED):
        return True
    if found.category != Category.CERTAINTY_SHIFTED or not found.detail.startswith(
        "hedge-dropped:"
    ):
        return False
    ref = found.reference
    if ref is None or not found.reference_marks:
        return False
    at = found.reference_marks[0].start
    figures = [q.span for q in ref.quantities]
    under = {
        lem
        for lem, tok in hedged_of(ref.text, words).items()
        if tok.start == at
        # the hedged word itself, not a figure's ("likely to drop to 7 million tonnes")
        and not any(
            t.lemma == lem and any(f.start <= t.start < f.end for f in figures)
            for t in tokens_of(ref.text, words)
        )
    }
    return bool(under & mine)


def _same_subject(found: Divergence, words: Vocabulary) -> bool:
    """Whether a swapped direction word follows the same word in the headline and in the
    sentence ("shares slump" / "shares rose"): the two say opposite things of one subject."""
    if found.category != Category.ANTONYM_SWAPPED or found.reference is None:
        return False
    if not found.derived_marks or not found.reference_marks:
        return False

    def before(text: str, at: int) -> str | None:
        tokens = [t for t in tokens_of(text[:at], words) if t.lower.isalpha()]
        return tokens[-1].lemma if tokens and tokens[-1].content else None

    mine = before(found.derived.text, found.derived_marks[0].start)
    return mine is not None and mine == before(found.reference.text, found.reference_marks[0].start)


def _named_hedge(found: Divergence) -> bool:
    """A hedge the counterpart writes capitalised within its sentence ("fell 4.2% in May"):
    a name, not the modal."""
    if found.category != Category.CERTAINTY_SHIFTED or found.reference is None:
        return False
    if not found.detail.startswith("hedge-dropped:") or not found.reference_marks:
        return False
    at = found.reference_marks[0].start
    return at > 0 and found.reference.text[at : at + 1].isupper()


def _same_figures(claim: Claim, other: Claim) -> int:
    """How many of ``claim``'s figures ``other`` states with the same value and unit."""
    theirs = {(q.unit, round(q.value, 6)) for q in other.quantities}
    return sum((q.unit, round(q.value, 6)) in theirs for q in claim.quantities if q.unit)


def to_findings(found: Sequence[Divergence]) -> list[Finding]:
    """Findings with stable ids (category, both claim ids, detail); repeats merged."""
    out: dict[str, Finding] = {}
    for r in found:
        key = "|".join(
            (r.category.value, r.derived.id, r.reference.id if r.reference else "-", r.detail)
        )
        fid = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        if fid in out:
            continue
        out[fid] = Finding(
            id=fid,
            category=r.category.value,
            severity=_NAMES[r.severity],
            message=r.message,
            derived=_evidence(r.derived, r.derived_marks),
            reference=_evidence(r.reference, r.reference_marks) if r.reference else None,
            signals=dict(r.signals or {}),
        )
    return list(out.values())


def finding_confidence(finding: Finding) -> float:
    """How sure the finding is, in (0, 1]: the ``confidence`` signal (for a finding between
    two claims, how surely they were aligned as one statement), else 1."""
    value = finding.signals.get("confidence")
    if isinstance(value, int | float) and not isinstance(value, bool) and 0.0 < value <= 1.0:
        return float(value)
    return 1.0


def fidelity_score(findings: Sequence[Finding], checkable: int) -> float:
    """The share of ``checkable`` claims that are supported, in percent (one decimal).

    A claim with findings counts ``1 - max(WEIGHTS[severity] * confidence)``; informational
    findings cost nothing. A flagged claim always counts among the checkable ones.
    """
    loss: dict[str, float] = {}
    for f in findings:
        if f.category in INFORMATIONAL:
            continue
        cost = WEIGHTS[f.severity] * finding_confidence(f)
        loss[f.derived.claim_id] = max(loss.get(f.derived.claim_id, 0.0), cost)
    n = max(checkable, len(loss), 1)
    return round(100.0 * (n - sum(loss.values())) / n, 1)


def _evidence(claim: Claim, marks: Sequence[Span]) -> Evidence:
    return Evidence(
        article_id=claim.article_id,
        claim_id=claim.id,
        span=claim.span,
        text=claim.text,
        highlight=tuple(sorted({m for m in marks if m.end <= len(claim.text)})),
    )
