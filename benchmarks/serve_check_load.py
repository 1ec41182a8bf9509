"""Open-loop load on `POST /v1/check` over loopback: p50/p95/p99 latency and achieved checks/s at a fixed
offered rate, beside the same check in-process.

The server is what an operator starts (`falsefriends serve --workers W [--no-semantic]`) on 127.0.0.1. The
load generator runs in its own process: requests arrive on a fixed schedule (`--rate` per second, Poisson
arrivals by default, or evenly spaced) whatever the server does, and are sent over `--clients` kept-alive
connections, at most one request in flight on each (20 concurrent clients). A request's latency runs from
its scheduled arrival to the last byte of the answer, so time spent waiting for a free client counts too
(no coordinated omission). With `--auth token` (the default) each client is its own viewer user with its own
API token, as staff would be; with `--auth public` the clients are anonymous (`--public-check`) and, since
they all come from 127.0.0.1, the per-address limit on checks at once is raised to the number of clients.

`--bodies examples` (the default) cycles through 20 bodies, so after the first few requests every sentence
is in the encoder's cache: it measures the service around the check. `--bodies corpus` sends every text of
the real corpus (`data/corpus`, about 1,000 texts of 450 characters) once, in a fixed shuffled order,
continuing from run to run on one server (the warm-up sends the examples), so the sentences of every request
are new to the server until the corpus runs out (the count of requests with a new text is printed): the
semantic detector's worst case, where each check runs the encoder.

The peer is the check without the service: `batch.parse_line` and the same `check_one` in a loop in one
process with the same checker, so the ratio of service to in-process latency shows what HTTP, JSON,
authentication and the event loop cost.

    python benchmarks/serve_check_load.py                                   # 200/s, 20 clients, 20 s per run
    python benchmarks/serve_check_load.py --rate 200,100 --workers 1,2 --semantic on,off
    python benchmarks/serve_check_load.py --duration 5 --rate 50 --workers 1 --semantic off   # quick
    python benchmarks/serve_check_load.py --against /tmp/old/src --repeat 6 --duration 10 --workers 1 --semantic on

`--against SRC` also serves the `src` folder of another checkout (`git archive COMMIT src | tar -x -C DIR`),
started beside this tree's server with `PYTHONPATH=SRC`, and alternates the measured runs between the two
(`--repeat` runs of each, this tree first): the load other work puts on the machine then falls on both alike.

Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
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


def corpus_bodies(corpus: str, seed: int = 5) -> list[bytes]:
    """Every text of the corpus as a check body, in a fixed shuffled order (each text once)."""
    from falsefriends.corpus import load_corpus

    texts = sorted({item.text for item in load_corpus(Path(corpus)).items})
    random.Random(seed).shuffle(texts)
    return [json.dumps({"id": n, "text": text}).encode() for n, text in enumerate(texts)]


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def in_process(bodies: list[bytes], seconds: float, semantic: bool, once: bool = False) -> dict[str, float]:
    """The peer: parse and check in a loop, one thread, no HTTP, the checker the service builds.

    `once`: each body at most once and no warm-up pass (the corpus: every check meets new sentences)."""
    from falsefriends.api.routes.check import check_one
    from falsefriends.batch import parse_line
    from falsefriends.check import Checker
    from falsefriends.watchlist.bundled import bundled_watchlist
    from falsefriends.watchlist.provider import WatchlistProvider

    checker = Checker(providers=[WatchlistProvider(bundled_watchlist())], semantic=semantic)
    for body in bodies[:20] if once else bodies:  # once: load the encoder on texts the loop does not send
        check_one(checker, parse_line(body, 1))
    todo = bodies[20:] if once else bodies
    latencies: list[float] = []
    started, cpu = time.perf_counter(), time.process_time()
    i = 0
    while time.perf_counter() - started < seconds and not (once and i >= len(todo)):
        t0 = time.perf_counter()
        check_one(checker, parse_line(todo[i % len(todo)], 1))
        latencies.append(1000 * (time.perf_counter() - t0))
        i += 1
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    latencies.sort()
    return {"rate": i / elapsed, "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
            "p99_ms": percentile(latencies, 0.99), "cpu_ms": 1000 * cpu / i}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def make_tokens(db: Path, clients: int) -> list[str]:
    """One viewer per client, each with an API token (what `falsefriends users add/token` do, in-process)."""
    from falsefriends.api.roles import Role
    from falsefriends.api.users import add_user, issue_token
    from falsefriends.store import make_engine, session_scope, upgrade

    engine = make_engine(f"sqlite:///{db}")
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            tokens = []
            for n in range(clients):
                add_user(session, f"load{n}", Role.VIEWER)
                tokens.append(issue_token(session, f"load{n}", "load test"))
    finally:
        engine.dispose()
    return tokens


def start_server(db: Path, port: int, workers: int, semantic: bool, public: bool, clients: int,
                 threads: int | None = None, src: str | None = None) -> subprocess.Popen[bytes]:
    """`falsefriends serve` from this tree, or from the source folder `src` of another checkout."""
    command = [sys.executable, "-c", "from falsefriends.cli import main; main()", "serve", "--db", str(db),
               "--host", HOST, "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--semantic" if semantic else "--no-semantic"]
    if threads is not None:
        command += ["--check-threads", str(threads)]
    if public:
        command += ["--public-check", "--checks-per-principal", str(clients)]
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 90
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
    raise RuntimeError("the server did not answer within 90 s")


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and all its descendants (Linux /proc), e.g. uvicorn's workers."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


# The load generator (its own process) -------------------------------------------------------------------


class _Client:
    """One kept-alive HTTP/1.1 connection; one request at a time."""

    def __init__(self, port: int, token: str | None) -> None:
        self.port = port
        self.auth = f"Authorization: Bearer {token}\r\n".encode() if token else b""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> int:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        self.writer.write(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\n" + self.auth
                          + b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode()
                          + b"\r\n\r\n" + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status


async def _open_loop(spec: dict[str, Any]) -> dict[str, Any]:
    bodies = [b.encode() for b in spec["bodies"]]
    rate, seconds, tokens, first = spec["rate"], spec["seconds"], spec["tokens"], spec.get("offset", 0)
    rng = random.Random(spec["seed"])
    schedule: list[float] = []
    t = 0.0
    while t < seconds:
        schedule.append(t)
        t += rng.expovariate(rate) if spec["arrivals"] == "poisson" else 1.0 / rate
    clients = [_Client(spec["port"], tokens[n] if tokens else None) for n in range(spec["clients"])]
    free: asyncio.Queue[_Client] = asyncio.Queue()
    for client in clients:
        free.put_nowait(client)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures = 0
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05

    async def one(index: int, due: float) -> None:
        nonlocal failures
        client = await free.get()
        try:
            status = await client.post("/v1/check", bodies[(first + index) % len(bodies)])
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                latencies.append(1000 * (loop.time() - due))
        except (OSError, asyncio.IncompleteReadError, ValueError):
            failures += 1
            client.writer = None
        finally:
            free.put_nowait(client)

    tasks = []
    for index, offset in enumerate(schedule):
        due = start + offset
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, due)))
    await asyncio.gather(*tasks)
    elapsed = loop.time() - start
    latencies.sort()
    return {"offered": len(schedule) / seconds, "achieved": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
            "p99_ms": percentile(latencies, 0.99), "max_ms": latencies[-1] if latencies else float("nan"),
            "ok": len(latencies), "sent": len(schedule), "statuses": statuses, "failures": failures}


def client_main() -> None:
    print(json.dumps(asyncio.run(_open_loop(json.loads(sys.stdin.read())))))


def open_loop(port: int, bodies: list[bytes], tokens: list[str] | None, rate: float, seconds: float,
              clients: int, arrivals: str, seed: int, offset: int = 0) -> dict[str, Any]:
    """The generator in its own process, so it does not share the benchmark's interpreter; request `n` sends
    body `offset + n` (cycling)."""
    spec = json.dumps({"port": port, "bodies": [b.decode() for b in bodies], "tokens": tokens, "rate": rate,
                       "seconds": seconds, "clients": clients, "arrivals": arrivals, "seed": seed,
                       "offset": offset})
    out = subprocess.run([sys.executable, __file__, "--client"], input=spec, capture_output=True, text=True,
                         check=True).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", default="200", help="offered checks/s, comma-separated (each is one run)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of measured load per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before each measured run")
    parser.add_argument("--workers", default="2", help="server worker processes to try, comma-separated")
    parser.add_argument("--semantic", default="on,off", help="with the semantic detector: on, off or on,off")
    parser.add_argument("--check-threads", type=int, default=None, help="the server's --check-threads")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (kept-alive connections)")
    parser.add_argument("--auth", choices=("token", "public"), default="token")
    parser.add_argument("--arrivals", choices=("poisson", "uniform"), default="poisson")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bodies", choices=("examples", "corpus"), default="examples",
                        help="examples: 20 bodies over and over (encoder cache hits); corpus: each text new")
    parser.add_argument("--corpus", default="data/corpus", help="the corpus directory for --bodies corpus")
    parser.add_argument("--against", default=None, metavar="SRC",
                        help="also serve this source folder of another checkout, alternating runs with this tree")
    parser.add_argument("--repeat", type=int, default=1, help="measured runs per configuration (and tree)")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        client_main()
        return 0
    examples = request_bodies()
    bodies = corpus_bodies(args.corpus) if args.bodies == "corpus" else examples
    once = args.bodies == "corpus"
    rates = [float(r) for r in args.rate.split(",")]
    semantics = [s.strip() == "on" for s in args.semantic.split(",")]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {args.clients} clients "
          f"({args.auth}), {args.arrivals} arrivals, {args.duration:.0f} s per run, "
          f"{len(bodies)} distinct bodies ({args.bodies})")
    peers = {}
    for semantic in semantics:
        peers[semantic] = peer = in_process(bodies, min(args.duration, 10.0), semantic, once)
        print(f"in-process check (peer, semantic {'on' if semantic else 'off'}, 1 thread, no HTTP): "
              f"{peer['rate']:.0f} checks/s, p50 {peer['p50_ms']:.2f} ms, p95 {peer['p95_ms']:.2f} ms, "
              f"p99 {peer['p99_ms']:.2f} ms, CPU {peer['cpu_ms']:.2f} ms a check")
    rows: list[dict[str, Any]] = []
    trees: dict[str, str | None] = {"this": None}
    if args.against:
        trees["against"] = str(Path(args.against).resolve())
        print(f"against: the tree at {trees['against']}, runs alternating with this tree's")
    with tempfile.TemporaryDirectory(prefix="ff-load-") as tmp:
        db = Path(tmp) / "ws.db"
        tokens = make_tokens(db, args.clients) if args.auth == "token" else None
        for workers in (int(w) for w in args.workers.split(",")):
            for semantic in semantics:
                servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
                sent: dict[str, int] = {}  # bodies sent so far to each server (the corpus continues run to run)
                try:
                    for tree, src in trees.items():
                        port = free_port()
                        servers[tree] = start_server(db, port, workers, semantic, args.auth == "public",
                                                     args.clients, args.check_threads, src), port
                        open_loop(port, examples, tokens, min(rates), args.warmup, args.clients, args.arrivals, 0)
                        sent[tree] = 0
                    for run in range(args.repeat):
                        for tree, (server, port) in servers.items():
                            for rate in rates:
                                load = os.getloadavg()[0]
                                cpu = tree_cpu_seconds(server.pid)
                                result = open_loop(port, bodies, tokens, rate, args.duration, args.clients,
                                                   args.arrivals, args.seed + run, sent[tree])
                                result["new"] = max(0, min(result["sent"], len(bodies) - sent[tree])) if once else 0
                                sent[tree] += result["sent"]
                                cpu_ms = 1000 * (tree_cpu_seconds(server.pid) - cpu) / max(result["sent"], 1)
                                rows.append({"tree": tree, "workers": workers, "semantic": semantic, "rate": rate,
                                             "load": load, "cpu_ms": cpu_ms, **result})
                                print(f"  {tree + ', ' if args.against else ''}workers {workers}, "
                                      f"semantic {'on' if semantic else 'off'}, {rate:.0f}/s: "
                                      f"p99 {result['p99_ms']:.1f} ms, statuses {result['statuses']}, "
                                      f"server CPU {cpu_ms:.2f} ms a check, load {load:.1f}"
                                      + (f", {result['new']} of {result['sent']} texts new" if once else ""),
                                      flush=True)
                finally:
                    for server, _ in servers.values():
                        stop_server(server)
    print()
    print(f"{'tree':>7} {'workers':>7} {'semantic':>8} {'offered/s':>9} {'achieved/s':>10} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7} {'not 200':>7} {'CPU ms':>6} {'load':>5} {'CPU vs in-process':>17}")
    for row in rows:
        bad = row["sent"] - row["ok"]
        print(f"{row['tree']:>7} {row['workers']:>7} {'on' if row['semantic'] else 'off':>8} {row['offered']:>9.0f} "
              f"{row['achieved']:>10.0f} {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} {row['p99_ms']:>7.1f} "
              f"{row['max_ms']:>7.0f} {bad:>7} {row['cpu_ms']:>6.2f} {row['load']:>5.1f} "
              f"{row['cpu_ms'] / peers[row['semantic']]['cpu_ms']:>16.1f}x")
    print("\nCPU ms: the server's CPU time (all its processes) per request sent, however long it waited for a core;"
          "\n1000 / CPU ms is what one free core would sustain.")
    print("\ntarget: p99 < 100 ms at 200 checks/s offered, every request answered 200")
    groups: dict[tuple[str, int, bool], list[dict[str, Any]]] = {}
    for row in rows:
        if row["rate"] >= 200:
            groups.setdefault((row["tree"], row["workers"], row["semantic"]), []).append(row)
    for (tree, workers, semantic), runs in groups.items():
        met = sum(1 for row in runs if row["p99_ms"] < 100 and row["ok"] == row["sent"])
        p99s = ", ".join(f"{row['p99_ms']:.0f}" for row in runs)
        cpus = sorted(row["cpu_ms"] for row in runs)
        print(f"  {tree + ', ' if args.against else ''}workers {workers}, semantic {'on' if semantic else 'off'}: "
              f"met in {met} of {len(runs)} runs (p99 ms {p99s}; server CPU {cpus[0]:.2f}-{cpus[-1]:.2f} ms a check)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
