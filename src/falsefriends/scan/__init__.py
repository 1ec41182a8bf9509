"""`falsefriends scan`: a platform's member tables scanned for persona farms, on one machine or on Spark.

`run_scan` is the one entry point (the CLI calls it): per record, the message and profile checks of
`falsefriends check`; globally, templates (MinHash LSH), fan-out, SybilRank trust and coordinated
clusters; out, scored accounts, campaigns and a review queue. docs/scan.md is the user documentation.
"""

from falsefriends.scan.run import run_scan

__all__ = ["run_scan"]
