"""`falsefriends serve`: run the analyst service (REST API under /v1 and the web UI)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from falsefriends.store.defaults import DEFAULT_URL


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: str = typer.Option(DEFAULT_URL, "--db", help="workspace database: an SQLite path or a postgresql:// URL"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (keep 127.0.0.1 behind a proxy)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    public_check: bool = typer.Option(False, "--public-check/--no-public-check",
                                      help="let anyone use the check page and POST /v1/check without an account"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="worker processes (checks are CPU-bound)"),
    secure_cookies: bool = typer.Option(False, "--secure-cookies", help="mark cookies Secure (HTTPS deployments)"),
    upload_dir: Path | None = typer.Option(None, "--upload-dir", help="where uploaded exports are kept"),
    log_level: str = typer.Option("info", "--log-level"),
) -> None:
    """Start the service. Create the first admin with `falsefriends users add NAME --role admin`."""
    import uvicorn

    from falsefriends.api import ServiceSettings, create_app
    from falsefriends.store import upgrade

    settings = ServiceSettings(db_url=db, public_check=public_check, secure_cookies=secure_cookies,
                               upload_dir=upload_dir)
    upgrade(settings.db_url)
    typer.echo(f"falsefriends service on http://{host}:{port}/  (API under /v1, schema at /v1/openapi.json)",
               err=True)
    if workers == 1:
        uvicorn.run(create_app(settings.model_copy(update={"upgrade_db": False})), host=host, port=port,
                    log_level=log_level, server_header=False)
        return
    # Worker processes build their own app from the same settings, handed over in the environment.
    os.environ.update(settings.model_copy(update={"upgrade_db": False}).to_env())
    uvicorn.run("falsefriends.api.app:create_app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, server_header=False)
