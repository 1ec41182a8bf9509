"""templates.json from the audit, and `check --templates` naming the campaign a message's template belongs to."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from falsefriends.check import Checker
from falsefriends.cli import app
from falsefriends.correlate.known import KNOWN_TEMPLATE_RULE, KnownTemplates, templates_document
from falsefriends.model import Message
from falsefriends.simulate import build_organisation, write_organisation

runner = CliRunner()

OFFER = "{greeting} we would pay {number} usd for a short report on {slot1} and could we continue on whatsapp"


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("known")
    write_organisation(build_organisation(40, seed=4), root / "world")
    for out, extra in (("default", []), ("plain", ["--no-campaigns"]),
                       ("pseudonymised", ["--pseudonymise", "--pseudonym-key", "k" * 32])):
        result = runner.invoke(app, ["audit", str(root / "world" / "exports"), "--roster",
                                     str(root / "world" / "roster.csv"), "--out", str(root / out),
                                     "--db", str(root / f"{out}.sqlite"), "-q", *extra])
        assert result.exit_code == 0, result.output
    return root


def test_audit_correlates_by_default_and_writes_templates(audited: Path) -> None:
    findings = json.loads((audited / "default" / "findings.json").read_text(encoding="utf-8"))
    assert findings["campaigns"] and any(a["campaign"] for a in findings["accounts"])
    document = json.loads((audited / "default" / "templates.json").read_text(encoding="utf-8"))
    ids = {c["id"] for c in findings["campaigns"]}
    assert document["templates"] and all(e["campaign"] in ids for e in document["templates"])
    assert all(e["template"]["recipients"] == [] and e["template"]["messages"] == [] for e in document["templates"])
    assert "<h2>Campaigns</h2>" in (audited / "default" / "report.html").read_text(encoding="utf-8")
    plain = json.loads((audited / "plain" / "findings.json").read_text(encoding="utf-8"))
    assert plain["campaigns"] == [] and not any(a["campaign"] for a in plain["accounts"])
    assert not (audited / "plain" / "templates.json").exists()


def test_check_names_the_campaign_of_a_known_template(audited: Path) -> None:
    path = audited / "default" / "templates.json"
    entry = next(e for e in json.loads(path.read_text(encoding="utf-8"))["templates"] if e["corroborated"])
    text = entry["template"]["text"].replace("{greeting}", "Bonjour Anne,")
    for slot in ("{slot1}", "{slot2}", "{number}", "{name}", "{signoff}", "{url}"):
        text = text.replace(slot, "energie" if slot != "{number}" else "1500")
    result = runner.invoke(app, ["check", "--templates", str(path), "--json", text])
    assert result.exit_code == 0, result.output
    known = [e for e in json.loads(result.stdout)["evidence"] if e["rule"] == KNOWN_TEMPLATE_RULE]
    assert len(known) == 1 and known[0]["indicator"] == "M9" and known[0]["weight"] > 0
    assert entry["campaign"] in known[0]["reason"] and entry["template"]["id"] in known[0]["reason"]
    other = runner.invoke(app, ["check", "--templates", str(path), "--json", "Thanks for the coffee yesterday!"])
    assert KNOWN_TEMPLATE_RULE not in other.stdout
    without = runner.invoke(app, ["check", "--json", text])
    assert KNOWN_TEMPLATE_RULE not in without.stdout


def test_check_refuses_a_file_that_is_not_templates_json(tmp_path: Path) -> None:
    bad = tmp_path / "templates.json"
    bad.write_text('{"format": "something-else", "templates": []}', encoding="utf-8")
    result = runner.invoke(app, ["check", "--templates", str(bad), "hello"])
    assert result.exit_code == 2 and "not a falsefriends templates.json" in result.output
    bad.write_text("{not json", encoding="utf-8")
    assert runner.invoke(app, ["check", "--templates", str(bad), "hello"]).exit_code == 2


def _document(corroborated: bool) -> dict[str, object]:
    campaign = {"id": "cmp-x", "level": "high" if corroborated else "medium", "corroborated": corroborated,
                "template_records": [{"id": "tpl-1", "text": OFFER, "reached": 7}]}
    return templates_document([campaign, {"id": "cmp-empty", "template_records": []}])


def test_known_templates_count_only_for_corroborated_campaigns() -> None:
    message = Message(id="m", body="Dear Mr Smith, we would pay 2000 USD for a short report on energy policy and "
                                   "could we continue on WhatsApp")
    for corroborated, weight in ((True, 2.5), (False, 0.0)):  # corroborated here means a high campaign
        known = KnownTemplates(_document(corroborated)["templates"])  # type: ignore[arg-type]
        assert len(known) == 1
        found = known.message_evidence(message)
        assert [(e.rule, e.indicator, e.weight) for e in found] == [(KNOWN_TEMPLATE_RULE, "M9", weight)]
        assert "cmp-x" in found[0].reason and "tpl-1" in found[0].reason and found[0].message == "m"
        assessment = Checker(providers=(known,), semantic=False).assess([message])
        baseline = Checker(providers=(), semantic=False).assess([message])
        assert KNOWN_TEMPLATE_RULE in {e.rule for e in assessment.evidence}
        assert (assessment.score > baseline.score) == (weight > 0)  # a weight-0 item is shown, not counted
    assert KnownTemplates(_document(True)["templates"]).message_evidence(  # type: ignore[arg-type]
        Message(id="n", body="See you at the team lunch on Friday")) == []
    medium = _document(True)
    medium["templates"][0]["level"] = "medium"  # type: ignore[index]
    found = KnownTemplates(medium["templates"]).message_evidence(message)  # type: ignore[arg-type]
    assert [e.weight for e in found] == [1.5]


def test_templates_json_is_pseudonymised_like_every_output(audited: Path) -> None:
    text = (audited / "pseudonymised" / "templates.json").read_text(encoding="utf-8")
    assert json.loads(text)["templates"]
    with (audited / "world" / "roster.csv").open(encoding="utf-8", newline="") as handle:
        roster = list(csv.DictReader(handle))
    assert roster
    for row in roster:
        assert row["name"] not in text and row["profile_url"] not in text
        assert not re.search(rf"\b{re.escape(row['staff_id'])}\b", text)


def test_a_templates_file_over_the_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from falsefriends.correlate import known

    monkeypatch.setattr(known, "MAX_TEMPLATES_BYTES", 1000)
    path = tmp_path / "templates.json"
    path.write_text(json.dumps({"format": known.TEMPLATES_FORMAT, "templates": [], "pad": "x" * 2000}))
    with pytest.raises(known.TemplatesFileError, match="larger than 1000 bytes"):
        KnownTemplates.load(path)
