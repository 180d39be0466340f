"""Accepted findings (a baseline): findings an editor has reviewed and let stand, with a reason.

A finding is recognised by its *fingerprint*: its category and the normalised words of both
passages (case folded, punctuation dropped), never offsets or claim numbers, so an accepted
finding stays accepted when unrelated sentences are added, removed or edited elsewhere in the
draft. ``apply_baseline`` moves the matching findings of a result into ``result.accepted``;
the gate and the reports then treat them apart.

The baseline file is JSON (``.fidelity-baseline.json`` by convention)::

    {"version": 1, "accepted": [{"fingerprint": "…", "category": "…", "derived": "…",
      "reference": "…" | null, "reason": "…", "finding_id": "…", "outlet": "…",
      "accepted_at": "2026-01-31T12:00:00Z"}, …]}
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fidelity.errors import ConfigError, UsageError
from fidelity.types import AcceptedFinding, ComparisonResult, Finding

BASELINE_VERSION = 1
DEFAULT_BASELINE = ".fidelity-baseline.json"
_WORD = re.compile(r"\w+")
_MAX_BASELINE_BYTES = 20_000_000


def normalised_words(text: str | None) -> str:
    """The words of ``text``, case folded, separated by single spaces (punctuation dropped)."""
    return " ".join(m.group().casefold() for m in _WORD.finditer(text or ""))


def fingerprint(category: str, derived_text: str, reference_text: str | None) -> str:
    """The fingerprint of a finding from its category and the texts of both passages."""
    key = "\x1f".join((category, normalised_words(derived_text), normalised_words(reference_text)))
    return "fp-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def finding_fingerprint(finding: Finding) -> str:
    """The fingerprint of ``finding`` (see :func:`fingerprint`)."""
    reference = finding.reference.text if finding.reference else None
    return fingerprint(finding.category, finding.derived.text, reference)


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted finding as recorded in the baseline file."""

    fingerprint: str
    category: str
    derived: str
    reference: str | None
    reason: str
    finding_id: str = ""
    outlet: str = ""
    accepted_at: str = ""

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise UsageError('an accepted finding needs a reason; give --reason "…"')

    def as_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "category": self.category,
            "derived": self.derived,
            "reference": self.reference,
            "reason": self.reason,
            "finding_id": self.finding_id,
            "outlet": self.outlet,
            "accepted_at": self.accepted_at,
        }


@dataclass(frozen=True, slots=True)
class Baseline:
    """The accepted findings, by fingerprint."""

    entries: tuple[BaselineEntry, ...] = ()

    def reason_for(self, fingerprint_: str) -> str | None:
        for entry in self.entries:
            if entry.fingerprint == fingerprint_:
                return entry.reason
        return None

    def with_entry(self, entry: BaselineEntry) -> Baseline:
        """This baseline with ``entry`` added (replacing an entry of the same fingerprint)."""
        kept = [e for e in self.entries if e.fingerprint != entry.fingerprint]
        return Baseline(tuple(sorted([*kept, entry], key=lambda e: e.fingerprint)))


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file; a file that does not exist yet is an empty baseline.

    Raises:
        ConfigError: the file is not a baseline (not JSON, wrong shape, too large).
    """
    target = Path(path)
    if not target.exists():
        return Baseline()
    if target.is_dir():
        raise ConfigError(f"baseline {target}: is a folder; give the baseline file's path")
    if target.stat().st_size > _MAX_BASELINE_BYTES:
        raise ConfigError(f"baseline {target}: larger than {_MAX_BASELINE_BYTES} bytes")
    try:
        data = json.loads(target.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"baseline {target}: not readable as JSON ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("accepted"), list):
        raise ConfigError(
            f'baseline {target}: expected {{"version": 1, "accepted": [...]}}; '
            "was it written by `fidelity accept`?"
        )
    entries = []
    for number, item in enumerate(data["accepted"]):
        entries.append(_entry(item, f"baseline {target}: accepted[{number}]"))
    return Baseline(tuple(entries))


def _entry(item: Any, where: str) -> BaselineEntry:
    if not isinstance(item, Mapping):
        raise ConfigError(f"{where}: expected an object")
    for key in ("fingerprint", "category", "derived", "reason"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    reference = item.get("reference")
    if reference is not None and not isinstance(reference, str):
        raise ConfigError(f"{where}: 'reference' must be a string or null")
    return BaselineEntry(
        fingerprint=item["fingerprint"],
        category=item["category"],
        derived=item["derived"],
        reference=reference,
        reason=item["reason"],
        finding_id=str(item.get("finding_id") or ""),
        outlet=str(item.get("outlet") or ""),
        accepted_at=str(item.get("accepted_at") or ""),
    )


def render_baseline(baseline: Baseline) -> str:
    """The baseline file's text (sorted by fingerprint, so that diffs stay small)."""
    document = {
        "version": BASELINE_VERSION,
        "accepted": [e.as_json() for e in sorted(baseline.entries, key=lambda e: e.fingerprint)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def save_baseline(baseline: Baseline, path: str | Path) -> Path:
    """Write the baseline atomically (a temporary file, then a rename).

    Raises:
        ReportError: the file cannot be written.
    """
    from fidelity.report.output import write_report

    return write_report(render_baseline(baseline), path)


def apply_baseline(result: ComparisonResult, baseline: Baseline) -> ComparisonResult:
    """Move the findings the baseline accepts from ``result.findings`` to ``result.accepted``."""
    if not baseline.entries:
        return result
    kept: list[Finding] = []
    accepted = list(result.accepted)
    for finding in result.findings:
        mark = finding_fingerprint(finding)
        reason = baseline.reason_for(mark)
        if reason is None:
            kept.append(finding)
        else:
            accepted.append(AcceptedFinding(finding=finding, reason=reason, fingerprint=mark))
    return replace(result, findings=tuple(kept), accepted=tuple(accepted))


def entry_for_finding(
    finding: Mapping[str, Any] | Finding, reason: str, *, outlet: str = ""
) -> BaselineEntry:
    """A baseline entry for a finding (a ``Finding`` or its JSON form from a saved report)."""
    if isinstance(finding, Finding):
        category, finding_id = finding.category, finding.id
        derived = finding.derived.text
        reference = finding.reference.text if finding.reference else None
    else:
        category, finding_id = str(finding["category"]), str(finding.get("id") or "")
        derived = str(finding["derived"]["text"])
        ref = finding.get("reference")
        reference = str(ref["text"]) if isinstance(ref, Mapping) else None
        outlet = outlet or str(finding["derived"].get("outlet") or "")
    return BaselineEntry(
        fingerprint=fingerprint(category, derived, reference),
        category=category,
        derived=derived,
        reference=reference,
        reason=reason.strip(),
        finding_id=finding_id,
        outlet=outlet,
        accepted_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def finding_in_report(report: str | Path, finding_id: str) -> dict[str, Any]:
    """The finding with this id (or fingerprint, or a unique prefix of either) in a JSON report.

    Raises:
        UsageError: the report cannot be read, or no finding (or more than one) matches.
    """
    path = Path(report)
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"{path}: no such report; save one with `fidelity check … -o {path.name}`"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a JSON report of fidelity ({error})") from error
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list):
        raise UsageError(f"{path}: not a JSON report of fidelity (no 'findings' list)")
    accepted = document.get("accepted") or []
    candidates = [f for f in findings if isinstance(f, dict)] + [
        a["finding"] for a in accepted if isinstance(a, dict) and isinstance(a.get("finding"), dict)
    ]
    wanted = finding_id.strip()
    exact = [f for f in candidates if f.get("id") == wanted or _print_of(f) == wanted]
    matches = exact or [
        f
        for f in candidates
        if str(f.get("id", "")).startswith(wanted) or _print_of(f).startswith(wanted)
    ]
    if not wanted or not matches:
        raise UsageError(
            f"no finding {finding_id!r} in {path}; the ids are listed in the report's findings"
        )
    if len({_print_of(f) for f in matches}) > 1:
        raise UsageError(f"{finding_id!r} matches {len(matches)} findings in {path}; give more")
    found: dict[str, Any] = matches[0]
    return found


def _print_of(finding: Mapping[str, Any]) -> str:
    ref = finding.get("reference")
    derived = finding.get("derived") or {}
    return fingerprint(
        str(finding.get("category")),
        str(derived.get("text", "")),
        str(ref["text"]) if isinstance(ref, Mapping) else None,
    )


__all__ = [
    "DEFAULT_BASELINE",
    "Baseline",
    "BaselineEntry",
    "apply_baseline",
    "entry_for_finding",
    "finding_fingerprint",
    "finding_in_report",
    "fingerprint",
    "load_baseline",
    "normalised_words",
    "render_baseline",
    "save_baseline",
]
