"""`falsefriends serve` starts the service with one command, on loopback, migrating the workspace first."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from api.serving import running_serve


def test_serve_answers_checks_on_loopback(tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    with running_serve(db, "--public-check") as port:
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/v1/health", timeout=5) as answer:
            health = json.loads(answer.read())
        assert health["status"] == "ok" and health["rules"] > 0
        request = urllib.request.Request(f"{base}/v1/check", method="POST",
                                         data=json.dumps({"text": "Let us continue on WhatsApp"}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            verdict = json.loads(answer.read())
            assert "content-security-policy" in {k.lower() for k in answer.headers}
        assert "M3" in verdict["indicators"]
        assert db.exists()
