"""The `falsefriends` command line: thin wrappers that parse arguments and call the library.

Each command group lives in its own module of this package and is registered here.
"""

from __future__ import annotations

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
    serve_cmd,
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
serve_cmd.register(app)
check_cmd.register(app)
audit_cmd.register(app)
demo_cmd.register(app)
eval_messages_cmd.register(app)
fit_cmd.register(app)
corpus_cmd.register(app)
simulate_cmd.register(app)
eval_cmd.register(app)


def main() -> None:
    app()
