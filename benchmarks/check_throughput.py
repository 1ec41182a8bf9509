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

    texts = make_texts(args.n, args.seed)
    messages = [Message(id=str(i), body=t) for i, t in enumerate(texts)]
    rules_only = Checker(providers=())
    print(f"messages: {len(texts)} (mean {statistics.mean(len(t) for t in texts):.0f} characters, seed {args.seed}); "
          f"{len(rules_only.rules.message_rules)} message rules; one core")
    timings = {}
    for name, checker in (("check, rules only", rules_only), ("check + watchlist", Checker())):
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


if __name__ == "__main__":
    main()
