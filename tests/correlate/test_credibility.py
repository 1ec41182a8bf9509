"""Credibility first: quiet connections to staff shortly before an account's approaches to other staff (C4)."""

from __future__ import annotations

from falsefriends.correlate.campaigns import CampaignSettings, corroborating, find_campaigns
from falsefriends.correlate.credibility import credibility_first_evidence, quiet_connections
from falsefriends.correlate.targeting import staff_index
from falsefriends.model import Account
from tests.correlate.factories import T0, connection, days, message, staff

OFFER = ("Hello {name}, a client of ours is looking for an experienced adviser for a well paid part-time"
         " engagement; the details are in the attached brief. Would you be open to a call next week?")


def _approaches(sender: str, targets: range, start: int) -> list:
    roster = staff(8)
    return [message(f"{sender}{i}", OFFER.format(name=roster[i].name), sender, roster[i].staff_id,
                    T0 + days(start + i)) for i in targets]


def test_quiet_connections_are_staff_never_written_to_who_accepted_shortly_before_the_first_approach() -> None:
    index = staff_index(staff(8))
    msgs = _approaches("persona", range(2, 5), 0) + _approaches("contact", range(2, 5), 0)
    msgs += [message("late", "Nice to see you again!", "contact", "s5", T0 + days(400))]  # years of chats
    connections = [connection("s0", "persona", (T0 - days(20)).date()), connection("s1", "persona",
                                                                                   (T0 - days(12)).date()),
                   connection("s2", "persona", (T0 - days(12)).date()),  # written to later: not quiet
                   connection("s6", "persona", (T0 - days(300)).date()),  # long before: not part of the run-up
                   connection("s0", "contact", (T0 - days(20)).date()), connection("s1", "contact",
                                                                                   (T0 - days(10)).date())]
    found = quiet_connections(msgs, connections, index)
    assert found["persona"].staff == ("s0", "s1")
    assert "contact" not in found  # its approaches are no run: first chats spread over more than 60 days
    evidence = credibility_first_evidence(found, {"persona"})
    assert evidence["persona"].indicator == "C4" and evidence["persona"].weight >= 0.6
    assert credibility_first_evidence(found, set()) == {}  # only for accounts that did outreach


def test_credibility_first_corroborates_a_campaign_whose_messages_show_no_hostile_step() -> None:
    """Two personas of one front send a bland paid-work note (an offer, no request, no move off the platform):
    without the quiet connections it is what a recruiting firm does; with them it is a campaign."""
    roster = staff(8)
    accounts = [Account(key=k, url=f"https://x/{k}", name=k, employer="Harbour Advisory Partners")
                for k in ("p1", "p2")]
    accounts += [Account(key=f"c{i}", url=f"https://x/c{i}", name=f"c{i}", employer="Grid Operator SA")
                 for i in range(10)]  # the organisation's ordinary contacts
    msgs = _approaches("p1", range(2, 4), 0) + _approaches("p2", range(4, 6), 1)
    lures: dict[str, list] = {"m": []}
    quiet = [connection("s0", "p1", (T0 - days(9)).date()), connection("s1", "p1", (T0 - days(8)).date()),
             connection("s6", "p2", (T0 - days(7)).date()), connection("s7", "p2", (T0 - days(6)).date())]
    settings = CampaignSettings.for_organisation(len(roster))
    plain = find_campaigns(msgs, accounts, roster, settings=settings, message_evidence=lambda m: lures["m"],
                           profile_evidence=lambda a: [])
    assert plain.campaigns == ()
    found = find_campaigns(msgs, accounts, roster, quiet, settings=settings, message_evidence=lambda m: lures["m"],
                           profile_evidence=lambda a: [])
    assert [(c.accounts, found.kinds[c.id]) for c in found.campaigns] == [(("p1", "p2"), "personas")]
    member = [e for e in found.account_evidence["p2"] if e.rule == "campaign-member"]
    assert member and "C4 credibility-first" in member[0].reason
    assert corroborating([e for e in found.account_evidence["p1"] if e.indicator == "C4"], settings)


def test_a_connection_in_an_export_without_urls_is_the_account_of_that_name_and_employer() -> None:
    index = staff_index(staff(8))
    msgs = _approaches("https://x/p", range(2, 5), 0)
    nameless = Account(key="name+employer:p", name="Ana Petrova", employer="Harbour Advisory Partners")
    connections = [connection("s0", "https://x/p", (T0 - days(9)).date())]
    connections.append(connections[0].model_copy(update={"owner": "s1", "contact": nameless}))
    assert quiet_connections(msgs, connections, index)["https://x/p"].staff == ("s0",)
    found = quiet_connections(msgs, connections, index, same_as={"name+employer:p": "https://x/p"})
    assert found["https://x/p"].staff == ("s0", "s1")


def test_colleagues_writing_now_and_then_are_no_campaign_a_wave_is() -> None:
    """Two reporters of one outlet send one text (corroborated: it asks to move to a phone call) to staff over
    months: that outlet's correspondence. The same two accounts writing in one run are a campaign."""
    from falsefriends.model import Evidence

    roster = staff(8)
    accounts = [Account(key=k, url=f"https://x/{k}", name=k, employer="Evening Courier") for k in ("r1", "r2")]
    accounts += [Account(key=f"c{i}", url=f"https://x/c{i}", name=f"c{i}", employer="Grid Operator SA")
                 for i in range(10)]
    move = Evidence(rule="move-to-phone", indicator="M3", weight=1.4, reason="asks to move off the platform")

    def world(gap: int) -> list:
        return [message(f"{k}{i}", OFFER.format(name=roster[i].name), k, roster[i].staff_id,
                        T0 + days(start + gap * n))
                for k, targets, start in (("r1", (2, 3), 0), ("r2", (4, 5), 1)) for n, i in enumerate(targets)]

    def campaigns(msgs: list) -> list:
        found = find_campaigns(msgs, accounts, roster, message_evidence=lambda m: [move],
                               profile_evidence=lambda a: [])
        return [(c.accounts, found.kinds[c.id]) for c in found.campaigns]

    assert campaigns(world(gap=5)) == [(("r1", "r2"), "personas")]
    steady = world(gap=120)
    assert campaigns(steady) == []
    found = find_campaigns(steady, accounts, roster, message_evidence=lambda m: [move], profile_evidence=lambda a: [])
    link = [e for e in found.account_evidence["r1"] if e.rule == "coordinated-personas"]
    assert link and link[0].weight == 0 and "one run" in link[0].reason
