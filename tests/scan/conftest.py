"""What the scan tests share: a small simulated network (generated once per session) and one Spark session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from falsefriends.simulate.network import write_network
from tests.scan.java import java_or_reason

MEMBERS = 2_000


@pytest.fixture(scope="session")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("network")
    write_network(MEMBERS, 5, out)
    return out


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """Spark `local[2]` with two partitions, started once for every Spark test; skipped, with the reason, where
    pyspark or a Java runtime cannot be had."""
    pytest.importorskip("pyspark", reason="pip install pyspark (the test extra)")
    why = java_or_reason()
    if why:
        pytest.skip(why)
    from falsefriends.scan.spark_engine import session

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FALSEFRIENDS_SPARK_PARTITIONS", "2")
        active = session("local[2]")
    yield active
    active.stop()
