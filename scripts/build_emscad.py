#!/usr/bin/env python3
"""Convert the EMSCAD recruitment-fraud CSV into data/emscad/emscad.jsonl.gz.

EMSCAD (Employment Scam Aegean Dataset, University of the Aegean) has 17,880 job ads, 866 of them
fraudulent. It circulates in two layouts, and both are read:

* the Kaggle / Hugging Face copy ``fake_job_postings.csv``: a ``job_id`` column, flags as 0/1,
  HTML already removed (entities such as ``&amp;`` remain);
* the original ``emscad_v1.csv`` from http://emscad.samos.aegean.gr/: no ``job_id`` (the row
  number, counted from 1, is used: the Kaggle ``job_id`` follows the same order), flags as t/f,
  HTML fragments in the text fields, and an extra ``in_balanced_dataset`` column.

Each output line is one ad::

    {"id": "emscad-<job_id>", "label": 0|1, "lang": "en", "channel": "job-ad",
     "text": "<title>\\n\\n<company_profile>\\n\\n<description>\\n\\n<requirements>\\n\\n<benefits>",
     "group": "emscad-company-<hash>" | "emscad-post-<hash>", "source": "<URL of the copy>",
     "fields": {<every other column, as in the CSV>}}

The masks the data set already applies (``#URL_...#``, ``#EMAIL_...#``, ``#PHONE_...#``) are kept.
``group`` keeps one company's ads together (hash of the normalised company profile); ads without a
company profile are grouped by the hash of their normalised title and description, so copies of
one posting share a group. Output is gzip level 9 with a zero timestamp, so it is reproducible.

Usage::

    python3 scripts/build_emscad.py fake_job_postings.csv \\
        --source https://huggingface.co/datasets/victor/real-or-fake-fake-jobposting-prediction \\
        --out data/emscad/emscad.jsonl.gz

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import html
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

TEXT_COLUMNS: tuple[str, ...] = ("title", "company_profile", "description", "requirements", "benefits")
LABEL_COLUMN = "fraudulent"
ID_COLUMN = "job_id"
TRUE_VALUES = frozenset({"1", "t", "true", "yes", "y"})
FALSE_VALUES = frozenset({"0", "f", "false", "no", "n"})
DEFAULT_SOURCE = "http://emscad.samos.aegean.gr/"

_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote", "section"}
)
_TAG_HINT = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_WORD = re.compile(r"\w+")


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, turning block elements into line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag.lower() == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() in _BLOCK_TAGS and tag.lower() != "li":
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        # whitespace between tags (the original has "\r\n" between every block) is layout, not text
        self.parts.append(data if data.strip() else " ")


def strip_html(value: str) -> str:
    """Return the plain text of a field: tags removed (if any), entities decoded, blank runs squeezed."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if _TAG_HINT.search(text):
        parser = _TextExtractor()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def parse_label(value: str) -> int:
    """Map the ``fraudulent`` column (0/1 or t/f) to 0 or 1."""
    v = value.strip().lower()
    if v in TRUE_VALUES:
        return 1
    if v in FALSE_VALUES:
        return 0
    raise ValueError(f"unexpected {LABEL_COLUMN!r} value: {value!r}")


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def group_of(row: dict[str, str]) -> str:
    """Company group when the ad has a company profile, else a group for the posting itself."""
    profile = _normalise(strip_html(row.get("company_profile") or ""))
    if profile:
        return f"emscad-company-{_digest(profile)}"
    title = _normalise(strip_html(row.get("title") or ""))
    description = _normalise(strip_html(row.get("description") or ""))
    key = title + "\n" + description
    return f"emscad-post-{_digest(key)}"


def record_of(row: dict[str, str], row_number: int, source: str) -> dict[str, Any]:
    """Build one output object from one CSV row (``row_number`` counts data rows from 1)."""
    job_id = (row.get(ID_COLUMN) or "").strip() or str(row_number)
    parts = [strip_html(row.get(col) or "") for col in TEXT_COLUMNS]
    text = "\n\n".join(p for p in parts if p)
    fields = {k: v for k, v in row.items() if k not in TEXT_COLUMNS and k not in (ID_COLUMN, LABEL_COLUMN)}
    return {
        "id": f"emscad-{job_id}",
        "label": parse_label(row.get(LABEL_COLUMN) or ""),
        "lang": "en",
        "channel": "job-ad",
        "text": text,
        "group": group_of(row),
        "source": source,
        "fields": fields,
    }


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """Yield the CSV's rows as dicts (UTF-8, BOM tolerated, fields of any length)."""
    csv.field_size_limit(sys.maxsize)
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or LABEL_COLUMN not in reader.fieldnames:
            raise ValueError(f"{path}: no {LABEL_COLUMN!r} column in header {reader.fieldnames!r}")
        for row in reader:
            yield {k: (v if v is not None else "") for k, v in row.items() if k is not None}


def write_jsonl_gz(records: Iterable[dict[str, Any]], out: Path) -> tuple[int, int]:
    """Write records as gzip level 9 JSON lines (mtime 0); return (rows, fraudulent rows)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    total = fraud = 0
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
        io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as fh,
    ):
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            total += 1
            fraud += rec["label"]
    return total, fraud


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build(csv_path: Path, out: Path, source: str) -> tuple[int, int]:
    records = (record_of(row, n, source) for n, row in enumerate(read_rows(csv_path), start=1))
    return write_jsonl_gz(records, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Convert the EMSCAD CSV to data/emscad/emscad.jsonl.gz")
    ap.add_argument("csv", type=Path, help="fake_job_postings.csv (Kaggle/HF layout) or emscad_v1.csv (original)")
    ap.add_argument("--out", type=Path, default=Path("data/emscad/emscad.jsonl.gz"))
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="URL of the copy the CSV came from")
    args = ap.parse_args(argv)
    total, fraud = build(args.csv, args.out, args.source)
    size = args.out.stat().st_size
    print(f"{args.out}: {total} rows, {fraud} fraudulent, {size} bytes, sha256 {sha256_of(args.out)}")
    if total != 17880 or fraud != 866:
        print(f"note: the original has 17,880 rows / 866 fraudulent; this copy has {total} / {fraud}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
