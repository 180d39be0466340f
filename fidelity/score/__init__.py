"""Stage 6, score: aligned claims in, typed findings and per-outlet fidelity scores out.

Each derived claim is compared with its counterparts (the reference article's, the sources' in
``check``, or every other outlet's for the consensus mode). A divergence becomes a ``Finding``
with a category, a severity, both spans and the signals behind it. Equivalences that the extract
stage normalised (72 hours = three days, Kiev = Kyiv) never produce a finding.

Fidelity score (documented in the README): with ``P`` the sum of severity weights of an
article's findings (high 6, medium 3, low 1) and ``n`` the number of its claims that were
compared, ``score = 100 * 2n / (2n + P)``: 100 with no finding, about 70 when a 20-claim
article carries three high-severity findings.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from fidelity.parallel import run_pieces
from fidelity.score.lexical import (
    CAVEATS,
    Token,
    asserted_in,
    clause_index_of,
    clauses,
    content_lemmas_of,
    hedge_count,
    hedged_of,
    lemma,
    lemma_tokens_of,
    lower_tokens_of,
    negated_in,
    negated_of,
    tokens_of,
)
from fidelity.types import (
    SEVERITY_RANK,
    AlignmentResult,
    Claim,
    Evidence,
    ExtractedArticle,
    FidelityScore,
    Finding,
    Marker,
    Quantity,
    Quote,
    Severity,
    Span,
)

CATEGORIES = (
    "quote_altered",
    "number_changed",
    "temporal_changed",
    "attribution_changed",
    "certainty_shifted",
    "negation_flipped",
    "antonym_swapped",
    "entity_swapped",
    "framing_shifted",
    "omission",
    "unsupported_addition",
    "headline_unsupported",
)
WEIGHTS: dict[str, float] = {"high": 6.0, "medium": 3.0, "low": 1.0}
_TEMPORAL_WORDS = frozenset({"before", "after", "earlier", "later", "since", "until"})
_WORD = re.compile(r"[\w’'-]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class ScoreConfig:
    """Thresholds of the scoring stage (recorded in every result's signature)."""

    min_alignment: float = 0.45  # weaker alignments are not compared
    consensus_fraction: float = 0.5  # consensus mode: share of counterparts that must disagree
    certainty_delta: float = 0.25  # certainty change that counts as a shift
    quote_verbatim: float = 96.0  # rapidfuzz ratio at or above which quotes are the same
    quote_translated_floor: float = 60.0  # looser floor when either side was translated
    framing_delta: int = 1  # escalation steps that count as a framing shift

    def as_dict(self) -> dict[str, float]:
        return {f"score.{k}": float(getattr(self, k)) for k in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class _Raw:
    """One divergence between a derived claim and one counterpart, before merging."""

    category: str
    severity: Severity
    message: str
    derived: Claim
    reference: Claim | None
    derived_marks: tuple[Span, ...] = ()
    reference_marks: tuple[Span, ...] = ()
    detail: str = ""
    signals: Mapping[str, Any] | None = None


# Below this many (claim, compared article) pairs in all, workers cost more than they save.
_PARALLEL_CLAIM_PAIRS = 10_000


@lru_cache(maxsize=1)
def _antonyms() -> dict[str, frozenset[str]]:
    text = resources.files("fidelity.score").joinpath("antonyms.yaml").read_text("utf-8")
    table: dict[str, set[str]] = defaultdict(set)
    for a, b in yaml.safe_load(text)["pairs"]:
        table[a.lower()].add(b.lower())
        table[b.lower()].add(a.lower())
    return {k: frozenset(v) for k, v in table.items()}


def score_articles(
    extracted: Sequence[ExtractedArticle],
    alignment: AlignmentResult,
    *,
    reference_id: str | None = None,
    draft_id: str | None = None,
    config: ScoreConfig | None = None,
    jobs: int = 1,
) -> tuple[tuple[Finding, ...], tuple[FidelityScore, ...]]:
    """Find divergences and score every article that is compared with something.

    Args:
        extracted: articles with their claims.
        alignment: the align stage's result (stories, pairwise alignments).
        reference_id: score every other article against this one.
        draft_id: ``check`` mode: score this article against all the others (its sources).
        config: thresholds.
        jobs: worker processes for a large corpus (0: one per CPU); the result is the same.

    Returns:
        ``(findings, scores)``; findings most severe first.
    """
    config = config or ScoreConfig()
    claims = {c.id: c for a in extracted for c in a.claims}
    by_article = {a.article.id: a for a in extracted}
    story_of = {aid: s for s in alignment.stories for aid in s.article_ids}
    partners: dict[str, list[tuple[str, float, Mapping[str, Any]]]] = defaultdict(list)
    for al in alignment.alignments:
        if al.confidence < config.min_alignment:
            continue
        signals: dict[str, Any] = {
            "confidence": round(al.confidence, 3),
            "fuzzy": round(al.fuzzy, 1),
        }
        if al.cosine is not None:
            signals["cosine"] = round(al.cosine, 3)
        if al.anchors:
            signals["anchors"] = list(al.anchors)
        partners[al.left].append((al.right, al.confidence, signals))
        partners[al.right].append((al.left, al.confidence, signals))

    def refs_of(art: ExtractedArticle) -> tuple[tuple[str, ...], bool] | None:
        """The articles ``art`` is scored against and whether strictly, or None."""
        aid = art.article.id
        story = story_of.get(aid)
        if story is None or len(story.article_ids) < 2:
            return None
        if draft_id is not None:
            if aid != draft_id:
                return None
            return tuple(x for x in story.article_ids if x != aid), True
        if reference_id is not None:
            if aid == reference_id or reference_id not in story.article_ids:
                return None
            return (reference_id,), True
        return tuple(x for x in story.article_ids if x != aid), False

    todo = [(art, how) for art in extracted if (how := refs_of(art)) is not None]

    def score_one(
        job: tuple[ExtractedArticle, tuple[tuple[str, ...], bool]],
    ) -> tuple[list[Finding], FidelityScore]:
        art, (refs, strict) = job
        ref_articles = [by_article[r] for r in refs if r in by_article]
        raw, compared = _compare_article(art, ref_articles, claims, partners, strict, config)
        article_findings = _to_findings(raw)
        penalty = sum(WEIGHTS[f.severity] for f in article_findings)
        n = max(compared, 1)
        score = 100.0 * (2 * n) / (2 * n + penalty)
        counts = Counter(f.category for f in article_findings)
        return article_findings, FidelityScore(
            article_id=art.article.id,
            outlet=art.article.label,
            score=round(score, 1),
            counts={c: counts.get(c, 0) for c in CATEGORIES},
            compared_with=refs,
        )

    done = run_pieces(
        score_one,
        todo,
        jobs=jobs,
        weights=[len(art.claims) * len(refs) for art, (refs, _) in todo],
        min_weight=_PARALLEL_CLAIM_PAIRS,
    )
    findings = [f for article_findings, _ in done for f in article_findings]
    scores = [score for _, score in done]
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.category, f.id))
    return tuple(findings), tuple(scores)


# ------------------------------------------------------------------------------- per article

_TIME_UNITS = frozenset({"hour", "minute", "second"})
_DATE_UNITS = frozenset({"date", "month-day", "month", "month-of-year", "year", "relative-day"})
# Weak hedges and modals: the words whose loss makes a claim more certain. "would" and
# "should" are left out: reported speech turns "will" into "would" without hedging.
_HEDGES = frozenset(
    [
        "reportedly",
        "allegedly",
        "alleged",
        "purportedly",
        "purported",
        "supposedly",
        "apparently",
        "ostensibly",
        "seemingly",
        "unconfirmed",
        "unverified",
        "rumoured",
        "rumored",
        "perhaps",
        "possibly",
        "probably",
        "likely",
        "unlikely",
        "presumably",
        "could",
        "may",
        "might",
        "tentative",
        "tentatively",
        "preliminary",
    ]
)
# Caveats that qualify a whole report: an editor insists they survive a retelling.
_VERIFICATION_CAVEAT = re.compile(
    r"\b(?:could not|cannot|can't|was unable to|were unable to|unable to|did not|has not|"
    r"have not|had not)\s+(?:yet\s+)?(?:be(?:en)?\s+)?(?:independently\s+)?"
    r"(?:verif\w*|confirm\w*|corroborat\w*|publish\w*|peer[- ]review\w*)"
    r"|\b(?:disputes?|disputed|denie[sd]|deny)\b"
    r"|\bno (?:evidence|proof)\b"
    r"|\b(?:preliminary|unofficial|provisional) (?:results?|figures?|data|count)\b",
    re.IGNORECASE,
)
_GENERIC_SPEAKERS = frozenset(
    [
        "officials",
        "official",
        "sources",
        "source",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ministry",
        "government",
        "company",
        "firm",
        "group",
        "union",
        "council",
        "office",
        "police",
        "authorities",
        "statement",
        "report",
        "agency",
        "bank",
        "newspaper",
        "outlet",
        "analysts",
        "experts",
        "residents",
        "people",
        "president",
        "minister",
        "chief",
        "leader",
    ]
)


def _compare_article(
    art: ExtractedArticle,
    refs: Sequence[ExtractedArticle],
    claims: Mapping[str, Claim],
    partners: Mapping[str, list[tuple[str, float, Mapping[str, Any]]]],
    strict: bool,
    config: ScoreConfig,
) -> tuple[list[_Raw], int]:
    context = {lem for claim in art.claims for lem in content_lemmas_of(claim.text)}
    ref_ids = {r.article.id for r in refs}
    ref_values = {round(q.value, 3) for r in refs for c in r.claims for q in c.quantities}
    ref_text = " ".join(c.text for r in refs for c in r.claims).lower()
    raw: list[_Raw] = []
    compared = 0
    for claim in art.claims:
        best = _best_counterparts(claim, claims, partners, ref_ids, config)
        if claim.kind == "headline":
            raw.extend(_headline(claim, art, refs, best, claims, config, context))
            continue
        if not best:
            if strict and not _reworded(claim, refs):
                raw.extend(_unsupported(claim, ref_values))
            continue
        compared += 1
        per_ref = [
            _compare_pair(claim, claims[other], dict(signals), config, context)
            for other, _, signals in best.values()
        ]
        raw.extend(_agree(per_ref, strict, config))
        if strict:
            raw.extend(
                _new_numbers(claim, [claims[o] for o, _, _ in best.values()], ref_values, ref_text)
            )
    if strict:
        raw.extend(_omitted_claims(art, refs, claims, partners, config))
    return raw, compared


def _best_counterparts(
    claim: Claim,
    claims: Mapping[str, Claim],
    partners: Mapping[str, list[tuple[str, float, Mapping[str, Any]]]],
    ref_ids: set[str],
    config: ScoreConfig,
) -> dict[str, tuple[str, float, Mapping[str, Any]]]:
    """The best-aligned claim in each comparison article (headlines only match headlines'
    peers when nothing else does)."""
    best: dict[str, tuple[str, float, Mapping[str, Any]]] = {}
    for other, conf, signals in partners.get(claim.id, ()):
        if conf < config.min_alignment:
            continue
        art = claims[other].article_id
        if art in ref_ids and (art not in best or conf > best[art][1]):
            best[art] = (other, conf, signals)
    return best


def _agree(per_ref: list[list[_Raw]], strict: bool, config: ScoreConfig) -> list[_Raw]:
    """Keep a category only when enough counterparts disagree with the claim.

    Against sources (``strict``) a divergence counts only if no source supports the claim;
    in consensus mode, if more than ``consensus_fraction`` of the other outlets disagree.
    """
    if not per_ref:
        return []
    n = len(per_ref)
    seen: Counter[str] = Counter()
    for found in per_ref:
        for cat in {r.category for r in found}:
            seen[cat] += 1
    keep = {
        cat
        for cat, k in seen.items()
        if (k == n if strict else k / n > config.consensus_fraction or n == 1)
    }
    out: list[_Raw] = []
    for found in per_ref:
        for r in found:
            if r.category in keep:
                out.append(r)
                keep.discard(r.category)  # one piece of evidence per category per claim
    return out


def _compare_pair(
    c: Claim,
    r: Claim,
    signals: dict[str, Any],
    config: ScoreConfig,
    context: set[str] | None = None,
) -> list[_Raw]:
    out: list[_Raw] = []
    translated = c.status != "original" or r.status != "original"
    ct, rt = tokens_of(c.text), tokens_of(r.text)  # memoised by text
    # A verbatim copy (wire relays are full of them) can still differ in what its context
    # gives it: who said it, dates read against another publication date, whether it stands
    # inside a running quotation. The checks that read only the words are skipped for it.
    same_words = c.text == r.text
    out.extend(_quotes(c, r, config, translated))
    out.extend(_numbers(c, r))
    if not same_words:
        out.extend(_times(c, r, ct, rt))
    out.extend(_attribution(c, r))
    if not same_words:
        out.extend(_polarity(c, r, ct, rt))
        out.extend(_certainty(c, r, ct, rt, config))
        out.extend(_entities(c, r))
    out.extend(_framing(c, r, config))
    if not same_words:
        out.extend(_dropped_clauses(c, r, ct, rt, context or set()))
    return [
        _Raw(
            x.category,
            x.severity,
            x.message,
            x.derived,
            x.reference,
            x.derived_marks,
            x.reference_marks,
            x.detail,
            {**signals, **(x.signals or {})},
        )
        for x in out
    ]


# ------------------------------------------------------------------------------ comparisons


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold().replace("’", "'")))


def _quotes(c: Claim, r: Claim, config: ScoreConfig, translated: bool) -> list[_Raw]:
    from rapidfuzz import fuzz

    out: list[_Raw] = []
    for q in c.quotes:
        words = _norm(q.span.of(c.text))
        if len(words.split()) < 3:
            continue  # scare quotes around a phrase are framing, not a quotation
        best: tuple[float, Quote | None] = (0.0, None)
        for rq in r.quotes:
            score = fuzz.token_set_ratio(words, _norm(rq.span.of(r.text)))
            if score > best[0]:
                best = (score, rq)
        score, best_quote = best
        if best_quote is not None and score >= 55:
            rq = best_quote
            ref_words = _norm(rq.span.of(r.text))
            ratio = fuzz.ratio(words, ref_words)
            floor = config.quote_translated_floor if translated else config.quote_verbatim
            if ratio >= floor or words in ref_words:
                # Same words (or a trimmed excerpt): check who said them.
                if (
                    q.speaker is not None
                    and rq.speaker is not None
                    and _speakers_differ(q.speaker, rq.speaker, c, r)
                ):
                    out.append(
                        _Raw(
                            "attribution_changed",
                            "high",
                            f"quote attributed to {q.speaker.name}; the counterpart has "
                            f"{rq.speaker.name} saying it",
                            c,
                            r,
                            (q.span,),
                            (rq.span,),
                            detail=f"quote-speaker:{q.speaker.name}|{rq.speaker.name}",
                        )
                    )
                continue
            if translated:
                continue  # two translations of one quote differ in wording, not in fact
            severity: Severity = "high" if _changes_meaning(words, ref_words) else "medium"
            out.append(
                _Raw(
                    "quote_altered",
                    severity,
                    "the words inside the quotation marks differ from the counterpart's quote",
                    c,
                    r,
                    (q.span,),
                    (rq.span,),
                    detail=f"quote:{words[:40]}",
                    signals={"quote_ratio": round(ratio, 1)},
                )
            )
        elif not r.quotes and not translated and len(words.split()) >= 5:
            # Quoted words the counterpart only paraphrases: paraphrase presented as quote.
            partial = fuzz.partial_ratio(words, _norm(r.text))
            if 50 <= partial < 90:
                out.append(
                    _Raw(
                        "quote_altered",
                        "medium",
                        "presented as a direct quote, but the counterpart has these words only "
                        "as paraphrase",
                        c,
                        r,
                        (q.span,),
                        detail=f"paraphrase-as-quote:{words[:40]}",
                    )
                )
    return out


def _changes_meaning(a: str, b: str) -> bool:
    """A quote change that touches a number or a negation is a high-severity change."""
    wa, wb = set(a.split()), set(b.split())
    diff = wa ^ wb
    negations = {"not", "no", "never", "n't", "nothing", "none", "without"}
    return any(w.isdigit() for w in diff) or bool(diff & negations)


def _qkey(q: Quantity) -> tuple[float, str]:
    return (round(q.value, 3), q.unit)


def _same_quantity(a: Quantity, b: Quantity) -> bool:
    if a.unit != b.unit:
        return False
    if a.value == b.value:
        return True
    big = max(abs(a.value), abs(b.value))
    if big and abs(a.value - b.value) / big <= 0.01:
        return True
    if a.approximate or b.approximate:
        # "thousands" vs 5,000; "about 70" vs 72: the same order of magnitude, within 25%.
        lo, hi = sorted((abs(a.value), abs(b.value)))
        if hi > 0 and lo / hi >= 0.75:
            return True
    # A bound is consistent with a figure inside it: "over a year" and "18 months",
    # "up to 70 million" and "62 million".
    for bound, other in ((a, b), (b, a)):
        if other.relation not in ("exact", "about"):
            continue  # two bounds ("at least 12" / "at least 40") must agree on the figure
        if bound.relation in ("at-least", "beyond") and other.value >= bound.value:
            return True
        if bound.relation == "up-to" and other.value <= bound.value:
            return True
    return False


def _qtext(claim: Claim, q: Quantity) -> str:
    return q.span.of(claim.text)


def _by_unit(quantities: Iterable[Quantity]) -> dict[str, list[Quantity]]:
    grouped: dict[str, list[Quantity]] = defaultdict(list)
    for q in quantities:
        grouped[q.unit].append(q)
    return grouped


def _numbers(c: Claim, r: Claim) -> list[_Raw]:
    out: list[_Raw] = []
    # Quantities of different units never match: compare within a unit only, and take an
    # exact figure as matched without a scan (a list of figures made this quadratic).
    c_by_unit = _by_unit(c.quantities)
    r_by_unit = _by_unit(r.quantities)
    c_exact = {(q.unit, q.value) for q in c.quantities}
    unmatched_r = [
        rq
        for rq in r.quantities
        if (rq.unit, rq.value) not in c_exact
        and not any(_same_quantity(q, rq) for q in c_by_unit.get(rq.unit, ()))
    ]
    for q in c.quantities:
        rq = next((rq for rq in r_by_unit.get(q.unit, ()) if _same_quantity(q, rq)), None)
        if rq is not None:
            if (
                q.unit in _TIME_UNITS
                and q.relation != rq.relation
                and {q.relation, rq.relation} & {"within", "after", "before", "beyond"}
            ):
                out.append(
                    _Raw(
                        "temporal_changed",
                        "high",
                        f"“{_qtext(c, q)}” ({q.relation}) where the counterpart has "
                        f"“{_qtext(r, rq)}” ({rq.relation})",
                        c,
                        r,
                        (q.span,),
                        (rq.span,),
                        detail=f"rel:{_qkey(q)}:{q.relation}:{rq.relation}",
                    )
                )
            continue
        unit = _unit(c, q)
        if not unit:
            continue  # a bare number with nothing after it cannot be paired with confidence
        rivals = [rq for rq in unmatched_r if _unit(r, rq) == unit]
        if len(rivals) != 1:
            continue  # none, or several candidates: no safe pairing
        digits = re.sub(r"\D", "", _qtext(c, q))
        if digits and re.search(rf"(?<!\d){digits}(?!\d)", re.sub(r"[,\s]", "", r.text)):
            continue  # the counterpart has this figure too ("34th minute", "1,200")
        rq = rivals[0]
        temporal = q.unit in _DATE_UNITS
        out.append(
            _Raw(
                "temporal_changed" if temporal else "number_changed",
                "high",
                f"“{_qtext(c, q)}” where the counterpart has “{_qtext(r, rq)}”",
                c,
                r,
                (q.span,),
                (rq.span,),
                detail=f"num:{_qkey(q)}:{_qkey(rq)}",
            )
        )
    return out


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_RELATIVE = re.compile(
    r"\b(last|this|next|previous|coming|past)\s+(week|month|year|season|spring|summer|autumn|"
    r"fall|winter|weekend)\b|\b(yesterday|today|tomorrow|tonight)\b|\b(first|second) half\b",
    re.IGNORECASE,
)
_ORDER = {
    "before": "after",
    "after": "before",
    "earlier": "later",
    "later": "earlier",
    "until": "since",
    "since": "until",
}


_WEEKDAY_RE = re.compile(rf"\b(?:{'|'.join(_WEEKDAYS)})\b", re.IGNORECASE)
_MONTH_RE = re.compile(rf"\b(?:{'|'.join(m for m in _MONTHS if m != 'may')})\b", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _time_marks(text: str) -> tuple[frozenset[str], ...]:
    """Years, weekdays, months ("May" left out: a modal too) and relative times in ``text``."""
    return (
        frozenset(_YEAR.findall(text)),
        frozenset(m.group().lower() for m in _WEEKDAY_RE.finditer(text)),
        frozenset(m.group().lower() for m in _MONTH_RE.finditer(text)),
        frozenset(m.group().lower() for m in _RELATIVE.finditer(text)),
    )


def _times(c: Claim, r: Claim, ct: Sequence[Token], rt: Sequence[Token]) -> list[_Raw]:
    """Dates, weekdays, months, relative times and before/after that differ between the two.

    Only a difference on both sides counts (this side names a time the counterpart lacks and
    the counterpart names one this side lacks): adding or dropping a time is not a change.
    """
    mine_marks, their_marks = _time_marks(c.text), _time_marks(r.text)
    candidates = [
        (mine_marks[k], their_marks[k], kind)
        for k, kind in enumerate(("year", "weekday", "month", "relative time"))
    ]
    for mine, theirs, kind in candidates:
        extra, missing = mine - theirs, theirs - mine
        if extra and missing:
            a, b = sorted(extra)[0], sorted(missing)[0]
            return [
                _Raw(
                    "temporal_changed",
                    "high",
                    f"{kind} “{a}” where the counterpart has “{b}”",
                    c,
                    r,
                    _find_all(c.text, a)[:1],
                    _find_all(r.text, b)[:1],
                    detail=f"time:{kind}:{a}|{b}",
                )
            ]
    c_words, r_words = lower_tokens_of(c.text), lower_tokens_of(r.text)
    for word, opposite in _ORDER.items():
        if (
            word in c_words
            and opposite in r_words
            and word not in r_words
            and (opposite not in c_words)
        ):
            # The same anchor must follow both words ("after 2015" / "before 2015").
            tok_a, tok_b = c_words[word], r_words[opposite]
            after_a = c.text[tok_a.end : tok_a.end + 25].split()[:2]
            after_b = r.text[tok_b.end : tok_b.end + 25].split()[:2]
            if after_a and after_a == after_b:
                return [
                    _Raw(
                        "temporal_changed",
                        "high",
                        f"“{tok_a.text} {' '.join(after_a)}” where the counterpart has "
                        f"“{tok_b.text} {' '.join(after_b)}”",
                        c,
                        r,
                        (Span(tok_a.start, tok_a.end),),
                        (Span(tok_b.start, tok_b.end),),
                        detail=f"order:{word}|{opposite}",
                    )
                ]
    return []


def _unit(claim: Claim, q: Quantity) -> str:
    """The quantity's unit, or for a bare number the word that follows it ("12 workers")."""
    if q.unit:
        return q.unit
    m = re.match(r"\s+(?:of\s+)?([^\W\d_]{3,})", claim.text[q.span.end :])
    return f"word:{lemma(m.group(1).lower())}" if m else ""


@lru_cache(maxsize=65536)
def _name_tokens(name: str) -> frozenset[str]:
    from fidelity.text.translit import name_key

    return frozenset(
        name_key(w)
        for w in re.findall(r"[^\W\d_]{3,}", name)
        if w.lower() not in _GENERIC_SPEAKERS and w[0].isupper()
    )


def _named(speaker: Any) -> bool:
    return speaker.kind != "anonymous" and bool(_name_tokens(speaker.surface or speaker.name))


def _speakers_differ(a: Any, b: Any, ca: Claim, cb: Claim) -> bool:
    """Two speakers that are certainly different sources (not two names for one)."""
    if a.kind == "anonymous" or b.kind == "anonymous":
        # Anonymous sources against a named speaker is a change; two anonymous ones are not.
        return (a.kind == "anonymous") != (b.kind == "anonymous") and (_named(a) or _named(b))
    if not (_named(a) and _named(b)):
        return False  # "the ministry" and "Maria Zakharova" may be the same source
    ta = _name_tokens(a.name) | _name_tokens(a.surface or "")
    tb = _name_tokens(b.name) | _name_tokens(b.surface or "")
    for via in (*a.via, *b.via):
        ta |= _name_tokens(via) if via in b.name or b.name in via else frozenset()
    if ta & tb:
        return False
    # Either name written in the other claim means both claims name both people.
    text_a, text_b = ca.text.lower(), cb.text.lower()
    return not (
        any(w.lower() in text_b for w in _proper_words(a.surface))
        or any(w.lower() in text_a for w in _proper_words(b.surface))
    )


def _proper_words(text: str) -> list[str]:
    """Capitalised words of a name (not "foreign", "ministry", ...)."""
    return [
        w
        for w in re.findall(r"[^\W\d_]{3,}", text)
        if w[0].isupper() and w.lower() not in _GENERIC_SPEAKERS
    ]


_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them", "we", "i"})
_SOURCE_WORDS = re.compile(r"\b(?:sources?|familiar|insiders?|people|persons?|according)\b", re.I)


def _mid_sentence(surface: str, claim: Claim) -> str:
    """An anonymous source's words as they read inside a sentence: "Three people familiar
    with the matter" -> "three people ...". Only the capital the sentence start gave it goes;
    a name's (an entity of the claim starts there: "Kremlin sources") or an acronym's stays."""
    first = surface.split(" ", 1)[0]
    at = claim.text.find(surface)
    if (
        not (first[:1].isupper() and first[1:].islower())
        or at < 0
        or claim.text[:at].strip(" \"'“‘«„(")
        or any(e.span.start == at for e in claim.entities)
    ):
        return surface
    return first.lower() + surface[len(first) :]


def _inferred(speaker: Any) -> bool:
    """A speaker found by resolving a pronoun: too uncertain to call a change on."""
    return (speaker.surface or "").strip().lower() in _PRONOUNS


def _attribution(c: Claim, r: Claim) -> list[_Raw]:
    ca, ra = c.attribution, r.attribution
    if (ca is not None and _inferred(ca)) or (ra is not None and _inferred(ra)):
        return []
    if ca is not None and ra is not None:
        if not _speakers_differ(ca, ra, c, r):
            return []
        return [
            _Raw(
                "attribution_changed",
                "high" if "person" in (ca.kind, ra.kind) else "medium",
                f"attributed to {ca.name}; the counterpart attributes it to {ra.name}",
                c,
                r,
                _find_all(c.text, ca.surface),
                _find_all(r.text, ra.surface),
                detail=f"attr:{ca.name}|{ra.name}",
            )
        ]
    if (
        ra is not None
        and ca is None
        and ra.kind == "anonymous"
        and _SOURCE_WORDS.search(ra.surface or "")
        and not c.quotes
    ):
        return [
            _Raw(
                "attribution_changed",
                "medium",
                f"the counterpart attributes this to {_mid_sentence(ra.surface or ra.name, r)}; "
                "here it stands as fact",
                c,
                r,
                (),
                _find_all(r.text, ra.surface),
                detail=f"attr-dropped:{ra.name}",
            )
        ]
    if (
        ca is not None
        and ra is None
        and _named(ca)
        and not r.quotes
        and not any(w.lower() in r.text.lower() for w in _proper_words(ca.surface))
    ):
        return [
            _Raw(
                "attribution_changed",
                "medium",
                f"attributed to {ca.name}, who is not named as the source in the counterpart",
                c,
                r,
                _find_all(c.text, ca.surface),
                (),
                detail=f"attr-added:{ca.name}",
            )
        ]
    return []


def _polarity(c: Claim, r: Claim, ct: Sequence[Token], rt: Sequence[Token]) -> list[_Raw]:
    """Antonym swaps and negation flips, judged on the words both claims share."""
    out: list[_Raw] = []
    c_lemmas, r_lemmas = lemma_tokens_of(c.text), lemma_tokens_of(r.text)
    table = _antonyms()
    for lem, tok in c_lemmas.items():
        if lem in r_lemmas:
            continue
        for cand in (tok.lower, lem):
            opposite = [
                o
                for o in table.get(cand, ())
                if (o in r_lemmas or any(t.lower == o for t in rt)) and o not in c_lemmas
            ]
            if opposite:
                o = opposite[0]
                rtok = r_lemmas.get(o) or next(t for t in rt if t.lower == o)
                out.append(
                    _Raw(
                        "temporal_changed" if cand in _TEMPORAL_WORDS else "antonym_swapped",
                        "high",
                        f"“{tok.text}” where the counterpart says “{rtok.text}”",
                        c,
                        r,
                        (Span(tok.start, tok.end),),
                        (Span(rtok.start, rtok.end),),
                        detail=f"ant:{lem}|{o}",
                    )
                )
                return out
    neg_c, neg_r = negated_of(c.text), negated_of(r.text)
    clauses_c, clauses_r = clause_index_of(c.text), clause_index_of(r.text)

    def same_clause(a: set[str] | None, b: set[str] | None) -> bool:
        # The negated and the asserted clause must state the same thing, not merely share
        # a word ("no library will close" is not the clause "12 libraries will have ...").
        if not a or not b:
            return False
        return len(a & b) / max(len(a), len(b)) >= 0.5

    for lem, negator in neg_r.items():
        here = asserted_in(lem, clauses_c)
        if here is not None and same_clause(here, negated_in(lem, clauses_r)):
            tok = c_lemmas.get(lem) or next(t for t in ct if t.lemma == lem)
            return [
                _Raw(
                    "negation_flipped",
                    "high",
                    f"“{tok.text}” is asserted here; the counterpart says "
                    f"“{negator.text} … {r_lemmas.get(lem, tok).text}”",
                    c,
                    r,
                    (Span(tok.start, tok.end),),
                    (Span(negator.start, negator.end),),
                    detail=f"neg-dropped:{lem}",
                )
            ]
    for lem, negator in neg_c.items():
        there = asserted_in(lem, clauses_r)
        if there is not None and same_clause(there, negated_in(lem, clauses_c)):
            rtok = r_lemmas.get(lem) or next(t for t in rt if t.lemma == lem)
            return [
                _Raw(
                    "negation_flipped",
                    "high",
                    f"“{negator.text}” negates “{c_lemmas.get(lem, negator).text}”, which the "
                    "counterpart asserts",
                    c,
                    r,
                    (Span(negator.start, negator.end),),
                    (Span(rtok.start, rtok.end),),
                    detail=f"neg-added:{lem}",
                )
            ]
    return out


def _status_level(claim: Claim) -> tuple[float, Marker | None]:
    status = [m for m in claim.markers if m.kind == "status"]
    if not status:
        return -1.0, None
    top = max(status, key=lambda m: m.level)
    return top.level, top


def _certainty(
    c: Claim, r: Claim, ct: Sequence[Token], rt: Sequence[Token], config: ScoreConfig
) -> list[_Raw]:
    out: list[_Raw] = []
    # 1. How far a plan has gone: agreed -> signed, plan -> decision.
    c_level, c_top = _status_level(c)
    r_level, r_top = _status_level(r)
    if (
        c_top is not None
        and r_top is not None
        and c_top.term.lower() != r_top.term.lower()
        and c_level - r_level >= 0.2
    ):
        out.append(
            _Raw(
                "certainty_shifted",
                "high" if c_level - r_level >= 0.4 else "medium",
                f"“{c_top.term}” where the counterpart has “{r_top.term}”",
                c,
                r,
                (c_top.span,),
                (r_top.span,),
                detail=f"status:{c_top.term}|{r_top.term}",
            )
        )
        return out
    # 2. A hedge or weak modal dropped (or added) on words both claims share.
    c_lemmas, r_lemmas = content_lemmas_of(c.text), content_lemmas_of(r.text)
    hedge_c, hedge_r = hedged_of(c.text, _HEDGES), hedged_of(r.text, _HEDGES)
    c_has_hedge = bool(hedge_count(c.text, _HEDGES)) or _conditional(c)
    r_has_hedge = bool(hedge_count(r.text, _HEDGES)) or _conditional(r)
    shared_r = [lem for lem in hedge_r if lem in c_lemmas]
    if shared_r and not c_has_hedge:
        h = hedge_r[shared_r[0]]
        out.append(
            _Raw(
                "certainty_shifted",
                "high"
                if h.lower in {"allegedly", "reportedly", "may", "might", "could"}
                else "medium",
                f"stated as fact; the counterpart hedges it with “{h.text}”",
                c,
                r,
                tuple(Span(t.start, t.end) for t in ct if t.lemma == shared_r[0])[:1],
                (Span(h.start, h.end),),
                detail=f"hedge-dropped:{h.lower}",
            )
        )
        return out
    shared_c = [lem for lem in hedge_c if lem in r_lemmas]
    if shared_c and not r_has_hedge:
        h = hedge_c[shared_c[0]]
        out.append(
            _Raw(
                "certainty_shifted",
                "medium",
                f"hedged with “{h.text}” where the counterpart states it as fact",
                c,
                r,
                (Span(h.start, h.end),),
                tuple(Span(t.start, t.end) for t in rt if t.lemma == shared_c[0])[:1],
                detail=f"hedge-added:{h.lower}",
            )
        )
        return out
    # 3. A condition dropped while the claim is stated as fact.
    if _conditional(r) and not _conditional(c) and not c_has_hedge:
        cond = [m for m in r.markers if m.kind == "conditional"]
        consequence = _outside_conditions(r.text, rt)
        if cond and len(consequence & c_lemmas) >= 2:
            out.append(
                _Raw(
                    "certainty_shifted",
                    "high",
                    f"a conditional (“{cond[0].term} …”) is stated as fact",
                    c,
                    r,
                    (),
                    (cond[0].span,),
                    detail=f"cond:{cond[0].term}",
                )
            )
    return out


def _conditional(claim: Claim) -> bool:
    return any(m.kind == "conditional" and m.term.lower() != "whether" for m in claim.markers)


def _outside_conditions(text: str, tokens: Sequence[Token]) -> set[str]:
    spans = clauses(text, ("if", "unless", "in the event", "provided that", "as long as"))
    return {t.lemma for t in tokens if t.content and not any(s <= t.start < e for s, e, _ in spans)}


def _dropped_clauses(
    c: Claim, r: Claim, ct: Sequence[Token], rt: Sequence[Token], context: set[str]
) -> list[_Raw]:
    """A caveat, condition or limit of the counterpart that this claim leaves out (and that
    the rest of the article, ``context``, does not carry either)."""
    c_lemmas = content_lemmas_of(c.text)
    out: list[_Raw] = []
    for start, end, opener in clauses(r.text, CAVEATS):
        inside = {t.lemma for t in rt if t.content and start <= t.start < end}
        inside -= {lemma(w) for w in opener.split()}
        if len(inside) < 2:
            continue
        kept = len(inside & c_lemmas) / len(inside)
        if kept >= 0.34 or len(inside) < 3 or opener in c.text.lower():
            continue
        if len(inside & context) / len(inside) >= 0.5:
            continue  # said elsewhere in the article
        conditional = opener in ("if", "unless", "in the event", "provided that", "as long as")
        if conditional and not any(t.lower in _HEDGES for t in ct):
            continue  # reported as a certainty shift (a condition stated as fact)
        # The rest of the counterpart must be here: otherwise the pair is a loose match.
        rest = {t.lemma for t in rt if t.content and not start <= t.start < end}
        if not rest or len(rest & c_lemmas) / len(rest) < 0.4:
            continue
        out.append(
            _Raw(
                "omission",
                "medium",
                f"leaves out the counterpart's “{r.text[start:end].strip()}”",
                c,
                r,
                (),
                (Span(start, end),),
                detail=f"clause:{start}",
            )
        )
        break
    return out


_NAME_WORD = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=65536)
def _entity_words(surface: str, canonical: str) -> frozenset[str]:
    """Lower-cased words (3+ letters) of an entity as written and of its canonical name."""
    return frozenset(w.lower() for w in _NAME_WORD.findall(f"{surface} {canonical}"))


def _speaker_spans(claim: Claim) -> list[Span]:
    spans: list[Span] = []
    speakers = [claim.attribution] + [q.speaker for q in claim.quotes]
    for sp in speakers:
        if sp is not None and sp.surface:
            spans.extend(_find_all(claim.text, sp.surface))
    return spans


def _entities(c: Claim, r: Claim) -> list[_Raw]:
    c_text, r_text = c.text.lower(), r.text.lower()
    c_skip, r_skip = _speaker_spans(c), _speaker_spans(r)

    def extra(claim: Claim, skip: list[Span], other_text: str, other: Claim) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for e in claim.entities:
            if e.kind not in ("person", "organisation", "place") or any(
                e.span.overlaps(s) for s in skip
            ):
                continue
            words = _entity_words(e.span.of(claim.text), e.canonical)
            if any(w in other_text for w in words):
                continue
            if any(e.canonical == o.canonical for o in other.entities):
                continue
            out.setdefault(e.kind, e)
        return out

    c_extra = extra(c, c_skip, r_text, r)
    r_extra = extra(r, r_skip, c_text, c)
    out: list[_Raw] = []
    if not (set(c_extra) & set(r_extra)) or _masked_similarity(c, r) < 60:
        return out  # a swap needs the rest of the two sentences to say the same thing
    for kind, e in c_extra.items():
        if kind in r_extra:
            o = r_extra[kind]
            out.append(
                _Raw(
                    "entity_swapped",
                    "medium" if kind == "place" else "high",
                    f"{e.span.of(c.text)} where the counterpart has {o.span.of(r.text)}",
                    c,
                    r,
                    (e.span,),
                    (o.span,),
                    detail=f"ent:{kind}:{e.canonical}>{o.canonical}",
                )
            )
    return out


def _framing(c: Claim, r: Claim, config: ScoreConfig) -> list[_Raw]:
    out: list[_Raw] = []
    r_outlet: dict[str, int] = {}
    r_any: dict[str, int] = {}
    for t in r.framing:
        r_any[t.concept] = max(r_any.get(t.concept, 0), t.level)
        if t.voice == "outlet":
            r_outlet[t.concept] = max(r_outlet.get(t.concept, 0), t.level)
    c_outlet: dict[str, list[Any]] = defaultdict(list)
    for t in _outlet_framing(c):
        c_outlet[t.concept].append(t)
    for concept, terms in c_outlet.items():
        top = max(terms, key=lambda t: t.level)
        present = concept in r_any
        base = r_outlet.get(concept, 0)
        if present and top.level - base >= config.framing_delta and top.level >= 2:
            adopted = r_any[concept] >= top.level
            out.append(
                _Raw(
                    "framing_shifted",
                    "high" if top.level - base >= 2 else "medium",
                    f"“{top.term}” in the outlet's own voice; in the counterpart it is only "
                    "inside a quote"
                    if adopted
                    else f"“{top.term}” intensifies the counterpart's “{_best_term(r, concept)}”",
                    c,
                    r,
                    (top.span,),
                    tuple(t.span for t in r.framing if t.concept == concept),
                    detail=f"frame:{concept}:{top.level}>{base}",
                    signals={"level": top.level, "reference_level": base},
                )
            )
        elif not present and top.level >= 3:
            out.append(
                _Raw(
                    "framing_shifted",
                    "medium",
                    f"“{top.term}” is the outlet's own loaded wording; the counterpart has none",
                    c,
                    r,
                    (top.span,),
                    (),
                    detail=f"frame-added:{concept}:{top.level}",
                    signals={"level": top.level},
                )
            )
    for concept, base in r_outlet.items():
        if concept in c_outlet:
            top_level = max(t.level for t in c_outlet[concept])
            if base - top_level >= config.framing_delta + 1:
                out.append(
                    _Raw(
                        "framing_shifted",
                        "low",
                        f"softens the counterpart's “{_best_term(r, concept)}”",
                        c,
                        r,
                        tuple(t.span for t in c_outlet[concept]),
                        tuple(t.span for t in r.framing if t.concept == concept),
                        detail=f"soften:{concept}",
                    )
                )
    return out


def _masked_similarity(c: Claim, r: Claim) -> float:
    """How alike two claims are once their named entities are taken out (0-100)."""
    from rapidfuzz import fuzz

    def masked(claim: Claim) -> str:
        text = claim.text
        for e in sorted(claim.entities, key=lambda e: e.span.start, reverse=True):
            text = text[: e.span.start] + " " + text[e.span.end :]
        return _norm(text)

    return float(fuzz.token_set_ratio(masked(c), masked(r)))


def _outlet_framing(claim: Claim) -> list[Any]:
    """Framing terms in the outlet's own voice. In a headline, words inside quotation marks
    that nobody is said to have spoken (‘World war in 72 hours’) are the outlet's too."""
    out = [t for t in claim.framing if t.voice == "outlet"]
    if claim.kind == "headline":
        for t in claim.framing:
            if t.voice == "quote" and not any(
                q.span.overlaps(t.span) and q.speaker is not None for q in claim.quotes
            ):
                out.append(t)
    return out


def _best_term(claim: Claim, concept: str) -> str:
    terms = [t for t in claim.framing if t.concept == concept]
    return max(terms, key=lambda t: t.level).term if terms else concept


# --------------------------------------------------------------------- article-level checks


def _substantive(claim: Claim) -> bool:
    return bool(claim.quantities or claim.quotes or claim.entities) and len(claim.text) > 25


def _reworded(claim: Claim, refs: Sequence[ExtractedArticle]) -> bool:
    """Most of the claim's content words stand together in one source sentence: a rewording
    the aligner missed, not an addition."""
    mine = content_lemmas_of(claim.text)
    if len(mine) < 3:
        return False
    best = max(
        (len(mine & content_lemmas_of(c.text)) for r in refs for c in r.claims),
        default=0,
    )
    return best / len(mine) >= 0.5


def _unsupported(claim: Claim, ref_values: set[float]) -> list[_Raw]:
    """A derived claim with no counterpart in any source."""
    if not _substantive(claim) or claim.status == "untranslated" or not claim.text.strip():
        return []
    new_numbers = [q for q in claim.quantities if round(q.value, 3) not in ref_values]
    severity: Severity = "medium" if (new_numbers or claim.quotes) else "low"
    return [
        _Raw(
            "unsupported_addition",
            severity,
            "no source supports this claim",
            claim,
            None,
            tuple(q.span for q in new_numbers),
            detail="claim",
        )
    ]


def _new_numbers(
    claim: Claim, counterparts: Sequence[Claim], ref_values: set[float], ref_text: str
) -> list[_Raw]:
    """Counts, money and shares in an aligned claim that no source has anywhere."""
    out = []
    for q in claim.quantities:
        if not q.unit or q.unit in _TIME_UNITS | _DATE_UNITS or q.approximate:
            continue
        if round(q.value, 3) in ref_values or _qtext(claim, q).lower() in ref_text:
            continue
        if any(rq.unit == q.unit for c in counterparts for rq in c.quantities):
            continue  # a rival figure: that is a changed number, judged pairwise
        out.append(
            _Raw(
                "unsupported_addition",
                "medium",
                f"the figure “{_qtext(claim, q)}” appears in no source",
                claim,
                None,
                (q.span,),
                detail=f"q:{_qkey(q)}",
            )
        )
    return out


def _omitted_claims(
    art: ExtractedArticle,
    refs: Sequence[ExtractedArticle],
    claims: Mapping[str, Claim],
    partners: Mapping[str, list[tuple[str, float, Mapping[str, Any]]]],
    config: ScoreConfig,
) -> list[_Raw]:
    """A whole source sentence carrying a caveat or dissent, with no counterpart here.

    The finding is anchored on the derived sentence that retells the source sentence just
    before (or after) the omitted one: where the missing material belongs.
    """
    out: list[_Raw] = []
    here = {c.id for c in art.claims}

    def counterpart(claim_id: str) -> str | None:
        best = max(
            (
                (conf, other)
                for other, conf, _ in partners.get(claim_id, ())
                if other in here and conf >= config.min_alignment
            ),
            default=None,
        )
        return best[1] if best else None

    for ref in refs:
        body = [c for c in ref.claims if c.kind != "headline"]
        for i, claim in enumerate(body):
            if counterpart(claim.id) is not None:
                continue
            caveat = _VERIFICATION_CAVEAT.search(claim.text)
            if caveat is None:
                continue  # a summary may drop detail; only a lost caveat is an omission
            if any(_VERIFICATION_CAVEAT.search(c.text) for c in art.claims):
                continue  # the retelling keeps a caveat of its own
            spans = [(caveat.start(), caveat.end(), caveat.group())]
            anchor = None
            for j in (i - 1, i + 1, i - 2, i + 2):
                if 0 <= j < len(body) and (found := counterpart(body[j].id)) is not None:
                    anchor = claims[found]
                    break
            if anchor is None:
                continue
            out.append(
                _Raw(
                    "omission",
                    "medium",
                    f"leaves out the source's “{claim.text[:90]}”",
                    anchor,
                    claim,
                    (),
                    tuple(Span(s, e) for s, e, _ in spans[:1]),
                    detail=f"omit:{claim.id}",
                )
            )
    return out


def _headline(
    headline: Claim,
    art: ExtractedArticle,
    refs: Sequence[ExtractedArticle],
    best: Mapping[str, tuple[str, float, Mapping[str, Any]]],
    claims: Mapping[str, Claim],
    config: ScoreConfig,
    context: set[str],
) -> list[_Raw]:
    """A headline claim that the sources (or the article's own body) do not support.

    The headline is compared with its best counterpart in each source like any claim; what
    would be a divergence there is reported as ``headline_unsupported``.
    """
    out: list[_Raw] = []
    # Headlines are short and rarely align by wording: besides the aligned counterpart, take
    # the source sentence that shares most of the headline's content words.
    candidates = {other: dict(signals) for other, _, signals in best.values()}
    mine = content_lemmas_of(headline.text)
    if mine:
        ranked = sorted(
            ((len(mine & content_lemmas_of(c.text)), c.id) for r in refs for c in r.claims),
            reverse=True,
        )
        if ranked and ranked[0][0] >= max(2, len(mine) // 2):
            candidates.setdefault(ranked[0][1], {"shared_words": ranked[0][0]})
    found: list[_Raw] = []
    for other, signals in candidates.items():
        found.extend(
            x
            for x in _compare_pair(headline, claims[other], signals, config, context)
            if x.category not in ("omission", "attribution_changed")
            and not x.detail.startswith("hedge-added")  # a more careful headline is fine
        )
    seen: set[str] = set()
    for x in found:
        if x.category in seen:
            continue
        seen.add(x.category)
        out.append(
            _Raw(
                "headline_unsupported",
                x.severity,
                f"headline: {x.message} ({x.category.replace('_', ' ')})",
                headline,
                x.reference,
                x.derived_marks,
                x.reference_marks,
                detail=f"h:{x.detail}",
                signals={**(x.signals or {}), "divergence": x.category},
            )
        )
    support = [c for c in art.claims if c.kind != "headline"] + [
        c for r in refs for c in r.claims if c.kind != "headline"
    ]
    for q in headline.quantities:
        if q.unit and not any(_same_quantity(q, sq) for s in support for sq in s.quantities):
            out.append(
                _Raw(
                    "headline_unsupported",
                    "high",
                    f"the headline's “{_qtext(headline, q)}” appears nowhere in the body or "
                    "sources",
                    headline,
                    None,
                    (q.span,),
                    detail=f"hq:{_qkey(q)}",
                )
            )
    levels: dict[str, int] = {}
    for s in support:
        for t in s.framing:
            levels[t.concept] = max(levels.get(t.concept, 0), t.level)
    for t in _outlet_framing(headline):
        if t.level < 3:
            continue
        if t.level - levels.get(t.concept, 0) >= config.framing_delta:
            strongest = _strongest(support, t.concept)
            out.append(
                _Raw(
                    "headline_unsupported",
                    "high" if t.level - levels.get(t.concept, 0) >= 2 else "medium",
                    f"the headline's “{t.term}” goes beyond what the body and sources say",
                    headline,
                    strongest,
                    (t.span,),
                    tuple(x.span for x in strongest.framing if x.concept == t.concept)
                    if strongest
                    else (),
                    detail=f"hframe:{t.concept}",
                )
            )
    return out


def _strongest(claims: Iterable[Claim], concept: str) -> Claim | None:
    best: tuple[int, Claim | None] = (-1, None)
    for c in claims:
        for t in c.framing:
            if t.concept == concept and t.level > best[0]:
                best = (t.level, c)
    return best[1]


def _find_all(text: str, needle: str) -> tuple[Span, ...]:
    if not needle:
        return ()
    out = []
    low, n = text.lower(), needle.lower()
    start = 0
    while (at := low.find(n, start)) >= 0:
        out.append(Span(at, at + len(n)))
        start = at + len(n)
    return tuple(out[:3])


# --------------------------------------------------------------------------------- findings


def _evidence(claim: Claim, marks: Sequence[Span]) -> Evidence:
    return Evidence(
        article_id=claim.article_id,
        claim_id=claim.id,
        span=claim.span,
        text=claim.text,
        highlight=tuple(sorted({m for m in marks if m.end <= len(claim.text)})),
    )


def _to_findings(raw: Sequence[_Raw]) -> list[Finding]:
    out: dict[str, Finding] = {}
    for r in raw:
        key = "|".join((r.category, r.derived.id, r.reference.id if r.reference else "-", r.detail))
        fid = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        if fid in out:
            continue
        out[fid] = Finding(
            id=fid,
            category=r.category,
            severity=r.severity,
            message=r.message,
            derived=_evidence(r.derived, r.derived_marks),
            reference=_evidence(r.reference, r.reference_marks) if r.reference else None,
            signals=dict(r.signals or {}),
        )
    return list(out.values())


def verdict(
    findings: Sequence[Finding],
    score: float | None,
    *,
    min_severity: str = "medium",
    fail_under: float | None = None,
) -> str:
    """``inconsistent`` when a finding reaches ``min_severity`` or the score is under the floor."""
    floor = SEVERITY_RANK[min_severity]
    if any(SEVERITY_RANK[f.severity] >= floor for f in findings):
        return "inconsistent"
    if fail_under is not None and score is not None and score < fail_under:
        return "inconsistent"
    return "consistent"
