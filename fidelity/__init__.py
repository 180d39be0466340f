"""fidelity: a multilingual source-fidelity checker for news.

The Python API (imported on first use, so that ``import fidelity`` stays instant)::

    import fidelity

    report = fidelity.check("draft.md", ["wire.md"])        # paths, texts or Articles
    report.verdict                                          # "consistent" | "inconsistent"
    html = report.to_html()                 # also to_json(), to_markdown(), to_csv()
    story = fidelity.compare(["a.md", "b.md", "c.md"])      # findings and a score per outlet
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from fidelity.api import ArticleInput, FidelityReport, RunOptions, check, compare, gate
    from fidelity.baseline import Baseline, load_baseline
    from fidelity.errors import (
        ConfigError,
        FidelityError,
        InputError,
        ModelError,
        ReportError,
        UsageError,
    )
    from fidelity.pipeline import RunConfig
    from fidelity.settings import Settings, load_settings
    from fidelity.types import (
        AcceptedFinding,
        Article,
        ComparisonResult,
        Evidence,
        FidelityScore,
        Finding,
    )

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "check": "fidelity.api",
    "compare": "fidelity.api",
    "gate": "fidelity.api",
    "FidelityReport": "fidelity.api",
    "ArticleInput": "fidelity.api",
    "RunOptions": "fidelity.api",
    "RunConfig": "fidelity.pipeline",
    "Settings": "fidelity.settings",
    "load_settings": "fidelity.settings",
    "Baseline": "fidelity.baseline",
    "load_baseline": "fidelity.baseline",
    "Article": "fidelity.types",
    "AcceptedFinding": "fidelity.types",
    "ComparisonResult": "fidelity.types",
    "Evidence": "fidelity.types",
    "FidelityScore": "fidelity.types",
    "Finding": "fidelity.types",
    "FidelityError": "fidelity.errors",
    "ConfigError": "fidelity.errors",
    "InputError": "fidelity.errors",
    "ModelError": "fidelity.errors",
    "ReportError": "fidelity.errors",
    "UsageError": "fidelity.errors",
}

__all__ = [
    "AcceptedFinding",
    "Article",
    "ArticleInput",
    "Baseline",
    "ComparisonResult",
    "ConfigError",
    "Evidence",
    "FidelityError",
    "FidelityReport",
    "FidelityScore",
    "Finding",
    "InputError",
    "ModelError",
    "ReportError",
    "RunConfig",
    "RunOptions",
    "Settings",
    "UsageError",
    "__version__",
    "check",
    "compare",
    "gate",
    "load_baseline",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fidelity' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
