"""Load on `POST /v1/check` over loopback: sustained checks/s and p50/p99 latency, beside the same check in-process.

The server is what an operator starts (`falsefriends serve --public-check --workers W`) on 127.0.0.1; the load
generator is wrk (Debian's `wrk`, a Lua script cycling through request bodies) or, when wrk is missing, an
asyncio + httpx client in its own process. The peer is the check without the service: `batch.parse_line` and
the same `check_one` called in a loop in one process, so the ratio shows what HTTP, JSON and the event loop cost.

    python benchmarks/serve_check_load.py                       # 20 s per configuration, workers 1 and 2
    python benchmarks/serve_check_load.py --duration 5 --workers 2 --connections 8 --generator httpx

Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import resources
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


def request_bodies() -> list[bytes]:
    """One batch line per bundled example, text only and text with the sender's profile (20 bodies)."""
    raw = (resources.files("falsefriends.examples") / "approaches.jsonl").read_text(encoding="utf-8")
    bodies = []
    for number, line in enumerate(raw.splitlines()):
        example = json.loads(line)
        bodies.append(json.dumps({"id": number, "text": example["text"]}).encode())
        with_profile = {"id": f"{number}p", "text": example["text"]}
        if example.get("profile"):
            with_profile["profile"] = example["profile"]
        bodies.append(json.dumps(with_profile).encode())
    return bodies


def in_process_rate(bodies: list[bytes], seconds: float) -> dict[str, float]:
    """The peer: parse and check in a loop, one process, no HTTP."""
    from falsefriends.api.routes.check import check_one
    from falsefriends.batch import parse_line
    from falsefriends.check import Checker
    from falsefriends.watchlist.bundled import bundled_watchlist
    from falsefriends.watchlist.provider import WatchlistProvider

    # The same checker the service builds: the rules plus the (bundled) watchlist.
    checker = Checker(providers=[WatchlistProvider(bundled_watchlist())])
    for body in bodies:
        check_one(checker, parse_line(body, 1))
    latencies: list[float] = []
    started = time.perf_counter()
    i = 0
    while time.perf_counter() - started < seconds:
        t0 = time.perf_counter()
        check_one(checker, parse_line(bodies[i % len(bodies)], 1))
        latencies.append(time.perf_counter() - t0)
        i += 1
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rate": i / elapsed, "p50_ms": 1000 * latencies[len(latencies) // 2],
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(workers: int, db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from falsefriends.cli import main; main()", "serve", "--db", str(db),
               "--host", HOST, "--port", str(port), "--public-check", "--workers", str(workers),
               "--log-level", "warning"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited: {server.stderr.read().decode()[-2000:] if server.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/v1/health", timeout=1) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


LUA = """
local bodies = {}
for line in io.lines("%s") do bodies[#bodies + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i %% #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f %%d\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max))
end
"""


def run_wrk(url: str, bodies: list[bytes], connections: int, seconds: float, folder: Path) -> dict[str, float]:
    lines = folder / "bodies.jsonl"
    lines.write_bytes(b"\n".join(bodies) + b"\n")
    script = folder / "check.lua"
    script.write_text(LUA % lines)
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--timeout", "10s", "-s",
                          str(script), url], capture_output=True, text=True, check=True).stdout
    found = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", out)
    if found is None:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    requests, duration_us, errors = int(found[1]), int(found[2]), int(found[3])
    return {"rate": requests / (duration_us / 1e6), "p50_ms": float(found[4]), "p99_ms": float(found[5]),
            "errors": errors, "requests": requests}


async def _httpx_load(url: str, bodies: list[bytes], connections: int, seconds: float) -> dict[str, float]:
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        stop = time.perf_counter() + seconds

        async def user(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                answer = await client.post(url, content=bodies[i % len(bodies)],
                                           headers={"content-type": "application/json"})
                latencies.append(time.perf_counter() - t0)
                errors += answer.status_code != 200
                i += 1

        started = time.perf_counter()
        await asyncio.gather(*(user(n) for n in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rate": len(latencies) / elapsed, "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)], "errors": errors, "requests": len(latencies)}


def run_httpx(url: str, bodies: list[bytes], connections: int, seconds: float) -> dict[str, float]:
    """The async client in its own process, so it does not share the benchmark's interpreter."""
    payload = json.dumps({"url": url, "bodies": [b.decode() for b in bodies], "connections": connections,
                          "seconds": seconds})
    out = subprocess.run([sys.executable, __file__, "--client"], input=payload, capture_output=True, text=True,
                         check=True).stdout
    result: dict[str, float] = json.loads(out)
    return result


def load(generator: str, url: str, bodies: list[bytes], connections: int, seconds: float,
         folder: Path) -> dict[str, float]:
    if generator == "wrk":
        return run_wrk(url, bodies, connections, seconds, folder)
    return run_httpx(url, bodies, connections, seconds)


def client_main() -> None:
    spec = json.loads(sys.stdin.read())
    result = asyncio.run(_httpx_load(spec["url"], [b.encode() for b in spec["bodies"]], spec["connections"],
                                     spec["seconds"]))
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of measured load per configuration")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", default="1,2", help="server worker processes to try, comma-separated")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--generator", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        client_main()
        return 0
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "httpx"
    bodies = request_bodies()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; generator {generator}, "
          f"{args.connections} connections, {args.duration:.0f} s per run, {len(bodies)} distinct bodies")
    peer = in_process_rate(bodies, min(args.duration, 10.0))
    print(f"in-process check (peer, 1 process, no HTTP): {peer['rate']:.0f} checks/s, "
          f"p50 {peer['p50_ms']:.2f} ms, p99 {peer['p99_ms']:.2f} ms")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="ff-load-") as tmp:
        folder = Path(tmp)
        for workers in (int(w) for w in args.workers.split(",")):
            port = free_port()
            server = start_server(workers, folder / f"w{workers}.db", port)
            url = f"http://{HOST}:{port}/v1/check"
            try:
                load(generator, url, bodies, args.connections, args.warmup, folder)
                result = load(generator, url, bodies, args.connections, args.duration, folder)
            finally:
                stop_server(server)
            rows.append({"workers": workers, **result})
    print()
    print(f"{'workers':>7} {'checks/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs in-process':>14}")
    for row in rows:
        print(f"{row['workers']:>7} {row['rate']:>9.0f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
              f"{int(row['errors']):>7} {row['rate'] / peer['rate']:>13.2f}x")
    best = max(rows, key=lambda r: r["rate"])
    target = best["rate"] >= 200 and best["p99_ms"] < 100
    print(f"\ntarget >= 200 checks/s at p99 < 100 ms: {'met' if target else 'NOT met'} "
          f"(best: {best['workers']} workers, {best['rate']:.0f} checks/s, p99 {best['p99_ms']:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
