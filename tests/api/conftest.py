"""API fixtures: a fresh service per test on its own SQLite workspace, users of each role with API tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from falsefriends.api import ServiceSettings, create_app
from falsefriends.api.roles import Role
from falsefriends.api.users import add_user, issue_token
from falsefriends.check import Checker
from falsefriends.store import session_scope

PASSWORD = "correct horse battery"


@pytest.fixture
def make_app(tmp_path: Path, checker: Checker) -> Callable[..., FastAPI]:
    def build(**overrides: object) -> FastAPI:
        values: dict[str, object] = {"db_url": f"sqlite:///{tmp_path / 'service.db'}",
                                     "upload_dir": tmp_path / "uploads"}
        values.update(overrides)
        return create_app(ServiceSettings.model_validate(values), checker=checker)

    return build


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def tokens(app: FastAPI) -> dict[Role, str]:
    """One user per role (named after it, with PASSWORD) and an API token for each."""
    out = {}
    with session_scope(app.state.engine) as session:
        for role in Role:
            add_user(session, role.value, role, PASSWORD)
            out[role] = issue_token(session, role.value, "tests")
    return out


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
