"""findings.json: the machine-readable contract of an audit (documented in docs/audit.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from falsefriends.audit.records import Findings

_MARK = "\x00accounts\x00"
_ENCODED_MARK = json.dumps(_MARK)


def _document(findings: Findings) -> dict[str, Any]:
    rest = findings.model_dump(mode="json", exclude={"accounts"})
    return {name: _MARK if name == "accounts" else rest[name]
            for name in Findings.model_fields if name == "accounts" or name in rest}


def findings_json_chunks(findings: Findings) -> Iterator[str]:
    """`findings_json` piece by piece, to be written as it is produced.

    An audit of 100,000 accounts held their `model_dump` (about 300 MB of dicts) and the 67 MB text at once,
    and the pure-Python indenting encoder took 3 s over it. Here everything but the accounts is encoded
    as before, and each account by pydantic's own encoder, indented to its place in the list: the same
    bytes (tests/report/test_json_out.py), one account at a time.
    """
    text = json.dumps(_document(findings), ensure_ascii=False, indent=2)
    if text.count(_ENCODED_MARK) != 1:  # the mark quoted in some text: the plain way
        yield json.dumps(findings.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
        return
    head, _, tail = text.partition(_ENCODED_MARK)
    yield head
    if not findings.accounts:
        yield "[]"
    else:
        yield "["
        for index, account in enumerate(findings.accounts):
            body = account.model_dump_json(indent=2).replace("\n", "\n    ")
            yield ("\n    " if index == 0 else ",\n    ") + body
        yield "\n  ]"
    yield tail
    yield "\n"


def findings_json(findings: Findings) -> str:
    """The findings as pretty, stable JSON (keys in contract order, UTF-8 kept readable)."""
    return "".join(findings_json_chunks(findings))
