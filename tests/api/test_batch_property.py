"""Property: whatever the body, `POST /v1/check/batch` answers 200 with exactly one line per input line, in
order, and `POST /v1/check` answers 200 or 422 in the one error shape, never 500 (inputs: test_batch_property)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch_property import LINE, assert_one_per_line, documents

from api.conftest import bearer
from falsefriends.api.roles import Role


@pytest.fixture
def viewer_client(app: FastAPI, tokens: dict[Role, str]) -> Iterator[Callable[..., Any]]:
    with TestClient(app, raise_server_exceptions=False) as client:
        def post(path: str, body: bytes, content_type: str) -> Any:
            return client.post(path, content=body,
                               headers={**bearer(tokens[Role.VIEWER]), "content-type": content_type})
        yield post


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
def test_api_batch_answers_every_line(viewer_client: Callable[..., Any], data: bytes) -> None:
    response = viewer_client("/v1/check/batch", data, "application/x-ndjson")
    assert response.status_code == 200, response.text
    assert_one_per_line(data, response.content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(LINE, st.binary(max_size=60)))
def test_api_check_is_200_or_422_never_500(viewer_client: Callable[..., Any], body: bytes) -> None:
    response = viewer_client("/v1/check", body, "application/json")
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.json()["error"]["code"] == "invalid_request"
