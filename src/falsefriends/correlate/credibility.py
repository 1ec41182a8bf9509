"""Credibility first: quiet connections to staff shortly before an account's approaches to other staff.

A persona builds credibility before it approaches its targets (tradecraft.md, the sequence, step 6): it gets
a few staff to accept it, without writing to them, so that its later standardised approaches to their
colleagues show mutual connections. An export shows this as the account in a staff member's Connections.csv
(with `Connected On`) who never wrote to that staff member, accepted shortly before the account first wrote to
anyone on the staff. An ordinary contact was accepted long before it ever writes; a recruiter who writes
connects with the people it writes to.

`credibility_first_evidence` gives `credibility-first` (C4) to an account that did outreach to staff (its
standardised messages or fan-out, M9 or P7) and was accepted by at least `min_staff` staff it never wrote to
within `days` days before its first approach. It is a persona trait for corroboration
(`correlate.campaigns.corroborating`): honest bulk senders, in the simulator and as far as tradecraft.md
describes them, do not work this way; a real recruiter who connects silently with part of a team and writes
to the rest a few weeks later would show it too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from falsefriends.correlate.targeting import approaches
from falsefriends.model import Connection, Evidence, Message, StaffMember

CREDIBILITY_RULE = "credibility-first"
CREDIBILITY_INDICATOR = "C4"
CREDIBILITY_WEIGHT = 0.6
# Quiet connections this many days or fewer before the first approach count.
CREDIBILITY_DAYS = 60
CREDIBILITY_MIN_STAFF = 2


@dataclass(frozen=True)
class QuietConnections:
    """Staff who accepted an account without it writing to them, shortly before its first approach."""

    account: str
    staff: tuple[str, ...]
    first_approach: datetime


@dataclass(frozen=True)
class _Approaches:
    """Who each account wrote to, when it first wrote to each of them (its starts), and the accounts with an
    undated approach (which say nothing about a run)."""

    wrote: dict[str, set[str]]
    starts: dict[str, list[datetime]]
    undated: set[str]

    def run_start(self, account: str, days: int) -> datetime | None:
        """The first approach of `account` when it first wrote to every staff member within `days` days of it."""
        times = self.starts.get(account)
        if not times or account in self.undated or (max(times) - min(times)).days > days:
            return None
        return min(times)


def _approaches_of(messages: Iterable[Message], staff: Mapping[str, StaffMember]) -> _Approaches:
    wrote: dict[str, set[str]] = defaultdict(set)
    first_to: dict[tuple[str, str], datetime] = {}
    undated: set[str] = set()
    for approach in approaches(messages, staff):
        wrote[approach.account].add(approach.target)
        if approach.at is None:
            undated.add(approach.account)
            continue
        key = (approach.account, approach.target)
        if key not in first_to or approach.at < first_to[key]:
            first_to[key] = approach.at
    starts: dict[str, list[datetime]] = defaultdict(list)
    for (account, _), at in first_to.items():
        starts[account].append(at)
    return _Approaches(wrote, starts, undated)


def in_runs(messages: Iterable[Message], staff: Mapping[str, StaffMember], *, days: int = CREDIBILITY_DAYS,
            min_staff: int = 2) -> set[str]:
    """Accounts that first wrote to each of the (at least `min_staff`) staff they wrote to within `days` days of
    their first approach: a run of approaches, as a persona's wave is, not a steady correspondence."""
    found = _approaches_of(messages, staff)
    return {a for a, times in found.starts.items() if len(times) >= min_staff and found.run_start(a, days)}


def quiet_connections(
    messages: Iterable[Message], connections: Iterable[Connection], staff: Mapping[str, StaffMember], *,
    days: int = CREDIBILITY_DAYS, same_as: Mapping[str, str] | None = None,
) -> dict[str, QuietConnections]:
    """Per outside account that wrote to staff in one run: the staff it never wrote to who accepted it
    (`connected_on`) within `days` days before (and not on or after) the day of its first approach.

    One run: the account first wrote to every staff member it wrote to within `days` days of its first
    approach (a persona's standardised approaches follow its quiet connections within weeks; an ordinary
    contact who has chatted with a few staff over the years is not building credibility). Undated connections
    and undated approaches say nothing and are left out. `same_as` maps a connection's key (an export without
    URL columns) to the account's key."""
    found = _approaches_of(messages, staff)
    wrote = found.wrote
    first = {a: begun for a in found.starts if (begun := found.run_start(a, days)) is not None}
    quiet: dict[str, set[str]] = defaultdict(set)
    for connection in connections:
        contact = connection.contact.key or connection.contact.url
        if same_as and contact is not None and contact in same_as:
            contact = same_as[contact]
        owner = staff.get(connection.owner)
        if contact is None or owner is None or contact not in first or connection.connected_on is None:
            continue
        if owner.staff_id in wrote[contact]:
            continue
        start: date = first[contact].date()
        if connection.connected_on < start and (start - connection.connected_on).days <= days:
            quiet[contact].add(owner.staff_id)
    return {a: QuietConnections(a, tuple(sorted(s)), first[a]) for a, s in sorted(quiet.items())}


def credibility_first_evidence(
    found: Mapping[str, QuietConnections], outreach: Iterable[str], *, min_staff: int = CREDIBILITY_MIN_STAFF,
) -> dict[str, Evidence]:
    """`credibility-first` (C4) for the accounts in `outreach` with at least `min_staff` quiet connections."""
    out: dict[str, Evidence] = {}
    for account in sorted(set(outreach)):
        quiet = found.get(account)
        if quiet is None or len(quiet.staff) < min_staff:
            continue
        out[account] = Evidence(
            rule=CREDIBILITY_RULE, indicator=CREDIBILITY_INDICATOR, weight=CREDIBILITY_WEIGHT,
            reason=(f"{len(quiet.staff)} staff accepted this account, which never wrote to them, within"
                    f" {CREDIBILITY_DAYS} days before it first wrote to the staff ({quiet.first_approach:%Y-%m-%d}):"
                    " personas collect quiet connections first, so that their approaches to colleagues show"
                    " mutual connections (DGSI 2018)."),
            source=("DGSI 2018",), detector="campaigns", excerpt=", ".join(quiet.staff)[:300],
        )
    return out


__all__ = ["CREDIBILITY_INDICATOR", "CREDIBILITY_RULE", "QuietConnections", "credibility_first_evidence",
           "quiet_connections"]
