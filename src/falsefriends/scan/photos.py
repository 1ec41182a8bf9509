"""Profile photos in a scan: the optional `photo` column of members.parquet, read with `falsefriends.photo`.

The column holds each member's picture as bytes (JPEG, PNG, WebP, GIF, BMP) or its photo hash (the 128-digit
fingerprint that `falsefriends.photo` writes, or a 16/32-digit pHash); null or empty for no photo. A file path or
web address is not read in a scan (executors may not see the file; nothing is downloaded): such a row is
quarantined with the reason, like a picture that cannot be decoded. A table without the column scans as before.

Two steps, so both engines run the same code: `fingerprint_batches` (per record: decode and hash, on Spark's
executors through `mapInArrow`) and `photo_findings` (one index over every fingerprint, on the driver): each
account whose photo is also another account's gets `photo-reused` (P3) evidence naming them, and its fingerprint
goes to the coordinated clusters (`scan.campaigns`), where a shared photo is a `photo:` trace linking personas.
The eye geometry (GAN alignment) is not measured in a scan: at about 30 ms a photo it would triple the cost of
the fingerprints; `falsefriends check --photo` measures it for one profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from falsefriends.scan.contract import QUARANTINE_SCHEMA, ScanInputError
from falsefriends.scan.records import dump_evidence
from falsefriends.scan.result import Progress, no_progress

PHOTO_COLUMN = "photo"
BATCH = 500
PRINTS_OUT = pa.schema([("member_id", pa.int64()), ("row", pa.int64()), ("key", pa.string()),
                        ("error", pa.string())])
"""Per member with a photo: its fingerprint (null when too plain to compare) or why it could not be read."""
NOT_A_HASH = ("the photo column holds text that is not a photo hash (a file path or web address is not read in a "
              "scan: give the picture's bytes or its hash)")


@dataclass
class ScanPhotos:
    """What the photo column gave: fingerprints for the clusters, evidence parts, quarantine rows and counts."""

    keys: dict[int, str] = field(default_factory=dict)
    """member -> fingerprint text, for every comparable photo."""
    parts: dict[int, str] = field(default_factory=dict)
    """member -> its `photo-reused` evidence as JSON (scan.records' form), for members sharing a photo."""
    groups: list[tuple[int, ...]] = field(default_factory=list)
    quarantine: pa.Table = field(default_factory=QUARANTINE_SCHEMA.empty_table)
    counts: dict[str, int] = field(default_factory=dict)


def check_photo_type(found: pa.DataType, where: str) -> None:
    """The photo column must be bytes or text (or all null); otherwise the scan stops, naming the column."""
    if not (pa.types.is_binary(found) or pa.types.is_large_binary(found) or pa.types.is_string(found)
            or pa.types.is_large_string(found) or pa.types.is_null(found)):
        raise ScanInputError(f"{where}: table members, column {PHOTO_COLUMN!r} has type {found}, expected binary "
                             "(the picture) or string (its photo hash)")


def _read_one(value: bytes | str) -> tuple[str | None, str | None]:
    """(fingerprint text or None when too plain, None) or (None, why it cannot be used). Never raises."""
    from falsefriends.photo.decode import PhotoError
    from falsefriends.photo.evidence import analyse_photo, report_from_hash
    from falsefriends.photo.hashes import is_photo_hash

    try:
        if isinstance(value, str):
            if not is_photo_hash(value):
                return None, NOT_A_HASH
            return report_from_hash(value).key, None
        return analyse_photo(value, align=False).key, None
    except PhotoError as exc:
        return None, f"photo cannot be used: {exc}"
    except Exception as exc:  # a hostile picture must not stop a scan of millions of rows
        return None, f"photo cannot be used: the decoder failed ({type(exc).__name__})"


def fingerprint_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Columns member_id, row, photo -> PRINTS_OUT, one row per member with a photo (null or empty: no row)."""
    for batch in batches:
        ids, rows, keys, errors = [], [], [], []
        for member_id, row, value in zip(batch.column("member_id").to_pylist(), batch.column("row").to_pylist(),
                                         batch.column(PHOTO_COLUMN).to_pylist(), strict=True):
            if value is None or len(value) == 0 or (isinstance(value, str) and not value.strip()):
                continue
            key, error = _read_one(value)
            ids.append(member_id)
            rows.append(row)
            keys.append(key)
            errors.append(error)
        yield pa.record_batch([pa.array(ids, pa.int64()), pa.array(rows, pa.int64()), pa.array(keys, pa.string()),
                               pa.array(errors, pa.string())], schema=PRINTS_OUT)


def photo_findings(prints: pa.Table) -> ScanPhotos:
    """Every fingerprint compared with all the others through one index (`falsefriends.photo.index`)."""
    from falsefriends.photo.evidence import index_of, reuse_evidence
    from falsefriends.photo.hashes import parse_fingerprint
    from falsefriends.photo.index import groups_of

    rows = sorted(prints.to_pylist(), key=lambda r: r["member_id"])
    bad = [r for r in rows if r["error"] is not None]
    keys = {r["member_id"]: r["key"] for r in rows if r["key"] is not None}
    index = index_of([(str(m), parse_fingerprint(k)) for m, k in keys.items()])
    shared = index.all_matches()
    labels = {str(m): f"member {m}" for m in keys}
    parts = {int(owner): dump_evidence([reuse_evidence(matches, labels)]) for owner, matches in shared.items()}
    groups = sorted(tuple(sorted(int(o) for o in group)) for group in groups_of(shared))
    quarantine = pa.table({
        "table": ["members"] * len(bad), "row": [r["row"] for r in bad], "key": [r["member_id"] for r in bad],
        "column": [PHOTO_COLUMN] * len(bad), "reason": [r["error"] for r in bad]}, schema=QUARANTINE_SCHEMA)
    counts = {"photos": len(rows), "photos_unreadable": len(bad), "photos_too_plain": len(rows) - len(bad) - len(keys),
              "photo_groups": len(groups), "photo_sharing_accounts": len(shared)}
    return ScanPhotos(dict(sorted(keys.items())), dict(sorted(parts.items())), groups, quarantine, counts)


def local_photos(directory: Path, kept: Iterable[int], progress: Progress = no_progress) -> ScanPhotos | None:
    """The photo step of the local engine; None when members.parquet has no photo column.

    `kept` are the member ids left after the row rules; a duplicate member's first row is read, as for the
    other columns (scan.local_input)."""
    path = directory / "members.parquet"
    file = pq.ParquetFile(path)
    schema = file.schema_arrow
    if PHOTO_COLUMN not in schema.names:
        return None
    check_photo_type(schema.field(PHOTO_COLUMN).type, str(path))
    keep = set(kept)
    total = file.metadata.num_rows

    def batches() -> Iterator[pa.RecordBatch]:
        seen: set[int] = set()
        start = 0
        progress("photos: fingerprints", 0, total)
        for batch in file.iter_batches(batch_size=BATCH, columns=["member_id", PHOTO_COLUMN]):
            ids, rows, values = [], [], []
            for offset, (member_id, value) in enumerate(zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(),
                                                            strict=True)):
                if member_id in keep and member_id not in seen:
                    seen.add(member_id)
                    ids.append(member_id)
                    rows.append(start + offset)
                    values.append(value)
            start += batch.num_rows
            yield pa.record_batch([pa.array(ids, pa.int64()), pa.array(rows, pa.int64()),
                                   pa.array(values, batch.column(1).type)], names=["member_id", "row", PHOTO_COLUMN])
            progress("photos: fingerprints", start, total)

    prints = pa.Table.from_batches(list(fingerprint_batches(batches())), schema=PRINTS_OUT)
    progress("photos: comparing", 0, prints.num_rows)
    return photo_findings(prints)


def spark_photos(spark: Any, directory: str, members: Any) -> ScanPhotos | None:
    """The photo step of the Spark engine: fingerprints on the executors, the comparison on the driver.

    `members` is the members DataFrame after the row rules; None when the table has no photo column."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from falsefriends.scan.spark_engine import ddl

    path = f"{directory.rstrip('/')}/members.parquet"
    frame = spark.read.parquet(path)
    if PHOTO_COLUMN not in frame.columns:
        return None
    kind = dict(frame.dtypes)[PHOTO_COLUMN]
    arrow = {"binary": pa.binary(), "string": pa.string(), "void": pa.null()}.get(kind, pa.int64())
    if kind not in ("binary", "string", "void"):
        raise ScanInputError(f"{path}: table members, column {PHOTO_COLUMN!r} has type {kind}, expected binary "
                             "(the picture) or string (its photo hash)")
    check_photo_type(arrow, path)
    photo = F.col(PHOTO_COLUMN).cast("binary") if kind == "void" else F.col(PHOTO_COLUMN)
    frame = frame.select(F.col("member_id").cast("bigint").alias("member_id"), photo.alias(PHOTO_COLUMN)) \
        .withColumn("_row", F.monotonically_increasing_id())
    first = Window.partitionBy("member_id").orderBy("_row")
    frame = frame.join(members.select("member_id"), "member_id", "left_semi") \
        .withColumn("_n", F.row_number().over(first)).where((F.col("_n") == 1) & F.col(PHOTO_COLUMN).isNotNull())
    prints = frame.select("member_id", F.lit(None).cast("bigint").alias("row"), PHOTO_COLUMN).mapInArrow(
        fingerprint_batches, ddl(PRINTS_OUT))
    return photo_findings(prints.toArrow().cast(PRINTS_OUT))
