"""The photo checks' weights, thresholds and canonical eye positions, read once from photo.yaml."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from falsefriends.yamlio import parse_yaml


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Weights(_Frozen):
    reused_one: float = Field(alias="reused-one")
    reused_several: float = Field(alias="reused-several")
    gan_aligned: float = Field(alias="gan-aligned")
    not_aligned: float = Field(alias="not-aligned")


class Sources(_Frozen):
    reuse: tuple[str, ...]
    gan: tuple[str, ...]


class HashLimits(_Frozen):
    phash_max: int = Field(alias="phash-max", ge=0, le=32)
    dhash_max: int = Field(alias="dhash-max", ge=0, le=32)
    phash_only_max: int = Field(alias="phash-only-max", ge=0, le=32)
    min_grey_std: float = Field(alias="min-grey-std", ge=0)


class AlignmentSpec(_Frozen):
    left_eye: tuple[float, float] = Field(alias="left-eye")
    right_eye: tuple[float, float] = Field(alias="right-eye")
    tolerance: float = Field(gt=0, lt=0.5)
    max_aspect: float = Field(alias="max-aspect", ge=1.0)


class PhotoSettings(_Frozen):
    weights: Weights
    sources: Sources
    hashes: HashLimits
    alignment: AlignmentSpec


@cache
def photo_settings() -> PhotoSettings:
    text = (resources.files("falsefriends.photo") / "photo.yaml").read_text(encoding="utf-8")
    return PhotoSettings.model_validate(parse_yaml(text)[1])
