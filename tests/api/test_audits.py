"""Audits over the API: upload exports + roster, follow progress, read findings, triage them into cases."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.conftest import PASSWORD, bearer
from falsefriends.api import ServiceSettings, create_app
from falsefriends.api.roles import Role
from falsefriends.api.users import add_user, issue_token
from falsefriends.simulate.organisation import build_organisation
from falsefriends.simulate.organisation_writer import write_organisation
from falsefriends.store import session_scope


@dataclass
class Audited:
    client: TestClient
    tokens: dict[Role, str]
    run: dict[str, Any]
    truth: dict[str, Any]

    def get(self, path: str, role: Role = Role.ANALYST, **params: Any) -> Any:
        response = self.client.get(path, headers=bearer(self.tokens[role]), params=params)
        assert response.status_code == 200, response.text
        return response.json()


def upload(client: TestClient, token: str, world: Path) -> dict[str, Any]:
    exports = sorted((world / "exports").iterdir())
    files = [("exports", (p.name, p.read_bytes(), "application/zip")) for p in exports]
    files.append(("roster", ("roster.csv", (world / "roster.csv").read_bytes(), "text/csv")))
    response = client.post("/v1/audits", files=files, headers=bearer(token))
    assert response.status_code == 202, response.text
    run: dict[str, Any] = response.json()
    assert run["state"] in ("queued", "running", "done")
    deadline = time.monotonic() + 120
    while run["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        run = client.get(f"/v1/audits/{run['id']}", headers=bearer(token)).json()
    return run


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Audited]:
    root = tmp_path_factory.mktemp("service")
    world = root / "org"
    write_organisation(build_organisation(16, 1), world)
    app = create_app(ServiceSettings(db_url=f"sqlite:///{root / 'service.db'}", upload_dir=root / "uploads"),
                     checker=None)
    tokens = {}
    with session_scope(app.state.engine) as session:
        for role in Role:
            add_user(session, role.value, role, PASSWORD)
            tokens[role] = issue_token(session, role.value)
        add_user(session, "colleague", Role.ANALYST, PASSWORD)
    with TestClient(app, raise_server_exceptions=False) as client:
        run = upload(client, tokens[Role.ANALYST], world)
        truth = json.loads((world / "truth.json").read_text(encoding="utf-8"))
        yield Audited(client, tokens, run, truth)


def test_an_uploaded_audit_finishes_with_findings(audited: Audited) -> None:
    assert audited.run["state"] == "done", audited.run
    assert audited.run["progress"] == 1.0
    summary = audited.get("/v1/summary", Role.VIEWER)
    assert summary["run"] == audited.run["id"]
    assert summary["summary"]["staff"] == 16
    hostile = {h["url"] for h in audited.truth["hostile_accounts"]}
    accounts = audited.get("/v1/accounts", limit=1000)["items"]
    assert hostile <= {a["account"] for a in accounts}
    scores = [a["score"] for a in accounts]
    assert scores == sorted(scores, reverse=True)
    high = audited.get("/v1/accounts", level="high")["items"]
    assert high and all(a["level"] == "high" for a in high)


def test_staff_data_needs_an_analyst_and_every_read_is_logged(audited: Audited) -> None:
    refused = audited.client.get("/v1/staff", headers=bearer(audited.tokens[Role.VIEWER]))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    staff = audited.get("/v1/staff")["items"]
    one = audited.get(f"/v1/staff/{staff[0]['staff_id']}")
    assert one["staff_id"] == staff[0]["staff_id"]
    log = audited.get("/v1/audit-log", Role.ADMIN, action="view.staff")
    targets = [(e["actor"], e["target"]) for e in log]
    assert ("analyst", staff[0]["staff_id"]) in targets and ("analyst", "list") in targets


def test_a_findings_json_can_be_imported_and_bad_ones_are_refused(audited: Audited) -> None:
    document = audited.get("/v1/findings")
    token = bearer(audited.tokens[Role.ANALYST])
    imported = audited.client.post("/v1/audits/import", content=json.dumps(document), headers=token)
    assert imported.status_code == 201 and imported.json()["source"] == "import"
    broken = audited.client.post("/v1/audits/import", content=json.dumps(
        {**document, "accounts": [{"score": "x"}]}), headers=token)
    assert broken.status_code == 422
    assert "accounts.0" in broken.json()["error"]["message"]


def test_an_import_that_is_not_a_findings_json_is_refused_and_never_becomes_the_newest_audit(
        audited: Audited) -> None:
    document = audited.get("/v1/findings")
    token = bearer(audited.tokens[Role.ANALYST])
    newest = audited.get("/v1/summary", Role.VIEWER)["run"]
    bodies = {
        "empty object": b"{}",
        "another version": json.dumps({**document, "format": "falsefriends.findings/0"}).encode(),
        "no format": json.dumps({k: v for k, v in document.items() if k != "format"}).encode(),
        "no staff": json.dumps({k: v for k, v in document.items() if k != "staff"}).encode(),
        "summary that disagrees": json.dumps({**document, "accounts": []}).encode(),
        "a list": b"[]",
        "5,000-digit integer": b'{"format": ' + b"9" * 5000 + b"}",
        "1,000 deep": b"[" * 1000 + b"]" * 1000,
        "lone surrogate": b'{"format": "\\ud800"}',
        "NaN": b'{"format": NaN}',
        "not UTF-8": b'{"format": "\xff"}',
    }
    for name, body in bodies.items():
        response = audited.client.post("/v1/audits/import", content=body, headers=token)
        assert response.status_code == 422, (name, response.status_code, response.text)
        error = response.json()["error"]
        assert error["code"] == "invalid_request" and error["message"].startswith("not a findings.json"), name
    assert "format" in audited.client.post("/v1/audits/import", content=b"{}",
                                           headers=token).json()["error"]["message"]
    assert audited.get("/v1/summary", Role.VIEWER)["run"] == newest


def test_a_failed_run_names_the_uploaded_file_never_the_server_path(tmp_path: Path) -> None:
    root = tmp_path / "service"
    root.mkdir()
    world = tmp_path / "org"
    write_organisation(build_organisation(5, 1), world)
    app = create_app(ServiceSettings(db_url=f"sqlite:///{root / 'service.db'}", upload_dir=root / "uploads"),
                     checker=None)
    with session_scope(app.state.engine) as session:
        add_user(session, "analyst", Role.ANALYST, PASSWORD)
        token = bearer(issue_token(session, "analyst"))
    with TestClient(app, raise_server_exceptions=False) as client:
        roster = ("roster", ("roster.csv", (world / "roster.csv").read_bytes(), "text/csv"))
        files = [("exports", ("broken.zip", b"PK\x03\x04 not a whole archive", "application/zip")), roster]
        response = client.post("/v1/audits", files=files, headers=token)
        run = response.json()
        deadline = time.monotonic() + 60
        while run["state"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.1)
            run = client.get(f"/v1/audits/{run['id']}", headers=token).json()
        assert run["state"] == "failed", run
        assert "broken.zip" in run["error"]
        assert str(root) not in run["error"] and "uploads" not in run["error"], run["error"]
        good = next(iter(sorted((world / "exports").iterdir())))
        files = [("exports", ("broken.zip", b"PK\x03\x04 not a whole archive", "application/zip")),
                 ("exports", (good.name, good.read_bytes(), "application/zip")), roster]
        run = client.post("/v1/audits", files=files, headers=token).json()
        deadline = time.monotonic() + 60
        while run["state"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.1)
            run = client.get(f"/v1/audits/{run['id']}", headers=token).json()
        assert run["state"] == "done", run
        findings = client.get("/v1/findings", headers=token).json()
        errors = findings["ingest"]["errors"]
        assert any("broken.zip" in error for error in errors), errors
        assert str(root) not in json.dumps(findings)


def test_a_case_is_opened_worked_by_two_analysts_and_confirmed_onto_the_watchlist(audited: Audited) -> None:
    top = audited.get("/v1/accounts", level="high")["items"][0]
    token = bearer(audited.tokens[Role.ANALYST])
    opened = audited.client.post("/v1/cases", json={"kind": "account", "subject": top["account"],
                                                    "assignee": "colleague", "note": "looks like a farm"},
                                 headers=token)
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert case["state"] == "new" and case["assignee"] == "colleague" and case["evidence"]
    again = audited.client.post("/v1/cases", json={"kind": "account", "subject": top["account"]}, headers=token)
    assert again.status_code == 200 and again.json()["id"] == case["id"]
    moved = audited.client.patch(f"/v1/cases/{case['id']}", json={"state": "investigating"}, headers=token)
    assert moved.json()["state"] == "investigating"
    noted = audited.client.post(f"/v1/cases/{case['id']}/notes", json={"text": "same photo as another"},
                                headers=token)
    assert noted.status_code == 201
    linked = audited.client.post(f"/v1/cases/{case['id']}/evidence",
                                 json={"description": "screenshot of the WhatsApp request", "reference": "ticket 42"},
                                 headers=token)
    assert linked.json()["evidence"][-1]["detector"] == "analyst"
    confirmed = audited.client.patch(f"/v1/cases/{case['id']}", json={"state": "confirmed", "note": "agreed"},
                                     headers=token).json()
    assert confirmed["state"] == "confirmed"
    assert [e["kind"] for e in confirmed["history"]] == ["opened", "state", "note", "evidence", "state"]
    entry_ids = confirmed["history"][-1]["detail"]["watchlist"]
    listed = audited.get("/v1/watchlist", bundled="false")["items"]
    entry = next(e for e in listed if e["id"] == entry_ids)
    assert entry["provenance"][0]["status"] == "analyst"
    # The next check sees the confirmed account through the watchlist.
    checked = audited.client.post("/v1/check", json={"profile": {"url": top["url"] or top["account"]}},
                                  headers=bearer(audited.tokens[Role.VIEWER])).json()
    assert any(e["rule"].startswith("watchlist-") and e["weight"] > 0 for e in checked["evidence"])


def test_a_dismissed_account_is_not_raised_again_without_new_evidence(audited: Audited) -> None:
    with_cases = {c["subject"] for c in audited.get("/v1/cases")}
    subject = next(a["account"] for a in audited.get("/v1/accounts", limit=1000)["items"]
                   if a["account"] not in with_cases)
    token = bearer(audited.tokens[Role.ANALYST])
    case = audited.client.post("/v1/cases", json={"kind": "account", "subject": subject}, headers=token).json()
    dismissed = audited.client.patch(f"/v1/cases/{case['id']}", json={"state": "dismissed", "note": "real recruiter"},
                                     headers=token)
    assert dismissed.json()["state"] == "dismissed"
    bad = audited.client.patch(f"/v1/cases/{case['id']}", json={"state": "confirmed"}, headers=token)
    assert bad.status_code == 409 and bad.json()["error"]["code"] == "conflict"
    assert "investigating" in bad.json()["error"]["message"]
    listed = {a["account"] for a in audited.get("/v1/accounts")["items"]}
    assert subject not in listed
    everything = audited.get("/v1/accounts", include_dismissed="true")["items"]
    assert next(a for a in everything if a["account"] == subject)["dismissed"] is True
    reopened = audited.client.post("/v1/cases", json={"kind": "account", "subject": subject}, headers=token)
    assert reopened.status_code == 409
    assert "dismissed" in reopened.json()["error"]["message"]


def test_viewers_cannot_triage(audited: Audited) -> None:
    response = audited.client.post("/v1/cases", json={"kind": "account", "subject": "x"},
                                   headers=bearer(audited.tokens[Role.VIEWER]))
    assert response.status_code == 403


