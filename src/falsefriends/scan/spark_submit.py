"""Entry point for `spark-submit`: the Spark engine on whatever cluster spark-submit names.

    spark-submit --master yarn --deploy-mode client \\
        --conf spark.archives=falsefriends-venv.tar.gz#environment \\
        --conf spark.pyspark.python=./environment/bin/python \\
        "$(python -c 'import falsefriends.scan.spark_submit as m; print(m.__file__)')" \\
        hdfs:///platform/2026-12-01 --out ./scan-2026-12-01

The tables may be on any file system Spark reads (hdfs://, s3a://, file://); the results are written by
the driver to a local directory (the accounts with evidence and the queue, not the whole platform).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from falsefriends.scan.outputs import write_outputs
from falsefriends.scan.seeds import read_seed_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="falsefriends.scan.spark_submit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tables", help="directory (any Spark file system) of the platform's Parquet tables")
    parser.add_argument("--out", type=Path, required=True, help="local directory for the results")
    parser.add_argument("--seeds", type=Path, help="trusted member ids, one per line")
    parser.add_argument("--semantic", action="store_true", help="also run the semantic detector (slow)")
    args = parser.parse_args(argv)
    from falsefriends.scan.spark_engine import scan_spark

    def progress(step: str, done: int, total: int) -> None:
        print(f"{step}: {done}/{total or '?'}", file=sys.stderr, flush=True)

    seeds = read_seed_file(args.seeds) if args.seeds else None
    result = scan_spark(args.tables, semantic=args.semantic, seeds=seeds, progress=progress)
    summary = write_outputs(result, args.out, "spark")
    print(f"{summary['queue']} accounts in the review queue; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
