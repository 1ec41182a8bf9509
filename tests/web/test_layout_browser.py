"""Every page of the UI in Chromium at 1280 px and 390 px (a phone): measured, not only photographed.

For each page and width a full-page screenshot goes to test-artifacts/layout/ and `web.layout.layout_problems`
must find nothing: no element wider than its box or running past the page (tables scroll inside their own
box), no short word broken across lines ("MEDIU M", "Scor e"). The pages hold the hostile findings of
tests/web/conftest.py, so adversary-length names and payloads are part of what must fit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from web.conftest import PASSWORD
from web.layout import WIDTHS, layout_problems
from web.test_browser import ARTIFACTS, CHROMIUM_ARGS, chromium, server, sync_api

__all__ = ["chromium", "server"]  # the fixtures, shared with test_browser.py

ACCOUNT = "https://www.linkedin.com/in/evil?x=<b>"
PUBLIC = ("/login", "/check")
ANALYST = ("/dashboard", "/accounts", f"/account?key={quote(ACCOUNT, safe='')}", "/staff", "/campaigns",
           "/campaigns/c1", "/cases", "/watchlist", "/rules", "/audits")
ADMIN = ("/users", "/audit-log")


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def _logged_in(browser: Any, server: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/login?next=/dashboard")
    page.fill("input[name=name]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/dashboard")
    return context, page


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
def test_every_page_holds_its_layout(browser: Any, server: str, width_name: str) -> None:
    width = WIDTHS[width_name]
    folder = ARTIFACTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    context, page = _logged_in(browser, server, width)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    found: dict[str, list[str]] = {}
    for path in (*ANALYST, *ADMIN, *PUBLIC):
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
        for details in page.locator("details").all():
            details.evaluate("d => d.open = true")
        name = path.strip("/").split("?")[0].replace("/", "-") or "home"
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        problems = layout_problems(page)
        if problems:
            found[path] = problems[:5]
    context.close()
    assert found == {}, "\n".join(f"{p}: {q}" for p, q in found.items())
    assert errors == []
