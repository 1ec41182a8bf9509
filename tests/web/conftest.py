"""Web fixtures: a service with users of each role, a findings document full of hostile text, a logged-in client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from falsefriends.api import ServiceSettings, create_app
from falsefriends.api.roles import Role
from falsefriends.api.runs import import_findings
from falsefriends.api.users import add_user
from falsefriends.audit import AccountFinding, Findings, StaffFinding
from falsefriends.audit.records import Approach, Summary
from falsefriends.check import Checker
from falsefriends.model import Evidence, Level
from falsefriends.store import session_scope

PASSWORD = "correct horse battery"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'><svg onload=alert(2)>'


def hostile_findings() -> dict[str, Any]:
    """A findings document whose every adversary-written field carries a script payload."""
    evidence = Evidence(rule="en-move-to-encrypted-app", indicator="M3", weight=1.6,
                        reason="Asks to continue the conversation on another app.", excerpt=f"WhatsApp {XSS}",
                        span=(0, 8), message="m1", source=("DGSI 2018",))
    account = AccountFinding(
        account="https://www.linkedin.com/in/evil?x=<b>", name=f"Jane {XSS}", headline=f"Headhunter {XSS}",
        employer=f"Acme {XSS}", url="https://www.linkedin.com/in/evil?x=<b>", score=0.91, level=Level.HIGH,
        indicators=["M3"], evidence=[evidence], staff_approached=["S1"],
        approaches=[Approach(staff_id="S1", score=0.91, level=Level.HIGH, indicators=["M3"], messages=2,
                             first_contact=datetime(2025, 3, 1, tzinfo=UTC))],
    )
    staff = StaffFinding(staff_id="S1", name="Alice Example", department="Research", level=Level.HIGH,
                         approached_by=[account.account])
    campaign = {"id": "c1", "accounts": [account.account], "staff_targeted": ["S1"], "templates": [f"t1 {XSS}"],
                "evidence": [evidence.model_dump(mode="json")], "score": 0.9, "level": "high",
                "traces": ["template"], "sectors": {"state": 1}, "first_contact": None, "last_contact": None}
    account = account.model_copy(update={"campaign": "c1"})
    findings = Findings(summary=Summary(staff=1, accounts=1, accounts_high=1), accounts=[account], staff=[staff],
                        campaigns=[campaign], generated_at=datetime(2025, 4, 1, tzinfo=UTC))
    dumped: dict[str, Any] = findings.model_dump(mode="json")
    return dumped


@pytest.fixture
def make_app(tmp_path: Path, checker: Checker) -> Callable[..., FastAPI]:
    def build(**overrides: object) -> FastAPI:
        values: dict[str, object] = {"db_url": f"sqlite:///{tmp_path / 'web.db'}", "upload_dir": tmp_path / "up"}
        values.update(overrides)
        app = create_app(ServiceSettings.model_validate(values), checker=checker)
        with session_scope(app.state.engine) as session:
            if not session.get_bind() or not _has_users(session):
                for role in Role:
                    add_user(session, role.value, role, PASSWORD)
                import_findings(session, "analyst", hostile_findings())
        return app

    return build


def _has_users(session: Any) -> bool:
    from sqlalchemy import select

    from falsefriends.api.tables import UserRow

    return session.scalar(select(UserRow).limit(1)) is not None


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as test_client:
        yield test_client


def csrf_of(client: TestClient) -> str:
    """Load the login page (sets the anonymous CSRF cookie) and return the token."""
    client.get("/login")
    token = client.cookies.get("ff_csrf")
    assert token
    return token


def log_in(client: TestClient, role: Role) -> str:
    """Log in as the user named after `role`; returns the session's CSRF token (read from a page)."""
    response = client.post("/login", data={"name": role.value, "password": PASSWORD, "csrf_token": csrf_of(client),
                                           "next": "/check"})
    assert response.status_code == 303, response.text
    page = client.get("/check").text
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]
