"""Legacy-encoding probes: short and medium Greek, Russian and Ukrainian texts, encoded in the
code pages newsrooms still send (cp1253, iso-8859-7, cp1251, koi8-r, koi8-u, UTF-16 without a
byte-order mark, UTF-8 with a few bad bytes), decoded by fidelity with no hint at all.

    .venv/bin/python bench/probe_decoding.py          # one line per probe, then the count
    .venv/bin/python bench/probe_decoding.py --hint   # the same with each text's language given

A probe is right when the decoded text is the original (for UTF-8 with bad bytes: the
original with U+FFFD where the bad bytes were, and the encoding still UTF-8).
"""

from __future__ import annotations

import argparse
import logging
import unicodedata

from fidelity.load.decode import decode_text

GREEK_SHORT = "Ο υπουργός Άμυνας είπε ότι η συμφωνία θα υπογραφεί την Τρίτη στην Αθήνα."
GREEK_SHORT_2 = "Έκτακτη σύσκεψη για τις πυρκαγιές στην Εύβοια, είπε ο δήμαρχος."
GREEK_MEDIUM = (
    "Σύμφωνα με την ανακοίνωση του υπουργείου, οι διαπραγματεύσεις θα συνεχιστούν αύριο. "
    "Ο εκπρόσωπος της κυβέρνησης δήλωσε ότι «δεν υπάρχει καμία απόφαση ακόμη» και ότι "
    "η Ελλάδα θα ενημερώσει τους εταίρους της μέσα στην εβδομάδα."
)
RUSSIAN_SHORT = "Министр заявил, что переговоры продолжатся в среду в Москве."
RUSSIAN_SHORT_2 = "Глава МИД России встретился с послом Турции во вторник вечером."
RUSSIAN_MEDIUM = (
    "По словам представителя ведомства, решение будет принято после консультаций с "
    'партнёрами. "Мы не спешим", - сказал он журналистам, добавив, что окончательный '
    "текст соглашения ещё не согласован."
)
UKRAINIAN_SHORT = "Прем'єр-міністр України заявив, що їхня зустріч відбудеться в четвер."
UKRAINIAN_MEDIUM = (
    "Як повідомила пресслужба, уряд ухвалив рішення про виділення коштів на відновлення "
    "шкіл. Міністр освіти додав, що ґрунтовна перевірка триватиме до кінця травня, а "
    "її результати оприлюднять на сайті відомства."
)
FRENCH_SHORT = "Le ministre a déclaré que l'accord serait signé à Genève mercredi."


def _bad_bytes(text: str) -> bytes:
    """UTF-8 with a few stray bytes: a cp1252 quote and two truncated sequences."""
    data = text.encode("utf-8")
    words = data.split(b" ")
    words[2] = words[2] + b"\x93"
    words[5] = b"\xce" + words[5]
    words[-3] = words[-3] + b"\xff"
    return b" ".join(words)


PROBES: list[tuple[str, str, str]] = [  # (name, text, encoding)
    *[(f"greek short {e}", GREEK_SHORT, e) for e in ("cp1253", "iso-8859-7")],
    *[(f"greek short 2 {e}", GREEK_SHORT_2, e) for e in ("cp1253", "iso-8859-7")],
    *[(f"greek medium {e}", GREEK_MEDIUM, e) for e in ("cp1253", "iso-8859-7")],
    *[(f"russian short {e}", RUSSIAN_SHORT, e) for e in ("cp1251", "koi8-r", "iso-8859-5")],
    *[(f"russian short 2 {e}", RUSSIAN_SHORT_2, e) for e in ("cp1251", "koi8-r")],
    *[(f"russian medium {e}", RUSSIAN_MEDIUM, e) for e in ("cp1251", "koi8-r")],
    *[(f"ukrainian short {e}", UKRAINIAN_SHORT, e) for e in ("cp1251", "koi8-u")],
    *[(f"ukrainian medium {e}", UKRAINIAN_MEDIUM, e) for e in ("cp1251", "koi8-u")],
    ("french short cp1252", FRENCH_SHORT, "cp1252"),
    *[(f"greek short {e}", GREEK_SHORT, e) for e in ("utf-16-le", "utf-16-be")],
    *[(f"russian short {e}", RUSSIAN_SHORT, e) for e in ("utf-16-le", "utf-16-be")],
    ("ukrainian medium utf-16-le", UKRAINIAN_MEDIUM, "utf-16-le"),
    ("french short utf-16-le", FRENCH_SHORT, "utf-16-le"),
    ("greek medium utf-8 + bad bytes", GREEK_MEDIUM, "utf-8-bad"),
    ("russian medium utf-8 + bad bytes", RUSSIAN_MEDIUM, "utf-8-bad"),
    ("ukrainian medium utf-8 + bad bytes", UKRAINIAN_MEDIUM, "utf-8-bad"),
    ("greek short utf-8 + bad bytes", GREEK_SHORT, "utf-8-bad"),
]
LANGUAGE = {"greek": "el", "russian": "ru", "ukrainian": "uk", "french": "fr"}


def run_probe(name: str, text: str, encoding: str, *, hint: bool) -> tuple[bool, str]:
    """Decode one probe; (right, what fidelity read it as)."""
    if encoding == "utf-8-bad":
        data = _bad_bytes(text)
        expected, expected_encoding = data.decode("utf-8", errors="replace"), "utf-8"
    else:
        data = text.encode(encoding)
        expected, expected_encoding = text, None
    language = LANGUAGE[name.split(maxsplit=1)[0]] if hint else None
    decoding = decode_text(data, name, language=language)
    right = decoding.text == unicodedata.normalize("NFC", expected)
    if expected_encoding is not None:
        right = right and decoding.encoding == expected_encoding
    return right, decoding.describe()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hint", action="store_true", help="give each text's language")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    right = 0
    for name, text, encoding in PROBES:
        ok, read_as = run_probe(name, text, encoding, hint=args.hint)
        right += ok
        print(f"{'right' if ok else 'WRONG':<6} {name:<38} {len(text):>4} chars  read as {read_as}")
    print(f"{right} of {len(PROBES)} probes decoded right")


if __name__ == "__main__":
    main()
