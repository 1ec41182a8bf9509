"""Benchmark: `falsefriends audit` of one export with a 100,000-row Connections.csv, against a bare import.

Writes the scale-test export (`falsefriends.simulate.large_export`: a simulated staff member's real-format
archive with 100,000 extra connections, the world's invitations and messages with its planted approaches,
and three broken rows), then runs, each in its own subprocess:

- falsefriends: `falsefriends audit EXPORT --roster ROSTER --db <fresh SQLite> --out DIR --log-json`: read
  and validate every row, resolve identities, store in the workspace, read back, score every account
  (campaign correlation on, the default), write findings.json, findings.csv and report.html;
- the peer: Python's own `zipfile` + `csv` + `sqlite3`, inserting every row of the same five files as raw
  strings with `executemany` in one transaction: no validation, identity, idempotency or scoring, the floor
  of what any importer costs.

It prints each side's wall time and peak resident memory (the child's own `ru_maxrss`), their ratios, and
the audit's phases from its JSON log. Run on a quiet machine: wall time follows load.

    .venv/bin/python benchmarks/audit_large_export.py [--connections 100000] [--seed 8]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from falsefriends.simulate.large_export import write_large_export

FILES = ("profile.csv", "positions.csv", "connections.csv", "invitations.csv", "messages.csv")


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of the child, and its stderr."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace")
    if child.returncode != 0:
        raise SystemExit(f"{command[:3]} failed ({child.returncode}): {text[-2000:]}")
    return wall, usage.ru_maxrss / 1024, text


def peer(archive: Path, db: Path) -> int:
    """The bare import: every row of the five files into SQLite, one transaction, executemany."""
    connection = sqlite3.connect(db)
    for name in FILES:
        connection.execute(f'CREATE TABLE "{name}" (export TEXT, line INTEGER, row TEXT)')
    rows = 0
    with zipfile.ZipFile(archive) as zipped, connection:
        for info in zipped.infolist():
            base = info.filename.rsplit("/", 1)[-1].lower()
            if base not in FILES:
                continue
            text = zipped.read(info).decode("utf-8-sig")
            records = csv.reader(io.StringIO(text, newline=""))
            header_seen = False
            data = []
            for line, record in enumerate(records, 1):
                if not header_seen:
                    header_seen = len(record) > 2  # skip the Connections.csv preamble
                    continue
                if record:
                    data.append((archive.name, line, "\x1f".join(record)))
            connection.executemany(f'INSERT INTO "{base}" VALUES (?, ?, ?)', data)
            rows += len(data)
    connection.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--peer", nargs=2, metavar=("ARCHIVE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        print(peer(Path(args.peer[0]), Path(args.peer[1])), file=sys.stderr)
        return
    cli = Path(sys.executable).parent / "falsefriends"
    ours_command = [str(cli)] if cli.exists() else [sys.executable, "-c", "from falsefriends.cli import main; main()"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        large = write_large_export(root / "org", connections=args.connections, seed=args.seed)
        archive_bytes = large.archive.stat().st_size
        peer_wall, peer_mb, peer_err = measure([sys.executable, __file__, "--peer", str(large.archive),
                                                str(root / "peer.db")])
        wall, mb, log = measure([*ours_command, "audit", str(large.archive), "--roster", str(large.roster),
                                 "--db", str(root / "ws.db"), "--out", str(root / "out"), "--log-json"])
    events = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    phases = {e["event"]: e.get("seconds") for e in events if "seconds" in e}
    read = next((e for e in events if e["event"] == "export_read"), {})
    findings = next((e for e in events if e["event"] == "findings"), {})
    print(f"export: {large.connection_rows:,} Connections.csv rows ({large.broken_rows} broken), "
          f"{large.invitation_rows} invitations, {large.message_rows} messages; archive "
          f"{archive_bytes:,} bytes")
    print(f"falsefriends audit: rows read {read.get('rows_read')}, accepted {read.get('rows_accepted')}, "
          f"quarantined {read.get('rows_quarantined')}; {findings.get('accounts')} accounts scored "
          f"({findings.get('high')} high, {findings.get('medium')} medium)")
    print(f"peer rows inserted: {peer_err.strip().splitlines()[-1]}")
    print(f"{'':28s}{'wall s':>9s}{'peak MB':>10s}")
    print(f"{'falsefriends audit':28s}{wall:9.1f}{mb:10.0f}")
    print(f"{'peer zipfile+csv+sqlite3':28s}{peer_wall:9.1f}{peer_mb:10.0f}")
    print(f"ratio falsefriends/peer: wall {wall / peer_wall:.1f}x, peak memory {mb / peer_mb:.1f}x")
    print("audit phases (s): read+store {}, read back {}, detect {}, reports {}".format(
        phases.get("export_read"), phases.get("workspace_loaded"), phases.get("findings"), phases.get("written")))


if __name__ == "__main__":
    main()
