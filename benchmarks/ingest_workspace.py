"""Benchmark: reading member data exports and storing them in the workspace, against a bare CSV-to-SQLite import.

Simulates an organisation (`falsefriends simulate`), then times, on the same exports:

- falsefriends: `read_export` (hardened archive reader, every row validated, dates parsed, HTML made
  plain text, identities resolved) and `ingest_export` (idempotent upserts, one transaction per export,
  name-only accounts linked) into a fresh SQLite workspace, then the same exports again (idempotent
  re-ingest: nothing added);
- the peer: Python's own `zipfile` + `csv` + `sqlite3`, inserting every row of the same five files as raw
  strings, one transaction per export, with no validation, no identity and no idempotency: the floor of
  what any importer costs.

It prints wall and CPU seconds of each and their ratio. Run on a quiet machine: wall time follows load.

    .venv/bin/python benchmarks/ingest_workspace.py [--staff 1000] [--seed 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from falsefriends.ingest.linkedin_export import ExportError, read_export
from falsefriends.ingest.roster import read_roster
from falsefriends.store.db import make_engine, session_scope, upgrade
from falsefriends.store.workspace import ingest_export, record_rejected

FILES = ("profile.csv", "positions.csv", "connections.csv", "invitations.csv", "messages.csv")


def simulate(out: Path, staff: int, seed: int) -> None:
    cli = Path(sys.executable).parent / "falsefriends"
    command = [str(cli)] if cli.exists() else [sys.executable, "-c", "from falsefriends.cli import main; main()"]
    subprocess.run([*command, "simulate", "--out", str(out), "--staff", str(staff), "--seed", str(seed), "-q"],
                   check=True, capture_output=True)


def ours(root: Path, db: Path) -> tuple[float, float, int, int]:
    staff, _ = read_roster(root / "roster.csv")
    by_file = {member.export_file: member for member in staff}
    url = f"sqlite:///{db}"
    upgrade(url)
    engine = make_engine(url)
    rows = quarantined = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for path in sorted((root / "exports").iterdir()):
        with session_scope(engine) as session:
            try:
                export = read_export(path)
            except ExportError as why:
                record_rejected(session, path, str(why))
                continue
            ingest_export(session, export, by_file.get(path.name))
            rows += export.report.rows_read
            quarantined += export.report.rows_quarantined
    result = time.perf_counter() - wall, time.process_time() - cpu, rows, quarantined
    engine.dispose()
    return result


def peer(root: Path, db: Path) -> tuple[float, float, int]:
    connection = sqlite3.connect(db)
    for name in FILES:
        connection.execute(f'CREATE TABLE "{name}" (export TEXT, line INTEGER, row TEXT)')
    rows = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for path in sorted((root / "exports").iterdir()):
        with zipfile.ZipFile(path) as archive, connection:
            for info in archive.infolist():
                base = info.filename.rsplit("/", 1)[-1].lower()
                if base not in FILES:
                    continue
                text = archive.read(info).decode("utf-8-sig")
                records = list(csv.reader(io.StringIO(text, newline="")))
                start = next((i for i, r in enumerate(records) if len(r) > 2), 0)  # skip the preamble
                data = [(path.name, i, "\x1f".join(r)) for i, r in enumerate(records[start + 1 :]) if r]
                connection.executemany(f'INSERT INTO "{base}" VALUES (?, ?, ?)', data)
                rows += len(data)
    result = time.perf_counter() - wall, time.process_time() - cpu, rows
    connection.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "org"
        simulate(root, args.staff, args.seed)
        peer_wall, peer_cpu, peer_rows = peer(root, Path(folder) / "peer.db")
        wall, cpu, rows, quarantined = ours(root, Path(folder) / "ws.db")
        again_wall, again_cpu, _, _ = ours(root, Path(folder) / "ws.db")
    print(f"{args.staff} exports, {rows} rows read ({quarantined} quarantined); peer inserted {peer_rows} rows")
    print(f"falsefriends read+store : {wall:6.2f} s wall {cpu:6.2f} s CPU")
    print(f"falsefriends re-ingest  : {again_wall:6.2f} s wall {again_cpu:6.2f} s CPU (nothing added)")
    print(f"peer zipfile+csv+sqlite3: {peer_wall:6.2f} s wall {peer_cpu:6.2f} s CPU")
    print(f"ratio (CPU) falsefriends/peer: {cpu / peer_cpu:.1f}x")


if __name__ == "__main__":
    main()
