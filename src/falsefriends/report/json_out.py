"""findings.json: the machine-readable contract of an audit (documented in docs/audit.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from falsefriends.audit.records import AccountFinding, Findings


class _LazyAccounts(list[Any]):
    """The accounts, each turned into JSON data only when the encoder reaches it.

    `Findings.model_dump` of an audit of 100,000 accounts held about 300 MB of dicts at once; the encoder
    only needs one account at a time. A list to the encoder (it writes lists by iterating them), so the
    text is exactly that of dumping the whole model.
    """

    def __init__(self, accounts: Sequence[AccountFinding]) -> None:
        super().__init__()
        self.accounts = accounts

    def __iter__(self) -> Iterator[Any]:
        return (account.model_dump(mode="json") for account in self.accounts)

    def __len__(self) -> int:
        return len(self.accounts)

    def __bool__(self) -> bool:
        return bool(self.accounts)


def _document(findings: Findings) -> dict[str, Any]:
    rest = findings.model_dump(mode="json", exclude={"accounts"})
    return {name: _LazyAccounts(findings.accounts) if name == "accounts" else rest[name]
            for name in Findings.model_fields if name == "accounts" or name in rest}


def findings_json_chunks(findings: Findings) -> Iterator[str]:
    """`findings_json` piece by piece, to be written as it is encoded (the whole text of 100,000 accounts
    is 67 MB, held as up to four bytes a character)."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    yield from encoder.iterencode(_document(findings))
    yield "\n"


def findings_json(findings: Findings) -> str:
    """The findings as pretty, stable JSON (keys in contract order, UTF-8 kept readable)."""
    return "".join(findings_json_chunks(findings))
