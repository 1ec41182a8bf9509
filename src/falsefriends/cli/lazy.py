"""Top-level commands loaded when they are used, so that `falsefriends check` imports only what `check` needs.

Every command module imports its own option types (the watchlist's formats and YAML reader, the advice stages,
pydantic through them), and Typer converts every registered command into a Click command before it parses
anything: with all fifteen modules registered up front, that cost about a third of a `check` (benchmarks/startup.py).
Here the root group holds a `LazyCommands` mapping instead of its commands: it knows every command's name and
module, imports a module the first time one of its commands is asked for, and converts it through Typer exactly
as `add_typer` and `@app.command` would. Help, listing, typo suggestions and tests see the same mapping.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
import typer.main

from falsefriends.cli.conventions import ConventionalGroup, conventional

# name -> (module in falsefriends.cli, how it is added): "group" adds the module's `app` as a sub-command group
# under that name, "register" calls the module's `register(app)`, which adds one or more commands.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo_cmd", "register"),
    "check": ("check_cmd", "register"),
    "audit": ("audit_cmd", "register"),
    "serve": ("serve_cmd", "register"),
    "users": ("users_cmd", "group"),
    "watchlist": ("watchlist_cmd", "group"),
    "share": ("share_cmd", "group"),
    "scan": ("scan_cmd", "register"),
    "simulate": ("simulate_cmd", "register"),
    "eval": ("eval_cmd", "register"),
    "eval-messages": ("eval_messages_cmd", "register"),
    "rules": ("rules_cmd", "group"),
    "fit-fusion": ("fit_cmd", "register"),
    "fit-semantic": ("corpus_cmd", "register"),
    "photos": ("photos_cmd", "group"),
}
"""Every top-level command. A module that registers a command not listed here is refused when it loads."""


def load_module_commands(module_name: str) -> dict[str, Any]:
    """The Click commands of one command module, converted by Typer as if registered on the root app."""
    module = importlib.import_module(f"falsefriends.cli.{module_name}")
    holder = typer.Typer(add_completion=False)
    holder.callback()(_nothing)  # with a callback Typer always builds a group, even around one command
    for name, (owner, how) in COMMANDS.items():
        if owner == module_name and how == "group":
            holder.add_typer(module.app, name=name)
    if hasattr(module, "register"):
        module.register(holder)
    commands = dict(typer.main.get_group(holder).commands)
    expected = {name for name, (owner, _) in COMMANDS.items() if owner == module_name}
    if set(commands) != expected:
        raise RuntimeError(f"falsefriends.cli.{module_name} adds {sorted(commands)}; "
                           f"falsefriends.cli.lazy.COMMANDS lists {sorted(expected)} for it")
    return commands


def _nothing() -> None:
    """The placeholder group callback of `load_module_commands` (never invoked)."""


class LazyCommands(MutableMapping[str, Any]):
    """The root group's commands: every name known, each module imported and converted on first access.

    `prepare` is applied once to each command as it loads (the conventional metavars of `conventions.py`).
    """

    def __init__(self, prepare: Any) -> None:
        self._loaded: dict[str, Any] = {}
        self._extra: list[str] = []
        self._prepare = prepare

    def _load(self, name: str) -> None:
        for loaded_name, command in load_module_commands(COMMANDS[name][0]).items():
            if loaded_name not in self._loaded:
                self._prepare(command)
                self._loaded[loaded_name] = command

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            self._load(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in COMMANDS and name not in self._extra:
            self._extra.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("the command line's commands cannot be removed")

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._loaded

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from self._extra

    def __len__(self) -> int:
        return len(COMMANDS) + len(self._extra)

    def loaded(self) -> list[str]:
        """The names whose commands have been built so far (for tests of what a command imports)."""
        return list(self._loaded)


class LazyGroup(ConventionalGroup):
    """The root group: conventional metavars and workflow order, its commands in a `LazyCommands` mapping."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lazy = LazyCommands(conventional)
        for name, command in self.commands.items():  # any registered on the root app itself, already prepared
            lazy[name] = command
        self.commands = lazy
