"""The metadata of one article (front matter, ``.meta.yaml`` sidecar, JSONL record), checked.

What the YAML or JSON parser returned is copied into plain, bounded data
(``fidelity.plaindata.plain``); the fields an article reads are single values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fidelity.errors import InputError
from fidelity.plaindata import parse_json, parse_yaml, plain

__all__ = ["ARTICLE_FIELDS", "article_metadata", "parse_json", "parse_yaml"]

# Fields an article reads from its metadata; each is one value, never a list or a mapping.
ARTICLE_FIELDS = (
    "id",
    "outlet",
    "site",
    "url",
    "published",
    "language",
    "role",
    "title",
    "translation",
    "translation_of",
)


def article_metadata(data: Any, origin: str, what: str, *, source_chars: int) -> dict[str, Any]:
    """Check and copy the metadata of one article (``None`` means none).

    Args:
        data: what the YAML or JSON parser returned.
        origin: the file (and line) it came from, for messages.
        what: how to name it in messages ("the front matter").
        source_chars: length of the text it was parsed from (bounds what aliases may expand to).

    Returns:
        Plain, bounded data; the fields in ``ARTICLE_FIELDS`` are single values.

    Raises:
        InputError: not a mapping, too large or deep, or a field holds a list or mapping.
    """
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InputError(origin, f"{what} must be a mapping of fields (key: value lines)")
    meta: dict[str, Any] = plain(data, origin, what, source_chars=source_chars)
    for field in ARTICLE_FIELDS:
        value = meta.get(field)
        if isinstance(value, dict | list):
            kind = "list" if isinstance(value, list) else "mapping"
            raise InputError(origin, f"{field!r} in {what} must be a single value, not a {kind}")
    return meta
