"""Simulated networks carry generated profile photos; a campaign's shared photo links its personas."""

from __future__ import annotations

import itertools
from pathlib import Path

import pyarrow.parquet as pq

from falsefriends.photo.evidence import table_photo_evidence
from falsefriends.photo.hashes import compare, fingerprint
from falsefriends.photo.synthetic import portrait, reused
from falsefriends.simulate.network import write_network


def test_generated_portraits_differ_and_their_reuploads_match() -> None:
    prints = [fingerprint(portrait(seed)) for seed in range(120)]
    assert sum(compare(a, b) is not None for a, b in itertools.combinations(prints, 2)) <= 1
    assert all(compare(prints[s], fingerprint(reused(portrait(s), 99 + s))) is not None for s in range(60))


def test_a_network_with_photos_links_each_campaigns_personas(tmp_path: Path) -> None:
    plain = write_network(2000, 5, tmp_path / "plain")
    truth = write_network(2000, 5, tmp_path / "photos", photos=0.05)
    members = pq.read_table(tmp_path / "photos" / "members.parquet")
    without = pq.read_table(tmp_path / "plain" / "members.parquet")
    assert "photo" not in without.column_names and "photos" not in plain
    # photos come from their own random stream: the same world otherwise
    assert members.drop_columns(["photo"]).equals(without)
    rows = list(zip((str(m) for m in members.column("member_id").to_pylist()), members.column("photo").to_pylist(),
                    strict=True))
    found = table_photo_evidence(rows, align=False)
    planted = {tuple(sorted(str(m) for m in v)) for v in truth["photos"]["shared_by_campaign"].values()}
    assert planted and set(found.groups) == planted
    assert not found.errors
    for member in truth["photos"]["default_avatar"]:
        assert [e.rule for e in found.evidence[str(member)]] == ["photo-too-plain"]
    persona = next(iter(planted))[0]
    assert any(e.rule == "photo-reused" for e in found.evidence[persona])


def test_unreadable_photos_are_reported_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "ok.jpg").write_bytes(b"")
    found = table_photo_evidence([("a", b"not an image"), ("b", "missing.jpg"), ("c", "https://x.example/p.jpg"),
                                  ("d", None)], base=tmp_path)
    assert set(found.errors) == {"a", "b", "c"} and "not an image" in found.errors["a"]
    assert found.evidence == {} and found.groups == []
