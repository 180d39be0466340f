"""House rules: a newsroom's settings for every run, from ``fidelity.toml`` and the environment.

Where a setting comes from, lowest first: fidelity's default, the settings file (``fidelity.toml``
found in the working folder or the nearest folder above it, or ``[tool.fidelity]`` of a
``pyproject.toml``, or the file given with ``--config``), a ``FIDELITY_*`` environment variable,
a command-line flag. ``Settings.origins`` says which one gave each value.

A ``fidelity.toml``::

    languages = ["en", "el", "ru"]
    pivot = "en"
    lexicons = ["house-terms.yaml"]        # relative to this file
    source_outlets = ["Reuters", "AP"]     # their articles count as sources in `compare`
    baseline = ".fidelity-baseline.json"   # accepted findings for `check`

    [gate]
    min_severity = "medium"                # check fails on findings of this severity or more
    fail_under = 70                        # ... or when the draft's score is under this

    [severity]                             # severity per category, applied before the gate
    headline_unsupported = "low"           # headline findings only as warnings

    [thresholds]                           # dotted names as the run signature lists them
    "align.accept" = 0.6

A bad key or value is a ``ConfigError`` naming the file, the line and the allowed values.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fidelity.errors import ConfigError
from fidelity.types import SEVERITY_RANK, ComparisonResult

if TYPE_CHECKING:
    from fidelity.pipeline import RunConfig

CONFIG_NAME = "fidelity.toml"
SEVERITIES = ("low", "medium", "high")
DETECTORS = ("lingua", "langdetect")
TRANSLATORS = ("auto", "argos", "provided", "identity")
EMBEDDERS = ("minilm", "none")
DEFAULT_LANGUAGES = ("en", "el", "ru", "uk", "de", "fr", "es", "it", "pl", "tr")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_MAX_CONFIG_BYTES = 1_000_000

# name -> (environment variable, command-line flag)
_TOP_LEVEL: dict[str, tuple[str, str]] = {
    "languages": ("FIDELITY_LANGUAGES", "--languages"),
    "pivot": ("FIDELITY_PIVOT", "--pivot"),
    "lexicons": ("FIDELITY_LEXICONS", "--lexicon"),
    "source_outlets": ("FIDELITY_SOURCE_OUTLETS", "--source-outlet"),
    "detector": ("FIDELITY_DETECTOR", "--detector"),
    "translator": ("FIDELITY_TRANSLATOR", "--translator"),
    "embedder": ("FIDELITY_EMBEDDER", "--embedder"),
    "baseline": ("FIDELITY_BASELINE", "--baseline"),
}
_GATE: dict[str, tuple[str, str]] = {
    "min_severity": ("FIDELITY_MIN_SEVERITY", "--min-severity"),
    "fail_under": ("FIDELITY_FAIL_UNDER", "--fail-under"),
}
_TABLES = ("gate", "severity", "thresholds")
_ENV_SEVERITY = "FIDELITY_SEVERITY"  # "headline_unsupported=low,omission=medium"
_ENV_THRESHOLDS = "FIDELITY_THRESHOLDS"  # "align.accept=0.6,score.quote_floor=80"
ENVIRONMENT = (
    *(env for env, _ in _TOP_LEVEL.values()),
    *(env for env, _ in _GATE.values()),
    _ENV_SEVERITY,
    _ENV_THRESHOLDS,
)


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective settings of a run and where each came from."""

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    pivot: str = "en"
    lexicons: tuple[Path, ...] = ()
    source_outlets: tuple[str, ...] = ()
    detector: str = "lingua"
    translator: str = "auto"
    embedder: str = "minilm"
    baseline: Path | None = None
    min_severity: str = "medium"
    fail_under: float | None = None
    severity: Mapping[str, str] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    file: Path | None = None  # the settings file read, if any
    origins: Mapping[str, str] = field(default_factory=dict)  # setting -> where it came from

    def origin(self, name: str) -> str:
        """Where a setting came from: ``default``, ``FILE:LINE``, ``$FIDELITY_…`` or a flag."""
        return self.origins.get(name, "default")

    def run_config(self, **fields: Any) -> RunConfig:
        """A ``RunConfig`` with these settings (``fields`` sets the others, e.g. ``jobs``)."""
        from fidelity.pipeline import RunConfig

        languages = self.languages
        if self.pivot not in languages:
            languages = (*languages, self.pivot)
        return RunConfig(
            detector=self.detector,
            languages=languages,
            translator=self.translator,
            pivot=self.pivot,
            embedder=self.embedder,
            lexicons=self.lexicons,
            source_outlets=self.source_outlets,
            min_severity=self.min_severity,
            extra_thresholds=dict(self.thresholds),
            **fields,
        )

    def effective(
        self, default_thresholds: Mapping[str, float] | None = None
    ) -> list[tuple[str, str, str]]:
        """Every setting as ``(name, value as text, origin)`` for ``fidelity config show``.

        Args:
            default_thresholds: the run's default thresholds (``threshold_defaults()``), to
                list the ones the settings leave alone as well.
        """
        rows: list[tuple[str, str, str]] = []
        for name in (*_TOP_LEVEL, *_GATE):
            rows.append((_display_name(name), _show(getattr(self, name)), self.origin(name)))
        for category, level in sorted(self.severity.items()):
            rows.append((f"severity.{category}", level, self.origin(f"severity.{category}")))
        thresholds = {**(default_thresholds or {}), **self.thresholds}
        for key, value in sorted(thresholds.items()):
            rows.append((f"thresholds.{key}", f"{value:g}", self.origin(f"thresholds.{key}")))
        return rows


def threshold_defaults() -> dict[str, float]:
    """The default thresholds of a run, by the dotted names its signature lists."""
    from fidelity.align import AlignConfig
    from fidelity.score import ScoreConfig

    return {**AlignConfig().as_dict(), **ScoreConfig().as_dict()}


def _display_name(name: str) -> str:
    return f"gate.{name}" if name in _GATE else name


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# ------------------------------------------------------------------------------- finding it


def find_settings_file(start: str | Path | None = None) -> Path | None:
    """The nearest ``fidelity.toml`` (or ``pyproject.toml`` with ``[tool.fidelity]``) from
    ``start`` (default: the working folder) upward; ``None`` when there is none."""
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and _has_tool_table(project):
            return project
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*fidelity\s*[.\]]", text, re.MULTILINE) is not None


# ------------------------------------------------------------------------------- reading it


def load_settings(
    config: str | Path | None = None,
    *,
    cwd: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
    known_thresholds: Sequence[str] | None = None,
) -> Settings:
    """The effective settings: defaults < settings file < environment < ``flags``.

    Args:
        config: the settings file to read (default: found upward from ``cwd``).
        cwd: where to start looking for a settings file (default: the working folder).
        environ: the environment (default: ``os.environ``); ``FIDELITY_*`` variables are read.
        flags: settings given on the command line, by setting name (``pivot``, ``languages``,
            ``min_severity`` …), already of the setting's type.
        known_thresholds: the threshold names allowed (default: the signature's names).

    Raises:
        ConfigError: a bad key or value, with the file and line, or the variable, that holds it.
    """
    environ = os.environ if environ is None else environ
    path = Path(config) if config is not None else None
    if path is None and environ.get("FIDELITY_CONFIG"):
        path = Path(environ["FIDELITY_CONFIG"])
    if path is None:
        path = find_settings_file(cwd)
    elif not path.is_file():
        raise ConfigError(f"{path}: no such settings file; check the --config path")
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    severity: dict[str, str] = {}
    thresholds: dict[str, float] = {}
    allowed_thresholds = _known_thresholds(known_thresholds)
    if path is not None:
        _read_file(path, values, origins, severity, thresholds, allowed_thresholds)
    _read_environment(environ, values, origins, severity, thresholds, allowed_thresholds)
    for name, value in (flags or {}).items():
        if value is None:
            continue
        if name not in _TOP_LEVEL and name not in _GATE:
            raise ValueError(f"unknown setting {name!r}")  # a programming error, not the user's
        values[name] = value
        origins[name] = (_TOP_LEVEL.get(name) or _GATE[name])[1]
    return Settings(**values, severity=severity, thresholds=thresholds, file=path, origins=origins)


def _known_thresholds(given: Sequence[str] | None) -> tuple[str, ...]:
    if given is not None:
        return tuple(given)
    return tuple(sorted(threshold_defaults()))


def _categories() -> tuple[str, ...]:
    from fidelity.score import CATEGORIES

    return tuple(CATEGORIES)


class _Where:
    """Line numbers of keys in a TOML text (tomllib does not give them)."""

    _HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
    _KEY = re.compile(r"""^\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_.\- ]+?)\s*=""")

    def __init__(self, path: Path, text: str, prefix: tuple[str, ...]) -> None:
        self.path = path
        self.prefix = prefix
        self.lines: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), 1):
            header = self._HEADER.match(line)
            if header:
                table = tuple(p.strip().strip("\"'") for p in header.group(1).split("."))
                self.lines.setdefault(table, number)
                continue
            key = self._KEY.match(line)
            if key:
                quoted = key.group(2) if key.group(2) is not None else key.group(3)
                bare = quoted if quoted is not None else key.group(1)
                for parts in ((bare,), tuple(p.strip() for p in bare.split("."))):
                    self.lines.setdefault((*table, *parts), number)

    def __call__(self, *keys: str) -> str:
        """``FILE:LINE`` of a key (or of the nearest table that holds it)."""
        path = (*self.prefix, *keys)
        while path:
            if path in self.lines:
                return f"{self.path}:{self.lines[path]}"
            path = path[:-1]
        return str(self.path)


def _read_file(
    path: Path,
    values: dict[str, Any],
    origins: dict[str, str],
    severity: dict[str, str],
    thresholds: dict[str, float],
    allowed_thresholds: Sequence[str],
) -> None:
    try:
        if path.stat().st_size > _MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: larger than {_MAX_CONFIG_BYTES} bytes; not a settings file")
        text = path.read_text("utf-8")
        document = tomllib.loads(text)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the settings file ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: the settings file is not UTF-8 text") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "fidelity")
        table = document.get("tool", {}).get("fidelity")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: has no [tool.fidelity] table")
        document = table
    where = _Where(path, text, prefix)
    allowed_keys = (*_TOP_LEVEL, *_TABLES)
    for key, value in document.items():
        if key not in allowed_keys:
            raise ConfigError(
                f"{where(key)}: unknown setting {key!r}; allowed: {', '.join(allowed_keys)}"
            )
        if key in _TOP_LEVEL:
            values[key] = _check_top(key, value, where(key), base=path.parent)
            origins[key] = where(key)
        elif not isinstance(value, dict):
            raise ConfigError(f"{where(key)}: {key!r} must be a table ([{key}])")
        elif key == "gate":
            for name, item in value.items():
                if name not in _GATE:
                    raise ConfigError(
                        f"{where('gate', name)}: unknown setting 'gate.{name}'; allowed: "
                        + ", ".join(f"gate.{g}" for g in _GATE)
                    )
                values[name] = _check_gate(name, item, where("gate", name))
                origins[name] = where("gate", name)
        elif key == "severity":
            for category, level in value.items():
                severity[category] = _check_severity(category, level, where("severity", category))
                origins[f"severity.{category}"] = where("severity", category)
        else:
            for name, number in _flatten(value):
                at = where("thresholds", *name.split("."))
                thresholds[name] = _check_threshold(name, number, at, allowed_thresholds)
                origins[f"thresholds.{name}"] = at


def _flatten(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{"align": {"accept": 0.6}}`` and ``{"align.accept": 0.6}`` both as ``align.accept``."""
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _flatten(value, name + ".")
        else:
            out.append((name, value))
    return out


def _read_environment(
    environ: Mapping[str, str],
    values: dict[str, Any],
    origins: dict[str, str],
    severity: dict[str, str],
    thresholds: dict[str, float],
    allowed_thresholds: Sequence[str],
) -> None:
    for name, (variable, _) in {**_TOP_LEVEL, **_GATE}.items():
        raw = environ.get(variable)
        if raw is None or raw == "":
            continue
        at = f"${variable}"
        value: Any
        if name in ("languages", "source_outlets"):
            value = [p.strip() for p in raw.split(",") if p.strip()]
        elif name == "lexicons":
            value = [p for p in raw.split(os.pathsep) if p]
        elif name == "fail_under":
            try:
                value = float(raw)
            except ValueError:
                raise ConfigError(f"{at}: {raw!r} is not a number; allowed: 0 to 100") from None
        else:
            value = raw.strip()
        if name in _GATE:
            values[name] = _check_gate(name, value, at)
        else:
            values[name] = _check_top(name, value, at, base=Path.cwd())
        origins[name] = at
    for variable, target in ((_ENV_SEVERITY, severity), (_ENV_THRESHOLDS, thresholds)):
        raw = environ.get(variable, "")
        for item in (p.strip() for p in raw.split(",") if p.strip()):
            at = f"${variable}"
            key, sep, value = item.partition("=")
            key, value = key.strip(), value.strip()
            if not sep:
                raise ConfigError(f"{at}: expected NAME=VALUE items separated by commas")
            if target is severity:
                severity[key] = _check_severity(key, value, at)
                origins[f"severity.{key}"] = at
            else:
                try:
                    number: Any = float(value)
                except ValueError:
                    number = value
                thresholds[key] = _check_threshold(key, number, at, allowed_thresholds)
                origins[f"thresholds.{key}"] = at


# ------------------------------------------------------------------------------- checking it


def _strings(value: Any, at: str, name: str) -> list[str]:
    if isinstance(value, str):
        value = [p.strip() for p in value.split(",") if p.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{at}: {name!r} must be a list of strings")
    return [v.strip() for v in value]


def _choice(value: Any, at: str, name: str, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(f"{at}: {name} = {value!r} is not allowed; allowed: {', '.join(allowed)}")
    return value


def _check_top(name: str, value: Any, at: str, *, base: Path) -> Any:
    if name == "languages":
        languages = _strings(value, at, name)
        for language in languages:
            if not _LANGUAGE.match(language):
                raise ConfigError(
                    f"{at}: language {language!r} is not allowed; allowed: ISO 639-1 codes "
                    "such as en, el, ru"
                )
        if not languages:
            raise ConfigError(f"{at}: 'languages' is empty; allowed: ISO 639-1 codes")
        return tuple(languages)
    if name == "pivot":
        if not isinstance(value, str) or not _LANGUAGE.match(value):
            raise ConfigError(
                f"{at}: pivot = {value!r} is not allowed; allowed: an ISO 639-1 code such as en"
            )
        return value
    if name == "lexicons":
        return tuple(base / p for p in _strings(value, at, name))
    if name == "source_outlets":
        return tuple(_strings(value, at, name))
    if name == "baseline":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{at}: baseline must be a file path (a string)")
        return base / value
    allowed = {"detector": DETECTORS, "translator": TRANSLATORS, "embedder": EMBEDDERS}[name]
    return _choice(value, at, name, allowed)


def _check_gate(name: str, value: Any, at: str) -> Any:
    if name == "min_severity":
        return _choice(value, at, "gate.min_severity", SEVERITIES)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigError(f"{at}: gate.fail_under = {value!r} is not allowed; allowed: 0 to 100")
    return float(value)


def _check_severity(category: str, level: Any, at: str) -> str:
    categories = _categories()
    if category not in categories:
        raise ConfigError(
            f"{at}: unknown category {category!r} in [severity]; allowed: {', '.join(categories)}"
        )
    return _choice(level, at, f"severity.{category}", SEVERITIES)


def _check_threshold(name: str, value: Any, at: str, allowed: Sequence[str]) -> float:
    if name not in allowed:
        raise ConfigError(f"{at}: unknown threshold {name!r}; allowed: {', '.join(allowed)}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{at}: threshold {name} = {value!r} is not allowed; allowed: a number")
    return float(value)


# ------------------------------------------------------------------------------- applying it


def apply_severity(result: ComparisonResult, overrides: Mapping[str, str]) -> ComparisonResult:
    """``result`` with each finding's severity set by category as the house rules say.

    Only the findings' severity changes (and so the gate and the reports); the scores are the
    scorer's.
    """
    if not overrides:
        return result
    for level in overrides.values():
        if level not in SEVERITY_RANK:
            raise ConfigError(
                f"severity {level!r} is not allowed; allowed: {', '.join(SEVERITIES)}"
            )
    findings = tuple(
        replace(f, severity=overrides[f.category])  # type: ignore[arg-type]
        if f.category in overrides and overrides[f.category] != f.severity
        else f
        for f in result.findings
    )
    return replace(result, findings=findings)


__all__ = [
    "CONFIG_NAME",
    "ENVIRONMENT",
    "Settings",
    "apply_severity",
    "find_settings_file",
    "load_settings",
    "threshold_defaults",
]
