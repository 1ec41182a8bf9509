"""Named conditions (code hooks) that a profile rule can require beyond its patterns.

Some indicators are not words but shapes of a profile: a very senior title with a thin history
(P4), a large network (P7). A rule names the condition in `requires`; the detector calls it with
the profile. Each condition's docstring is its user documentation (`falsefriends rules explain`).
"""

from __future__ import annotations

from collections.abc import Callable

from falsefriends.model import Account


def thin_history(account: Account) -> bool:
    """The profile lists at most one past or present position and no education."""
    return len(account.positions) <= 1 and not account.education


def large_network(account: Account) -> bool:
    """The profile shows more than 500 connections (the platform's "500+")."""
    return account.connections is not None and account.connections > 500


def no_named_employer(account: Account) -> bool:
    """The profile names no employer at all, in its current position or its history."""
    return not account.employer.strip() and not any(p.company.strip() for p in account.positions)


CONDITIONS: dict[str, Callable[[Account], bool]] = {
    "thin-history": thin_history,
    "large-network": large_network,
    "no-named-employer": no_named_employer,
}
