"""Transliteration and cross-script name keys."""

from __future__ import annotations

import pytest

from fidelity.text.translit import name_key, script_of, to_latin


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("Медведев", "Medvedev"),
        ("Захарова", "Zakharova"),
        ("Щербаков", "Shcherbakov"),
        ("Київ", "Kyiv"),
        ("Харків", "Kharkiv"),
        ("Ρούτε", "Route"),
        ("Αθήνα", "Athina"),
        ("Ευρώπη", "Evropi"),
        ("Μπάιντεν", "Bainden"),
        ("ΝΑΤΟ", "NATO"),
        ("Σοϊγκού", "Soingou"),  # the diaeresis keeps ο and ι apart
        ("Rutte said", "Rutte said"),
        ("Ο Πούτιν είπε", "O Poutin eipe"),
    ],
)
def test_to_latin(written: str, latin: str) -> None:
    assert to_latin(written) == latin


@pytest.mark.parametrize(
    "spellings",
    [
        ("Рютте", "Ρούτε", "Rutte"),
        ("Медведев", "Medvedev", "Μεντβέντεφ"),
        ("Зеленский", "Зеленський", "Zelensky", "Zelenskyy", "Zelenskiy", "Ζελένσκι"),
        ("Κίεβο", "Киев", "Київ", "Kiev", "Kyiv"),
        ("Лавров", "Λαβρόφ", "Lavrov"),
        ("Захарова", "Ζαχάροβα", "Zakharova"),
        ("Путин", "Πούτιν", "Putin"),
        ("Трамп", "Τραμπ", "Trump"),
        ("Шойгу", "Σοϊγκού", "Shoigu"),
        ("Песков", "Πεσκόφ", "Peskov"),
        ("Харків", "Χάρκοβο", "Kharkiv"),
        ("Erdoğan", "Ερντογάν", "Erdogan"),
        ("Χριστοδουλίδης", "Christodoulides"),
    ],
)
def test_name_key_shared_across_scripts(spellings: tuple[str, ...]) -> None:
    keys = {name_key(s) for s in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("left", "right"),
    [("Putin", "Peskov"), ("Rutte", "Lavrov"), ("Kyiv", "Moscow"), ("Medvedev", "Macron")],
)
def test_name_key_keeps_different_names_apart(left: str, right: str) -> None:
    assert name_key(left) != name_key(right)


def test_name_key_words_and_empty() -> None:
    assert name_key("Mark Rutte") == f"{name_key('Mark')} {name_key('Rutte')}"
    assert name_key("  ,.- ") == ""


@pytest.mark.parametrize(
    ("text", "script"),
    [("Rutte", "latin"), ("Ρούτε", "greek"), ("Рютте", "cyrillic"), ("123", "other")],
)
def test_script_of(text: str, script: str) -> None:
    assert script_of(text) == script
