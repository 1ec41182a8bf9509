"""Targeting: staff, departments, sectors and time span per account; credibility laundering."""

from __future__ import annotations

from datetime import UTC

from falsefriends.correlate.targeting import (
    credibility_laundering,
    fan_out_evidence,
    sector_shares,
    sector_split,
    staff_index,
    summarise_laundering,
    targeting_by_account,
)
from falsefriends.model import Direction, Message
from tests.correlate.factories import T0, connection, days, message, staff


def test_counts_staff_departments_sectors_and_span() -> None:
    roster = staff(8)
    index = staff_index(roster)
    messages = [message(f"m{i}", "hello", "persona", f"s{i}", T0 + days(i)) for i in range(6)]
    messages.append(message("again", "hello again", "persona", "s0", T0 + days(10)))
    # Keys may be profile URLs; outgoing messages and messages between staff are not approaches.
    messages.append(message("url", "hi", "other", "https://www.linkedin.com/in/staff7", T0))
    messages.append(Message(id="out", body="x", sender="persona", recipients=("s1",), direction=Direction.OUTGOING))
    messages.append(message("internal", "lunch?", "s2", "s3", T0))
    result = targeting_by_account(messages, index)
    assert set(result) == {"persona", "other"}
    persona = result["persona"]
    assert persona.approaches == 7 and persona.staff == ("s0", "s1", "s2", "s3", "s4", "s5")
    assert persona.departments == ("defence", "energy", "finance", "it")
    assert persona.sectors == {"state": 3, "business": 3, "unknown": 0}
    assert persona.span_days == 10.0 and abs(persona.staff_per_week - 4.2) < 1e-9
    assert result["other"].staff == ("s7",)
    evidence = fan_out_evidence(persona)
    assert evidence is not None and evidence.indicator == "P7" and evidence.rule == "targeting-fan-out"
    assert 0.5 < evidence.weight <= 1.0 and "6 staff in 4 departments" in evidence.reason
    assert fan_out_evidence(result["other"]) is None


def test_sector_split_and_shares() -> None:
    index = staff_index(staff(4))
    split = sector_split(["s0", "s1", "s2", "s0", "nobody"], index)
    assert split == {"state": 2, "business": 1, "unknown": 1}
    assert sector_shares(split) == {"state": 2 / 3, "business": 1 / 3}
    assert sector_shares({"unknown": 3}) == {}


def test_credibility_laundering_counts_connections_accepted_before_each_approach() -> None:
    index = staff_index(staff(8))
    # s0 accepts first, then s4 (same department as s0 and s8?) ; s4 and s0 are both "defence" (i % 4 == 0).
    messages = [
        message("a0", "hi", "persona", "s0", T0),
        message("a1", "hi", "persona", "s4", T0 + days(5)),
        message("a2", "hi", "persona", "s1", T0 + days(9)),
    ]
    connections = [
        connection("s0", "persona", (T0 + days(1)).date()),
        connection("s4", "persona", (T0 + days(6)).date()),
        connection("s1", "https://www.linkedin.com/in/staff4", T0.date()),  # staff-to-staff link s1 - s4
    ]
    steps = credibility_laundering(messages, connections, index)["persona"]
    assert [(s.target, s.connected_staff, s.same_department, s.mutual) for s in steps] == [
        ("s0", 0, 0, 0),
        ("s4", 1, 1, 0),
        ("s1", 2, 0, 1),
    ]
    summary = summarise_laundering(steps)
    assert summary is not None
    assert (summary.with_colleague_connections, summary.with_mutual, summary.max_connected_staff) == (1, 1, 2)


def test_naive_aware_and_missing_times_mix() -> None:
    index = staff_index(staff(4))
    messages = [
        message("naive", "hi", "persona", "s0", T0),
        message("aware", "hi", "persona", "s1", (T0 + days(2)).replace(tzinfo=UTC)),
        Message(id="none", body="hi", sender="persona", recipients=("s2",)),
    ]
    result = targeting_by_account(messages, index)["persona"]
    assert result.first == T0.replace(tzinfo=UTC) and result.span_days == 2.0
    steps = credibility_laundering(messages, [], index)["persona"]
    assert [s.target for s in steps] == ["s2", "s0", "s1"]  # the undated approach first
