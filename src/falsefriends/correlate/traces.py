"""Traces that link personas beyond templates and photos (front organisations, off-platform handles), and
single-account fan-outs (one note to many staff across departments within a short window).

Front: an employer claimed only by accounts that did outreach to staff (standardised or mass messages) and by
no other contact of the staff is a `front:` trace (kind weight 1.0): nobody the organisation knows works
there. An employer that ordinary contacts also hold stays an `employer:` trace (0.2), since colleagues of one
real firm share it.
Handle: a phone number, messaging handle, e-mail address or t.me / wa.me link written in a message to staff
is a `handle:` trace (1.5, like a photo): two personas who give one WhatsApp number are one operator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from falsefriends.correlate.normalise import fast_fold
from falsefriends.correlate.targeting import approaches
from falsefriends.model import Account, Message, StaffMember
from falsefriends.watchlist.entries import IdentifierKind
from falsefriends.watchlist.identifiers import extract

_HANDLE_KINDS = frozenset({IdentifierKind.EMAIL, IdentifierKind.TELEGRAM, IdentifierKind.WHATSAPP,
                           IdentifierKind.PHONE, IdentifierKind.HANDLE})
_PHONE_KINDS = frozenset({IdentifierKind.WHATSAPP, IdentifierKind.PHONE})
_MIN_PHONE_DIGITS = 8
# A fan-out's window holds at least this share of the staff the account sent the note to (a burst, not a
# trickle). Measured on the simulator's development worlds (8-60 staff, seeds 1-10): every persona's window
# held all the staff it reached; genuine senders' windows held 3 or 4 of 4 to 13 (median 8).
FAN_OUT_MIN_SHARE = 2 / 3


def handles_in(text: str) -> set[str]:
    """Off-platform contact points written in a message: `phone:<digits>` (phone numbers and wa.me links
    read the same), `email:<address>`, `handle:<name>` (t.me links, @handles, "WeChat ID: x")."""
    found: set[str] = set()
    for item in extract(text):
        if item.kind not in _HANDLE_KINDS:
            continue
        value = item.value.strip()
        if item.kind in _PHONE_KINDS:
            digits = "".join(ch for ch in value if ch.isdigit()).lstrip("0")
            if len(digits) >= _MIN_PHONE_DIGITS:
                found.add(f"phone:{digits}")
        elif item.kind is IdentifierKind.EMAIL:
            found.add(f"email:{value.casefold()}")
        else:
            found.add(f"handle:{value.rsplit('/', 1)[-1].lstrip('@').casefold()}")
    return found


def front_and_handle_traces(
    traces: MutableMapping[str, set[str]], accounts: Iterable[Account], messages: Iterable[Message],
    approached: set[str], wrote: set[str] | None = None,
) -> None:
    """Add `front:` and `handle:` traces to `traces` (account key -> traces), in place.

    `approached`: the accounts that did outreach (their employer can be a front); `wrote`: every account that
    wrote to staff (default `approached`). An account that wrote to staff is not one of the contacts who show
    that people the organisation knows work somewhere, and it carries the front trace of its employer too:
    a persona of a front whose own messages reached too few staff to be outreach is still that front's."""
    account_list = list(accounts)
    writers = approached | (wrote or set())
    held_by_others: set[str] = set()
    for account in account_list:
        key = account.key or account.url
        employer = fast_fold(account.employer)
        # Only accounts known by URL: a name-only key (an export without URL columns) may be the persona itself.
        if employer and key not in writers and account.url:
            held_by_others.add(employer)
    fronts = {fast_fold(a.employer) for a in account_list if (a.key or a.url) in approached}
    for account in account_list:
        key = account.key or account.url
        employer = fast_fold(account.employer)
        if key and key in writers and employer and employer in fronts and employer not in held_by_others:
            found = traces.setdefault(key, set())
            found.discard(f"employer:{employer}")
            found.add(f"front:{employer}")
    for message in messages:
        if message.sender and message.body:
            for handle in handles_in(message.body):
                traces.setdefault(message.sender, set()).add(f"handle:{handle}")


@dataclass(frozen=True)
class FanOut:
    """One outside account's note to many staff: who, which template, whom, which departments, how fast."""

    account: str
    template: str
    staff: tuple[str, ...]
    departments: tuple[str, ...]
    first: datetime | None
    last: datetime | None

    @property
    def span_days(self) -> int:
        if self.first is None or self.last is None:
            return 0
        return max(0, round((self.last - self.first).total_seconds() / 86400.0))


def fan_outs(
    messages: Iterable[Message], template_of: Mapping[str, str], staff: Mapping[str, StaffMember], *,
    min_staff: int, min_departments: int = 2, days: int = 30, min_share: float = FAN_OUT_MIN_SHARE,
    alias: Mapping[str, str] | None = None,
) -> list[FanOut]:
    """Accounts that sent one template (the same note, up to greeting and names) to at least `min_staff`
    staff in at least `min_departments` departments within `days` days; the widest such window per account.

    A fan-out is a burst: the window must hold at least `min_share` of all the staff the account sent that
    note to. A business contact who sends its standard note to a colleague every month or two over a year
    (a recruiter, a journalist, a vendor) reaches three people in some month by chance, not in a burst.

    Where the roster holds no department for the staff reached, the department condition is not applied
    (unknown is not "one department"). Messages without a date count in any window. `alias` maps second
    keys of one account (a name-only key of the same person) to its key: their approaches count as its.
    """
    message_list = list(messages)
    by_id = {m.id: m for m in message_list}
    grouped: dict[tuple[str, str], list[tuple[datetime | None, str]]] = defaultdict(list)
    for approach in approaches(message_list, staff):
        template = template_of.get(approach.message)
        if template is not None and approach.message in by_id:
            account = alias.get(approach.account, approach.account) if alias else approach.account
            grouped[(account, template)].append((approach.at, approach.target))
    best: dict[str, FanOut] = {}
    window = timedelta(days=days)
    for (account, template), items in sorted(grouped.items()):
        reached = {target for _, target in items}
        undated = {target for at, target in items if at is None}
        dated = sorted((at, target) for at, target in items if at is not None)
        candidates: list[tuple[set[str], datetime | None, datetime | None]] = [(undated, None, None)]
        for i, (start, _) in enumerate(dated):
            inside = [(at, t) for at, t in dated[i:] if at - start <= window]
            candidates.append(({t for _, t in inside} | undated, start, inside[-1][0]))
        for targets, first, last in candidates:
            if len(targets) < min_staff or len(targets) < min_share * len(reached):
                continue
            departments = sorted({staff[t].department for t in targets if staff[t].department})
            if departments and len(departments) < min_departments:
                continue
            found = FanOut(account, template, tuple(sorted(targets)), tuple(departments), first, last)
            current = best.get(account)
            if current is None or (len(found.staff), len(found.departments)) > (
                    len(current.staff), len(current.departments)):
                best[account] = found
    return [best[a] for a in sorted(best)]


__all__ = ["FAN_OUT_MIN_SHARE", "FanOut", "fan_outs", "front_and_handle_traces", "handles_in"]
