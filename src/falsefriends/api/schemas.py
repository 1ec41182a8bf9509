"""Request and response models of the API, as published in the OpenAPI schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from falsefriends.batch import MAX_TEXT_CHARS
from falsefriends.model import Account, Channel, Level


class CheckRequest(BaseModel):
    """One batch line (see `falsefriends check --batch`): a message text and/or a profile."""

    model_config = ConfigDict(extra="forbid")

    id: str | int = Field(default=1, description="your id for the item, echoed back (default: 1, the line number)")
    text: str = Field(default="", max_length=MAX_TEXT_CHARS, description="the message or invitation note")
    subject: str = Field(default="", description="InMail subject, if any")
    channel: Channel = Channel.MESSAGE
    conversation: str | int | None = Field(default=None, description="a conversation id (scored alone here)")
    profile: Account | None = Field(default=None, description="the sender's profile fields")


class EvidenceOut(BaseModel):
    rule: str
    indicator: str
    weight: float
    span: list[int] | None = Field(default=None, description="[start, end) in `text`, for message evidence")
    field: str | None = Field(default=None, description="the profile field, for profile evidence")
    excerpt: str
    reason: str
    source: list[str]


class ConversationOut(BaseModel):
    id: str
    score: float
    level: Level
    indicators: list[str]
    messages: int


class CheckResult(BaseModel):
    """The batch output line, plus the advice to give the person who received the approach."""

    id: str | int | None
    score: float = Field(ge=0, le=1)
    level: Level
    indicators: list[str]
    language: str | None
    evidence: list[EvidenceOut]
    reader_language: str = Field(description="the language of the reasons and advice: en, fr or de")
    advice: list[str]
    conversation: ConversationOut | None = None


class RuleOut(BaseModel):
    id: str
    indicator: str
    kind: str
    language: str
    pack: str
    weight: float
    reason: str
    source: list[str]


class RuleDetail(RuleOut):
    """A rule explained: its patterns, what cancels them, the examples it is linted against, where it is."""

    patterns: list[str]
    unless: list[str]
    window: int
    fields: list[str]
    requires: list[str]
    examples: list[str]
    counter_examples: list[str]
    location: str


class Me(BaseModel):
    name: str | None
    role: str | None
    public_check: bool


class Health(BaseModel):
    status: str
    version: str
    rules: int


class AuditRunOut(BaseModel):
    id: int
    created_at: datetime
    created_by: str | None
    source: str
    state: str
    progress: float
    stage: str
    error: str | None
    finished_at: datetime | None


class Page(BaseModel):
    """A page of items and the total before paging."""

    total: int
    items: list[dict[str, Any]]
