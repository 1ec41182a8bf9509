"""No evidence from absence: profile fields that the exports do not hold are unknown, not empty.

A LinkedIn export holds, for an outside account, what its rows show: the name and profile URL of whoever
wrote or invited, and the employer (`Company`) and title (`Position`) of a *connection*. It never holds a
contact's career history or education, and an account that never became a connection has no employer in it.
A profile rule whose condition reads such a field ("no named employer", "senior title with a thin history")
would fire on every one of those accounts because of what the export lacks, not what the profile says. So in
the audit those conditions are unknown and their rules do not fire; a field that is present and vague (a
connection whose `Company` is blank, "Confidential", a generic front name) still counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from falsefriends.model import Account, Evidence
from falsefriends.rules.loader import RuleSet

# The profile fields each named condition (rules/conditions.py) reads to fire.
CONDITION_FIELDS: Mapping[str, tuple[str, ...]] = {
    "no-named-employer": ("employer",),
    "thin-history": ("positions", "education"),
    "large-network": ("connections",),
}


def unknown_fields(account: Account, *, connected: bool) -> frozenset[str]:
    """The fields of `account` that the exports cannot have shown: the employer of an account that is no
    staff member's connection (and names none), a career history and education left empty, a network size."""
    unknown: set[str] = set()
    if not connected and not account.employer.strip():
        unknown.add("employer")
    if not account.positions:
        unknown.add("positions")
    if not account.education:
        unknown.add("education")
    if account.connections is None:
        unknown.add("connections")
    return frozenset(unknown)


def drop_unknown(evidence: Iterable[Evidence], rules: RuleSet, unknown: frozenset[str]) -> list[Evidence]:
    """The evidence without the items of profile rules whose conditions read an unknown field."""
    kept: list[Evidence] = []
    for item in evidence:
        rule = rules.by_id.get(item.rule)
        requires = rule.spec.requires if rule is not None and rule.kind == "profile" else ()
        if any(field in unknown for name in requires for field in CONDITION_FIELDS.get(name, ())):
            continue
        kept.append(item)
    return kept
