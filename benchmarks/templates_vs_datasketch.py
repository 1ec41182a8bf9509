"""Benchmark: template clustering of N messages, falsefriends' vectorised MinHash/LSH vs datasketch and rensa.

Both sides get the same generated corpus (planted templates varied by greeting, name, slot values,
numbers, line breaks and small edits, plus unrelated noise messages), the same normalisation (falsefriends'
batch normaliser, `normalise_many` for the peers, the same code inside `cluster_texts`) and the same word
3-shingles, the same number of permutations, the same LSH bands x rows (num_perm/4 x 4; datasketch is given them
through `params`, rensa through its band count) and the same threshold. Each side runs in its own subprocess;
time counts from the loaded texts to cluster labels (normalise, shingle, MinHash, LSH, union of candidates), in
CPU seconds of the worker process (all its threads; `time.process_time`, so the load of a shared machine
counts less), wall seconds printed beside; peak memory is the subprocess's peak resident set (Linux VmHWM,
reset after loading the texts) minus its resident set at that point. The time of the shared normaliser is printed
beside (the peers call it first; falsefriends' share is measured by a second pass), so that the ratio of what
follows it can be read too. Recall: pairs of messages sampled from
the first `--datasketch-n` messages whose exact Jaccard similarity (of the shingle sets) reaches the
threshold; a pair is found when the LSH index makes it a candidate.

rensa (Rust MinHash, PyPI) runs through its bulk calls (`RMinHash.from_token_sets`, `insert_many`, `query_all`)
with falsefriends' bands x rows (num_perm/4 x 4), then the same union of candidates whose estimated Jaccard
reaches the threshold, at `--datasketch-n` and at `--rensa-n` (200,000: at 1,000,000 its candidate lists, about
a thousand per templated message, took over 22 GB and the worker was killed for memory), falsefriends beside
it at both sizes.

    python benchmarks/templates_vs_datasketch.py                # N = 1,000,000; datasketch on 50,000, rensa to 200,000
    python benchmarks/templates_vs_datasketch.py --n 100000 --datasketch-n 20000
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _memory import peak_since_start, start_measuring

FIRST = ["John", "Marie", "Klaus", "Wei", "Amelie", "Olu", "Sofia", "Pierre", "Anna", "Jan", "Lena", "Omar"]
LAST = ["Smith", "Dupont", "Meyer", "Zhang", "Laurent", "Adeyemi", "Rossi", "Martin", "Novak", "Weber", "Haddad"]
GREETINGS = ["Dear {n},\n", "Hi {n},\n", "Hello {n}\n", "Bonjour {n},\n", "Good morning {n},\n", ""]
SIGNOFFS = ["\nBest regards,\n{s}", "\nKind regards\n{s}", "\nCordialement, {s}", "\n{s}", ""]
TOPICS = [
    "energy policy", "defence procurement", "nuclear safety", "trade with Asia", "5G networks", "space",
    "semiconductors", "water security", "rare earths", "cyber policy", "public health", "maritime law",
]


def _vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    syllables = ["ka", "lo", "mi", "ren", "tur", "vas", "pe", "dor", "li", "qua", "sen", "mo", "tri", "zel", "bra",
                 "é", "ou", "ch", "st", "ion"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables, size=int(rng.integers(2, 5)))))
    return sorted(words)


def generate(n: int, seed: int, n_templates: int) -> tuple[list[str], np.ndarray]:
    """`n` texts, half of them variants of `n_templates` templates (label >= 0), half noise (label -1)."""
    rng = np.random.default_rng(seed)
    vocab = _vocabulary(rng, 6000)
    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    templates = []
    for _ in range(n_templates):
        words = [vocab[i] for i in rng.choice(len(vocab), size=int(rng.integers(35, 70)), p=zipf)]
        for slot in ("{topic}", "{fee}", "{name}"):
            words.insert(int(rng.integers(0, len(words))), slot)
        templates.append(words)
    labels = np.where(rng.random(n) < 0.5, rng.integers(0, n_templates, n), -1)
    texts = []
    for label in labels.tolist():
        name = f"{FIRST[rng.integers(len(FIRST))]} {LAST[rng.integers(len(LAST))]}"
        if label < 0:
            words = [vocab[i] for i in rng.choice(len(vocab), size=int(rng.integers(20, 80)), p=zipf)]
            texts.append(" ".join(words))
            continue
        words = list(templates[label])
        for _ in range(int(rng.integers(0, 3))):  # small edits: replace, drop or add a word
            at = int(rng.integers(0, len(words)))
            edit = rng.integers(0, 3)
            if edit == 0:
                words[at] = vocab[int(rng.integers(len(vocab)))]
            elif edit == 1 and len(words) > 10:
                del words[at]
            else:
                words.insert(at, vocab[int(rng.integers(len(vocab)))])
        body = " ".join(words)
        body = body.replace("{topic}", TOPICS[rng.integers(len(TOPICS))])
        body = body.replace("{fee}", str(rng.integers(5, 50) * 100))
        body = body.replace("{name}", name.split()[0])
        if rng.random() < 0.3:
            body = body.replace(" ", "\n", int(rng.integers(1, 4)))
        greeting = GREETINGS[rng.integers(len(GREETINGS))].format(n=name)
        signoff = SIGNOFFS[rng.integers(len(SIGNOFFS))].format(s=f"{FIRST[rng.integers(len(FIRST))]}")
        texts.append(greeting + body + signoff)
    return texts, labels


def _shingle_set(tokens: list[str]) -> set[str]:
    from falsefriends.correlate.normalise import FRAMING

    kept = [t for t in tokens if t not in FRAMING]
    if len(kept) < 3:
        kept = kept + ["<pad>"] * (3 - len(kept))
    return {" ".join(kept[i: i + 3]) for i in range(len(kept) - 2)}


def worker_ours(texts: list[str], pairs: np.ndarray, num_perm: int, threshold: float) -> dict[str, object]:
    from falsefriends.correlate.minhash import Banding, MinHasher
    from falsefriends.correlate.templates import cluster_texts

    base = start_measuring()
    start, cpu = time.perf_counter(), time.process_time()
    clusters = cluster_texts(texts, threshold=threshold, hasher=MinHasher(num_perm), banding=Banding(num_perm // 4, 4))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = peak_since_start(base)
    # The normalising share, measured by a second pass of the same batch normaliser (not counted above).
    from falsefriends.correlate.normalise import Vocabulary, normalise_ids

    normalising = time.process_time()
    normalise_ids(texts, Vocabulary())
    normalising = time.process_time() - normalising
    form = clusters.form_of
    left, right = form[pairs[:, 0]], form[pairs[:, 1]]
    candidate = (left == right) | clusters.banding.share_a_band(clusters.keys, left, right)
    same_cluster = clusters.labels[pairs[:, 0]] == clusters.labels[pairs[:, 1]]
    return {
        "seconds": cpu, "wall": elapsed, "peak_mb": peak, "normalise": normalising, "candidate": candidate.tolist(),
        "same_cluster": same_cluster.tolist(), "distinct_forms": len(clusters.representative),
        "clusters": len(set(clusters.labels.tolist())),
    }


def worker_datasketch(texts: list[str], pairs: np.ndarray, num_perm: int, threshold: float,
                      own_bands: bool = False) -> dict[str, object]:
    from datasketch import MinHash, MinHashLSH

    from falsefriends.correlate.normalise import normalise_many

    base = start_measuring()
    start, cpu = time.perf_counter(), time.process_time()
    forms = normalise_many(texts)
    normalising = time.process_time() - cpu
    # falsefriends' bands x rows (datasketch would choose 25 x 5 for 0.5 and 128 permutations: --datasketch-own-bands)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=None if own_bands else (num_perm // 4, 4))
    sketches = []
    for index, tokens in enumerate(forms):
        sketch = MinHash(num_perm=num_perm)
        sketch.update_batch([s.encode("utf-8") for s in _shingle_set(tokens)])
        lsh.insert(index, sketch)
        sketches.append(sketch)
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for index, sketch in enumerate(sketches):
        for other in lsh.query(sketch):
            if sketch.jaccard(sketches[other]) >= threshold:
                parent[find(other)] = find(index)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    candidate = [int(j) in set(lsh.query(sketches[int(i)])) for i, j in pairs.tolist()]
    return {"seconds": cpu, "wall": elapsed, "peak_mb": peak_since_start(base), "normalise": normalising,
            "candidate": candidate, "clusters": len({find(i) for i in range(len(texts))}), "bands": lsh.b,
            "rows": lsh.r}


def worker_rensa(texts: list[str], pairs: np.ndarray, num_perm: int, threshold: float) -> dict[str, object]:
    """rensa (Rust MinHash) through its bulk calls, with the same bands x rows as falsefriends (num_perm/4 x 4)."""
    from rensa import RMinHash, RMinHashLSH

    from falsefriends.correlate.normalise import normalise_many

    base = start_measuring()
    start, cpu = time.perf_counter(), time.process_time()
    forms = normalise_many(texts)
    normalising = time.process_time() - cpu
    sketches = RMinHash.from_token_sets([sorted(_shingle_set(tokens)) for tokens in forms], num_perm, 42)
    lsh = RMinHashLSH(threshold, num_perm, num_perm // 4)
    lsh.insert_many(sketches)
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    candidates = lsh.query_all(sketches)
    for index, found in enumerate(candidates):
        sketch = sketches[index]
        for other in found:
            if other != index and sketch.jaccard(sketches[other]) >= threshold:
                parent[find(other)] = find(index)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    candidate = [int(j) in set(candidates[int(i)]) for i, j in pairs.tolist()]
    return {"seconds": cpu, "wall": elapsed, "peak_mb": peak_since_start(base), "normalise": normalising,
            "candidate": candidate, "clusters": len({find(i) for i in range(len(texts))}),
            "bands": num_perm // 4, "rows": 4}


def _run_worker(kind: str, data: Path, n: int, args: argparse.Namespace) -> dict[str, object]:
    command = [sys.executable, __file__, "--worker", kind, "--data", str(data), "--n", str(n),
               "--num-perm", str(args.num_perm), "--threshold", str(args.threshold)]
    if args.datasketch_own_bands:
        command.append("--datasketch-own-bands")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} worker failed:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _sample_pairs(texts: list[str], labels: np.ndarray, limit: int, count: int, threshold: float,
                  seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs among the first `limit` texts (mostly same-template ones) and their exact Jaccard similarity."""
    from falsefriends.correlate.normalise import normalise

    rng = np.random.default_rng(seed + 1)
    head = labels[:limit]
    templated = np.flatnonzero(head >= 0)
    pairs: list[tuple[int, int]] = []
    while len(pairs) < count:
        i = int(rng.choice(templated))
        same = np.flatnonzero(head == head[i])
        j = int(rng.choice(same)) if rng.random() < 0.9 else int(rng.integers(limit))
        if i != j:
            pairs.append((i, j))
    exact = []
    for i, j in pairs:
        a, b = _shingle_set(normalise(texts[i])), _shingle_set(normalise(texts[j]))
        exact.append(len(a & b) / len(a | b))
    return np.array(pairs, dtype=np.int64), np.array(exact)


def _rest(row: tuple[str, int, dict[str, object], float]) -> float:
    """CPU seconds of a run after its normalising."""
    return float(row[2]["seconds"]) - float(row[2]["normalise"])  # type: ignore[arg-type]


def _medians(rows: list[tuple[str, int, dict[str, object], float]]) -> list[tuple[str, int, dict[str, object], float]]:
    """One row per side and size: the run of median CPU time (the lower middle one of an even count)."""
    kept: list[tuple[str, int, dict[str, object], float]] = []
    for key in dict.fromkeys((r[0], r[1]) for r in rows):
        runs = sorted((r for r in rows if (r[0], r[1]) == key), key=lambda r: float(r[2]["seconds"]))  # type: ignore
        kept.append(runs[(len(runs) - 1) // 2])
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="messages for falsefriends")
    parser.add_argument("--datasketch-n", type=int, default=50_000, help="messages for datasketch (extrapolated)")
    parser.add_argument("--rensa-n", type=int, default=200_000,
                        help="largest size for rensa: its query_all returns every candidate of every message, about"
                             " a thousand per templated message at 1,000,000 (over 22 GB, killed for memory here)")
    parser.add_argument("--datasketch-big", type=int, default=200_000,
                        help="a second, larger size for datasketch (when below --n): the 1,000,000 figure is"
                             " extrapolated linearly from the largest size measured (0: only --datasketch-n)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of every side at --datasketch-n, each in a fresh process; the median is reported")
    parser.add_argument("--templates", type=int, default=500)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--datasketch-own-bands", action="store_true",
                        help="datasketch chooses its bands x rows for the threshold (25 x 5 at 0.5), not 32 x 4")
    parser.add_argument("--worker", choices=["ours", "datasketch", "rensa"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        # A pickle of exactly these texts: reading them from a feather table and dropping it left pyarrow's
        # allocator returning the table's pages during the measured run (0.2-0.3 s of system time at 50,000).
        with (args.data / f"corpus-{args.n}.pkl").open("rb") as handle:
            texts = pickle.load(handle)
        pairs = np.load(args.data / "pairs.npy")
        if args.worker == "datasketch":
            print(json.dumps(worker_datasketch(texts, pairs, args.num_perm, args.threshold, args.datasketch_own_bands)))
            return
        work = {"ours": worker_ours, "rensa": worker_rensa}[args.worker]
        print(json.dumps(work(texts, pairs, args.num_perm, args.threshold)))
        return

    small = min(args.datasketch_n, args.n)
    print(f"generating {args.n:,} messages ({args.templates} planted templates, half noise)...", flush=True)
    texts, labels = generate(args.n, args.seed, args.templates)
    pairs, exact = _sample_pairs(texts, labels, small, args.pairs, args.threshold, args.seed)
    similar = exact >= args.threshold
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        np.save(data / "pairs.npy", pairs)
        rows: list[tuple[str, int, dict[str, object], float]] = []
        spread: dict[tuple[str, int], list[float]] = {}
        rensa_big = min(args.rensa_n, args.n)
        datasketch_big = min(args.datasketch_big, args.n) if args.datasketch_big > small else small
        for size in {small, rensa_big, datasketch_big, args.n}:
            with (data / f"corpus-{size}.pkl").open("wb") as handle:
                pickle.dump(texts[:size], handle, protocol=pickle.HIGHEST_PROTOCOL)
        del texts
        # The sides alternate at the small size, so that the load of a shared machine falls on each alike.
        plan = [(kind, small) for _ in range(max(args.repeat, 1)) for kind in ("ours", "datasketch", "rensa")]
        plan += [(kind, n) for kind, n in (("ours", rensa_big), ("rensa", rensa_big), ("ours", datasketch_big),
                                           ("datasketch", datasketch_big), ("ours", args.n)) if n != small]
        for kind, n in plan:
            runs = spread.setdefault((kind, n), [])
            if n != small and runs:
                continue
            print(f"running {kind} on {n:,}...", flush=True)
            result = _run_worker(kind, data, n, args)
            recall = float(np.mean(np.asarray(result["candidate"])[similar])) if similar.any() else float("nan")
            runs.append(float(result["seconds"]))  # type: ignore[arg-type]
            rows.append((kind, n, result, recall))
            # each row as it comes, so that a later worker that fails (memory) does not lose it
            print(f"  {float(result['seconds']):.1f} CPU s, {float(result['wall']):.1f} wall s,"  # type: ignore[arg-type]
                  f" {float(result['peak_mb']):.0f} MB, recall {recall:.3f}", flush=True)  # type: ignore[arg-type]
        rows = _medians(rows)
    print()
    print(f"pairs sampled: {len(pairs)}, with exact Jaccard >= {args.threshold}: {int(similar.sum())}")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    bands = "bands x rows below" if args.datasketch_own_bands else f"{args.num_perm // 4} bands x 4 rows"
    print(f"parameters: {args.num_perm} permutations and {bands} on every side, word 3-shingles,"
          f" threshold {args.threshold}, the same normaliser")
    print(f"{'implementation':<24}{'messages':>12}{'CPU s':>10}{'normalise':>10}{'rest':>8}{'wall s':>10}"
          f"{'msg/CPU s':>12}{'peak MB':>10}{'recall':>9}  runs (CPU s)")
    for kind, n, result, recall in rows:
        seconds = float(result["seconds"])  # type: ignore[arg-type]
        normalising = float(result["normalise"])  # type: ignore[arg-type]
        name = {"ours": "falsefriends", "datasketch": "datasketch MinHashLSH", "rensa": "rensa RMinHashLSH"}[kind]
        print(f"{name:<24}{n:>12,}{seconds:>10.1f}{normalising:>10.1f}{seconds - normalising:>8.1f}"
              f"{float(result['wall']):>10.1f}{n / seconds:>12,.0f}"  # type: ignore[arg-type]
              f"{float(result['peak_mb']):>10.0f}"  # type: ignore[arg-type]
              f"{recall:>9.3f}  {', '.join(f'{x:.1f}' for x in spread[(kind, n)])}")
    print("(normalise: CPU s of the shared batch normaliser inside each run; for falsefriends measured by a second"
          f" pass; rest: everything else; at {small:,} the median of {max(args.repeat, 1)} runs in fresh processes,"
          " the sides alternating)")
    ours_small = next(r for r in rows if r[0] == "ours" and r[1] == small)
    theirs = next(r for r in rows if r[0] == "datasketch")
    ours_big = next(r for r in rows if r[0] == "ours" and r[1] == args.n)
    t_small = float(ours_small[2]["seconds"])  # type: ignore[arg-type]
    t_theirs = float(theirs[2]["seconds"])  # type: ignore[arg-type]
    t_big = float(ours_big[2]["seconds"])  # type: ignore[arg-type]
    theirs_big = max((r for r in rows if r[0] == "datasketch"), key=lambda r: r[1])
    big = theirs_big[1]
    extrapolated = float(theirs_big[2]["seconds"]) * args.n / big  # type: ignore[arg-type]
    rensa_row = next(r for r in rows if r[0] == "rensa")
    print(f"bands x rows: datasketch {theirs[2]['bands']} x {theirs[2]['rows']}, rensa {rensa_row[2]['bands']} x"
          f" {rensa_row[2]['rows']}, falsefriends {args.num_perm // 4} x 4")
    print(f"speed ratio at {small:,} messages (datasketch / falsefriends): {t_theirs / t_small:.1f}x"
          f" (after the shared normaliser: {_rest(theirs) / _rest(ours_small):.1f}x)")
    for n in sorted({small, min(args.rensa_n, args.n)}):
        ours_n = next(r for r in rows if r[0] == "ours" and r[1] == n)
        rensa_n = next(r for r in rows if r[0] == "rensa" and r[1] == n)
        print(f"speed ratio at {n:,} messages (rensa / falsefriends): "
              f"{float(rensa_n[2]['seconds']) / float(ours_n[2]['seconds']):.2f}x"  # type: ignore[arg-type]
              f" (after the shared normaliser: {_rest(rensa_n) / _rest(ours_n):.2f}x; above 1: falsefriends is faster)")
    if big != small:
        ours_at_big = next(r for r in rows if r[0] == "ours" and r[1] == big)
        t_big_theirs = float(theirs_big[2]["seconds"])  # type: ignore[arg-type]
        growth = np.log(t_big_theirs / t_theirs) / np.log(big / small)
        print(f"speed ratio at {big:,} messages (datasketch / falsefriends):"
              f" {t_big_theirs / float(ours_at_big[2]['seconds']):.1f}x"  # type: ignore[arg-type]
              f" (after the shared normaliser: {_rest(theirs_big) / _rest(ours_at_big):.1f}x)")
        print(f"datasketch's CPU time grows as n^{growth:.2f} from {small:,} to {big:,} messages (each template's"
              " variants are candidates of one another, so its queries return more as the corpus grows)")
    if args.n != big:
        print(f"datasketch at {args.n:,} extrapolated linearly from {big:,}: {extrapolated:,.0f} s"
              f" (a lower bound: its query results grow with template size)")
        rest_extrapolated = _rest(theirs_big) * args.n / big
        print(f"speed ratio at {args.n:,} messages (extrapolated datasketch / measured falsefriends):"
              f" {extrapolated / t_big:.1f}x (after the shared normaliser: {rest_extrapolated / _rest(ours_big):.1f}x)")
    print(f"falsefriends at {args.n:,}: {ours_big[2]['distinct_forms']:,} distinct normalised forms,"
          f" {ours_big[2]['clusters']:,} clusters (noise messages are singletons)")


if __name__ == "__main__":
    main()
