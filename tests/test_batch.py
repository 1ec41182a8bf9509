"""The batch contract: one output line per input line, errors named by line, others still checked."""

from __future__ import annotations

import json

import pytest

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


# -- every line answered (issue "Hardening") ---------------------------------------------------------------

BAD_LINES = {
    "surrogate in text": b'{"id": "s", "text": "\\ud800"}',
    "surrogate in id": b'{"id": "\\ud800", "text": "hello"}',
    "surrogate in profile key": b'{"id": "k", "profile": {"\\udfff": 1}}',
    "1,000 deep": b'{"id": "deep", "profile": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    "40 deep": b'{"id": "d40", "profile": {"positions": ' + b"[" * 40 + b"]" * 40 + b"}}",
    "5,000-digit integer": b'{"id": ' + b"9" * 5000 + b', "text": "x"}',
    "NaN": b'{"id": "nan", "text": "x", "subject": NaN}',
}


def test_each_poison_line_is_answered_and_the_next_line_still_checked(checker: Checker) -> None:
    for name, bad in BAD_LINES.items():
        out, result = _run([bad, b'{"id": "after", "text": "hello"}'], checker)
        assert len(out) == 2, name
        assert set(out[0]) == {"id", "line", "error"} and out[0]["line"] == 1, name
        assert out[1]["id"] == "after" and "error" not in out[1], name
        assert result.failed == 1, name
        json.dumps(out[0], ensure_ascii=False).encode("utf-8")  # writable as UTF-8
    out, _ = _run([BAD_LINES["surrogate in text"]], checker)
    assert "surrogate" in str(out[0]["error"]) and out[0]["id"] == "s"
    out, _ = _run([BAD_LINES["1,000 deep"]], checker)
    assert "nested" in str(out[0]["error"]) and out[0]["id"] == "deep"
    out, _ = _run([BAD_LINES["5,000-digit integer"]], checker)
    assert "4,300 digits" in str(out[0]["error"]) and out[0]["id"] is None


def test_bom_on_line_one_is_dropped_and_blank_lines_get_an_error_object(checker: Checker) -> None:
    lines = [b'\xef\xbb\xbf{"id": "first", "text": "hello"}', b"", b"  \t\r", b'{"id": "last", "text": "x"}']
    out, result = _run(lines, checker)
    assert [o["id"] for o in out] == ["first", None, None, "last"]
    assert out[1] == {"id": None, "line": 2, "error": "blank line"}
    assert out[2] == {"id": None, "line": 3, "error": "blank line"}
    assert result.lines == 4 and result.failed == 2
    later_bom, _ = _run([b"{}", b'\xef\xbb\xbf{"id": "b"}'], checker)
    assert "error" in later_bom[1]  # only line 1 may carry the BOM


def test_over_long_line_is_read_bounded_and_named(checker: Checker) -> None:
    import io

    from falsefriends.batch import MAX_LINE_BYTES, read_lines

    big = b'{"id": "huge", "text": "' + b"a" * (3 * MAX_LINE_BYTES) + b'"}'
    stream = io.BytesIO(b'{"id": 1}\n' + big + b'\n{"id": 3}\n')
    pieces = list(read_lines(stream))
    assert len(pieces) == 3 and max(map(len, pieces)) <= MAX_LINE_BYTES + 2
    stream.seek(0)
    out, _ = _run(stream, checker)  # type: ignore[arg-type]
    assert [o["id"] for o in out] == [1, "huge", 3]
    assert "more than the limit" in str(out[1]["error"]) and out[1]["line"] == 2
    exact = b'{"id": "x"' + b" " * (MAX_LINE_BYTES - 11) + b"}"
    assert len(exact) == MAX_LINE_BYTES
    out, _ = _run(io.BytesIO(exact + b"\r\n"), checker)  # type: ignore[arg-type]
    assert "error" not in out[0]  # a line of exactly the limit, even with CRLF, is checked


def test_a_fault_of_the_checker_fails_that_line_only(checker: Checker, monkeypatch: pytest.MonkeyPatch) -> None:
    import falsefriends.batch as batch

    real = batch.check_item

    def flaky(chk: Checker, item: batch.BatchItem) -> object:
        if item.id == "boom":
            raise RuntimeError("boom")
        return real(chk, item)

    monkeypatch.setattr(batch, "check_item", flaky)
    out, result = _run([b'{"id": "a"}', b'{"id": "boom", "text": "x"}', b'{"id": "c"}'], checker)
    assert [o["id"] for o in out] == ["a", "boom", "c"]
    assert "internal error" in str(out[1]["error"]) and result.failed == 1
