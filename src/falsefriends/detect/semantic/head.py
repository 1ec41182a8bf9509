"""The learnt head: a logistic regression on a message's sentence vectors, stored as JSON.

The message vector is the sum of its sentence vectors scaled to unit length; the head is linear
in it, so each sentence's share of the score is exact (its vector times the weights, over the
length of the sum): the evidence can name the sentences that weighed most.
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

    def __post_init__(self) -> None:
        if self.coef.shape != (DIMENSIONS,):
            raise ValueError(f"head weights have shape {self.coef.shape}, expected ({DIMENSIONS},)")

    def logit(self, mean_vector: np.ndarray) -> float:
        return float(self.bias + mean_vector @ self.coef)

    def as_json(self) -> dict[str, Any]:
        return {"version": self.version, "encoder": self.encoder, "bias": round(self.bias, 6),
                "trained_on": self.trained_on, "coef": [round(float(v), 6) for v in self.coef]}


def head_from_json(data: dict[str, Any]) -> SemanticHead:
    return SemanticHead(encoder=str(data["encoder"]), coef=np.asarray(data["coef"], dtype=np.float32),
                        bias=float(data["bias"]), version=str(data.get("version", "")),
                        trained_on=dict(data.get("trained_on") or {}))


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
