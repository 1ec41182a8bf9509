"""The substring guards of identifier extraction never change what is found."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.watchlist import identifiers

PIECES = st.sampled_from([
    "mail me at ", "x.y@example.org", " +44 20 7946 0958 ", "0033 6 12 34 56 78", "WeChat ID: zhang_88",
    "Telegram: @agent_k", "t.me/someone", "https://wa.me/4915112345678", "www.front-org.example",
    "https://linkedin.com/in/some-slug", "@handle", " ", "\n", "Hello", ":", "+", "00", "@",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12).map("".join))
def test_guards_change_nothing(text: str) -> None:
    guarded = identifiers.extract(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(identifiers, "_GUARDS", tuple(("",) for _ in identifiers._GUARDS))
        unguarded = identifiers.extract(text)
    assert guarded == unguarded
