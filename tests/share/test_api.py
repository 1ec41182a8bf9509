"""The service: GET /v1/share/stix and /v1/share/misp for analysts (audit-logged), POST /v1/share/import for
admins, and the export buttons on the campaign and account pages."""

from __future__ import annotations

import json
from pathlib import Path

from api.conftest import bearer
from fastapi.testclient import TestClient

from falsefriends.api.roles import Role
from falsefriends.share.service import export_document

from .conftest import WARNINGS_DOCUMENTED, World, cli
from .test_formats import validate


def _store(client: TestClient, tokens: dict[Role, str], world: World) -> None:
    stored = client.post("/v1/audits/import", content=world.findings_path.read_bytes(),
                         headers=bearer(tokens[Role.ANALYST]))
    assert stored.status_code == 201, stored.text


def test_analysts_export_the_latest_audit_and_it_is_logged(client: TestClient, tokens: dict[Role, str],
                                                           world: World) -> None:
    assert client.get("/v1/share/stix", headers=bearer(tokens[Role.ANALYST])).status_code == 404  # no audit yet
    _store(client, tokens, world)
    analyst = bearer(tokens[Role.ANALYST])
    assert client.get("/v1/share/stix", headers=bearer(tokens[Role.VIEWER])).status_code == 403
    assert client.get("/v1/share/stix").status_code == 401
    stix = client.get("/v1/share/stix", params={"level": "medium", "tlp": "green"}, headers=analyst)
    assert stix.status_code == 200 and stix.headers["content-type"].startswith("application/stix+json")
    assert "attachment" in stix.headers["content-disposition"]
    assert validate(stix.text) <= WARNINGS_DOCUMENTED
    campaign = next(c["id"] for c in world.findings["campaigns"] if c["level"] == "high")
    misp = client.get("/v1/share/misp", params={"campaign": campaign}, headers=analyst)
    assert misp.status_code == 200 and json.loads(misp.text)["Event"]["Tag"][0]["name"] == "tlp:amber"
    assert client.get("/v1/share/misp", params={"campaign": "cmp-nope"}, headers=analyst).status_code == 404
    assert client.get("/v1/share/misp", params={"tlp": "purple"}, headers=analyst).status_code == 422
    log = client.get("/v1/audit-log", headers=bearer(tokens[Role.ADMIN])).json()
    actions = [e["action"] for e in (log["items"] if isinstance(log, dict) else log)]
    assert "share.export.stix" in actions and "share.export.misp" in actions


def test_only_admins_import_and_the_watchlist_gains_the_personas(client: TestClient,
                                                                 tokens: dict[Role, str], world: World) -> None:
    _store(client, tokens, world)
    bundle = client.get("/v1/share/stix", headers=bearer(tokens[Role.ANALYST])).text
    assert client.post("/v1/share/import", content=bundle, headers=bearer(tokens[Role.ANALYST])).status_code == 403
    imported = client.post("/v1/share/import", content=bundle, headers=bearer(tokens[Role.ADMIN]))
    assert imported.status_code == 200, imported.text
    high = [a for a in world.findings["accounts"] if a["level"] == "high"]
    assert imported.json()["persona"] == len(high) and imported.json()["added"] > 0
    listed = client.get("/v1/watchlist", params={"bundled": "false"}, headers=bearer(tokens[Role.ANALYST])).json()
    assert {a["name"] for a in high} <= {e["name"] for e in listed["items"]}
    bad = client.post("/v1/share/import", content=b'{"type": "nothing"}', headers=bearer(tokens[Role.ADMIN]))
    assert bad.status_code == 422


def test_campaign_and_account_pages_have_export_buttons(client: TestClient, tokens: dict[Role, str],
                                                        world: World) -> None:
    from api.conftest import PASSWORD

    _store(client, tokens, world)
    client.get("/login")
    csrf = client.cookies.get("ff_csrf") or ""
    logged = client.post("/login", data={"name": "analyst", "password": PASSWORD, "csrf_token": csrf, "next": "/"},
                         follow_redirects=False)
    assert logged.status_code == 303, logged.text
    campaign = next(c for c in world.findings["campaigns"] if c["level"] == "high")
    html = client.get(f"/campaigns/{campaign['id']}").text
    assert f"/v1/share/stix?campaign={campaign['id']}&amp;level=medium" in html and "/v1/share/misp?campaign=" in html
    account = campaign["accounts"][0]
    html = client.get("/account", params={"key": account}).text
    assert "/v1/share/stix?account=" in html and "/v1/share/misp?account=" in html
    assert client.get(f"/v1/share/stix?campaign={campaign['id']}").status_code == 200  # the session works


def test_the_command_line_exports_the_audit_the_service_holds(client: TestClient, tokens: dict[Role, str],
                                                              world: World, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from falsefriends.cli import app as command_line

    db = str(client.app.state.settings.db_url)  # type: ignore[attr-defined]
    out = tmp_path / "from-db.json"
    empty = CliRunner().invoke(command_line, ["share", "export", "--db", db, "--format", "stix", "--out", str(out)])
    assert empty.exit_code == 1 and "no finished audit" in empty.stderr
    _store(client, tokens, world)
    cli("share", "export", "--db", db, "--format", "stix", "--out", str(out))
    from_file = export_document(world.findings, "stix")
    assert json.loads(out.read_text(encoding="utf-8"))["objects"] == json.loads(from_file)["objects"]
