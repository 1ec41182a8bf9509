"""Sharing fixtures: a simulated organisation audited with the real command line, and hostile findings."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from api.conftest import app, client, make_app, tokens  # noqa: F401  (the service fixtures, for test_api)
from typer.testing import CliRunner

WARNINGS_DOCUMENTED = {"103", "202", "244", "401"}
"""stix2-validator warnings docs/sharing.md explains: 103 deterministic (uuid5) ids, 202 a campaign attributed to
/ using an identity, 244 account_type "linkedin" outside the account-type vocabulary, 401 the one custom
property (`x_falsefriends_front` on claimed employers)."""


def cli(*args: str) -> str:
    from falsefriends.cli import app as command_line

    result = CliRunner().invoke(command_line, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return str(result.stdout)


@dataclass
class World:
    root: Path
    findings_path: Path
    db: Path

    @property
    def findings(self) -> dict[str, Any]:
        return dict(json.loads(self.findings_path.read_text(encoding="utf-8")))

    def roster(self) -> list[dict[str, str]]:
        with (self.root / "roster.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """`falsefriends simulate --staff 30 --seed 3`, then `falsefriends audit` (not pseudonymised)."""
    root = tmp_path_factory.mktemp("share-world")
    cli("simulate", "--staff", "30", "--seed", "3", "--out", str(root))
    cli("audit", str(root / "exports"), "--roster", str(root / "roster.csv"), "--db", str(root / "ws.db"),
        "--out", str(root / "audit"), "--quiet")
    return World(root=root, findings_path=root / "audit" / "findings.json", db=root / "ws.db")


HOSTILE_NAME = "<script>alert(1)</script> =cmd|' /C calc'!A0 \x1b[31mred\x07"
HOSTILE_URL = "https://www.linkedin.com/in/x'] OR [user-account:user_id = 'y"
HOSTILE_TEMPLATE = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)> \\' \x00\x08 {name}"


@pytest.fixture
def hostile_findings() -> dict[str, Any]:
    """Findings whose persona, employer, evidence and template carry markup, formulas and control characters."""
    return {
        "generated_at": "2026-01-02T03:04:05Z",
        "accounts": [{
            "account": HOSTILE_URL, "name": HOSTILE_NAME, "headline": "<b>bold</b>\r\n=HYPERLINK(\"x\")",
            "employer": "Evil & Co <svg onload=alert(1)>", "url": HOSTILE_URL, "score": 0.97, "level": "high",
            "indicators": ["M3"], "staff_approached": ["S1", "S2"], "campaign": "cmp-1",
            "evidence": [{"rule": "en-move-to-encrypted-app", "indicator": "M3", "weight": 1.6,
                          "reason": "moves off-platform", "excerpt": "</q><script>x</script> on WhatsApp"},
                         {"rule": "en-paid-policy-paper", "indicator": "M11", "weight": 1.9, "reason": "paid paper",
                          "excerpt": "Dear Alice Martin, see https://www.linkedin.com/in/alice-m for the fee"}],
        }],
        "campaigns": [{"id": "cmp-1", "accounts": [HOSTILE_URL], "staff_targeted": ["S1", "S2"], "score": 0.97,
                       "level": "high", "evidence": [],
                       "template_records": [{"id": "tpl-1", "text": HOSTILE_TEMPLATE, "reached": 2}]}],
        "staff": [{"staff_id": "S1", "name": "Alice Martin", "profile_url": "https://www.linkedin.com/in/alice-m"},
                  {"staff_id": "S2", "name": "Bob Stone"}],
    }
