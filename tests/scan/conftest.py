"""A small simulated network shared by the scan tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from falsefriends.simulate.network import write_network

MEMBERS = 2_000


@pytest.fixture(scope="session")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("network")
    write_network(MEMBERS, 5, out)
    return out
