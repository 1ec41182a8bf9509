"""report.html's campaigns: members, targets, why they belong together, and the graph as inline SVG."""

from __future__ import annotations

from html.parser import HTMLParser

from falsefriends.audit.records import Findings
from falsefriends.report.charts import campaign_chart
from falsefriends.report.html import render_html

from .conftest import ATTRIBUTE, SCRIPT


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)


def _campaign(findings: Findings) -> dict[str, object]:
    keys = [a.account for a in findings.accounts]
    return {
        "id": f"cmp-{SCRIPT}", "accounts": keys, "staff_targeted": ["S1", f"S2{ATTRIBUTE}"],
        "score": 0.91, "level": "high", "corroborated": True, "sectors": {"state": 1, "business": 1},
        "first_contact": "2025-03-01T00:00:00Z", "last_contact": "2025-04-01T00:00:00Z",
        "traces": [f"employer:{SCRIPT}", "photo:abc"], "links": [[keys[0], keys[1], 2.5]],
        "template_records": [{"id": "tpl-1", "text": f"{{greeting}} a generous fee {SCRIPT}", "reached": 4}],
        "evidence": [{"rule": "coordinated-personas", "indicator": "C1", "weight": 0.5,
                      "reason": f"linked {SCRIPT}", "excerpt": ATTRIBUTE},
                     {"rule": "template-reuse", "indicator": "M9", "weight": 0.0, "reason": "shown only",
                      "excerpt": ""}],
    }


def test_campaign_section_lists_members_targets_and_why_with_hostile_text_inert(hostile_findings: Findings) -> None:
    findings = hostile_findings.model_copy(update={"campaigns": [_campaign(hostile_findings)]})
    html = render_html(findings)
    section = html[html.index("<h2>Campaigns</h2>"):html.index("<h2>Accounts to act on</h2>")]
    parsed = _Tags()
    parsed.feed(section)
    assert "script" not in parsed.tags and not [name for name, _ in parsed.attributes if name.startswith("on")]
    assert SCRIPT not in html and ATTRIBUTE not in html
    assert "Campaign <code>cmp-&lt;script&gt;" in section
    assert "2 accounts" in section and "Approached 2 staff (state 1, business 1)" in section
    assert "Why they belong together" in section and "employer:&lt;script&gt;" in section
    assert "Template <code>tpl-1</code> (reached 4)" in section
    assert "(not counted)" in section  # the zero-weight item is marked
    assert section.count("<svg") == 1 and "cg-link" in section and section.count("cg-approach") == 1


def test_no_campaign_section_without_campaigns(hostile_findings: Findings) -> None:
    assert "<h2>Campaigns</h2>" not in render_html(hostile_findings)


def test_campaign_chart_draws_links_approaches_and_escapes_names() -> None:
    campaign = {"id": "c1", "accounts": ["a", "b", "c"], "staff_targeted": ["s1", "s2"],
                "links": [["a", "b", 2.0], ["b", "c", 1.0], ["a", "zz", 1.0]]}
    chart = str(campaign_chart(campaign, {"a": ["s1", "s2"], "b": ["s2"], "c": []},
                               {"a": SCRIPT, "b": "B & Co"}))
    assert chart.count("<path") == 2  # the link to an account outside the campaign is not drawn
    assert chart.count('class="cg-approach"') == 3
    assert 'stroke-width="4.0"' in chart and 'stroke-width="2.5"' in chart  # weight 2.0 is the heaviest
    assert SCRIPT not in chart and "&lt;script&gt;" in chart and "B &amp; Co" in chart
    many = {"id": "big", "accounts": [f"a{i}" for i in range(50)], "staff_targeted": []}
    assert "10 more accounts" in str(campaign_chart(many, {}, {}))
