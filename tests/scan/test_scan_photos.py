"""A scan reads members.photo: reuse is P3 evidence and a link in the campaigns; bad images are quarantined.

The network is simulated with photos (`simulate --photos`): each campaign's personas re-upload one picture. The
copy breaks a few photos (not an image, truncated, a decompression bomb's header, a file path) and duplicates a
member with another photo; the local and Spark engines must give the same files.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from falsefriends.scan import run_scan
from falsefriends.scan.contract import ScanInputError
from falsefriends.scan.photos import NOT_A_HASH
from falsefriends.simulate.network import write_network


def _bomb_header(side: int = 15_000) -> bytes:
    """A tiny PNG declaring 15,000 x 15,000 pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("photo-network")
    truth = write_network(2000, 5, out, photos=0.05)
    return out, truth


@pytest.fixture(scope="module")
def broken(world: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, str]]:
    """The network with five members' photos broken and a duplicate member; -> (tables, member -> reason words)."""
    network, truth = world
    out = tmp_path_factory.mktemp("photo-broken")
    for name in ("invitations", "messages", "connections"):
        shutil.copy(network / f"{name}.parquet", out / f"{name}.parquet")
    members = pq.read_table(network / "members.parquet").to_pylist()
    personas = {m for group in truth["photos"]["shared_by_campaign"].values() for m in group}
    genuine = [m for m in members if m["photo"] is not None and m["member_id"] not in personas]
    good = genuine[0]["photo"]
    from PIL import Image

    truncated = io.BytesIO()
    Image.open(io.BytesIO(good)).save(truncated, "PNG")
    bad = {genuine[1]["member_id"]: (b"%PDF-1.4 not an image", "not"),
           genuine[2]["member_id"]: (truncated.getvalue()[: len(truncated.getvalue()) // 2], "truncated"),
           genuine[3]["member_id"]: (_bomb_header(), "pixels")}
    for row in members:
        if row["member_id"] in bad:
            row["photo"] = bad[row["member_id"]][0]
    duplicate = dict(genuine[5])
    duplicate["photo"] = b"garbage for a duplicate member: never read"
    members.append(duplicate)
    pq.write_table(pa.Table.from_pylist(members, schema=pq.read_schema(network / "members.parquet")),
                   out / "members.parquet")
    return out, {m: words for m, (_, words) in bad.items()}


def _quarantine(out: Path) -> list[tuple[Any, ...]]:
    rows = pq.read_table(out / "quarantine.parquet").to_pylist()
    return sorted((r["table"], r["key"], r["column"], r["reason"]) for r in rows)


def test_a_campaigns_shared_photo_is_evidence_and_a_link(world: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    network, truth = world
    summary = run_scan(network, tmp_path)
    planted = sorted(tuple(sorted(g)) for g in truth["photos"]["shared_by_campaign"].values())
    assert planted and summary["counts"]["photo_groups"] == len(planted)
    assert summary["counts"]["photo_sharing_accounts"] == sum(len(g) for g in planted)
    assert summary["counts"]["photos_unreadable"] == 0
    accounts = {r["member_id"]: json.loads(r["evidence"]) for r in pq.read_table(tmp_path / "accounts.parquet")
                .to_pylist()}
    for group in planted:
        for member in group:
            reused = [e for e in accounts[member] if e["rule"] == "photo-reused"]
            assert len(reused) == 1 and reused[0]["indicator"] == "P3"
            others = [f"'member {m}'" for m in group if m != member]
            assert all(o in reused[0]["reason"] for o in others), reused[0]["reason"]
    # Nobody else gets reuse evidence: genuine members' own photos are not linked to anyone.
    sharing = {m for group in planted for m in group}
    assert not [m for m, ev in accounts.items() if m not in sharing and any(e["rule"] == "photo-reused" for e in ev)]
    # In the clusters, the photo is a trace shared by the personas of each planted campaign.
    campaigns = pq.read_table(tmp_path / "campaigns.parquet").to_pylist()
    linked = [c for c in campaigns if any("use photo" in line for line in c["shared"])]
    assert {tuple(c["members"]) for c in linked} <= set(planted)
    assert linked, "no campaign names the shared photo"


def test_bad_photos_are_quarantined_with_the_reason_never_a_crash(broken: tuple[Path, dict[int, str]],
                                                                   tmp_path: Path) -> None:
    tables, bad = broken
    summary = run_scan(tables, tmp_path)
    rows = [r for r in _quarantine(tmp_path) if r[2] == "photo"]
    assert {r[1] for r in rows} == set(bad)
    for _, member, _, reason in rows:
        assert reason.startswith("photo cannot be used: ") and bad[member] in reason, reason
    assert summary["counts"]["photos_unreadable"] == len(bad)
    # The duplicate member's second row is quarantined as a duplicate; its garbage photo is never read.
    assert not [r for r in rows if "garbage" in r[3]]


def test_photo_hashes_in_a_text_column_are_read_and_paths_are_not(world: tuple[Path, dict[str, Any]],
                                                                  tmp_path: Path) -> None:
    from falsefriends.photo.evidence import analyse_photo

    network, truth = world
    tables = tmp_path / "tables"
    tables.mkdir()
    for name in ("invitations", "messages", "connections"):
        shutil.copy(network / f"{name}.parquet", tables / f"{name}.parquet")
    members = pq.read_table(network / "members.parquet")
    texts = [None if v is None else (analyse_photo(v, align=False).key or "") for v in
             members.column("photo").to_pylist()]
    path_member = members.column("member_id")[0].as_py()
    texts[0] = "/etc/passwd"
    members = members.set_column(members.schema.get_field_index("photo"), "photo", pa.array(texts, pa.string()))
    pq.write_table(members, tables / "members.parquet")
    summary = run_scan(tables, tmp_path / "out")
    planted = truth["photos"]["shared_by_campaign"]
    assert summary["counts"]["photo_groups"] == len(planted)
    assert [r for r in _quarantine(tmp_path / "out") if r[2] == "photo"] == [
        ("members", path_member, "photo", NOT_A_HASH)]


def test_a_photo_column_of_another_type_stops_the_scan(world: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    network, _ = world
    for name in ("invitations", "messages", "connections"):
        shutil.copy(network / f"{name}.parquet", tmp_path / f"{name}.parquet")
    members = pq.read_table(network / "members.parquet")
    members = members.set_column(members.schema.get_field_index("photo"), "photo",
                                 pa.array(range(members.num_rows), pa.int64()))
    pq.write_table(members, tmp_path / "members.parquet")
    with pytest.raises(ScanInputError, match="column 'photo'"):
        run_scan(tmp_path, tmp_path / "out")


def test_spark_and_local_read_photos_alike(spark: Any, broken: tuple[Path, dict[int, str]], tmp_path: Path) -> None:
    tables, bad = broken
    local, distributed = tmp_path / "local", tmp_path / "spark"
    run_scan(tables, local)
    run_scan(tables, distributed, engine="spark", master="local[2]")
    queue = (local / "review_queue.json").read_text(encoding="utf-8")
    evidence = pq.read_table(local / "accounts.parquet").column("evidence").to_pylist()
    assert any("photo-reused" in e for e in evidence), "no photo evidence would make the comparison vacuous"
    assert (distributed / "review_queue.json").read_text(encoding="utf-8") == queue
    for name in ("accounts.parquet", "campaigns.parquet", "review_queue.parquet"):
        assert pq.read_table(distributed / name).equals(pq.read_table(local / name)), name
    assert _quarantine(distributed) == _quarantine(local)
    assert {r[1] for r in _quarantine(local) if r[2] == "photo"} == set(bad)
    counts = [json.loads((d / "scan.json").read_text(encoding="utf-8"))["counts"] for d in (local, distributed)]
    assert counts[0] == counts[1] and counts[0]["photo_groups"] > 0
