"""A copy of a simulated network with broken rows and script-bearing texts, for the contract tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from falsefriends.scan.contract import MAX_TEXT

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src=x onerror="alert(2)">'
# (table, key, column) of every row the copy breaks; the reason is checked by the tests.
BROKEN = {("messages", 0, "sender_id"), ("messages", 1, "recipient_id"), ("messages", 2, "body"),
          ("invitations", 0, "inviter_id"), ("members", -1, "member_id"), ("members", 3, "connections")}


def hostile_copy(network: Path, out: Path) -> Path:
    """Break one row per rule and put markup in every lure of the planted personas."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(network / "truth.json", out / "truth.json")
    shutil.copy(network / "connections.parquet", out / "connections.parquet")
    truth = json.loads((network / "truth.json").read_text(encoding="utf-8"))
    lures = set(truth["lure_messages"])
    hostile = {h["member_id"] for h in truth["hostile_accounts"]}

    messages = pq.read_table(network / "messages.parquet").to_pylist()
    by_id = {m["message_id"]: m for m in messages}
    by_id[0]["sender_id"] = None
    by_id[1]["recipient_id"] = 10**12
    by_id[2]["body"] = "x" * (MAX_TEXT + 1)
    for m in messages:
        if m["message_id"] in lures:
            m["body"] = f"{m['body']} {SCRIPT}"
    pq.write_table(pa.Table.from_pylist(messages, schema=pq.read_schema(network / "messages.parquet")),
                   out / "messages.parquet")

    invitations = pq.read_table(network / "invitations.parquet").to_pylist()
    invitations[0]["inviter_id"] = 10**12 + 1
    pq.write_table(pa.Table.from_pylist(invitations, schema=pq.read_schema(network / "invitations.parquet")),
                   out / "invitations.parquet")

    members = pq.read_table(network / "members.parquet").to_pylist()
    members[3]["connections"] = -5
    for m in members:
        if m["member_id"] in hostile:
            m["headline"] = f"{IMAGE} {m['headline']}"
            m["profile_url"] = f"{m['profile_url']}/{SCRIPT}"
    members.append(dict(members[10]))  # a duplicate member id
    pq.write_table(pa.Table.from_pylist(members, schema=pq.read_schema(network / "members.parquet")),
                   out / "members.parquet")
    return out
