"""Users, passwords and tokens: the `falsefriends users` commands, hashing, roles over the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from api.conftest import bearer
from falsefriends.api.passwords import hash_password, token_hash, verify_password
from falsefriends.api.roles import Role
from falsefriends.api.tables import ApiTokenRow, AuditLogRow, UserRow
from falsefriends.cli import app as cli
from falsefriends.store import make_engine, session_scope


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password("a long password"), hash_password("a long password")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("a long password", first)
    assert not verify_password("a long passwore", first)
    assert not verify_password("anything", "garbage$$$")
    with pytest.raises(ValueError, match="10 to"):
        hash_password("short")


def test_cli_creates_the_first_admin_and_a_token_that_works(tmp_path: Path, make_app: object) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", "alice", "--role", "admin", "--db", db, "--password-stdin"],
                          input="a very long secret\n")
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli, ["users", "add", "alice", "--db", db, "--no-password"])
    assert again.exit_code == 2 and "already exists" in again.output
    issued = runner.invoke(cli, ["users", "token", "alice", "--db", db, "--label", "ci"])
    assert issued.exit_code == 0
    token = issued.stdout.strip().splitlines()[-1]
    assert token.startswith("ff_")
    engine = make_engine(db)
    with session_scope(engine) as session:
        stored = session.scalars(select(ApiTokenRow.token_hash)).all()
        assert stored == [token_hash(token)]
        user = session.scalar(select(UserRow).where(UserRow.name == "alice"))
        assert user is not None and user.role == "admin" and "secret" not in (user.password_hash or "")
        actions = session.scalars(select(AuditLogRow.action).order_by(AuditLogRow.id)).all()
        assert actions == ["user.add", "token.issue"]
    engine.dispose()
    with TestClient(make_app(db_url=db)) as client:  # type: ignore[operator]
        me = client.get("/v1/me", headers=bearer(token)).json()
        assert me == {"name": "alice", "role": "admin", "public_check": False}
        assert client.get("/v1/me", headers=bearer("ff_forged")).status_code == 401


def test_unknown_role_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["users", "add", "bob", "--role", "root", "--no-password",
                                      "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code != 0
    assert "root" in result.output and "viewer" in result.output  # the choices, in the usage error


def test_roles_are_ordered() -> None:
    assert Role.ADMIN.allows(Role.ANALYST) and Role.ANALYST.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.ANALYST)


def test_user_names_are_unique_whatever_their_case(tmp_path: Path, client: TestClient,
                                                   tokens: dict[Role, str]) -> None:
    db = f"sqlite:///{tmp_path / 'names.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["users", "add", "Alice", "--db", db, "--no-password"]).exit_code == 0
    for other in ("alice", "ALICE", "aLiCe"):
        again = runner.invoke(cli, ["users", "add", other, "--db", db, "--no-password"])
        assert again.exit_code == 2 and "already exists as 'Alice'" in again.output, again.output
    engine = make_engine(db)
    with session_scope(engine) as session:
        assert [row.name for row in session.scalars(select(UserRow))] == ["Alice"]
    engine.dispose()
    admin = bearer(tokens[Role.ADMIN])
    created = client.post("/v1/users", json={"name": "Bob.Smith", "role": "viewer"}, headers=admin)
    assert created.status_code == 201, created.text
    clash = client.post("/v1/users", json={"name": "bob.smith", "role": "admin"}, headers=admin)
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "conflict"
    assert "'Bob.Smith'" in clash.json()["error"]["message"]
    viewer_again = client.post("/v1/users", json={"name": "VIEWER", "role": "admin"}, headers=admin)
    assert viewer_again.status_code == 409  # the fixture's user `viewer`
