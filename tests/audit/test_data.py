"""Audit inputs: one spelling per identity, exports matched to the roster, sources expanded."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from falsefriends.audit.data import normalise_key
from falsefriends.audit.sources import expand_sources


@pytest.mark.parametrize("raw", [
    "https://www.linkedin.com/in/Jane-Smith-9/", "http://linkedin.com/in/jane-smith-9?trk=x",
    "fr.linkedin.com/in/jane-smith-9/details/experience", "www.linkedin.com/in/jane-smith-9#about",
])
def test_profile_urls_have_one_spelling(raw: str) -> None:
    assert normalise_key(raw) == "https://www.linkedin.com/in/jane-smith-9"


def test_non_url_keys_are_kept() -> None:
    assert normalise_key("name+employer:abc") == "name+employer:abc"
    assert normalise_key("  ") is None and normalise_key(None) is None


def test_sources_expand_zips_and_export_folders(tmp_path: Path) -> None:
    for name in ("b.zip", "a.ZIP"):
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            archive.writestr("Connections.csv", "")
    unzipped = tmp_path / "c_export" / "Basic_LinkedInDataExport"
    unzipped.mkdir(parents=True)
    (unzipped / "messages.csv").write_text("")
    (tmp_path / "notes.txt").write_text("")
    found, problems = expand_sources([tmp_path])
    assert [p.name for p in found] == ["a.ZIP", "b.zip", "c_export"]
    assert problems == []
    found, _ = expand_sources([unzipped])
    assert found == [unzipped]


def test_sources_report_what_holds_no_export(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    found, problems = expand_sources([tmp_path / "empty", tmp_path / "missing.zip", tmp_path / "link"])
    assert found == []
    assert [p.split(": ", 1)[1] for p in problems] == [
        "no ZIP file and no LinkedIn export file in this folder", "no such file or folder",
        "symbolic link not followed"]
