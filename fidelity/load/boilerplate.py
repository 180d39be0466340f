"""Find boilerplate inside article text: navigation, comment widgets, share lines, photo credits,
image file names, site footers, repeated headlines.

Nothing is deleted: the result is a list of ``Removal`` spans so the text keeps its offsets and
a report can show what was set aside. The vocabulary lives in ``boilerplate.yaml`` beside this
module so an editor can extend it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from fidelity.errors import ConfigError
from fidelity.types import Removal, Span

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?…:;\"”»’)]\s*$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    lines: dict[str, str]  # normalised line -> reason
    prefixes: tuple[tuple[str, str], ...]  # (normalised prefix, reason)
    patterns: tuple[tuple[re.Pattern[str], str], ...]


def _normalise(line: str) -> str:
    return " ".join(line.casefold().split()).strip(" \t-–—|•·")


@lru_cache(maxsize=1)
def default_rules() -> BoilerplateRules:
    """The packaged rules (``fidelity/load/boilerplate.yaml``)."""
    text = resources.files("fidelity.load").joinpath("boilerplate.yaml").read_text("utf-8")
    return parse_rules(yaml.safe_load(text))


def parse_rules(data: Any) -> BoilerplateRules:
    """Build rules from the YAML structure documented in ``boilerplate.yaml``."""
    if not isinstance(data, dict):
        raise ConfigError("boilerplate rules must be a mapping with lines/prefixes/patterns")
    lines: dict[str, str] = {}
    for reason, entries in (data.get("lines") or {}).items():
        for entry in entries or ():
            lines[_normalise(str(entry))] = str(reason)
    prefixes = tuple(
        (_normalise(str(entry)), str(reason))
        for reason, entries in (data.get("prefixes") or {}).items()
        for entry in entries or ()
    )
    try:
        patterns = tuple(
            (re.compile(str(rx), re.IGNORECASE | re.MULTILINE), str(reason))
            for reason, rx in (data.get("patterns") or {}).items()
        )
    except re.error as exc:
        raise ConfigError(f"bad boilerplate pattern: {exc}") from exc
    return BoilerplateRules(lines, prefixes, patterns)


def find_boilerplate(
    text: str, rules: BoilerplateRules | None = None, *, title: str | None = None
) -> tuple[Removal, ...]:
    """Return the boilerplate spans of ``text``, in order, never overlapping.

    Args:
        text: the decoded article text.
        rules: vocabulary to use (default: the packaged one).
        title: the known headline; its first occurrence is never taken for a label.

    Returns:
        Removals sorted by start offset.
    """
    rules = rules or default_rules()
    lines = [(m.start(), m.end(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]
    found: list[Removal] = []
    taken: set[int] = set()

    def take(i: int, reason: str) -> None:
        start, end, raw = lines[i]
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        found.append(Removal(Span(start + lead, end - trail), reason))
        taken.add(i)

    seen: set[str] = set()
    title_norm = _normalise(title) if title else None
    for i, (_, _, raw) in enumerate(lines):
        norm = _normalise(raw)
        reason = rules.lines.get(norm) or _prefix_reason(norm, rules)
        if reason:
            take(i, reason)
        elif len(_WORD.findall(norm)) >= 4 and norm in seen:
            take(i, "duplicate")
        seen.add(norm)

    # Short label lines before the first real paragraph are navigation; after the last one, footer.
    first_real = next((i for i, ln in enumerate(lines) if _is_real(ln[2])), len(lines))
    last_real = next((i for i in range(len(lines) - 1, -1, -1) if _is_real(lines[i][2])), -1)
    for i in range(first_real):
        if i not in taken and _is_label(lines[i][2]) and _normalise(lines[i][2]) != title_norm:
            take(i, "navigation")
    for i in range(last_real + 1, len(lines)):
        if i not in taken and _is_label(lines[i][2]):
            take(i, "footer")

    for pattern, reason in rules.patterns:
        for m in pattern.finditer(text):
            span = Span(m.start(), m.end())
            if span and not any(r.span.overlaps(span) for r in found):
                found.append(Removal(span, reason))
    return tuple(sorted(found, key=lambda r: r.span.start))


def _prefix_reason(norm: str, rules: BoilerplateRules) -> str | None:
    words = len(_WORD.findall(norm))
    for prefix, reason in rules.prefixes:
        if not norm.startswith(prefix):
            continue
        rest = norm[len(prefix) :]
        if reason == "photo-credit":
            # "Photo: Reuters", "Фото: AP" — short, introduced by a colon or dash.
            if rest[:1] in (":", "—", "–", "-", "/") and words <= 12:
                return reason
        elif (rest[:1] in ("", " ", ":")) and words <= 25:
            return reason
    return None


def _is_real(line: str) -> bool:
    """A line that reads as article prose (long enough, or a full sentence)."""
    words = len(_WORD.findall(line))
    return words >= 6 or (words >= 3 and bool(_SENTENCE_END.search(line)))


def _is_label(line: str) -> bool:
    stripped = line.strip()
    return len(_WORD.findall(stripped)) <= 4 and not _SENTENCE_END.search(stripped)
