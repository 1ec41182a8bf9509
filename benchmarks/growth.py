"""How cost grows: time and peak memory of each step at three sizes, a PNG plot per step, the growth exponent.

    .venv/bin/python benchmarks/growth.py                          # every step at its three default sizes
    .venv/bin/python benchmarks/growth.py --steps trust,templates --scale 0.25     # quicker, smaller sizes
    .venv/bin/python benchmarks/growth.py --out benchmarks/growth  # where the plots and growth.json go

With `--steps` naming only some steps, growth.json keeps the other steps' last figures and records, under
`remeasured`, the commit at which each named step was measured again.

Steps (each size runs in a fresh process, its data made there first and not timed):

- check: `check --no-semantic --jsonl`'s library path (`batch.run_batch_lines`, the rules and the bundled
  watchlist) over N messages of 300-1,500 characters (benchmarks/check_throughput.py's mix);
- check-semantic: the same with the semantic detector (the default `check`), on smaller N;
- audit: `audit_workspace` of a simulated organisation of N staff (its exports, roster, a fresh SQLite
  workspace, detection, campaigns and the reports), the workspace's checker built before the clock starts;
- templates: `correlate.templates.cluster_texts` over N messages (benchmarks/templates_vs_datasketch.py's
  planted templates and noise, 128 permutations, threshold 0.5);
- trust: `correlate.trust.adjacency` + `sybilrank` over a graph of N edges (benchmarks/trust_vs_networkx.py's
  two-region graph);
- watchlist: `WatchlistMatcher` built over N/10 entries, then `match_names` (the bulk path a batch of names
  takes) for N query names, persons and organisations each in one call (benchmarks/watchlist_match.py's
  names, a fifth of them variants of listed ones);
- watchlist-single: the same with one `match_name` (blocking index) per query name, on smaller N.

Time is wall-clock seconds and CPU seconds of the worker process from the prepared data to the result; peak
memory is the worker's peak resident set during the step minus its resident set when the step started
(Linux VmHWM after a reset). The exponent b of cost ~ size^b is the least-squares slope on log-log axes over
the three sizes, fitted on CPU seconds (less disturbed than wall time by other work on a shared machine);
growth is called linear when 0.85 <= b <= 1.15, sub-linear below (fixed costs still weigh at these sizes),
super-linear above. There is no peer here: each step's peer is in its own benchmark.

The plots need matplotlib (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _memory import peak_since_start, start_measuring

HERE = Path(__file__).resolve().parent

SIZES: dict[str, tuple[int, int, int]] = {
    "check": (2_500, 10_000, 40_000),
    "check-semantic": (1_000, 4_000, 16_000),
    "audit": (50, 100, 200),
    "templates": (10_000, 40_000, 160_000),
    "trust": (1_000_000, 4_000_000, 16_000_000),
    "watchlist": (10_000, 40_000, 160_000),
    "watchlist-single": (2_500, 10_000, 40_000),
}
UNITS = {"check": "messages", "check-semantic": "messages", "audit": "staff", "templates": "messages",
         "trust": "edges", "watchlist": "query names", "watchlist-single": "query names"}


# Workers: prepare (not timed), then return the timed step as a callable -----------------------------------


def _check(size: int, seed: int, semantic: bool, folder: Path) -> Callable[[], str]:
    from check_throughput import make_texts

    from falsefriends.batch import BatchResult, run_batch_lines
    from falsefriends.check import Checker

    lines = [json.dumps({"id": i, "text": text}).encode() for i, text in enumerate(make_texts(size, seed))]
    checker = Checker(semantic=semantic)
    list(run_batch_lines(lines[:50], checker, BatchResult()))  # load the rules' automata, the encoder

    def step() -> str:
        result = BatchResult()
        flagged = sum(b'"level": "low"' not in line for line in run_batch_lines(lines, checker, result))
        return f"{len(lines) - result.failed:,} checked, {flagged:,} above low"

    return step


def _audit(size: int, seed: int, semantic: bool, folder: Path) -> Callable[[], str]:
    from falsefriends.audit.workspace_audit import Workspace, audit_workspace, workspace_checker

    world = folder / f"org{size}"
    if not (world / "roster.csv").exists():
        from falsefriends.simulate.organisation import build_organisation
        from falsefriends.simulate.organisation_writer import write_organisation

        write_organisation(build_organisation(size, seed), world)
    exports = sorted((world / "exports").iterdir())
    workspace = Workspace(f"sqlite:///{folder / f'ws{size}-{time.time_ns()}.db'}")
    checker = workspace_checker(workspace.engine)

    def step() -> str:
        result = audit_workspace(exports, world / "roster.csv", folder / f"out{size}", workspace, checker=checker)
        summary = result.findings.summary
        return f"{summary.exports} exports, {summary.accounts:,} outside accounts, {summary.accounts_high} high"

    return step


def _templates(size: int, seed: int, semantic: bool, folder: Path) -> Callable[[], str]:
    from templates_vs_datasketch import generate

    from falsefriends.correlate.templates import cluster_texts

    texts, _ = generate(size, seed, 500)

    def step() -> str:
        clusters = cluster_texts(texts)
        return f"{len(clusters.representative):,} distinct forms, {len(set(clusters.labels.tolist())):,} clusters"

    return step


def _trust(size: int, seed: int, semantic: bool, folder: Path) -> Callable[[], str]:
    from trust_vs_networkx import generate

    from falsefriends.correlate.trust import adjacency, sybilrank

    data = generate(size, seed)
    n_nodes = int(data["nodes"][0])

    def step() -> str:
        scores = sybilrank(adjacency(data["left"], data["right"], n_nodes), data["seeds"])
        return f"{n_nodes:,} nodes scored ({len(scores):,})"

    return step


def _watchlist(size: int, seed: int, semantic: bool, folder: Path, bulk: bool = True) -> Callable[[], str]:
    from watchlist_match import build

    from falsefriends.watchlist.entries import EntryKind
    from falsefriends.watchlist.matcher import WatchlistMatcher

    watchlist, queries = build(max(size // 10, 1), size, seed)

    def step() -> str:
        matcher = WatchlistMatcher(watchlist)
        found = 0
        for kind in (EntryKind.PERSONA, EntryKind.ORGANISATION):
            names = [name for name, k in queries if k is kind]
            if bulk:
                found += sum(len(hits) for hits in matcher.match_names(names, [kind], limit=100_000))
            else:
                found += sum(len(matcher.match_name(name, [kind], limit=100_000)) for name in names)
        return f"{len(watchlist.entries):,} entries, {found:,} matches"

    return step


PREPARE: dict[str, Callable[[int, int, bool, Path], Callable[[], str]]] = {
    "check": lambda n, s, _, f: _check(n, s, False, f),
    "check-semantic": lambda n, s, _, f: _check(n, s, True, f),
    "audit": _audit, "templates": _templates, "trust": _trust, "watchlist": _watchlist,
    "watchlist-single": lambda n, s, _, f: _watchlist(n, s, True, f, bulk=False),
}


def worker(step_name: str, size: int, seed: int, folder: Path) -> dict[str, Any]:
    step = PREPARE[step_name](size, seed, True, folder)
    base = start_measuring()
    wall, cpu = time.perf_counter(), time.process_time()
    note = step()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"step": step_name, "size": size, "seconds": wall, "cpu_seconds": cpu, "peak_mb": peak_since_start(base),
            "note": note}


def run_worker(step_name: str, size: int, seed: int, folder: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", step_name, str(size),
                          "--seed", str(seed), "--data", str(folder)], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{step_name} at {size:,} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["load"] = os.getloadavg()[0]
    return result


# Fit, verdict, plot --------------------------------------------------------------------------------------


def exponent(sizes: list[float], values: list[float]) -> float:
    """Least-squares slope of log(value) on log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(v, 1e-9)) for v in values]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def verdict(b: float) -> str:
    return "linear" if 0.85 <= b <= 1.15 else "sub-linear" if b < 0.85 else "super-linear"


def plot(step_name: str, rows: list[dict[str, Any]], b_time: float, b_memory: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    sizes = [r["size"] for r in rows]
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    for axis, key, label, b in ((left, "cpu_seconds", "seconds (CPU; wall dotted)", b_time),
                                (right, "peak_mb", "peak MB", b_memory)):
        values = [max(r[key], 1e-3) for r in rows]
        axis.loglog(sizes, values, "o-", label=f"measured (b = {b:.2f})")
        axis.loglog(sizes, [values[0] * s / sizes[0] for s in sizes], "--", color="grey", label="linear from the first")
        if key == "cpu_seconds":
            axis.loglog(sizes, [r["seconds"] for r in rows], "x:", label="wall seconds")
        for ticks in (axis.xaxis, axis.yaxis):
            ticks.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ticks.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.3g}"))
            ticks.set_minor_formatter(NullFormatter())
        axis.set_xlabel(UNITS[step_name])
        axis.set_ylabel(label)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    figure.suptitle(f"{step_name}: time {verdict(b_time)}, memory {verdict(b_memory)}")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=HERE).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default=",".join(SIZES), help=f"comma-separated, of: {', '.join(SIZES)}")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every default size (e.g. 0.25)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "growth", help="folder for the PNGs and growth.json")
    parser.add_argument("--replot", action="store_true", help="redraw the PNGs from OUT/growth.json, measure nothing")
    parser.add_argument("--worker", nargs=2, metavar=("STEP", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        assert args.data is not None
        print(json.dumps(worker(args.worker[0], int(args.worker[1]), args.seed, args.data)))
        return 0
    if args.replot:
        saved = json.loads((args.out / "growth.json").read_text())
        for step_name, found in saved["steps"].items():
            plot(step_name, found["rows"], found["time_exponent"], found["memory_exponent"], args.out / found["plot"])
        return 0
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in SIZES]
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    commit = git_commit()
    print(f"commit {commit}; machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    results: dict[str, Any] = {"commit": commit, "steps": {}}
    saved_path = args.out / "growth.json"
    partial = set(steps) != set(SIZES) and saved_path.exists()
    if partial:  # some steps only: the others keep their last figures, and the steps re-measured say at which commit
        results = json.loads(saved_path.read_text())
        results.setdefault("remeasured", {}).update({step_name: commit for step_name in steps})
    with tempfile.TemporaryDirectory(prefix="ff-growth-") as tmp:
        for step_name in steps:
            sizes = [max(1, round(s * args.scale)) for s in SIZES[step_name]]
            rows = []
            for size in sizes:
                row = run_worker(step_name, size, args.seed, Path(tmp))
                rows.append(row)
                print(f"  {step_name:<15} {size:>10,} {UNITS[step_name]:<12} {row['seconds']:8.2f} s wall "
                      f"{row['cpu_seconds']:8.2f} s CPU {row['peak_mb']:8.1f} MB  load {row['load']:.1f}  "
                      f"({row['note']})", flush=True)
            b_time = exponent(sizes, [r["cpu_seconds"] for r in rows])
            b_memory = exponent(sizes, [max(r["peak_mb"], 0.1) for r in rows])
            png = args.out / f"{step_name}.png"
            plot(step_name, rows, b_time, b_memory, png)
            results["steps"][step_name] = {"rows": rows, "time_exponent": b_time, "memory_exponent": b_memory,
                                           "plot": png.name}
    saved_path.write_text(json.dumps(results, indent=1) + "\n")
    print()
    print("| step | size | wall s | CPU s | peak MB | time exponent | memory exponent |")
    print("|---|---:|---:|---:|---:|---|---|")
    for step_name in steps:
        found = results["steps"][step_name]
        for i, row in enumerate(found["rows"]):
            fits = ("", "")
            if i == 0:
                fits = (f"{found['time_exponent']:.2f} ({verdict(found['time_exponent'])})",
                        f"{found['memory_exponent']:.2f} ({verdict(found['memory_exponent'])})")
            print(f"| {step_name if i == 0 else ''} | {row['size']:,} {UNITS[step_name]} | {row['seconds']:.2f} | "
                  f"{row['cpu_seconds']:.2f} | {row['peak_mb']:.0f} | {fits[0]} | {fits[1]} |")
    print(f"\nplots and growth.json in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
