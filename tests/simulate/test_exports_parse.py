"""Format fidelity: the real LinkedIn export parser reads every simulated export without loss."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from falsefriends.ingest.linkedin_export import read_export
from falsefriends.ingest.roster import read_roster
from falsefriends.model import Channel, Direction
from falsefriends.simulate import build_organisation, write_organisation


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("org-parse")
    write_organisation(build_organisation(30, seed=21), out)
    return out


def _raw_rows(archive: zipfile.ZipFile, base: str) -> int:
    for name in archive.namelist():
        if name.rsplit("/", 1)[-1].lower() == base:
            text = archive.read(name).decode("utf-8-sig")
            if base == "connections.csv":
                text = text.split("\n", 3)[3]
            return sum(1 for _ in csv.DictReader(io.StringIO(text)))
    return 0


def test_roster_reads_without_quarantine(world_dir: Path) -> None:
    staff, report = read_roster(world_dir / "roster.csv")
    assert len(staff) == 30 and report.rows_quarantined == 0
    assert all(s.sector is not None and s.profile_url for s in staff)


def test_every_export_parses_fully_whatever_its_version(world_dir: Path) -> None:
    staff, _ = read_roster(world_dir / "roster.csv")
    versions = set()
    for member in staff:
        path = world_dir / "exports" / (member.export_file or "")
        data = read_export(path)
        assert data.report.rows_quarantined == 0, data.report.quarantine[:3]
        assert data.owner.name == member.name
        with zipfile.ZipFile(path) as archive:
            assert len(data.connections) == _raw_rows(archive, "connections.csv")
            assert len(data.messages) == _raw_rows(archive, "messages.csv")
            assert len(data.invitations) == _raw_rows(archive, "invitations.csv")
            header = archive.read(next(n for n in archive.namelist() if n.endswith("Connections.csv")))
            versions.add(("URL" in header.decode("utf-8-sig").split("\n")[3], "/" in archive.namelist()[0],
                          header.startswith(b"\xef\xbb\xbf")))
        assert all(m.sent_at is not None and m.sent_at.tzinfo is not None for m in data.messages)
        assert all(m.direction in (Direction.INCOMING, Direction.OUTGOING) for m in data.invitations)
        assert all("<p>" not in m.body and "<br>" not in m.body for m in data.messages)  # HTML became text
        assert all(c.connected_on is not None for c in data.connections)
    # Old exports without URLs, exports in a sub-folder and exports with a BOM were all read.
    assert {v[0] for v in versions} == {True, False}
    assert {v[1] for v in versions} == {True, False}
    assert {v[2] for v in versions} == {True, False}


def test_system_messages_and_invitations_keep_their_channel(world_dir: Path) -> None:
    channels = set()
    for path in sorted((world_dir / "exports").glob("*.zip")):
        data = read_export(path)
        channels |= {m.channel for m in data.messages} | {m.channel for m in data.invitations}
    assert {Channel.MESSAGE, Channel.INVITATION} <= channels
