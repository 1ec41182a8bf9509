"""report.html: one self-contained page for the security officer, rendered with autoescaping Jinja2.

Everything an adversary wrote (names, headlines, message excerpts, URLs) goes through Jinja2's
autoescape; links are only made from http(s) URLs; the page carries a Content-Security-Policy that
allows no script, no fetch and only its own stylesheet (by hash), so even an escaping bug could not
run code or call out.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from falsefriends.audit.records import Findings
from falsefriends.model import Evidence, Level
from falsefriends.report.charts import campaign_chart, department_chart, sector_chart, timeline_chart

TOP_ACCOUNTS = 50
EVIDENCE_PER_ACCOUNT = 12
QUARANTINE_ROWS = 200
TOP_CAMPAIGNS = 20


def safe_href(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link to some host, else None (no `javascript:`, `data:`...)."""
    if not url:
        return None
    text = url.strip()
    if any(ch in text for ch in "\x00\r\n\t\"'<>` ") or len(text) > 2000:
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


@dataclass(frozen=True)
class EvidenceGroup:
    """The same rule firing on the same words, shown once with the number of messages it was found in."""

    item: Evidence
    messages: int


def group_evidence(evidence: Sequence[Evidence]) -> list[EvidenceGroup]:
    """Evidence folded by (rule, exact words), strongest first; findings.json keeps every item."""
    groups: dict[tuple[str, str, str | None], list[Evidence]] = {}
    for item in evidence:
        groups.setdefault((item.rule, item.excerpt, item.field), []).append(item)
    return [EvidenceGroup(items[0], len({i.message for i in items if i.message})) for items in groups.values()]


def _template_dir() -> str:
    return str(resources.files("falsefriends.report") / "templates")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(_template_dir()), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    env.filters["group_evidence"] = group_evidence
    return env


def _css() -> str:
    return (resources.files("falsefriends.report") / "templates" / "report.css").read_text(encoding="utf-8")


def content_security_policy(css: str) -> str:
    """No scripts, no fetches, no forms, no base; only this page's stylesheet, pinned by its hash."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; script-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def render_html(findings: Findings) -> str:
    """The report page for these findings."""
    css = _css()
    flagged = [a for a in findings.accounts if a.level in (Level.MEDIUM, Level.HIGH)]
    notices = [m for m in findings.staff if m.flagged]
    approached = {a.account: a.staff_approached for a in findings.accounts}
    names = {a.account: a.name for a in findings.accounts if a.name}
    campaigns = [(c, campaign_chart(c, approached, names)) for c in findings.campaigns[:TOP_CAMPAIGNS]]
    template = _environment().get_template("report.html")
    return template.render(
        f=findings, s=findings.summary, css=Markup(css), csp=content_security_policy(css),
        timeline_svg=timeline_chart(findings.timeline), sector_svg=sector_chart(findings.sectors),
        department_svg=department_chart(findings.departments),
        top_accounts=flagged[:TOP_ACCOUNTS], more_accounts=len(flagged) > TOP_ACCOUNTS, flagged_count=len(flagged),
        notices=notices, evidence_limit=EVIDENCE_PER_ACCOUNT, quarantine_limit=QUARANTINE_ROWS,
        campaigns=campaigns, names=names, more_campaigns=len(findings.campaigns) > TOP_CAMPAIGNS,
    )
