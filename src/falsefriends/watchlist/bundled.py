"""The bundled watchlist (compiled from public reporting, shipped as package data), loaded once."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from falsefriends.watchlist.entries import Watchlist
from falsefriends.watchlist.formats.yaml_form import load_yaml


@lru_cache(maxsize=1)
def bundled_watchlist() -> Watchlist:
    """Personas and organisations named by authorities, courts, the press and researchers."""
    text = (resources.files("falsefriends.watchlist") / "data" / "bundled.yaml").read_text(encoding="utf-8")
    return load_yaml(text, "bundled.yaml")
