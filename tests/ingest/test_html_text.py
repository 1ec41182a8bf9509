"""HTML in message content becomes plain text: no markup survives, link targets are kept as text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from falsefriends.ingest.html_text import html_to_text

TAG = re.compile(r"<[A-Za-z/!?]")


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("plain text, no markup", "plain text, no markup"),
        ("a < b and c > d", "a < b and c > d"),
        ("<p>Dear Anna,</p><p>Best&nbsp;regards</p>", "Dear Anna,\n\nBest regards"),
        ('Write me on <a href="https://t.me/x">Telegram</a>', "Write me on Telegram (https://t.me/x)"),
        ('<a href="https://wa.me/1">https://wa.me/1</a>', "https://wa.me/1"),
        ("<script>steal()</script><style>p{}</style>Hi", "Hi"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "\u2039script>alert(1)\u2039/script>"),
        ("<img src=x onerror=alert(1)>x", "x"),
    ],
)
def test_html_fragments(html: str, text: str) -> None:
    assert html_to_text(html) == text


@given(st.text(alphabet=st.sampled_from(list("<>/&;#ab= \"'\nscriptp")), max_size=200) | st.text(max_size=200))
def test_no_tag_ever_survives(html: str) -> None:
    result = html_to_text(html)
    if result != html:  # converted: nothing that could open a tag is left
        assert not TAG.search(result)
