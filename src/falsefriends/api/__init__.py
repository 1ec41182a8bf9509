"""The analyst service: REST API under /v1 and the server-rendered web UI, built by `create_app(settings)`."""

from __future__ import annotations

from falsefriends.api.app import create_app
from falsefriends.api.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]
