"""A throwaway PostgreSQL server for tests, found or installed (Debian package), run on loopback in a temp dir.

The server runs as an unprivileged user (initdb refuses root), listens on 127.0.0.1 only with trust auth
for one test role, has durability switched off (fsync) because its data dies with the session, and is
stopped and deleted at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROLE = "falsefriends"


class Unavailable(RuntimeError):
    """PostgreSQL cannot be had on this machine; the message says why."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{ROLE}@{self.host}:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh, empty database on this server; returns its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(f"host={self.host} port={self.port} user={ROLE} dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _find_bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _install() -> None:
    """Install Debian's postgresql package (the suite's documented way to get a server on a fresh machine)."""
    if os.environ.get("FALSEFRIENDS_PG_NO_INSTALL"):
        raise Unavailable("PostgreSQL is not installed and FALSEFRIENDS_PG_NO_INSTALL is set")
    if not shutil.which("apt-get"):
        raise Unavailable("PostgreSQL is not installed and there is no apt-get to install it")
    sudo: list[str] = []
    if os.geteuid() != 0:
        can_sudo = shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
        if not can_sudo:
            raise Unavailable("PostgreSQL is not installed and installing it needs root (or password-less sudo)")
        sudo = ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", "postgresql"]
    done = subprocess.run(install, env=env, capture_output=True, timeout=600, check=False)
    if done.returncode != 0:
        subprocess.run([*sudo, "apt-get", "update"], env=env, capture_output=True, timeout=300, check=False)
        done = subprocess.run(install, env=env, capture_output=True, timeout=600, check=False)
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-500:]
        raise Unavailable(f"apt-get install postgresql failed: {tail}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _runner() -> tuple[list[str], int | None, int | None]:
    """How to run the server binaries: as ourselves, or (as root) as an unprivileged system user."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            user = pwd.getpwnam(name)
            return ["runuser", "-u", name, "--"], user.pw_uid, user.pw_gid
    raise Unavailable("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as")


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    """Start a PostgreSQL server for the duration of the block."""
    bindir = _find_bindir()
    if bindir is None:
        _install()
        bindir = _find_bindir()
    if bindir is None:
        raise Unavailable("postgresql was installed but no initdb binary was found")
    prefix, uid, gid = _runner()
    root = Path(tempfile.mkdtemp(prefix="ff-pg-"))
    data = root / "data"
    if uid is not None and gid is not None:
        os.chown(root, uid, gid)
    port = _free_port()
    log = root / "server.log"

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*prefix, *args], capture_output=True, timeout=120, check=False)

    try:
        done = run(str(bindir / "initdb"), "-D", str(data), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--no-locale")
        if done.returncode != 0:
            raise Unavailable(f"initdb failed: {done.stderr.decode(errors='replace')[-500:]}")
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        done = run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start")
        if done.returncode != 0:
            text = log.read_text(errors="replace")[-800:] if log.exists() else done.stderr.decode(errors="replace")
            raise Unavailable(f"PostgreSQL did not start: {text}")
        try:
            yield Server("127.0.0.1", port)
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
