"""The scoring stage's words come from the lexicon, per pivot language; a pivot the lexicon
has no words for is refused up front, naming the sections it lacks."""

from __future__ import annotations

import pytest

from fidelity.errors import ConfigError
from fidelity.pipeline import stage_configs
from fidelity.text import vocabulary as vocabulary_module
from fidelity.text.vocabulary import SECTIONS, vocabulary


def test_english_has_every_section() -> None:
    words = vocabulary("en")
    assert "reportedly" in words.hedges
    assert words.antonyms["rose"] == {"fell"}
    assert words.months.search("in October") and not words.months.search("they may")
    assert words.time_order["before"] == "after"
    assert words.verification_caveats.search("could not be independently verified")


def test_a_pivot_without_words_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(ConfigError, match=r"'de'.*stop_words, negators") as caught:
        stage_configs({}, "de")
    assert "score/words.yaml" in str(caught.value)


def test_a_language_is_one_entry_per_section(monkeypatch: pytest.MonkeyPatch) -> None:
    english = vocabulary_module.packaged_lexicon(vocabulary_module.FILE)
    with_greek = {name: {**english[name], "el": english[name]["en"]} for name in SECTIONS}
    monkeypatch.setattr(vocabulary_module, "packaged_lexicon", lambda _name: with_greek)
    vocabulary.cache_clear()
    try:
        assert vocabulary("el").hedges == vocabulary("en").hedges
        partial = {**with_greek, "hedges": english["hedges"]}
        monkeypatch.setattr(vocabulary_module, "packaged_lexicon", lambda _name: partial)
        vocabulary.cache_clear()
        with pytest.raises(ConfigError, match="lacks its hedges;"):
            vocabulary("el")
    finally:
        vocabulary.cache_clear()
