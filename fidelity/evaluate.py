"""``fidelity eval``: how right the findings are, on a labelled set of story folders.

Each folder holds source and derived articles and an ``annotations.yaml`` listing, per derived
document, the expected findings (category + the derived and reference passages) and expected
non-findings (faithful paraphrases). Each derived document is checked against the reference
exactly as ``fidelity check`` would; a predicted finding matches an expected one of the same
category when their passages overlap in the derived article (for omissions, in the reference).
Reports precision, recall and F1 per category, the balanced accuracy of the document verdict,
findings raised on faithful paraphrases (the false-alarm rate), the ranking AUC of the
documents' fidelity scores (faithful above distorting), and the confusion between categories.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fidelity.errors import InputError
from fidelity.load import LoadOptions, load_corpus
from fidelity.pipeline import RunConfig, build_backends, check_articles
from fidelity.plaindata import parse_yaml, plain
from fidelity.score import CATEGORIES, verdict
from fidelity.score.base import INFORMATIONAL
from fidelity.types import SEVERITY_RANK, Article, ComparisonResult, Finding, Span

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CategoryStats:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class AlignmentRates:
    """How often the align stage links the claims a label pairs, and how often others.

    A labelled pair is a finding or non-finding whose derived and reference passages both
    occur in their articles; it is aligned when any claim overlapping the derived passage is
    aligned with any claim overlapping the reference passage. Every other (derived claim,
    reference claim) pair counts in the second rate. Unlabelled faithful retellings are among
    those, so the second rate is an upper bound on false alignments, for comparing versions.
    """

    labelled: int = 0
    labelled_aligned: int = 0
    other: int = 0
    other_aligned: int = 0

    @property
    def labelled_rate(self) -> float:
        return self.labelled_aligned / self.labelled if self.labelled else 0.0

    @property
    def other_rate(self) -> float:
        return self.other_aligned / self.other if self.other else 0.0


@dataclass(frozen=True, slots=True)
class EvalCase:
    """One case the evaluation got wrong, with the passages to look at.

    ``kind`` is ``missed`` (a must-flag label no finding of its category overlapped; ``got``
    names the categories that did overlap), ``unexpected`` (a finding no label expected) or
    ``paraphrase_flagged`` (a must-not-flag passage that drew a finding, ``got`` its
    categories).
    """

    kind: str
    document: str
    category: str
    derived: str
    reference: str
    got: tuple[str, ...] = ()
    message: str = ""
    severity: str = ""  # an unexpected finding's severity

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "document": self.document,
            "category": self.category,
            "derived": self.derived,
            "reference": self.reference,
            "got": list(self.got),
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(slots=True)
class Evaluation:
    per_category: dict[str, CategoryStats] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    verdicts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, predicted)
    paraphrases: int = 0
    paraphrases_flagged: int = 0
    high_findings: int = 0  # HIGH findings emitted on labelled documents
    high_correct: int = 0  # ... of which credited to a labelled distortion
    documents: int = 0
    errors: list[str] = field(default_factory=list)
    min_severity: str = "low"
    alignment: AlignmentRates = field(default_factory=AlignmentRates)
    # each document's fidelity score and whether its labels hold a must-flag distortion
    ranking: list[tuple[float, bool]] = field(default_factory=list)
    # per document: story folder / file name, score, labelled distorting, predicted verdict
    scored: list[tuple[str, float | None, bool, str]] = field(default_factory=list)
    # every scored case that went wrong: a missed must-flag label, a finding no label
    # expected, a faithful retelling that drew a finding (EvalCase.kind)
    cases: list[EvalCase] = field(default_factory=list)

    @property
    def false_alarm_rate(self) -> float:
        """The share of must-not-flag passages (faithful retellings) that drew a finding (one
        not credited to a labelled distortion of the same claim)."""
        return self.paraphrases_flagged / self.paraphrases if self.paraphrases else 0.0

    @property
    def high_precision(self) -> float | None:
        """The share of HIGH findings that a labelled distortion credits (None: none emitted)."""
        return self.high_correct / self.high_findings if self.high_findings else None

    @property
    def ranking_auc(self) -> float | None:
        """How well the score ranks faithful documents above distorting ones: the chance that
        a faithful document (no must-flag label) scores higher than a distorting one, ties
        counted half (1.0 perfect, 0.5 chance); None without both kinds."""
        return ranking_auc(self.ranking)

    @property
    def balanced_accuracy(self) -> float:
        rates = []
        for label in ("consistent", "inconsistent"):
            total = sum(n for (e, _), n in self.verdicts.items() if e == label)
            if total:
                rates.append(self.verdicts[(label, label)] / total)
        return sum(rates) / len(rates) if rates else 0.0

    def micro(self) -> CategoryStats:
        out = CategoryStats()
        for s in self.per_category.values():
            out.tp += s.tp
            out.fp += s.fp
            out.fn += s.fn
        return out

    def as_json(self) -> dict[str, Any]:
        micro = self.micro()
        return {
            "documents": self.documents,
            "min_severity": self.min_severity,
            "categories": {
                c: {
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3),
                    "f1": round(s.f1, 3),
                }
                for c, s in sorted(self.per_category.items())
            },
            "micro": {
                "precision": round(micro.precision, 3),
                "recall": round(micro.recall, 3),
                "f1": round(micro.f1, 3),
            },
            "verdict_balanced_accuracy": round(self.balanced_accuracy, 3),
            "verdicts": {f"{e}->{p}": n for (e, p), n in sorted(self.verdicts.items())},
            "paraphrases": self.paraphrases,
            "paraphrases_flagged": self.paraphrases_flagged,
            "false_alarm_rate": round(self.false_alarm_rate, 3),
            "high_findings": self.high_findings,
            "high_precision": (
                None if self.high_precision is None else round(self.high_precision, 3)
            ),
            "ranking_auc": None if self.ranking_auc is None else round(self.ranking_auc, 3),
            "ranking": {
                "faithful": sum(1 for _, bad in self.ranking if not bad),
                "distorting": sum(1 for _, bad in self.ranking if bad),
                "mean_score_faithful": _mean([s for s, bad in self.ranking if not bad]),
                "mean_score_distorting": _mean([s for s, bad in self.ranking if bad]),
            },
            "confusion": {f"{e}->{p}": n for (e, p), n in sorted(self.confusion.items())},
            "alignment": {
                "labelled_pairs": self.alignment.labelled,
                "labelled_aligned": self.alignment.labelled_aligned,
                "other_pairs": self.alignment.other,
                "other_aligned": self.alignment.other_aligned,
            },
            "document_scores": [
                {"document": d, "score": sc, "distorting": bad, "verdict": v}
                for d, sc, bad, v in self.scored
            ],
            "cases": [c.as_json() for c in self.cases],
            "errors": self.errors,
        }


def ranking_auc(ranking: Sequence[tuple[float, bool]]) -> float | None:
    """The area under the ROC curve of ``(score, distorting)`` pairs, a higher score read as
    more faithful: the share of (faithful, distorting) pairs the score orders right, a tie
    counting half. None when either kind is missing."""
    good = [s for s, bad in ranking if not bad]
    bad = [s for s, is_bad in ranking if is_bad]
    if not good or not bad:
        return None
    wins = sum(1.0 if g > b else 0.5 if g == b else 0.0 for g in good for b in bad)
    return wins / (len(good) * len(bad))


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def evaluate_folder(
    folder: Path, config: RunConfig | None = None, *, min_severity: str = "low"
) -> Evaluation:
    """Score fidelity's findings against every ``annotations.yaml`` under ``folder``.

    Raises:
        InputError: no annotation file was found, or one is malformed.
    """
    config = config or RunConfig()
    files = sorted(Path(folder).rglob("annotations.yaml")) if Path(folder).is_dir() else []
    if not files:
        raise InputError(str(folder), "no annotations.yaml found; see fixtures/eval/README.md")
    backends = build_backends(config)
    result = Evaluation(per_category={c: CategoryStats() for c in CATEGORIES})
    result.min_severity = min_severity
    for path in files:
        try:
            _evaluate_story(path, config, backends, result, min_severity)
        except InputError as exc:
            result.errors.append(str(exc))
            log.warning("eval: %s", exc)
    return result


@dataclass(frozen=True, slots=True)
class ExpectedFinding:
    """One labelled finding: its category and the passages it spans."""

    category: str
    derived: str | None
    reference: str | None


@dataclass(frozen=True, slots=True)
class ExpectedNonFinding:
    """One labelled faithful retelling: the derived passage and the passage it retells."""

    derived: str | None
    reference: str | None


@dataclass(frozen=True, slots=True)
class DocumentLabels:
    """The labels of one derived document."""

    verdict: str  # "consistent" | "inconsistent"
    findings: tuple[ExpectedFinding, ...]
    non_findings: tuple[ExpectedNonFinding, ...]  # faithful retellings: must draw no finding


@dataclass(frozen=True, slots=True)
class Annotations:
    """One story's ``annotations.yaml``: the reference files and the labelled documents."""

    references: tuple[str, ...]
    documents: tuple[tuple[str, DocumentLabels], ...]


_VERDICTS = ("consistent", "inconsistent")
_MAX_LABELS = 100_000


def load_annotations(path: Path) -> Annotations:
    """Read and check an ``annotations.yaml`` (layout in ``fixtures/eval/README.md``).

    Raises:
        InputError: the file is unreadable, not YAML, or not laid out as documented.
    """
    origin = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(origin, f"unreadable annotation file ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(origin, "the annotation file is not UTF-8 text") from exc
    data = plain(
        parse_yaml(text, origin, "the annotation file"),
        origin,
        "the annotation file",
        source_chars=len(text),
        max_values=_MAX_LABELS,
    )
    if not isinstance(data, dict):
        raise InputError(origin, "the annotation file must be a mapping (see fixtures/eval)")
    refs = data.get("reference")
    references = (refs,) if isinstance(refs, str) else refs
    if (
        not isinstance(references, list | tuple)
        or not references
        or not all(isinstance(r, str) and r for r in references)
    ):
        raise InputError(origin, "'reference' must name a file of the folder, or a list of them")
    documents = data.get("documents") or {}
    if not isinstance(documents, dict):
        raise InputError(origin, "'documents' must map each derived file name to its labels")
    return Annotations(
        tuple(references),
        tuple(
            (name, _document_labels(doc, f"document {name!r}", origin))
            for name, doc in documents.items()
        ),
    )


def _document_labels(doc: Any, where: str, origin: str) -> DocumentLabels:
    doc = doc or {}
    if not isinstance(doc, dict):
        raise InputError(origin, f"{where} must be a mapping (verdict, findings, non_findings)")
    verdict_ = doc.get("verdict", "consistent")
    if verdict_ not in _VERDICTS:
        raise InputError(origin, f"{where}: verdict must be one of {', '.join(_VERDICTS)}")
    findings = []
    for item in _items(doc.get("findings"), f"{where}: findings", origin):
        category = item.get("category")
        if category not in CATEGORIES:
            raise InputError(
                origin,
                f"{where}: unknown finding category {category!r}; "
                f"use one of {', '.join(CATEGORIES)}",
            )
        findings.append(
            ExpectedFinding(
                category,
                _passage(item.get("derived"), f"{where}: derived", origin),
                _passage(item.get("reference"), f"{where}: reference", origin),
            )
        )
    non_findings = [
        ExpectedNonFinding(
            _passage(item.get("derived"), f"{where}: derived", origin),
            _passage(item.get("reference"), f"{where}: reference", origin),
        )
        for item in _items(doc.get("non_findings"), f"{where}: non_findings", origin)
    ]
    return DocumentLabels(verdict_, tuple(findings), tuple(non_findings))


def _items(value: Any, where: str, origin: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(origin, f"{where} must be a list of mappings")
    return value


def _passage(value: Any, where: str, origin: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(origin, f"{where} must be a passage of text")
    return value


def _evaluate_story(
    path: Path, config: RunConfig, backends: Any, result: Evaluation, min_severity: str
) -> None:
    labels = load_annotations(path)
    folder = path.parent
    corpus = load_corpus([folder], LoadOptions(pivot=config.pivot))
    by_name = {Path(a.origin).name: a for a in corpus.articles}
    missing = [n for n in labels.references if n not in by_name]
    if missing:
        raise InputError(str(path), f"reference {missing[0]!r} is not an article in {folder}")
    references = [by_name[n] for n in labels.references]
    for name, doc in labels.documents:
        if name not in by_name:
            raise InputError(str(path), f"document {name!r} is not an article in {folder}")
        derived = by_name[name]
        outcome = check_articles((derived, *references), config, backends=backends)
        floor = SEVERITY_RANK[min_severity]
        # informational findings (context_added) claim no distortion: not scored as one
        predicted = [
            f
            for f in outcome.findings
            if f.derived.article_id == derived.id
            and SEVERITY_RANK[f.severity] >= floor
            and f.category not in INFORMATIONAL
        ]
        _score_document(name, doc, derived, references, predicted, result)
        _score_alignment(doc, outcome, derived, references, result.alignment)
        got = verdict(predicted, None, min_severity="medium")
        result.verdicts[(doc.verdict, got)] += 1
        score = next((s.score for s in outcome.scores if s.article_id == derived.id), None)
        if score is not None:
            result.ranking.append((score, bool(doc.findings)))
        result.scored.append((f"{folder.name}/{name}", score, bool(doc.findings), got))
        result.documents += 1


def _locate(article: Article, passage: str | None) -> Span | None:
    if not passage:
        return None
    at = article.text.find(passage)
    if at < 0:
        return None
    return Span(at, at + len(passage))


def _score_document(
    name: str,
    doc: DocumentLabels,
    derived: Article,
    references: Sequence[Article],
    predicted: Sequence[Finding],
    result: Evaluation,
) -> None:
    expected = []
    for item in doc.findings:
        d_span = _locate(derived, item.derived)
        r_span = None
        r_id = None
        for ref in references:
            r_span = _locate(ref, item.reference)
            if r_span is not None:
                r_id = ref.id
                break
        expected.append((item.category, d_span, r_id, r_span))

    def overlaps(f: Finding, exp: tuple[Any, Span | None, str | None, Span | None]) -> bool:
        _, d_span, r_id, r_span = exp
        if d_span is not None and f.derived.span.overlaps(d_span):
            return True
        return (
            f.reference is not None
            and r_span is not None
            and f.reference.article_id == r_id
            and f.reference.span.overlaps(r_span)
        )

    used: set[str] = set()
    for item, exp in zip(doc.findings, expected, strict=True):
        category = exp[0]
        stats = result.per_category.setdefault(category, CategoryStats())
        hits = [f for f in predicted if f.category == category and overlaps(f, exp)]
        near = {f.category for f in predicted if overlaps(f, exp)}
        if hits:
            stats.tp += 1
            used.update(f.id for f in hits)
        else:
            stats.fn += 1
            result.cases.append(
                EvalCase(
                    "missed",
                    name,
                    category,
                    item.derived or "",
                    item.reference or "",
                    tuple(sorted(near)),
                )
            )
        for cat in near or {"none"}:
            result.confusion[(category, cat)] += 1
    for f in predicted:
        if f.severity == "high":
            result.high_findings += 1
            result.high_correct += f.id in used
    by_cat: dict[str, list[Finding]] = defaultdict(list)
    for f in predicted:
        if f.id not in used:
            by_cat[f.category].append(f)
    for cat, fs in by_cat.items():
        result.per_category.setdefault(cat, CategoryStats()).fp += len(fs)
        for f in fs:
            result.confusion[("none", cat)] += 1
            result.cases.append(
                EvalCase(
                    "unexpected",
                    name,
                    cat,
                    f.derived.text,
                    f.reference.text if f.reference else "",
                    (),
                    f.message,
                    f.severity,
                )
            )
    for faithful in doc.non_findings:
        result.paraphrases += 1
        d_span = _locate(derived, faithful.derived)
        # A finding credited to a labelled distortion of the same sentence (a finding spans its
        # whole claim) is about that distortion, not a false alarm on this passage.
        drew = [
            f
            for f in predicted
            if f.id not in used and d_span is not None and f.derived.span.overlaps(d_span)
        ]
        if drew:
            result.paraphrases_flagged += 1
            result.cases.append(
                EvalCase(
                    "paraphrase_flagged",
                    name,
                    "none",
                    faithful.derived or "",
                    faithful.reference or "",
                    tuple(sorted({f.category for f in drew})),
                    drew[0].message,
                )
            )


def _score_alignment(
    doc: DocumentLabels,
    outcome: ComparisonResult,
    derived: Article,
    references: Sequence[Article],
    rates: AlignmentRates,
) -> None:
    claims = {a.article.id: a.claims for a in outcome.articles}
    reference_ids = {r.id for r in references}
    links = {frozenset((a.left, a.right)) for a in outcome.alignment.alignments}
    labelled: set[frozenset[str]] = set()
    items: list[ExpectedFinding | ExpectedNonFinding] = [*doc.findings, *doc.non_findings]
    for item in items:
        d_span = _locate(derived, item.derived)
        if d_span is None:
            continue
        left = [c.id for c in claims.get(derived.id, ()) if c.span.overlaps(d_span)]
        right: list[str] = []
        for ref in references:
            r_span = _locate(ref, item.reference)
            if r_span is not None:
                right = [c.id for c in claims.get(ref.id, ()) if c.span.overlaps(r_span)]
                break
        if not left or not right:
            continue
        pairs = {frozenset((x, y)) for x in left for y in right}
        labelled |= pairs
        rates.labelled += 1
        rates.labelled_aligned += bool(pairs & links)
    for x in claims.get(derived.id, ()):
        for ref_id in reference_ids:
            for y in claims.get(ref_id, ()):
                pair = frozenset((x.id, y.id))
                if pair not in labelled:
                    rates.other += 1
                    rates.other_aligned += pair in links


def _ranking_line(report: Evaluation) -> str:
    auc = report.ranking_auc
    good = [s for s, bad in report.ranking if not bad]
    bad = [s for s, is_bad in report.ranking if is_bad]
    if auc is None:
        return (
            f"ranking AUC: n/a ({len(good)} faithful, {len(bad)} distorting documents scored; "
            "it needs both)"
        )
    return (
        f"ranking AUC (faithful above distorting by fidelity score): {auc:.3f} "
        f"({len(good)} faithful, mean score {_mean(good)}; "
        f"{len(bad)} distorting, mean score {_mean(bad)})"
    )


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_cases(report: Evaluation) -> Any:
    """A rich table of the cases the evaluation got wrong (``eval --cases``)."""
    from rich.table import Table

    table = Table(title=f"cases gone wrong: {len(report.cases)}", show_lines=True)
    for col in ("kind", "document", "expected", "got", "derived", "reference / message"):
        table.add_column(col, overflow="fold")
    for c in report.cases:
        other = c.reference if c.kind != "unexpected" or not c.message else c.message
        table.add_row(
            c.kind,
            c.document,
            c.category,
            ", ".join(c.got) or ("" if c.kind == "unexpected" else "none"),
            _short(c.derived),
            _short(other),
        )
    return table


def render_evaluation(report: Evaluation, *, cases: bool = False) -> Any:
    """A rich renderable: the per-category table, then the verdict and paraphrase figures
    (and, with ``cases``, every case that went wrong)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"fidelity eval: {report.documents} documents")
    for col in ("category", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for cat, s in sorted(report.per_category.items()):
        table.add_row(
            cat,
            str(s.tp),
            str(s.fp),
            str(s.fn),
            f"{s.precision:.2f}",
            f"{s.recall:.2f}",
            f"{s.f1:.2f}",
        )
    m = report.micro()
    table.add_row(
        "all (micro)",
        str(m.tp),
        str(m.fp),
        str(m.fn),
        f"{m.precision:.2f}",
        f"{m.recall:.2f}",
        f"{m.f1:.2f}",
        style="bold",
    )
    lines = [
        f"document verdict balanced accuracy: {report.balanced_accuracy:.3f} "
        + str(dict(report.verdicts)),
        f"faithful paraphrases flagged (false alarms on must-not-flag): "
        f"{report.paraphrases_flagged}/{report.paraphrases} ({report.false_alarm_rate:.1%})",
        _ranking_line(report),
        "precision of HIGH findings: "
        + (
            "n/a (none emitted)"
            if report.high_precision is None
            else f"{report.high_precision:.3f} ({report.high_correct}/{report.high_findings})"
        ),
        f"alignment: {report.alignment.labelled_rate:.1%} of labelled passage pairs aligned "
        f"({report.alignment.labelled_aligned}/{report.alignment.labelled}), "
        f"{report.alignment.other_rate:.1%} of other claim pairs "
        f"({report.alignment.other_aligned}/{report.alignment.other})",
    ]
    confusion = Table(title="confusion (expected -> predicted, overlapping passages)")
    confusion.add_column("expected")
    confusion.add_column("predicted")
    confusion.add_column("n", justify="right")
    for (e, p), n in sorted(report.confusion.items()):
        if e != p:
            confusion.add_row(e, p, str(n))
    parts: list[Any] = [table, Text("\n".join(lines)), confusion]
    if cases:
        parts.append(render_cases(report))
    for err in report.errors:
        parts.append(Text(f"error: {err}", style="red"))
    return Group(*parts)
