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

from fidelity.types import (
    SEVERITY_RANK,
    AlignmentResult,
    Claim,
    Evidence,
    ExtractedArticle,
    FidelityScore,
    Finding,
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
) -> tuple[tuple[Finding, ...], tuple[FidelityScore, ...]]:
    """Find divergences and score every article that is compared with something.

    Args:
        extracted: articles with their claims.
        alignment: the align stage's result (stories, pairwise alignments).
        reference_id: score every other article against this one.
        draft_id: ``check`` mode: score this article against all the others (its sources).
        config: thresholds.

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

    findings: list[Finding] = []
    scores: list[FidelityScore] = []
    for art in extracted:
        aid = art.article.id
        story = story_of.get(aid)
        if story is None or len(story.article_ids) < 2:
            continue
        if draft_id is not None:
            if aid != draft_id:
                continue
            refs = tuple(x for x in story.article_ids if x != aid)
            strict = True
        elif reference_id is not None:
            if aid == reference_id or reference_id not in story.article_ids:
                continue
            refs = (reference_id,)
            strict = True
        else:
            refs = tuple(x for x in story.article_ids if x != aid)
            strict = False
        ref_articles = [by_article[r] for r in refs if r in by_article]
        raw, compared = _compare_article(art, ref_articles, claims, partners, strict, config)
        article_findings = _to_findings(raw)
        findings.extend(article_findings)
        penalty = sum(WEIGHTS[f.severity] for f in article_findings)
        n = max(compared, 1)
        score = 100.0 * (2 * n) / (2 * n + penalty)
        counts = Counter(f.category for f in article_findings)
        scores.append(
            FidelityScore(
                article_id=aid,
                outlet=art.article.label,
                score=round(score, 1),
                counts={c: counts.get(c, 0) for c in CATEGORIES},
                compared_with=refs,
            )
        )
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.category, f.id))
    return tuple(findings), tuple(scores)


# ------------------------------------------------------------------------------- per article


def _compare_article(
    art: ExtractedArticle,
    refs: Sequence[ExtractedArticle],
    claims: Mapping[str, Claim],
    partners: Mapping[str, list[tuple[str, float, Mapping[str, Any]]]],
    strict: bool,
    config: ScoreConfig,
) -> tuple[list[_Raw], int]:
    ref_ids = {r.article.id for r in refs}
    ref_quantities = {_qkey(q) for r in refs for c in r.claims for q in c.quantities}
    raw: list[_Raw] = []
    compared = 0
    body = [c for c in art.claims if c.kind != "headline"]
    for claim in body:
        # Best counterpart in each comparison article.
        best: dict[str, tuple[str, float, Mapping[str, Any]]] = {}
        for other, conf, signals in partners.get(claim.id, ()):
            other_article = claims[other].article_id
            if other_article in ref_ids and (
                other_article not in best or conf > best[other_article][1]
            ):
                best[other_article] = (other, conf, signals)
        if not best:
            if strict:
                raw.extend(_unsupported(claim, ref_quantities))
            continue
        compared += 1
        per_ref: list[list[_Raw]] = []
        for other, _, signals in best.values():
            per_ref.append(_compare_pair(claim, claims[other], dict(signals), config))
        raw.extend(_agree(per_ref, strict, config))
        # Numbers in an aligned claim that no source has anywhere.
        if strict:
            counterparts = [claims[o] for o, _, _ in best.values()]
            for q in claim.quantities:
                if _qkey(q) not in ref_quantities and not any(
                    _same_quantity(q, rq) or rq.unit == q.unit
                    for c in counterparts
                    for rq in c.quantities
                ):
                    raw.append(
                        _Raw(
                            "unsupported_addition",
                            "medium",
                            f"the number “{_qtext(claim, q)}” appears in no source",
                            claim,
                            None,
                            (q.span,),
                            detail=f"q:{_qkey(q)}",
                        )
                    )
    if strict:
        raw.extend(_omissions(art, refs, partners))
    headline = art.headline
    if headline is not None:
        raw.extend(_headline(headline, body, refs, claims, partners, config))
    return raw, compared


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
                keep_once = r.category
                keep.discard(keep_once)  # one piece of evidence per category per claim
    return out


def _compare_pair(c: Claim, r: Claim, signals: dict[str, Any], config: ScoreConfig) -> list[_Raw]:
    out: list[_Raw] = []
    translated = c.status != "original" or r.status != "original"
    out.extend(_quotes(c, r, config, translated))
    out.extend(_numbers(c, r))
    out.extend(_attribution(c, r))
    out.extend(_certainty(c, r, config))
    out.extend(_polarity(c, r))
    out.extend(_entities(c, r))
    out.extend(_framing(c, r, config))
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
                    and not _same_speaker(q.speaker.name, rq.speaker.name, rq.speaker.via)
                    and not _same_speaker(rq.speaker.name, q.speaker.name, q.speaker.via)
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
        elif not r.quotes and not translated:
            # Quoted words the counterpart only paraphrases: paraphrase presented as quote.
            partial = fuzz.partial_ratio(words, _norm(r.text))
            if 50 <= partial < 90 and len(words.split()) >= 5:
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
        return hi > 0 and lo / hi >= 0.75
    return False


def _qtext(claim: Claim, q: Quantity) -> str:
    return q.span.of(claim.text)


def _numbers(c: Claim, r: Claim) -> list[_Raw]:
    out: list[_Raw] = []
    unmatched_r = [
        rq for rq in r.quantities if not any(_same_quantity(q, rq) for q in c.quantities)
    ]
    for q in c.quantities:
        same = [rq for rq in r.quantities if _same_quantity(q, rq)]
        if same:
            rq = same[0]
            if q.relation != rq.relation and {q.relation, rq.relation} - {"exact", "about"}:
                out.append(
                    _Raw(
                        "temporal_changed" if q.unit in _TIME_UNITS else "number_changed",
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
        rivals = [rq for rq in unmatched_r if rq.unit == q.unit]
        if rivals:
            rq = rivals[0]
            out.append(
                _Raw(
                    "number_changed",
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


_TIME_UNITS = frozenset({"hour", "day", "week", "month", "year", "minute", "second", "date"})


def _same_speaker(a: str, b: str, via: Sequence[str] = ()) -> bool:
    from fidelity.text.translit import name_key

    ka, kb = name_key(a), name_key(b)
    if ka == kb or (ka and kb and (ka in kb or kb in ka)):
        return True
    return any(name_key(v) == ka for v in via)


def _attribution(c: Claim, r: Claim) -> list[_Raw]:
    ca, ra = c.attribution, r.attribution
    if ca is not None and ra is not None:
        if _same_speaker(ca.name, ra.name, ra.via) or _same_speaker(ra.name, ca.name, ca.via):
            return []
        return [
            _Raw(
                "attribution_changed",
                "high" if ca.kind == "person" or ra.kind == "person" else "medium",
                f"attributed to {ca.name}; the counterpart attributes it to {ra.name}",
                c,
                r,
                _find_all(c.text, ca.surface),
                _find_all(r.text, ra.surface),
                detail=f"attr:{ca.name}|{ra.name}",
            )
        ]
    if ra is not None and ca is None and not c.quotes:
        return [
            _Raw(
                "attribution_changed",
                "medium" if ra.kind == "anonymous" else "low",
                f"the counterpart attributes this to {ra.name}; here it stands as fact",
                c,
                r,
                (),
                _find_all(r.text, ra.surface),
                detail=f"attr-dropped:{ra.name}",
            )
        ]
    return []


def _certainty(c: Claim, r: Claim, config: ScoreConfig) -> list[_Raw]:
    delta = c.certainty - r.certainty
    if abs(delta) < config.certainty_delta:
        return []
    c_terms = {m.term.lower() for m in c.markers if m.kind != "negation"}
    r_terms = {m.term.lower() for m in r.markers if m.kind != "negation"}
    if c_terms == r_terms:
        return []
    c_marks = tuple(m.span for m in c.markers if m.term.lower() not in r_terms)
    r_marks = tuple(m.span for m in r.markers if m.term.lower() not in c_terms)
    more = delta > 0
    words_c = ", ".join(sorted(c_terms - r_terms)) or "none"
    words_r = ", ".join(sorted(r_terms - c_terms)) or "none"
    return [
        _Raw(
            "certainty_shifted",
            ("high" if delta >= 0.5 else "medium") if more else "low",
            (
                f"stated with more certainty ({words_c}) than the counterpart ({words_r})"
                if more
                else f"stated with less certainty ({words_c}) than the counterpart ({words_r})"
            ),
            c,
            r,
            c_marks,
            r_marks,
            detail=f"cert:{words_c}|{words_r}",
            signals={
                "certainty": round(c.certainty, 2),
                "reference_certainty": round(r.certainty, 2),
            },
        )
    ]


def _polarity(c: Claim, r: Claim) -> list[_Raw]:
    out: list[_Raw] = []
    c_words = {w.lower() for w in _WORD.findall(c.text)}
    r_words = {w.lower() for w in _WORD.findall(r.text)}
    table = _antonyms()
    swapped = False
    for w in sorted(c_words - r_words):
        opposite = table.get(w, frozenset()) & (r_words - c_words)
        if opposite:
            o = sorted(opposite)[0]
            swapped = True
            out.append(
                _Raw(
                    "temporal_changed" if w in _TEMPORAL_WORDS else "antonym_swapped",
                    "high",
                    f"“{w}” where the counterpart says “{o}”",
                    c,
                    r,
                    _find_all(c.text, w),
                    _find_all(r.text, o),
                    detail=f"ant:{w}|{o}",
                )
            )
            break
    c_neg = [m for m in c.markers if m.kind == "negation"]
    r_neg = [m for m in r.markers if m.kind == "negation"]
    if not swapped and len(c_neg) % 2 != len(r_neg) % 2:
        out.append(
            _Raw(
                "negation_flipped",
                "high",
                "the claim's polarity is reversed: "
                + (
                    f"“{c_neg[0].term}” has no counterpart"
                    if len(c_neg) > len(r_neg)
                    else f"the counterpart's “{r_neg[0].term}” is gone"
                ),
                c,
                r,
                tuple(m.span for m in c_neg),
                tuple(m.span for m in r_neg),
                detail=f"neg:{len(c_neg)}|{len(r_neg)}",
            )
        )
    return out


def _entities(c: Claim, r: Claim) -> list[_Raw]:
    c_by_kind: dict[str, dict[str, Span]] = defaultdict(dict)
    r_by_kind: dict[str, dict[str, Span]] = defaultdict(dict)
    for e in c.entities:
        c_by_kind[e.kind].setdefault(e.canonical, e.span)
    for e in r.entities:
        r_by_kind[e.kind].setdefault(e.canonical, e.span)
    all_r = {name for names in r_by_kind.values() for name in names}
    all_c = {name for names in c_by_kind.values() for name in names}
    out: list[_Raw] = []
    for kind, names in c_by_kind.items():
        extra = [n for n in names if n not in all_r]
        missing = [n for n in r_by_kind.get(kind, {}) if n not in all_c]
        if extra and missing:
            out.append(
                _Raw(
                    "entity_swapped",
                    "medium" if kind == "place" else "high",
                    f"{', '.join(extra)} where the counterpart has {', '.join(missing)}",
                    c,
                    r,
                    tuple(names[n] for n in extra),
                    tuple(r_by_kind[kind][n] for n in missing),
                    detail=f"ent:{kind}:{'|'.join(sorted(extra))}>{'|'.join(sorted(missing))}",
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
    for t in c.framing:
        if t.voice == "outlet":
            c_outlet[t.concept].append(t)
    for concept, terms in c_outlet.items():
        top = max(terms, key=lambda t: t.level)
        base = r_outlet.get(concept, 0)
        if top.level - base >= config.framing_delta and top.level >= 2:
            adopted = r_any.get(concept, 0) >= top.level
            ref_terms = tuple(t.span for t in r.framing if t.concept == concept)
            out.append(
                _Raw(
                    "framing_shifted",
                    "high" if top.level - base >= 2 else "medium",
                    (
                        f"“{top.term}” in the outlet's own voice; in the counterpart it is only "
                        "inside a quote"
                        if adopted
                        else f"“{top.term}” intensifies the counterpart's framing"
                        + (f" (“{_best_term(r, concept)}”)" if concept in r_any else "")
                    ),
                    c,
                    r,
                    (top.span,),
                    ref_terms,
                    detail=f"frame:{concept}:{top.level}>{base}",
                    signals={"level": top.level, "reference_level": base},
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


def _best_term(claim: Claim, concept: str) -> str:
    terms = [t for t in claim.framing if t.concept == concept]
    return max(terms, key=lambda t: t.level).term if terms else concept


# --------------------------------------------------------------------- article-level checks


def _substantive(claim: Claim) -> bool:
    return bool(claim.quantities or claim.quotes or claim.entities) and len(claim.text) > 25


def _unsupported(claim: Claim, ref_quantities: set[tuple[float, str]]) -> list[_Raw]:
    """A derived claim with no counterpart in any source."""
    if not _substantive(claim) or claim.status == "untranslated":
        return []
    new_numbers = [q for q in claim.quantities if _qkey(q) not in ref_quantities]
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


def _omissions(
    art: ExtractedArticle,
    refs: Sequence[ExtractedArticle],
    partners: Mapping[str, list[tuple[str, float, Mapping[str, Any]]]],
) -> list[_Raw]:
    """Reference claims that matter (caveats, conditions, numbers) with no counterpart here."""
    out: list[_Raw] = []
    mine = art.article.id
    anchor = art.claims[0] if art.claims else None
    if anchor is None:
        return out
    claims_here = {c.id for c in art.claims}
    for ref in refs:
        for claim in ref.claims:
            if claim.kind == "headline":
                continue
            if any(other in claims_here for other, _, _ in partners.get(claim.id, ())):
                continue
            caveat = [m for m in claim.markers if m.kind in ("hedge", "conditional")]
            if caveat:
                severity: Severity = "medium"
                why = f"a caveat or condition (“{caveat[0].term}”)"
            elif claim.quantities and claim.entities:
                severity = "low"
                why = "a figure"
            else:
                continue
            out.append(
                _Raw(
                    "omission",
                    severity,
                    f"the source states {why} that {art.article.label} leaves out",
                    anchor,
                    claim,
                    (),
                    tuple(m.span for m in caveat) or tuple(q.span for q in claim.quantities),
                    detail=f"omit:{claim.id}:{mine}",
                )
            )
    return out


def _headline(
    headline: Claim,
    body: Sequence[Claim],
    refs: Sequence[ExtractedArticle],
    claims: Mapping[str, Claim],
    partners: Mapping[str, list[tuple[str, float, Mapping[str, Any]]]],
    config: ScoreConfig,
) -> list[_Raw]:
    """A headline claim that neither the article's own body nor its sources support."""
    support = list(body) + [c for r in refs for c in r.claims if c.kind != "headline"]
    out: list[_Raw] = []
    for q in headline.quantities:
        backing = [s for s in support if any(_same_quantity(q, sq) for sq in s.quantities)]
        if not backing:
            out.append(
                _Raw(
                    "headline_unsupported",
                    "high",
                    f"the headline's “{_qtext(headline, q)}” appears nowhere in the body "
                    "or sources",
                    headline,
                    None,
                    (q.span,),
                    detail=f"hq:{_qkey(q)}",
                )
            )
        elif all(
            sq.relation != q.relation
            for s in backing
            for sq in s.quantities
            if _same_quantity(q, sq)
        ) and q.relation not in ("exact", "about"):
            s = backing[0]
            sq = next(x for x in s.quantities if _same_quantity(q, x))
            out.append(
                _Raw(
                    "headline_unsupported",
                    "high",
                    f"the headline says “{_qtext(headline, q)}” ({q.relation}); the text says "
                    f"“{_qtext(s, sq)}” ({sq.relation})",
                    headline,
                    s,
                    (q.span,),
                    (sq.span,),
                    detail=f"hrel:{_qkey(q)}",
                )
            )
    levels: dict[str, int] = {}
    for s in support:
        for t in s.framing:
            levels[t.concept] = max(levels.get(t.concept, 0), t.level)
    for t in headline.framing:
        if t.voice != "outlet" or t.level < 2:
            continue
        base = levels.get(t.concept, 0)
        if t.level - base >= config.framing_delta:
            out.append(
                _Raw(
                    "headline_unsupported",
                    "high" if t.level - base >= 2 else "medium",
                    f"the headline's “{t.term}” goes beyond what the body and sources say",
                    headline,
                    _strongest(support, t.concept),
                    (t.span,),
                    tuple(
                        x.span
                        for x in (_strongest(support, t.concept) or headline).framing
                        if x.concept == t.concept
                    )
                    if _strongest(support, t.concept)
                    else (),
                    detail=f"hframe:{t.concept}",
                )
            )
    # Certainty: the headline states as done what its counterparts only plan.
    best = max(
        (
            (conf, claims[o])
            for o, conf, _ in partners.get(headline.id, ())
            if o in claims and claims[o].kind != "headline"
        ),
        default=None,
        key=lambda x: x[0],
    )
    if best is not None:
        counterpart = best[1]
        shifted = _certainty(headline, counterpart, config)
        for x in shifted:
            if x.severity != "low":
                out.append(
                    _Raw(
                        "headline_unsupported",
                        x.severity,
                        "the headline " + x.message.replace("stated", "states it", 1),
                        headline,
                        counterpart,
                        x.derived_marks,
                        x.reference_marks,
                        detail="hcert",
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
