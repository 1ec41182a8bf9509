"""The batch check contract: JSON Lines in, one JSON line out per input line, in input order.

Input line: `{"id": ..., "text": "...", "profile": {...Account fields...}, "conversation": "optional id"}`;
text or profile may be absent or empty. Output line: `{"id", "score", "level", "indicators", "language",
"evidence": [{"rule", "indicator", "weight", "span", "excerpt", "reason", "source"}]}`, plus
`"conversation": {"id", "score", "level", "indicators", "messages"}` when the line names a conversation.
A line that cannot be read gives `{"id", "line", "error"}` and the other lines are still processed.

Every input line is answered, whatever it holds: reading (a bounded reader: a line over the limit is never
held whole), decoding, parsing, validation, scoring and serialising of each line sit inside one error
boundary, so a bad line (a lone surrogate, JSON nested 1,000 deep, an integer of 5,000 digits, a blank line,
or a fault of the checker itself) gives that line's error object and the next lines are still checked.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import IOBase
from typing import IO, Any

from falsefriends.check import Checker, ProfileError, profile_from_json
from falsefriends.model import Account, Assessment, Channel, Evidence, Message

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 1_000_000
MAX_TEXT_CHARS = 100_000
MAX_DEPTH = 32
"""Deepest nesting of arrays and objects in a line (a profile with positions is 3 deep)."""
INPUT_FIELDS = frozenset({"id", "text", "profile", "conversation", "channel", "subject"})
BOM = b"\xef\xbb\xbf"
BLANK_LINE = "blank line"


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


def _no_constant(name: str) -> Any:
    raise LineError(f"not valid JSON ({name} is not a JSON value)")


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_structure(data: Any, surrogates: bool) -> None:
    """Refuse nesting deeper than MAX_DEPTH and (when `surrogates`) any string or key holding a lone
    surrogate, which no UTF-8 output can carry; iterative, so no input can exhaust the stack."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                raise LineError(f"JSON nested more than {MAX_DEPTH} deep")
            for key, inner in value.items():
                if surrogates and _lone_surrogate(key):
                    raise LineError("a lone surrogate (\\ud800-\\udfff) in a key is not valid Unicode")
                stack.append((inner, depth + 1))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                raise LineError(f"JSON nested more than {MAX_DEPTH} deep")
            stack.extend((inner, depth + 1) for inner in value)
        elif surrogates and isinstance(value, str) and _lone_surrogate(value):
            raise LineError("a lone surrogate (\\ud800-\\udfff) in a string is not valid Unicode")


def load_json(raw: bytes) -> Any:
    """Decode and parse one JSON document within the contract's limits; raise LineError saying what is wrong.

    Strict UTF-8, standard JSON only (no NaN or Infinity), nesting at most MAX_DEPTH deep, no lone
    surrogates from `\\u` escapes, no integer over Python's 4,300-digit limit.
    """
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"invalid UTF-8 at byte {exc.start}") from None
    try:
        data = json.loads(decoded, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise LineError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except LineError:
        raise
    except RecursionError:
        raise LineError(f"JSON nested more than {MAX_DEPTH} deep") from None
    except ValueError as exc:  # an integer over sys.get_int_max_str_digits() digits
        if "digits" in str(exc):
            raise LineError("an integer of more than 4,300 digits") from None
        raise LineError(f"not valid JSON ({exc})") from None
    deep = decoded.count("[") + decoded.count("{") > MAX_DEPTH
    surrogates = "\\u" in decoded and _SURROGATE_ESCAPE.search(decoded) is not None
    if deep or surrogates:
        _check_structure(data, surrogates)
    return data


def parse_line(raw: bytes, number: int) -> BatchItem:
    """Validate one raw input line; raise LineError naming what is wrong."""
    if len(raw) > MAX_LINE_BYTES:
        raise LineError(f"the line is more than the limit of {MAX_LINE_BYTES:,} bytes")
    data = load_json(raw)
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
            profile = profile_from_json(profile_data)
        except ProfileError as exc:  # plain words per field, e.g. 'profile.education: a list of schools, ...'
            raise LineError("; ".join(f"profile.{problem}" for problem in exc.problems)) from None
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


def read_lines(stream: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The lines of a binary stream (split on `\\n`), never more than `limit` + 2 bytes held per line.

    A longer line is cut to its first `limit` + 2 bytes (so `parse_line` refuses it and the id can still be
    salvaged from its start) and the rest of it is read and dropped piece by piece.
    """
    while True:
        line = stream.readline(limit + 2)
        if not line:
            return
        if not line.endswith(b"\n") and len(line) >= limit + 2:
            while True:
                rest = stream.readline(limit)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def error_json(item_id: Any, number: int, error: str) -> dict[str, Any]:
    """The contract's error object for line `number`."""
    return {"id": item_id, "line": number, "error": error}


def _internal(exc: Exception, what: str) -> LineError:
    # A fault of the checker, not of the line: the line still gets its answer; no traceback for the user.
    log.warning("batch: %s failed: %s: %s", what, type(exc).__name__, exc)
    log.debug("batch: %s failed", what, exc_info=exc)
    return LineError(f"internal error while {what} ({type(exc).__name__}); the other lines are still checked")


def _parsed(lines: Iterable[bytes], checker: Checker, result: BatchResult
            ) -> Iterator[tuple[int, bytes, BatchItem | LineError]]:
    """Every line with its parse (or the error), in order; chunk by chunk, each chunk's texts
    encoded in one batch when the semantic detector runs."""
    chunk: list[tuple[int, bytes, BatchItem | LineError]] = []

    def flush() -> Iterator[tuple[int, bytes, BatchItem | LineError]]:
        if checker.semantic is not None:
            texts = [p.message.body for _, _, p in chunk if isinstance(p, BatchItem) and p.message is not None]
            try:
                checker.semantic.warm(list(dict.fromkeys(t for t in texts if t)))
            except Exception as exc:  # each line is then encoded on its own, inside its own boundary
                _internal(exc, "encoding a chunk of lines")
        yield from chunk
        chunk.clear()

    for number, raw in enumerate(lines, start=1):
        raw = raw.rstrip(b"\r\n")
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
        result.lines += 1
        parsed: BatchItem | LineError
        if not raw.strip():
            parsed = LineError(BLANK_LINE)
        else:
            try:
                parsed = parse_line(raw, number)
            except LineError as exc:
                parsed = exc
            except Exception as exc:
                parsed = _internal(exc, "reading this line")
        chunk.append((number, raw, parsed))
        if len(chunk) >= BATCH_CHUNK:
            yield from flush()
    yield from flush()


def _fail_line(result: BatchResult, number: int, raw: bytes, error: LineError | str) -> dict[str, Any]:
    result.failed += 1
    result.errors.append(f"line {number}: {error}")
    return error_json(_salvage_id(raw), number, str(error))


def _numbered(lines: Iterable[bytes] | IO[bytes], checker: Checker, result: BatchResult
              ) -> Iterator[tuple[int, bytes, dict[str, Any]]]:
    """(line number, raw line, output object) for every input line, in order; see `run_batch`."""
    source: Iterable[bytes] = read_lines(lines) if isinstance(lines, IOBase) else lines  # type: ignore[arg-type]
    pending: list[tuple[int, bytes, BatchItem | None, dict[str, Any]]] = []
    conversations: dict[str, list[BatchItem]] = {}
    for number, raw, item in _parsed(source, checker, result):
        if isinstance(item, LineError):
            out = _fail_line(result, number, raw, item)
            if pending:
                pending.append((number, raw, None, out))
            else:
                yield number, raw, out
            continue
        try:
            out = assessment_json(item.id, check_item(checker, item))
        except Exception as exc:
            out = _fail_line(result, number, raw, _internal(exc, "checking this line"))
            if pending:
                pending.append((number, raw, None, out))
            else:
                yield number, raw, out
            continue
        if item.conversation is None and not pending:
            yield number, raw, out
            continue
        if item.conversation is not None:
            conversations.setdefault(item.conversation, []).append(item)
        pending.append((number, raw, item, out))
    summaries: dict[str, dict[str, Any] | LineError] = {}
    for cid, items in conversations.items():
        try:
            summaries[cid] = conversation_json(checker, cid, items)
        except Exception as exc:
            summaries[cid] = _internal(exc, f"scoring conversation {cid!r}")
    for number, raw, held, out in pending:
        if held is not None and held.conversation is not None:
            summary = summaries[held.conversation]
            if isinstance(summary, LineError):
                out = _fail_line(result, number, raw, summary)
            else:
                out["conversation"] = summary
        yield number, raw, out


def run_batch(lines: Iterable[bytes] | IO[bytes], checker: Checker, result: BatchResult
              ) -> Iterator[dict[str, Any]]:
    """Check every line; yield one output object per input line, in order.

    `lines` are raw lines (a trailing newline is dropped) or a binary stream, read with `read_lines`. A
    blank line gives `{"id": null, "line": N, "error": "blank line"}`; a UTF-8 BOM is dropped from line 1.
    Lines without a conversation stream straight through (a chunk of lines at a time). When
    conversations are present, the conversation score needs all its lines, so outputs are held until
    the end of the input.
    """
    for _, _, out in _numbered(lines, checker, result):
        yield out


def run_batch_lines(lines: Iterable[bytes] | IO[bytes], checker: Checker, result: BatchResult
                    ) -> Iterator[bytes]:
    """`run_batch` serialised: one UTF-8 JSON line (with its newline) per input line. Serialising is
    inside the line's error boundary too: an output that cannot be written becomes that line's error."""
    for number, raw, out in _numbered(lines, checker, result):
        try:
            yield dump_line(out)
        except Exception as exc:
            yield dump_line(_fail_line(result, number, raw, _internal(exc, "writing this line's result")))


def dump_line(out: dict[str, Any]) -> bytes:
    """One output object as a UTF-8 JSON line."""
    return (json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8")


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


_ID_AT_START = re.compile(rb'\A\s*\{\s*"id"\s*:\s*("(?:[^"\\\x00-\x1f]|\\.){0,1000}"|-?[0-9]{1,100}\b)')


def _salvage_id(raw: bytes) -> Any:
    """Best effort to name a broken line's id in the error output: from the whole line when it parses, else
    from an `"id"` that opens it (a line over the limit); never a value that cannot be written back."""
    data: Any = None
    if len(raw) <= MAX_LINE_BYTES:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            data = None
    candidate: Any = data.get("id") if isinstance(data, dict) else None
    if data is None:
        match = _ID_AT_START.match(raw[:4096])
        if match is not None:
            try:
                candidate = json.loads(match.group(1).decode("utf-8"))
            except ValueError:
                candidate = None
    if isinstance(candidate, bool) or not isinstance(candidate, (str, int)):
        return None
    if isinstance(candidate, str) and _lone_surrogate(candidate):
        return None
    return candidate
