"""SybilRank: a sybil region attached by few edges gets less trust than the honest region."""

from __future__ import annotations

import numpy as np
import pytest

from falsefriends.correlate.trust import adjacency, low_trust_evidence, sybilrank, trust_from_edges


def two_regions(seed: int = 7) -> tuple[np.ndarray, np.ndarray, int, int]:
    rng = np.random.default_rng(seed)
    honest, sybil = 300, 100
    hl = rng.integers(0, honest, 3000)
    hr = rng.integers(0, honest, 3000)
    sl = rng.integers(honest, honest + sybil, 1500)
    sr = rng.integers(honest, honest + sybil, 1500)
    attack_l = rng.integers(0, honest, 5)
    attack_r = rng.integers(honest, honest + sybil, 5)
    left = np.concatenate((hl, sl, attack_l))
    right = np.concatenate((hr, sr, attack_r))
    return left, right, honest, sybil


def test_sybil_region_gets_lower_trust() -> None:
    left, right, honest, sybil = two_regions()
    graph = adjacency(left, right, honest + sybil)
    scores = sybilrank(graph, seeds=np.arange(0, honest, 30))
    honest_scores, sybil_scores = scores[:honest], scores[honest:]
    assert np.median(sybil_scores) * 5 < np.median(honest_scores)
    # Ranking quality: share of (honest, sybil) pairs ranked the right way (ROC AUC).
    auc = (honest_scores[:, None] > sybil_scores[None, :]).mean()
    assert auc > 0.95


def test_trust_is_conserved_before_normalisation_and_isolated_nodes_get_zero() -> None:
    graph = adjacency(np.array([0, 1, 2]), np.array([1, 2, 0]), 4)
    scores = sybilrank(graph, seeds=[0], iterations=3)
    degree = np.asarray(graph.sum(axis=1)).ravel()
    assert scores[3] == 0.0
    assert np.isclose((scores * degree).sum(), 1.0)
    with pytest.raises(ValueError, match="seed"):
        sybilrank(graph, seeds=[])


def test_low_trust_evidence_names_the_least_trusted_accounts() -> None:
    left, right, honest, sybil = two_regions()
    edges = [(f"n{a}", f"n{b}") for a, b in zip(left.tolist(), right.tolist(), strict=True) if a != b]
    trust = trust_from_edges(edges, seeds=[f"n{i}" for i in range(0, honest, 30)])
    candidates = [f"n{i}" for i in range(honest + sybil)]
    found = low_trust_evidence(trust, candidates, fraction=0.1)
    flagged = {int(k[1:]) for k in found}
    assert len(flagged) >= 30 and sum(1 for i in flagged if i >= honest) / len(flagged) > 0.9
    item = next(iter(found.values()))
    assert item.rule == "low-trust" and item.indicator == "C2" and "SybilRank" in item.reason
