"""Bytes to text: strict UTF-8 first, then charset detection (cp1253, cp1251, koi8-r, ...)."""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from fidelity.errors import InputError

log = logging.getLogger(__name__)

# Unicode category Cc (C0, DEL, C1) but for the whitespace controls a text file may hold.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\r]")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, origin: str) -> tuple[str, str]:
    """Decode a file's bytes, guessing the encoding when it is not UTF-8.

    Args:
        data: the raw file content.
        origin: file name for error messages.

    Returns:
        ``(text, encoding)`` with newlines normalised to ``\\n``.

    Raises:
        InputError: the file is empty, binary, or in no encoding we can recognise.
    """
    if not data.strip():
        raise InputError(origin, "the file is empty; give a file with article text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(encoding), encoding, origin)
            except UnicodeDecodeError as exc:
                name = encoding.removesuffix("-sig").upper()
                raise InputError(
                    origin,
                    f"the file starts with a {name} byte-order mark but is not "
                    f"{name} text ({exc.reason}); save it as UTF-8 and try again",
                ) from exc
    if b"\x00" in data[:4096]:
        raise InputError(origin, "this looks like a binary file, not article text")
    try:
        return _finish(data.decode("utf-8"), "utf-8", origin)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # lazy: only non-UTF-8 files pay for it

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            origin,
            "cannot tell which text encoding this file uses; save it as UTF-8 and try again",
        )
    log.info("%s: decoded as %s", origin, best.encoding)
    return _finish(str(best), best.encoding, origin)


def _finish(text: str, encoding: str, origin: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError(origin, "the file holds only whitespace; give a file with article text")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 50):
        raise InputError(origin, "this looks like a binary file, not article text")
    return text, encoding
