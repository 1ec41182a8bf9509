"""Fairness of campaign correlation: names (their script, their apparent origin) never change a campaign, its
members, its kind or any account's campaign evidence; only what the accounts did does."""

from __future__ import annotations

import pytest

from falsefriends.check import Checker
from falsefriends.correlate.campaigns import find_campaigns
from falsefriends.correlate.translations import default_encoder
from falsefriends.model import Account, Connection, Message, StaffMember
from tests.correlate.factories import T0, days, message, staff
from tests.test_fairness import NAMES

OFFER = ("Dear {name},\nOur client, a research institute in Vienna, would pay EUR 2,500 for a short report on"
         " {topic}. Could we continue on WhatsApp?\nBest regards,\n{sender}")
OFFER_FR = ("Cher {name},\nNotre client, un institut de recherche à Vienne, paierait 2 500 EUR pour un court rapport"
            " sur {topic}. Pouvons-nous continuer sur WhatsApp ?\nCordialement,\n{sender}")
NOTE = "Hi {name}, I came across your profile and would love to add you to my network.\n{sender}"
TOPICS = ("energy", "space", "trade", "health")


def _world(names: list[str]) -> tuple[list[Message], list[Account], list[StaffMember], list[Connection]]:
    roster = [m.model_copy(update={"name": names[i % len(names)]}) for i, m in enumerate(staff(8))]
    senders = {"p-en": names[-1], "p-fr": names[-2], "fan": names[-3]}
    accounts = [Account(key=k, url=f"https://www.linkedin.com/in/{k}", name=n, employer="Northgate Forum")
                for k, n in senders.items()]
    # Second keys from exports without URL columns: the fan-out account by name only (one sender, its name
    # compared for equality only), and p-en as a connection by name and employer (credibility first).
    accounts.append(Account(key="name:fan", name=senders["fan"]))
    second = Account(key="nep:p-en", name=senders["p-en"], employer="Northgate Forum")
    accounts.append(second)
    connections = [Connection(owner=roster[7].staff_id, contact=second, connected_on=(T0 - days(9)).date()),
                   Connection(owner=roster[6].staff_id, contact=accounts[0], connected_on=(T0 - days(8)).date())]
    msgs: list[Message] = []
    for i in range(3):
        msgs.append(message(f"en{i}", OFFER.format(name=roster[i].name, topic=TOPICS[i], sender=senders["p-en"]),
                            "p-en", roster[i].staff_id, T0 + days(i), senders["p-en"]))
        msgs.append(message(f"fr{i}", OFFER_FR.format(name=roster[i + 3].name, topic=TOPICS[i],
                                                      sender=senders["p-fr"]),
                            "p-fr", roster[i + 3].staff_id, T0 + days(i), senders["p-fr"]))
        msgs.append(message(f"fan{i}", NOTE.format(name=roster[i + 4].name, sender=senders["fan"]), "fan",
                            roster[i + 4].staff_id, T0 + days(30 + i), senders["fan"]))
    msgs.append(message("fan-name", NOTE.format(name=roster[0].name, sender=senders["fan"]), "name:fan",
                        roster[0].staff_id, T0 + days(33), senders["fan"]))
    return msgs, accounts, roster, connections


def _signature(names: list[str], checker: Checker) -> tuple[object, ...]:
    msgs, accounts, roster, connections = _world(names)
    found = find_campaigns(msgs, accounts, roster, connections, fusion=checker.fusion, encode=default_encoder(),
                           message_evidence=checker.evidence_for_message,
                           profile_evidence=checker.evidence_for_profile)
    campaigns = sorted((c.accounts, found.kinds[c.id], round(c.score, 4)) for c in found.campaigns)
    evidence = sorted((k, e.rule, round(e.weight, 4)) for k, items in found.account_evidence.items() for e in items)
    return tuple(campaigns), tuple(evidence)


@pytest.mark.skipif(default_encoder() is None, reason="the multilingual encoder is not installed")
@pytest.mark.parametrize("shift", range(0, len(NAMES), 3))
def test_renaming_everyone_changes_no_campaign_and_no_campaign_evidence(checker: Checker, shift: int) -> None:
    baseline = _signature(["Anne Dupont", "Paul Martin", "Claire Petit", "Louis Moreau", "Emma Laurent",
                           "Hugo Simon", "Lea Michel", "Jules Garcia"], checker)
    renamed = [NAMES[(shift + i) % len(NAMES)] for i in range(8)]
    assert _signature(renamed, checker) == baseline
    campaigns = baseline[0]
    assert (("p-en", "p-fr"), "personas") in {(a, k) for a, k, _ in campaigns}  # type: ignore[misc]
    assert (("fan", "name:fan"), "fan-out") in {(a, k) for a, k, _ in campaigns}  # type: ignore[misc]
    assert ("p-en", "credibility-first") in {(k, r) for k, r, _ in baseline[1]}  # type: ignore[misc]
