"""The audit with the shipped check (semantic detector on): its evidence reaches the findings, and the
roster's names never move a score."""

from __future__ import annotations

import pytest

from falsefriends.audit.findings import build_findings
from falsefriends.check import Checker
from falsefriends.model import Channel, Level, Sector

from .conftest import World, export_of, from_exports, persona, received, staff, when


@pytest.fixture(scope="module")
def shipped() -> Checker:
    return Checker()


def test_the_hostile_persona_is_high_with_the_semantic_evidence(world: World, shipped: Checker) -> None:
    findings = build_findings(world.data, shipped)
    hostile = next(a for a in findings.accounts if a.account == world.hostile.url)
    assert hostile.level is Level.HIGH
    rules = {e.rule for e in hostile.evidence}
    assert "semantic-head" in rules
    head = next(e for e in hostile.evidence if e.rule == "semantic-head")
    assert head.detector == "semantic" and "Sentences that weighed most" in head.reason
    assert findings.generated_with["fusion"].startswith("learnt")


@pytest.mark.parametrize("name", ["Wang Fang", "王芳", "محمد الرشيد", "Ольга Смирнова", "Nguyễn Thị Hương"])
def test_a_staff_members_name_in_the_text_never_moves_the_score(shipped: Checker, name: str) -> None:
    def score(staff_name: str) -> tuple[float, list[tuple[str, float]]]:
        member = staff("S1", staff_name, "Research", Sector.STATE)
        sender = persona("p-1", "Lee Carter", headline="Consultant", employer="Insight Advisory")
        body = (f"Our client asked for {staff_name} in particular: two short analysis notes on trade policy, "
                "well paid. Could we continue on Signal?")
        export = export_of(member, invitations=(received(sender, member, body, when(3, 1),
                                                         channel=Channel.INVITATION),), contacts=(sender,))
        account = build_findings(from_exports([export], [member]), shipped).accounts[0]
        return account.score, sorted((e.rule, e.weight) for e in account.evidence)

    assert score(name) == score("Alice Martin")
