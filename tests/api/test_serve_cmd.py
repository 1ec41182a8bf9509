"""`falsefriends serve` starts the service with one command, on loopback, migrating the workspace first."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_checks_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    db = tmp_path / "ws.db"
    server = subprocess.Popen([sys.executable, "-c", "from falsefriends.cli import main; main()", "serve", "--db",
                               str(db), "--port", str(port), "--public-check", "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"serve exited: {server.stderr.read().decode() if server.stderr else ''}")
            try:
                with urllib.request.urlopen(f"{base}/v1/health", timeout=1) as answer:
                    health = json.loads(answer.read())
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("serve did not answer within 60 s")
                time.sleep(0.2)
        assert health["status"] == "ok" and health["rules"] > 0
        request = urllib.request.Request(f"{base}/v1/check", method="POST",
                                         data=json.dumps({"text": "Let us continue on WhatsApp"}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            verdict = json.loads(answer.read())
            assert "content-security-policy" in {k.lower() for k in answer.headers}
        assert "M3" in verdict["indicators"]
        assert db.exists()
    finally:
        server.terminate()
        server.wait(timeout=15)
