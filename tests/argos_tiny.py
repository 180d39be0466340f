"""Build tiny but valid argostranslate packages (``.argosmodel``) for tests and benchmarks.

No real language package can be downloaded on the build machines, so tests make their own:

- a SentencePiece unigram model trained in memory on a few hundred generated lines of the
  source language and English (vocabulary ~300, ``hard_vocab_limit=False``);
- a CTranslate2 Transformer (1 layer, 2 heads, width 32) with small seeded random weights whose
  vocabulary is the SentencePiece pieces (``<unk> <s> </s>`` first);
- optionally a MiniSBD sentence splitter: an ONNX graph made with ``onnx.helper`` that reads the
  same inputs as a real MiniSBD model (``units`` int64 [B,T], ``features`` float [B,T,2]) and
  writes logits [B,T,5] (class 1 ends a token at a space, class 2 ends a sentence at . ! ? …),
  with the ``config``/``vocab``/``lexicon`` metadata that ``minisbd.inference`` reads;
- ``metadata.json``; everything zipped under one top-level folder.

The packages load and translate through the real ctranslate2/sentencepiece/MiniSBD code; the
output is deterministic gibberish, so tests assert the plumbing, never the words.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_WORDS = {
    "ru": [
        "президент",
        "министр",
        "заявил",
        "сегодня",
        "войска",
        "границы",
        "переговоры",
        "мир",
        "война",
        "Россия",
        "Украина",
        "Москва",
        "Киев",
        "часов",
        "после",
        "встречи",
        "сказал",
        "новости",
        "страна",
        "правительство",
        "армия",
        "город",
        "люди",
        "время",
        "год",
        "решение",
        "совет",
        "безопасности",
        "гарантии",
        "соглашение",
    ],
    "el": [
        "πρόεδρος",
        "υπουργός",
        "δήλωσε",
        "σήμερα",
        "στρατεύματα",
        "σύνορα",
        "διαπραγματεύσεις",
        "ειρήνη",
        "πόλεμος",
        "Ρωσία",
        "Ουκρανία",
        "Μόσχα",
        "Κίεβο",
        "ώρες",
        "μετά",
        "συνάντηση",
        "είπε",
        "ειδήσεις",
        "χώρα",
        "κυβέρνηση",
        "στρατός",
        "πόλη",
        "άνθρωποι",
        "χρόνος",
        "απόφαση",
        "συμβούλιο",
        "ασφαλείας",
        "εγγυήσεις",
    ],
    "uk": [
        "президент",
        "міністр",
        "заявив",
        "сьогодні",
        "війська",
        "кордони",
        "переговори",
        "мир",
        "війна",
        "Росія",
        "Україна",
        "Москва",
        "Київ",
        "годин",
        "після",
        "зустрічі",
        "сказав",
        "новини",
        "країна",
        "уряд",
        "армія",
    ],
    "en": [
        "president",
        "minister",
        "said",
        "today",
        "troops",
        "borders",
        "talks",
        "peace",
        "war",
        "Russia",
        "Ukraine",
        "Moscow",
        "Kyiv",
        "hours",
        "after",
        "meeting",
        "told",
        "news",
        "country",
        "government",
        "army",
        "city",
        "people",
        "time",
        "year",
        "decision",
        "council",
        "security",
        "guarantees",
        "agreement",
    ],
}

_NAMES = {"ru": "Russian", "el": "Greek", "uk": "Ukrainian", "en": "English", "de": "German"}

# MiniSBD units are characters; everything not listed maps to <UNK> (class 0: inside a token).
_SPLITTER_UNITS = ["<PAD>", "<UNK>", " ", ".", "!", "?", "…"]
_SPLITTER_CLASSES = {" ": 1, ".": 2, "!": 2, "?": 2, "…": 2}


def _lines(lang: str, rng: random.Random, count: int) -> Iterator[str]:
    words = _WORDS.get(lang, _WORDS["en"])
    for _ in range(count):
        n = rng.randint(4, 12)
        yield " ".join(rng.choice(words) for _ in range(n)).capitalize() + rng.choice(".!?")


def train_sentencepiece(source: str, target: str, *, seed: int = 0, vocab_size: int = 300) -> bytes:
    """A SentencePiece unigram model shared by ``source`` and ``target`` text, as bytes."""
    import sentencepiece as spm

    rng = random.Random(seed)
    lines = [*_lines(source, rng, 200), *_lines(target, rng, 200)]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
        num_threads=1,
    )
    return buffer.getvalue()


def save_ctranslate2_model(
    output_dir: Path, vocabulary: list[str], *, seed: int = 0, eos_bias: float = 3.0
) -> None:
    """Save a 1-layer Transformer with seeded random weights to ``output_dir``."""
    import ctranslate2
    import numpy as np
    from ctranslate2.specs import model_spec

    spec = ctranslate2.specs.TransformerSpec.from_config(num_layers=1, num_heads=2)
    rng = np.random.default_rng(seed)
    d_model, d_ff, vocab = 32, 64, len(vocabulary)

    def weights(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.2).astype(np.float32)

    def linear(spec_: object, out_dim: int, in_dim: int) -> None:
        spec_.weight = weights(out_dim, in_dim)  # type: ignore[attr-defined]
        spec_.bias = np.zeros(out_dim, dtype=np.float32)  # type: ignore[attr-defined]

    def norm(spec_: object) -> None:
        spec_.gamma = np.ones(d_model, dtype=np.float32)  # type: ignore[attr-defined]
        spec_.beta = np.zeros(d_model, dtype=np.float32)  # type: ignore[attr-defined]

    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = weights(vocab, d_model)
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, d_ff, d_model)
        linear(layer.ffn.linear_1, d_model, d_ff)
    decoder.embeddings.weight = weights(vocab, d_model)
    norm(decoder.layer_norm)
    linear(decoder.projection, vocab, d_model)
    # Random weights almost never pick </s>; favour it so a sentence decodes to a few pieces.
    decoder.projection.bias[2] = eos_bias
    for layer in decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d_model, d_model)
        linear(layer.attention.linear[1], 2 * d_model, d_model)
        linear(layer.attention.linear[2], d_model, d_model)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, d_ff, d_model)
        linear(layer.ffn.linear_1, d_model, d_ff)
    assert isinstance(spec, model_spec.ModelSpec)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize()
    output_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(output_dir))


def minisbd_onnx_bytes(lang: str) -> bytes:
    """A MiniSBD-format sentence splitter: per-character logits from a lookup table."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    table = np.zeros((len(_SPLITTER_UNITS), 5), dtype=np.float32)
    table[:, 0] = 1.0
    for unit, label in _SPLITTER_CLASSES.items():
        row = _SPLITTER_UNITS.index(unit)
        table[row, 0] = 0.0
        table[row, label] = 4.0
    # Features (space_before, capitalized) nudge nothing; they are read so the graph uses them.
    feature_weights = np.zeros((2, 5), dtype=np.float32)
    nodes = [
        helper.make_node("Gather", ["table", "units"], ["unit_logits"], axis=0),
        helper.make_node("MatMul", ["features", "feature_weights"], ["feature_logits"]),
        helper.make_node("Add", ["unit_logits", "feature_logits"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_minisbd",
        inputs=[
            helper.make_tensor_value_info("units", TensorProto.INT64, ["B", "T"]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["B", "T", 2]),
        ],
        outputs=[helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", "T", 5])],
        initializer=[
            numpy_helper.from_array(table, "table"),
            numpy_helper.from_array(feature_weights, "feature_weights"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    config = {
        "skip_newline": False,
        "max_seqlen": 1000,
        "no_ssplit": False,
        "batch_size": 32,
        "feat_funcs": ["space_before", "capitalized"],
        "use_dictionary": False,
        "num_dict_feat": 0,
    }
    vocab = {
        "lang": lang,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {u: i for i, u in enumerate(_SPLITTER_UNITS)},
        "_id2unit": _SPLITTER_UNITS,
    }
    helper.set_model_props(
        model,
        {
            "lang_code": lang,
            "config": json.dumps(config),
            "vocab": json.dumps(vocab),
            "lexicon": "null",
        },
    )
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


def build_argos_package(
    dest: Path,
    source: str,
    target: str = "en",
    *,
    version: str = "1.0",
    splitter: str | None = "minisbd",
    seed: int = 0,
) -> Path:
    """Write ``translate-<source>_<target>.argosmodel`` into ``dest`` and return its path.

    Args:
        dest: folder to write the archive into.
        source: source language code.
        target: target language code.
        version: the ``package_version`` in metadata.json.
        splitter: ``"minisbd"`` for a packaged MiniSBD model, ``"stanza-incomplete"`` for a
            ``stanza/`` folder without ``resources.json``, or ``None`` for no splitter.
        seed: seeds the SentencePiece corpus and the weights.
    """
    import sentencepiece as spm

    name = f"translate-{source}_{target}"
    top = f"{name}-{version.replace('.', '_')}"
    sp_bytes = train_sentencepiece(source, target, seed=seed)
    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    metadata = {
        "package_version": version,
        "argos_version": "1.11.0",
        "from_code": source,
        "from_name": _NAMES.get(source, source),
        "to_code": target,
        "to_name": _NAMES.get(target, target),
        "type": "translate",
        "links": [],
    }
    dest.mkdir(parents=True, exist_ok=True)
    archive = dest / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory() as work:
        model_dir = Path(work) / "model"
        save_ctranslate2_model(model_dir, vocabulary, seed=seed)
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{top}/", "")
            zf.writestr(f"{top}/metadata.json", json.dumps(metadata, indent=2))
            zf.writestr(f"{top}/sentencepiece.model", sp_bytes)
            zf.writestr(f"{top}/README.md", f"Tiny {source}->{target} test package.\n")
            zf.writestr(f"{top}/model/", "")
            for file in sorted(model_dir.iterdir()):
                zf.write(file, f"{top}/model/{file.name}")
            if splitter == "minisbd":
                zf.writestr(f"{top}/minisbd/", "")
                zf.writestr(f"{top}/minisbd/{source}.onnx", minisbd_onnx_bytes(source))
            elif splitter == "stanza-incomplete":
                zf.writestr(f"{top}/stanza/{source}/tokenize/README", "no model here\n")
    return archive


TINY_PACKAGES = {
    # name -> (source, target, splitter)
    "ru": ("ru", "en", "minisbd"),
    "el": ("el", "en", "minisbd"),
    "uk": ("uk", "en", None),
}


@pytest.fixture(scope="session")
def tiny_argos_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny ``.argosmodel`` archives built once per test session: ru→en and el→en with a MiniSBD
    splitter, uk→en without one (exercises the fidelity splitter fallback)."""
    folder = tmp_path_factory.getbasetemp() / "argos-tiny"
    built: dict[str, Path] = {}
    for key, (source, target, splitter) in TINY_PACKAGES.items():
        archive = folder / f"translate-{source}_{target}.argosmodel"
        if not archive.exists():  # another test module of this session may have built it
            build_argos_package(folder, source, target, splitter=splitter, seed=len(built))
        built[key] = archive
    return built
