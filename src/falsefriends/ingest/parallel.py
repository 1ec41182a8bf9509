"""Read many exports at once on every core, in order, turning each rejected archive into a value, not a crash."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from falsefriends.ingest.archive import ArchiveLimits, ExportError
from falsefriends.ingest.linkedin_export import ExportData, read_export


def _read_one(path: Path, limits: ArchiveLimits | None) -> ExportData | ExportError:
    try:
        return read_export(path, limits=limits)
    except ExportError as why:
        return why


def read_exports(
    paths: Sequence[Path], *, limits: ArchiveLimits | None = None, workers: int | None = None
) -> Iterator[tuple[Path, ExportData | ExportError]]:
    """Yield `(path, ExportData or ExportError)` for each path, in the order given.

    Parsing is pure, so it runs in `workers` processes (default: the CPU count); storing stays with the
    caller, in one process, one transaction per export.
    """
    workers = workers or os.cpu_count() or 1
    read = partial(_read_one, limits=limits)
    if workers <= 1 or len(paths) < 4:
        for path in paths:
            yield path, read(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from zip(paths, pool.map(read, paths, chunksize=4), strict=True)
