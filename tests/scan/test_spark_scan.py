"""The Spark engine (local[2]) gives the same results as the local engine on one simulated network.

The network is the hostile copy (broken rows, markup in the lures), so quarantine is compared too.
Spark needs Java 17+: the test installs Debian's headless JRE when it is missing (as root), and skips,
saying why, only when it cannot be had.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from falsefriends.scan import run_scan
from tests.scan.hostile_copy import hostile_copy

pytest.importorskip("pyspark", reason="pip install pyspark (the test extra)")


def _quarantine(out: Path) -> list[tuple[Any, ...]]:
    rows = pq.read_table(out / "quarantine.parquet").to_pylist()
    return sorted((r["table"], r["key"], r["column"], r["reason"]) for r in rows)


def test_spark_and_local_give_the_same_queue(spark: Any, network: Path, tmp_path: Path) -> None:
    tables = hostile_copy(network, tmp_path / "tables")
    local, distributed = tmp_path / "local", tmp_path / "spark"
    run_scan(tables, local)
    steps: list[str] = []
    run_scan(tables, distributed, engine="spark", master="local[2]",
             progress=lambda step, done, total: steps.append(step))
    assert "trust propagation" in steps
    queue = (local / "review_queue.json").read_text(encoding="utf-8")
    assert json.loads(queue), "an empty queue would make the comparison vacuous"
    assert (distributed / "review_queue.json").read_text(encoding="utf-8") == queue
    for name in ("accounts.parquet", "campaigns.parquet", "review_queue.parquet"):
        assert pq.read_table(distributed / name).equals(pq.read_table(local / name)), name
    assert _quarantine(distributed) == _quarantine(local)
    assert len(_quarantine(local)) == 6
    counts = [json.loads((d / "scan.json").read_text(encoding="utf-8"))["counts"] for d in (local, distributed)]
    assert counts[0] == counts[1]
