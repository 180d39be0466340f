"""Greek and Cyrillic script to Latin, and a spelling-tolerant key for names across scripts.

``to_latin`` gives a readable romanisation (ELOT 743 for Greek, BGN/PCGN for Russian, the
official 2010 table for Ukrainian). ``name_key`` folds a name in any of these scripts to a
short key, so that "Рютте", "Ρούτε" and "Rutte", or "Київ", "Киев", "Κίεβο", "Kiev" and "Kyiv",
share one key. The key is for matching only: it is lossy by design (vowels fold to one
placeholder, a final vowel and consonant doubling are dropped), so unrelated short names can
collide; compare keys of names already known to be names.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "script_of", "to_latin"]

# ------------------------------------------------------------------------------------ Greek

_GREEK_VOWELS = set("αεηιουω")
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}  # fmt: skip
# Voiced/voiceless letters after which "αυ"/"ευ" read as "av"/"ev" rather than "af"/"ef".
_GREEK_VOICED = set("αεηιουωβγδζλμνρ")

# ---------------------------------------------------------------------------------- Cyrillic

_RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Belarusian, Serbian, Bulgarian and Macedonian letters, read the common way
    "ў": "w", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj",
    "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
_UKRAINIAN = {
    **_RUSSIAN,
    "г": "h", "ґ": "g", "е": "e", "є": "ie", "и": "y", "і": "i", "ї": "i", "й": "i",
    "щ": "shch", "ю": "iu", "я": "ia", "ь": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
# Ukrainian letters that start a word differently (the 2010 official table).
_UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_UKRAINIAN_MARKERS = set("іїєґІЇЄҐ")
_CYRILLIC_VOWELS = set("аеёиоуыэюяєії")
_WORD = re.compile(r"[\w'’ʼ]+|[^\w'’ʼ]+")


def script_of(text: str) -> str:
    """The dominant script of the letters in ``text``: "latin", "greek", "cyrillic" or "other"."""
    counts = {"latin": 0, "greek": 0, "cyrillic": 0, "other": 0}
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if 0x0370 <= code <= 0x03FF or 0x1F00 <= code <= 0x1FFF:
            counts["greek"] += 1
        elif 0x0400 <= code <= 0x052F:
            counts["cyrillic"] += 1
        elif code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
            counts["latin"] += 1
        else:
            counts["other"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else "other"


def to_latin(text: str) -> str:
    """Romanise the Greek and Cyrillic letters of ``text``; everything else passes through.

    Ukrainian is told from Russian per word by its own letters (і, ї, є, ґ). Case is kept on
    the first letter of each romanised character ("Ж" -> "Zh").

    Args:
        text: any text.

    Returns:
        The text with Greek and Cyrillic letters in Latin script.
    """
    if text.isascii():
        return text
    return "".join(_word_to_latin(m.group(0), greek_ch="ch") for m in _WORD.finditer(text))


def _word_to_latin(word: str, *, greek_ch: str) -> str:
    script = script_of(word)
    if script == "greek":
        return _greek_word(word, greek_ch)
    if script == "cyrillic":
        return _cyrillic_word(word)
    return word


def _case_like(upper: bool, whole_word_upper: bool, latin: str) -> str:
    if not latin or not upper:
        return latin
    return latin.upper() if whole_word_upper else latin[0].upper() + latin[1:]


def _greek_letters(word: str) -> list[tuple[str, bool, bool]]:
    """(base lower-case letter, was upper-case, had a diaeresis) for each character."""
    out = []
    for char in word:
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        out.append((base.lower(), base.isupper(), "\u0308" in decomposed[1:]))
    return out


def _greek_word(word: str, greek_ch: str) -> str:
    letters = _greek_letters(word)
    shout = len(word) > 1 and word.isupper()
    table = {**_GREEK, "χ": greek_ch}
    out: list[str] = []
    i = 0
    n = len(letters)
    while i < n:
        char, upper, _ = letters[i]
        nxt, _, nxt_diaeresis = letters[i + 1] if i + 1 < n else ("", False, False)
        if char in "αεο" and nxt and nxt in "υι" and not nxt_diaeresis:
            after = letters[i + 2][0] if i + 2 < n else ""
            if nxt == "υ" and char == "ο":
                latin = "ou"
            elif nxt == "υ":
                latin = ("a" if char == "α" else "e") + (
                    "v" if not after or after in _GREEK_VOICED else "f"
                )
            else:
                latin = {"α": "ai", "ε": "ei", "ο": "oi"}[char]
            out.append(_case_like(upper, shout, latin))
            i += 2
            continue
        pair = char + nxt
        if pair in ("μπ", "ντ", "γκ", "γγ", "γξ", "γχ"):
            initial = i == 0
            latin = {
                "μπ": "b" if initial else "mb",
                "ντ": "d" if initial else "nd",
                "γκ": "g" if initial else "ng",
                "γγ": "ng",
                "γξ": "nx",
                "γχ": "n" + greek_ch,
            }[pair]
            out.append(_case_like(upper, shout, latin))
            i += 2
            continue
        single = table.get(char)
        if single is None:
            out.append(word[i])
        else:
            out.append(_case_like(upper, shout, single))
        i += 1
    return "".join(out)


def _cyrillic_word(word: str) -> str:
    ukrainian = any(ch in _UKRAINIAN_MARKERS for ch in word)
    table = _UKRAINIAN if ukrainian else _RUSSIAN
    shout = len(word) > 1 and word.isupper()
    out: list[str] = []
    previous = ""
    for i, char in enumerate(word):
        lower = char.lower()
        latin: str | None
        if ukrainian and i == 0 and lower in _UKRAINIAN_INITIAL:
            latin = _UKRAINIAN_INITIAL[lower]
        elif (
            not ukrainian and lower == "е" and (i == 0 or previous in _CYRILLIC_VOWELS | {"ъ", "ь"})
        ):
            latin = "ye"
        else:
            latin = table.get(lower)
        if latin is None:
            out.append(char)
        else:
            out.append(_case_like(char.isupper(), shout, latin))
        previous = lower
    return "".join(out)


# ------------------------------------------------------------------------------------- keys

# Spellings that differ between romanisations of one sound, folded in this order.
_KEY_FOLDS: tuple[tuple[str, str], ...] = (
    ("shch", "s"),
    ("sch", "s"),
    ("dzh", "j"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("ch", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("dj", "j"),
    ("tz", "j"),
    ("dz", "j"),
    ("c", "k"),
    ("q", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("f", "v"),
    ("y", "i"),
)
# Greek writes foreign b/d/g as μπ/ντ/γκ; fold the Latin clusters the same way.
_CLUSTER_FOLDS: tuple[tuple[str, str], ...] = (
    ("mp", "b"),
    ("mb", "b"),
    ("nt", "d"),
    ("nd", "d"),
    ("gk", "g"),
    ("ng", "g"),
)
_VOWEL_RUN = re.compile(r"[aeiou]+")
_DOUBLE = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]+")


def name_key(name: str) -> str:
    """A key shared by spellings of one name across Latin, Greek and Cyrillic script.

    Each word is romanised, stripped of accents, its spelling variants folded ("kh"/"ch"
    -> "h", "y" -> "i", "f" -> "v", doubled letters once, "mp" -> "b", ...), every run of
    vowels written "a", and a final vowel dropped. Words stay apart, separated by a space.

    Args:
        name: a name as written ("Зеленский", "Κίεβο", "Mark Rutte").

    Returns:
        The key, lower-case ASCII ("zalansk", "kav", "mark rat"); "" when no letters.
    """
    words = []
    for m in _WORD.finditer(name):
        part = m.group(0)
        if not any(ch.isalpha() for ch in part):
            continue
        words.append(_word_key(_word_to_latin(part, greek_ch="h")))
    return " ".join(w for w in words if w)


def _word_key(latin: str) -> str:
    text = unicodedata.normalize("NFKD", latin.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("æ", "ae")
    text = _NOT_LETTER.sub("", text)
    if not text:
        return ""
    for old, new in _KEY_FOLDS:
        text = text.replace(old, new)
    text = _DOUBLE.sub(r"\1", text)
    for old, new in _CLUSTER_FOLDS:
        text = text.replace(old, new)
    text = _DOUBLE.sub(r"\1", text)
    text = _VOWEL_RUN.sub("a", text)
    if len(text) > 2 and text.endswith("a"):
        text = text[:-1]
    return text
