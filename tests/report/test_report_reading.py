"""report.html as a director and a security officer read it: a summary first, contents, a legend, every finding
once in one language, the sender's own words, context campaigns folded away, advice that fits what staff did."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from falsefriends.advice import NO_REPLY
from falsefriends.audit.findings import _in_senders_words
from falsefriends.audit.records import AccountFinding, Findings
from falsefriends.model import Evidence, Level
from falsefriends.report.html import render_html
from falsefriends.report.reading import merged_evidence
from falsefriends.wording import INDICATOR_REASON


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.anchors: list[str] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.anchors.append(str(values["href"])[1:])
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2[-1] += data


def _outline(html: str) -> _Outline:
    parsed = _Outline()
    parsed.feed(html)
    return parsed


def test_the_summary_for_management_comes_first_and_says_what_to_do(hostile_findings: Findings) -> None:
    html = render_html(hostile_findings)
    outline = _outline(html)
    assert outline.h2[0] == "Summary for management" and outline.h2[1] == "Contents"
    summary = html[html.index('id="summary"'):html.index('id="contents"')]
    s = hostile_findings.summary
    assert f"contacted {s.staff_approached_flagged} of the {s.staff} staff" in summary
    assert "What to do now" in summary and summary.count("<li>") >= 2
    assert f"{s.staff_approached_flagged} / {s.staff}" in summary


def test_every_contents_link_leads_to_a_section(hostile_findings: Findings) -> None:
    outline = _outline(render_html(hostile_findings))
    assert len(outline.anchors) >= 7
    assert set(outline.anchors) <= set(outline.ids)


def test_the_legend_names_levels_thresholds_and_every_indicator_shown(hostile_findings: Findings) -> None:
    html = render_html(hostile_findings)
    legend = html[html.index('id="legend"'):html.index('id="figures"')]
    assert re.search(r"score 0\.\d\d or more", legend) and "exposure" in legend
    shown = {i for a in hostile_findings.accounts if a.level is not Level.LOW for i in a.indicators}
    assert shown
    for indicator in shown:
        assert f"<code>{indicator}</code>" in legend


def _account(evidence: list[Evidence]) -> AccountFinding:
    return AccountFinding(account="https://www.linkedin.com/in/x", name="X", score=0.95, level=Level.HIGH,
                          indicators=sorted({e.indicator for e in evidence}), evidence=evidence)


def test_twins_and_repeats_are_one_entry_in_the_reports_language() -> None:
    twins = [Evidence(rule=rule, indicator="M3", weight=1.2, reason=reason, excerpt=words, message=message)
             for rule, reason in (("en-move-to-whatsapp", "English reason"), ("fr-passer-sur-whatsapp", "Raison"))
             for message, words in (("m1", "WhatsApp"), ("m2", "whatsapp"), ("m3", "WhatsApp"))]
    groups = merged_evidence(twins, "en")
    assert len(groups) == 1 and groups[0].messages == 3 and groups[0].items == 6
    html = render_html(Findings(accounts=[_account(twins)]))
    section = html[html.index('id="accounts"'):html.index('id="notices"')]
    assert section.count("<q>") == 1 and "in 3 messages" in section


def test_a_reason_in_another_language_is_shown_in_the_reports(hostile_findings: Findings) -> None:
    german = Evidence(rule="de-grosszuegig-bezahlte-zusammenarbeit", indicator="M1", weight=1.2,
                      reason="Bietet großzügig bezahlte Nebenarbeit an.", excerpt="gut vergütete", message="m1")
    (english,) = merged_evidence([german], "en")
    assert english.item.reason == INDICATOR_REASON["en"]["M1"]
    (kept,) = merged_evidence([german], "de")
    assert kept.item.reason == german.reason and kept.item.excerpt == "gut vergütete"  # the words never change


def test_the_recipients_name_is_masked_in_the_quoted_words() -> None:
    from falsefriends.audit.findings import RECIPIENT, _without_name

    quoted = _without_name("Dear Will Smith, WILL you join? I will call you, Smithson.", "Will Smith")
    assert quoted == f"Dear {RECIPIENT}, {RECIPIENT} you join? I will call you, Smithson."


def test_template_evidence_quotes_the_senders_exact_words() -> None:
    folded = "je me connecte au sujet d une opportunite {slot1}"
    item = Evidence(rule="template-reuse", indicator="M9", weight=1.6, detector="templates", excerpt=folded,
                    reason="The same message text (template tpl-1) reached 4 different people", message="m7")
    words = "Je me connecte au sujet d'une opportunité\n chez   Vantage Point"
    (shown,) = _in_senders_words([item], {"m7": words})
    assert shown.excerpt == "Je me connecte au sujet d'une opportunité chez Vantage Point"
    campaign = {"id": "cmp-1", "kind": "personas", "accounts": ["https://www.linkedin.com/in/x"],
                "staff_targeted": ["S1"], "score": 0.9, "level": "high", "corroborated": True,
                "evidence": [item.model_dump(mode="json")], "template_records": [{"id": "tpl-1", "text": folded,
                                                                                  "reached": 4}]}
    html = render_html(Findings(accounts=[_account([shown])], campaigns=[campaign]))
    assert "opportunit\u00e9 chez Vantage Point" in html
    assert "d une opportunite" not in html  # the folded text is not shown when the sender's words are known


def _context_campaign(number: int) -> dict[str, Any]:
    return {"id": f"cmp-{number}", "kind": "personas", "accounts": [f"a{number}"], "staff_targeted": ["S1", "S2"],
            "score": 0.2, "level": "low", "corroborated": False,
            "evidence": [{"rule": "template-reuse", "indicator": "M9", "weight": 0.0, "reason": "shown only",
                          "excerpt": "hello"}]}


def test_campaigns_not_counted_are_folded_together_with_one_explanation(hostile_findings: Findings) -> None:
    findings = hostile_findings.model_copy(update={"campaigns": [_context_campaign(n) for n in range(5)]})
    html = render_html(findings)
    section = html[html.index('id="campaigns"'):html.index('id="accounts"')]
    folded = section[section.index('<details class="context"'):]
    assert "5 campaigns shown for context, not counted" in folded
    assert section.count("honest recruiters and organisers send standard texts too") == 1
    assert all(f"cmp-{n}" in folded for n in range(5))
    assert "<details class=\"context\" open" not in section  # collapsed on screen...
    assert "<details class=\"context\" open" in render_html(findings, printable=True)  # ...open in the PDF


def test_a_notice_fits_the_step_the_person_already_took(hostile_findings: Findings) -> None:
    alice = next(m for m in hostile_findings.staff if m.staff_id == "S1")
    assert any(link.replied and link.asked_off_platform for link in alice.flagged)
    html = render_html(hostile_findings)
    notice = html[html.index('id="notices"'):html.index('id="read"')]
    block = notice[notice.index("Alice Martin"):]
    block = block[:block.index("</details>")]
    assert 'data-stage="moved-off-platform"' in block
    assert NO_REPLY not in block and "Do not reply" not in block
    assert "send nothing more" in block


def test_one_language_per_report(hostile_findings: Findings) -> None:
    french = render_html(hostile_findings, "fr")
    notices = french[french.index('id="notices"'):french.index('id="read"')]
    assert '<details class="notice high" lang="fr"' in notices  # marked for screen readers and hyphenation
    assert "officier de sécurité" in notices and "security officer" not in notices
    for english in ("What to do", "wrote to them", "they replied", "Exposure ", "asked them to move"):
        assert english not in notices, english
    assert "Que faire" in notices and "a répondu à une demande de passer sur une autre application" in notices
    accounts = french[french.index('id="accounts"'):french.index('id="notices"')]
    for indicator, reason in INDICATOR_REASON["en"].items():
        if f"<strong>{indicator}</strong>" in accounts:
            assert reason not in accounts, f"{indicator}: English reason in a French report"


def test_an_unknown_language_is_refused(hostile_findings: Findings) -> None:
    import pytest

    with pytest.raises(ValueError, match="en, fr, de"):
        render_html(hostile_findings, "es")


def test_the_first_screen_is_a_summary_not_the_detail(hostile_findings: Findings) -> None:
    many = [hostile_findings.accounts[0].model_copy(update={"account": f"k{n}", "name": f"Persona {n}"})
            for n in range(40)]
    html = render_html(hostile_findings.model_copy(update={"accounts": many,
                                                           "generated_at": datetime(2026, 1, 1, tzinfo=UTC)}))
    # the detail of each account is collapsed under a one-line summary on screen
    assert html.count('<details class="account high"') + html.count('<details class="account medium"') >= 40
    assert '<details class="account high" open' not in html


def test_a_campaign_missing_keys_still_renders(hostile_findings: Findings) -> None:
    bare = {"id": "cmp-old", "accounts": ["a"], "corroborated": True}
    html = render_html(hostile_findings.model_copy(update={"campaigns": [bare, {"corroborated": False}]}))
    assert "cmp-old" in html and "Approached 0 staff" in html
