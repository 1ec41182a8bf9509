"""The server-rendered web UI: Jinja2 templates (autoescaped) and htmx, every asset vendored in `static/`."""

from __future__ import annotations

from falsefriends.web.pages import install

__all__ = ["install"]
