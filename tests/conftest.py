"""Shared factories for tests."""

from __future__ import annotations

import pytest

from falsefriends.check import Checker


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()
