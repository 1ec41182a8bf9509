"""The learnt head: a logistic regression on a message's sentence vectors, stored as JSON.

Two stages. The weights `coef` read one vector: the message vector (the sum of its sentence
vectors scaled to unit length) or one sentence's. The log-odds of a message are

    bias + mean_weight * coef . message_vector + max_weight * max over sentences of coef . sentence

so one hostile sentence in a long, ordinary-looking message is not diluted by the rest. Both terms
are linear in the sentences, so each sentence's share of the log-odds is exact (`shares`): its part
of the message vector's term, plus the second term for the sentence that reads most hostile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from falsefriends.detect.semantic.encoder import DIMENSIONS

HEAD_FILE = "head.json"


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

    def __post_init__(self) -> None:
        if self.coef.shape != (DIMENSIONS,):
            raise ValueError(f"head weights have shape {self.coef.shape}, expected ({DIMENSIONS},)")

    def shares(self, vectors: np.ndarray) -> np.ndarray:
        """Each sentence's exact part of the log-odds of a message of these sentence vectors.

        They add up to `logit(vectors) - bias`. A 1-D vector is read as a one-sentence message.
        """
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if rows.shape[0] == 0:
            return np.zeros(0)
        each = (rows @ self.coef).astype(np.float64)
        norm = float(np.linalg.norm(rows.sum(axis=0)))
        out = self.mean_weight * each / (norm if norm > 0 else 1.0)
        if self.max_weight:
            top = int(np.argmax(each))
            out[top] += self.max_weight * each[top]
        return np.asarray(out)

    def logit(self, vectors: np.ndarray) -> float:
        """The log-odds of a message of these sentence vectors (a 1-D vector: one sentence)."""
        return float(self.bias + self.shares(vectors).sum())

    def as_json(self) -> dict[str, Any]:
        return {"version": self.version, "encoder": self.encoder, "bias": round(self.bias, 6),
                "pooling": {"mean": round(self.mean_weight, 6), "max": round(self.max_weight, 6)},
                "trained_on": self.trained_on, "coef": [round(float(v), 6) for v in self.coef]}


def head_from_json(data: dict[str, Any]) -> SemanticHead:
    pooling = data.get("pooling") or {"mean": 1.0, "max": 0.0}  # heads before v2 read the message vector only
    return SemanticHead(encoder=str(data["encoder"]), coef=np.asarray(data["coef"], dtype=np.float32),
                        bias=float(data["bias"]), version=str(data.get("version", "")),
                        trained_on=dict(data.get("trained_on") or {}),
                        mean_weight=float(pooling["mean"]), max_weight=float(pooling["max"]))


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
