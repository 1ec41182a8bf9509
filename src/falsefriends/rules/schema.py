"""The schema of a rule pack file: what a rule may say, validated by pydantic."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MESSAGE_INDICATORS = (
    "M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12", "M13", "M14", "M15",
)
PROFILE_INDICATORS = ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8")
# P3, the photo (reused across personas, catalogue or stock pictures; an AI-generated face), is raised by
# falsefriends.photo rather than by a rule: hash reuse and the eye positions of StyleGAN/FFHQ-aligned faces
# (BfV 2017; NPSA TBYL; SIO 2022; LinkedIn Engineering 2023, "New Approaches For Detecting AI-Generated Profile
# Photos"). See docs/photos.md.
# Negative indicators: signs of a genuine sender; they lower a score and are named N-something.
COUNTER_INDICATORS = ("N1", "N2", "N3")
Indicator = Literal[
    "M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12", "M13", "M14", "M15",
    "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8",
    "N1", "N2", "N3",
]


class ProfileField(StrEnum):
    """Profile fields a profile rule may read.

    The name is deliberately absent: a person's name (its script, its apparent origin) is never
    evidence, so no rule can read it.
    """

    HEADLINE = "headline"
    EMPLOYER = "employer"
    POSITION = "position"
    LOCATION = "location"
    ABOUT = "about"
    POSITIONS = "positions"


class RuleSpec(BaseModel):
    """One rule: patterns that, when found, are evidence for an indicator of tradecraft.md."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="stable kebab-case id, unique across all packs")
    indicator: Indicator = Field(description="the tradecraft.md indicator this rule is evidence for")
    weight: float = Field(ge=-6.0, le=6.0, description="log-odds contribution (expert prior)")
    reason: str = Field(min_length=10, description="plain-language reason shown to the user")
    source: tuple[str, ...] = Field(min_length=1, description="who published the indicator")
    patterns: tuple[str, ...] = Field(
        default=(), description="regular expressions over folded text (lower case, no accents)"
    )
    unless: tuple[str, ...] = Field(
        default=(), description="patterns that, found within `window` characters of a match, cancel it"
    )
    window: int = Field(default=80, ge=0, le=1000)
    fields: tuple[ProfileField, ...] = Field(default=(), description="profile fields read (profile rules)")
    requires: tuple[str, ...] = Field(
        default=(), description="named conditions (code hooks) that must also hold, e.g. thin-history"
    )
    examples: tuple[str, ...] = Field(default=(), description="texts the rule must fire on (linted)")
    counter_examples: tuple[str, ...] = Field(default=(), description="texts it must not fire on")

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not KEBAB.match(value):
            raise ValueError(f"rule id {value!r} is not kebab-case (a-z, 0-9, single hyphens)")
        return value


class PackHeader(BaseModel):
    """A rule pack file: one language (or `any`) and one kind of subject.

    The rules are validated one by one (as `RuleSpec`), so one broken rule neither hides the
    others' problems nor stops them from loading.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pack: str
    language: Literal["en", "fr", "de", "es", "it", "pt", "nl", "any"]
    kind: Literal["message", "profile"]
    description: str = ""
    rules: tuple[Any, ...] = Field(min_length=1)
