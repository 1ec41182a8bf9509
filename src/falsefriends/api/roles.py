"""Roles and what each may do: viewer < analyst < admin."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """`viewer` checks messages and reads rules and aggregate figures; `analyst` also sees accounts, staff
    exposure and cases, runs audits and edits the watchlist; `admin` also manages users."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


_RANK = {Role.VIEWER: 0, Role.ANALYST: 1, Role.ADMIN: 2}
