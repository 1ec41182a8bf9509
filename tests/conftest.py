"""Shared factories for tests."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

# The start-up cache (falsefriends.cache) of this test session: a fresh folder, so the tests build it and
# read it back, and never touch the user's own cache.
if "FALSEFRIENDS_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="falsefriends-test-cache-")
    os.environ["FALSEFRIENDS_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, True)

from falsefriends.check import Checker


@pytest.fixture(scope="session")
def checker() -> Checker:
    """The check as shipped: rules, bundled watchlist, semantic detector and the fusion that goes with it."""
    return Checker()


@pytest.fixture(scope="session")
def rules_checker() -> Checker:
    """The rules and the bundled watchlist with the expert priors: what the rule packs' own tests pin down."""
    return Checker(semantic=False)
