"""Organisation worlds: roster, export format, determinism by seed, truth consistent with the exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from falsefriends.simulate import ROSTER_COLUMNS, build_organisation, write_organisation
from falsefriends.simulate.banks import default_banks
from falsefriends.simulate.export_writer import connected_on, message_date, sent_at

PREAMBLE_FIRST = "Notes:"


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("org")
    write_organisation(build_organisation(40, seed=11), out)
    return out


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Base file name -> text (BOM stripped), whatever the sub-folder."""
    out = {}
    for name in archive.namelist():
        out[name.rsplit("/", 1)[-1]] = archive.read(name).decode("utf-8-sig")
    return out


def test_roster_has_exactly_the_agreed_columns(world_dir: Path) -> None:
    with (world_dir / "roster.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0].keys()) == ROSTER_COLUMNS == (
        "staff_id", "name", "department", "sector", "profile_url", "export_file")
    assert len(rows) == 40
    assert {r["sector"] for r in rows} <= {"state", "business"}
    assert {r["department"] for r in rows} <= {"defence", "health", "computing", "nuclear energy", "nanotechnology",
                                                "telecommunications", "administration"}
    for row in rows:
        assert (world_dir / "exports" / row["export_file"]).is_file()


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    write_organisation(build_organisation(12, seed=5), tmp_path / "a")
    write_organisation(build_organisation(12, seed=5), tmp_path / "b")
    write_organisation(build_organisation(12, seed=6), tmp_path / "c")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_exports_follow_the_real_format_and_show_its_variants(world_dir: Path) -> None:
    seen = {"subfolder": 0, "root": 0, "bom": 0, "no_url": 0, "url": 0, "extra": 0, "draft_cols": 0,
            "multiline": 0, "html": 0}
    for path in sorted((world_dir / "exports").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            seen["subfolder" if "/" in names[0] else "root"] += 1
            seen["bom"] += archive.read(names[0]).startswith(b"\xef\xbb\xbf")
            files = _members(archive)
        lines = files["Connections.csv"].split("\n")
        assert lines[0] == PREAMBLE_FIRST and lines[1].startswith('"When exporting') and lines[2] == ""
        header = lines[3].split(",")
        seen["url" if "URL" in header else "no_url"] += 1
        messages_name = "messages.csv" if "messages.csv" in files else "Messages.csv"
        rows = list(csv.DictReader(io.StringIO(files[messages_name])))
        seen["draft_cols"] += "IS MESSAGE DRAFT" in files[messages_name].split("\n", 1)[0]
        seen["multiline"] += any("\n" in r["CONTENT"] for r in rows)
        seen["html"] += any("<p>" in r["CONTENT"] or "<br>" in r["CONTENT"] for r in rows)
        seen["extra"] += any(n in files for n in ("Skills.csv", "Ad_Targeting.csv", "Education.csv"))
        invitations = list(csv.DictReader(io.StringIO(files.get("Invitations.csv", ""))))
        assert all(r["Direction"] in ("INCOMING", "OUTGOING") for r in invitations)
        assert set(csv.reader(io.StringIO(files["Profile.csv"])).__next__()) >= {"First Name", "Headline"}
    assert all(count > 0 for count in seen.values()), seen


def test_date_formats_match_the_export() -> None:
    from datetime import UTC, date, datetime

    assert connected_on(date(2026, 2, 8)) == "08 Feb 2026"
    assert sent_at(datetime(2026, 1, 29, 14, 37, tzinfo=UTC)) == "1/29/26, 2:37 PM"
    assert sent_at(datetime(2026, 1, 29, 0, 5, tzinfo=UTC)) == "1/29/26, 12:05 AM"
    assert message_date(datetime(2025, 6, 1, 14, 3, 22, tzinfo=UTC)) == "2025-06-01 14:03:22 UTC"


def test_every_lure_and_hostile_account_in_truth_is_in_some_export(world_dir: Path) -> None:
    truth = json.loads((world_dir / "truth.json").read_text(encoding="utf-8"))
    assert truth["world"] == {**truth["world"], "kind": "organisation", "size": 40, "seed": 11}
    exported_messages: set[tuple[str, str, str]] = set()
    exported_invitations: set[tuple[str, str]] = set()
    senders: set[str] = set()
    for path in (world_dir / "exports").glob("*.zip"):
        with zipfile.ZipFile(path) as archive:
            files = _members(archive)
        for name in ("messages.csv", "Messages.csv"):
            for r in csv.DictReader(io.StringIO(files.get(name, ""))):
                exported_messages.add((r["CONVERSATION ID"], r["SENDER PROFILE URL"], r["DATE"]))
                senders.add(r["SENDER PROFILE URL"])
        for r in csv.DictReader(io.StringIO(files.get("Invitations.csv", ""))):
            exported_invitations.add((r["From"], r["Sent At"]))
            senders.add(r.get("inviterProfileUrl", ""))
        for r in csv.DictReader(io.StringIO(files["Connections.csv"].split("\n", 3)[3])):
            senders.add(r.get("URL", ""))
    lures = [m for m in truth["messages"] if m["lure"]]
    assert lures
    for item in truth["messages"]:
        if item["channel"] == "message":
            assert (item["conversation"], item["sender"], item["date"]) in exported_messages, item
        else:
            from datetime import datetime

            when = datetime.strptime(item["date"], "%Y-%m-%d %H:%M:%S UTC")
            assert (item["sender_name"], sent_at(when)) in exported_invitations, item
    hostile = {h["url"] for h in truth["hostile_accounts"]}
    assert hostile
    # Older exports have no URL columns, so a persona seen only there is matched by name.
    names = {h["name"] for h in truth["hostile_accounts"]}
    assert hostile & senders
    assert all(url in senders or any(name in str(exported_invitations) for name in names) for url in hostile)


def test_every_placeholder_is_filled() -> None:
    world = build_organisation(60, seed=3)
    texts = [m.content for m in world.messages] + [i.note for i in world.invitations]
    assert not [t for t in texts if re.search(r"\{[a-z_]+\}", t)]


def test_truth_names_campaigns_fronts_and_outcomes(world_dir: Path) -> None:
    truth = json.loads((world_dir / "truth.json").read_text(encoding="utf-8"))
    campaigns = {c["id"]: c for c in truth["campaigns"]}
    assert len(campaigns) >= 3
    for account in truth["hostile_accounts"]:
        assert account["campaign"] in campaigns
        assert account["url"] in campaigns[account["campaign"]]["personas"]
    stages = {m["stage"] for m in truth["messages"]}
    assert {"invitation", "offer"} <= stages
    assert any(o["accepted"] for o in truth["staff_outcomes"])
    assert truth["genuine_accounts"]["recruiter"] >= 2
    assert truth["parameters"]["seed"] == 11


def test_hostility_does_not_depend_on_name_origin() -> None:
    """Personas draw names from the same origins, with the same weights, as everyone else."""
    origin_of: dict[str, str] = {}
    for origin in default_banks().origins:
        for first in (*origin.first, *origin.native_first):
            origin_of.setdefault(first, origin.name)
    personas: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for seed in range(4):
        world = build_organisation(300, seed=seed)
        for campaign in world.campaigns:
            personas.update(origin_of[p.first] for p in campaign.personas)
        others.update(origin_of[p.first] for p in world.people.values()
                      if p.kind not in ("persona", "system", "sponsored") and p.first in origin_of)
    n_p, n_o = sum(personas.values()), sum(others.values())
    assert n_p >= 40 and len(personas) >= 8  # personas come from many origins
    distance = 0.5 * sum(abs(personas[k] / n_p - others[k] / n_o) for k in set(personas) | set(others))
    # ~55 personas over 12 origins: sampling noise alone gives ~0.2; one over-represented origin gives far more.
    assert distance < 0.3, (distance, personas)
