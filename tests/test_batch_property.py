"""Property: whatever the input, `check --jsonl` and `POST /v1/check/batch` answer exactly one line per input
line, in order, with no traceback (the API's side: tests/api/test_batch_property.py).

Inputs are arbitrary bytes, arbitrary JSON values, contract-shaped objects with arbitrary values, and the
known poison lines (lone surrogates, deep nesting, huge integers, NaN, a BOM, blank lines, CRLF).
"""

from __future__ import annotations

import io
import json
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from falsefriends.batch import BatchResult, run_batch_lines
from falsefriends.check import Checker
from falsefriends.cli import app as cli_app

LURE = "Could we continue this conversation on WhatsApp? Our client pays 2,000 USD per analysis note."
SURROGATES = st.sampled_from(["\ud800", "\udfff", "a\udc80b", "\ud83d"])
TEXT = st.one_of(st.text(max_size=40), SURROGATES, st.just(LURE), st.text(string.printable, max_size=20))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT)
JSON_VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)
PROFILE_FIELDS = ["name", "headline", "employer", "position", "positions", "education", "location", "about",
                  "url", "handles", "connections", "followers", "photo", "created", "key", "colour"]
PROFILE = st.dictionaries(st.sampled_from(PROFILE_FIELDS), st.one_of(TEXT, JSON_VALUE), max_size=5)
CONTRACT = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.integers(), TEXT, JSON_VALUE),
    "text": st.one_of(TEXT, JSON_VALUE),
    "profile": st.one_of(PROFILE, JSON_VALUE),
    "conversation": st.one_of(st.sampled_from(["c1", "c2", 7]), JSON_VALUE),
    "channel": st.one_of(st.sampled_from(["message", "inmail", "invitation", "other", "sms"]), JSON_VALUE),
    "subject": TEXT,
})
POISON = st.sampled_from([
    b"", b"   ", b"\r", b"\xef\xbb\xbf{}", b'{"id": ' + b"9" * 5000 + b"}", b"[" * 1000 + b"]" * 1000,
    b'{"id": "d", "profile": ' + b"{\"a\": " * 900 + b"1" + b"}" * 901, b'{"text": NaN}', b'{"id": Infinity}',
    b'{"id": "\\ud800"}', b'{"text": "\\udfff"}', b"\xff\xfe", b'{"id": "x"', b"null", b"\x00",
])


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode("ascii")


LINE = st.one_of(CONTRACT.map(_dump), JSON_VALUE.map(_dump), POISON,
                 st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")))


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """Whole inputs: lines joined by LF or CRLF, with or without a last newline, or arbitrary bytes."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=200))
    lines = draw(st.lists(LINE, max_size=8))
    body = (b"\r\n" if draw(st.booleans()) else b"\n").join(lines)
    return body + (b"\n" if lines and draw(st.booleans()) else b"")


def input_lines(data: bytes) -> int:
    """The contract's count: lines split on LF; a last LF ends the last line and starts none."""
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def assert_one_per_line(data: bytes, output: bytes) -> None:
    out_lines = output.split(b"\n")
    assert out_lines[-1] == b""  # every output line ends with its newline
    records = [json.loads(line) for line in out_lines[:-1]]
    assert len(records) == input_lines(data)
    for number, record in enumerate(records, start=1):
        assert isinstance(record, dict)
        if "error" in record:
            assert set(record) == {"id", "line", "error"} and record["line"] == number
        else:
            assert {"id", "score", "level", "indicators", "evidence"} <= set(record)


def _batch(data: bytes, checker: Checker) -> bytes:
    return b"".join(run_batch_lines(io.BytesIO(data), checker, BatchResult()))


@settings(max_examples=150, deadline=None)
@given(documents())
def test_library_answers_every_line(rules_checker: Checker, data: bytes) -> None:
    assert_one_per_line(data, _batch(data, rules_checker))


@settings(max_examples=25, deadline=None)
@given(documents())
def test_library_with_the_semantic_detector_answers_every_line(checker: Checker, data: bytes) -> None:
    assert_one_per_line(data, _batch(data, checker))


@pytest.fixture(scope="module")
def cli_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jsonl") / "in.jsonl"


@pytest.fixture(scope="module")
def quick_cli(rules_checker: Checker) -> Iterator[None]:
    """The command line with its checker built once (the rules-only one), not once per example."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("falsefriends.check.Checker", lambda **_: rules_checker)
        yield


@settings(max_examples=60, deadline=None)
@given(documents())
def test_cli_answers_every_line_with_no_traceback(quick_cli: None, cli_input: Path, data: bytes) -> None:
    cli_input.write_bytes(data)
    result = CliRunner().invoke(cli_app, ["check", "--no-semantic", "--jsonl", str(cli_input)])
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    assert_one_per_line(data, result.stdout_bytes)
    piped = CliRunner().invoke(cli_app, ["check", "--no-semantic", "--jsonl", "-"], input=data)
    assert piped.stdout_bytes == result.stdout_bytes
