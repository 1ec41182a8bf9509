"""`falsefriends check`: is this request or message a hostile approach?"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the check command to the main application (filled in by the check issue)."""
