"""The default workspace URL, in a module of its own so that the command line can name it without SQLAlchemy."""

from __future__ import annotations

DEFAULT_URL = "sqlite:///falsefriends.db"
"""The workspace used when no --db is given: a file in the working directory."""
