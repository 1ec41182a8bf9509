"""Benchmark: SybilRank trust propagation (falsefriends, scipy.sparse) vs networkx personalised PageRank.

The generated graph has an honest region (power-law degrees) and a sybil region (fake accounts densely
connected to each other) joined by a few attack edges; trusted seeds are honest nodes (the staff).
networkx's PageRank personalised to the same seeds is the peer: the propagation a user would otherwise
write with the standard Python graph library. Each side runs in its own subprocess from the same edge
arrays; time covers building the graph from the edge list and propagating trust; peak memory is the
subprocess's peak resident set (Linux VmHWM, reset after loading the edges) minus its resident set then.
Both rankings are scored by ROC AUC (honest above sybil).

    python benchmarks/trust_vs_networkx.py                          # 10,000,000 edges for both
    python benchmarks/trust_vs_networkx.py --edges 1000000 --networkx-edges 1000000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _memory import peak_since_start, start_measuring


def generate(edges: int, seed: int) -> dict[str, np.ndarray]:
    """Edge arrays of a two-region graph with `edges` edges in all, and the honest/sybil split."""
    rng = np.random.default_rng(seed)
    honest = max(edges // 10, 100)
    sybil = max(honest // 20, 20)
    attack = max(sybil // 50, 2)
    sybil_edges = max(edges // 50, sybil)
    honest_edges = edges - sybil_edges - attack
    # Power-law-ish degrees: endpoints drawn with probability ~ 1 / rank^0.8.
    weights = 1.0 / np.arange(1, honest + 1) ** 0.8
    weights /= weights.sum()
    permutation = rng.permutation(honest)
    left = permutation[rng.choice(honest, size=honest_edges, p=weights)]
    right = rng.integers(0, honest, size=honest_edges)
    sybil_left = honest + rng.integers(0, sybil, size=sybil_edges)
    sybil_right = honest + rng.integers(0, sybil, size=sybil_edges)
    attack_left = rng.integers(0, honest, size=attack)
    attack_right = honest + rng.integers(0, sybil, size=attack)
    return {
        "left": np.concatenate((left, sybil_left, attack_left)).astype(np.int64),
        "right": np.concatenate((right, sybil_right, attack_right)).astype(np.int64),
        "nodes": np.array([honest + sybil, honest]),
        "seeds": rng.choice(honest, size=min(1000, honest), replace=False).astype(np.int64),
    }


def _auc(scores: np.ndarray, honest: int) -> float:
    """ROC AUC of honest nodes ranked above sybil nodes (ties count half), by ranks."""
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    n_pos, n_neg = honest, len(scores) - honest
    return float((ranks[:honest].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def worker_ours(data: dict[str, np.ndarray], limit: int) -> dict[str, object]:
    from falsefriends.correlate.trust import adjacency, sybilrank

    left, right = data["left"][:limit], data["right"][:limit]
    n_nodes, honest = (int(x) for x in data["nodes"])
    base = start_measuring()
    start = time.perf_counter()
    graph = adjacency(left, right, n_nodes)
    built = time.perf_counter()
    scores = sybilrank(graph, data["seeds"])
    done = time.perf_counter()
    return {"seconds": done - start, "build": built - start, "propagate": done - built,
            "peak_mb": peak_since_start(base), "auc": _auc(scores, honest)}


def worker_networkx(data: dict[str, np.ndarray], limit: int) -> dict[str, object]:
    import networkx as nx

    left, right = data["left"][:limit], data["right"][:limit]
    n_nodes, honest = (int(x) for x in data["nodes"])
    base = start_measuring()
    start = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(range(n_nodes))
    graph.add_edges_from(zip(left.tolist(), right.tolist(), strict=True))
    graph.remove_edges_from(nx.selfloop_edges(graph))
    built = time.perf_counter()
    personalization = dict.fromkeys(data["seeds"].tolist(), 1.0)
    ranks = nx.pagerank(graph, alpha=0.85, personalization=personalization)
    done = time.perf_counter()
    scores = np.array([ranks[i] for i in range(n_nodes)])
    return {"seconds": done - start, "build": built - start, "propagate": done - built,
            "peak_mb": peak_since_start(base), "auc": _auc(scores, honest)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--networkx-edges", type=int, default=None,
                        help="edges for networkx (default: all); fewer are extrapolated linearly")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--worker", choices=["ours", "networkx"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        with np.load(args.data) as archive:
            data = {k: archive[k] for k in archive.files}
        work = worker_ours if args.worker == "ours" else worker_networkx
        print(json.dumps(work(data, args.limit)))
        return

    nx_edges = min(args.networkx_edges or args.edges, args.edges)
    print(f"generating a graph of {args.edges:,} edges...", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for kind, edges in (("ours", args.edges), ("networkx", nx_edges)):
            # A smaller networkx run gets its own, smaller graph of the same shape.
            data_path = Path(folder) / f"graph-{edges}.npz"
            if not data_path.exists():
                np.savez(data_path, **generate(edges, args.seed))
            print(f"running {kind} on {edges:,} edges...", flush=True)
            command = [sys.executable, __file__, "--worker", kind, "--data", str(data_path), "--limit", str(edges)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
            rows.append((kind, edges, json.loads(done.stdout.strip().splitlines()[-1])))
        if nx_edges != args.edges:
            print(f"running ours on {nx_edges:,} edges too (same graph as networkx)...", flush=True)
            data_path = Path(folder) / f"graph-{nx_edges}.npz"
            command = [sys.executable, __file__, "--worker", "ours", "--data", str(data_path), "--limit", str(nx_edges)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            rows.append(("ours", nx_edges, json.loads(done.stdout.strip().splitlines()[-1])))
    print()
    print(f"{'implementation':<30}{'edges':>12}{'build s':>9}{'propagate s':>13}{'total s':>9}{'peak MB':>9}{'AUC':>7}")
    for kind, edges, r in rows:
        name = "falsefriends SybilRank" if kind == "ours" else "networkx personalised PageRank"
        print(f"{name:<30}{edges:>12,}{r['build']:>9.1f}{r['propagate']:>13.2f}{r['seconds']:>9.1f}"
              f"{r['peak_mb']:>9.0f}{r['auc']:>7.3f}")
    ours = next(r for k, e, r in rows if k == "ours" and e == args.edges)
    theirs = next(r for k, e, r in rows if k == "networkx")
    if nx_edges == args.edges:
        ratio = theirs["seconds"] / ours["seconds"]
        print(f"speed ratio at {args.edges:,} edges (networkx / falsefriends): {ratio:.1f}x;"
              f" peak memory ratio: {theirs['peak_mb'] / max(ours['peak_mb'], 1):.1f}x")
    else:
        ours_small = next(r for k, e, r in rows if k == "ours" and e == nx_edges)
        extrapolated = theirs["seconds"] * args.edges / nx_edges
        print(f"speed ratio at {nx_edges:,} edges (networkx / falsefriends): "
              f"{theirs['seconds'] / ours_small['seconds']:.1f}x")
        print(f"networkx at {args.edges:,} edges extrapolated linearly from {nx_edges:,}: {extrapolated:,.0f} s;"
              f" ratio to falsefriends measured at {args.edges:,}: {extrapolated / ours['seconds']:.1f}x")


if __name__ == "__main__":
    main()
