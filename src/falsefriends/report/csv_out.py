"""findings.csv (one row per outside account) and staff.csv (one row per staff member), safe in a spreadsheet.

Account names, headlines and excerpts are written by the adversary; a cell that starts with `=`,
`+`, `-`, `@`, a tab or a carriage return would run as a formula in Excel, LibreOffice or Sheets
(CSV injection), so such cells are prefixed with `'`, which spreadsheets show as text.

Both files start with a UTF-8 byte order mark: without it Excel reads UTF-8 as Windows-1252 and shows
"MÃ¼ller" for "Müller". Every cell is filled: a value the exports do not hold is written as `NOT_KNOWN`
(or `none` for an empty list), never left blank, so a blank cell always means a bug, not a gap.
Evidence is written whole: every finding once (EN/FR/DE twins and repeats across messages merged, as in
the report), with the exact words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from falsefriends.audit.records import AccountFinding, Findings, StaffFinding
from falsefriends.report.reading import advice_in, merged_evidence

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOT_KNOWN = "(not in the exports)"
NONE = "none"
COLUMNS = (
    "account", "name", "employer", "headline", "score", "level", "indicators", "staff_approached",
    "accepted_by", "replied", "asked_off_platform", "first_contact", "last_contact", "campaign", "evidence",
)
STAFF_COLUMNS = (
    "staff_id", "name", "department", "sector", "exported", "exposure", "level", "stage", "approached_by",
    "flagged_accounts", "accepted_flagged", "replied_flagged", "asked_off_platform", "advice",
)


def safe_cell(value: object) -> str:
    """A cell's text, neutralised when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    # leading spaces or newlines do not stop some spreadsheets from evaluating what follows
    if text.lstrip(" \n").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _known(value: str | None) -> str:
    return value if value else NOT_KNOWN


def _listed(values: Iterable[str]) -> str:
    return " ".join(values) or NONE


def evidence_text(account: AccountFinding, language: str = "en") -> str:
    """Every finding of the account once: `indicator rule "exact words" (where)`, separated by ` | `."""
    parts = []
    for group in merged_evidence(account.evidence, language):
        item = group.item
        quote = f' "{item.excerpt}"' if item.excerpt else ""
        where = (f"{group.messages} message{'s' if group.messages != 1 else ''}" if group.messages
                 else f"profile {item.field}" if item.field else item.detector)
        counted = "" if item.weight > 0 else ", not counted"
        parts.append(f"{item.indicator} {item.rule}{quote} ({where}{counted})")
    return " | ".join(parts) or NONE


def _row(account: AccountFinding, language: str) -> list[str]:
    values: list[object] = [
        account.account, _known(account.name), _known(account.employer), _known(account.headline),
        f"{account.score:.4f}", account.level.value, _listed(account.indicators), _listed(account.staff_approached),
        _listed(account.accepted_by), _listed(account.replied), _listed(account.asked_off_platform),
        account.first_contact.isoformat() if account.first_contact else NOT_KNOWN,
        account.last_contact.isoformat() if account.last_contact else NOT_KNOWN,
        account.campaign or NONE, evidence_text(account, language),
    ]
    return [safe_cell(v) for v in values]


def _table(columns: Sequence[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def findings_csv(findings: Findings, language: str = "en") -> str:
    """The accounts as CSV, most risky first."""
    return _table(COLUMNS, (_row(a, language) for a in findings.accounts))


def _staff_row(member: StaffFinding, language: str) -> list[str]:
    values: list[object] = [
        member.staff_id, _known(member.name), member.department or "(no department)", member.sector or "unknown",
        "yes" if member.exported else "no", f"{member.exposure:.4f}", member.level.value, member.stage,
        _listed(member.approached_by), _listed(f"{link.account} ({link.level.value})" for link in member.flagged),
        _listed(link.account for link in member.flagged if link.accepted),
        _listed(link.account for link in member.flagged if link.replied),
        _listed(link.account for link in member.flagged if link.asked_off_platform),
        " | ".join(advice_in(member.advice, language)) or NONE,
    ]
    return [safe_cell(v) for v in values]


def staff_csv(findings: Findings, language: str = "en") -> str:
    """One row per staff member, most exposed first: who reached them, what they did, the advice to give."""
    return _table(STAFF_COLUMNS, (_staff_row(m, language) for m in findings.staff))
