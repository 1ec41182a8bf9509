"""Every error has the one documented shape, and every response carries the security headers."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from falsefriends.api.headers import CONTENT_SECURITY_POLICY

SHAPE = {"status", "code", "message", "details"}


def test_unknown_path_wrong_method_and_invalid_query_share_the_shape(client: TestClient) -> None:
    for response, status in ((client.get("/v1/nothing-here"), 404), (client.put("/v1/health"), 405),
                             (client.get("/v1/rules", params={"indicator": "x" * 50}), 422)):
        assert response.status_code == status
        assert set(response.json()["error"]) == SHAPE
        assert response.json()["error"]["status"] == status


def test_validation_errors_list_their_location(client: TestClient) -> None:
    response = client.get("/v1/rules", params={"indicator": "x" * 50})
    assert response.json()["error"]["code"] == "invalid_request"
    assert response.json()["error"]["details"][0]["loc"] == "query.indicator"


def test_a_crash_is_a_500_in_the_same_shape_without_internals(app: FastAPI) -> None:
    def explode() -> None:
        raise RuntimeError("secret internal detail <script>")

    app.add_api_route("/v1/explode", explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/explode")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text


def test_security_headers_on_api_and_errors(client: TestClient) -> None:
    for response in (client.get("/v1/health"), client.get("/v1/missing")):
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"


def test_openapi_schema_is_served_and_documents_the_error_shape(client: TestClient) -> None:
    schema = client.get("/v1/openapi.json").json()
    assert "/v1/check" in schema["paths"]
    assert "CheckRequest" in schema["components"]["schemas"]
    assert "ErrorResponse" in schema["components"]["schemas"]
    check_responses = schema["paths"]["/v1/check"]["post"]["responses"]
    assert check_responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
