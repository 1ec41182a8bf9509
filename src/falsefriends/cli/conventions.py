"""What makes the command line feel like any other: `-h`, `--version`, conventional metavars, workflow order.

Typer shows each value's Python type as its metavar (`<bool>` beside a flag, `<list[Path]>`, `<str>`); the
group below rewrites them once, when the command tree is built, to the usual spellings: nothing beside a flag,
`FILE`, `PATH`, `TEXT`, `INTEGER`, `[a|b|c]` for a fixed choice, `NAME...` for repeated arguments. Commands are
listed in the order a new user meets them (check, audit, serve...), not in the order their modules register.
Every command module keeps using plain `typer` options; nothing here changes what a command accepts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

from typer.core import TyperArgument, TyperGroup, TyperOption

WORKFLOW_ORDER = (
    "demo", "check", "audit", "serve", "users", "watchlist", "share", "scan", "simulate", "eval", "eval-messages",
    "rules", "corpus", "fit-fusion", "fit-semantic",
)
"""The top-level commands in the order of the README: try it, check a message, audit an organisation, run the
service, share; then the research tools. A command not named here is listed after these, in its own order."""

HELP_OPTIONS = ["-h", "--help"]


_BARE = {str: "TEXT", int: "INTEGER", float: "NUMBER", bool: "", Path: "PATH"}


def _type_metavar(param: TyperOption | TyperArgument) -> str:
    """The usual word for what a parameter takes, from the type Typer read off its annotation."""
    desc = param.type_descriptor
    if desc.is_choice:
        return "[" + "|".join(str(getattr(choice, "value", choice)) for choice in desc.choices or ()) + "]"
    if desc.is_path:
        return desc.path_type.upper()
    if desc.is_file:
        return "FILE"
    if desc.is_datetime:
        return "DATE"
    annotation = desc.annotation
    if desc.is_list:
        annotation = (get_args(annotation) or (str,))[0]
    return _BARE.get(annotation, "VALUE") if isinstance(annotation, type) else "VALUE"


def conventional_param(param: object) -> None:
    """Give `param` a conventional metavar, unless its command chose one."""
    if isinstance(param, TyperOption):
        if param.is_flag or param.is_bool_flag or param.count:
            param.metavar = ""  # a switch takes no value: nothing beside it
        elif param.metavar is None:
            param.metavar = _type_metavar(param)
    elif isinstance(param, TyperArgument):
        name = param.metavar or (param.name or "value").upper().replace("-", "_")
        dots = "..." if param.nargs != 1 else ""
        param.metavar = name
        usage = (name if param.required else f"[{name}]") + dots  # NAME... / [NAME], not Typer's {NAME}
        kind = _type_metavar(param)
        kind = "" if kind == name else kind
        # Typer's usage line and type column for arguments ignore the metavar: these show it, once.
        setattr(param, "_usage_display_name", lambda: usage)  # noqa: B010 - an instance override
        setattr(param, "_rich_display_name", lambda: name + dots)  # noqa: B010
        setattr(param, "display_type_rich", lambda ctx: kind)  # noqa: B010


def _flag_help_option(command: Any) -> None:
    """The `-h/--help` option Click adds to each command is a switch: nothing beside it either."""
    built = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = built(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = get_help_option


def conventional(command: Any) -> None:
    """Rewrite the metavars of `command` and every command below it."""
    for param in command.params:
        conventional_param(param)
    _flag_help_option(command)
    for sub in getattr(command, "commands", {}).values():
        conventional(sub)


class ConventionalGroup(TyperGroup):
    """The root group: conventional metavars everywhere below it, and commands in workflow order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        conventional(self)

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(self.commands)  # the names only: listing must not build every command (cli/lazy.py)
        known = [name for name in WORKFLOW_ORDER if name in names]
        return known + [name for name in names if name not in known]
