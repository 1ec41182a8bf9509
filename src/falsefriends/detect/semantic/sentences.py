"""Split a message into sentences with their character spans in the original text."""

from __future__ import annotations

import re

MAX_SENTENCES = 40
_BOUNDARY = re.compile(r"(?<=[.!?。！？])\s+|\n\s*")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def sentence_spans(text: str, limit: int = MAX_SENTENCES) -> list[tuple[int, int]]:
    """(start, end) of each sentence holding at least two letters, at most `limit` of them.

    Boundaries are line breaks and sentence punctuation followed by space; a long README-like
    text is cut after `limit` sentences (what an approach says comes first).
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        _keep(text, start, match.start(), spans)
        start = match.end()
        if len(spans) >= limit:
            return spans[:limit]
    _keep(text, start, len(text), spans)
    return spans[:limit]


def _keep(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and len(_LETTER.findall(text[start:end], 0, 400)) >= 2:
        spans.append((start, end))
