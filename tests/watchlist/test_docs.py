"""The user documentation must name every matching feature, every evidence rule and every command."""

from __future__ import annotations

from pathlib import Path

from falsefriends.cli.watchlist_cmd import app
from falsefriends.watchlist import LOGIC_V1, WEIGHTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "watchlist.md"


def test_every_feature_rule_and_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [f.name for f in LOGIC_V1.features if f"`{f.name}`" not in text]
    missing += [rule for rule in WEIGHTS if f"`{rule}`" not in text]
    missing += [c.name or "" for c in app.registered_commands if f"watchlist {c.name}" not in text]
    assert missing == []
