"""Batch check throughput and per-check latency on one core, beside a bare regex scan as the floor.

The peer is what a user would otherwise write: every rule pattern searched with Python's `re` over
the lower-cased text, no accent folding, no offsets, no evidence, no fusion. The check itself runs
the same patterns through RE2 (one multi-pattern pass, then spans only for the rules that can fire).

    python benchmarks/check_throughput.py [--n 5000] [--seed 7]
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
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figure claims

    checker = Checker()
    texts = make_texts(args.n, args.seed)
    messages = [Message(id=str(i), body=t) for i, t in enumerate(texts)]
    for message in messages[:200]:  # warm caches (folding table, compiled patterns)
        checker.message(message)

    latencies = []
    start = time.perf_counter()
    for message in messages:
        t0 = time.perf_counter()
        checker.message(message)
        latencies.append(time.perf_counter() - t0)
    ours = time.perf_counter() - start

    patterns = [re.compile(p) for r in checker.rules.message_rules for p in r.spec.patterns]
    peer = bare_regex_scan(texts, patterns)

    latencies.sort()
    mean_len = statistics.mean(len(t) for t in texts)
    print(f"messages: {len(texts)} (mean {mean_len:.0f} characters, seed {args.seed}); "
          f"{len(checker.rules.message_rules)} message rules, {len(patterns)} patterns; one core")
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    print(f"falsefriends check : {len(texts) / ours:10.0f} messages/s  p50 {p50 * 1e3:.2f} ms  p99 {p99 * 1e3:.2f} ms")
    print(f"bare regex scan    : {len(texts) / peer:10.0f} messages/s   (no folding, offsets, evidence or fusion)")
    print(f"ratio (check time / bare scan time): {ours / peer:.2f}x  "
          f"(the full check is {peer / ours:.1f}x {'faster' if ours < peer else 'slower'} than the bare scan)")


if __name__ == "__main__":
    main()
