"""`falsefriends serve`: run the analyst service (REST API under /v1 and the web UI)."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

import typer

from falsefriends.store.defaults import DEFAULT_URL


class LogLevel(StrEnum):
    """uvicorn's log levels."""

    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"
    trace = "trace"


MAX_WORKERS = 64


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the system has one (a container or `taskset`
    may allow fewer than the machine has), else `os.cpu_count()`; at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity on this system (macOS, Windows)
        cores = os.cpu_count() or 1
    return max(1, cores)


def default_workers() -> int:
    """`serve`'s worker processes when `--workers` is not given: one per usable core (at most 64).

    Python runs one thread at a time per process, so one process's check threads and event loop share one
    core; under 200 checks/s with other work on the machine, one process per core is what kept p99 under
    100 ms (benchmarks/serve_check_load.py)."""
    return min(MAX_WORKERS, usable_cores())


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: str = typer.Option(DEFAULT_URL, "--db", help="workspace database: an SQLite path or a postgresql:// URL"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (keep 127.0.0.1 behind a proxy)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port to listen on"),
    public_check: bool = typer.Option(False, "--public-check/--no-public-check",
                                      help="let anyone use the check page and POST /v1/check without an account"),
    workers: int | None = typer.Option(None, "--workers", min=1, max=MAX_WORKERS, show_default=False,
                                       help="worker processes, each with its own event loop and check threads "
                                            f"(default: one per usable core, {default_workers()} here)"),
    secure_cookies: bool = typer.Option(False, "--secure-cookies", help="mark cookies Secure (HTTPS deployments)"),
    upload_dir: Path | None = typer.Option(None, "--upload-dir", help="where uploaded exports are kept"),
    log_level: LogLevel = typer.Option(LogLevel.info, "--log-level", case_sensitive=False,
                                       help="how much the server logs"),
    max_upload_mb: int = typer.Option(512, "--max-upload-mb", min=1, help="largest audit upload, in MiB"),
    body_timeout: float = typer.Option(30.0, "--body-timeout", min=0.1,
                                       help="seconds to wait for the next piece of a request body (else 408)"),
    max_header_bytes: int = typer.Option(32 * 1024, "--max-header-bytes", min=4096,
                                         help="largest request header block (else the connection is refused)"),
    header_timeout: float = typer.Option(10.0, "--header-timeout", min=0.1,
                                         help="seconds a request's header block may take to arrive"),
    max_headers: int = typer.Option(100, "--max-headers", min=10, help="most request headers (else 431)"),
    limit_concurrency: int = typer.Option(256, "--limit-concurrency", min=1,
                                          help="most connections and requests per process before 503"),
    timeout_keep_alive: int = typer.Option(5, "--timeout-keep-alive", min=1,
                                           help="seconds an idle keep-alive connection stays open"),
    check_threads: int = typer.Option(4, "--check-threads", min=1, max=64,
                                      help="threads per process that run checks off the event loop"),
    checks_per_principal: int = typer.Option(2, "--checks-per-principal", min=1, max=64,
                                             help="checks one user (or anonymous address) may run at once"),
    semantic: bool = typer.Option(True, "--semantic/--no-semantic",
                                  help="check with the semantic detector too (off: the rules and the watchlist only)"),
) -> None:
    """Start the service. Create the first admin with `falsefriends users add NAME --role admin`."""
    import uvicorn

    from falsefriends.api import ServiceSettings, create_app
    from falsefriends.api.server import HEADER_TIMEOUT_ENV, PROTOCOL, tune_interpreter
    from falsefriends.store import upgrade

    settings = ServiceSettings(db_url=db, public_check=public_check, secure_cookies=secure_cookies,
                               upload_dir=upload_dir, max_upload_bytes=max_upload_mb * 1024 * 1024,
                               body_timeout_s=body_timeout, header_timeout_s=header_timeout,
                               max_header_bytes=max_header_bytes,
                               max_headers=max_headers, limit_concurrency=limit_concurrency,
                               timeout_keep_alive_s=timeout_keep_alive, check_threads=check_threads,
                               checks_per_principal=checks_per_principal, semantic=semantic)
    # h11 (not httptools) so that the header block has a size limit, with a deadline on its arrival
    # (falsefriends.api.server); then the connection and keep-alive limits.
    os.environ[HEADER_TIMEOUT_ENV] = str(settings.header_timeout_s)
    server = {"http": PROTOCOL, "h11_max_incomplete_event_size": settings.max_header_bytes,
              "limit_concurrency": settings.limit_concurrency, "timeout_keep_alive": settings.timeout_keep_alive_s,
              "log_level": log_level.value, "server_header": False}
    upgrade(settings.db_url)
    if workers is None:
        workers = default_workers()
    typer.echo(f"falsefriends service on http://{host}:{port}/  (API under /v1, schema at /v1/openapi.json; "
               f"{workers} worker process{'es' if workers > 1 else ''})", err=True)
    if workers == 1:
        # worker processes do it in create_app_from_env
        tune_interpreter(settings.switch_interval_ms, settings.gc_gen0_threshold)
        uvicorn.run(create_app(settings.model_copy(update={"upgrade_db": False})), host=host, port=port,
                    **server)  # type: ignore[arg-type]
        return
    # Worker processes build their own app from the same settings, handed over in the environment.
    os.environ.update(settings.model_copy(update={"upgrade_db": False}).to_env())
    uvicorn.run("falsefriends.api.app:create_app_from_env", factory=True, host=host, port=port, workers=workers,
                **server)  # type: ignore[arg-type]
