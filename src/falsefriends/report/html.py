"""report.html: one self-contained page for the security officer, rendered with autoescaping Jinja2.

Everything an adversary wrote (names, headlines, message excerpts, URLs) goes through Jinja2's
autoescape; links are only made from http(s) URLs; the page carries a Content-Security-Policy that
allows no script, no fetch and only its own stylesheet (by hash), so even an escaping bug could not
run code or call out.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from falsefriends.advice import Stage, furthest, stage_of
from falsefriends.audit.exposure import ACCEPTED_BONUS, CONNECTED_ONLY, REPLIED_BONUS, UNANSWERED
from falsefriends.audit.records import AccountFinding, Findings, StaffFinding
from falsefriends.model import Evidence, Level
from falsefriends.report.charts import campaign_chart, department_chart, sector_chart, timeline_chart
from falsefriends.report.reading import (
    EvidenceGroup,
    advice_in,
    indicator_reason,
    merged_evidence,
    notice_words,
    stage_words,
)
from falsefriends.report.summary import executive_summary
from falsefriends.wording import LANGUAGES

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


def _template_dir() -> str:
    return str(resources.files("falsefriends.report") / "templates")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(_template_dir()), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    return env


def _css() -> str:
    return (resources.files("falsefriends.report") / "templates" / "report.css").read_text(encoding="utf-8")


def content_security_policy(css: str) -> str:
    """No scripts, no fetches, no forms, no base; only this page's stylesheet, pinned by its hash."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; script-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def _stage_reached(member: StaffFinding) -> Stage:
    """The furthest step the person took with a flagged account: the stage their advice was written for."""
    return furthest([stage_of(accepted=link.accepted, replied=link.replied,
                              asked_off_platform=link.asked_off_platform) for link in member.flagged])


def _template_words(campaign: Mapping[str, Any], accounts: Mapping[str, AccountFinding]) -> dict[str, str]:
    """Per template id of a campaign, the exact words one of its accounts sent (from its template evidence)."""
    words: dict[str, str] = {}
    for key in campaign.get("accounts", ()):
        account = accounts.get(str(key))
        for item in account.evidence if account is not None else ():
            if item.detector != "templates" or not item.message:
                continue
            for record in campaign.get("template_records") or ():
                template_id = str(record.get("id", ""))
                if template_id and template_id in item.reason and template_id not in words:
                    words[template_id] = item.excerpt
    return words


@dataclass(frozen=True)
class CampaignView:
    """A campaign as the report shows it: the contract dict, its graph, its evidence merged in the report's
    language, and its templates in the sender's words where an account's message holds them."""

    campaign: Mapping[str, Any]
    chart: Markup
    evidence: list[EvidenceGroup]
    templates: list[tuple[Mapping[str, Any], str, bool]]


CAMPAIGN_DEFAULTS: dict[str, Any] = {
    "id": "", "level": "low", "score": 0.0, "accounts": [], "staff_targeted": [], "evidence": [], "traces": [],
    "sectors": {}, "first_contact": None, "last_contact": None, "template_records": [], "corroborated": False,
}
"""What a campaign dict of findings.json shows when a key is missing (an older or hand-made document)."""


def _campaign_view(given: Mapping[str, Any], accounts: Mapping[str, AccountFinding],
                   approached: Mapping[str, Sequence[str]], names: Mapping[str, str], language: str,
                   chart: bool) -> CampaignView:
    campaign = {**CAMPAIGN_DEFAULTS, **{k: v for k, v in given.items() if v is not None}}
    if campaign["level"] not in ("low", "medium", "high"):
        campaign["level"] = "low"
    words = _template_words(campaign, accounts)
    evidence: list[Evidence] = []
    for raw in campaign.get("evidence", ()):
        try:
            item = Evidence.model_validate(raw)
        except ValueError:
            continue  # an imported findings.json with a malformed item: findings.json keeps it
        template_id = next((t for t in words if t in item.reason), None)
        if item.detector == "templates" and template_id is not None:
            item = item.model_copy(update={"excerpt": words[template_id]})
        evidence.append(item)
    templates = [(record, words.get(str(record.get("id", "")), str(record.get("text", ""))[:400]),
                  str(record.get("id", "")) in words) for record in (campaign.get("template_records") or ())[:3]]
    drawn = campaign_chart(campaign, approached, names) if chart else Markup("")
    return CampaignView(campaign, drawn, merged_evidence(evidence, language), templates)


def _legend_indicators(findings: Findings, language: str) -> list[tuple[str, str]]:
    """Every indicator this report shows, with its plain reason in the report's language."""
    found: dict[str, str] = {}
    for account in findings.accounts:
        if account.level not in (Level.MEDIUM, Level.HIGH):
            continue
        for item in account.evidence:
            found.setdefault(item.indicator, item.reason)
    for campaign in findings.campaigns:
        for raw in campaign.get("evidence", ()):
            if isinstance(raw, Mapping) and raw.get("indicator"):
                found.setdefault(str(raw["indicator"]), str(raw.get("reason", "")))
    order = {"M": 0, "P": 1, "C": 2, "S": 3}
    ordered = sorted(found, key=lambda i: (order.get(i[:1], 9), int(i[1:]) if i[1:].isdigit() else 0, i))
    return [(i, indicator_reason(i, language, found[i])) for i in ordered]


def render_html(findings: Findings, language: str = "en", printable: bool = False) -> str:
    """The report page for these findings, with reasons and advice in `language` (en, fr, de).

    `printable` opens every collapsed section (report.pdf is printed from it); the screen page keeps the
    detail collapsed under a one-screen summary.
    """
    if language not in LANGUAGES:
        raise ValueError(f"report language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    css = _css()
    flagged = [a for a in findings.accounts if a.level in (Level.MEDIUM, Level.HIGH)]
    reached = {m.staff_id: _stage_reached(m) for m in findings.staff if m.flagged}
    notices = [(m, reached[m.staff_id], stage_words(reached[m.staff_id].value, language),
                advice_in(m.advice, language)) for m in findings.staff if m.flagged]
    approached = {a.account: a.staff_approached for a in findings.accounts}
    names = {a.account: a.name for a in findings.accounts if a.name}
    by_key = {a.account: a for a in findings.accounts}
    shown = findings.campaigns[:TOP_CAMPAIGNS]
    counted = [_campaign_view(c, by_key, approached, names, language, True) for c in shown if c.get("corroborated")]
    context = [_campaign_view(c, by_key, approached, names, language, False)
               for c in shown if not c.get("corroborated")]
    fusion = _fusion_thresholds()
    template = _environment().get_template("report.html")
    return template.render(
        f=findings, s=findings.summary, css=Markup(css), csp=content_security_policy(css), lang=language,
        w=notice_words(language),
        open_all=printable, summary=executive_summary(findings),
        timeline_svg=timeline_chart(findings.timeline), sector_svg=sector_chart(findings.sectors),
        department_svg=department_chart(findings.departments),
        top_accounts=[(a, merged_evidence(a.evidence, language)) for a in flagged[:TOP_ACCOUNTS]],
        more_accounts=len(flagged) > TOP_ACCOUNTS, flagged_count=len(flagged),
        notices=notices, evidence_limit=EVIDENCE_PER_ACCOUNT, quarantine_limit=QUARANTINE_ROWS,
        campaigns=counted, context_campaigns=context, names=names,
        more_campaigns=len(findings.campaigns) > TOP_CAMPAIGNS,
        legend=_legend_indicators(findings, language), thresholds=fusion,
        engagement={"unanswered": UNANSWERED, "accepted": ACCEPTED_BONUS, "replied": REPLIED_BONUS,
                    "connected": CONNECTED_ONLY},
    )


@lru_cache(maxsize=1)
def _fusion_thresholds() -> tuple[float, float] | None:
    """The bundled fusion model's (medium, high) score thresholds, for the legend."""
    try:
        from falsefriends.detect.fusion import load_fusion

        model = load_fusion()
    except (OSError, ValueError):
        return None
    return model.thresholds.medium, model.thresholds.high
