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
    body_timeout_s: float = Field(
        default=30.0, gt=0, le=3600, description="longest wait for the next piece of a request body (else 408)")
    header_timeout_s: float = Field(
        default=10.0, gt=0, le=600, description="longest a request's header block may take to arrive (server)")
    max_headers: int = Field(default=100, ge=10, le=10_000, description="most request headers (else 431)")
    max_header_bytes: int = Field(
        default=32 * 1024, ge=4096, le=1024 * 1024, description="largest request header block, in bytes (server)")
    limit_concurrency: int = Field(
        default=256, ge=1, description="most open connections and requests per process before 503 (server)")
    timeout_keep_alive_s: int = Field(default=5, ge=1, le=600, description="idle keep-alive connections close after")
    check_threads: int = Field(default=4, ge=1, le=64, description="threads that run checks off the event loop")
    checks_per_principal: int = Field(
        default=2, ge=1, le=64, description="checks one user (or one anonymous address) may run at once (else 429)")
    switch_interval_ms: float = Field(
        default=0.5, gt=0, le=100,
        description="how often a thread running Python must let the others (the event loop) run (server)")
    gc_gen0_threshold: int = Field(
        default=10_000, ge=100, le=1_000_000,
        description="allocations between young-generation garbage collections in the serving process (server)")
    token_cache_s: float = Field(
        default=2.0, ge=0, le=60,
        description="seconds the check routes remember a valid API token (0: look it up on every request)")
    max_batch_lines: int = Field(default=10_000, ge=1, description="most lines in one POST /v1/check/batch")
    login_max_failures: int = Field(
        default=10, ge=1, le=1000, description="failed logins of one account in the window that lock it")
    login_lock_minutes: float = Field(
        default=15.0, gt=0, le=24 * 60, description="the failure window and how long a lock lasts")
    use_watchlist: bool = Field(default=True, description="check against the workspace and bundled watchlist too")
    semantic: bool = Field(default=True, description="check with the semantic detector too (sentence encoder)")
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
