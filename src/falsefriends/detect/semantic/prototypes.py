"""Indicator prototypes (prototypes.yaml): loaded, validated, and encoded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from falsefriends.detect.semantic.encoder import Encoder
from falsefriends.yamlio import parse_yaml


class IndicatorPrototypes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    weight: float = Field(gt=0)
    source: tuple[str, ...] = Field(min_length=1)
    prototypes: dict[str, tuple[str, ...]] = Field(min_length=1)


class PrototypeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    encoder: str
    threshold: float = Field(gt=0, lt=1)
    indicators: dict[str, IndicatorPrototypes] = Field(min_length=1)


@dataclass(frozen=True)
class Prototype:
    indicator: str
    lang: str
    text: str
    weight: float
    source: tuple[str, ...]


class PrototypeSet:
    """The prototypes with their unit vectors (encoded on first use, once)."""

    def __init__(self, spec: PrototypeFile, encoder: Encoder) -> None:
        if spec.encoder != encoder.id:
            raise ValueError(f"prototypes were written for encoder {spec.encoder!r}, not {encoder.id!r}")
        self.spec = spec
        self.encoder = encoder
        self.items = tuple(
            Prototype(indicator, lang, text, entry.weight, entry.source)
            for indicator, entry in spec.indicators.items()
            for lang, texts in entry.prototypes.items()
            for text in texts
        )

    @property
    def threshold(self) -> float:
        return self.spec.threshold

    @cached_property
    def vectors(self) -> np.ndarray:
        texts = [p.text for p in self.items]
        encode_fixed = getattr(self.encoder, "encode_fixed", None)  # USEEncoder: kept in the start-up cache
        return encode_fixed(texts) if callable(encode_fixed) else self.encoder.encode(texts)


def load_prototypes(path: Path | None = None) -> PrototypeFile:
    """The bundled prototypes, or a file of the same form."""
    if path is None:
        text = (resources.files("falsefriends.detect.semantic") / "prototypes.yaml").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return PrototypeFile.model_validate(parse_yaml(text)[1])
