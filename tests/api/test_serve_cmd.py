"""`falsefriends serve` starts the service with one command, on loopback, migrating the workspace first, with
one worker process per usable core unless `--workers` says otherwise."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.serving import running_serve_process
from falsefriends.cli import serve_cmd


def _workers(pid: int) -> list[int]:
    """The worker processes uvicorn spawned from `pid` (Linux /proc; not multiprocessing's resource tracker)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rpartition(")")[2].split()[1])
                spawned = b"spawn_main" in Path(f"/proc/{entry}/cmdline").read_bytes()
            except (OSError, ValueError, IndexError):
                continue
            if parent == pid and spawned:
                found.append(int(entry))
    return found


def _check_on(port: int) -> dict[str, object]:
    base = f"http://127.0.0.1:{port}"
    with urllib.request.urlopen(f"{base}/v1/health", timeout=5) as answer:
        health = json.loads(answer.read())
    assert health["status"] == "ok" and health["rules"] > 0
    request = urllib.request.Request(f"{base}/v1/check", method="POST",
                                     data=json.dumps({"text": "Let us continue on WhatsApp"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        verdict: dict[str, object] = json.loads(answer.read())
        assert "content-security-policy" in {k.lower() for k in answer.headers}
    return verdict


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="counts worker processes through /proc")
def test_serve_answers_checks_on_loopback_with_one_worker_per_core(tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    with running_serve_process(db, "--public-check") as (port, server):
        verdict = _check_on(port)
        assert "M3" in verdict["indicators"]  # type: ignore[operator]
        assert db.exists()
        workers = serve_cmd.default_workers()
        # One worker: the `serve` process answers itself; more: uvicorn's supervisor with one child each.
        assert len(_workers(server.pid)) == (0 if workers == 1 else workers)


def test_serve_with_one_worker_answers_in_its_own_process(tmp_path: Path) -> None:
    with running_serve_process(tmp_path / "ws.db", "--public-check", "--workers", "1") as (port, server):
        assert "M3" in _check_on(port)["indicators"]  # type: ignore[operator]
        assert _workers(server.pid) == []


def test_default_workers_is_one_per_usable_core(monkeypatch: pytest.MonkeyPatch) -> None:
    # The cores this process may use (a container or taskset may allow fewer than the machine has).
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert serve_cmd.usable_cores() == 3 and serve_cmd.default_workers() == 3
    # No affinity on this system: the machine's count, at least 1.
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert serve_cmd.default_workers() == 16
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert serve_cmd.default_workers() == 1
    # At most the option's maximum.
    monkeypatch.setattr(os, "cpu_count", lambda: 512)
    assert serve_cmd.default_workers() == serve_cmd.MAX_WORKERS


def test_serve_help_says_the_default_workers() -> None:
    from falsefriends.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "one per usable core" in " ".join(result.output.split())
