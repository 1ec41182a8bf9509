"""Reports of an organisation audit: findings.json, findings.csv and a self-contained report.html."""

from __future__ import annotations

from falsefriends.report.csv_out import findings_csv, safe_cell
from falsefriends.report.html import render_html
from falsefriends.report.json_out import findings_json
from falsefriends.report.write import write_reports

__all__ = ["findings_csv", "findings_json", "render_html", "safe_cell", "write_reports"]
