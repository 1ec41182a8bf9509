"""Time and peak memory of the streamed network generator (`falsefriends simulate --members N`).

Each size runs in a fresh child process so its peak resident memory (VmHWM, read from
/proc/self/status by the child at the end, with getrusage as a fallback) is its own. The figure to
hold is that peak memory stays flat as the number of members grows (the issue asks < 2 GB for 1M).

    .venv/bin/python benchmarks/simulate_network.py --members 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from falsefriends.simulate.network import write_network
started = time.perf_counter()
truth = write_network(int(sys.argv[1]), seed=int(sys.argv[2]), out=Path(sys.argv[3]), chunk=int(sys.argv[4]))
elapsed = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            peak_kib = int(line.split()[1])
except OSError:
    pass
print(json.dumps({"generate_s": elapsed, "peak_kib": peak_kib, "rows": truth["rows"],
                  "hostile": len(truth["hostile_accounts"])}))
"""


def run(members: int, seed: int, chunk: int, out: Path) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, str(members), str(seed), str(out), str(chunk)],
                          check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    result["disk_mib"] = sum(p.stat().st_size for p in out.iterdir()) / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the worlds here (default: a temp dir)")
    args = parser.parse_args()
    root = args.out or Path(tempfile.mkdtemp(prefix="ff-bench-"))
    print(f"{'members':>10} {'wall s':>8} {'gen s':>8} {'peak MiB':>9} {'disk MiB':>9} {'members/s':>10}  rows")
    try:
        for members in args.members:
            r = run(members, args.seed, args.chunk, root / f"net-{members}")
            peak, wall = r["peak_kib"] / 1024, r["wall_s"]
            print(f"{members:>10,} {wall:>8.1f} {r['generate_s']:>8.1f} {peak:>9.0f} "
                  f"{r['disk_mib']:>9.0f} {members / wall:>10,.0f}  {r['rows']}")
            if args.out is None:
                shutil.rmtree(root / f"net-{members}")
    finally:
        if args.out is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
