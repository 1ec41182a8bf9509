"""The `falsefriends` command line: thin wrappers that parse arguments and call the library.

Each command group lives in its own module of this package and is registered here.
"""

from __future__ import annotations

import sys
import threading

import typer

from falsefriends.cli import (
    audit_cmd,
    check_cmd,
    corpus_cmd,
    demo_cmd,
    eval_cmd,
    eval_messages_cmd,
    fit_cmd,
    rules_cmd,
    scan_cmd,
    serve_cmd,
    share_cmd,
    simulate_cmd,
    users_cmd,
    watchlist_cmd,
)

app = typer.Typer(
    name="falsefriends",
    help="Detect espionage approaches made through fake profiles on professional networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(rules_cmd.app, name="rules")
app.add_typer(users_cmd.app, name="users")
app.add_typer(watchlist_cmd.app, name="watchlist")
app.add_typer(share_cmd.app, name="share")
serve_cmd.register(app)
check_cmd.register(app)
audit_cmd.register(app)
demo_cmd.register(app)
eval_messages_cmd.register(app)
fit_cmd.register(app)
corpus_cmd.register(app)
simulate_cmd.register(app)
eval_cmd.register(app)
scan_cmd.register(app)


def _preload_encoder() -> None:
    from falsefriends.detect.semantic.encoder import shared_encoder

    shared_encoder().preload()


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["check"] and not {"--help", "--no-semantic"} & set(args):
        # `check` with the semantic detector: the sentence encoder (numpy, its tokenizer, 70 MB of weights)
        # starts loading in the background now, while the command line and the rules load in this thread.
        # (not a daemon thread: see USEEncoder.preload)
        threading.Thread(target=_preload_encoder, name="falsefriends-preload").start()
    app()
