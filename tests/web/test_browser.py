"""Browser tests: Debian's Chromium driven by Playwright against the real server on 127.0.0.1.

The suite installs Chromium with apt when it is missing (as root) and skips, saying why, only if that fails.
Screenshots go to test-artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from falsefriends.api import ServiceSettings, create_app
from falsefriends.api.roles import Role
from falsefriends.api.runs import import_findings
from falsefriends.api.users import add_user
from falsefriends.store import session_scope
from web.conftest import PASSWORD, XSS, hostile_findings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LURE = "I represent a consulting firm. We pay well for short reports on your ministry's policy. " \
       "Let us continue on WhatsApp."

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")


def _install_chromium() -> str | None:
    """Install Debian's chromium; returns why it could not, or None."""
    if shutil.which("apt-get") is None:
        return "no apt-get on this machine to install chromium"
    if os.geteuid() != 0:
        return "chromium is missing and installing it needs root (apt-get install chromium)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True, timeout=600)
        done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0 or not CHROMIUM.exists():
        return f"apt-get install chromium failed: {done.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        why = _install_chromium()
        if why is not None:
            pytest.skip(why)
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service on a free loopback port, with a user per role and hostile findings imported."""
    root = tmp_path_factory.mktemp("browser")
    app = create_app(ServiceSettings(db_url=f"sqlite:///{root / 'web.db'}", public_check=True,
                                     upload_dir=root / "up", use_watchlist=False))
    with session_scope(app.state.engine) as session:
        for role in Role:
            add_user(session, role.value, role, PASSWORD)
        add_user(session, "colleague", Role.ANALYST, PASSWORD)
        import_findings(session, "analyst", hostile_findings())
    yield from live_server(app)


def live_server(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields its base URL, then stops it."""
    import uvicorn

    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(chromium: Path) -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.problems = []  # console errors (a CSP violation shows up here) and dialogs (an XSS would open one)
        tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
        tab.on("dialog", lambda d: (tab.problems.append(f"dialog: {d.message}"), d.dismiss()))
        tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
        yield tab
        context.close()
        browser.close()


def test_staff_check_a_message_in_the_browser(server: str, page: Any) -> None:
    page.goto(f"{server}/check")
    page.fill("#text", f"{XSS}\n{LURE}")
    page.click("summary")
    page.fill("input[name=name]", XSS)
    page.fill("input[name=headline]", "Senior Headhunter | Global Think Tank")
    page.click("#check-button")
    verdict = page.locator("#verdict .verdict")
    verdict.wait_for(timeout=10_000)
    assert verdict.get_attribute("data-level") in ("medium", "high")
    marks = page.locator("#verdict mark").all_inner_texts()
    assert "continue on WhatsApp" in marks
    assert page.locator("#verdict img").count() == 0
    assert page.locator("#verdict blockquote").inner_text().startswith('<script>alert("x")</script>')
    assert page.url == f"{server}/check", "htmx swapped the verdict in place"
    page.screenshot(path=str(ARTIFACTS / "check.png"), full_page=True)
    assert page.problems == []


def _log_in(page: Any, server: str, name: str) -> None:
    page.goto(f"{server}/login?next=/dashboard")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/dashboard")


def test_two_analysts_triage_a_finding_into_a_confirmed_case(server: str, page: Any) -> None:
    _log_in(page, server, "analyst")
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.goto(f"{server}/accounts")
    page.click("table.list tbody a >> nth=0")
    page.click("#open-case")
    page.wait_for_url("**/cases/*")
    page.select_option("#assignee", "colleague")
    page.click("#assign")
    page.wait_for_load_state()
    page.fill("#note-text", f"Same template as last month {XSS}")
    page.click("#add-note")
    page.click("#move-investigating")
    assert page.locator("#case-state").text_content() == "investigating"
    case_url = page.url
    page.click("form[action='/logout'] button")
    _log_in(page, server, "colleague")
    page.goto(case_url)
    page.click("#move-confirmed")
    assert page.locator("#case-state").text_content() == "confirmed"
    history = page.locator("ol.history").inner_text()
    assert "analyst" in history and "colleague" in history and "investigating → confirmed" in history
    page.screenshot(path=str(ARTIFACTS / "case.png"), full_page=True)
    page.goto(f"{server}/cases")
    assert page.locator("[data-state=confirmed] .case-card").count() == 1
    page.screenshot(path=str(ARTIFACTS / "cases-board.png"), full_page=True)
    assert page.problems == []


def test_a_security_officer_uploads_exports_and_sees_the_findings(server: str, page: Any,
                                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    from falsefriends.simulate.organisation import build_organisation
    from falsefriends.simulate.organisation_writer import write_organisation

    world = tmp_path_factory.mktemp("org")
    write_organisation(build_organisation(8, 3), world)
    _log_in(page, server, "admin")
    page.goto(f"{server}/audits")
    page.set_input_files("input[name=exports]", [str(p) for p in sorted((world / "exports").iterdir())])
    page.set_input_files("input[name=roster]", str(world / "roster.csv"))
    page.click("#upload")
    page.wait_for_url(f"{server}/audits")
    # The runs table refreshes itself (htmx, every 2 s) until the new run is done.
    page.locator("#runs tr.run-done >> text=upload").first.wait_for(timeout=90_000)
    page.screenshot(path=str(ARTIFACTS / "audits.png"), full_page=True)
    page.goto(f"{server}/dashboard")
    assert page.locator(".figure").first.locator("span").inner_text() == "8"
    page.goto(f"{server}/accounts")
    assert page.locator("table.list tbody tr").count() > 0
    page.screenshot(path=str(ARTIFACTS / "accounts.png"), full_page=True)
    assert page.problems == []
