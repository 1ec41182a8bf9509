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

from falsefriends.api import ServiceSettings, create_app
from falsefriends.api.roles import Role
from falsefriends.api.runs import import_findings
from falsefriends.api.users import add_user
from falsefriends.store import session_scope
from web.conftest import PASSWORD, hostile_findings
from web.layout import WIDTHS, layout_problems
from web.test_browser import ARTIFACTS, CHROMIUM_ARGS, chromium, live_server, sync_api

__all__ = ["chromium"]  # the fixture, shared with test_browser.py

LONG_DEPARTMENT = "Research and Development, Advanced Materials and Nanotechnology Laboratory"


def busy_findings() -> dict[str, Any]:
    """The hostile findings plus what a real organisation adds: long department names, two years of months,
    many staff, so that charts, tables and labels are measured full."""
    doc = hostile_findings()
    doc["departments"] = [{"group": f"{LONG_DEPARTMENT} {n}", "staff": 400, "exported": 300, "approached": 300 - n,
                           "approached_flagged": 120 - n} for n in range(12)]
    doc["timeline"] = [{"month": f"{2024 + m // 12}-{m % 12 + 1:02d}", "approaches": 1000 + 37 * m,
                        "flagged": 3 * m} for m in range(24)]
    base = doc["staff"][0]
    doc["staff"] += [{**base, "staff_id": f"S{n:04d}", "name": f"Staff Member Nummer {n}",
                      "department": f"{LONG_DEPARTMENT} {n % 12}", "level": ("low", "medium", "high")[n % 3],
                      "exposure": round(n / 130, 4)} for n in range(2, 130)]
    doc["summary"]["staff"] = len(doc["staff"])
    return doc


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service on a free loopback port, with a user per role and the busy findings imported."""
    root = tmp_path_factory.mktemp("layout")
    app = create_app(ServiceSettings(db_url=f"sqlite:///{root / 'web.db'}", public_check=True,
                                     upload_dir=root / "up", use_watchlist=False))
    with session_scope(app.state.engine) as session:
        for role in Role:
            add_user(session, role.value, role, PASSWORD)
        import_findings(session, "analyst", busy_findings())
    yield from live_server(app)

ACCOUNT = "https://www.linkedin.com/in/evil?x=<b>"
PUBLIC = ("/login", "/check")
ANALYST = ("/dashboard", "/accounts", f"/account?key={quote(ACCOUNT, safe='')}", "/staff", "/staff?page=1",
           "/campaigns", "/campaigns/c1", "/cases", "/watchlist", "/rules", "/audits")
RULES = 6
"""Rule pages measured: the ones with the longest patterns (they ran out of their card)."""
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
    page.goto(f"{server}/account?key={quote(ACCOUNT, safe='')}")
    page.click("#open-case")  # a case page too (the account's case, opened once, then found again)
    page.wait_for_url("**/cases/*")
    case = page.url.removeprefix(server)
    page.goto(f"{server}/rules")
    rules = page.eval_on_selector_all("table a[href^='/rules/']", "links => links.map(a => a.getAttribute('href'))")
    assert rules, "the rules page links to each rule"
    for path in (*ANALYST, case, *ADMIN, *PUBLIC, *_longest(page, server, rules)):
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


def _longest(page: Any, server: str, rules: list[str]) -> list[str]:
    """The rule pages whose text is longest (their patterns are the widest)."""
    sizes = []
    for path in rules:
        response = page.request.get(f"{server}{path}")
        sizes.append((len(response.text()), path))
    return [path for _, path in sorted(sizes, reverse=True)[:RULES]]
