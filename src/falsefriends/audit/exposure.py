"""How exposed a staff member is: the risk of the accounts that reached them, weighed by what they did.

exposure = max over linked outside accounts of `account score x engagement`, where engagement is
0.6 for an approach left unanswered, +0.2 if they accepted the connection, +0.2 if they replied
(capped at 1.0), and 0.8 for a connection with no approach in the data (accepted, origin unknown).
So an unanswered approach by a near-certain persona is `medium`, and accepting or answering it makes
it `high`: the step the security officer acts on first. Levels use the fusion model's thresholds.
"""

from __future__ import annotations

from falsefriends.model import Level

UNANSWERED = 0.6
ACCEPTED_BONUS = 0.2
REPLIED_BONUS = 0.2
CONNECTED_ONLY = 0.8

STAGES = ("none", "approached", "accepted", "replied")
"""How far a staff member went with an account, in order."""


def engagement(approached: bool, accepted: bool, replied: bool) -> float:
    """The weight of what a staff member did with an account (see the module docstring)."""
    if not approached:
        return CONNECTED_ONLY if (accepted or replied) else 0.0
    return min(1.0, UNANSWERED + ACCEPTED_BONUS * accepted + REPLIED_BONUS * replied)


def stage(approached: bool, accepted: bool, replied: bool) -> str:
    """The furthest step taken: replied, accepted, approached, or none."""
    if replied:
        return "replied"
    if accepted:
        return "accepted"
    return "approached" if approached else "none"


def level_for(score: float, medium: float, high: float) -> Level:
    if score >= high:
        return Level.HIGH
    if score >= medium:
        return Level.MEDIUM
    return Level.LOW
