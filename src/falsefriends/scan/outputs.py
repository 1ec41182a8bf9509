"""A scan's files: scored accounts, campaigns, the review queue (Parquet and JSON), quarantine, summary.

Every file is written to a temporary name and renamed into place, so a scan that fails half-way never
leaves a queue that looks complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from falsefriends.scan.campaigns import ScanCampaign
from falsefriends.scan.result import ACCOUNT_COLUMNS, ScanResult
from falsefriends.scan.summary_html import render_summary

QUEUE_LEVELS = ("medium", "high")
CAMPAIGN_SCHEMA = pa.schema([("campaign", pa.string()), ("members", pa.list_(pa.int64())), ("size", pa.int64()),
                             ("corroborated", pa.bool_()), ("templates", pa.list_(pa.string())),
                             ("shared", pa.list_(pa.string())), ("max_score", pa.float64())])


def sorted_accounts(accounts: pa.Table) -> pa.Table:
    """Highest score first, then member id (both engines order the same way)."""
    return accounts.select(list(ACCOUNT_COLUMNS)).sort_by([("score", "descending"), ("member_id", "ascending")])


def review_queue(accounts: pa.Table, levels: Sequence[str] = QUEUE_LEVELS) -> pa.Table:
    """Accounts at the queue's levels, ranked; `rank` starts at 1."""
    ranked = sorted_accounts(accounts)
    queue = ranked.filter(pc.is_in(ranked.column("level"), value_set=pa.array(list(levels), type=pa.string())))
    return queue.add_column(0, "rank", pa.array(range(1, queue.num_rows + 1), type=pa.int64()))


def queue_records(queue: pa.Table) -> list[dict[str, Any]]:
    rows = []
    for row in queue.to_pylist():
        evidence = json.loads(row["evidence"])
        rows.append({
            "rank": row["rank"], "member_id": row["member_id"], "profile_url": row["profile_url"],
            "score": row["score"], "level": row["level"],
            "indicators": [i for i in (row["indicators"] or "").split(",") if i],
            "evidence": [{k: e.get(k) for k in ("indicator", "rule", "weight", "reason", "excerpt", "message", "field")}
                         for e in evidence],
            "campaign": row["campaign"],
        })
    return rows


def campaigns_table(campaigns: Sequence[ScanCampaign], accounts: pa.Table) -> pa.Table:
    score = dict(zip(accounts.column("member_id").to_pylist(), accounts.column("score").to_pylist(), strict=True))
    return pa.table({
        "campaign": [c.id for c in campaigns], "members": [list(c.members) for c in campaigns],
        "size": [len(c.members) for c in campaigns], "corroborated": [c.corroborated for c in campaigns],
        "templates": [list(c.templates) for c in campaigns], "shared": [list(c.shared) for c in campaigns],
        "max_score": [max((score.get(m, 0.0) for m in c.members), default=0.0) for c in campaigns],
    }, schema=CAMPAIGN_SCHEMA)


def _write(path: Path, write: Any) -> None:
    temporary = path.with_name(f".{path.name}.partial")
    write(temporary)
    os.replace(temporary, path)


def write_outputs(result: ScanResult, out: Path, engine: str) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    accounts = sorted_accounts(result.accounts)
    queue = review_queue(accounts)
    campaigns = campaigns_table(result.campaigns, accounts)
    records = queue_records(queue)
    summary = {"engine": engine, "counts": result.counts, "seeds": result.seeds, "timings_s": result.timings,
               "queue": queue.num_rows, "queue_levels": list(QUEUE_LEVELS),
               "levels": {lvl: int(pc.sum(pc.equal(accounts.column("level"), lvl)).as_py() or 0)
                          for lvl in ("low", "medium", "high")}}
    _write(out / "accounts.parquet", lambda p: pq.write_table(accounts, p, compression="zstd"))
    _write(out / "campaigns.parquet", lambda p: pq.write_table(campaigns, p, compression="zstd"))
    _write(out / "quarantine.parquet", lambda p: pq.write_table(result.quarantine, p, compression="zstd"))
    _write(out / "review_queue.parquet", lambda p: pq.write_table(queue, p, compression="zstd"))
    _write(out / "review_queue.json", lambda p: p.write_text(
        json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"))
    _write(out / "scan.json", lambda p: p.write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n",
                                                     encoding="utf-8"))
    html = render_summary(summary, records[:100], campaigns.to_pylist()[:50], accounts, result.quarantine)
    _write(out / "summary.html", lambda p: p.write_text(html, encoding="utf-8"))
    return summary
