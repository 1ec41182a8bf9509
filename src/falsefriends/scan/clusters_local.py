"""Coordinated clusters on one machine: `scan.coordination`'s row steps with pyarrow group-bys and scipy.

The pair sums are sparse products (account x trace weights times its transpose), the components scipy's;
the Spark engine runs the same steps as joins (`scan.clusters_spark`) and gives the same campaigns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import csr_matrix, triu
from scipy.sparse.csgraph import connected_components

from falsefriends.scan import coordination as co
from falsefriends.scan.campaigns import ScanCampaign

BATCH = 2_000


def _rows(function: object, table: pa.Table, schema: pa.Schema) -> pa.Table:
    batches = list(function(table.to_batches(max_chunksize=BATCH)))  # type: ignore[operator]
    return pa.Table.from_batches(batches, schema=schema)


def trace_table(candidates: pa.Table, outreach: pa.Table, photo_keys: Mapping[int, str] | None) -> pa.Table:
    """(member_id, trace) rows, each once. candidates: member_id, employer, created; outreach: sender,
    recipient, sent_at, template (name or null) for the candidates' items."""
    parts = [_rows(co.account_trace_rows, candidates, co.TRACE_OUT),
             _rows(co.item_trace_rows, outreach, co.TRACE_OUT)]
    if photo_keys:
        parts.append(co.photo_trace_rows(photo_keys, candidates.column("member_id").to_pylist()))
    both = pa.concat_tables(parts)
    return both.group_by(["member_id", "trace"], use_threads=False).aggregate([])


def weighted_traces(traces: pa.Table, accounts: int) -> pa.Table:
    """member_id, trace, weight for the traces that carry weight."""
    holders = traces.group_by("trace", use_threads=False).aggregate([("member_id", "count")]).rename_columns(
        ["trace", "holders"])
    weights = _rows(co.weigh_traces(accounts), holders, co.WEIGHT_OUT)
    return traces.join(weights, "trace", join_type="inner", use_threads=False)


def links(weighted: pa.Table, sizes: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Linked pairs (a < b): shared weight sums and cosines from sparse products, cut by `co.link_pairs`."""
    if weighted.num_rows == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ids, row = np.unique(weighted.column("member_id").to_numpy(), return_inverse=True)
    col = weighted.column("trace").combine_chunks().dictionary_encode().indices.to_numpy()
    weight = weighted.column("weight").to_numpy()
    shape = (len(ids), int(col.max()) + 1)
    w = csr_matrix((weight, (row, col)), shape=shape)
    b = csr_matrix((np.ones(len(weight)), (row, col)), shape=shape)
    sums = triu(w @ b.T, k=1).tocsr()
    squares = (w @ w.T).tocsr()
    norms = np.asarray(squares.diagonal(), dtype=np.float64)
    upper = triu(squares, k=1).tocsr()
    for matrix in (sums, upper):
        matrix.sum_duplicates()
        matrix.sort_indices()
    assert np.array_equal(sums.indices, upper.indices) and np.array_equal(sums.indptr, upper.indptr)
    coo = sums.tocoo()
    if sizes is not None:
        sizes["cluster_pairs"] = len(coo.data)
    pairs = pa.table({"a": ids[coo.row], "b": ids[coo.col], "w": coo.data, "s2": upper.tocoo().data,
                      "na": norms[coo.row], "nb": norms[coo.col]})
    linked = _rows(co.link_pairs, pairs, co.LINK_OUT)
    return linked.column("a").to_numpy(), linked.column("b").to_numpy()


def find_campaigns(candidates: pa.Table, outreach: pa.Table, own_parts: Mapping[int, Sequence[str]],
                   photo_keys: Mapping[int, str] | None = None, sizes: dict[str, float] | None = None
                   ) -> list[ScanCampaign]:
    """The campaigns among the candidates (coordinated clusters), each with its evidence and verdict.

    `sizes`, when given, receives the step's volumes (trace rows, weighted rows, pairs, links): what a
    cluster's shuffles would move (docs/scan.md, the sizing)."""
    if candidates.num_rows < 2:
        return []
    traces = trace_table(candidates, outreach, photo_keys)
    weighted = weighted_traces(traces, candidates.num_rows)
    a, b = links(weighted, sizes)
    if sizes is not None:
        sizes.update({"cluster_trace_rows": traces.num_rows, "cluster_weighted_rows": weighted.num_rows,
                      "cluster_links": len(a)})
    if len(a) == 0:
        return []
    nodes, index = np.unique(np.concatenate([a, b]), return_inverse=True)
    graph = csr_matrix((np.ones(len(a)), (index[: len(a)], index[len(a):])), shape=(len(nodes), len(nodes)))
    _, label = connected_components(graph, directed=False)
    smallest = np.full(label.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, label, nodes)
    member_of = pa.table({"member_id": nodes, "campaign": smallest[label]})
    size_of = member_of.group_by("campaign", use_threads=False).aggregate([("member_id", "count")]).rename_columns(
        ["campaign", "size"])
    shared = weighted.join(member_of, "member_id", join_type="inner", use_threads=False).group_by(
        ["campaign", "trace"], use_threads=False).aggregate([("member_id", "count"), ("weight", "min")])
    shared = shared.filter(pc.greater_equal(shared.column("member_id_count"), 2))
    shared = shared.sort_by([("campaign", "ascending"), ("trace", "ascending")])
    labels, starts = np.unique(shared.column("campaign").to_numpy(), return_index=True)
    offsets = pa.array(np.append(starts, shared.num_rows).astype(np.int32))
    structs = pa.StructArray.from_arrays([shared.column("trace").combine_chunks(),
                                          shared.column("member_id_count").combine_chunks(),
                                          shared.column("weight_min").combine_chunks()],
                                         names=["trace", "count", "weight"])
    lists = pa.ListArray.from_arrays(offsets, structs)
    # Every cluster holds a shared trace (a link needs one), but a missing one would read as an empty list.
    size_of = size_of.sort_by("campaign")
    position = np.searchsorted(labels, size_of.column("campaign").to_numpy())
    found = (position < len(labels)) & (labels[np.minimum(position, len(labels) - 1)] == size_of.column(
        "campaign").to_numpy()) if len(labels) else np.zeros(size_of.num_rows, dtype=bool)
    held = pa.array([lists[int(p)].as_py() if ok else [] for p, ok in zip(position, found, strict=True)],
                    type=lists.type)
    described = _rows(co.describe_clusters, size_of.append_column("held", held), co.CLUSTER_OUT)
    members = nodes.tolist()
    own = _rows(co.own_corroboration, pa.table({
        "member_id": pa.array(members, type=pa.int64()),
        "parts": pa.array([list(own_parts.get(m, ())) for m in members], type=pa.list_(pa.string()))}),
        co.OWN_OUT)
    own = own.join(member_of, "member_id", use_threads=False).filter(pc.field("corroborated"))
    counts = dict(zip(*own.group_by("campaign", use_threads=False).aggregate([("member_id", "count")]).to_pydict()
                      .values(), strict=True))
    listed = member_of.group_by("campaign", use_threads=False).aggregate([("member_id", "list")])
    members_of = dict(zip(*listed.to_pydict().values(), strict=True))
    described = described.sort_by("campaign")
    labels_out = described.column("campaign").to_pylist()
    table = described.append_column("members", pa.array([members_of[c] for c in labels_out],
                                                         type=pa.list_(pa.int64()))).append_column(
        "corroborated_members", pa.array([counts.get(c, 0) for c in labels_out], type=pa.int64()))
    return co.assemble(table)
