"""Front organisations, off-platform handles and single-account fan-outs; thresholds scaled to the organisation."""

from __future__ import annotations

from falsefriends.correlate.campaigns import CampaignSettings, find_campaigns
from falsefriends.correlate.targeting import staff_index
from falsefriends.correlate.templates import find_templates, outreach_templates
from falsefriends.correlate.traces import fan_outs, front_and_handle_traces, handles_in
from falsefriends.model import Account, StaffMember
from tests.correlate.factories import T0, days, message, staff

NOTE = "Hi {name}, I came across your profile and would love to add you to my network of talented people."


def test_handles_are_read_the_same_however_written() -> None:
    found = handles_in("Add me on WhatsApp +65 8123 4567 or wa.me/6581234567, or j.doe@horizon.com, t.me/jdoe_hb")
    assert {"phone:6581234567", "email:j.doe@horizon.com", "handle:jdoe_hb"} <= found
    assert handles_in("Call me on 12 34") == set()


def test_front_only_when_no_ordinary_contact_known_by_url_holds_the_employer() -> None:
    accounts = [
        Account(key="p1", url="https://x/p1", employer="Northgate Forum"),
        Account(key="p2", url="https://x/p2", employer="Northgate Forum"),
        Account(key="name:p2", employer="Northgate Forum"),  # a second key of p2 (an export without URLs)
        Account(key="r1", url="https://x/r1", employer="Acme Robotics"),
        Account(key="c1", url="https://x/c1", employer="Acme Robotics"),  # an ordinary contact there
    ]
    traces: dict[str, set[str]] = {k: {f"employer:{e}"} for k, e in (
        ("p1", "northgate forum"), ("p2", "northgate forum"), ("r1", "acme robotics"))}
    msgs = [message("m1", "Reach me on Telegram t.me/northgate_desk", "p1", "s1"),
            message("m2", "My Telegram: t.me/northgate_desk", "p2", "s2")]
    front_and_handle_traces(traces, accounts, msgs, approached={"p1", "p2", "r1"})
    assert "front:northgate forum" in traces["p1"] and "front:northgate forum" in traces["p2"]
    assert "employer:acme robotics" in traces["r1"] and not any(t.startswith("front:") for t in traces["r1"])
    assert "handle:handle:northgate_desk" in traces["p1"] & traces["p2"]


def _roster() -> list[StaffMember]:
    return staff(8)  # departments defence, energy, finance, it in turn


def test_fan_out_needs_several_staff_in_several_departments_within_the_window() -> None:
    roster = _roster()
    index = staff_index(roster)
    wide = [message(f"w{i}", NOTE.format(name=roster[i].name), "wide", roster[i].staff_id, T0 + days(i))
            for i in range(3)]
    slow = [message(f"s{i}", NOTE.format(name=roster[i].name), "slow", roster[i].staff_id, T0 + days(40 * i))
            for i in range(3)]
    team = [message(f"t{i}", NOTE.format(name=roster[i].name), "team", roster[i].staff_id, T0 + days(i))
            for i in (0, 4)]  # both in "defence": one team
    msgs = wide + slow + team
    result = find_templates(msgs)
    found = {f.account: f for f in fan_outs(msgs, result.template_of, index, min_staff=3)}
    assert set(found) == {"wide"}
    assert found["wide"].staff == ("s0", "s1", "s2") and len(found["wide"].departments) == 3
    assert found["wide"].span_days == 2


def test_a_fan_out_is_a_burst_not_a_trickle() -> None:
    """A business contact that sends its note to a colleague every few weeks reaches three people in some month
    by chance; a persona sends it to most of its targets at once."""
    roster = _roster()
    index = staff_index(roster)
    # Three of seven within a month, the others months apart: a trickle.
    trickle_days = (0, 9, 20, 80, 150, 230, 300)
    trickle = [message(f"t{i}", NOTE.format(name=roster[i].name), "trickle", roster[i].staff_id, T0 + days(d))
               for i, d in enumerate(trickle_days)]
    # Three of four within a month: a burst, with a late straggler.
    burst = [message(f"b{i}", NOTE.format(name=roster[i].name), "burst", roster[i].staff_id, T0 + days(d))
             for i, d in enumerate((0, 4, 11, 200))]
    msgs = trickle + burst
    result = find_templates(msgs)
    found = {f.account for f in fan_outs(msgs, result.template_of, index, min_staff=3)}
    assert found == {"burst"}
    assert {f.account for f in fan_outs(msgs, result.template_of, index, min_staff=3, min_share=0.0)} == {
        "trickle", "burst"}


def test_second_keys_of_one_sender_count_as_that_sender() -> None:
    """An export without URL columns shows the sender under a name-only key: its approaches are the sender's."""
    roster = _roster()
    index = staff_index(roster)
    msgs = [message("u0", NOTE.format(name=roster[0].name), "https://x/p", roster[0].staff_id, T0),
            message("u1", NOTE.format(name=roster[1].name), "https://x/p", roster[1].staff_id, T0 + days(2)),
            message("n2", NOTE.format(name=roster[2].name), "name:p", roster[2].staff_id, T0 + days(3))]
    result = find_templates(msgs)
    assert fan_outs(msgs, result.template_of, index, min_staff=3) == []
    found = fan_outs(msgs, result.template_of, index, min_staff=3, alias={"name:p": "https://x/p"})
    assert [(f.account, len(f.staff)) for f in found] == [("https://x/p", 3)]


def test_unknown_departments_are_not_one_department() -> None:
    roster = [m.model_copy(update={"department": ""}) for m in _roster()]
    msgs = [message(f"w{i}", NOTE.format(name=roster[i].name), "wide", roster[i].staff_id, T0 + days(i))
            for i in range(3)]
    result = find_templates(msgs)
    assert [f.account for f in fan_outs(msgs, result.template_of, staff_index(roster), min_staff=3)] == ["wide"]
    index = staff_index(roster)
    assert outreach_templates(result, msgs, staff=set(index), min_recipients=2, min_reach_per_sender=2,
                              department_of={k: m.department for k, m in index.items() if m.department},
                              min_departments=2)


def test_thresholds_scale_with_the_organisation() -> None:
    small, large = CampaignSettings.for_organisation(8), CampaignSettings.for_organisation(200)
    assert (small.min_template_recipients, small.min_reach_per_sender, small.fan_out_min_staff) == (2, 2.0, 3)
    assert (large.min_template_recipients, large.min_reach_per_sender, large.fan_out_min_staff) == (3, 3.0, 5)
    assert CampaignSettings.for_organisation(8, fan_out_min_staff=4).fan_out_min_staff == 4
    # a single-account fan-out campaign (a burst) from 3 staff in a small organisation, whatever P7 needs
    assert [CampaignSettings.for_organisation(n).fan_out_campaign_min_staff for n in (8, 60, 75, 200)] == [3, 3, 5, 5]
    # three personas reaching two or three of 60 staff each (4 %) are still a small organisation's campaign
    assert CampaignSettings.for_organisation(60).min_reach_per_sender == 2.0
    assert CampaignSettings.for_organisation(75).min_reach_per_sender == 3.0


def test_one_team_is_not_outreach_and_a_fan_out_is_a_campaign_at_medium(checker: object) -> None:
    roster = _roster()
    accounts = [Account(key="wide", name="W"), Account(key="team1", name="T1"), Account(key="team2", name="T2")]
    msgs = [message(f"w{i}", NOTE.format(name=roster[i].name), "wide", roster[i].staff_id, T0 + days(i))
            for i in range(3)]
    recruiter = "Hi {name}, our robotics team is hiring an embedded engineer; open to a chat about the role?"
    for sender in ("team1", "team2"):
        msgs += [message(f"{sender}{i}", recruiter.format(name=roster[i].name), sender, roster[i].staff_id,
                         T0 + days(i)) for i in (0, 4)]
    found = find_campaigns(msgs, accounts, roster, message_evidence=lambda m: [], profile_evidence=lambda a: [])
    assert [(c.accounts, found.kinds[c.id]) for c in found.campaigns] == [(("wide",), "fan-out")]
    member = [e for e in found.account_evidence["wide"] if e.rule == "fan-out-campaign"]
    assert member and member[0].weight > 0 and found.campaigns[0].id in member[0].reason
    from falsefriends.detect.fusion import default_fusion

    fusion = default_fusion()
    assert fusion.level(fusion.score(list(found.account_evidence["wide"]))[0]).value == "medium"
    assert not any(e.weight > 0 for e in found.account_evidence.get("team1", ()))


def test_one_sender_under_a_url_and_a_name_key_is_a_fan_out_not_a_campaign_of_personas() -> None:
    """Exports with and without URL columns show one sender under two keys, linked by the note they sent: that
    is one account (a fan-out, or nothing), not two personas; a namesake that sent something else stays apart."""
    roster = _roster()
    accounts = [Account(key="https://x/jo", url="https://x/jo", name="Jo Quinn"),
                Account(key="name:jo", name="Jo Quinn"), Account(key="https://x/jo2", url="https://x/jo2",
                                                                  name="Jo Quinn")]
    msgs = [message(f"u{i}", NOTE.format(name=roster[i].name), "https://x/jo", roster[i].staff_id, T0 + days(i))
            for i in range(2)]
    msgs += [message(f"n{i}", NOTE.format(name=roster[i].name), "name:jo", roster[i].staff_id, T0 + days(i))
             for i in (2, 3)]
    msgs.append(message("z", "Congratulations on the new role, well deserved!", "https://x/jo2", roster[5].staff_id,
                        T0))
    found = find_campaigns(msgs, accounts, roster, message_evidence=lambda m: [], profile_evidence=lambda a: [])
    assert [(c.accounts, found.kinds[c.id]) for c in found.campaigns] == [(("https://x/jo", "name:jo"), "fan-out")]
    assert not any(e.rule == "coordinated-personas" for items in found.account_evidence.values() for e in items)
    for key in ("https://x/jo", "name:jo"):
        assert any(e.rule == "fan-out-campaign" and e.weight > 0 for e in found.account_evidence[key])
    assert "https://x/jo2" not in found.campaign_of()


def test_a_persona_whose_messages_are_too_few_for_outreach_still_carries_its_front() -> None:
    """It wrote to staff, so it is not a contact who shows that people the staff know work at the front; it
    shares the front trace with the personas that did outreach."""
    accounts = [Account(key="p1", url="https://x/p1", employer="Northgate Forum"),
                Account(key="p2", url="https://x/p2", employer="Northgate Forum"),
                Account(key="quiet", url="https://x/quiet", employer="Northgate Forum"),
                Account(key="chat", url="https://x/chat", employer="Acme Robotics")]
    traces: dict[str, set[str]] = {}
    front_and_handle_traces(traces, accounts, [], approached={"p1", "p2"}, wrote={"p1", "p2", "quiet", "chat"})
    assert all("front:northgate forum" in traces[k] for k in ("p1", "p2", "quiet"))
    assert "chat" not in traces  # Acme is no outreaching account's employer
    before: dict[str, set[str]] = {}
    front_and_handle_traces(before, accounts, [], approached={"p1", "p2"})  # "quiet" taken for a known contact
    assert not before
