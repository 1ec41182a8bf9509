"""`token_ids` gives exactly the ids that looking each token up as a string gives, however its hash behaves:
with every token on one hash (all collide), on one slot, across batches that share a vocabulary, for tokens of
1 to 40 bytes, markers, the separator and Latin-1 letters; and the batch normaliser takes the string path for a
batch holding a word character of 256 or above."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.correlate import token_ids as token_ids_module
from falsefriends.correlate.normalise import _PRIVATE_LO, Vocabulary, normalise, normalise_many
from falsefriends.correlate.token_ids import token_ids

_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789éàüßøñ"
_MARKER_BYTES = "\x01\x02\x03\x04\x05\x06\x07"


def _data(text: str) -> np.ndarray:
    """A batch as `token_ids` reads it: bytes, blanks at both ends."""
    body = np.frombuffer(text.encode("latin-1"), dtype=np.uint8)
    data = np.full(len(body) + 16, 32, dtype=np.uint8)
    data[8:-8] = body
    return data


def _as_strings(text: str) -> list[str]:
    """The tokens of a batch as the string path reads them (marker bytes as their stand-in characters)."""
    return [chr(_PRIVATE_LO + ord(t) - 1) if len(t) == 1 and t in _MARKER_BYTES else t for t in text.split(" ") if t]


def _expected(batches: list[str]) -> list[list[int]]:
    vocabulary = Vocabulary()
    return [[vocabulary[t] for t in _as_strings(batch)] for batch in batches]


def _got(batches: list[str]) -> list[list[int]]:
    vocabulary = Vocabulary()
    return [token_ids(_data(batch), _PRIVATE_LO, vocabulary).tolist() for batch in batches]


_TOKEN = st.one_of(
    st.text(alphabet=_LETTERS, min_size=1, max_size=40),
    st.sampled_from(["\x00", *_MARKER_BYTES, "abcdefgh", "abcdefghi", "abcdefgh" * 2, "abcdefgh" * 2 + "a"]),
)
_BATCHES = st.lists(st.lists(_TOKEN, max_size=60).map(" ".join), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(_BATCHES)
def test_ids_are_those_of_the_string_lookup(batches: list[str]) -> None:
    assert _got(batches) == _expected(batches)


@pytest.mark.parametrize("hash_kind", ["constant", "length only"])
def test_ids_stay_exact_when_every_hash_collides(monkeypatch: pytest.MonkeyPatch, hash_kind: str) -> None:
    """A crafted collision costs a string lookup, never a wrong id: with one hash for all tokens (or one per
    length), tokens that differ still get their own ids, in every batch."""
    def colliding(words: list[np.ndarray], firsts: list[int], lengths: np.ndarray) -> np.ndarray:
        if hash_kind == "constant":
            return np.full(len(lengths), 12345, dtype=np.uint64)
        return lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)

    monkeypatch.setattr(token_ids_module, "_hash", colliding)
    batches = ["ab ba abc cab ab \x00 ba abcdefghij abcdefghik", "cab ab zz \x01 abcdefghik abcdefghij ab",
               "ab ab ab ba"]
    assert _got(batches) == _expected(batches)


def test_tokens_that_share_slots_keep_their_ids_across_batches() -> None:
    """Many distinct tokens in a small cache (two per slot and more): each batch still gets exact ids."""
    words = [f"w{i}x{i * 7919 % 1000}" for i in range(3000)]
    rng = np.random.default_rng(3)
    batches = [" ".join(rng.choice(words, size=2000).tolist()) for _ in range(5)]
    assert _got(batches) == _expected(batches)


def test_empty_and_blank_batches() -> None:
    assert _got(["", "   ", "a"]) == [[], [], _expected(["a"])[0]]


def test_wide_word_characters_take_the_string_path() -> None:
    """Greek, Cyrillic and CJK letters (256 and above once folded) in a batch: the same tokens as one by one."""
    texts = ["Dear Ivan, привет мир and 東京 office", "Γεια σας, consulting offer", "plain ascii text here"]
    assert normalise_many(texts) == [normalise(t) for t in texts]
