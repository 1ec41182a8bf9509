"""How good a review queue is against a simulated network's truth.json (for tests, benchmarks and docs).

Precision at k: the share of hostile accounts among the first k of the queue (k capped at the queue's
length, which is then said). R-precision: precision at k = the number of hostile accounts. Recall: the
share of the network's hostile accounts that are in the queue.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def queue_quality(queue_ids: Sequence[int], truth_path: Path, ks: Sequence[int] = (100, 1000)) -> dict[str, Any]:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    hostile = {int(h["member_id"]) for h in truth["hostile_accounts"]}
    found = [m in hostile for m in queue_ids]
    out: dict[str, Any] = {"queue": len(queue_ids), "hostile": len(hostile),
                           "hostile_in_queue": sum(found),
                           "recall": round(sum(found) / len(hostile), 4) if hostile else None}
    for k in ks:
        top = found[:k]
        out[f"precision_at_{k}"] = round(sum(top) / len(top), 4) if top else None
        out[f"k_{k}"] = len(top)
    # R-precision: precision at k = the number of hostile accounts (P@100 cannot exceed 0.5 with 50 of them).
    top = found[:len(hostile)]
    out["r_precision"] = round(sum(top) / len(top), 4) if top else None
    return out


def quality_of_scan(out: Path, truth_path: Path, ks: Sequence[int] = (100, 1000)) -> dict[str, Any]:
    """Quality of the review_queue.json in a scan's output directory."""
    queue = json.loads((out / "review_queue.json").read_text(encoding="utf-8"))
    return queue_quality([int(r["member_id"]) for r in queue], truth_path, ks)
