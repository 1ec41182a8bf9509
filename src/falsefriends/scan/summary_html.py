"""The scan's HTML summary: counts, charts (inline SVG) and the top of the review queue.

Every text shown comes from member-written profiles and messages, i.e. from the adversary: the page is
rendered by Jinja2 with autoescaping on, and chart labels go through markupsafe's escape. No script, no
external resource (a Content-Security-Policy meta tag forbids them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import jinja2
import pyarrow as pa
from markupsafe import Markup, escape

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>falsefriends scan</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px;vertical-align:top}.bar{fill:#345}.bar.high{fill:#a22}
.bar.medium{fill:#d80}.axis{font-size:11px}</style></head><body>
<h1>Platform scan</h1>
<p>Engine: {{ s.engine }}. Accounts with evidence: {{ s.counts.accounts_with_evidence }}; review queue
({{ s.queue_levels|join(", ") }}): {{ s.queue }}; campaigns: {{ s.counts.campaigns }}; rows quarantined:
{{ s.counts.quarantined }}. Trust seeds: {{ s.counts.seeds }} ({{ s.seeds }}).</p>
<h2>Levels</h2>{{ levels_chart }}
<h2>Scores of accounts with evidence</h2>{{ score_chart }}
<h2>Indicators in the top {{ queue|length }} of the queue</h2>{{ indicator_chart }}
<h2>Top of the review queue</h2>
<table><tr><th>#</th><th>member</th><th>profile</th><th>score</th><th>level</th><th>campaign</th><th>evidence</th></tr>
{% for r in queue %}<tr><td>{{ r.rank }}</td><td>{{ r.member_id }}</td><td>{{ r.profile_url or "" }}</td>
<td>{{ "%.3f"|format(r.score) }}</td><td>{{ r.level }}</td><td>{{ r.campaign or "" }}</td>
<td>{% for e in r.evidence[:4] %}<div><b>{{ e.indicator }}</b> {{ e.rule }}{% if e.excerpt %}:
&ldquo;{{ e.excerpt }}&rdquo;{% endif %}</div>{% endfor %}</td></tr>{% endfor %}</table>
<h2>Campaigns</h2>
<table><tr><th>campaign</th><th>accounts</th><th>corroborated</th><th>max score</th><th>shared traces</th></tr>
{% for c in campaigns %}<tr><td>{{ c.campaign }}</td><td>{{ c.size }}</td><td>{{ c.corroborated }}</td>
<td>{{ "%.3f"|format(c.max_score) }}</td><td>{{ c.shared|join("; ") }}</td></tr>{% endfor %}</table>
<h2>Quarantined rows</h2>
<table><tr><th>table</th><th>column</th><th>reason</th><th>rows</th></tr>
{% for (t, c, why), n in quarantine %}<tr><td>{{ t }}</td><td>{{ c }}</td><td>{{ why }}</td><td>{{ n }}</td></tr>
{% endfor %}</table>
</body></html>
"""


def bar_chart(rows: Sequence[tuple[str, int]], css: Sequence[str] = (), width: int = 700) -> Markup:
    """Horizontal bars with escaped labels."""
    if not rows:
        return Markup("<p>none</p>")
    top = max(v for _, v in rows) or 1
    height = 22 * len(rows) + 6
    parts = []
    for i, (label, value) in enumerate(rows):
        y = 22 * i + 3
        w = int((width - 260) * value / top)
        klass = f"bar {escape(css[i])}" if i < len(css) else "bar"
        parts.append(f'<text class="axis" x="0" y="{y + 14}">{escape(label[:40])}</text>'
                     f'<rect class="{klass}" x="200" y="{y}" width="{max(w, 1)}" height="16"/>'
                     f'<text class="axis" x="{205 + w}" y="{y + 14}">{value:,}</text>')
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
                  f'role="img">{"".join(parts)}</svg>')


def render_summary(summary: dict[str, Any], queue: list[dict[str, Any]], campaigns: list[dict[str, Any]],
                   accounts: pa.Table, quarantine: pa.Table) -> str:
    levels = [(lvl, summary["levels"].get(lvl, 0)) for lvl in ("high", "medium", "low")]
    scores = Counter(min(int(s * 10), 9) for s in accounts.column("score").to_pylist())
    score_rows = [(f"{b / 10:.1f}-{(b + 1) / 10:.1f}", scores.get(b, 0)) for b in range(10)]
    indicators = Counter(i for r in queue for i in r["indicators"])
    rows = Counter((r["table"], r["column"], r["reason"]) for r in quarantine.select(
        ["table", "column", "reason"]).to_pylist())
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE).render(
        s=summary, queue=queue, campaigns=campaigns, quarantine=sorted(rows.items()),
        levels_chart=bar_chart(levels, ("high", "medium", "low")), score_chart=bar_chart(score_rows),
        indicator_chart=bar_chart(sorted(indicators.items(), key=lambda kv: (-kv[1], kv[0]))[:15]))
