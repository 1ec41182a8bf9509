"""findings.json is written account by account (pydantic's encoder) with the same bytes as dumping the whole model."""

from __future__ import annotations

import json
from pathlib import Path

from falsefriends.audit.records import Findings
from falsefriends.report.json_out import findings_json
from falsefriends.report.write import write_reports


def _plain(findings: Findings) -> str:
    return json.dumps(findings.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def test_the_streamed_text_is_the_plain_dump(hostile_findings: Findings, tmp_path: Path) -> None:
    assert hostile_findings.accounts
    # control characters, quotes, markup, non-Latin scripts and small floats in the adversary's fields
    first = hostile_findings.accounts[0]
    odd = first.model_copy(update={"name": "名前 \"q\" \t\n\x01 \u2028 é", "score": 0.0001,
                                   "identity_confidence": 0.333333})
    for findings in (hostile_findings, hostile_findings.model_copy(update={"accounts": [odd]}),
                     hostile_findings.model_copy(update={"accounts": []})):
        assert findings_json(findings) == _plain(findings)
    write_reports(hostile_findings, tmp_path)
    assert (tmp_path / "findings.json").read_text(encoding="utf-8") == _plain(hostile_findings)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_mark_quoted_in_a_text_falls_back_to_the_plain_dump(hostile_findings: Findings) -> None:
    ingest = hostile_findings.ingest.model_copy(update={"errors": ["\x00accounts\x00"]})
    findings = hostile_findings.model_copy(update={"ingest": ingest})
    assert findings_json(findings) == _plain(findings)
