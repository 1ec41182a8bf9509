"""Inline SVG charts: bars in proportion, labels escaped, empty data said in words."""

from __future__ import annotations

import re

from falsefriends.audit.records import GroupFigures, MonthCount
from falsefriends.report.charts import department_chart, sector_chart, timeline_chart


def test_timeline_bars_are_proportional_and_flagged_on_top() -> None:
    svg = str(timeline_chart([MonthCount(month="2025-01", approaches=10, flagged=4),
                              MonthCount(month="2025-02", approaches=5, flagged=0)]))
    flagged = re.findall(r'class="bar-flagged" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg)
    other = re.findall(r'class="bar-other" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg)
    heights = [float(h) for _, h in other[:2]]
    assert abs(heights[0] / heights[1] - 6 / 5) < 1e-6  # 6 other approaches in January, 5 in February
    assert abs(float(flagged[0][1]) / heights[0] - 4 / 6) < 1e-6  # flagged 4 over 6 others in January
    assert "2025-01: 10 approaches, 4 by flagged accounts" in svg


def test_labels_are_escaped_and_empty_data_is_said() -> None:
    groups = [GroupFigures(group="<script>x</script>", staff=3, approached=2, approached_flagged=1)]
    svg = str(department_chart(groups))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "No dated approach" in str(timeline_chart([]))
    assert "No staff member was approached" in str(sector_chart([GroupFigures(group="state", staff=2)]))
    assert "No department was approached" in str(department_chart([GroupFigures(group="x", staff=2)]))


def test_sector_split_shares() -> None:
    svg = str(sector_chart([GroupFigures(group="state", approached_flagged=52),
                            GroupFigures(group="business", approached_flagged=48)]))
    assert "state: 52 (52%)" in svg and "business: 48 (48%)" in svg
    assert svg.index("seg-state") < svg.index("seg-business")
