"""No staff data leaves in any export; export -> import keeps every persona, organisation and template."""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePath

import pytest

from falsefriends.share.importer import read_shared
from falsefriends.share.service import export_document
from falsefriends.watchlist.entries import EntryKind
from falsefriends.watchlist.identifiers import canonical

from .conftest import World, cli


@pytest.mark.parametrize("level", ["high", "medium"])
@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_no_roster_name_url_id_or_export_file_in_any_output(world: World, tmp_path: Path, fmt: str,
                                                            level: str) -> None:
    out = tmp_path / f"out.{fmt}.json"
    cli("share", "export", "--findings", str(world.findings_path), "--format", fmt, "--level", level,
        "--out", str(out))
    text = out.read_text(encoding="utf-8")
    folded = text.casefold()
    decoded = json.dumps(json.loads(text), ensure_ascii=False).casefold()
    roster = world.roster()
    assert len(roster) == 30
    for row in roster:
        for value in (row["name"], row["profile_url"], row["export_file"], PurePath(row["export_file"]).stem):
            if value:
                assert value.casefold() not in folded and value.casefold() not in decoded, value
        slug = row["profile_url"].rstrip("/").rsplit("/", 1)[-1]
        assert slug.casefold() not in decoded
        assert f'"{row["staff_id"]}"' not in text and f"{row['staff_id']} " not in text
    # what may leave: counts of staff approached
    assert '"count"' in text or "staff approached" in text


def test_round_trip_keeps_every_persona_organisation_and_template(world: World, tmp_path: Path) -> None:
    findings = world.findings
    flagged = [a for a in findings["accounts"] if a["level"] in ("high", "medium")]
    for fmt in ("stix", "misp"):
        path = tmp_path / f"shared.{fmt}.json"
        path.write_text(export_document(findings, fmt, level="medium", tlp="green"), encoding="utf-8")
        result = read_shared([path])
        personas = [e for e in result.entries if e.kind is EntryKind.PERSONA]
        # An outside account that bears a staff member's name (a namesake, or a persona impersonating one) leaves
        # under a `staff-` pseudonym, never with the staff name: names are scrubbed before they leave.
        staff_names = {row["name"] for row in world.roster()}
        shared = sorted(e.name for e in personas)
        kept = sorted(a["name"] for a in flagged if a["name"] not in staff_names)
        scrubbed = [n for n in shared if re.fullmatch(r"staff-[0-9a-f]{10}", n)]
        assert sorted(n for n in shared if n not in scrubbed) == kept
        assert len(scrubbed) == sum(a["name"] in staff_names for a in flagged)
        assert not staff_names & set(shared)
        urls = {canonical(i.kind, i.value) for e in personas for i in e.identifiers}
        assert urls == {canonical(personas[0].identifiers[0].kind, a["url"]) for a in flagged if a["url"]}
        organisations = {e.name for e in result.entries if e.kind is EntryKind.ORGANISATION}
        assert organisations == {a["employer"] for a in flagged if a["employer"]}
        assert all(not e.front for e in result.entries if e.kind is EntryKind.ORGANISATION)
        assert sorted(e.employer or "" for e in personas) == sorted(a["employer"] or "" for a in flagged)
        expected = {(c["id"], t["id"], t["text"]) for c in findings["campaigns"]
                    if c["level"] in ("high", "medium") and set(c["accounts"]) & {a["account"] for a in flagged}
                    for t in c.get("template_records", [])}
        got = {(t["campaign"], t["template"]["id"], t["template"]["text"]) for t in result.templates}
        assert got == expected and expected
        provenance = personas[0].provenance[0]
        assert provenance.source == "falsefriends workspace" and provenance.note == "TLP:GREEN"
        assert provenance.date == findings["generated_at"][:10]


def test_import_of_a_misp_feed_folder_and_the_templates_file(world: World, tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "manifest.json").write_text("{}", encoding="utf-8")
    cli("share", "export", "--findings", str(world.findings_path), "--format", "misp", "--out",
        str(feed / "event.json"))
    templates = tmp_path / "templates.json"
    out = cli("share", "import", str(feed), "--db", str(tmp_path / "b.db"), "--templates-out", str(templates))
    assert "1 files" in out and "added" in out
    from falsefriends.correlate.known import KnownTemplates

    assert len(KnownTemplates.load(templates)) > 0
    listed = cli("watchlist", "list", "--db", str(tmp_path / "b.db"), "--kind", "persona")
    high = [a for a in world.findings["accounts"] if a["level"] == "high"]
    assert all(a["name"].split()[0] in listed for a in high)
