"""findings.json: the machine-readable contract of an audit (documented in docs/audit.md)."""

from __future__ import annotations

import json

from falsefriends.audit.records import Findings


def findings_json(findings: Findings) -> str:
    """The findings as pretty, stable JSON (keys in contract order, UTF-8 kept readable)."""
    return json.dumps(findings.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
