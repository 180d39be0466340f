"""The embedder: real all-MiniLM-L6-v2 from its wheel, offline, with the on-disk vector cache."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from fidelity.embed import EmbeddingCache, MiniLMEmbedder, make_embedder
from fidelity.errors import ConfigError


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embeddings")


@pytest.fixture(scope="module")
def embedder(cache_dir: Path) -> MiniLMEmbedder:
    made = make_embedder("minilm", cache_dir)
    assert isinstance(made, MiniLMEmbedder)
    return made


def test_none_means_no_embedder() -> None:
    assert make_embedder("none") is None


def test_unknown_embedder_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="minilm"):
        make_embedder("word2vec")


def test_rows_are_unit_vectors_and_equal_texts_equal_rows(embedder: MiniLMEmbedder) -> None:
    texts = [
        "NATO Secretary General Mark Rutte addressed the Ukrainian parliament.",
        "The zoo welcomed two panda cubs.",
        "NATO Secretary General Mark Rutte addressed the Ukrainian parliament.",
    ]
    vectors = embedder.embed(texts)
    assert vectors.shape == (3, embedder.dim) == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(vectors[0], vectors[2])


def test_paraphrase_is_closer_than_an_unrelated_sentence(embedder: MiniLMEmbedder) -> None:
    a, b, c = embedder.embed(
        [
            "The bridge will stay closed until Friday for repairs.",
            "Repair work will keep the bridge shut until Friday.",
            "The football club won its third match in a row.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.3


def test_empty_input_gives_an_empty_matrix(embedder: MiniLMEmbedder) -> None:
    assert embedder.embed([]).shape == (0, 384)


def test_second_embedder_reads_vectors_from_the_cache(cache_dir: Path) -> None:
    texts = ["Moscow said the deployment of Western troops would be an intervention."]
    first = make_embedder("minilm", cache_dir)
    assert isinstance(first, MiniLMEmbedder)
    before = first.embed(texts)
    second = make_embedder("minilm", cache_dir)
    assert isinstance(second, MiniLMEmbedder)
    after = second.embed(texts)
    assert second.encoded == 0
    np.testing.assert_allclose(before, after, atol=1e-6)


def test_without_cache_every_text_is_encoded(tmp_path: Path) -> None:
    uncached = make_embedder("minilm", tmp_path, use_cache=False)
    assert isinstance(uncached, MiniLMEmbedder)
    uncached.embed(["one sentence", "another sentence", "one sentence"])
    assert uncached.encoded == 2  # each distinct text once
    assert not list(tmp_path.iterdir())


def test_corrupt_cache_is_moved_aside_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "vectors.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="fidelity.embed"):
        cache = EmbeddingCache(path)
    assert "unreadable" in caplog.text
    assert list(tmp_path.glob("vectors.sqlite3.corrupt-*"))
    vector = np.ones(4, dtype=np.float32) / 2
    cache.put_many([("k", vector)])
    np.testing.assert_array_equal(cache.get_many(["k", "missing"], 4)["k"], vector)
    cache.close()


def test_two_open_caches_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    one, two = EmbeddingCache(path), EmbeddingCache(path)
    one.put_many([("a", np.zeros(3, dtype=np.float32))])
    two.put_many([("b", np.ones(3, dtype=np.float32))])
    assert set(one.get_many(["a", "b"], 3)) == {"a", "b"}
    assert len(two) == 2
    probe = sqlite3.connect(path)
    mode = probe.execute("PRAGMA journal_mode").fetchone()[0]
    probe.close()
    assert mode == "wal"
    one.close()
    two.close()


def test_vectors_of_another_dimension_are_ignored(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "v.sqlite3")
    cache.put_many([("k", np.zeros(3, dtype=np.float32))])
    assert cache.get_many(["k"], 384) == {}
    cache.close()
