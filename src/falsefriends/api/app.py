"""`create_app(settings)`: the analyst service as a FastAPI application, built from injected settings.

Everything the routes need (settings, engine, checker) hangs off `app.state`; nothing is a module global,
so a test or a worker process builds as many independent apps as it likes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from falsefriends.api.auth import TokenCache
from falsefriends.api.checking import CheckerHolder
from falsefriends.api.errors import install_error_handlers
from falsefriends.api.headers import SecurityHeaders
from falsefriends.api.limits import MULTIPART_SLACK, RequestLimits
from falsefriends.api.routes import admin, cases, check, findings, meta, share, watchlist
from falsefriends.api.schemas import CheckRequest
from falsefriends.api.settings import ServiceSettings
from falsefriends.api.throttle import LoginThrottle
from falsefriends.api.users import _dummy_hash
from falsefriends.api.workers import CheckWorkers
from falsefriends.audit import Findings
from falsefriends.check import Checker
from falsefriends.store import make_engine, upgrade
from falsefriends.web import install as install_web

API_DESCRIPTION = """Detect espionage approaches made through fake profiles, and triage an organisation's findings.

Every error has one shape: `{"error": {"status", "code", "message", "details": [{"loc", "message"}]}}`.
Authenticate with `Authorization: Bearer <token>` (see `falsefriends users token`)."""


def create_app(settings: ServiceSettings | None = None, checker: Checker | None = None) -> FastAPI:
    """Build the service. The database is migrated to the latest schema unless `settings.upgrade_db` is off."""
    settings = settings if settings is not None else ServiceSettings()
    engine = make_engine(settings.db_url)
    if settings.upgrade_db:
        upgrade(engine)

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="falsefriends-audit")
    check_workers = CheckWorkers(settings.check_threads, settings.checks_per_principal)
    checkers = CheckerHolder(engine, checker, settings.use_watchlist, settings.semantic)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from falsefriends.api.server import serving_process

        if serving_process():
            await warm_start(checkers)
        yield
        check_workers.shutdown()
        executor.shutdown(wait=True)
        engine.dispose()

    from falsefriends.api.routes.meta import package_version

    app = FastAPI(title="falsefriends analyst service", version=package_version(), description=API_DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/v1/openapi.json", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.checkers = checkers
    # Audits run one at a time beside the request handlers: they are long and CPU-bound.
    app.state.executor = executor
    # Checks run in their own threads, a few at a time per user, so the event loop stays responsive.
    app.state.check_workers = check_workers
    # The check routes remember valid API tokens for a few seconds (one database read per token per interval).
    app.state.token_cache = TokenCache(settings.token_cache_s)
    app.state.login_throttle = LoginThrottle(settings.login_max_failures, settings.login_lock_minutes * 60,
                                             settings.login_lock_minutes * 60)
    _dummy_hash()  # so that the first failed login costs what every other one does
    install_error_handlers(app)
    for module in (meta, check, findings, cases, watchlist, share, admin):
        app.include_router(module.router)
    install_web(app)
    app.add_middleware(RequestLimits, default_limit=settings.max_json_bytes, limits=body_limits(settings),
                       max_headers=settings.max_headers, body_timeout_s=settings.body_timeout_s)
    app.add_middleware(SecurityHeaders)
    _publish_raw_body_schemas(app)
    return app


async def warm_start(checkers: CheckerHolder) -> None:
    """In a serving process, before the first request: build the checker and run one check (the rules, the
    sentence encoder and its head, the watchlist are loaded now, not by the first client), then freeze
    everything loaded so that the garbage collector stops walking it (`server.freeze_loaded`)."""
    from starlette.concurrency import run_in_threadpool

    from falsefriends.api.routes.check import check_one
    from falsefriends.api.server import freeze_loaded
    from falsefriends.batch import parse_line

    def warm() -> None:
        check_one(checkers.get(), parse_line(b'{"text": "We pay well for short notes. Shall we talk on WhatsApp?"}', 1))

    await run_in_threadpool(warm)
    freeze_loaded()


def body_limits(settings: ServiceSettings) -> dict[str, int]:
    """The body ceiling of each path that takes more than a small JSON body (the rest: `max_json_bytes`)."""
    from falsefriends.api.routes.check import MAX_BATCH_BYTES
    from falsefriends.api.routes.findings import MAX_FINDINGS_BYTES
    from falsefriends.api.routes.watchlist import MAX_IMPORT_BYTES
    from falsefriends.batch import MAX_LINE_BYTES

    upload = settings.max_upload_bytes + MULTIPART_SLACK
    return {"/v1/audits": upload, "/audits": upload, "/v1/audits/import": MAX_FINDINGS_BYTES,
            "/audits/import": MAX_FINDINGS_BYTES + MULTIPART_SLACK,
            "/v1/watchlist/import": MAX_IMPORT_BYTES, "/v1/check/batch": MAX_BATCH_BYTES,
            "/v1/share/import": getattr(share, "MAX_IMPORT_BYTES", MAX_IMPORT_BYTES),
            "/v1/check": max(MAX_LINE_BYTES, settings.max_json_bytes)}


def _publish_raw_body_schemas(app: FastAPI) -> None:
    """Add to the OpenAPI components the models of bodies that routes parse themselves (the check line)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (CheckRequest, Findings):
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in model_schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components.setdefault(model.__name__, model_schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` worker processes: settings from FALSEFRIENDS_* variables."""
    from falsefriends.api.server import tune_interpreter

    settings = ServiceSettings.from_env()
    tune_interpreter(settings.switch_interval_ms, settings.gc_gen0_threshold)
    return create_app(settings)
