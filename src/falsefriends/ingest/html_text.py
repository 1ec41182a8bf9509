"""Turn the HTML fragments found in exported message content into plain text, keeping no markup at all.

Message content is written by the sender, so it is hostile: tags are dropped (script and style with
their content), entities decoded, block elements become line breaks, and a link's target is kept in
the text after its label (`label (https://...)`) because off-platform lures hide in hrefs.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_LOOKS_LIKE_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|<!--|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]{2,8});")
_BLOCK = frozenset(
    {"br", "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr"}
)
_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})
_TAG_LEFTOVER = re.compile(r"<[^>]*>")
# What could still open a tag once entities are decoded (`&lt;script&gt;`): disarmed, never passed on.
_TAG_OPENING = re.compile(r"<(?=[A-Za-z/!?])")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._links: list[tuple[str | None, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "a":
            href = next((value for name, value in attrs if name == "href"), None)
            self._links.append((href, len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            label = "".join(self.parts[start:]).strip()
            if href and href.strip() and href.strip() != label:
                self.parts.append(f" ({href.strip()})")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """Whether `text` holds tags or character entities worth converting."""
    return bool(_LOOKS_LIKE_HTML.search(text))


def html_to_text(text: str) -> str:
    """Plain text of an HTML fragment; text without markup comes back unchanged."""
    if not looks_like_html(text):
        return text
    collector = _TextCollector()
    try:
        collector.feed(text)
        collector.close()
        plain = "".join(collector.parts)
    except Exception:  # the stdlib parser is lenient, but never let hostile markup stop an ingest
        plain = unescape(_TAG_LEFTOVER.sub(" ", text))
    plain = _TAG_OPENING.sub("\u2039", plain)
    plain = _SPACES.sub(" ", plain)
    return _BLANK_LINES.sub("\n\n", plain).strip()
