"""The global steps' evidence as Arrow batch functions (for Spark's `mapInArrow`), over `scan.signals`.

The local engine calls the `signals` builders directly with the same arguments; these wrappers only
move rows in and out of record batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pyarrow as pa

from falsefriends.correlate.normalise import normalise
from falsefriends.scan import lsh, records, signals


def template_name(head: int) -> str:
    return f"tpl-{records.item_name(head)}"


def template_excerpt(subject: str | None, body: str | None) -> str:
    return " ".join(normalise(lsh.template_text(subject, body)))


def template_parts(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Columns in: sender, template, item, reached, senders, subject, body (of the template's first text)."""
    for batch in batches:
        out: list[str] = []
        for row in batch.to_pylist():
            item = signals.template_evidence(template_name(row["template"]), row["reached"], row["senders"],
                                             template_excerpt(row["subject"], row["body"]),
                                             records.item_name(row["item"]))
            out.append(records.dump_evidence([item]))
        yield pa.RecordBatch.from_arrays([batch.column("sender"), pa.array(out, type=pa.string())],
                                         schema=records.PART_OUT)


def fan_out_parts(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Columns in: sender, recipients, industries, first_ms, last_ms; senders below the cut are left out."""
    for batch in batches:
        ids: list[int] = []
        out: list[str] = []
        for row in batch.to_pylist():
            lo, hi = row["first_ms"], row["last_ms"]
            span = 0.0 if lo is None or hi is None else (hi - lo) / 86_400_000
            found = signals.fan_out_evidence(row["recipients"], row["industries"], span)
            if found is not None:
                ids.append(row["sender"])
                out.append(records.dump_evidence([found]))
        yield pa.RecordBatch.from_pydict({"member_id": ids, "part": out}, schema=records.PART_OUT)


def trust_parts(seeds: int) -> Callable[[Iterable[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Columns in: member_id, trust."""
    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            out = [records.dump_evidence([signals.low_trust_evidence(t, seeds)])
                   for t in batch.column("trust").to_pylist()]
            yield pa.RecordBatch.from_arrays([batch.column("member_id"), pa.array(out, type=pa.string())],
                                             schema=records.PART_OUT)
    return run
