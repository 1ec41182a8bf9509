"""Benchmark: the organisation audit end to end on a simulated organisation (default 1,000 staff).

Simulates the organisation (`falsefriends simulate`), then times `falsefriends audit` in a child process:
reading every export, storing it in a fresh SQLite workspace, detection, and the three reports. Peak memory
is the child's maximum resident set size (getrusage of a wrapper process that only runs the audit). Stage
times come from the audit's own `--log-json` events. Budget: under 60 s and under 2 GB.

There is no peer tool that audits an organisation from member exports, so the figures are printed against
the budget; the detection quality against the simulation's truth is printed too (planted personas
flagged, genuine accounts flagged).

    .venv/bin/python benchmarks/audit_org.py [--staff 1000] [--seed 7] [--workdir DIR] [--keep]
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

BUDGET_SECONDS = 60.0
BUDGET_BYTES = 2 * 1024**3

def _cli() -> list[str]:
    script = Path(sys.executable).parent / "falsefriends"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from falsefriends.cli import main; main()"]


def _measured(command: list[str], log: Path) -> tuple[int, float, int]:
    """Run `command` in a wrapper process; return its exit code, wall seconds and peak RSS in bytes."""
    wrapper = (
        "import json, resource, subprocess, sys\n"
        f"log = open({str(log)!r}, 'w')\n"
        "done = subprocess.run(sys.argv[1:], stderr=log, stdout=subprocess.DEVNULL)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'rc': done.returncode, 'maxrss_kb': peak}))\n"
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return int(result["rc"]), wall, int(result["maxrss_kb"]) * 1024


def _events(log: Path) -> list[dict[str, Any]]:
    events = []
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            events.append(json.loads(line))
    return events


def _quality(findings_path: Path, truth_path: Path) -> str:
    findings = json.loads(findings_path.read_text(encoding="utf-8"))
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    hostile = {h["url"] for h in truth["hostile_accounts"]}
    flagged = {a["account"] for a in findings["accounts"] if a["level"] != "low"}
    genuine = [a for a in findings["accounts"] if a["account"] not in hostile]
    genuine_flagged = sum(a["account"] in flagged for a in genuine)
    return (f"planted personas flagged (medium/high): {len(hostile & flagged)}/{len(hostile)}; "
            f"genuine accounts flagged: {genuine_flagged}/{len(genuine)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the simulated organisation and the outputs")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ff-audit-bench-"))
    world, audit, db = workdir / "world", workdir / "audit", workdir / "workspace.db"
    for path in (world, audit):
        shutil.rmtree(path, ignore_errors=True)
    for stale in workdir.glob("workspace.db*"):
        stale.unlink()
    cli = _cli()
    started = time.perf_counter()
    subprocess.run([*cli, "simulate", "--staff", str(args.staff), "--seed", str(args.seed), "--out", str(world)],
                   check=True, capture_output=True)
    simulate_s = time.perf_counter() - started
    exports = sorted((world / "exports").iterdir())
    size = sum(p.stat().st_size for p in exports)
    log = workdir / "audit.log"
    command = [*cli, "audit", str(world / "exports"), "--roster", str(world / "roster.csv"), "--out", str(audit),
               "--db", str(db), "--log-json"]
    rc, wall, peak = _measured(command, log)
    if rc != 0:
        sys.exit(f"audit failed with exit code {rc}; see {log}")
    events = _events(log)
    read_s = sum(float(e.get("seconds", 0.0)) for e in events if e["event"] == "export_read")
    detect_s = next(float(e["seconds"]) for e in events if e["event"] == "findings")
    report_s = next(float(e["seconds"]) for e in events if e["event"] == "written")
    load_s = sum(float(e["seconds"]) for e in events if e["event"] == "workspace_loaded")
    print(f"organisation: {args.staff} staff, seed {args.seed}, {len(exports)} exports, {size / 1e6:.1f} MB "
          f"(simulated in {simulate_s:.1f} s)")
    print(f"command: {' '.join(command)}")
    print(f"audit end to end: {wall:.1f} s wall, peak memory {peak / 1024**2:.0f} MiB")
    rest = wall - read_s - load_s - detect_s - report_s
    print(f"  read + store exports: {read_s:.1f} s; load the workspace back: {load_s:.1f} s; detect: {detect_s:.1f} s; "
          f"reports: {report_s:.1f} s; start-up and the rest: {rest:.1f} s")
    print(f"  {args.staff / wall:.0f} staff exports per second")
    within = wall < BUDGET_SECONDS and peak < BUDGET_BYTES
    print(f"budget: time {wall / BUDGET_SECONDS:.2f} x of {BUDGET_SECONDS:.0f} s, memory "
          f"{peak / BUDGET_BYTES:.2f} x of 2 GiB -> {'within' if within else 'OVER'}")
    print(_quality(audit / "findings.json", world / "truth.json"))
    if not args.keep and args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept in {workdir}")


if __name__ == "__main__":
    main()
