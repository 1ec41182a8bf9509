"""findings.csv: one row per outside account, safe to open in a spreadsheet.

Account names, headlines and excerpts are written by the adversary; a cell that starts with `=`,
`+`, `-`, `@`, a tab or a carriage return would run as a formula in Excel, LibreOffice or Sheets
(CSV injection), so such cells are prefixed with `'`, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io

from falsefriends.audit.records import AccountFinding, Findings

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "account", "name", "employer", "headline", "score", "level", "indicators", "staff_approached",
    "accepted_by", "replied", "asked_off_platform", "first_contact", "last_contact", "campaign", "evidence",
)
MAX_EVIDENCE = 5


def safe_cell(value: object) -> str:
    """A cell's text, neutralised when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    # leading spaces or newlines do not stop some spreadsheets from evaluating what follows
    if text.lstrip(" \n").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _evidence_summary(account: AccountFinding) -> str:
    parts = []
    for item in account.evidence[:MAX_EVIDENCE]:
        quote = f' "{item.excerpt}"' if item.excerpt else ""
        parts.append(f"{item.indicator} {item.rule}{quote}")
    more = len(account.evidence) - MAX_EVIDENCE
    if more > 0:
        parts.append(f"(+{more} more)")
    return "; ".join(parts)


def _row(account: AccountFinding) -> list[str]:
    values: list[object] = [
        account.account, account.name, account.employer, account.headline, f"{account.score:.4f}",
        account.level.value, " ".join(account.indicators), " ".join(account.staff_approached),
        " ".join(account.accepted_by), " ".join(account.replied), " ".join(account.asked_off_platform),
        account.first_contact.isoformat() if account.first_contact else "",
        account.last_contact.isoformat() if account.last_contact else "",
        account.campaign or "", _evidence_summary(account),
    ]
    return [safe_cell(v) for v in values]


def findings_csv(findings: Findings) -> str:
    """The accounts as CSV, most risky first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for account in findings.accounts:
        writer.writerow(_row(account))
    return buffer.getvalue()
