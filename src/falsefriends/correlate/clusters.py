"""Coordinated personas: accounts linked by shared traces, as in Pacheco et al. (ICWSM 2021).

Each outside account leaves traces: the templates it sends, its photo hash, its claimed employer, the
staff it approached in a time window (co-targeting), the period it was created in (creation bursts).
The account x trace incidence matrix is projected to an account x account graph in which an edge weighs
the traces two accounts share, each trace weighted like an inverse document frequency (a trace shared by
few accounts says more than a common one) times a weight for its kind. Only the strongest edges are
kept (above a high quantile of the edge weights), and connected components of what is left are the
campaign candidates. Everything is scipy.sparse: no loop over pairs of accounts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix, diags, triu
from scipy.sparse.csgraph import connected_components

from falsefriends.correlate.normalise import fast_fold
from falsefriends.model import Account, Message

# How much one shared trace of each kind counts before IDF: a reused photo or a shared template is
# hard to explain innocently; the same employer or the same creation week much less so.
DEFAULT_KIND_WEIGHTS: Mapping[str, float] = {
    "template": 1.0,
    "photo": 1.5,
    # One phone number or messaging handle given by two accounts (correlate.traces): one operator.
    "handle": 1.5,
    # An employer that only accounts approaching staff claim, which no other contact holds (correlate.traces).
    "front": 1.0,
    # Real colleagues share an employer too: alone it should not reach the audit's edge cut.
    "employer": 0.2,
    # Co-targeting and creation traces come in two offset grids, so one event usually counts twice;
    # one staff member written to by two accounts in a week is common, several are not.
    "cotarget": 0.07,
    "created": 0.15,
}
_TRACE_SEPARATOR = ":"


def trace_kind(trace: str) -> str:
    return trace.split(_TRACE_SEPARATOR, 1)[0]


def _buckets(day_number: int, width: int) -> tuple[int, int]:
    # Two grids offset by half a width, so that two events close in time share a bucket in at least
    # one grid even when they fall on either side of a boundary of the other.
    return day_number // width, (day_number + width // 2) // width


def _photo_labels(accounts: Sequence[Account]) -> dict[str, str]:
    """Photo hashes that are one picture (mirrored, cropped, recompressed: falsefriends.photo) -> one shared label."""
    hashes = sorted({a.photo.strip() for a in accounts if a.photo})
    if len(hashes) < 2:
        return {}
    from falsefriends.photo.evidence import index_of
    from falsefriends.photo.hashes import is_photo_hash, parse_fingerprint

    prints = [(h, parse_fingerprint(h)) for h in hashes if is_photo_hash(h)]
    if len(prints) < 2:
        return {}
    return {member: group[0] for group in index_of(prints).groups() for member in group}


def account_traces(
    accounts: Iterable[Account],
    messages: Iterable[Message] = (),
    template_of: Mapping[str, str] | None = None,
    *,
    targets: Iterable[str] | None = None,
    cotarget_days: int = 7,
    burst_days: int = 3,
) -> dict[str, set[str]]:
    """Traces of each account (by key): `kind:value` strings.

    `template_of` maps message id -> template id; `targets` limits co-targeting to these recipients
    (the organisation's staff) when given.
    """
    template_of = template_of or {}
    allowed = frozenset(targets) if targets is not None else None
    traces: dict[str, set[str]] = defaultdict(set)
    accounts = list(accounts)
    same_photo = _photo_labels(accounts)  # near-duplicate photos share one trace
    for account in accounts:
        key = account.key or account.url
        if not key:
            continue
        traces.setdefault(key, set())  # an account without traces still exists
        if account.photo:
            photo = account.photo.strip()
            traces[key].add(f"photo:{same_photo.get(photo, photo)}")
        employer = fast_fold(account.employer)
        if employer:
            traces[key].add(f"employer:{employer}")
        if account.created is not None:
            for grid, bucket in enumerate(_buckets(account.created.toordinal(), burst_days)):
                traces[key].add(f"created:{grid}:{bucket}")
    for message in messages:
        if not message.sender:
            continue
        template = template_of.get(message.id)
        if template is not None:
            traces[message.sender].add(f"template:{template}")
        if message.sent_at is None:
            continue
        day = message.sent_at.toordinal()
        for recipient in message.recipients:
            if allowed is not None and recipient not in allowed:
                continue
            for grid, bucket in enumerate(_buckets(day, cotarget_days)):
                traces[message.sender].add(f"cotarget:{recipient}:{grid}:{bucket}")
    return dict(traces)


@dataclass(frozen=True)
class CoordinationGraph:
    """The account x trace incidence, the trace weights, and the weighted account x account projection.

    `weights[i, j]` sums the weights of the traces i and j share (how strong the link is);
    `similarity[i, j]` is the cosine of their weighted trace vectors (TF-IDF-like, as in Pacheco et al.):
    two personas of one operation share most of their traces; two operations that reuse one script
    share one trace among many.
    """

    accounts: tuple[str, ...]
    traces: tuple[str, ...]
    incidence: csr_matrix
    trace_weights: NDArray[np.float64]
    weights: csr_matrix = field(repr=False)
    similarity: csr_matrix = field(repr=False)

    def edge_weights(self) -> NDArray[np.float64]:
        """Weights of the edges (each pair once)."""
        return np.asarray(triu(self.weights, k=1).data, dtype=np.float64)


def _off_diagonal(matrix: Any) -> csr_matrix:
    """The matrix without its diagonal and explicit zeros, as CSR.

    `setdiag(0)` on a CSR matrix inserts an entry for every empty diagonal cell first: with 100,000 accounts
    that have no shared trace (one large export's connections) it took seconds.
    """
    coo = matrix.tocoo()
    keep = (coo.row != coo.col) & (coo.data != 0)
    return csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=coo.shape)


def coordination_graph(
    traces: Mapping[str, Iterable[str]],
    kind_weights: Mapping[str, float] = DEFAULT_KIND_WEIGHTS,
    max_accounts_per_trace: int = 2000,
) -> CoordinationGraph:
    """Project account traces to a weighted account graph.

    A trace held by one account links nobody and is dropped; so is a trace held by more than
    `max_accounts_per_trace` accounts (it would add that number squared edges and says little).
    The weight of trace t is kind_weight(t) * log(n_accounts / accounts_with_t).
    """
    accounts = tuple(traces)
    trace_index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, key in enumerate(accounts):
        for trace in traces[key]:
            rows.append(row)
            cols.append(trace_index.setdefault(trace, len(trace_index)))
    names = tuple(trace_index)
    incidence = csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(accounts), len(names))
    )
    incidence.data[:] = 1.0
    frequency = np.asarray(incidence.sum(axis=0), dtype=np.float64).ravel()
    kinds = np.array([kind_weights.get(trace_kind(t), 0.0) for t in names], dtype=np.float64)
    usable = (frequency >= 2) & (frequency <= max_accounts_per_trace)
    idf = np.log(max(len(accounts), 1) / np.maximum(frequency, 1.0))
    trace_weights = np.where(usable, kinds * idf, 0.0)
    # Only traces that carry weight take part in the products: an unusable trace (one held by 3,000 of a large
    # export's connections) would still add its 9,000,000 structural zeros to them.
    carried = np.flatnonzero(trace_weights)
    incidence_carried = incidence[:, carried]
    weighted = incidence_carried @ diags(trace_weights[carried])
    projection = _off_diagonal(weighted @ incidence_carried.T)
    squared = (weighted @ weighted.T).tocoo()
    norms = np.sqrt(np.maximum(np.asarray(squared.diagonal(), dtype=np.float64), 0.0))
    scale = norms[squared.row] * norms[squared.col]
    cosine = np.divide(squared.data, scale, out=np.zeros_like(squared.data), where=scale > 0)
    similarity = _off_diagonal(coo_matrix((cosine, (squared.row, squared.col)), shape=squared.shape))
    return CoordinationGraph(accounts, names, incidence, trace_weights, projection, similarity)


def strongest_edges(
    graph: CoordinationGraph, quantile: float | None = 0.9, min_weight: float = 0.0, min_similarity: float = 0.0
) -> csr_matrix:
    """The projection with only the edges above the `quantile` of edge weights, at least `min_weight`,
    and between accounts whose trace cosine similarity (`CoordinationGraph.similarity`) is at least
    `min_similarity`.

    `quantile=None` keeps every edge of at least `min_weight` (small inputs, where a quantile of a
    few edges would cut campaigns apart).

    Edges strictly above the quantile are kept, so that a mass of equal, common-trace edges at the
    quantile does not pass; when no edge is above it (the heaviest edges are tied), those at it are kept.
    """
    weights = graph.weights
    if weights.nnz == 0:
        return weights.copy()
    kept = weights.copy().tocsr()
    passes = np.ones(len(kept.data), dtype=bool)
    if quantile is not None:
        edge_weights = graph.edge_weights()
        cut = float(np.quantile(edge_weights, quantile))
        passes = kept.data > cut if (edge_weights > cut).any() else kept.data >= cut
    kept.data[~(passes & (kept.data >= min_weight))] = 0.0
    if min_similarity > 0:
        similar = graph.similarity.copy()
        similar.data = (similar.data >= min_similarity).astype(np.float64)
        kept = kept.multiply(similar).tocsr()
    kept.eliminate_zeros()
    return kept


@dataclass(frozen=True)
class AccountCluster:
    """A campaign candidate: accounts joined by strong shared traces.

    `shared` lists (trace, number of member accounts holding it) for traces held by at least two
    members, the most telling first; it is the explanation of why the accounts belong together.
    """

    accounts: tuple[str, ...]
    shared: tuple[tuple[str, int], ...]
    strength: float


def campaign_candidates(
    graph: CoordinationGraph,
    quantile: float | None = 0.9,
    min_weight: float = 0.0,
    min_size: int = 2,
    min_similarity: float = 0.0,
) -> list[AccountCluster]:
    """Connected components of the strongest-edges graph with at least `min_size` accounts, largest first."""
    kept = strongest_edges(graph, quantile, min_weight, min_similarity)
    if kept.nnz == 0:
        return []
    _, labels = connected_components(kept, directed=False)
    sizes = np.bincount(labels)
    clusters: list[AccountCluster] = []
    for label in np.flatnonzero(sizes >= min_size):
        members = np.flatnonzero(labels == label)
        sub = graph.incidence[members]
        counts = np.asarray(sub.sum(axis=0)).ravel()
        held = np.flatnonzero((counts >= 2) & (graph.trace_weights > 0))
        ranked = sorted(held, key=lambda t: (-counts[t] * graph.trace_weights[t], graph.traces[t]))
        strength = float(kept[members][:, members].sum() / 2.0)
        clusters.append(
            AccountCluster(
                accounts=tuple(sorted(graph.accounts[i] for i in members)),
                shared=tuple((graph.traces[t], int(counts[t])) for t in ranked),
                strength=strength,
            )
        )
    # Rounded: the float sums depend on the order traces were numbered in, which follows set order.
    clusters.sort(key=lambda c: (-len(c.accounts), -round(c.strength, 6), c.accounts))
    return clusters


def describe_shared(shared: Sequence[tuple[str, int]], limit: int = 5) -> list[str]:
    """Plain-language lines for the most telling shared traces (co-targeting summarised per kind)."""
    lines: list[str] = []
    by_kind: Counter[str] = Counter()
    for trace, count in shared:
        kind = trace_kind(trace)
        value = trace.split(_TRACE_SEPARATOR, 1)[1] if _TRACE_SEPARATOR in trace else trace
        if kind in ("cotarget", "created"):
            by_kind[kind] += 1
            continue
        label = {"template": "sent template", "photo": "use photo", "employer": "claim employer",
                 "front": "claim the front organisation", "handle": "give the contact"}.get(kind, kind)
        if len(lines) < limit:
            lines.append(f"{count} accounts {label} {value}")
    if by_kind["cotarget"]:
        lines.append(f"approached the same staff within days ({by_kind['cotarget']} shared target windows)")
    if by_kind["created"]:
        lines.append("created in the same few days")
    return lines

