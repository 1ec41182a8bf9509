"""SybilRank seeds: the default rule is reproducible and reads nothing about the person; a seed file is
checked line by line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from falsefriends.scan import run_scan
from falsefriends.scan.seeds import MIN_AGE_DAYS, default_seed_mask, read_seed_file


def test_default_rule_takes_old_accounts_by_a_hash_of_the_id() -> None:
    ids = np.arange(100_000, dtype=np.int64)
    days = np.where(ids % 2 == 0, 10_000.0, 10_000.0 + MIN_AGE_DAYS)
    days[-1] = np.nan
    mask = default_seed_mask(ids, days, newest=10_000.0 + MIN_AGE_DAYS)
    assert not mask[1::2].any(), "accounts younger than the minimum age are never seeds"
    share = mask[0::2].mean()
    assert 0.008 < share < 0.012
    assert (default_seed_mask(ids, days, newest=10_000.0 + MIN_AGE_DAYS) == mask).all()


def test_seed_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "seeds.txt"
    path.write_text("# verified\n12\n\n13 # staff\nabc\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"seeds\.txt, line 5: not a member id: 'abc'"):
        read_seed_file(path)
    path.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no member ids"):
        read_seed_file(path)
    path.write_text("13\n12 # staff\n12\n", encoding="utf-8")
    assert read_seed_file(path).tolist() == [12, 13]


def test_a_seed_file_replaces_the_default_rule(network: Path, tmp_path: Path) -> None:
    members = pq.read_table(network / "members.parquet", columns=["member_id"]).column("member_id").to_pylist()
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("\n".join(str(m) for m in members[:50]) + "\n", encoding="utf-8")
    summary = run_scan(network, tmp_path / "out", seeds=seeds)
    assert summary["counts"]["seeds"] == 50
    assert summary["seeds"] == "the member ids of the seed file"
    assert json.loads((tmp_path / "out" / "review_queue.json").read_text(encoding="utf-8"))
