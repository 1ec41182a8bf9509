"""Write an audit's outputs into a folder: findings.json, findings.csv, report.html (and templates.json)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from falsefriends.audit.records import Findings
from falsefriends.report.csv_out import findings_csv
from falsefriends.report.html import render_html
from falsefriends.report.json_out import findings_json

OUTPUTS = ("findings.json", "findings.csv", "report.html")


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file and rename, so a reader never sees half a report."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    os.replace(temporary, path)


def write_reports(findings: Findings, out_dir: Path) -> list[Path]:
    """Render every output of the findings into `out_dir` (created if needed); return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered = {
        "findings.json": findings_json(findings),
        "findings.csv": findings_csv(findings),
        "report.html": render_html(findings),
    }
    names = list(OUTPUTS)
    if any(c.get("template_records") for c in findings.campaigns):
        # The campaigns' standardised messages, for `falsefriends check --templates` (docs/campaigns.md).
        from falsefriends.correlate.known import templates_document

        rendered["templates.json"] = json.dumps(templates_document(findings.campaigns), ensure_ascii=False,
                                                indent=2) + "\n"
        names.append("templates.json")
    written = []
    for name in names:
        path = out_dir / name
        _write_atomically(path, rendered[name])
        written.append(path)
    return written
