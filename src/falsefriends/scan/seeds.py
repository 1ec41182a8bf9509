"""Trusted seed accounts for SybilRank: given by the platform, or a stated default rule.

A platform knows which members it trusts (verified identities, long-standing employees' accounts) and
passes them with `--seeds FILE` (one member id per line). Without one, the scan takes a reproducible 1%
of the accounts at least three years old (by a hash of the member id, not by anything about the person):
fake profiles are mostly recent, so old accounts are a reasonable, stated, imperfect trust anchor.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from falsefriends.correlate.minhash import splitmix64

MIN_AGE_DAYS = 3 * 365
SHARE_PER_MILLE = 10
DEFAULT_RULE = (f"1% of the members whose account is at least {MIN_AGE_DAYS // 365} years older than the newest"
                " account, chosen by a hash of the member id")


def seed_hash_bucket(member_ids: NDArray[np.int64]) -> NDArray[np.int64]:
    """splitmix64(member id) mod 1000: the default rule's reproducible draw (the same on every engine)."""
    with np.errstate(over="ignore"):
        mixed = splitmix64(member_ids.astype(np.uint64) + np.uint64(0x5EED))
    return (mixed % np.uint64(1000)).astype(np.int64)


def newest_day(created_days: NDArray[np.float64]) -> float:
    return float(np.nanmax(created_days)) if np.isfinite(created_days).any() else 0.0


def default_seed_mask(member_ids: NDArray[np.int64], created_days: NDArray[np.float64], newest: float
                      ) -> NDArray[np.bool_]:
    """Members chosen by the default rule; `created_days` is the creation date in days since 1970 (NaN when
    unknown), `newest` the newest creation day of the whole table."""
    if len(member_ids) == 0:
        return np.zeros(0, dtype=bool)
    old = np.isfinite(created_days) & (created_days <= newest - MIN_AGE_DAYS)
    return old & (seed_hash_bucket(member_ids) < SHARE_PER_MILLE)


def read_seed_file(path: Path) -> NDArray[np.int64]:
    """Member ids, one per line (blank lines and # comments ignored); a bad line is an error naming it."""
    ids: list[int] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            try:
                ids.append(int(text))
            except ValueError:
                raise ValueError(f"{path}, line {number}: not a member id: {text[:40]!r}") from None
    if not ids:
        raise ValueError(f"{path}: no member ids")
    return np.unique(np.asarray(ids, dtype=np.int64))
