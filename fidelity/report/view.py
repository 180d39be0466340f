"""How the renderers read a ``ComparisonResult``: lookups by id, findings grouped by claim
cluster (most severe first), word-level differences and highlighted pieces of text.

Everything here is pure and shared by the terminal, HTML and Markdown renderers, so they
agree on order and grouping. Nothing here escapes text: each renderer escapes for its medium.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from fidelity.types import (
    SEVERITY_RANK,
    Article,
    Claim,
    ClaimCluster,
    ComparisonResult,
    Evidence,
    ExtractedArticle,
    Finding,
    Span,
)

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
_TOKEN = re.compile(r"\w+")  # words only: punctuation and quote styles are not changes
# C0/C1 controls (but newline and tab), DEL, and bidirectional overrides/isolates: in a
# terminal or a Markdown ticket they could rewrite the screen or reorder what an editor reads.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

DiffKind = Literal["same", "ins", "del"]


def visible(text: str) -> str:
    """Replace control characters and bidi overrides with visible stand-ins.

    C0 controls become their Unicode "control picture" (ESC shows as ``␛``); the rest become
    U+FFFD. Used by the plain-text, terminal and Markdown renderers (HTML escapes instead).
    """

    def stand_in(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x20:
            return chr(0x2400 + code)
        if code == 0x7F:
            return "\u2421"
        return "\ufffd"

    return _UNSAFE_CHARS.sub(stand_in, text)


def severity_rank(finding: Finding) -> int:
    return SEVERITY_RANK[finding.severity]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first; ties keep the scorer's order (stable sort)."""
    return sorted(findings, key=lambda f: -severity_rank(f))


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """The findings about one claim cluster (``cluster`` is None for claims in no cluster)."""

    cluster: ClaimCluster | None
    findings: tuple[Finding, ...]

    @property
    def worst(self) -> str:
        return self.findings[0].severity

    @property
    def key(self) -> str:
        return self.cluster.id if self.cluster else "unclustered"


class ResultIndex:
    """Lookups over one result: articles, claims and clusters by id, outlet labels."""

    def __init__(self, result: ComparisonResult) -> None:
        self.result = result
        self.articles: dict[str, ExtractedArticle] = {x.article.id: x for x in result.articles}
        self.claims: dict[str, Claim] = {}
        for extracted in result.articles:
            for claim in extracted.claims:
                self.claims[claim.id] = claim
        self.cluster_of_claim: dict[str, ClaimCluster] = {}
        for cluster in result.alignment.clusters:
            for claim_id in cluster.claim_ids:
                self.cluster_of_claim.setdefault(claim_id, cluster)
        self.clusters: dict[str, ClaimCluster] = {c.id: c for c in result.alignment.clusters}
        self.reference_id = result.reference_id or next(
            (x.article.id for x in result.articles if x.article.role == "source"), None
        )
        self._short = short_ids(self.articles)
        self._label_count = Counter(x.article.label for x in result.articles)
        self._ids: re.Pattern[str] | None = None

    def tag(self, article_id: str) -> str:
        """How a person reads an article id: the outlet and a short id (``RT·3f2a``).

        Without a known outlet the id itself is the name (it is what the file was called).
        """
        article = self.article(article_id)
        if article is None or not (article.outlet or article.site):
            return article_id
        return f"{article.label}·{self._short[article_id]}"

    def name(self, article_id: str) -> str:
        """The outlet alone where it names one article of the result, else :meth:`tag`."""
        article = self.article(article_id)
        if article is not None and self._label_count[article.label] == 1:
            return article.label
        return self.tag(article_id)

    def humanize(self, text: str) -> str:
        """``text`` with every article id of the result read as :meth:`tag` (story reasons
        name articles by id)."""
        if self._ids is None:
            ids = sorted(self.articles, key=len, reverse=True)
            alternatives = "|".join(re.escape(i) for i in ids)
            self._ids = re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])") if ids else None
            if self._ids is None:
                return text
        return self._ids.sub(lambda m: self.tag(m.group()), text)

    def claim_tag(self, claim_id: str) -> str:
        """A claim id (``<article id>#<index>``) as a person reads it: ``RT·3f2a #4``."""
        article_id, sep, number = claim_id.rpartition("#")
        if not sep or article_id not in self.articles:
            return claim_id
        return f"{self.tag(article_id)} #{number}"

    def article(self, article_id: str) -> Article | None:
        extracted = self.articles.get(article_id)
        return extracted.article if extracted else None

    def label(self, article_id: str) -> str:
        """The outlet name of an article, or its id when the outlet is unknown."""
        article = self.article(article_id)
        return article.label if article else article_id

    def cluster_of(self, finding: Finding) -> ClaimCluster | None:
        cluster = self.cluster_of_claim.get(finding.derived.claim_id)
        if cluster is None and finding.reference is not None:
            cluster = self.cluster_of_claim.get(finding.reference.claim_id)
        return cluster

    def original_words(self, evidence: Evidence) -> str:
        """The article characters an evidence span covers (the original-language words)."""
        article = self.article(evidence.article_id)
        return evidence.span.of(article.text) if article else ""

    def groups(self) -> list[FindingGroup]:
        """Findings grouped by claim cluster; the most severe group first, then the largest."""
        members: dict[str, list[Finding]] = {}
        clusters: dict[str, ClaimCluster | None] = {}
        for finding in self.result.findings:
            cluster = self.cluster_of(finding)
            key = cluster.id if cluster else ""
            members.setdefault(key, []).append(finding)
            clusters[key] = cluster
        groups = [FindingGroup(clusters[k], tuple(sort_findings(v))) for k, v in members.items()]
        # Unclustered findings (unsupported additions, mostly) go after clusters of equal rank.
        groups.sort(
            key=lambda g: (
                -SEVERITY_RANK[g.worst],
                g.cluster is None,
                -len(g.findings),
            )
        )
        return groups

    def severity_counts(self, findings: Iterable[Finding] | None = None) -> Counter[str]:
        counts: Counter[str] = Counter(dict.fromkeys(SEVERITIES, 0))
        for finding in self.result.findings if findings is None else findings:
            counts[finding.severity] += 1
        return counts

    def findings_of(self, article_id: str) -> list[Finding]:
        return [f for f in self.result.findings if f.derived.article_id == article_id]


def short_ids(article_ids: Iterable[str]) -> dict[str, str]:
    """Four hex digits of each id's hash, longer where two ids of one result would share them."""
    ids = list(dict.fromkeys(article_ids))
    digests = {a: hashlib.sha1(a.encode("utf-8", "surrogatepass")).hexdigest() for a in ids}
    for length in range(4, 41, 2):
        short = {a: d[:length] for a, d in digests.items()}
        if len(set(short.values())) == len(short):
            return short
    return digests  # pragma: no cover - distinct ids have distinct hashes


def comparison_mode(result: ComparisonResult) -> str:
    """What the findings were measured against, in words (every report's header says it)."""
    mode = comparison(result)
    return str(mode["text"])


def comparison(result: ComparisonResult) -> dict[str, object]:
    """The comparison that ran: ``mode`` (``reference``, ``sources`` or ``consensus``), the
    article ids it measured ``against``, the stories compared by ``consensus`` (only where
    sources were given for other stories) and ``text``, the same in words."""
    index = ResultIndex(result)
    if result.reference_id is not None:
        return {
            "mode": "reference",
            "against": [result.reference_id],
            "consensus_stories": [],
            "text": f"measured against the reference {index.tag(result.reference_id)}",
        }
    sources = [a.article for a in result.articles if a.article.role == "source"]
    used = {a for score in result.scores for a in score.compared_with}
    if any(a.id in used for a in sources):  # a source alone in its story measured nothing
        sources = [a for a in sources if a.id in used]
    if not sources:
        return {
            "mode": "consensus",
            "against": [],
            "consensus_stories": [],
            "text": "consensus: each outlet against the other outlets of its story",
        }
    source_ids = {a.id for a in sources}
    consensus = [
        story.id
        for story in result.alignment.stories
        if len(story.article_ids) > 1 and not source_ids & set(story.article_ids)
    ]
    labels = [a.label for a in sources]
    if len(set(labels)) < len(labels):  # two articles of one outlet: say which
        labels = [index.tag(a.id) for a in sources]
    text = "measured against the sources: " + ", ".join(labels)
    if consensus:
        text += "; by consensus of the outlets in " + ", ".join(consensus) + " (no source)"
    return {
        "mode": "sources",
        "against": [a.id for a in sources],
        "consensus_stories": consensus,
        "text": text,
    }


ONE_STORY_HINT = "to compare it with the others anyway, run again with --one-story"


@dataclass(frozen=True, slots=True)
class NotCompared:
    """An article of the input that no score or finding covers, and why."""

    article_id: str
    reason: str
    hint: str


def not_compared(result: ComparisonResult) -> list[NotCompared]:
    """Articles that were read but compared with nothing (none is silently dropped).

    An article is compared when it has a score or served as the reference or source of one.
    The rest are alone in their story (story grouping found too few shared facts), outside
    the reference's story, or sources with no derived article in their story.
    """
    index = ResultIndex(result)
    scored = {s.article_id for s in result.scores}
    used = {a for s in result.scores for a in s.compared_with}
    story_of = {a: story for story in result.alignment.stories for a in story.article_ids}
    reference = result.reference_id
    out = []
    for extracted in result.articles:
        article = extracted.article
        if article.id in scored or article.id in used:
            continue
        story = story_of.get(article.id)
        if story is not None and len(story.article_ids) == 1 and len(result.articles) > 1:
            reason = f"alone in its story {story.id}: {index.humanize(story.reason)}"
            hint = ONE_STORY_HINT
        elif reference is not None and article.id != reference:
            where = story_of.get(reference)
            reason = (
                f"not in the story of the reference {index.tag(reference)}"
                + (f" ({where.id})" if where else "")
                + (f"; it is in {story.id}" if story else "")
            )
            hint = ONE_STORY_HINT
        elif article.role == "source":
            reason = "a source with no derived article in its story"
            hint = "give the articles that retell it, or compare them with --one-story"
        else:
            reason = "nothing in its story to compare it with"
            hint = ONE_STORY_HINT
        out.append(NotCompared(article.id, reason, hint))
    return out


@dataclass(frozen=True, slots=True)
class Untranslated:
    """An article with sentences nothing could translate: those parts are unverifiable."""

    article_id: str
    claims: int  # claims of the article
    unverifiable: int  # of them, claims with an untranslated part
    segments: int  # untranslated sentences
    languages: tuple[str, ...]
    packages: tuple[str, ...]  # the argos packages that would translate them
    pivot: str

    @property
    def install(self) -> tuple[str, ...]:
        """The commands that install :attr:`packages` (from the downloaded archive)."""
        return tuple(f"fidelity models install {p}.argosmodel" for p in self.packages)

    def message(self) -> str:
        """One sentence for a person: what is unverifiable and what would translate it."""
        noun = "sentence" if self.segments == 1 else "sentences"
        text = (
            f"{self.segments} {noun} untranslated ({', '.join(self.languages) or 'unknown'}): "
            f"{self.unverifiable} of {self.claims} claims unverifiable, never counted as "
            "consistent"
        )
        if self.packages:
            installs = "; ".join(f"`{c}`" for c in self.install)
            text += (
                f"; the argos package {', '.join(self.packages)} would translate them: "
                f"{installs} (or give a translation: a NAME.{self.pivot}.md file beside the "
                "article, or `translation:` in its front matter)"
            )
        return text


def untranslated(result: ComparisonResult) -> list[Untranslated]:
    """Articles with untranslated sentences, and the packages that would translate them."""
    pivot = result.signature.pivot_language
    out = []
    for extracted in result.articles:
        missing = [
            s for s in extracted.translated.segments if s.provenance.status == "untranslated"
        ]
        if not missing:
            continue
        languages = tuple(sorted({s.segment.language for s in missing if s.segment.language}))
        packages = tuple(f"translate-{lang}_{pivot}" for lang in languages if lang != pivot)
        claims = extracted.claims
        out.append(
            Untranslated(
                article_id=extracted.article.id,
                claims=len(claims),
                unverifiable=sum(c.status == "untranslated" for c in claims),
                segments=len(missing),
                languages=languages,
                packages=packages,
                pivot=pivot,
            )
        )
    return out


def unverified(result: ComparisonResult) -> set[str]:
    """Articles none of whose claims could be read in the pivot language: their score measures
    nothing, so reports show it as unverifiable, not as a number."""
    return {u.article_id for u in untranslated(result) if u.claims and u.unverifiable == u.claims}


def summary_line(index: ResultIndex) -> str:
    """One sentence for the end of a report: findings by severity, articles, skipped inputs."""
    result = index.result
    counts = index.severity_counts()
    total = len(result.findings)
    noun = "finding" if total == 1 else "findings"
    parts = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES)
    flagged = len({f.derived.article_id for f in result.findings})
    line = (
        f"{total} {noun} ({parts}) in {flagged} of {len(result.articles)} articles, "
        f"{len(result.alignment.clusters)} claim clusters"
    )
    if result.skipped:
        line += f"; {len(result.skipped)} input{'s' if len(result.skipped) != 1 else ''} skipped"
    return line + "."


def pieces(text: str, highlights: Sequence[Span]) -> list[tuple[str, bool]]:
    """Cut ``text`` into (characters, highlighted) runs; overlapping highlights merge.

    Highlights reaching past the text are clipped, so a renderer never fails on a bad span.
    """
    merged: list[list[int]] = []
    for span in sorted(highlights):
        start, end = min(span.start, len(text)), min(span.end, len(text))
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in merged:
        if start > cursor:
            out.append((text[cursor:start], False))
        out.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        out.append((text[cursor:], False))
    return out


ELLIPSIS = "…"


def clip_passage(
    text: str, highlights: Sequence[Span], limit: int
) -> tuple[str, tuple[Span, ...], bool]:
    """At most ``limit`` characters of ``text`` around its first highlight, with ``…`` where
    words were cut; highlights are moved into the clipped text.

    Returns:
        The clipped text, its highlights and whether anything was cut.
    """
    if len(text) <= limit:
        return text, tuple(highlights), False
    marks = [h for h in highlights if h.start < min(h.end, len(text))]
    first = min((h.start for h in marks), default=0)
    start = max(0, first - limit // 3)
    end = min(len(text), start + limit)
    start = max(0, end - limit)
    if start > 0:  # begin and end on word edges
        space = text.find(" ", start, first if first > start else end)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", max(start + 1, first + 1), end)
        end = space if space > start else end
    body = text[start:end].strip()
    offset = start + (len(text[start:end]) - len(text[start:end].lstrip()))
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    moved = []
    for h in marks:
        a, b = max(h.start, offset), min(h.end, offset + len(body))
        if a < b:
            moved.append(Span(a - offset + len(prefix), b - offset + len(prefix)))
    return prefix + body + suffix, tuple(moved), True


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().casefold(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def similarity(reference: str, derived: str) -> float:
    """Share of words two texts have in common, in order (0..1, difflib's ratio on words)."""
    ref, der = _tokens(reference), _tokens(derived)
    if not ref and not der:
        return 1.0
    return difflib.SequenceMatcher(None, [t[0] for t in ref], [t[0] for t in der], False).ratio()


def redline(reference: str, derived: str) -> list[tuple[DiffKind, str]]:
    """Word-level difference from ``reference`` to ``derived`` as runs of text.

    Words are compared case-insensitively; punctuation is not compared (quotation-mark styles
    change with every house style and translation). "del" runs hold reference words the
    derived text dropped, "ins" runs the derived words that replaced or were added to them.
    Reading the "same" and "ins" runs in order gives back ``derived`` exactly.
    """
    ref, der = _tokens(reference), _tokens(derived)
    matcher = difflib.SequenceMatcher(None, [t[0] for t in ref], [t[0] for t in der], False)
    out: list[tuple[DiffKind, str]] = []
    cursor = 0  # position in ``derived`` already emitted

    def emit(kind: DiffKind, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        else:
            out.append((kind, text))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            emit("same", derived[cursor : der[j2 - 1][2]])
            cursor = der[j2 - 1][2]
            continue
        if j1 < len(der):
            emit("same", derived[cursor : der[j1][1]])  # the whitespace before the change
            cursor = der[j1][1]
        if i1 < i2:
            dropped = reference[ref[i1][1] : ref[i2 - 1][2]]
            # Deleted words are not part of ``derived``: the spaces that keep them apart from
            # their neighbours travel with them, so "same" + "ins" still rebuild ``derived``.
            before = " " if out and not out[-1][1][-1:].isspace() else ""
            following = derived[cursor : cursor + 1]
            after = " " if following and (j1 < j2 or following.isalnum()) else ""
            emit("del", before + dropped + after)
        if j1 < j2:
            emit("ins", derived[cursor : der[j2 - 1][2]])
            cursor = der[j2 - 1][2]
    emit("same", derived[cursor:])
    return out


def changed_spans(reference: str, derived: str) -> list[Span]:
    """Spans of ``derived`` whose words differ from ``reference`` (see :func:`redline`)."""
    spans: list[Span] = []
    cursor = 0
    for kind, text in redline(reference, derived):
        if kind == "ins":
            spans.append(Span(cursor, cursor + len(text)))
        if kind != "del":
            cursor += len(text)
    return spans


def anchor_ids(ids: Iterable[str], prefix: str) -> dict[str, str]:
    """Map ids (claim or finding ids, which may hold ``#`` or spaces) to unique HTML ids."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for raw in ids:
        if raw in out:
            continue
        base = prefix + (re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-") or "x")
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        out[raw] = candidate
    return out
