"""Token ids of a tokenised batch read from its code-point array, without a Python string per token.

The batch normaliser (`falsefriends.correlate.normalise`) ends with an array of code points in which every
character that is not part of a token is a blank (32). Cutting that into Python strings and looking each up in
the `Vocabulary` cost a string object, a hash and a dict probe per token: 40 % of normalising a corpus of
templated messages. Here the tokens of a batch are read as 8-byte words of the array (when every character of the
batch is below 256 once the marker stand-ins are given the bytes 1-7), hashed in numpy, and looked up in a
direct-mapped cache of the tokens seen before; a hit counts only when the token's length and every one of its
words equal the cached token's, so the ids are exactly those of the string lookup, whatever the hash does
(a crafted hash collision costs a string lookup, never a wrong id). Tokens not in the cache are looked up as
strings once per distinct hash and put in the cache; any that still fail the comparison (two new tokens on one
slot, or a collision) are looked up one by one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from falsefriends.correlate.normalise import Vocabulary

U8 = NDArray[np.uint8]
U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]

_BLANK = 32
_WORD = 8
# Low bytes of a word that hold a token's last `k` characters (k = 1..8; index 0 unused).
_MASKS = np.asarray([0, *[(1 << (8 * k)) - 1 for k in range(1, _WORD)], (1 << 64) - 1], dtype=np.uint64)
_STEP = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_MIN_BITS = 12


class TokenCache:
    """Tokens seen before, by a hash of their bytes: one slot per hash (the newest token wins a slot).

    A slot holds the hash, the token's vocabulary id, its length, its first 8-byte word and where its further
    words start in `pool`."""

    def __init__(self, bits: int = _MIN_BITS) -> None:
        self.clear(bits)

    def clear(self, bits: int) -> None:
        """Empty the cache, with 2**bits slots."""
        self.bits = bits
        size = 1 << bits
        self.key = np.zeros(size, dtype=np.uint64)
        self.ids = np.full(size, -1, dtype=np.int64)
        self.length = np.zeros(size, dtype=np.int64)
        self.first = np.zeros(size, dtype=np.uint64)
        self.start = np.zeros(size, dtype=np.int64)
        self.pool = np.zeros(1, dtype=np.uint64)

    def slots(self, hashes: U64, choice: int) -> I64:
        """Each hash's first (choice 0) or second (1) slot: two places to stand keeps two tokens that share one
        from evicting each other batch after batch."""
        if choice == 0:
            return (hashes >> np.uint64(64 - self.bits)).astype(np.int64)
        return (hashes & np.uint64((1 << self.bits) - 1)).astype(np.int64)


def token_ids(data: U8, marker_base: int, vocabulary: Vocabulary) -> I64:
    """Ids of the tokens of `data`, in order, as `vocabulary[token]` would give them.

    `data`: the batch's characters as bytes, a blank (32) for every character that is not part of a token,
    marker stand-ins as the bytes 1-7 (the markers' stand-in characters from `marker_base`), at least 8 blanks at
    each end."""
    starts, lengths = _tokens(data)
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    cache = _cache_for(vocabulary)
    # Tokens ordered by their number of words, ascending: step j reads the suffix of tokens with more than j words.
    n_words = (lengths + (_WORD - 1)) >> 3
    order = np.argsort(n_words.astype(np.uint16) if n_words.max() < 1 << 16 else n_words, kind="stable")
    starts, lengths, n_words = starts[order], lengths[order], n_words[order]
    firsts = np.searchsorted(n_words, np.arange(int(n_words[-1])), side="right").tolist()
    words = _words(data, starts, lengths, firsts)
    hashes = _hash(words, firsts, lengths)
    ids = _lookup(cache, hashes, words, firsts, lengths, None, 0)
    missed = np.flatnonzero(ids < 0)
    if len(missed):
        ids[missed] = _lookup(cache, hashes, words, firsts, lengths, missed, 1)
        missed = missed[ids[missed] < 0]
    if len(missed):
        ids[missed] = _learn(cache, vocabulary, data, starts, lengths, hashes, words, firsts, missed, marker_base,
                             order)
    out = np.empty(len(ids), dtype=np.int64)
    out[order] = ids
    return out


def _tokens(data: U8) -> tuple[I64, I64]:
    """Start and length of every run of non-blank bytes (the data opens and closes with blanks)."""
    word = (data != _BLANK).view(np.int8)
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    starts, ends = edges[0::2], edges[1::2]
    return starts.astype(np.int64), (ends - starts).astype(np.int64)


def _words(data: U8, starts: I64, lengths: I64, firsts: list[int]) -> list[U64]:
    """For each step j, the j-th 8-byte word of the tokens `firsts[j]:` (those having more than j words; tokens
    sorted by word count), the last word of a token masked to its own bytes."""
    # Every byte offset read as the start of a little-endian 8-byte word (unaligned loads, no copy).
    at_offset = np.ndarray(shape=(len(data) - _WORD + 1,), dtype="<u8", buffer=data, strides=(1,))
    words: list[U64] = []
    for step, first in enumerate(firsts):
        word = at_offset[starts[first:] + step * _WORD].astype(np.uint64, copy=False)
        # each word masked to the token's bytes (_MASKS[8]: all of them)
        word &= _MASKS[np.minimum(lengths[first:] - step * _WORD, _WORD)]
        words.append(word)
    return words


def _hash(words: list[U64], firsts: list[int], lengths: I64) -> U64:
    hashes = lengths.astype(np.uint64) * _STEP
    for word, first in zip(words, firsts, strict=True):
        part = hashes[first:]
        part ^= word
        part *= _MIX
        part ^= part >> np.uint64(29)
    hashes *= _STEP
    hashes ^= hashes >> np.uint64(32)
    return hashes


def _lookup(cache: TokenCache, hashes: U64, words: list[U64], firsts: list[int], lengths: I64, among: I64 | None,
            choice: int) -> I64:
    """The id cached in the `choice` slot of each token of `among` (ascending positions; None: every token), -1
    where that slot does not hold that very token (same hash, length and words)."""
    mine, my_lengths, my_first = ((hashes, lengths, words[0]) if among is None else
                                  (hashes[among], lengths[among], words[0][among]))
    slot = cache.slots(mine, choice)
    found = cache.ids[slot]
    ok = (found >= 0) & (cache.key[slot] == mine) & (cache.length[slot] == my_lengths)
    ok &= cache.first[slot] == my_first
    for step in range(1, len(firsts)):
        # The tokens of `among` that have a word at this step: those at or after firsts[step].
        cut = firsts[step] if among is None else int(np.searchsorted(among, firsts[step]))
        if cut == len(ok):
            break
        pooled = cache.pool[np.where(ok[cut:], cache.start[slot[cut:]] + (step - 1), 0)]
        ok[cut:] &= pooled == (words[step] if among is None else words[step][among[cut:] - firsts[step]])
    return np.where(ok, found, -1)


def _learn(cache: TokenCache, vocabulary: Vocabulary, data: U8, starts: I64, lengths: I64, hashes: U64,
           words: list[U64], firsts: list[int], missed: I64, marker_base: int, position: I64) -> I64:
    """The ids of the `missed` tokens (ascending positions), looked up as strings once per distinct token, and those
    tokens cached. Tokens of one hash are one token when their lengths and words equal the first one's; any other
    (a hash collision) is looked up by itself. Lookups go in text order (`position`: each token's place in the
    text), so new tokens get their ids in the order the string path gives them."""
    _, first_seen, group = np.unique(hashes[missed], return_index=True, return_inverse=True)
    leader = missed[first_seen][group]
    same = lengths[missed] == lengths[leader]
    for step in range(1, len(firsts)):
        cut = int(np.searchsorted(missed, firsts[step]))
        if cut < len(missed):
            # Leaders of the same length have a word here too; others already differ.
            lead = np.where(same[cut:], leader[cut:], missed[cut:])
            same[cut:] &= words[step][lead - firsts[step]] == words[step][missed[cut:] - firsts[step]]
    same &= words[0][leader] == words[0][missed]
    is_leader = np.zeros(len(missed), dtype=bool)
    is_leader[first_seen] = True
    asked = np.flatnonzero(is_leader | ~same)  # indices into `missed`
    asked = asked[np.argsort(position[missed[asked]], kind="stable")]
    found = np.fromiter(
        (vocabulary[_token_text(data, s, n, marker_base)]
         for s, n in zip(starts[missed[asked]].tolist(), lengths[missed[asked]].tolist(), strict=True)),
        dtype=np.int64, count=len(asked))
    answer = np.empty(len(missed), dtype=np.int64)
    answer[asked] = found
    ids = answer[first_seen][group]
    ids[~same] = answer[~same]
    leaders = np.flatnonzero(is_leader)  # ascending, as `missed` is
    _cache(cache, len(vocabulary.tokens), missed[leaders], hashes, words, firsts, lengths, answer[leaders])
    return ids


def _cache(cache: TokenCache, vocabulary_size: int, new: I64, hashes: U64, words: list[U64], firsts: list[int],
           lengths: I64, found: I64) -> None:
    """Put the tokens `new` (ascending positions) with their ids `found` in the cache: in their first slot when it
    is free or theirs, else in their second when that is free, else over the first slot's token."""
    if vocabulary_size * 4 > (1 << cache.bits):
        _grow(cache, vocabulary_size)
    extra = ((lengths[new] + (_WORD - 1)) >> 3) - 1
    offsets = len(cache.pool) + np.cumsum(extra) - extra
    pool = np.zeros(int(extra.sum()), dtype=np.uint64)
    for step in range(1, len(firsts)):
        cut = int(np.searchsorted(new, firsts[step]))
        if cut < len(new):
            pool[offsets[cut:] - len(cache.pool) + (step - 1)] = words[step][new[cut:] - firsts[step]]
    key = hashes[new]
    first, second = cache.slots(key, 0), cache.slots(key, 1)
    use_second = (cache.ids[first] >= 0) & (cache.key[first] != key) & (cache.ids[second] < 0)
    slot = np.where(use_second, second, first)
    cache.pool = np.concatenate((cache.pool, pool))
    cache.key[slot] = key
    cache.ids[slot] = found
    cache.length[slot] = lengths[new]
    cache.first[slot] = words[0][new]
    cache.start[slot] = offsets


def _grow(cache: TokenCache, tokens: int) -> None:
    """A cache with room for `tokens` at a quarter full; what it held is dropped (looked up again on demand)."""
    bits = max(_MIN_BITS, int(tokens * 4 - 1).bit_length())
    cache.clear(bits)


def _token_text(data: U8, start: int, length: int, marker_base: int) -> str:
    raw = data[start: start + length]
    if length == 1 and 1 <= raw[0] < _BLANK:
        return chr(marker_base + int(raw[0]) - 1)
    return raw.tobytes().decode("latin-1")


def _cache_for(vocabulary: Vocabulary) -> TokenCache:
    cache = vocabulary.token_cache
    if cache is None:
        cache = vocabulary.token_cache = TokenCache()
    return cache
