"""YAML and JSON from outside, read into plain, bounded data.

Lives below the stages: the loader reads front matter, ``.meta.yaml`` sidecars and JSONL lines
with it, ``fidelity eval`` its annotation files, ``check --batch`` its lines. YAML is parsed
with the safe loader only (libyaml's C version when present), so no tag can build an object or
run code. What a parser returns is copied into plain data (text, numbers, booleans, null,
lists, mappings with text keys) within a depth, value and text budget, so an alias bomb
("billion laughs"), an alias that contains itself or a very deep nesting is refused with a
message instead of exhausting memory or the stack in a later stage that prints, hashes or
serialises the data. Every failure is an ``InputError`` naming the file.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from typing import Any

import yaml

from fidelity.errors import InputError

__all__ = ["MAX_DEPTH", "MAX_VALUES", "parse_json", "parse_yaml", "plain"]

MAX_DEPTH = 32
MAX_VALUES = 10_000
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# libyaml's safe loader where PyYAML was built with it (the wheels are): the same safe subset
# of YAML, read about ten times faster than by the pure-Python one.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, origin: str, what: str) -> Any:
    """``yaml.safe_load`` of ``text``, every failure an ``InputError`` naming ``what``.

    Raises:
        InputError: the text is not YAML, holds a value YAML cannot build (a date like
            2024-13-45, an integer of thousands of digits, a ``!!python`` tag) or is nested
            too deeply for the parser.
    """
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or exc
        raise InputError(origin, f"{what} is not valid YAML ({problem})") from exc
    except RecursionError as exc:
        raise InputError(origin, f"{what} is nested too deeply to read") from exc
    except Exception as exc:
        # YAML's constructors raise ValueError for impossible dates and oversized integers,
        # and AttributeError or TypeError for some malformed tagged values ("!!timestamp").
        raise InputError(
            origin, f"{what} holds a value that cannot be read ({type(exc).__name__}: {exc})"
        ) from exc


def parse_json(text: str, origin: str, what: str) -> Any:
    """``json.loads`` of ``text``, every failure an ``InputError`` naming ``what``.

    Raises:
        InputError: not JSON, nested too deeply, or a number Python refuses to read.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"{what} is not valid JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise InputError(origin, f"{what} is nested too deeply to read") from exc
    except ValueError as exc:  # an integer of more than 4300 digits
        raise InputError(origin, f"{what} holds a value that cannot be read ({exc})") from exc


def plain(
    value: Any,
    origin: str,
    what: str,
    *,
    source_chars: int,
    max_values: int = MAX_VALUES,
) -> Any:
    """A copy of ``value`` as plain data: str, int, float, bool, None, lists, str-keyed dicts.

    Dates become ISO strings, sets become sorted lists, lone surrogates (JSON can carry them)
    become U+FFFD. Shared structures (YAML aliases) are copied as often as they are used, so
    the budgets count what a later stage would really see.

    Args:
        value: what ``parse_yaml`` or ``parse_json`` returned.
        origin: the file (and line) it came from, for messages.
        what: how to name it in messages ("the front matter").
        source_chars: length of the text it was parsed from; the copy may hold at most four
            times as much text (plus 100,000 characters).
        max_values: the most values (scalars, lists, mappings) the copy may hold.

    Raises:
        InputError: deeper than ``MAX_DEPTH``, over a budget, or a value of another kind
            (binary data).
    """
    values_left = max_values
    chars_left = 4 * source_chars + 100_000

    def text(item: str) -> str:
        nonlocal chars_left
        chars_left -= len(item)
        if chars_left < 0:
            raise InputError(
                origin,
                f"{what} expands to far more text than it holds (YAML aliases repeating "
                "a long text?)",
            )
        return _LONE_SURROGATE.sub("\ufffd", item)

    def walk(item: Any, depth: int) -> Any:
        nonlocal values_left
        values_left -= 1
        if values_left < 0:
            raise InputError(
                origin,
                f"{what} holds more than {max_values:,} values (YAML aliases count each "
                "time they are used)",
            )
        if depth > MAX_DEPTH:
            raise InputError(
                origin, f"{what} is nested more than {MAX_DEPTH} levels deep (or refers to itself)"
            )
        if isinstance(item, str):
            return text(item)
        if item is None or isinstance(item, bool | int | float):
            return item
        if isinstance(item, datetime.date):  # datetime is a date too
            return item.isoformat()
        if isinstance(item, Mapping):
            return {text(_key(k, origin, what)): walk(v, depth + 1) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [walk(v, depth + 1) for v in item]
        if isinstance(item, set | frozenset):
            return sorted((walk(v, depth + 1) for v in item), key=repr)
        raise InputError(origin, f"{what} holds a {type(item).__name__} value; use text")

    return walk(value, 0)


def _key(key: Any, origin: str, what: str) -> str:
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool | int | float):
        return str(key)
    if isinstance(key, datetime.date):
        return key.isoformat()
    raise InputError(origin, f"{what} has a key that is a {type(key).__name__}; use text keys")
