"""One exception tree for the whole library; the CLI maps it to exit codes.

Messages say what was expected and how to fix it. The library never prints or exits.
"""

from __future__ import annotations


class FidelityError(Exception):
    """Base of every error fidelity raises on purpose."""

    exit_code = 2


class UsageError(FidelityError):
    """The command was asked for something it cannot do (bad option combination, no inputs)."""


class InputError(FidelityError):
    """An input file or folder is missing, unreadable, empty, binary, too large or malformed."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # so that the error survives the trip back from a worker process
        return (type(self), (self.origin, self.reason))


class ConfigError(FidelityError):
    """A configuration value or lexicon file is invalid."""


class ModelError(FidelityError):
    """A model (translation package, embedder, detector) is missing, invalid or unusable."""


class ArchiveError(ModelError):
    """A model archive was refused before anything was written (hostile or malformed)."""


class NetworkRefused(FidelityError):
    """A code path wanted the network and the user did not ask for a download."""


class CacheError(FidelityError):
    """A cache could not be opened, even after moving a corrupt one aside."""


class ReportError(FidelityError):
    """A report could not be written."""
