"""Bytes to text: a byte-order mark, UTF-16 without one, UTF-8, then the legacy code pages.

A file that is not UTF-8 is decoded in every candidate code page (cp1253, iso-8859-7, cp1251,
koi8-r, koi8-u, ...) and each result is scored as text: letters of one script, in the case
pattern of prose, with the letter frequencies of Greek or Cyrillic, no control characters or
symbols inside words. A declared encoding (an HTML ``charset``, ``encoding:`` in front matter)
is used when it decodes; a language hint (``language: el``) favours the script it implies.
A UTF-8 file with a few bad bytes stays UTF-8, with U+FFFD for those bytes and a warning.
"""

from __future__ import annotations

import codecs
import itertools
import logging
import math
import re
import unicodedata
from dataclasses import dataclass

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

# Tried in this order; an earlier one wins a tie (koi8-r before koi8-u for Russian text).
_LEGACY = (
    "cp1253",
    "iso-8859-7",
    "cp1251",
    "koi8-r",
    "koi8-u",
    "iso-8859-5",
    "cp866",
    "mac_cyrillic",
    "cp1252",
    "iso-8859-15",
    "cp1250",
    "iso-8859-2",
    "cp1254",
    "cp1257",
)

# Letter frequencies (per cent) of running text; a wrong code page gives rare letters.
_FREQUENCIES: dict[str, dict[str, float]] = {
    "CYRILLIC": {
        **dict.fromkeys("о", 10.5),
        **dict.fromkeys("е", 8.0),
        **dict.fromkeys("а", 8.0),
        **dict.fromkeys("и", 7.0),
        **dict.fromkeys("н", 6.7),
        **dict.fromkeys("т", 6.0),
        **dict.fromkeys("с", 5.0),
        **dict.fromkeys("р", 4.7),
        **dict.fromkeys("в", 4.5),
        **dict.fromkeys("л", 4.2),
        **dict.fromkeys("к", 3.5),
        **dict.fromkeys("м", 3.1),
        **dict.fromkeys("д", 3.0),
        **dict.fromkeys("п", 2.8),
        **dict.fromkeys("у", 2.7),
        **dict.fromkeys("і", 2.5),
        **dict.fromkeys("я", 2.0),
        **dict.fromkeys("ы", 1.6),
        **dict.fromkeys("ь", 1.7),
        **dict.fromkeys("г", 1.7),
        **dict.fromkeys("з", 1.7),
        **dict.fromkeys("б", 1.6),
        **dict.fromkeys("ч", 1.4),
        **dict.fromkeys("й", 1.2),
        **dict.fromkeys("х", 1.0),
        **dict.fromkeys("ж", 0.9),
        **dict.fromkeys("ш", 0.7),
        **dict.fromkeys("ю", 0.7),
        **dict.fromkeys("ц", 0.5),
        **dict.fromkeys("щ", 0.4),
        **dict.fromkeys("ї", 0.5),
        **dict.fromkeys("є", 0.4),
        **dict.fromkeys("э", 0.3),
        **dict.fromkeys("ф", 0.3),
        **dict.fromkeys("ґ", 0.05),
        **dict.fromkeys("ъ", 0.05),
        **dict.fromkeys("ё", 0.05),
    },
    "GREEK": {
        **dict.fromkeys("α", 11.0),
        **dict.fromkeys("ο", 9.0),
        **dict.fromkeys("ε", 7.5),
        **dict.fromkeys("ι", 7.5),
        **dict.fromkeys("τ", 8.0),
        **dict.fromkeys("σς", 4.0),
        **dict.fromkeys("ν", 6.5),
        **dict.fromkeys("η", 4.5),
        **dict.fromkeys("ρ", 4.5),
        **dict.fromkeys("κ", 4.0),
        **dict.fromkeys("π", 3.8),
        **dict.fromkeys("υ", 3.5),
        **dict.fromkeys("μ", 3.2),
        **dict.fromkeys("λ", 2.6),
        **dict.fromkeys("ω", 1.6),
        **dict.fromkeys("γ", 1.8),
        **dict.fromkeys("δ", 1.6),
        **dict.fromkeys("θ", 1.2),
        **dict.fromkeys("χ", 1.1),
        **dict.fromkeys("φ", 0.8),
        **dict.fromkeys("β", 0.6),
        **dict.fromkeys("ξ", 0.4),
        **dict.fromkeys("ζ", 0.3),
        **dict.fromkeys("ψ", 0.2),
        **dict.fromkeys("άέίό", 1.5),
        **dict.fromkeys("ήύώ", 0.8),
        **dict.fromkeys("ϊϋ", 0.1),
        **dict.fromkeys("ΐΰ", 0.03),
    },
}
# Accented Latin letters of the languages fidelity reads (de fr es it pl tr cs ro pt nl ...).
_LATIN_COMMON = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœąćęłńśźżčďěňřšťůžőűğışăâîșțþðđ")
_RARE = 0.02  # per cent, for a letter of the script missing from its table
_SCRIPT_OF_LANGUAGE = {
    "el": "GREEK",
    "ru": "CYRILLIC",
    "uk": "CYRILLIC",
    "bg": "CYRILLIC",
    "sr": "CYRILLIC",
    "mk": "CYRILLIC",
    "be": "CYRILLIC",
}
# Punctuation a legacy text may well hold (quotes, dashes, the no-break space) outside words.
_PROSE_MARKS = set("«»„“”‘’‚–—…№°·€\u00a0§©®")
_OPENING = set("«„“‘‚")
_CLOSING = set("»”’")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Decoding:
    """A file's text and how it was read: the encoding, how sure, bytes replaced."""

    text: str
    encoding: str
    confidence: float = 1.0  # 0..1; 1 for a BOM or valid UTF-8
    replaced: int = 0  # bytes that were not valid in the encoding, now U+FFFD

    def describe(self) -> str:
        """``cp1253 (confidence 0.97)``, ``utf-8 (3 bad bytes replaced)``."""
        extra = []
        if self.confidence < 1.0:
            extra.append(f"confidence {self.confidence:.2f}")
        if self.replaced:
            extra.append(f"{self.replaced} bad byte{'s' if self.replaced > 1 else ''} replaced")
        return f"{self.encoding} ({', '.join(extra)})" if extra else self.encoding


def decode_bytes(data: bytes, origin: str) -> tuple[str, str]:
    """Decode a file's bytes, guessing the encoding when it is not UTF-8.

    Returns:
        ``(text, encoding)`` with newlines normalised to ``\\n``.

    Raises:
        InputError: the file is empty, binary, or in no encoding we can recognise.
    """
    decoding = decode_text(data, origin)
    return decoding.text, decoding.encoding


def decode_text(
    data: bytes, origin: str, *, declared: str | None = None, language: str | None = None
) -> Decoding:
    """Decode a file's bytes: BOM, UTF-16 without BOM, UTF-8, declared, then legacy.

    Args:
        data: the raw file content.
        origin: file name for messages.
        declared: an encoding the file declares (HTML ``charset``, front matter), if any.
        language: the language the file is said to be in (``el``, ``ru`` ...), if any.

    Returns:
        The text (newlines normalised to ``\\n``, NFC) and how it was decoded.

    Raises:
        InputError: the file is empty, binary, or in no encoding we can recognise.
    """
    if not data.strip():
        raise InputError(origin, "the file is empty; give a file with article text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(Decoding(data.decode(encoding), encoding), origin)
            except UnicodeDecodeError as exc:
                name = encoding.removesuffix("-sig").upper()
                raise InputError(
                    origin,
                    f"the file starts with a {name} byte-order mark but is not "
                    f"{name} text ({exc.reason}); save it as UTF-8 and try again",
                ) from exc
    wide = _utf16_without_bom(data)
    if wide is not None:
        return _finish(wide, origin)
    if b"\x00" in data[:4096]:
        raise InputError(origin, "this looks like a binary file, not article text")
    try:
        return _finish(Decoding(data.decode("utf-8"), "utf-8"), origin)
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _utf8_with_a_few_bad_bytes(data)
    if mostly_utf8 is not None:
        log.warning(
            "%s: %d byte%s not valid UTF-8; read as UTF-8 with U+FFFD in their place",
            origin,
            mostly_utf8.replaced,
            "s are" if mostly_utf8.replaced > 1 else " is",
        )
        return _finish(mostly_utf8, origin)
    if declared:
        try:
            name = codecs.lookup(declared).name
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError):
            log.warning("%s: declares encoding %r but is not in it; guessing", origin, declared)
        else:
            if not _CONTROLS.search(text[:4096].replace("\r", "")):
                return _finish(Decoding(text, name), origin)
    guess = _guess_legacy(data, language)
    if guess is None:
        raise InputError(
            origin,
            "cannot tell which text encoding this file uses; save it as UTF-8 and try again",
        )
    if guess.confidence < 0.5:
        log.warning(
            "%s: read as %s, but the text is short or unusual; if it looks wrong, save it "
            "as UTF-8 or declare its language or encoding",
            origin,
            guess.describe(),
        )
    else:
        log.info("%s: decoded as %s", origin, guess.describe())
    return _finish(guess, origin)


def _utf16_without_bom(data: bytes) -> Decoding | None:
    """UTF-16 text without a byte-order mark: every other byte is 0x00 or one script's page."""
    if len(data) % 2 or len(data) < 4:
        return None
    sample = data[:8192]
    best: Decoding | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = _plain_text_share(text)
        if share >= 0.95 and (best is None or share > best.confidence):
            best = Decoding(text, encoding, confidence=round(share, 3))
    if best is None:
        return None
    try:
        return Decoding(data.decode(best.encoding), best.encoding, best.confidence)
    except UnicodeDecodeError:
        return None


def _plain_text_share(text: str) -> float:
    """The share of characters that ordinary prose in a European script is made of."""
    if not text:
        return 0.0
    good = 0
    letters = 0
    for ch in text:
        if ch.isascii():
            if ch.isprintable() or ch in "\n\t":
                good += 1
                letters += ch.isalpha()
            continue
        if ch.isalpha():
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script in ("LATIN", "GREEK", "CYRILLIC"):
                good += 1
                letters += 1
        elif ch in _PROSE_MARKS:
            good += 1
    return good / len(text) if letters else 0.0


def _utf8_with_a_few_bad_bytes(data: bytes) -> Decoding | None:
    """UTF-8 whose non-ASCII characters are mostly valid: the bad bytes become U+FFFD."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if not ch.isascii() and ch != "\ufffd")
    if bad <= 0 or good < 3 * bad:
        return None
    return Decoding(text, "utf-8", confidence=round(good / (good + bad), 3), replaced=bad)


def _guess_legacy(data: bytes, language: str | None) -> Decoding | None:
    script = _SCRIPT_OF_LANGUAGE.get((language or "").lower()[:2])
    sample = data[:65536]
    candidates = list(_LEGACY)
    normalizer = _charset_normalizer_guess(sample)
    if normalizer and normalizer not in candidates:
        candidates.append(normalizer)
    scored: dict[str, tuple[float, str]] = {}  # decoded sample -> (score, encoding)
    for encoding in candidates:
        try:
            text = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _score(text, script)
        if encoding == normalizer:
            score += 0.5  # a tie-break among Latin code pages, which read alike
        if text not in scored or score > scored[text][0]:
            scored[text] = (score, encoding)
    if not scored:
        return None
    ranking = sorted(scored.values(), key=lambda item: -item[0])
    best_score, best = ranking[0]
    margin = best_score - ranking[1][0] if len(ranking) > 1 else 10.0
    confidence = round(1 - math.exp(-max(margin, 0.0) / 4), 3)
    try:
        text = data.decode(best)
    except UnicodeDecodeError:  # a bad byte past the sample
        text = data.decode(best, errors="replace")
    return Decoding(text, codecs.lookup(best).name, confidence)


def _charset_normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # lazy: only non-UTF-8 files pay for it

    best = from_bytes(data).best()
    return best.encoding if best is not None else None


def _score(text: str, script: str | None) -> float:
    """How much ``text`` reads like prose (higher is better); see the module docstring."""
    score = 0.0
    scripts: dict[str, int] = {}
    for i, ch in enumerate(text):
        if ch.isascii():
            if ch in "\x7f" or (ch < " " and ch not in "\n\r\t"):
                score -= 5
            continue
        category = unicodedata.category(ch)
        if category.startswith("L"):
            name = unicodedata.name(ch, "")
            letter_script = name.split(" ", 1)[0]
            scripts[letter_script] = scripts.get(letter_script, 0) + 1
            table = _FREQUENCIES.get(letter_script)
            if table is not None:
                share = table.get(ch.lower(), _RARE)
                score += math.log(share / 3.0)
            elif letter_script != "LATIN":
                score -= 2  # CJK, kana, Arabic ...: not a language this tool reads from bytes
            elif ch.lower() not in _LATIN_COMMON:
                score -= 1.5  # ŋ, ħ, ģ ...: letters a wrong Latin code page makes up
            continue
        if category in ("Cc", "Cn", "Co", "Cs"):
            score -= 5
            continue
        before = i > 0 and text[i - 1].isalpha()
        after = i < len(text) - 1 and text[i + 1].isalpha()
        if before and after:
            score -= 3 if ch in _PROSE_MARKS else 4
        elif ch in _PROSE_MARKS:
            # an opening mark right after a letter, a closing one right before a letter
            score -= 3 if (before and ch in _OPENING) or (after and ch in _CLOSING) else 0
        else:
            score -= 3 if before or after else 1.5
    for word in _WORD.findall(text):
        word_scripts = {_script(ch) for ch in word if not ch.isascii()}
        if not word.isascii() and any(ch.isascii() for ch in word):
            word_scripts.add("LATIN")
        if len(word_scripts) > 1:
            score -= 3
        if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
            score -= 2
    if scripts:
        dominant = max(scripts, key=lambda s: scripts[s])
        score -= 2 * (sum(scripts.values()) - scripts[dominant])
    if script is not None:
        # The declared language's script: every other non-ASCII character costs more than
        # the rarest letter of that script, so the hint wins over letter frequencies.
        foreign = sum(n for name, n in scripts.items() if name != script)
        symbols = sum(1 for ch in text if not ch.isascii() and not ch.isalpha())
        score -= 8 * foreign + 2 * symbols
    return score


def _script(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ", 1)[0]


def _finish(decoding: Decoding, origin: str) -> Decoding:
    text = decoding.text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError(origin, "the file holds only whitespace; give a file with article text")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 50):
        raise InputError(origin, "this looks like a binary file, not article text")
    return Decoding(text, decoding.encoding, decoding.confidence, decoding.replaced)
