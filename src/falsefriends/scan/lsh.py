"""Standardised-message templates at platform scale: MinHash signatures and LSH band keys per distinct text.

The hashing is the correlate package's (`normalise`, `ShingleHasher`, `MinHasher`, `Banding`), so the
audit's templates and the scan's are one implementation. What differs is the grouping: each engine groups
texts by (band, key) (a pyarrow group-by locally, a DataFrame groupBy on Spark), links every text of a
bucket to the bucket's smallest text (a star), keeps links whose estimated Jaccard similarity reaches the
threshold, and takes connected components. A template is a component, named by its smallest text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from falsefriends.correlate.minhash import Banding, MinHasher
from falsefriends.correlate.normalise import FRAMING, normalise
from falsefriends.correlate.templates import DEFAULT_THRESHOLD, ShingleHasher

HASHER = MinHasher()
BANDING = Banding()
THRESHOLD = DEFAULT_THRESHOLD
SIGNATURE_BYTES = HASHER.num_perm * 4
BANDS_OUT = pa.schema([("rep", pa.int64()), ("signature", pa.binary()), ("keys", pa.list_(pa.int64()))])
PAIRS_OUT = pa.schema([("rep", pa.int64()), ("head", pa.int64())])


def template_text(subject: str | None, body: str | None) -> str:
    """The text compared for templates: the body, after the subject when there is one (as `find_templates`)."""
    return f"{subject}\n{body or ''}" if subject else (body or "")


def band_keys(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Signature and band keys of each distinct text (rep, subject, body); texts with no content are left out."""
    shingler = ShingleHasher()
    for batch in batches:
        reps = batch.column("rep").to_pylist()
        kept: list[int] = []
        tokens: list[list[str]] = []
        for rep, subject, body in zip(reps, batch.column("subject").to_pylist(), batch.column("body").to_pylist(),
                                      strict=True):
            found = normalise(template_text(subject, body))
            if any(t not in FRAMING for t in found):
                kept.append(rep)
                tokens.append(found)
        if not kept:
            yield pa.RecordBatch.from_pydict({"rep": [], "signature": [], "keys": []}, schema=BANDS_OUT)
            continue
        shingles, counts = shingler(tokens)
        offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        signatures = HASHER.signatures(shingles, offsets)
        keys = BANDING.keys(signatures).view(np.int64)
        blob = pa.array([row.tobytes() for row in signatures], type=pa.binary())
        flat = pa.array(keys.ravel(), type=pa.int64())
        lists = pa.ListArray.from_arrays(pa.array(np.arange(0, keys.size + 1, keys.shape[1], dtype=np.int32)), flat)
        yield pa.RecordBatch.from_arrays([pa.array(kept, type=pa.int64()), blob, lists], schema=BANDS_OUT)


def similarity(left: Iterable[bytes], right: Iterable[bytes]) -> NDArray[np.float64]:
    """Estimated Jaccard similarity of pairs of signatures given as bytes (the share of equal values)."""
    a = np.frombuffer(b"".join(left), dtype=np.uint32).reshape(-1, HASHER.num_perm)
    b = np.frombuffer(b"".join(right), dtype=np.uint32).reshape(-1, HASHER.num_perm)
    if len(a) == 0:
        return np.zeros(0, dtype=np.float64)
    return np.asarray((a == b).mean(axis=1), dtype=np.float64)


def verify_pairs(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Star links (rep, head, rep_signature, head_signature) that reach the threshold, as (rep, head)."""
    for batch in batches:
        sim = similarity(batch.column("rep_signature").to_pylist(), batch.column("head_signature").to_pylist())
        keep = pa.array(sim >= THRESHOLD) if len(sim) else pa.array([], type=pa.bool_())
        chosen = batch.select(["rep", "head"]).filter(keep)
        yield pa.RecordBatch.from_arrays([chosen.column(0), chosen.column(1)], schema=PAIRS_OUT)
