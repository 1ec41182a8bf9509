"""Benchmark: how long the command line takes to start and answer, in fresh processes.

    .venv/bin/python benchmarks/startup.py [--runs 20] [--cache warm|cold|off] [--json]

Runs each command `--runs` times, every run a new process (round-robin over the commands, so load on the
machine spreads evenly), and prints the median, 90th percentile and minimum wall time of each beside
`python -c pass` (the interpreter's own start), with the ratio of medians:

- `python -c pass`: the floor;
- `falsefriends --help`: the command line's import and its help;
- `falsefriends check --no-semantic MESSAGE`: rules and bundled watchlist (the fast path);
- `falsefriends check MESSAGE`: rules, watchlist and the semantic detector (sentence encoder, prototypes, head).

`--baseline DIR` runs the same commands with `PYTHONPATH=DIR` too (another tree's `src/`, e.g. a worktree of
an older commit: `git worktree add /tmp/before COMMIT`), interleaved with these runs, so both sides see the
same load. `--cache` chooses the start-up cache (`falsefriends.cache`) the runs use: `warm` (default) a fresh folder
filled by one untimed run first, as on any machine after the first check; `cold` a fresh empty folder for
every run (each run builds the cache: what the very first run on a machine costs); `off` no cache at all
(`FALSEFRIENDS_CACHE=off`: everything built in memory every time). Then it prints the top of
`python -X importtime` for the check path (cumulative microseconds, the imports of both threads).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MESSAGE = ("Could we continue on WhatsApp? Our client, a consultancy in Shanghai, pays 2,000 USD per short "
           "analysis note on your ministry's position.")


def _cli() -> list[str]:
    """The installed `falsefriends` script next to this interpreter, or the same entry point through -c."""
    script = Path(sys.executable).parent / "falsefriends"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from falsefriends.cli import main; main()"]


def commands(message: str) -> dict[str, list[str]]:
    cli = _cli()
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "falsefriends --help": [*cli, "--help"],
        "falsefriends check --no-semantic": [*cli, "check", "--no-semantic", message],
        "falsefriends check": [*cli, "check", message],
    }


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])}... exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return elapsed


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def measure(runs: int, cache: str, message: str, baseline: Path | None = None) -> dict[str, Any]:
    todo = commands(message)
    base = {k: v for k, v in os.environ.items() if not k.startswith("FALSEFRIENDS_CACHE")}
    base["COLUMNS"] = "100"
    folder = Path(tempfile.mkdtemp(prefix="falsefriends-startup-"))
    env = dict(base)
    if cache == "off":
        env["FALSEFRIENDS_CACHE"] = "off"
    else:
        env["FALSEFRIENDS_CACHE_DIR"] = str(folder / "cache")
    plan = [(name, argv, env) for name, argv in todo.items()]
    if baseline is not None:  # the same commands on another source tree, interleaved with these runs
        other = {**env, "PYTHONPATH": str(baseline)}
        plan += [(f"{name} [baseline]", argv, other) for name, argv in todo.items() if name != "python -c pass"]
    times: dict[str, list[float]] = {name: [] for name, _, _ in plan}
    try:
        if cache == "warm":
            _run(todo["falsefriends check"], env)  # untimed: fills the cache
        for run in range(runs):
            for name, argv, run_env in plan:
                if cache == "cold":
                    shutil.rmtree(folder / "cache", ignore_errors=True)
                times[name].append(_run(argv, run_env))
            print(f"\rrun {run + 1}/{runs}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    floor = statistics.median(times["python -c pass"])
    rows = {name: {"median_s": round(statistics.median(t), 4), "p90_s": round(_p90(t), 4),
                   "min_s": round(min(t), 4), "ratio_to_python": round(statistics.median(t) / floor, 1)}
            for name, t in times.items()}
    return {"runs": runs, "cache": cache, "baseline": str(baseline) if baseline else None, "rows": rows,
            "machine": machine()}


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            # with PYTHONDONTWRITEBYTECODE set, an editable install compiles its modules from source at every start
            "bytecode_cache": not os.environ.get("PYTHONDONTWRITEBYTECODE")}


def importtime(message: str, top: int) -> list[tuple[int, int, str]]:
    """(cumulative us, self us, module) of the check path's imports, largest cumulative first."""
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "from falsefriends.cli import main; main()",
                           "check", message], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                          check=False, text=True)
    found: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:"):].split("|")
        try:
            self_us, cumulative = int(parts[0]), int(parts[1])
        except ValueError:
            continue  # the header line
        found.append((cumulative, self_us, parts[2].rstrip()))
    return sorted(found, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (default 20)")
    parser.add_argument("--cache", choices=("warm", "cold", "off"), default="warm")
    parser.add_argument("--message", default=MESSAGE, help="the message checked")
    parser.add_argument("--top", type=int, default=25, help="imports shown from -X importtime (default 25)")
    parser.add_argument("--baseline", type=Path, help="another source tree's src/ folder (e.g. a git worktree of an "
                                                          "older commit): its commands run interleaved with these")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = measure(args.runs, args.cache, args.message, args.baseline)
    result["importtime_top"] = [{"cumulative_us": c, "self_us": s, "module": m}
                                for c, s, m in importtime(args.message, args.top)]
    if args.json:
        print(json.dumps(result, indent=2))
        return
    m = result["machine"]
    print(f"{args.runs} runs each, fresh processes, cache {args.cache}; {m['cpus']} CPUs, {m['platform']}, "
          f"Python {m['python']}, load average {m['load_average']}, bytecode cache "
          f"{'on' if m['bytecode_cache'] else 'off (PYTHONDONTWRITEBYTECODE)'}")
    print("\n| command | median s | p90 s | min s | x python -c pass |\n|---|---|---|---|---|")
    for name, row in result["rows"].items():
        print(f"| `{name}` | {row['median_s']:.3f} | {row['p90_s']:.3f} | {row['min_s']:.3f} | "
              f"{row['ratio_to_python']:.1f} |")
    print("\n-X importtime of `falsefriends check` (top by cumulative time):")
    print(f"{'cumulative ms':>14} {'self ms':>8}  module")
    for item in result["importtime_top"]:
        print(f"{item['cumulative_us'] / 1000:14.1f} {item['self_us'] / 1000:8.1f}  {item['module']}")


if __name__ == "__main__":
    main()
