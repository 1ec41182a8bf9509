"""Hostile archives are rejected whole with a reason, and never stop the other exports from being read."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from falsefriends.ingest.archive import ArchiveLimits, ExportError, open_export
from falsefriends.ingest.linkedin_export import read_export
from ingest.export_factory import approach_spec

SMALL = ArchiveLimits(max_member_bytes=200_000, max_total_bytes=300_000, ratio_floor_bytes=10_000, max_ratio=50)


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_bomb_by_ratio_is_rejected(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.zip", {"export/messages.csv": b"CONVERSATION ID,CONTENT\n" + b"A" * 150_000})
    with pytest.raises(ExportError, match="compression ratio"):
        read_export(bomb, limits=SMALL)


def test_zip_bomb_by_size_is_rejected(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "big.zip", {"Connections.csv": b"x" * 250_000}, zipfile.ZIP_STORED)
    with pytest.raises(ExportError, match="limit"):
        read_export(bomb, limits=SMALL)


def test_total_size_across_members_is_limited(tmp_path: Path) -> None:
    members = {f"part{i}/messages.csv": bytes(range(256)) * 600 for i in range(3)}
    archive = _zip(tmp_path / "many.zip", members, zipfile.ZIP_STORED)
    with pytest.raises(ExportError, match="in all"):
        open_export(archive, SMALL)


def test_a_member_lying_about_its_size_is_stopped_while_reading(tmp_path: Path) -> None:
    path = _zip(tmp_path / "liar.zip", {"messages.csv": b"CONVERSATION ID,CONTENT\n" + b"B" * 150_000})
    # Rewrite the declared sizes in the central directory to look tiny.
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError):
        read_export(path, limits=SMALL)


@pytest.mark.parametrize("name", ["../evil.csv", "/etc/passwd", "a/../../b.csv", "C:/x.csv", "..\\win.csv"])
def test_path_traversal_names_are_rejected(tmp_path: Path, name: str) -> None:
    archive = _zip(tmp_path / "trav.zip", {"Connections.csv": b"First Name,Last Name\n", name: b"x"})
    with pytest.raises(ExportError, match="unsafe member name"):
        read_export(archive)


def test_symlink_members_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("export/messages.csv")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(ExportError, match="symbolic link"):
        read_export(path)


def test_symlinks_inside_an_export_folder_are_rejected(tmp_path: Path) -> None:
    folder = approach_spec().build_folder(tmp_path / "export")
    (folder / "Basic_LinkedInDataExport_02-08-2026" / "Skills.csv").symlink_to("/etc/passwd")
    with pytest.raises(ExportError, match="symbolic link"):
        read_export(folder)


def test_truncated_archive_is_rejected(tmp_path: Path) -> None:
    whole = approach_spec().build_zip(tmp_path / "whole.zip").read_bytes()
    for cut in (len(whole) // 3, len(whole) - 30):
        truncated = tmp_path / f"cut{cut}.zip"
        truncated.write_bytes(whole[:cut])
        with pytest.raises(ExportError):
            read_export(truncated)


def test_corrupt_member_data_is_rejected(tmp_path: Path) -> None:
    path = approach_spec().build_zip(tmp_path / "corrupt.zip")
    data = bytearray(path.read_bytes())
    # Flip bytes inside the first member's compressed data: CRC or inflate fails.
    for offset in range(60, 90):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError):
        read_export(path)


@pytest.mark.parametrize("junk", [b"", b"\x00" * 100, b"PK\x03\x04garbage", bytes(range(256)) * 4, b"not a zip"])
def test_binary_junk_is_rejected_with_a_reason(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / "junk.zip"
    path.write_bytes(junk)
    with pytest.raises(ExportError, match="ZIP"):
        read_export(path)


def test_encrypted_members_are_rejected(tmp_path: Path) -> None:
    path = _zip(tmp_path / "enc.zip", {"messages.csv": b"x"})
    data = bytearray(path.read_bytes())
    data[6] |= 1  # local header flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError, match="encrypted"):
        read_export(path)


def test_one_bad_archive_does_not_stop_the_others(tmp_path: Path) -> None:
    good = approach_spec().build_zip(tmp_path / "good.zip")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"\x00junk")
    results: dict[str, str] = {}
    for path in (bad, good):
        try:
            results[path.name] = f"{len(read_export(path).messages)} messages"
        except ExportError as why:
            results[path.name] = f"rejected: {why}"
    assert results["good.zip"] == "2 messages"
    assert results["bad.zip"].startswith("rejected:") and "bad.zip" in results["bad.zip"]


def test_non_utf8_and_huge_fields_are_quarantined_not_fatal(tmp_path: Path) -> None:
    spec = approach_spec()
    files = spec.files()
    name = next(n for n in files if n.endswith("messages.csv"))
    files[name] += b'c9,,Mallory,,,,2026-01-01 10:00:00 UTC,,"\xff\xfe bad bytes \xc3\xa9",INBOX,,,\r\n'
    files[name] += b'c10,,Mallory,,,,2026-01-01 10:00:00 UTC,,"' + b"Z" * 5000 + b'",INBOX,,,\r\n'
    path = _zip(tmp_path / "mixed.zip", files)
    data = read_export(path, limits=ArchiveLimits(max_field_bytes=1000))
    reasons = sorted(q.reason for q in data.report.quarantine)
    assert len(data.messages) == 2
    assert any("UTF-8" in r for r in reasons)
    assert any("field larger than field limit" in r for r in reasons)
    assert data.report.rows_read == data.report.rows_accepted + data.report.rows_quarantined


_GOOD = approach_spec().files()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_archives_are_read_or_rejected_never_crash(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    path = _zip(tmp_path / "m.zip", _GOOD)
    data = bytearray(path.read_bytes())
    for offset, value in flips:
        data[offset % len(data)] = value
    path.write_bytes(bytes(data))
    try:
        result = read_export(path)
    except ExportError as why:
        assert "m.zip" in str(why)
    else:
        assert result.report.rows_read == result.report.rows_accepted + result.report.rows_quarantined
