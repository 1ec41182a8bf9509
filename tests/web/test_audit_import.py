"""The audits page: a findings.json import button, and campaign correlation ticked by default."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from falsefriends.api.roles import Role
from web.conftest import hostile_findings, log_in


def test_the_audits_page_imports_a_findings_json(client: TestClient) -> None:
    csrf = log_in(client, Role.ANALYST)
    page = client.get("/audits").text
    assert 'action="/audits/import"' in page and 'name="findings"' in page
    assert '<input type="checkbox" name="campaigns" value="on" checked>' in page  # on by default
    before = len(client.get("/audits", headers={"hx-request": "1"}).text)
    document = hostile_findings()
    document["summary"]["exports"] = 7
    response = client.post("/audits/import", data={"csrf_token": csrf},
                           files={"findings": ("findings.json", json.dumps(document).encode(), "application/json")})
    assert response.status_code == 303, response.text
    runs = client.get("/audits", headers={"hx-request": "1"}).text
    assert len(runs) > before and "import" in runs
    # a document that is not a findings.json is refused in plain words on the page, nothing stored
    refused = client.post("/audits/import", data={"csrf_token": csrf},
                          files={"findings": ("x.json", b'{"a": 1}', "application/json")})
    assert refused.status_code == 422 and "not a findings.json document" in refused.text
    # and without the CSRF token the import is refused
    forged = client.post("/audits/import", files={"findings": ("f.json", json.dumps(document).encode())})
    assert forged.status_code == 403


def test_viewers_cannot_import(client: TestClient) -> None:
    csrf = log_in(client, Role.VIEWER)
    response = client.post("/audits/import", data={"csrf_token": csrf},
                           files={"findings": ("findings.json", json.dumps(hostile_findings()).encode())})
    assert response.status_code == 403
