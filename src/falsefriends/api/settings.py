"""Settings of the analyst service, declared once with their help text and injected into `create_app`.

No module-level state: every value the service reads comes from one `ServiceSettings` object, so a test
builds its own app with its own database and switches.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from falsefriends.store import DEFAULT_URL

ENV_PREFIX = "FALSEFRIENDS_"


class ServiceSettings(BaseModel):
    """What an operator can set; `falsefriends serve` fills it from its options (or FALSEFRIENDS_* variables)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    db_url: str = Field(default=DEFAULT_URL, description="workspace database URL (SQLite path or postgresql://)")
    public_check: bool = Field(
        default=False, description="let anyone use the check page and POST /v1/check without an account")
    session_hours: float = Field(default=12.0, gt=0, le=24 * 30, description="how long a browser login lasts")
    secure_cookies: bool = Field(
        default=False, description="mark cookies Secure (set it when the service is served over HTTPS)")
    upload_dir: Path | None = Field(
        default=None, description="where uploaded exports are kept while an audit runs (default: a temp folder)")
    max_upload_bytes: int = Field(default=512 * 1024 * 1024, gt=0, description="largest upload accepted, in bytes")
    max_json_bytes: int = Field(default=2_000_000, gt=0, description="largest JSON request body, in bytes")
    use_watchlist: bool = Field(default=True, description="check against the workspace and bundled watchlist too")
    upgrade_db: bool = Field(default=True, description="apply the schema migrations when the app starts")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServiceSettings:
        """Settings from FALSEFRIENDS_DB_URL, FALSEFRIENDS_PUBLIC_CHECK... (used by multi-worker serving)."""
        env = os.environ if environ is None else environ
        values: dict[str, str] = {}
        for name in cls.model_fields:
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is not None:
                values[name] = raw
        return cls.model_validate(values)

    def to_env(self) -> dict[str, str]:
        """The inverse of `from_env`, for handing settings to worker processes."""
        out: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            out[ENV_PREFIX + name.upper()] = str(value).lower() if isinstance(value, bool) else str(value)
        return out
