"""What either engine hands back: the scored accounts, the campaigns and the counts, engine-neutral."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from falsefriends.scan.campaigns import ScanCampaign

Progress = Callable[[str, int, int], None]
"""progress(step, done, total): called as long steps advance (total 0 when unknown)."""


def no_progress(step: str, done: int, total: int) -> None:
    return None


@dataclass
class ScanResult:
    accounts: pa.Table  # records.FUSED_OUT plus profile_url and campaign
    campaigns: list[ScanCampaign]
    quarantine: pa.Table
    counts: dict[str, Any] = field(default_factory=dict)
    seeds: str = ""
    timings: dict[str, float] = field(default_factory=dict)


ACCOUNT_COLUMNS = ("member_id", "profile_url", "score", "level", "indicators", "evidence", "campaign")
