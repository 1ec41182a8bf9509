"""The learnt head: a logistic regression on a message's sentence vectors, stored as JSON.

Two stages. The weights `coef` read one vector: the message vector (the sum of its sentence
vectors scaled to unit length) or one sentence's. The log-odds of a message are

    bias + mean_weight * coef . message_vector + max_weight * max over sentences of coef . sentence
         + neighbour_weight * (mean similarity of the message vector to its k nearest hostile training
                               messages - the same to its k nearest genuine ones)

The first term reads the wording the head learnt as hostile throughout, the second the one sentence
that reads most hostile, the third (version 3) how close the message lies to the hostile messages
it was trained on rather than to the genuine ones: a local reading that a single linear direction
misses (two kinds of hostile message that resemble each other little, each near its own examples).
For one message, the k nearest of each class are fixed, so the third term is the message vector's
dot product with the difference of their means: linear in the sentences again. Each sentence's share
of the log-odds is therefore exact (`shares`): its part of the message-vector terms, plus the second
term for the sentence that reads most hostile.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from falsefriends.detect.semantic.encoder import DIMENSIONS

HEAD_FILE = "head.json"
NEIGHBOURS = 5  # k of the nearest-neighbour term (set before measuring it, never tuned on the corpus)


@dataclass(frozen=True)
class SemanticHead:
    """Weights of the head and what they were learnt from."""

    encoder: str
    coef: np.ndarray
    bias: float
    version: str = "semantic-head-v1"
    trained_on: dict[str, Any] = field(default_factory=dict)
    mean_weight: float = 1.0  # of the message vector's term
    max_weight: float = 0.0  # of the most hostile-reading sentence's term
    neighbour_weight: float = 0.0  # of the nearest-neighbour term (0: none, heads before v3)
    hostile_refs: np.ndarray | None = None  # message vectors of the hostile training messages (float16)
    genuine_refs: np.ndarray | None = None  # and of the genuine ones
    neighbours: int = NEIGHBOURS

    def __post_init__(self) -> None:
        if self.coef.shape != (DIMENSIONS,):
            raise ValueError(f"head weights have shape {self.coef.shape}, expected ({DIMENSIONS},)")
        for refs in (self.hostile_refs, self.genuine_refs):
            if refs is not None and (refs.ndim != 2 or refs.shape[1] != DIMENSIONS or len(refs) == 0):
                raise ValueError(f"reference vectors have shape {refs.shape}, expected (n, {DIMENSIONS})")

    @property
    def has_neighbours(self) -> bool:
        return bool(self.neighbour_weight) and self.hostile_refs is not None and self.genuine_refs is not None

    def neighbour_direction(self, message_vector: np.ndarray) -> np.ndarray:
        """Mean of the k hostile references nearest this unit vector, less that of the k genuine ones.

        Its dot product with the message vector is the nearest-neighbour feature (`neighbour_score`).
        """
        if self._refs32 is None:
            return np.zeros(DIMENSIONS)
        refs, hostile = self._refs32
        # one pass over every reference (einsum, not `refs @ v`: a BLAS product of this size starts
        # BLAS's threads, which costs many times the product itself on a busy machine)
        sims = np.einsum("ij,j->i", refs, np.asarray(message_vector, dtype=np.float32))
        return _nearest_mean(refs[:hostile], sims[:hostile], self.neighbours) - _nearest_mean(
            refs[hostile:], sims[hostile:], self.neighbours)

    @cached_property
    def _refs32(self) -> tuple[np.ndarray, int] | None:
        """Hostile then genuine references as one float32 array, and where the genuine ones start."""
        if self.hostile_refs is None or self.genuine_refs is None:
            return None
        return np.vstack([self.hostile_refs, self.genuine_refs]).astype(np.float32), len(self.hostile_refs)

    def neighbour_score(self, message_vector: np.ndarray) -> float:
        """Mean similarity to the k nearest hostile references less that to the k nearest genuine ones."""
        v = np.asarray(message_vector, dtype=np.float64)
        return float(self.neighbour_direction(v) @ v)

    def shares(self, vectors: np.ndarray) -> np.ndarray:
        """Each sentence's exact part of the log-odds of a message of these sentence vectors.

        They add up to `logit(vectors) - bias`. A 1-D vector is read as a one-sentence message.
        """
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if rows.shape[0] == 0:
            return np.zeros(0)
        each = (rows @ self.coef).astype(np.float64)
        total = rows.sum(axis=0).astype(np.float64)
        norm = float(np.linalg.norm(total))
        norm = norm if norm > 0 else 1.0
        out = self.mean_weight * each / norm
        if self.max_weight:
            top = int(np.argmax(each))
            out[top] += self.max_weight * each[top]
        if self.has_neighbours:
            direction = self.neighbour_direction(total / norm)
            out += self.neighbour_weight * (rows.astype(np.float64) @ direction) / norm
        return np.asarray(out)

    def logit(self, vectors: np.ndarray) -> float:
        """The log-odds of a message of these sentence vectors (a 1-D vector: one sentence)."""
        return float(self.bias + self.shares(vectors).sum())

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version, "encoder": self.encoder, "bias": round(self.bias, 6),
            "pooling": {"mean": round(self.mean_weight, 6), "max": round(self.max_weight, 6)},
            "trained_on": self.trained_on, "coef": [round(float(v), 6) for v in self.coef]}
        if self.has_neighbours:
            assert self.hostile_refs is not None and self.genuine_refs is not None
            out["neighbours"] = {"k": self.neighbours, "weight": round(self.neighbour_weight, 6),
                                 "dtype": "float16", "hostile": _pack(self.hostile_refs),
                                 "genuine": _pack(self.genuine_refs)}
        return out


def _nearest_mean(refs: np.ndarray, sims: np.ndarray, k: int) -> np.ndarray:
    """Mean of the k rows of `refs` with the highest similarities `sims`."""
    k = min(k, len(refs))
    nearest = np.argpartition(-sims, k - 1)[:k]
    return np.asarray(refs[nearest].astype(np.float64).mean(axis=0))


def reference_vectors(vectors: np.ndarray) -> np.ndarray:
    """Message vectors as stored in a head (float16: a shipped head and a fold's head read the same)."""
    return np.ascontiguousarray(np.asarray(vectors, dtype=np.float16))


def _pack(refs: np.ndarray) -> dict[str, Any]:
    data = reference_vectors(refs).astype("<f2").tobytes()
    return {"rows": int(refs.shape[0]), "base64": base64.b64encode(data).decode("ascii")}


def _unpack(data: dict[str, Any]) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(data["base64"]), dtype="<f2")
    return reference_vectors(raw.reshape(int(data["rows"]), DIMENSIONS))


def head_from_json(data: dict[str, Any]) -> SemanticHead:
    pooling = data.get("pooling") or {"mean": 1.0, "max": 0.0}  # heads before v2 read the message vector only
    neighbours = data.get("neighbours")  # heads before v3 have no nearest-neighbour term
    return SemanticHead(encoder=str(data["encoder"]), coef=np.asarray(data["coef"], dtype=np.float32),
                        bias=float(data["bias"]), version=str(data.get("version", "")),
                        trained_on=dict(data.get("trained_on") or {}),
                        mean_weight=float(pooling["mean"]), max_weight=float(pooling["max"]),
                        neighbour_weight=float(neighbours["weight"]) if neighbours else 0.0,
                        hostile_refs=_unpack(neighbours["hostile"]) if neighbours else None,
                        genuine_refs=_unpack(neighbours["genuine"]) if neighbours else None,
                        neighbours=int(neighbours["k"]) if neighbours else NEIGHBOURS)


def load_head(path: Path | None = None) -> SemanticHead | None:
    """The bundled head (None when none has been trained yet), or the head in `path`."""
    if path is None:
        resource = resources.files("falsefriends.detect.semantic") / HEAD_FILE
        if not resource.is_file():
            return None
        text = resource.read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return head_from_json(json.loads(text))


def save_head(head: SemanticHead, path: Path) -> None:
    path.write_text(json.dumps(head.as_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
