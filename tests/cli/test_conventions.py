"""The command line feels native: -h and --version, conventional metavars, help on every option, fixed choices
offered as choices, commands in workflow order."""

from __future__ import annotations

import re
from importlib.metadata import version
from typing import Any

from typer.main import get_command
from typer.testing import CliRunner

from falsefriends.cli import app
from falsefriends.cli.conventions import WORKFLOW_ORDER

runner = CliRunner()


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found.extend(_commands(sub, (*path, name)))
    return found


def test_version_and_short_help() -> None:
    shown = runner.invoke(app, ["--version"])
    assert shown.exit_code == 0 and shown.output.strip() == f"falsefriends {version('falsefriends')}"
    for args in (["-h"], ["check", "-h"], ["users", "add", "-h"], ["watchlist", "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage:" in result.output, (args, result.output)


def test_every_help_page_has_conventional_metavars_and_every_option_has_help() -> None:
    root = get_command(app)
    commands = _commands(root)
    assert len(commands) > 20
    for path, command in commands:
        for param in command.params:
            if param.name in ("help", "show_version"):
                continue
            assert (getattr(param, "help", None) or "").strip(), f"{' '.join(path)}: {param.name} has no help"
        result = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, (path, result.output)
        odd = re.findall(r"<(?:bool|str|int|float|list\[[^\]]*\]|path|Path)>|\{[A-Z_]+\}", result.output)
        assert not odd, (path, odd)


def test_fixed_values_are_choices() -> None:
    result = runner.invoke(app, ["users", "add", "mallory", "--role", "root", "--no-password", "--db",
                                 "sqlite:///:memory:"])
    assert result.exit_code == 2
    assert "viewer" in result.output and "analyst" in result.output and "admin" in result.output
    from falsefriends.api.roles import Role
    from falsefriends.cli.users_cmd import RoleChoice

    assert [r.value for r in RoleChoice] == [r.value for r in Role]
    assert "[en|fr|de]" in runner.invoke(app, ["check", "--help"], terminal_width=200).output


def test_commands_are_listed_in_workflow_order() -> None:
    root = get_command(app)
    listed = root.list_commands(None)
    assert listed[:4] == ["demo", "check", "audit", "serve"]
    known = [name for name in WORKFLOW_ORDER if name in listed]
    assert listed[:len(known)] == known
