"""`POST /v1/check`, `POST /v1/check/batch`, `GET /v1/rules`, `GET /v1/rules/{id}`: the approach check over HTTP.

The body of `/v1/check` is exactly one line of the CLI batch contract, parsed by the same `batch.parse_line`
with the same limits, and the answer is that contract's output line plus the advice.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from falsefriends.advice import Stage, advice_for
from falsefriends.api.auth import (
    SESSION_COOKIE,
    _bearer,
    cached_principal,
    client_of,
    resolve_principal_in_thread,
    verify_csrf,
)
from falsefriends.api.errors import ERROR_RESPONSES, ServiceError, not_found
from falsefriends.api.roles import Role
from falsefriends.api.schemas import CheckResult, RuleDetail, RuleOut
from falsefriends.batch import (
    BOM,
    MAX_LINE_BYTES,
    BatchItem,
    BatchResult,
    LineError,
    assessment_json,
    check_item,
    conversation_json,
    parse_line,
    read_lines,
    run_batch_lines,
)
from falsefriends.check import Checker
from falsefriends.rules.loader import CompiledRule

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["check"], responses=ERROR_RESPONSES)

MAX_BATCH_BYTES = 20_000_000


async def check_access(request: Request) -> str:
    """Anonymous checks when the operator allows them (no database touched); otherwise a viewer or above.

    Returns who is checking, for the per-principal limit on checks at once: `user:NAME` or `addr:ADDRESS`.
    """
    anonymous = _bearer(request) is None and SESSION_COOKIE not in request.cookies
    if anonymous and request.app.state.settings.public_check:
        await verify_csrf(request, None)
        return "addr:" + client_of(request)
    # A token looked up in the last few seconds is remembered (auth.TokenCache); otherwise the token or session
    # lookup is a database round trip: in a thread, never on the event loop.
    principal = cached_principal(request)
    if principal is None:
        principal = await run_in_threadpool(resolve_principal_in_thread, request)
    await verify_csrf(request, principal)
    if principal is None:
        if request.app.state.settings.public_check:
            return "addr:" + client_of(request)
        raise ServiceError(401, "unauthorized", "log in or send an API token (Authorization: Bearer ...)",
                           headers={"WWW-Authenticate": "Bearer"})
    if not principal.allows(Role.VIEWER):
        raise ServiceError(403, "forbidden", "this needs the viewer role")
    return "user:" + principal.name


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ServiceError(413, "too_large", f"the body is more than the limit of {limit:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ServiceError(413, "too_large", f"the body is more than the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def check_one(checker: Checker, item: BatchItem, stage: Stage = Stage.CONTACTED, lang: str | None = None
              ) -> dict[str, Any]:
    """The contract's output line for one item as a person reads it (one entry per indicator per place, reasons
    and advice in `lang`, else the message's language: see `check.for_reader`), with the advice for the stage
    the person has reached with the sender (and the conversation score when named)."""
    from falsefriends.check import for_reader
    from falsefriends.wording import reader_language

    assessment = check_item(checker, item)
    language = reader_language(lang, assessment.language)
    out = assessment_json(item.id, for_reader(assessment, checker.rules, language))
    out["reader_language"] = language
    out["advice"] = advice_for(assessment.level, assessment.indicators, stage, language)
    if item.conversation is not None:
        out["conversation"] = conversation_json(checker, item.conversation, [item])
    return out


def json_bytes(out: dict[str, Any]) -> bytes:
    """The answer as `JSONResponse` writes it (UTF-8, compact, no NaN), made in the check thread."""
    return json.dumps(out, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode("utf-8")


def parse_check_body(raw: bytes) -> BatchItem:
    """The body as line 1 of the batch contract (a UTF-8 BOM dropped); any bad input is a 422, never a 500."""
    raw = raw.removeprefix(BOM)
    if not raw.strip():
        raise ServiceError(422, "invalid_request", "the body is empty; send a JSON object with text and/or profile")
    try:
        return parse_line(raw, 1)
    except LineError as exc:
        raise ServiceError(422, "invalid_request", str(exc)) from None
    except Exception as exc:  # a fault of the parser on some input: still the client's input that was refused
        log.warning("check: the body could not be read: %s: %s", type(exc).__name__, exc)
        raise ServiceError(422, "invalid_request", "the body could not be read as a check request") from None


_CHECK_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/CheckRequest"}}}}}


@router.post("/check", response_model=CheckResult, summary="Check a message and/or a profile",
             openapi_extra=_CHECK_BODY)
async def check(
    request: Request,
    stage: Stage = Query(default=Stage.CONTACTED,
                         description="how far the person went with the sender, for the advice: contacted, "
                                     "accepted, replied, moved-off-platform, shared-material"),
    lang: str | None = Query(default=None, pattern="^(en|fr|de)$",
                             description="the language of the reasons and advice (default: the message's)"),
) -> Response:
    """Score one message and/or profile: risk level, the indicators with the exact words, reasons, advice."""
    who = await check_access(request)
    raw = await read_body(request, MAX_LINE_BYTES)
    item = parse_check_body(raw)
    holder = request.app.state.checkers
    # CPU-bound, the answer's JSON included: in the check threads, never on the event loop.
    body = await request.app.state.check_workers.run(
        who, lambda: json_bytes(check_one(holder.get(), item, stage, lang)))
    return Response(body, media_type="application/json")


@router.post("/check/batch", summary="Check JSON Lines, one output line per input line",
             response_class=StreamingResponse,
             responses={200: {"content": {"application/x-ndjson": {}},
                              "description": "one JSON line per input line, in order"}},
             openapi_extra={"requestBody": {"required": True,
                                            "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}})
async def check_batch(request: Request) -> Response:
    """The CLI's `check --jsonl` over HTTP: every line is answered, in order; a line that cannot be checked
    gives `{"id", "line", "error"}` (the request still answers 200), a blank line `"error": "blank line"`."""
    who = await check_access(request)
    raw = await read_body(request, MAX_BATCH_BYTES)
    limit = request.app.state.settings.max_batch_lines
    if raw.count(b"\n") + (0 if raw.endswith(b"\n") or not raw else 1) > limit:
        raise ServiceError(413, "too_large", f"the batch has more than {limit:,} lines; send it in parts")
    body, failed = await request.app.state.check_workers.run(who, _run_batch, raw, request.app.state.checkers)
    return Response(body, media_type="application/x-ndjson", headers={"X-Lines-Failed": str(failed)})


def _run_batch(raw: bytes, holder: Any) -> tuple[bytes, int]:
    """The batch's output and its failed-line count (runs in a check thread)."""
    result = BatchResult()
    body = b"".join(run_batch_lines(read_lines(io.BytesIO(raw)), holder.get(), result))
    return body, result.failed


def rule_out(rule: CompiledRule) -> dict[str, Any]:
    spec = rule.spec
    return {"id": rule.id, "indicator": spec.indicator, "kind": rule.kind, "language": rule.language,
            "pack": rule.pack, "weight": spec.weight, "reason": spec.reason, "source": list(spec.source)}


def rule_detail(rule: CompiledRule) -> dict[str, Any]:
    spec = rule.spec
    return {**rule_out(rule), "patterns": list(spec.patterns), "unless": list(spec.unless), "window": spec.window,
            "fields": [f.value for f in spec.fields], "requires": list(spec.requires),
            "examples": list(spec.examples), "counter_examples": list(spec.counter_examples),
            "location": f"{Path(rule.path).name}:{rule.line}"}


@router.get("/rules", response_model=list[RuleOut], summary="List the loaded rules")
async def list_rules(
    request: Request,
    indicator: str | None = Query(default=None, max_length=8, description="only this indicator, e.g. M3"),
    language: str | None = Query(default=None, max_length=8, description="only this language: en, fr, de, any"),
    kind: str | None = Query(default=None, max_length=16, description="message or profile"),
) -> list[dict[str, Any]]:
    await check_access(request)
    rules = request.app.state.checkers.rules.rules
    return [rule_out(r) for r in rules
            if (indicator is None or r.spec.indicator == indicator.upper())
            and (language is None or r.language == language)
            and (kind is None or r.kind == kind)]


@router.get("/rules/{rule_id}", response_model=RuleDetail, summary="Explain one rule")
async def explain_rule(request: Request, rule_id: str) -> dict[str, Any]:
    await check_access(request)
    by_id = request.app.state.checkers.rules.by_id
    if rule_id not in by_id:
        raise not_found(f"no rule with id {rule_id!r}")
    return rule_detail(by_id[rule_id])
