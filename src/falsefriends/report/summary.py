"""The report's first screen: what happened, how many staff, how exposed, what to do now.

Every sentence is computed from the findings' figures (nothing here is a fixed text with numbers pasted
into it when the figure is zero: a step with nothing to act on is left out), so a director reads the
state of the organisation in a minute and the rest of the report is the detail behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from falsefriends.audit.records import Findings
from falsefriends.model import Level

TOP_DEPARTMENTS = 3


@dataclass(frozen=True)
class Figure:
    """One headline number, what it counts, and whether it is a figure to act on."""

    value: str
    label: str
    alert: bool = False


@dataclass(frozen=True)
class ExecutiveSummary:
    what_happened: str
    figures: list[Figure] = field(default_factory=list)
    exposure: str = ""
    actions: list[str] = field(default_factory=list)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def executive_summary(findings: Findings) -> ExecutiveSummary:
    """The summary of these findings (see the module docstring)."""
    s = findings.summary
    flagged = s.accounts_high + s.accounts_medium
    counted = [c for c in findings.campaigns if c.get("corroborated")]
    when = ""
    if s.first_contact and s.last_contact:
        when = f"Between {s.first_contact:%d %b %Y} and {s.last_contact:%d %b %Y}, "
    if flagged:
        what = (f"{when}{_plural(flagged, 'outside account')} showing the signs of fake-profile approaches "
                f"({s.accounts_high} high risk, {s.accounts_medium} medium) contacted "
                f"{s.staff_approached_flagged} of the {s.staff} staff on the roster "
                f"({_pct(s.staff_approached_flagged, s.staff)})")
        what += (f"; {_plural(len(counted), 'coordinated campaign')} link several of them." if counted else ".")
    else:
        what = (f"{when}{_plural(s.accounts, 'outside account')} contacted {s.staff_approached} of the {s.staff} "
                "staff; none shows the signs of a fake-profile approach at medium or high risk.")
    figures = [
        Figure(f"{s.staff_approached_flagged} / {s.staff}", "staff approached by a flagged account",
               alert=s.staff_approached_flagged > 0),
        Figure(str(s.staff_exposure_high), "staff at high exposure: act today", alert=s.staff_exposure_high > 0),
        Figure(str(s.staff_replied_flagged), "staff who replied to a flagged account",
               alert=s.staff_replied_flagged > 0),
        Figure(str(s.staff_asked_off_platform), "staff asked to move to another app",
               alert=s.staff_asked_off_platform > 0),
        Figure(f"{s.accounts_high} + {s.accounts_medium}", "flagged outside accounts (high + medium)",
               alert=s.accounts_high > 0),
        Figure(str(len(counted)), "coordinated campaigns", alert=bool(counted)),
    ]
    low = max(s.staff - s.staff_exposure_high - s.staff_exposure_medium, 0)
    exposure = (f"Exposure weighs each account's risk by what the person did (approached, accepted, replied): "
                f"{s.staff_exposure_high} staff high, {s.staff_exposure_medium} medium, {low} low. "
                f"{s.staff_accepted_flagged} have a flagged account among their connections.")
    return ExecutiveSummary(what, figures, exposure, _actions(findings, len(counted)))


def _actions(findings: Findings, campaigns: int) -> list[str]:
    s = findings.summary
    actions: list[str] = []
    if s.staff_exposure_high:
        actions.append(f"Talk today to the {_plural(s.staff_exposure_high, 'staff member')} at high exposure "
                       "(Notices to staff): each notice says what to do at the step they reached.")
    went_further = [part for count, part in (
        (s.staff_replied_flagged, f"{_plural(s.staff_replied_flagged, 'staff member')} replied to a flagged account"),
        (s.staff_asked_off_platform, f"{_plural(s.staff_asked_off_platform, 'staff member')} "
                                     f"{'was' if s.staff_asked_off_platform == 1 else 'were'} asked to move to "
                                     "another app"),
    ) if count]
    if went_further:
        actions.append(" and ".join(went_further) + ": ask them to send nothing more, keep the messages and tell "
                       "you what they shared.")
    if s.accounts_high:
        actions.append(f"Report the {_plural(s.accounts_high, 'high-risk account')} to the platform and have staff "
                       "remove and block them (Accounts to act on; findings.csv).")
    departments = [g.group for g in findings.departments if g.approached_flagged][:TOP_DEPARTMENTS]
    if departments:
        actions.append("Brief the most targeted departments first: " + ", ".join(departments) + ".")
    if campaigns:
        actions.append(f"Share the {_plural(campaigns, 'campaign')} with your national security service or CERT "
                       "(falsefriends share: STIX or MISP).")
    if s.accounts_high + s.accounts_medium or s.staff_approached:
        actions.append("Remind every member of staff: accept connections only from people you know, never move "
                       "to another app on a stranger's request, report approaches (NPSA Think Before You Link).")
    if not findings.pseudonymised and any(m.level is not Level.LOW for m in findings.staff):
        actions.append("This report names staff: pseudonymise it (--pseudonymise) before it leaves the "
                       "security team.")
    return actions
