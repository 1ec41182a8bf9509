"""The evidence a scan's global steps add to accounts, worded for a platform, weighted as in `correlate`.

Weights come from the correlate package (`template_reuse_weight`, `fan_out_weight`,
`coordination_weight`), so an account found by a platform scan and by an organisation's audit is
weighed the same way; only the reasons speak of members rather than staff.
"""

from __future__ import annotations

from falsefriends.correlate.campaigns import COORDINATION_INDICATOR, COORDINATION_RULE, coordination_weight
from falsefriends.correlate.targeting import fan_out_weight
from falsefriends.correlate.templates import MIN_REACH_PER_SENDER, TEMPLATE_REUSE_RULE, template_reuse_weight
from falsefriends.correlate.trust import LOW_TRUST_INDICATOR, LOW_TRUST_RULE
from falsefriends.model import Evidence

MIN_TEMPLATE_RECIPIENTS = 3
FAN_OUT_MIN = 5
LOW_TRUST_FRACTION = 0.02
MAX_EXCERPT = 300


def template_qualifies(reached: int, senders: int, reach_sum: int) -> bool:
    """A template counts as outreach when it reached 3+ members and its senders each reached 3+ on average."""
    return reached >= MIN_TEMPLATE_RECIPIENTS and reach_sum / max(senders, 1) >= MIN_REACH_PER_SENDER


def template_evidence(template: str, reached: int, senders: int, text: str, message: str) -> Evidence:
    return Evidence(
        rule=TEMPLATE_REUSE_RULE, indicator="M9", weight=template_reuse_weight(reached),
        reason=(f"The same message text (template {template}) reached {reached} different members, sent by"
                f" {senders} account{'s' if senders != 1 else ''}; standardised messages sent to unrelated"
                " people are how fake-profile campaigns approach their targets (DGSI 2018)."),
        source=("DGSI 2018",), detector="templates", excerpt=text[:MAX_EXCERPT], message=message,
    )


def fan_out_evidence(recipients: int, industries: int, span_days: float) -> Evidence | None:
    weight = fan_out_weight(recipients, industries, FAN_OUT_MIN)
    if weight <= 0:
        return None
    return Evidence(
        rule="targeting-fan-out", indicator="P7", weight=weight,
        reason=(f"This account wrote to {recipients} members in {industries} industries over {span_days:.0f} days;"
                " personas contact many people of the sectors of interest (BfV 2017, DGSI 2018)."),
        source=("BfV 2017", "DGSI 2018"), detector="targeting",
    )


def low_trust_evidence(trust: float, seeds: int) -> Evidence:
    return Evidence(
        rule=LOW_TRUST_RULE, indicator=LOW_TRUST_INDICATOR, weight=1.0,
        reason=(f"Little trust reaches this account from {seeds:,} trusted seed accounts through the connection"
                f" graph (SybilRank score {trust:.3g}, among the lowest {LOW_TRUST_FRACTION:.0%} of members): fake"
                " profiles connect to real people through few accepted connections (Cao et al., NSDI 2012)."),
        source=("Cao et al. 2012",), detector="trust",
    )


def coordination_evidence(accounts: int, kinds: int, why: str) -> Evidence:
    return Evidence(
        rule=COORDINATION_RULE, indicator=COORDINATION_INDICATOR, weight=coordination_weight(accounts, kinds),
        reason=(f"One of {accounts} accounts linked by shared traces ({why}); fake-profile campaigns run many"
                " personas with the same messages, photos and front organisations (DGSI 2018; Secureworks 2015)."),
        source=("DGSI 2018", "Secureworks 2015"), detector="clusters", excerpt=why[:MAX_EXCERPT],
    )
