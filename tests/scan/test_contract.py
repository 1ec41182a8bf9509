"""The input contract: clear errors for missing tables, columns and types; bad rows quarantined and counted;
adversary text escaped in the HTML summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from falsefriends.cli import app
from falsefriends.scan import run_scan
from falsefriends.scan.contract import ScanInputError
from tests.scan.hostile_copy import SCRIPT, hostile_copy


def _copy(network: Path, tmp_path: Path) -> Path:
    out = tmp_path / "tables"
    shutil.copytree(network, out)
    return out


def test_missing_table_names_it(network: Path, tmp_path: Path) -> None:
    tables = _copy(network, tmp_path)
    (tables / "connections.parquet").unlink()
    with pytest.raises(ScanInputError, match=r"connections\.parquet: missing"):
        run_scan(tables, tmp_path / "out")


def test_missing_column_names_table_and_column(network: Path, tmp_path: Path) -> None:
    tables = _copy(network, tmp_path)
    data = pq.read_table(tables / "messages.parquet").drop_columns(["body"])
    pq.write_table(data, tables / "messages.parquet")
    with pytest.raises(ScanInputError, match=r"table messages has no column 'body'"):
        run_scan(tables, tmp_path / "out")


def test_wrong_type_names_table_column_and_types(network: Path, tmp_path: Path) -> None:
    tables = _copy(network, tmp_path)
    data = pq.read_table(tables / "members.parquet")
    data = data.set_column(0, "member_id", data.column("member_id").cast(pa.string()))
    pq.write_table(data, tables / "members.parquet")
    with pytest.raises(ScanInputError, match=r"table members, column 'member_id' has type string, expected int64"):
        run_scan(tables, tmp_path / "out")


def test_cli_reports_bad_input_in_one_line(network: Path, tmp_path: Path) -> None:
    tables = _copy(network, tmp_path)
    (tables / "members.parquet").unlink()
    result = CliRunner().invoke(app, ["scan", str(tables), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2
    assert "members.parquet: missing" in result.output


@pytest.fixture(scope="module")
def hostile_scan(network: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tables = hostile_copy(network, tmp_path_factory.mktemp("hostile"))
    out = tmp_path_factory.mktemp("hostile-out")
    run_scan(tables, out)
    return tables, out


def test_bad_rows_are_quarantined_with_table_row_column_and_reason(hostile_scan: tuple[Path, Path]) -> None:
    tables, out = hostile_scan
    rows = pq.read_table(out / "quarantine.parquet").to_pylist()
    found = {(r["table"], r["column"]): r for r in rows}
    assert len(rows) == 6, rows
    assert found[("messages", "sender_id")]["reason"] == "sender_id is empty"
    assert found[("messages", "recipient_id")]["reason"] == "recipient_id names no member of members.parquet"
    assert found[("messages", "body")]["reason"].startswith("body is longer than")
    assert found[("invitations", "inviter_id")]["key"] == 0
    assert found[("members", "connections")]["row"] == 3
    duplicate = found[("members", "member_id")]
    assert duplicate["reason"] == "member_id appears earlier in the table"
    assert duplicate["row"] == pq.read_table(tables / "members.parquet").num_rows - 1
    summary = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert summary["counts"]["quarantined"] == 6


def test_summary_escapes_adversary_text(hostile_scan: tuple[Path, Path]) -> None:
    _, out = hostile_scan
    queue = json.loads((out / "review_queue.json").read_text(encoding="utf-8"))
    assert any(SCRIPT in row["profile_url"] for row in queue), "the hostile URLs should reach the queue as data"
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html
    assert "Content-Security-Policy" in html
