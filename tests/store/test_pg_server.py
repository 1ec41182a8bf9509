"""The test PostgreSQL helper installs Debian's package when no server is on the machine, or says why it cannot."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from store import pg_server


def test_missing_server_is_installed_with_apt(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def run(command: list[str], **_kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        # The first install fails (stale package lists): the helper updates them and tries again.
        return subprocess.CompletedProcess(command, 1 if len(calls) == 1 else 0, b"", b"")

    monkeypatch.delenv("FALSEFRIENDS_PG_NO_INSTALL", raising=False)
    monkeypatch.setattr(pg_server.os, "geteuid", lambda: 0)
    monkeypatch.setattr(pg_server.shutil, "which", lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
    monkeypatch.setattr(pg_server.subprocess, "run", run)
    pg_server._install()
    assert calls == [
        ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
    ]


def test_without_root_or_sudo_it_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FALSEFRIENDS_PG_NO_INSTALL", raising=False)
    monkeypatch.setattr(pg_server.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(pg_server.shutil, "which", lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
    with pytest.raises(pg_server.Unavailable, match="needs root"):
        pg_server._install()


def test_installing_can_be_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FALSEFRIENDS_PG_NO_INSTALL", "1")
    with pytest.raises(pg_server.Unavailable, match="FALSEFRIENDS_PG_NO_INSTALL"):
        pg_server._install()
