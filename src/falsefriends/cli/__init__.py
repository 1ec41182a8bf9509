"""The `falsefriends` command line: thin wrappers that parse arguments and call the library.

Each command or command group lives in its own module of this package; `lazy.COMMANDS` names them all, and a
module is imported only when one of its commands runs or a help page lists it.
"""

from __future__ import annotations

import gc
import sys
import threading

import typer

from falsefriends.cli.conventions import HELP_OPTIONS
from falsefriends.cli.lazy import LazyGroup

app = typer.Typer(
    name="falsefriends",
    help="Detect espionage approaches made through fake profiles on professional networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,  # each command's module is imported when that command is used (lazy.COMMANDS)
    context_settings={"help_option_names": HELP_OPTIONS},
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            shown = version("falsefriends")
        except PackageNotFoundError:  # run from a source tree that is not installed
            shown = "unknown (not installed)"
        typer.echo(f"falsefriends {shown}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print the version and exit."),
) -> None:
    """Detect espionage approaches made through fake profiles on professional networks.

    Start with `falsefriends demo`, then `check` a message you received, or `audit` your staff's exports.
    """



def _preload_encoder() -> None:
    from falsefriends.detect.semantic.encoder import shared_encoder

    shared_encoder().preload()


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["check"] and not {"--help", "-h", "--no-semantic"} & set(args):
        # `check` with the semantic detector: the sentence encoder (numpy, its tokenizer, 70 MB of weights)
        # starts loading in the background now, while the command line and the rules load in this thread.
        # (not a daemon thread: see USEEncoder.preload)
        threading.Thread(target=_preload_encoder, name="falsefriends-preload").start()
    try:
        app()
    finally:
        if args[:1] == ["check"]:
            # The verdict is printed and the process ends: its last garbage collection would walk every object
            # of numpy, pydantic and the encoder (0.09 s of a 0.8 s check) only to free memory that the system
            # frees anyway. Objects freed by reference counting still are, files still flush, atexit still runs;
            # only objects in reference cycles are left to the system (check reads its inputs and writes only
            # to stdout).
            gc.freeze()
