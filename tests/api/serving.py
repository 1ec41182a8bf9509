"""Start `falsefriends serve` as a real process on a free loopback port, for the tests that need one."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_serve(db: Path, *options: str, env: Mapping[str, str] | None = None) -> Iterator[int]:
    """`serve --db DB OPTIONS...` on 127.0.0.1, answering /v1/health; yields its port, stops it after."""
    with running_serve_process(db, *options, env=env) as (port, _):
        yield port


@contextmanager
def running_serve_process(db: Path, *options: str, env: Mapping[str, str] | None = None
                          ) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`running_serve`, also yielding the `serve` process (e.g. to count its worker processes)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", "from falsefriends.cli import main; main()", "serve", "--db",
                               str(db), "--port", str(port), "--log-level", "warning", *options],
                              env=None if env is None else dict(env), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"serve exited: {server.stderr.read().decode() if server.stderr else ''}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("serve did not answer within 60 s")
                time.sleep(0.2)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=15)
