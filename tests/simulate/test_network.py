"""Network worlds: Parquet tables, truth, determinism, and generation in bounded memory."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from falsefriends.simulate.network import SCHEMAS, write_network


def test_tables_and_truth_agree(tmp_path: Path) -> None:
    truth = write_network(3000, seed=4, out=tmp_path, chunk=1000)
    for name, schema in SCHEMAS.items():
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.schema.equals(schema, check_metadata=False)
        assert table.num_rows == truth["rows"][name]
    members = pq.read_table(tmp_path / "members.parquet")
    assert members.num_rows == 3000
    assert pq.ParquetFile(tmp_path / "members.parquet").num_row_groups == 3  # one row group per chunk
    hostile = {h["member_id"] for h in truth["hostile_accounts"]}
    assert hostile and hostile <= set(members.column("member_id").to_pylist())
    messages = pq.read_table(tmp_path / "messages.parquet").to_pydict()
    by_id = dict(zip(messages["message_id"], messages["sender_id"], strict=True))
    assert truth["lure_messages"]
    assert all(by_id[m] in hostile for m in truth["lure_messages"])
    invitations = pq.read_table(tmp_path / "invitations.parquet").to_pydict()
    inviter = dict(zip(invitations["invitation_id"], invitations["inviter_id"], strict=True))
    assert all(inviter[i] in hostile for i in truth["lure_invitations"])
    assert json.loads((tmp_path / "truth.json").read_text())["world"]["seed"] == 4
    rows = truth["target_outcomes"]["rows"]
    assert rows and all(r[1] in hostile for r in rows)
    assert sum(r[2] for r in rows) == sum(c["accepted"] for c in truth["campaigns"])
    assert all(r[2] >= r[3] >= r[4] for r in rows)  # moved off-platform only after replying, after accepting
    texts = messages["body"] + [m for m in invitations["message"] if m] + members.column("about").to_pylist()
    assert not [t for t in texts if re.search(r"\{[a-z_]+\}", t)]  # every placeholder was filled
    # Nothing in the tables says who is hostile: only truth.json does.
    assert "hostile" not in " ".join(members.column_names)


def test_same_seed_same_tables(tmp_path: Path) -> None:
    write_network(1500, seed=9, out=tmp_path / "a", chunk=500)
    write_network(1500, seed=9, out=tmp_path / "b", chunk=500)
    for name in SCHEMAS:
        a, b = (pq.read_table(tmp_path / side / f"{name}.parquet") for side in ("a", "b"))
        assert a.equals(b)
    assert (tmp_path / "a" / "truth.json").read_bytes() == (tmp_path / "b" / "truth.json").read_bytes()


_PEAK = """
import resource, sys
from pathlib import Path
from falsefriends.simulate.network import write_network
write_network(int(sys.argv[1]), seed=1, out=Path(sys.argv[2]), chunk=5000)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_kib(members: int, out: Path) -> int:
    done = subprocess.run([sys.executable, "-c", _PEAK, str(members), str(out)], check=True, capture_output=True,
                          text=True)
    return int(done.stdout.strip().splitlines()[-1])


def test_peak_memory_does_not_grow_with_the_number_of_members(tmp_path: Path) -> None:
    small = _peak_kib(10_000, tmp_path / "small")
    large = _peak_kib(60_000, tmp_path / "large")
    # Six times the members, same chunk: the peak may move a little (truth lists, allocator), not scale.
    assert large - small < 48 * 1024, (small, large)
