"""Fairness of the scan: renaming every member (other scripts, other apparent origins) changes no score.

The scan's own signals (templates, fan-out, trust, clusters) never read a name; the profile check's rules
do not either (tests/test_fairness.py). Names on the bundled watchlist are left out of the list on
purpose, as there.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from falsefriends.scan import run_scan
from tests.test_fairness import NAMES


def _renamed(network: Path, out: Path, names: list[str]) -> Path:
    out.mkdir()
    for path in network.iterdir():
        if path.name != "members.parquet":
            (out / path.name).write_bytes(path.read_bytes())
    members = pq.read_table(network / "members.parquet")
    first = [names[i % len(names)].split(" ")[0] for i in range(members.num_rows)]
    last = [[*names[(i * 7 + 3) % len(names)].split(" "), ""][1] for i in range(members.num_rows)]
    members = members.set_column(members.schema.get_field_index("first_name"), "first_name", pa.array(first))
    members = members.set_column(members.schema.get_field_index("last_name"), "last_name", pa.array(last))
    pq.write_table(members, out / "members.parquet")
    return out


def test_renaming_every_member_changes_no_score(network: Path, tmp_path: Path) -> None:
    scores = []
    for label, names in (("one-name", ["John Smith"]), ("many-scripts", NAMES), ("reversed", NAMES[::-1])):
        out = tmp_path / f"out-{label}"
        run_scan(_renamed(network, tmp_path / label, names), out)
        table = pq.read_table(out / "accounts.parquet").select(["member_id", "score", "level", "indicators"])
        scores.append(table)
    assert scores[0].num_rows > 0
    assert scores[1].equals(scores[0])
    assert scores[2].equals(scores[0])
