"""`falsefriends users add | token | list | password`: local accounts of the analyst service."""

from __future__ import annotations

import sys
from enum import StrEnum

import typer

from falsefriends.store.defaults import DEFAULT_URL

app = typer.Typer(help="Manage the analyst service's users and API tokens.", no_args_is_help=True)

DB_OPTION = typer.Option(DEFAULT_URL, "--db", help="workspace database: an SQLite path or a postgresql:// URL")


class RoleChoice(StrEnum):
    """The roles of `falsefriends.api.roles.Role`, spelled here so that `--help` does not import the service."""

    viewer = "viewer"
    analyst = "analyst"
    admin = "admin"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command("add")
def add(
    name: str = typer.Argument(..., help="the user name (letters, digits, . _ @ -)"),
    role: RoleChoice = typer.Option(RoleChoice.viewer, "--role", case_sensitive=False,
                                    help="viewer (dashboards), analyst (findings, cases, audits) or admin (users)"),
    db: str = DB_OPTION,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from standard input"),
    no_password: bool = typer.Option(False, "--no-password", help="API tokens only, no browser login"),
) -> None:
    """Create a user (asks for the password twice unless --password-stdin or --no-password)."""
    from falsefriends.api.auditlog import record
    from falsefriends.api.roles import Role
    from falsefriends.api.users import UserError, add_user
    from falsefriends.store import make_engine, session_scope, upgrade

    chosen = Role(role.value)
    password = None if no_password else _read_password(password_stdin)
    engine = make_engine(db)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            add_user(session, name, chosen, password)
            record(session, None, "user.add", name, "cli", role=chosen.value)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(f"user {name} ({chosen.value}) created")


@app.command("token")
def token(
    name: str = typer.Argument(..., help="the user the token acts as"),
    label: str = typer.Option("", "--label", help="what the token is for"),
    db: str = DB_OPTION,
) -> None:
    """Issue an API token; it is printed once and only its hash is kept."""
    from falsefriends.api.auditlog import record
    from falsefriends.api.users import UserError, issue_token
    from falsefriends.store import make_engine, session_scope, upgrade

    engine = make_engine(db)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            value = issue_token(session, name, label)
            record(session, None, "token.issue", name, "cli", label=label)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(value)


@app.command("password")
def password(
    name: str = typer.Argument(..., help="the user whose password changes"),
    db: str = DB_OPTION,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from standard input"),
) -> None:
    """Set a user's password (ends the user's open browser sessions)."""
    from falsefriends.api.auditlog import record
    from falsefriends.api.users import UserError, set_password
    from falsefriends.store import make_engine, session_scope, upgrade

    value = _read_password(password_stdin)
    engine = make_engine(db)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            set_password(session, name, value)
            record(session, None, "user.password", name, "cli")
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(f"password of {name} changed")


@app.command("list")
def list_cmd(db: str = DB_OPTION) -> None:
    """List users and their roles."""
    from falsefriends.api.users import list_users
    from falsefriends.store import make_engine, session_scope, upgrade

    engine = make_engine(db)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            for user in list_users(session):
                state = " (disabled)" if user.disabled else ""
                typer.echo(f"{user.name}\t{user.role}{state}")
    finally:
        engine.dispose()
