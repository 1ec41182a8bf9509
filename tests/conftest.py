"""Shared factories for tests."""

from __future__ import annotations

import pytest

from falsefriends.check import Checker


@pytest.fixture(scope="session")
def checker() -> Checker:
    """The check as shipped: rules, bundled watchlist, semantic detector and the fusion that goes with it."""
    return Checker()


@pytest.fixture(scope="session")
def rules_checker() -> Checker:
    """The rules and the bundled watchlist with the expert priors: what the rule packs' own tests pin down."""
    return Checker(semantic=False)
