"""The batch contract: one output line per input line, errors named by line, others still checked."""

from __future__ import annotations

import json

from falsefriends.batch import MAX_TEXT_CHARS, BatchResult, run_batch
from falsefriends.check import Checker

OFF_PLATFORM = "Could we continue this conversation on WhatsApp? It is easier for me."


def _run(lines: list[bytes], checker: Checker) -> tuple[list[dict[str, object]], BatchResult]:
    result = BatchResult()
    return list(run_batch(lines, checker, result)), result


def test_each_line_gets_its_own_result_in_order(checker: Checker) -> None:
    lines = [json.dumps({"id": i, "text": OFF_PLATFORM if i % 2 else "See you at the meeting."}).encode()
             for i in range(6)]
    out, result = _run(lines, checker)
    assert [o["id"] for o in out] == list(range(6))
    assert result.failed == 0
    flagged = [o for o in out if any(e["detector"] == "rules" for e in o["evidence"])]  # type: ignore[union-attr]
    assert [o["id"] for o in flagged] == [1, 3, 5]
    evidence = next(e for e in flagged[0]["evidence"] if e["detector"] == "rules")  # type: ignore[union-attr]
    start, end = evidence["span"]
    assert OFF_PLATFORM[start:end] == evidence["excerpt"]
    assert evidence["indicator"] == "M3"
    assert evidence["reason"] and evidence["source"]


def test_bad_lines_are_named_and_others_still_processed(checker: Checker) -> None:
    huge = json.dumps({"id": "big", "text": "a" * (MAX_TEXT_CHARS + 1)}).encode()
    lines = [
        b'{"id": "ok1", "text": "hello"}',
        b'{"id": "broken", "text": ',
        b"\xff\xfe\x00binary junk \x9c",
        huge,
        b'{"id": "extra", "text": "hi", "colour": "red"}',
        b'[1, 2, 3]',
        b'{"id": "badprofile", "profile": {"connections": -4}}',
        b'{"id": "ok2", "text": "hello again"}',
    ]
    out, result = _run(lines, checker)
    assert len(out) == len(lines)
    assert result.failed == 6 and result.lines == 8
    errors = {o["line"]: o["error"] for o in out if "error" in o}
    assert set(errors) == {2, 3, 4, 5, 6, 7}
    assert "not valid JSON" in errors[2]
    assert "invalid UTF-8" in errors[3]
    assert "more than the limit" in errors[4]
    assert "'colour'" in errors[5]
    assert "JSON object" in errors[6]
    assert "profile.connections" in errors[7]
    assert [o["id"] for o in out if "error" not in o] == ["ok1", "ok2"]
    assert out[3]["id"] == "big"  # the id of an over-long line is still named


def test_profile_only_line_has_evidence_without_span(checker: Checker) -> None:
    line = json.dumps({"id": "p", "profile": {"name": "X", "headline": "Headhunter", "about": ""}}).encode()
    out, _ = _run([line], checker)
    assert out[0]["id"] == "p"
    assert all("span" not in e for e in out[0]["evidence"])  # type: ignore[union-attr]


def test_conversation_scored_as_a_whole(checker: Checker) -> None:
    lines = [
        json.dumps({"id": "a", "conversation": "c1", "text": "Thank you for your reply."}).encode(),
        json.dumps({"id": "b", "conversation": "c1", "text": OFF_PLATFORM}).encode(),
        json.dumps({"id": "z", "text": "unrelated"}).encode(),
    ]
    out, _ = _run(lines, checker)
    assert [o["id"] for o in out] == ["a", "b", "z"]
    conv_a, conv_b = out[0]["conversation"], out[1]["conversation"]
    assert conv_a == conv_b
    assert conv_a["messages"] == 2  # type: ignore[index]
    assert conv_a["score"] >= out[0]["score"]  # type: ignore[index,operator]
    assert "M3" in conv_a["indicators"]  # type: ignore[index,operator]
    assert "conversation" not in out[2]
