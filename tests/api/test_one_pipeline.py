"""One audit from every door: `falsefriends audit` and the service's upload give the same findings on the same
files, a CLI audit shows in a service started on its workspace, and campaign correlation is on by default."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.conftest import PASSWORD, bearer
from falsefriends.api import ServiceSettings, create_app
from falsefriends.api.roles import Role
from falsefriends.api.routes.findings import campaigns_switch
from falsefriends.api.runs import without_server_paths
from falsefriends.api.users import add_user, issue_token
from falsefriends.cli import app as cli_app
from falsefriends.simulate.organisation import build_organisation
from falsefriends.simulate.organisation_writer import write_organisation
from falsefriends.store import session_scope


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pipeline") / "org"
    write_organisation(build_organisation(16, 1), root)
    return root


def _cli_audit(world: Path, db: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli_app, ["audit", str(world / "exports"), "--roster", str(world / "roster.csv"),
                                          "--out", str(out), "--db", str(db), *extra])
    assert result.exit_code == 0, result.output
    findings: dict[str, Any] = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return findings


def _service(db: Path, uploads: Path) -> tuple[TestClient, str]:
    app = create_app(ServiceSettings(db_url=f"sqlite:///{db}", upload_dir=uploads))
    with session_scope(app.state.engine) as session:
        add_user(session, "analyst", Role.ANALYST, PASSWORD)
        token = issue_token(session, "analyst")
    return TestClient(app, raise_server_exceptions=False), token


def _upload(client: TestClient, token: str, world: Path, **form: str) -> dict[str, Any]:
    files = [("exports", (p.name, p.read_bytes(), "application/zip"))
             for p in sorted((world / "exports").iterdir())]
    files.append(("roster", ("roster.csv", (world / "roster.csv").read_bytes(), "text/csv")))
    response = client.post("/v1/audits", files=files, data=form, headers=bearer(token))
    assert response.status_code == 202, response.text
    run: dict[str, Any] = response.json()
    deadline = time.monotonic() + 180
    while run["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        run = client.get(f"/v1/audits/{run['id']}", headers=bearer(token)).json()
    assert run["state"] == "done", run
    return run


def _comparable(findings: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in findings.items() if key != "generated_at"}


def test_the_upload_and_the_cli_give_the_same_findings(world: Path, tmp_path: Path) -> None:
    cli = _cli_audit(world, tmp_path / "cli.db", tmp_path / "cli-out")
    client, token = _service(tmp_path / "service.db", tmp_path / "uploads")
    with client:
        _upload(client, token, world)
        served = client.get("/v1/findings", headers=bearer(token)).json()
    assert _comparable(served) == _comparable(cli)
    # the figures the issue found apart: outside accounts, once each, none of them the organisation's own staff
    keys = [account["account"] for account in served["accounts"]]
    assert len(keys) == len(set(keys)) == served["summary"]["accounts"]
    by_url = {(a.get("name") or "").casefold() for a in served["accounts"] if not a["account"].startswith("name:")}
    name_keyed = [a for a in served["accounts"] if a["account"].startswith("name:")]
    assert not [a for a in name_keyed if (a.get("name") or "").casefold() in by_url]  # one persona, one entry
    staff_names = {member["name"].casefold() for member in served["staff"] if member.get("name")}
    staff_urls = {member.get("profile_url") for member in served["staff"]} - {None}
    assert not [a for a in served["accounts"] if (a.get("name") or "").casefold() in staff_names
                or a["account"] in staff_urls]
    roster_rows = (world / "roster.csv").read_text(encoding="utf-8").count("\n") - 1
    assert served["summary"]["staff"] == roster_rows == len(served["staff"])  # every export matched its owner
    # campaign correlation ran in both (on by default), so campaigns were found through both doors
    assert cli["campaigns"] and served["campaigns"] == cli["campaigns"]
    # no server path in what users read
    assert "run-" not in json.dumps(served) and str(tmp_path / "uploads") not in json.dumps(served)
    # `check --db` on the CLI's workspace recognises a campaign's standard text from that audit
    record = next(r for c in cli["campaigns"] for r in c.get("template_records") or ())
    text = record["text"].replace("{slot1}", (record.get("slot_examples") or {}).get("slot1", ["x"])[0])
    checked = CliRunner().invoke(cli_app, ["check", "--no-semantic", "--json", "--db", str(tmp_path / "cli.db"),
                                           text])
    assert checked.exit_code == 0, checked.output
    assert "known-campaign-template" in {e["rule"] for e in json.loads(checked.output)["evidence"]}
    plain = CliRunner().invoke(cli_app, ["check", "--no-semantic", "--json", text])
    assert "known-campaign-template" not in {e["rule"] for e in json.loads(plain.output)["evidence"]}


def test_a_cli_audit_shows_in_a_service_started_on_its_workspace(world: Path, tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    cli = _cli_audit(world, db, tmp_path / "out", "--no-campaigns")
    client, token = _service(db, tmp_path / "uploads")
    with client:
        runs = client.get("/v1/audits", headers=bearer(token)).json()
        assert [run["source"] for run in runs] == ["cli"] and runs[0]["state"] == "done"
        summary = client.get("/v1/summary", headers=bearer(token)).json()
        assert summary["summary"] == cli["summary"]
        assert summary["campaigns"] == 0  # --no-campaigns was honoured and kept
        page = client.get("/v1/accounts", headers=bearer(token), params={"limit": 1000}).json()
        assert [a["account"] for a in page["items"]] == [a["account"] for a in cli["accounts"]]
        # an analyst confirms a case on a low account in the service: `check --db` on the workspace flags it high
        low = next(a for a in cli["accounts"] if a["level"] == "low" and a.get("url"))
        case = client.post("/v1/cases", json={"kind": "account", "subject": low["account"]},
                           headers=bearer(token)).json()
        for state in ("investigating", "confirmed"):
            moved = client.patch(f"/v1/cases/{case['id']}", json={"state": state}, headers=bearer(token))
            assert moved.status_code == 200, moved.text
    profile = tmp_path / "sender.json"
    profile.write_text(json.dumps({"url": low["url"], "name": low.get("name") or ""}), encoding="utf-8")
    verdicts = {}
    for extra in ((), ("--db", str(db))):
        checked = CliRunner().invoke(cli_app, ["check", "--no-semantic", "--json", "--profile", str(profile), *extra])
        assert checked.exit_code == 0, checked.output
        verdicts[bool(extra)] = json.loads(checked.output)["level"]
    assert verdicts == {False: "low", True: "high"}


def test_campaign_correlation_is_on_unless_switched_off() -> None:
    assert campaigns_switch([]) is True  # the API without the field
    assert campaigns_switch(["off"]) is False  # the web form, box unticked (its hidden field alone)
    assert campaigns_switch(["off", "on"]) is True  # the web form, box ticked
    for off in ("false", "0", "no", "OFF"):
        assert campaigns_switch([off]) is False
    assert campaigns_switch(["true"]) is True


def test_server_paths_of_any_run_are_taken_out(tmp_path: Path) -> None:
    workdir = tmp_path / "uploads" / "run-abc_12"
    earlier = tmp_path / "uploads" / "run-zz9"
    document = {"source": f"{workdir}/000/alice.zip", "old": f"{earlier}/003/bob.zip",
                "error": f"{workdir}: nothing read", "keep": "exports/carol.zip"}
    assert without_server_paths(document, workdir) == {"source": "alice.zip", "old": "bob.zip",
                                                       "error": ": nothing read", "keep": "exports/carol.zip"}
    assert without_server_paths(f"cannot read {workdir}/001/x.zip", workdir) == "cannot read x.zip"
