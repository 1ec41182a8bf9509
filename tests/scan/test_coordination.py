"""Coordinated clusters as row steps (scan.coordination, scan.clusters_local): the audit's clusters, and a
campaign's corroboration that one account among many cannot give the whole cluster."""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa

from falsefriends.correlate.clusters import account_traces, campaign_candidates, coordination_graph
from falsefriends.model import Account, Evidence, Message
from falsefriends.scan import coordination, records
from falsefriends.scan.clusters_local import find_campaigns

DAY_MS = 86_400_000
START = 1_750_000_000_000


def _network(senders: list[int], template: str, first_recipient: int, employer: str, created: date
             ) -> tuple[pa.Table, pa.Table]:
    """Senders at one employer, created the same week, each sending `template` to four members of its own."""
    candidates = pa.table({"member_id": pa.array(senders, type=pa.int64()), "employer": [employer] * len(senders),
                           "created": pa.array([created] * len(senders), type=pa.date32())})
    rows = [(s, first_recipient + 4 * i + k, START + (4 * i + k) * DAY_MS * 3, template)
            for i, s in enumerate(senders) for k in range(4)]
    outreach = pa.table({"sender": pa.array([r[0] for r in rows], type=pa.int64()),
                         "recipient": pa.array([r[1] for r in rows], type=pa.int64()),
                         "sent_at": pa.array([r[2] for r in rows], type=pa.int64()),
                         "template": pa.array([r[3] for r in rows], type=pa.string())})
    return candidates, outreach


def _step(indicator: str, member: int) -> str:
    return records.dump_evidence([Evidence(rule=f"test-{indicator}", indicator=indicator, weight=1.5,
                                           reason="moves the talk off the platform", message=f"m{member}")])


def _clusters_the_audit_way(candidates: pa.Table, outreach: pa.Table) -> list[tuple[int, ...]]:
    accounts = [Account(key=str(r["member_id"]), employer=r["employer"], created=r["created"])
                for r in candidates.to_pylist()]
    rows = outreach.to_pylist()
    messages = [Message(id=f"x{i}", body="", sender=str(r["sender"]), recipients=(str(r["recipient"]),),
                        sent_at=pa.scalar(r["sent_at"], type=pa.timestamp("ms", tz="UTC")).as_py())
                for i, r in enumerate(rows)]
    template_of = {f"x{i}": r["template"] for i, r in enumerate(rows) if r["template"]}
    graph = coordination_graph(account_traces(accounts, messages, template_of), max_accounts_per_trace=200)
    found = campaign_candidates(graph, None, coordination.SETTINGS.min_edge_weight,
                                min_similarity=coordination.SETTINGS.min_similarity)
    return sorted(tuple(sorted(int(a) for a in c.accounts)) for c in found)


def _two_firms() -> tuple[pa.Table, pa.Table, list[int], list[int]]:
    firm = list(range(100, 112))
    farm = list(range(500, 504))
    c1, o1 = _network(firm, "tpl-m1", 10_000, "Northwind Talent", date(2024, 3, 4))
    c2, o2 = _network(farm, "tpl-m3", 20_000, "Horizon Bridge Advisory", date(2025, 6, 2))
    # Four hundred unrelated outreach accounts (other employers, other days, no shared template): in no
    # cluster, they make a shared template rare, as it is among a platform's outreach accounts.
    others = list(range(1_000, 1_400))
    c3 = pa.table({"member_id": pa.array(others, type=pa.int64()), "employer": [f"Firm {m}" for m in others],
                   "created": pa.array([date(2015, 1, 1) + timedelta(days=5 * i) for i in range(len(others))],
                                       type=pa.date32())})
    return pa.concat_tables([c1, c2, c3]), pa.concat_tables([o1, o2]), firm, farm


def test_row_steps_find_the_audits_clusters() -> None:
    candidates, outreach, firm, farm = _two_firms()
    found = find_campaigns(candidates, outreach, {})
    assert sorted(c.members for c in found) == _clusters_the_audit_way(candidates, outreach)
    assert sorted(c.members for c in found) == [tuple(firm), tuple(farm)]
    by_id = {c.id: c for c in found}
    assert by_id["campaign-500"].templates == ("tpl-m3",)
    assert "4 accounts sent template tpl-m3" in by_id["campaign-500"].shared
    assert by_id["campaign-500"].evidence.indicator == "C1"


def test_an_offer_and_a_request_from_two_accounts_do_not_corroborate_their_cluster() -> None:
    candidates, outreach, firm, farm = _two_firms()
    # One recruiter's paid offer, another's request for information: pooled, they looked like the
    # collection step ("an offer tied to a request") and lifted all twelve.
    own = {firm[0]: [_step("M1", firm[0])], firm[1]: [_step("M4", firm[1])]}
    verdict = {c.id: c.corroborated for c in find_campaigns(candidates, outreach, own)}
    assert verdict == {"campaign-100": False, "campaign-500": False}
    # One account making both moves, or a hostile step (off the platform) in one persona's messages, does.
    own[firm[2]] = [_step("M1", firm[2]), _step("M4", firm[2])]
    own[farm[3]] = [_step("M3", farm[3])]
    assert all(c.corroborated for c in find_campaigns(candidates, outreach, own))


def test_an_account_corroborates_its_own_campaign_signals() -> None:
    own = records.load_evidence(_step("M3", 1))
    signal = Evidence(rule="coordinated-personas", indicator="C1", weight=0.75, reason="linked")
    assert records.gate(own, [signal], corroborated=False)[0].weight == 0.75
    assert records.gate([], [signal], corroborated=False)[0].weight == 0.0
    assert records.gate([], [signal], corroborated=True)[0].weight == 0.75


def test_campaign_corroborated_counts_accounts_corroborated_on_their_own() -> None:
    assert not coordination.campaign_corroborated(250, 0)
    assert coordination.campaign_corroborated(6, 1)
