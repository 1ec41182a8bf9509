"""Time and peak memory of the streamed network generator (`falsefriends simulate --members N`).

Each size runs in a fresh child process so its peak resident memory (VmHWM, read from
/proc/self/status by the child at the end, with getrusage as a fallback) is its own. The figure to
hold is that peak memory stays flat as the number of members grows (the issue asks < 2 GB for 1M).

The peer is Faker, what a user would otherwise reach for: it writes ONLY the members table (name,
profile URL, employer, title, about, creation date) row by row, streamed to Parquet in the same
chunks, while falsefriends writes all five tables (members, organisations, invitations, messages,
connections). The ratio therefore favours the peer. Needs the `bench` extra (`pip install .[bench]`).

    .venv/bin/python benchmarks/simulate_network.py --members 100000 1000000 --peer-members 100000
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


_PEER = """
import json, resource, sys, time
from pathlib import Path
import pyarrow as pa, pyarrow.parquet as pq
from faker import Faker
members, seed, out, chunk = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
out.mkdir(parents=True, exist_ok=True)
started = time.perf_counter()
fake = Faker(["en_GB", "fr_FR", "de_DE", "zh_CN", "ar_AA", "ru_RU", "hi_IN", "es_ES", "ja_JP"])
Faker.seed(seed)
writer = None
for start in range(0, members, chunk):
    rows = {k: [] for k in ("member_id", "profile_url", "first_name", "last_name", "employer", "position", "about",
                            "created")}
    for i in range(start, min(members, start + chunk)):
        first, last = fake.first_name(), fake.last_name()
        rows["member_id"].append(i)
        rows["profile_url"].append("https://www.linkedin.com/in/" + fake.slug(first + " " + last) + f"-{i:x}")
        rows["first_name"].append(first)
        rows["last_name"].append(last)
        rows["employer"].append(fake.company())
        rows["position"].append(fake.job())
        rows["about"].append(fake.sentence())
        rows["created"].append(fake.date_between("-10y", "today"))
    table = pa.Table.from_pydict(rows)
    writer = writer or pq.ParquetWriter(out / "members.parquet", table.schema, compression="zstd")
    writer.write_table(table)
writer.close()
elapsed = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"generate_s": elapsed, "peak_kib": peak_kib, "rows": {"members": members}}))
"""


def run(members: int, seed: int, chunk: int, out: Path, child: str = _CHILD) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", child, str(members), str(seed), str(out), str(chunk)],
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
    parser.add_argument("--peer-members", type=int, default=0,
                        help="also time Faker writing only a members table of this size (0: skip)")
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
        if args.peer_members:
            ours = run(args.peer_members, args.seed, args.chunk, root / "ours-peer-size")
            try:
                peer = run(args.peer_members, args.seed, args.chunk, root / "faker", child=_PEER)
            except subprocess.CalledProcessError as why:
                print(f"peer (Faker) did not run - install the bench extra: {why.stderr.strip()[-200:]}")
                return
            print(f"\nat {args.peer_members:,} members: falsefriends (5 tables) {ours['generate_s']:.1f} s, "
                  f"peak {ours['peak_kib'] / 1024:.0f} MiB; Faker (members table only) {peer['generate_s']:.1f} s, "
                  f"peak {peer['peak_kib'] / 1024:.0f} MiB; speed ratio {peer['generate_s'] / ours['generate_s']:.1f}x")
    finally:
        if args.out is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
