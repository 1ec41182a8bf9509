"""The batch check contract: JSON Lines in, one JSON line out per input line, in input order.

Input line: `{"id": ..., "text": "...", "profile": {...Account fields...}, "conversation": "optional id"}`;
text or profile may be absent or empty. Output line: `{"id", "score", "level", "indicators", "language",
"evidence": [{"rule", "indicator", "weight", "span", "excerpt", "reason", "source"}]}`, plus
`"conversation": {"id", "score", "level", "indicators", "messages"}` when the line names a conversation.
A line that cannot be read gives `{"id", "line", "error"}` and the other lines are still processed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from falsefriends.check import Checker
from falsefriends.model import Account, Assessment, Channel, Evidence, Message

MAX_LINE_BYTES = 1_000_000
MAX_TEXT_CHARS = 100_000
INPUT_FIELDS = frozenset({"id", "text", "profile", "conversation", "channel", "subject"})


class LineError(ValueError):
    """A batch line that cannot be checked; the message says why."""


@dataclass(frozen=True)
class BatchItem:
    """One valid input line."""

    line: int
    id: Any
    message: Message | None
    profile: Account | None
    conversation: str | None


@dataclass
class BatchResult:
    """Counts of a batch run, for the exit code and the summary."""

    lines: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _describe_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "profile"
        parts.append(f"profile.{where}: {err['msg']}")
    return "; ".join(parts)


def parse_line(raw: bytes, number: int) -> BatchItem:
    """Validate one raw input line; raise LineError naming what is wrong."""
    if len(raw) > MAX_LINE_BYTES:
        raise LineError(f"line is {len(raw):,} bytes, more than the limit of {MAX_LINE_BYTES:,}")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"invalid UTF-8 at byte {exc.start}") from None
    try:
        data = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise LineError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise LineError(f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - INPUT_FIELDS)
    if unknown:
        raise LineError(f"unknown field(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(INPUT_FIELDS))}")
    item_id = data.get("id", number)
    if not isinstance(item_id, (str, int)) or isinstance(item_id, bool):
        raise LineError("id must be a string or an integer")
    text = data.get("text") or ""
    if not isinstance(text, str):
        raise LineError("text must be a string")
    if len(text) > MAX_TEXT_CHARS:
        raise LineError(f"text is {len(text):,} characters, more than the limit of {MAX_TEXT_CHARS:,}")
    conversation = data.get("conversation")
    if conversation is not None and not isinstance(conversation, (str, int)):
        raise LineError("conversation must be a string or an integer")
    conversation = str(conversation) if conversation is not None else None
    channel_name = data.get("channel", "message")
    try:
        channel = Channel(channel_name)
    except ValueError:
        raise LineError(f"unknown channel {channel_name!r}; use one of {', '.join(c.value for c in Channel)}") from None
    subject = data.get("subject") or ""
    if not isinstance(subject, str):
        raise LineError("subject must be a string")
    profile_data = data.get("profile")
    profile: Account | None = None
    if profile_data:
        if not isinstance(profile_data, dict):
            raise LineError("profile must be a JSON object")
        try:
            profile = Account.model_validate(profile_data)
        except ValidationError as exc:
            raise LineError(_describe_validation(exc)) from None
    message = None
    if text or subject:
        message = Message(id=str(item_id), body=text, subject=subject, channel=channel, conversation=conversation)
    return BatchItem(number, item_id, message, profile, conversation)


def evidence_json(item: Evidence) -> dict[str, Any]:
    """The contract's evidence object; `span` only for evidence found in the message text."""
    out: dict[str, Any] = {"rule": item.rule, "indicator": item.indicator, "weight": item.weight,
                           "detector": item.detector}
    if item.span is not None:
        out["span"] = list(item.span)
    if item.field is not None:
        out["field"] = item.field
    out["excerpt"] = item.excerpt
    out["reason"] = item.reason
    out["source"] = list(item.source)
    return out


def assessment_json(item_id: Any, assessment: Assessment) -> dict[str, Any]:
    return {
        "id": item_id,
        "score": assessment.score,
        "level": assessment.level.value,
        "indicators": list(assessment.indicators),
        "language": assessment.language,
        "evidence": [evidence_json(e) for e in assessment.evidence],
    }


def check_item(checker: Checker, item: BatchItem) -> Assessment:
    messages = [item.message] if item.message is not None else []
    return checker.assess(messages, item.profile, subject=str(item.id))


BATCH_CHUNK = 256  # lines parsed ahead, so the semantic detector encodes their sentences in one batch


def _parsed(lines: Iterable[bytes], checker: Checker, result: BatchResult
            ) -> Iterator[tuple[int, bytes, BatchItem | LineError]]:
    """Non-blank lines with their parse (or the error), in order; chunk by chunk, each chunk's texts
    encoded in one batch when the semantic detector runs."""
    chunk: list[tuple[int, bytes, BatchItem | LineError]] = []

    def flush() -> Iterator[tuple[int, bytes, BatchItem | LineError]]:
        if checker.semantic is not None:
            texts = [p.message.body for _, _, p in chunk if isinstance(p, BatchItem) and p.message is not None]
            checker.semantic.warm(list(dict.fromkeys(t for t in texts if t)))
        yield from chunk
        chunk.clear()

    for number, raw in enumerate(lines, start=1):
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            continue
        result.lines += 1
        try:
            parsed: BatchItem | LineError = parse_line(raw, number)
        except LineError as exc:
            parsed = exc
        chunk.append((number, raw, parsed))
        if len(chunk) >= BATCH_CHUNK:
            yield from flush()
    yield from flush()


def run_batch(lines: Iterable[bytes], checker: Checker, result: BatchResult) -> Iterator[dict[str, Any]]:
    """Check every line; yield one output object per input line, in order.

    Lines without a conversation stream straight through (a chunk of lines at a time). When
    conversations are present, the conversation score needs all its lines, so outputs are held until
    the end of the input.
    """
    pending: list[tuple[BatchItem | None, dict[str, Any]]] = []
    conversations: dict[str, list[BatchItem]] = {}
    for number, raw, item in _parsed(lines, checker, result):
        if isinstance(item, LineError):
            result.failed += 1
            result.errors.append(f"line {number}: {item}")
            out: dict[str, Any] = {"id": _salvage_id(raw), "line": number, "error": str(item)}
            if pending:
                pending.append((None, out))
            else:
                yield out
            continue
        out = assessment_json(item.id, check_item(checker, item))
        if item.conversation is None and not pending:
            yield out
            continue
        if item.conversation is not None:
            conversations.setdefault(item.conversation, []).append(item)
        pending.append((item, out))
    summaries = {cid: conversation_json(checker, cid, items) for cid, items in conversations.items()}
    for held, out in pending:
        if held is not None and held.conversation is not None:
            out["conversation"] = summaries[held.conversation]
        yield out


def conversation_json(checker: Checker, conversation: str, items: list[BatchItem]) -> dict[str, Any]:
    """Score a conversation as a whole: all its messages plus the first profile given."""
    messages = [i.message for i in items if i.message is not None]
    profile = next((i.profile for i in items if i.profile is not None), None)
    assessment = checker.assess(messages, profile, subject=conversation)
    return {
        "id": conversation,
        "score": assessment.score,
        "level": assessment.level.value,
        "indicators": list(assessment.indicators),
        "messages": len(items),
    }


def _salvage_id(raw: bytes) -> Any:
    """Best effort to name a broken line's id in the error output."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("id"), (str, int)):
        return data["id"]
    return None
