"""Property-based tests generated from the OpenAPI schema (schemathesis): no 500, responses match the schema.

Bounded: a few examples per operation, authenticated as an admin so that every route is reachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance
from web.conftest import hostile_findings

from falsefriends.api import ServiceSettings, create_app
from falsefriends.api.roles import Role
from falsefriends.api.runs import import_findings
from falsefriends.api.users import add_user, issue_token
from falsefriends.check import Checker
from falsefriends.store import session_scope


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: object, value: object) -> bytes:
    """The batch body is JSON Lines text; the schema describes it as a string."""
    return str(value).encode("utf-8")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    root: Path = tmp_path_factory.mktemp("schema")
    app = create_app(ServiceSettings(db_url=f"sqlite:///{root / 's.db'}", upload_dir=root / "up", public_check=True,
                                     use_watchlist=False), checker=Checker())
    with session_scope(app.state.engine) as session:
        add_user(session, "root", Role.ADMIN)
        token = issue_token(session, "root")
        import_findings(session, "root", hostile_findings())
    yield app, token
    app.state.engine.dispose()


def fuzz(operation: Any, headers: dict[str, str]) -> None:
    """A few generated requests to one operation, each checked against the schema."""

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def examples(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())
        # Requests the schema allows may still be refused on meaning (an assignee who is no user, a note of
        # blanks) with a 422 in the error shape, so "schema-valid data must be accepted" is not checked.
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    examples()


def test_the_api_honours_its_schema(service: tuple[FastAPI, str]) -> None:
    app, token = service
    # The upload runs a real audit in the background; it is covered by test_audits, not fuzzed here.
    api = schemathesis.openapi.from_asgi("/v1/openapi.json", app).exclude(path="/v1/audits", method="POST")
    failures: dict[str, str] = {}
    operations = 0
    for result in api.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            fuzz(operation, {"Authorization": f"Bearer {token}"})
        except Exception as exc:  # collect every operation's failure, then report them all
            failures[operation.label] = str(exc)[:2000]
    assert operations >= 20
    assert failures == {}, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
