"""Runs a scan with the chosen engine and writes its files."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from falsefriends.scan.result import Progress, no_progress
from falsefriends.scan.seeds import read_seed_file

ENGINES = ("local", "spark")


def run_scan(tables: Path, out: Path, *, engine: str = "local", master: str | None = None,
             semantic: bool = False, seeds: Path | None = None, progress: Progress = no_progress) -> dict[str, Any]:
    """Scan the platform tables in `tables` and write the results to `out`; returns scan.json's content."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if master is not None and engine != "spark":
        raise ValueError("--master applies to --engine spark only")
    seed_ids = read_seed_file(seeds) if seeds is not None else None
    started = time.perf_counter()
    if engine == "local":
        from falsefriends.scan.local_engine import scan_local

        result = scan_local(tables, semantic=semantic, seeds=seed_ids, progress=progress)
    else:
        from falsefriends.scan.spark_engine import scan_spark

        result = scan_spark(tables, master=master, semantic=semantic, seeds=seed_ids, progress=progress)
    from falsefriends.scan.outputs import write_outputs

    progress("writing results", 0, 0)
    result.timings["total"] = round(time.perf_counter() - started, 3)
    return write_outputs(result, out, engine)
