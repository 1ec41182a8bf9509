"""Write an audit's outputs into a folder: findings.json, findings.csv, staff.csv, report.html (and templates.json,
report.pdf)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from falsefriends.audit.records import Findings
from falsefriends.report.csv_out import findings_csv, staff_csv
from falsefriends.report.html import render_html
from falsefriends.report.json_out import findings_json_chunks

OUTPUTS = ("findings.json", "findings.csv", "staff.csv", "report.html")


def write_reports(findings: Findings, out_dir: Path, *, language: str = "en", pdf: bool = False) -> list[Path]:
    """Render every output of the findings into `out_dir` (created if needed); return the paths written.

    Reasons and advice in the report and the CSVs are in `language` (en, fr, de); findings.json keeps the
    evidence as found. `pdf` also prints report.pdf from the same HTML (headless Chromium, see `report.pdf`).

    Each output is rendered and written to a temporary file before the next one is rendered (an audit of
    100,000 accounts held all three texts at once: half a gigabyte); none replaces its final name until
    all are rendered, so a failure leaves the previous reports as they were.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    renderers: dict[str, Callable[[], Iterable[str]]] = {
        "findings.json": lambda: findings_json_chunks(findings),
        "findings.csv": lambda: (findings_csv(findings, language),),
        "staff.csv": lambda: (staff_csv(findings, language),),
        "report.html": lambda: (render_html(findings, language),),
    }
    if any(c.get("template_records") for c in findings.campaigns):
        # The campaigns' standardised messages, for `falsefriends check --templates` (docs/campaigns.md).
        from falsefriends.correlate.known import templates_document

        renderers["templates.json"] = lambda: (json.dumps(templates_document(findings.campaigns),
                                                          ensure_ascii=False, indent=2) + "\n",)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, render in renderers.items():
            path = out_dir / name
            temporary = path.with_name(f".{path.name}.tmp")
            staged.append((temporary, path))
            with temporary.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(render())
        if pdf:
            from falsefriends.report.pdf import html_to_pdf

            path = out_dir / "report.pdf"
            temporary = path.with_name(f".{path.name}.tmp")
            staged.append((temporary, path))
            html_to_pdf(render_html(findings, language, printable=True), temporary)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
    return [path for _, path in staged]
