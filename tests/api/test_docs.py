"""docs/service.md documents every setting, every /v1 route and every error code the service can answer."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from falsefriends.api import ServiceSettings
from falsefriends.api.errors import _CODES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "service.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [name for name in ServiceSettings.model_fields if f"`{name}`" not in DOC]
    assert missing == []


def test_every_route_is_documented(client: TestClient) -> None:
    paths = client.get("/v1/openapi.json").json()["paths"]
    doc = re.sub(r"\{[a-z_]+\}", "{}", DOC)
    missing = []
    for path, methods in paths.items():
        for method in methods:
            # The table may list several paths in one row: look for the method and the path anywhere in it.
            pattern = re.escape(method.upper()) + r" [^|]*" + re.escape(re.sub(r"\{[a-z_]+\}", "{}", path))
            if not re.search(pattern, doc):
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_every_error_code_is_documented() -> None:
    missing = [code for code in (*_CODES.values(), "csrf_failed") if f"`{code}`" not in DOC]
    assert missing == []
