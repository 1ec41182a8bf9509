"""Small inline-SVG charts for the audit report: no JavaScript, no external file, nothing to fetch.

Every label is escaped (department names come from a roster file; nothing is trusted), and colours
come from CSS classes of the page so the charts follow its stylesheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from falsefriends.audit.records import GroupFigures, MonthCount


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    label = escape(title)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{label}"><title>{label}</title>{"".join(body)}</svg>'
    )


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value`."""
    if value <= 5:
        return max(value, 1)
    step = 1
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def timeline_chart(months: Sequence[MonthCount], width: int = 900, height: int = 240) -> Markup:
    """Stacked bars per month: approaches by flagged accounts (dark) over all other approaches."""
    if not months:
        return Markup('<p class="muted">No dated approach in the exports.</p>')
    left, right, top, bottom = 40, 10, 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max(m.approaches for m in months))
    slot = plot_w / len(months)
    bar = max(1.0, slot * 0.75)
    body = [f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>']
    for tick in (0, peak // 2, peak):
        y = top + plot_h - plot_h * tick / peak
        body.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}"/>')
        body.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    every = max(1, len(months) // 12)
    for i, month in enumerate(months):
        x = left + i * slot + (slot - bar) / 2
        other = month.approaches - month.flagged
        h_all = plot_h * month.approaches / peak
        h_flag = plot_h * month.flagged / peak
        base = top + plot_h
        tip = escape(f"{month.month}: {month.approaches} approaches, {month.flagged} by flagged accounts")
        body.append(f"<g><title>{tip}</title>")
        if other:
            body.append(f'<rect class="bar-other" x="{x:.1f}" y="{base - h_all:.1f}" width="{bar:.1f}" '
                        f'height="{h_all - h_flag:.1f}"/>')
        if month.flagged:
            body.append(f'<rect class="bar-flagged" x="{x:.1f}" y="{base - h_flag:.1f}" width="{bar:.1f}" '
                        f'height="{h_flag:.1f}"/>')
        body.append("</g>")
        if i % every == 0:
            body.append(f'<text class="tick" x="{x + bar / 2:.1f}" y="{base + 16}" text-anchor="middle">'
                        f"{escape(month.month)}</text>")
    body.append(f'<rect class="bar-flagged" x="{left}" y="{height - 14}" width="10" height="10"/>'
                f'<text class="legend" x="{left + 14}" y="{height - 5}">by flagged accounts</text>'
                f'<rect class="bar-other" x="{left + 160}" y="{height - 14}" width="10" height="10"/>'
                f'<text class="legend" x="{left + 174}" y="{height - 5}">other approaches</text>')
    return _svg(width, height, "Approaches per month", body)


def sector_chart(sectors: Sequence[GroupFigures], width: int = 900, height: int = 70) -> Markup:
    """One 100% bar: staff approached by flagged accounts, split by sector (state, business, unknown)."""
    parts = [(g.group, g.approached_flagged) for g in sectors if g.approached_flagged]
    total = sum(n for _, n in parts)
    if not total:
        return Markup('<p class="muted">No staff member was approached by a flagged account.</p>')
    order = {"state": 0, "business": 1}
    parts.sort(key=lambda p: (order.get(p[0], 2), p[0]))
    body: list[str] = []
    x = 0.0
    for group, count in parts:
        w = width * count / total
        css = {"state": "seg-state", "business": "seg-business"}.get(group, "seg-unknown")
        text = escape(f"{group}: {count} ({100 * count / total:.0f}%)")
        body.append(f'<g><title>{text}</title><rect class="{css}" x="{x:.1f}" y="0" width="{w:.1f}" height="40"/>')
        if w > 120:
            body.append(f'<text class="seg-label" x="{x + 8:.1f}" y="25">{text}</text>')
        body.append("</g>")
        x += w
    legend = " · ".join(f"{group}: {count} ({100 * count / total:.0f}%)" for group, count in parts)
    body.append(f'<text class="legend" x="0" y="{height - 8}">{escape(legend)}</text>')
    return _svg(width, height, "Staff approached by flagged accounts, by sector", body)


def department_chart(departments: Sequence[GroupFigures], limit: int = 12, width: int = 900) -> Markup:
    """Horizontal bars: staff approached by flagged accounts per department, against its headcount."""
    rows = [g for g in departments if g.approached][:limit]
    if not rows:
        return Markup('<p class="muted">No department was approached.</p>')
    label_w, bar_h, gap = 220, 18, 8
    height = len(rows) * (bar_h + gap) + 30
    plot_w = width - label_w - 120
    peak = max(g.staff for g in rows) or 1
    body: list[str] = []
    for i, group in enumerate(rows):
        y = i * (bar_h + gap)
        name = group.group if len(group.group) <= 32 else group.group[:31] + "…"
        w_staff = plot_w * group.staff / peak
        w_flag = plot_w * group.approached_flagged / peak
        tip = escape(f"{group.group}: {group.approached_flagged} of {group.staff} staff approached by flagged "
                     f"accounts, {group.approached} approached in all")
        body.append(
            f"<g><title>{tip}</title>"
            f'<text class="tick" x="{label_w - 8}" y="{y + 13}" text-anchor="end">{escape(name)}</text>'
            f'<rect class="bar-other" x="{label_w}" y="{y}" width="{w_staff:.1f}" height="{bar_h}"/>'
            f'<rect class="bar-flagged" x="{label_w}" y="{y}" width="{w_flag:.1f}" height="{bar_h}"/>'
            f'<text class="tick" x="{label_w + w_staff + 6:.1f}" y="{y + 13}">'
            f"{group.approached_flagged} / {group.staff}</text></g>"
        )
    y = len(rows) * (bar_h + gap) + 12
    body.append(f'<rect class="bar-flagged" x="{label_w}" y="{y}" width="10" height="10"/>'
                f'<text class="legend" x="{label_w + 14}" y="{y + 9}">approached by flagged accounts</text>'
                f'<rect class="bar-other" x="{label_w + 230}" y="{y}" width="10" height="10"/>'
                f'<text class="legend" x="{label_w + 244}" y="{y + 9}">staff in the department</text>')
    return _svg(width, height, "Departments targeted", body)


def campaign_chart(campaign: Mapping[str, Any], approached: Mapping[str, Sequence[str]],
                   names: Mapping[str, str], limit: int = 40, width: int = 900) -> Markup:
    """One campaign as a graph: its accounts (left), linked by curves weighted by the traces they share,
    and a line to each staff member (right) they approached. Names are the adversary's words: escaped."""
    accounts = [str(a) for a in campaign.get("accounts", ())][:limit]
    staff = [str(s) for s in campaign.get("staff_targeted", ())][:limit]
    if not accounts:
        return Markup('<p class="muted">No account in this campaign.</p>')
    gap, top, left_x, right_x = 22, 14, 260, width - 240
    y_account = {a: top + i * gap for i, a in enumerate(accounts)}
    y_staff = {s: top + i * gap for i, s in enumerate(staff)}
    height = top + gap * max(len(accounts), len(staff)) + 24
    body: list[str] = []
    for account in accounts:
        for staff_id in approached.get(account, ()):
            if staff_id in y_staff:
                body.append(f'<line class="cg-approach" x1="{left_x}" y1="{y_account[account]}" x2="{right_x}" '
                            f'y2="{y_staff[staff_id]}"/>')
    links = [link for link in campaign.get("links", ()) if len(link) == 3]
    heaviest = max((float(w) for _, _, w in links), default=1.0) or 1.0
    for a, b, weight in links:
        if str(a) not in y_account or str(b) not in y_account:
            continue
        y1, y2 = y_account[str(a)], y_account[str(b)]
        bend = left_x + 30 + abs(y2 - y1) * 0.6
        stroke = 1.0 + 3.0 * float(weight) / heaviest
        pair = f"{names.get(str(a)) or a} and {names.get(str(b)) or b}"
        tip = escape(f"{pair}: shared traces, weight {float(weight):.2f}")
        body.append(f'<path class="cg-link" d="M{left_x},{y1} Q{bend:.1f},{(y1 + y2) / 2:.1f} {left_x},{y2}" '
                    f'stroke-width="{stroke:.1f}"><title>{tip}</title></path>')
    for account in accounts:
        label = names.get(account) or account
        label = label if len(label) <= 34 else label[:33] + "…"
        y = y_account[account]
        body.append(f'<g><title>{escape(account)}</title><circle class="cg-account" cx="{left_x}" cy="{y}" r="5"/>'
                    f'<text class="tick" x="{left_x - 10}" y="{y + 4}" text-anchor="end">{escape(label)}</text></g>')
    for staff_id in staff:
        y = y_staff[staff_id]
        body.append(f'<g><circle class="cg-staff" cx="{right_x}" cy="{y}" r="4"/>'
                    f'<text class="tick" x="{right_x + 10}" y="{y + 4}">{escape(staff_id)}</text></g>')
    more = []
    if len(campaign.get("accounts", ())) > limit:
        more.append(f"{len(campaign['accounts']) - limit} more accounts")
    if len(campaign.get("staff_targeted", ())) > limit:
        more.append(f"{len(campaign['staff_targeted']) - limit} more staff")
    legend = "accounts (left), linked by shared traces; staff approached (right)"
    if more:
        legend += "; not drawn: " + ", ".join(more)
    body.append(f'<text class="legend" x="0" y="{height - 6}">{escape(legend)}</text>')
    return _svg(width, height, f"Campaign {campaign.get('id', '')}", body)
