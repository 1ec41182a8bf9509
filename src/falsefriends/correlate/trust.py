"""Trust propagation on the connection graph: SybilRank (Cao et al., NSDI 2012) with scipy.sparse.

Trust starts on trusted seeds (the organisation's staff) and spreads along connections by power
iteration: each step, every node splits its trust equally among its neighbours. Fake accounts reach
the honest region through few "attack edges" (accepted connections), so when the iteration stops
early, after about log2(n) steps and long before trust is spread evenly, they hold little of it.
The final score divides a node's trust by its degree, so accounts with many connections are not
favoured for their degree alone. Every step is one sparse matrix-vector product: no loop over nodes.

How it feeds detection: `low_trust_evidence` turns the ranking into evidence for the accounts in
the lowest-trust fraction (rule `low-trust`, indicator C2). It only means something on a graph that
holds connections between outside accounts (platform tables); on an organisation's ego network, where
every contact is one hop from a seed, it is a weak feature and the audit should not use it alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix

from falsefriends.model import Connection, Evidence

LOW_TRUST_RULE = "low-trust"
LOW_TRUST_INDICATOR = "C2"


def adjacency(left: NDArray[np.int64], right: NDArray[np.int64], n_nodes: int) -> csr_matrix:
    """Symmetric 0/1 adjacency matrix (float32 CSR) of an undirected graph; repeated edges and loops dropped."""
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    keep = left != right
    rows = np.concatenate((left[keep], right[keep]))
    cols = np.concatenate((right[keep], left[keep]))
    matrix = coo_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_nodes, n_nodes)).tocsr()
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def sybilrank(
    graph: csr_matrix, seeds: Sequence[int] | NDArray[np.int64], iterations: int | None = None
) -> NDArray[np.float64]:
    """Degree-normalised SybilRank trust of every node of a symmetric adjacency matrix.

    One unit of trust is split among `seeds`; `iterations` defaults to ceil(log2(n)). Nodes without
    connections get 0.
    """
    n_nodes = graph.shape[0]
    seeds = np.unique(np.asarray(seeds, dtype=np.int64))
    if n_nodes == 0:
        return np.zeros(0, dtype=np.float64)
    if len(seeds) == 0:
        raise ValueError("SybilRank needs at least one trusted seed")
    if seeds[0] < 0 or seeds[-1] >= n_nodes:
        raise ValueError("seed index outside the graph")
    steps = iterations if iterations is not None else max(1, math.ceil(math.log2(max(n_nodes, 2))))
    # Work in the matrix's own float type: a float32 matrix times a float64 vector is converted to
    # float64 at every product, which costs more than the product itself.
    dtype = np.float32 if graph.dtype == np.float32 else np.float64
    degree = np.asarray(graph.sum(axis=1), dtype=np.float64).ravel()
    inverse_degree = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0).astype(dtype)
    trust = np.zeros(n_nodes, dtype=dtype)
    trust[seeds] = 1.0 / len(seeds)
    for _ in range(steps):
        # Symmetric graph: the transition transpose is A D^-1, so one product per step.
        trust = graph @ (trust * inverse_degree)
    return np.asarray(trust * inverse_degree, dtype=np.float64)


@dataclass(frozen=True)
class TrustScores:
    """SybilRank scores by account key; `seeds` are the trusted keys."""

    keys: tuple[str, ...]
    scores: NDArray[np.float64]
    seeds: frozenset[str]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.keys, self.scores.tolist(), strict=True))

    def rank_fraction(self) -> dict[str, float]:
        """For each non-seed account, the fraction of non-seed accounts with lower trust (0 = least trusted)."""
        candidates = [i for i, k in enumerate(self.keys) if k not in self.seeds]
        if not candidates:
            return {}
        values = self.scores[candidates]
        order = np.argsort(values, kind="stable")
        ranks = np.empty(len(values), dtype=np.float64)
        ranks[order] = np.arange(len(values)) / max(len(values) - 1, 1)
        return {self.keys[i]: float(r) for i, r in zip(candidates, ranks, strict=True)}


def trust_from_edges(edges: Iterable[tuple[str, str]], seeds: Iterable[str]) -> TrustScores:
    """SybilRank over an undirected graph given as pairs of account keys."""
    index: dict[str, int] = {}
    left: list[int] = []
    right: list[int] = []
    for a, b in edges:
        left.append(index.setdefault(a, len(index)))
        right.append(index.setdefault(b, len(index)))
    seed_keys = frozenset(seeds)
    for key in seed_keys:
        index.setdefault(key, len(index))
    graph = adjacency(np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64), len(index))
    scores = sybilrank(graph, [index[k] for k in seed_keys]) if seed_keys else np.zeros(len(index))
    return TrustScores(tuple(index), scores, seed_keys)


def trust_from_connections(
    connections: Iterable[Connection], staff_keys: Iterable[str], extra_edges: Iterable[tuple[str, str]] = ()
) -> TrustScores:
    """SybilRank over accepted connections (owner - contact) plus any known contact-contact edges."""
    pairs = [(c.owner, c.contact.key or c.contact.url or "") for c in connections]
    pairs = [(a, b) for a, b in pairs if b]
    return trust_from_edges([*pairs, *extra_edges], staff_keys)


def low_trust_evidence(
    trust: TrustScores, accounts: Iterable[str], fraction: float = 0.05, weight: float = 1.0
) -> Mapping[str, Evidence]:
    """C2 evidence for the `accounts` whose trust ranks in the lowest `fraction` of non-seed accounts."""
    ranks = trust.rank_fraction()
    scores = trust.as_dict()
    found: dict[str, Evidence] = {}
    for account in accounts:
        rank = ranks.get(account)
        if rank is None or rank > fraction:
            continue
        found[account] = Evidence(
            rule=LOW_TRUST_RULE,
            indicator=LOW_TRUST_INDICATOR,
            weight=weight,
            reason=(
                f"Little trust reaches this account from the organisation's staff through the connection graph"
                f" (SybilRank score {scores[account]:.3g}, among the lowest {fraction:.0%} of contacts): fake"
                " profiles connect to real people through few accepted connections (Cao et al., NSDI 2012)."
            ),
            source=("Cao et al. 2012",),
            detector="trust",
        )
    return found
