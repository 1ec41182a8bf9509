"""Watchlist file formats: YAML (the reviewable file form), CSV, FollowTheMoney JSON lines and STIX 2.1
bundles (import only). `read_watchlist` and `write_watchlist` pick the format by name or file extension."""

from __future__ import annotations

from pathlib import Path

from falsefriends.watchlist.entries import Watchlist
from falsefriends.watchlist.formats.csv_form import dump_csv, load_csv
from falsefriends.watchlist.formats.defaults import ImportDefaults
from falsefriends.watchlist.formats.errors import ImportProblem, WatchlistFormatError
from falsefriends.watchlist.formats.ftm import dump_ftm, load_ftm
from falsefriends.watchlist.formats.stix import load_stix
from falsefriends.watchlist.formats.yaml_form import dump_yaml, load_yaml

READ_FORMATS = ("yaml", "csv", "ftm", "stix")
WRITE_FORMATS = ("yaml", "csv", "ftm")
MAX_FILE_BYTES = 200 * 1024 * 1024
"""Largest file an import reads (a published list is kilobytes; this only stops a runaway input)."""


def guess_format(path: Path) -> str:
    """The format a file's name suggests (.yaml/.yml, .csv, .jsonl/.ftm.json, .json = STIX)."""
    name = path.name.lower()
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".jsonl", ".ndjson", ".ftm.json")):
        return "ftm"
    if name.endswith(".json"):
        return "stix"
    raise WatchlistFormatError([ImportProblem(str(path), 1, "cannot tell the format from the file name; "
                                                            f"give --format ({', '.join(READ_FORMATS)})")])


def parse_watchlist(text: str, fmt: str, path: str = "<input>", defaults: ImportDefaults | None = None) -> Watchlist:
    """Parse text in one of `READ_FORMATS`."""
    if fmt == "yaml":
        return load_yaml(text, path)
    if fmt == "csv":
        return load_csv(text, path, defaults)
    if fmt == "ftm":
        return load_ftm(text, path, defaults)
    if fmt == "stix":
        return load_stix(text, path, defaults)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(READ_FORMATS)}")


def read_watchlist(path: Path, fmt: str | None = None, defaults: ImportDefaults | None = None) -> Watchlist:
    """Read a watchlist file; raises `WatchlistFormatError` (file:line: problem) on bad content."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise WatchlistFormatError([ImportProblem(str(path), 1, f"file larger than {MAX_FILE_BYTES} bytes")])
    text = path.read_text(encoding="utf-8", errors="replace")
    return parse_watchlist(text, fmt or guess_format(path), str(path), defaults)


def write_watchlist(watchlist: Watchlist, fmt: str) -> str:
    """The text of a watchlist in one of `WRITE_FORMATS`."""
    if fmt == "yaml":
        return dump_yaml(watchlist)
    if fmt == "csv":
        return dump_csv(watchlist)
    if fmt == "ftm":
        return dump_ftm(watchlist)
    raise ValueError(f"cannot write {fmt!r}; writable: {', '.join(WRITE_FORMATS)}")


__all__ = ["READ_FORMATS", "WRITE_FORMATS", "ImportDefaults", "ImportProblem", "WatchlistFormatError", "dump_csv",
           "dump_ftm", "dump_yaml", "guess_format", "load_csv", "load_ftm", "load_stix", "load_yaml",
           "parse_watchlist", "read_watchlist", "write_watchlist"]
