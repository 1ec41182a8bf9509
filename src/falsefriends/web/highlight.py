"""Cut a message into plain and highlighted pieces from evidence spans, for the template to escape and mark."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True)
class Piece:
    """A run of the message: `labels` name the indicators whose words these are (empty: not highlighted)."""

    text: str
    labels: tuple[str, ...] = ()


def pieces(text: str, evidence: list[dict[str, Any]]) -> list[Piece]:
    """Split `text` at every span boundary; overlapping spans give one piece with both labels."""
    spans = []
    for item in evidence:
        span = item.get("span")
        if span is None or len(span) != 2:
            continue
        start, end = max(0, int(span[0])), min(len(text), int(span[1]))
        if start < end:
            spans.append((start, end, f"{item.get('indicator', '')} {item.get('rule', '')}".strip()))
    if not spans:
        return [Piece(text)] if text else []
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Piece] = []
    for start, end in pairwise(cuts):
        labels = tuple(dict.fromkeys(label for s, e, label in spans if s <= start and end <= e))
        out.append(Piece(text[start:end], labels))
    return out
