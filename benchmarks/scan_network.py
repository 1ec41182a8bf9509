"""Time, peak memory and review-queue quality of `falsefriends scan` on simulated networks, both engines.

Each (network, engine) runs `falsefriends scan` in a fresh child process. Wall time is the child's;
peak memory is the largest sum of the resident sets of the child and all its descendants (Spark's JVM
and Python workers included), sampled every 0.2 s from /proc; CPU seconds are those of the child and the
processes it waited for, and (`tree_cpu_s`) those of the whole process tree sampled from /proc, Spark's JVM
included (both less sensitive than wall time to the other jobs of a shared machine). Quality
is read from the queue against the network's truth.json: precision at 100 and 1,000 (capped at the
queue's length, which is printed), R-precision (at k = the number of personas) and recall (personas in
the queue / all personas). The peer is Apache Spark (local[2]) running the same scan:
the ratio of wall times is printed for each network measured with both.

    falsefriends simulate --members 100000 --format parquet --seed 1 --out worlds/net100k
    .venv/bin/python benchmarks/scan_network.py worlds/net100k worlds/net1m --engines local spark
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from falsefriends.scan.quality import quality_of_scan


def _tree_sample(root: int) -> tuple[int, dict[int, int]]:
    """Resident memory of a process and all its descendants, in KiB, and each one's CPU ticks so far (its
    user and system time plus that of the children it waited for), from Linux /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            with open(f"/proc/{entry}/statm") as handle:
                pages = int(handle.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
        ticks[int(entry)] = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    total, stack, tree = 0, [root], {}
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        tree[pid] = ticks.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total, tree


def measure(world: Path, engine: str, out: Path, timeout: float) -> dict[str, Any]:
    command = [str(Path(sys.executable).parent / "falsefriends"), "scan", str(world), "--out", str(out),
               "--engine", engine]
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The scan's standard error (one line per step, as it starts) goes to OUT.log, to follow a long run.
    out.parent.mkdir(parents=True, exist_ok=True)
    log = open(out.parent / f"{out.name}.log", "wb")  # noqa: SIM115 (closed below, after the child ends)
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    peak = 0
    cpu_ticks: dict[int, int] = {}
    while child.poll() is None:
        rss, ticks = _tree_sample(child.pid)
        peak = max(peak, rss)
        for pid, used in ticks.items():
            cpu_ticks[pid] = max(cpu_ticks.get(pid, 0), used)
        if time.perf_counter() - started > timeout:
            child.kill()
            break
        time.sleep(0.2)
    child.wait()
    log.close()
    err = (out.parent / f"{out.name}.log").read_bytes()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the scan and the processes it waited for: a figure that depends less than wall time on
    # what else the shared machine runs. Spark's JVM is not waited for, so the tree's CPU time is also
    # sampled from /proc with the memory (each process's last sample: up to 0.2 s of each is missed).
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tree_cpu = sum(cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")
    row: dict[str, Any] = {"world": str(world), "engine": engine, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                           "tree_cpu_s": round(tree_cpu, 1), "peak_mib": round(peak / 1024),
                           "rc": child.returncode}
    if child.returncode != 0:
        row["error"] = err.decode(errors="replace")[-800:]
        return row
    summary = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    row["timings_s"] = summary["timings_s"]
    row["counts"] = summary["counts"]
    row["quality"] = quality_of_scan(out, world / "truth.json")
    truth = json.loads((world / "truth.json").read_text(encoding="utf-8"))
    row["members"] = truth["world"]["size"]
    row["seed"] = truth["world"]["seed"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("worlds", nargs="+", type=Path, help="network directories (simulate --members)")
    parser.add_argument("--engines", nargs="+", default=["local", "spark"], choices=["local", "spark"])
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per scan before it is stopped")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("--keep", type=Path,
                        help="write each scan's outputs under this directory (NETWORK-ENGINE) and keep them, "
                             "e.g. to compare the engines' queues; by default they go to a temporary directory")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as scratch:
        tmp = str(args.keep) if args.keep else scratch
        for world in args.worlds:
            for engine in args.engines:
                load = os.getloadavg()[0]
                row = measure(world, engine, Path(tmp) / f"{world.name}-{engine}", args.timeout)
                row["load_before"] = round(load, 1)
                row["load_after"] = round(os.getloadavg()[0], 1)
                rows.append(row)
                quality = row.get("quality", {})
                print(f"{world.name:>12} {engine:>5}: {row['wall_s']:>8.1f} s ({row['cpu_s']} CPU s waited for, "
                      f"{row['tree_cpu_s']} CPU s of the process tree), "
                      f"peak {row['peak_mib']:>6} MiB, "
                      f"P@100 {quality.get('precision_at_100')}, P@1000 {quality.get('precision_at_1000')} "
                      f"(k={quality.get('k_1000')}), R-prec {quality.get('r_precision')}, "
                      f"recall {quality.get('recall')} "
                      f"(load {row['load_before']}->{row['load_after']}) rc={row['rc']}", flush=True)
                if args.json:
                    args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    by_world: dict[str, dict[str, float]] = {}
    for row in rows:
        if row["rc"] == 0:
            by_world.setdefault(row["world"], {})[row["engine"]] = row["wall_s"]
    for world, times in by_world.items():
        if "local" in times and "spark" in times:
            print(f"{Path(world).name}: Spark local[2] / local wall time = {times['spark'] / times['local']:.2f}")


if __name__ == "__main__":
    main()
