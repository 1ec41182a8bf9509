"""Bar charts and the campaign graph as inline SVG geometry computed on the server (no script, no inline style)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    highlight: int
    x: float
    width: float
    highlight_width: float
    y: float


def bars(rows: list[tuple[str, int, int]], width: float = 480.0, row_height: float = 22.0) -> list[Bar]:
    """Horizontal bars: (label, total, flagged) scaled to `width`."""
    top = max((total for _, total, _ in rows), default=0) or 1
    return [Bar(label, total, flagged, 0.0, width * total / top, width * flagged / top, i * row_height)
            for i, (label, total, flagged) in enumerate(rows)]


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float


def campaign_graph(campaign: dict[str, Any], accounts: dict[str, dict[str, Any]], width: float = 900.0,
                   gap: float = 26.0) -> tuple[list[Node], list[Edge], float]:
    """Personas (left), templates (middle), targeted staff (right); a persona is linked to the staff it approached
    and to the campaign's templates."""
    personas = [str(a) for a in campaign.get("accounts", [])][:60]
    templates = [str(t) for t in campaign.get("templates", [])][:30]
    staff = [str(s) for s in campaign.get("staff_targeted", [])][:80]
    columns = {"persona": (40.0, personas), "template": (width / 2, templates), "staff": (width - 200.0, staff)}
    nodes: dict[tuple[str, str], Node] = {}
    for kind, (x, items) in columns.items():
        for i, item in enumerate(items):
            label = item
            if kind == "persona":
                label = str(accounts.get(item, {}).get("name") or item)
            nodes[(kind, item)] = Node(item, label[:40], kind, x, 20.0 + i * gap)
    edges: list[Edge] = []
    for persona in personas:
        source = nodes[("persona", persona)]
        for template in templates:
            target = nodes[("template", template)]
            edges.append(Edge(source.x, source.y, target.x, target.y))
        for approached in accounts.get(persona, {}).get("staff_approached", []):
            target_node = nodes.get(("staff", str(approached)))
            if target_node is not None:
                edges.append(Edge(source.x, source.y, target_node.x, target_node.y))
    height = 40.0 + gap * max(len(personas), len(templates), len(staff), 1)
    return list(nodes.values()), edges, height
