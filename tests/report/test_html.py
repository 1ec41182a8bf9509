"""report.html: self-contained, every hostile text inert, a strict CSP."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from falsefriends.audit.records import Findings
from falsefriends.report.html import render_html, safe_href

from .conftest import ATTRIBUTE, JS_URL, SCRIPT


class _Elements(HTMLParser):
    """Collects every element and attribute the browser would build."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def test_hostile_texts_render_as_text(hostile_findings: Findings) -> None:
    html = render_html(hostile_findings)
    parsed = _parse(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
    assert not [a for a in parsed.attributes if a[1].startswith("on")]
    assert SCRIPT not in html and ATTRIBUTE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, escaped, not dropped
    assert "Research &lt;b&gt;R&amp;D&lt;/b&gt;" in html


def test_only_http_links_are_made(hostile_findings: Findings) -> None:
    parsed = _parse(render_html(hostile_findings))
    hrefs = [value for tag, name, value in parsed.attributes if name in ("href", "src", "action", "xlink:href")
             and not (value or "").startswith("#")]  # the table of contents links within the page
    assert hrefs == []  # a javascript: URL and a URL breaking out of its attribute: shown as text only
    assert not any(JS_URL in (value or "") for _, _, value in parsed.attributes)
    plain = hostile_findings.accounts[0].model_copy(update={"url": "https://www.linkedin.com/in/jane"})
    parsed = _parse(render_html(hostile_findings.model_copy(update={"accounts": [plain]})))
    hrefs = [value for tag, name, value in parsed.attributes if name in ("href", "src", "action", "xlink:href")
             and not (value or "").startswith("#")]
    assert hrefs == ["https://www.linkedin.com/in/jane"]


def test_page_is_self_contained_with_a_strict_csp(hostile_findings: Findings) -> None:
    html = render_html(hostile_findings)
    parsed = _parse(html)
    assert not {"script", "link", "iframe", "object", "embed", "img"} & set(parsed.tags)
    csp = next(v for t, n, v in parsed.attributes if t == "meta" and n == "content" and v and "default-src" in v)
    assert "default-src 'none'" in csp and "script-src 'none'" in csp and "unsafe-inline" not in csp
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert "<svg" in html  # charts are inline
    assert not re.search(r"(?:src|href)=\"(?!https://www\.linkedin\.com/in/|#[a-z-]+\")", html)


def test_csp_hash_matches_the_inline_stylesheet(hostile_findings: Findings) -> None:
    html = render_html(hostile_findings)
    css = re.search(r"<style>(.*?)</style>", html, re.S)
    assert css is not None
    digest = base64.b64encode(hashlib.sha256(css.group(1).encode()).digest()).decode()
    csp = next(v for t, n, v in _parse(html).attributes if t == "meta" and n == "content" and v and "style-src" in v)
    assert f"style-src 'sha256-{digest}'" in csp


def test_headline_figures_and_sections_are_there(hostile_findings: Findings) -> None:
    html = render_html(hostile_findings)
    for heading in ("Headline figures", "Approaches over time", "State and business", "Departments targeted",
                    "Accounts to act on", "Notices to staff", "What was read"):
        assert f"<h2>{heading}</h2>" in html
    assert "generous fee" in html and "WhatsApp" in html  # the exact words
    assert "Do not move the conversation to another app" in html or "Do not reply" in html


def test_safe_href_refuses_everything_but_http() -> None:
    assert safe_href("https://www.linkedin.com/in/x") == "https://www.linkedin.com/in/x"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "vbscript:x", "//evil",
                "https://x\" onmouseover=\"y", "http:/nohost", "", None):
        assert safe_href(bad) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("<>\"'&=/ ;:abcjsvriptonerl()`\\")), min_size=1, max_size=40))
def test_any_hostile_name_adds_no_element_or_attribute(hostile_findings: Findings, payload: str) -> None:
    baseline = _parse(render_html(hostile_findings))
    account = hostile_findings.accounts[0].model_copy(update={"name": payload, "headline": payload})
    accounts = [account, *hostile_findings.accounts[1:]]
    page = _parse(render_html(hostile_findings.model_copy(update={"accounts": accounts})))
    assert page.tags == baseline.tags
    assert [(t, n) for t, n, _ in page.attributes] == [(t, n) for t, n, _ in baseline.attributes]
