"""Targeting: whom each outside account approached, across which departments and sectors, over what time.

Also the "credibility laundering" pattern (DGSI 2018): each connection a persona gets accepted makes it
look familiar to the target's colleagues, so later targets see mutual connections. For every approach
we count the persona's staff connections accepted before it, how many sit in the target's department,
and how many are connected to the target (mutual connections), when staff-to-staff links are known.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from falsefriends.model import Connection, Direction, Evidence, Message, Sector, StaffMember

UNKNOWN_SECTOR = "unknown"


def staff_index(roster: Iterable[StaffMember]) -> dict[str, StaffMember]:
    """Staff by every key that messages and connections may use: staff id and profile URL."""
    index: dict[str, StaffMember] = {}
    for member in roster:
        index[member.staff_id] = member
        if member.profile_url:
            index[member.profile_url] = member
    return index


@dataclass(frozen=True, slots=True)
class Approach:
    """One message from an outside account to one staff member."""

    account: str
    target: str
    at: datetime | None
    message: str


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Naive times taken as UTC: exports mix naive and zone-aware times, which do not compare."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def approaches(messages: Iterable[Message], staff: Mapping[str, StaffMember]) -> list[Approach]:
    """Messages received by staff from senders outside the staff, one per (message, staff recipient).

    Targets are reported by staff id, whatever key the message used; naive times are taken as UTC.
    """
    found: list[Approach] = []
    for message in messages:
        if message.direction == Direction.OUTGOING or not message.sender or message.sender in staff:
            continue
        for recipient in dict.fromkeys(message.recipients):
            member = staff.get(recipient)
            if member is not None:
                found.append(Approach(message.sender, member.staff_id, as_utc(message.sent_at), message.id))
    return found


@dataclass(frozen=True)
class AccountTargeting:
    """What one outside account did to the organisation."""

    account: str
    approaches: int
    staff: tuple[str, ...]
    departments: tuple[str, ...]
    sectors: dict[str, int]
    first: datetime | None
    last: datetime | None

    @property
    def span_days(self) -> float:
        if self.first is None or self.last is None:
            return 0.0
        return (self.last - self.first).total_seconds() / 86400.0

    @property
    def staff_per_week(self) -> float:
        """Fan-out rate: distinct staff approached per week of activity (a single day counts as one)."""
        return len(self.staff) / max(self.span_days / 7.0, 1.0 / 7.0)


def sector_split(targets: Iterable[str], staff: Mapping[str, StaffMember]) -> dict[str, int]:
    """Distinct targets per sector ("state", "business", "unknown"), the split French reporting used."""
    split = {Sector.STATE.value: 0, Sector.BUSINESS.value: 0, UNKNOWN_SECTOR: 0}
    for target in dict.fromkeys(targets):
        member = staff.get(target)
        sector = member.sector.value if member is not None and member.sector is not None else UNKNOWN_SECTOR
        split[sector] += 1
    return split


def sector_shares(split: Mapping[str, int]) -> dict[str, float]:
    """Shares of the targets of known sector (state/business), e.g. {"state": 0.52, "business": 0.48}."""
    known = split.get(Sector.STATE.value, 0) + split.get(Sector.BUSINESS.value, 0)
    if known == 0:
        return {}
    return {s: split.get(s, 0) / known for s in (Sector.STATE.value, Sector.BUSINESS.value)}


def targeting_by_account(
    messages: Iterable[Message], staff: Mapping[str, StaffMember]
) -> dict[str, AccountTargeting]:
    """Per outside account: approaches, distinct staff, departments, sectors and time span."""
    by_account: dict[str, list[Approach]] = defaultdict(list)
    for approach in approaches(messages, staff):
        by_account[approach.account].append(approach)
    result: dict[str, AccountTargeting] = {}
    for account, items in by_account.items():
        targets = sorted({a.target for a in items})
        times = [a.at for a in items if a.at is not None]
        departments = sorted({staff[t].department for t in targets if staff[t].department})
        result[account] = AccountTargeting(
            account=account,
            approaches=len({a.message for a in items}),
            staff=tuple(targets),
            departments=tuple(departments),
            sectors=sector_split(targets, staff),
            first=min(times) if times else None,
            last=max(times) if times else None,
        )
    return result


def fan_out_weight(staff_count: int, department_count: int, min_staff: int = 5) -> float:
    """Log-odds for one outside account approaching many staff across departments.

    0 below `min_staff` staff or within a single department; otherwise 0.5, plus up to 0.25 for breadth
    (reached at 10 x `min_staff` staff) and up to 0.25 for spread (reached at 4 departments). Modest on
    purpose: real recruiters and conference organisers write to many staff too (the hard negatives).
    """
    if staff_count < min_staff or department_count < 2:
        return 0.0
    breadth = min(1.0, math.log(staff_count / min_staff) / math.log(10.0))
    spread = min(1.0, (department_count - 1) / 3.0)
    return round(0.5 + 0.25 * breadth + 0.25 * spread, 3)


def fan_out_evidence(targeting: AccountTargeting, min_staff: int = 5) -> Evidence | None:
    """P7 evidence when one outside account approached many staff of the organisation across departments."""
    weight = fan_out_weight(len(targeting.staff), len(targeting.departments), min_staff)
    if weight <= 0:
        return None
    return Evidence(
        rule="targeting-fan-out",
        indicator="P7",
        weight=weight,
        reason=(
            f"This account approached {len(targeting.staff)} staff in {len(targeting.departments)} departments"
            f" over {targeting.span_days:.0f} days; personas contact many people of one organisation or sector of"
            " interest (BfV 2017, DGSI 2018)."
        ),
        source=("BfV 2017", "DGSI 2018"),
        detector="targeting",
        excerpt=", ".join(targeting.departments)[:300],
    )


@dataclass(frozen=True, slots=True)
class LaunderingStep:
    """One approach and the persona's standing with the target's colleagues at that moment.

    `mutual` is None when no staff-to-staff connections are known.
    """

    account: str
    target: str
    at: datetime | None
    connected_staff: int
    same_department: int
    mutual: int | None


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def credibility_laundering(
    messages: Iterable[Message],
    connections: Iterable[Connection],
    staff: Mapping[str, StaffMember],
) -> dict[str, list[LaunderingStep]]:
    """For each outside account, its approaches in time order with the staff connections it had by then.

    A connection counts when it was accepted (`connected_on`) strictly before the day of the approach.
    Connections whose contact is itself a staff member give the staff-to-staff links used for `mutual`.
    """
    accepted: dict[str, list[tuple[date, str]]] = defaultdict(list)
    colleagues: dict[str, set[str]] = defaultdict(set)
    links_known = False
    for connection in connections:
        owner = staff.get(connection.owner)
        if owner is None:
            continue
        contact_key = connection.contact.key or connection.contact.url
        if contact_key is None:
            continue
        other = staff.get(contact_key)
        if other is not None:
            links_known = True
            colleagues[owner.staff_id].add(other.staff_id)
            colleagues[other.staff_id].add(owner.staff_id)
        elif connection.connected_on is not None:
            accepted[contact_key].append((connection.connected_on, owner.staff_id))
    steps: dict[str, list[LaunderingStep]] = defaultdict(list)
    ordered = sorted(approaches(messages, staff), key=lambda a: (a.account, a.at or _EARLIEST, a.target))
    for approach in ordered:
        day = _day(approach.at)
        before = {s for d, s in accepted.get(approach.account, ()) if day is not None and d < day}
        before.discard(approach.target)
        department = staff[approach.target].department
        steps[approach.account].append(
            LaunderingStep(
                account=approach.account,
                target=approach.target,
                at=approach.at,
                connected_staff=len(before),
                same_department=sum(1 for s in before if department and staff[s].department == department),
                mutual=len(before & colleagues.get(approach.target, set())) if links_known else None,
            )
        )
    return dict(steps)


@dataclass(frozen=True)
class LaunderingSummary:
    """How much an account's later approaches benefited from its earlier accepted connections."""

    account: str
    approaches: int
    with_colleague_connections: int
    with_mutual: int | None
    max_connected_staff: int


def summarise_laundering(steps: Sequence[LaunderingStep]) -> LaunderingSummary | None:
    """Counts over one account's steps: approaches made while already connected to the target's colleagues."""
    if not steps:
        return None
    mutual_known = all(s.mutual is not None for s in steps)
    return LaunderingSummary(
        account=steps[0].account,
        approaches=len(steps),
        with_colleague_connections=sum(1 for s in steps if s.same_department > 0),
        with_mutual=sum(1 for s in steps if (s.mutual or 0) > 0) if mutual_known else None,
        max_connected_staff=max(s.connected_staff for s in steps),
    )
