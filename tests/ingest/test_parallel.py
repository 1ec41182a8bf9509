"""Reading many exports: results in the given order, a rejected archive is a value, the rest still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from falsefriends.ingest import linkedin_export
from falsefriends.ingest.archive import ExportError
from falsefriends.ingest.linkedin_export import ExportData, read_export
from falsefriends.ingest.parallel import read_exports
from ingest.export_factory import approach_spec


def test_many_exports_in_order_with_errors_as_values(tmp_path: Path) -> None:
    paths = []
    for index in range(5):
        paths.append(approach_spec(bom=bool(index % 2)).build_zip(tmp_path / f"s{index}.zip"))
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"\x00" * 64)
    paths.insert(2, junk)
    results = list(read_exports(paths, workers=2))
    assert [path for path, _ in results] == paths
    assert isinstance(results[2][1], ExportError) and "junk.zip" in str(results[2][1])
    good = [data for _, data in results if isinstance(data, ExportData)]
    assert len(good) == 5 and all(len(data.messages) == 2 for data in good)


def test_an_unexpected_failure_rejects_that_archive_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = approach_spec().build_zip(tmp_path / "a.zip")

    def explode(*_args: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(linkedin_export, "_build", explode)
    with pytest.raises(ExportError, match=r"a\.zip: could not be read \(RecursionError"):
        read_export(path)
