"""Coordinated personas: shared traces project to a weighted graph whose strong components are campaigns."""

from __future__ import annotations

from datetime import date

import numpy as np

from falsefriends.correlate.clusters import (
    account_traces,
    campaign_candidates,
    coordination_graph,
    describe_shared,
    strongest_edges,
)
from tests.correlate.factories import T0, account, days, message


def planted_traces() -> dict[str, set[str]]:
    traces: dict[str, set[str]] = {}
    for i in range(5):  # group A: one template and one reused photo
        traces[f"a{i}"] = {"template:tA", "photo:pA", f"employer:own{i}"}
    for i in range(4):  # group B: a front organisation and a second template
        traces[f"b{i}"] = {"template:tB", "employer:global strategic consulting"}
    for i in range(40):  # background: common employers, singletons
        traces[f"x{i}"] = {f"employer:firm{i % 3}", f"photo:x{i}"}
    traces["lonely"] = set()
    return traces


def test_two_planted_groups_are_recovered() -> None:
    graph = coordination_graph(planted_traces())
    clusters = campaign_candidates(graph, quantile=0.9)
    assert [c.accounts for c in clusters] == [
        tuple(f"a{i}" for i in range(5)),
        tuple(f"b{i}" for i in range(4)),
    ]
    assert clusters[0].shared[0] == ("photo:pA", 5)  # the strongest explanation first
    assert ("template:tB", 4) in clusters[1].shared
    assert "5 accounts use photo pA" in describe_shared(clusters[0].shared)


def test_idf_weighting_makes_common_traces_count_less() -> None:
    graph = coordination_graph(planted_traces())
    index = {a: i for i, a in enumerate(graph.accounts)}
    weights = graph.weights.toarray()
    # Sharing a rare photo+template weighs more than sharing one of three common employers.
    assert weights[index["a0"], index["a1"]] > weights[index["x0"], index["x3"]] > 0
    assert weights[index["a0"], index["a0"]] == 0
    cut = strongest_edges(graph, quantile=0.9)
    assert cut[index["x0"], index["x3"]] == 0 and cut[index["a0"], index["a1"]] > 0
    assert np.allclose(cut.toarray(), cut.toarray().T)


def test_traces_from_accounts_and_messages() -> None:
    accounts = [
        account("p1", photo="hash1", employer="Global Strategic Consulting", created=date(2024, 1, 2)),
        account("p2", photo="hash1", employer="GLOBAL STRATEGIC CONSULTING", created=date(2024, 1, 3)),
    ]
    messages = [
        message("m1", "x", "p1", "s1", T0),
        message("m2", "x", "p2", "s1", T0 + days(2)),
        message("m3", "x", "p2", "outsider", T0),
    ]
    traces = account_traces(accounts, messages, {"m1": "tpl-1", "m2": "tpl-1"}, targets={"s1"})
    shared = traces["p1"] & traces["p2"]
    assert {"photo:hash1", "employer:global strategic consulting", "template:tpl-1"} <= shared
    assert any(t.startswith("cotarget:s1:") for t in shared)
    assert any(t.startswith("created:") for t in shared)
    assert not any("outsider" in t for t in traces["p2"])


def test_similarity_keeps_apart_operations_that_reuse_one_script() -> None:
    traces: dict[str, set[str]] = {}
    for op in ("a", "b"):  # two operations: own front and templates, one follow-up text in common
        for i in range(3):
            traces[f"{op}{i}"] = {f"employer:front {op}", f"template:{op}1", f"template:{op}2", "template:shared"}
    for i in range(60):
        traces[f"x{i}"] = {f"employer:firm{i % 20}"}
    graph = coordination_graph(traces)
    merged = campaign_candidates(graph, quantile=None, min_weight=1.0)
    assert [len(c.accounts) for c in merged] == [6]
    apart = campaign_candidates(graph, quantile=None, min_weight=1.0, min_similarity=0.5)
    assert [c.accounts for c in apart] == [("a0", "a1", "a2"), ("b0", "b1", "b2")]
