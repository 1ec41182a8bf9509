"""The web UI: hostile text renders inert, CSRF and roles are enforced, logins are logged, no inline script."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import select

from falsefriends.api.roles import Role
from falsefriends.api.tables import AuditLogRow
from web.conftest import XSS, csrf_of, log_in

ACCOUNT = "https://www.linkedin.com/in/evil?x=<b>"


class Elements(HTMLParser):
    """Every element the browser would build from a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """No element or attribute came from the payload: no img, no inline script, no event handler, no style."""
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag != "img", "an <img> element was built"
        assert not (tag == "script" and "src" not in attrs), "inline script"
        assert not any(name.startswith("on") for name in attrs), f"event handler on <{tag}>"
        assert "style" not in attrs, "inline style (blocked by the CSP)"
    scripts = [attrs.get("src") for tag, attrs in parser.found if tag == "script"]
    assert scripts == ["/static/vendor/htmx-2.0.11.min.js"]


def test_anonymous_check_when_public_renders_hostile_text_inert(make_app: object) -> None:
    app = make_app(public_check=True)  # type: ignore[operator]
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client)
        response = client.post("/check", data={"csrf_token": token, "text": f"{XSS} let us continue on WhatsApp",
                                               "name": XSS, "headline": XSS})
    assert response.status_code == 200
    html = response.text
    assert_inert(html)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    # The rule's words are marked (a semantic match on the whole sentence may add its own label).
    assert re.search(r'<mark title="[^"]*M3 en-move-to-encrypted-app[^"]*">continue on WhatsApp</mark>', html)


def test_check_page_needs_a_login_unless_public(client: TestClient) -> None:
    assert client.get("/check").status_code == 303
    assert client.get("/check").headers["location"].startswith("/login?next=")
    log_in(client, Role.VIEWER)
    assert client.get("/check").status_code == 200


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    forged = client.post("/login", data={"name": "admin", "password": "correct horse battery"})
    assert forged.status_code == 403, "a cross-site login post (no cookie at all) must be refused"
    client.get("/login")
    refused = client.post("/login", data={"name": "admin", "password": "correct horse battery"},
                          headers={"accept": "text/html"})
    assert refused.status_code == 403
    assert "csrf_failed" in refused.text
    token = log_in(client, Role.ANALYST)
    anonymous_token = client.cookies.get("ff_csrf")
    for bad in ("", "x" * 43, anonymous_token):
        response = client.post("/cases", data={"kind": "account", "subject": ACCOUNT, "csrf_token": bad or ""})
        assert response.status_code == 403
    opened = client.post("/cases", data={"kind": "account", "subject": ACCOUNT, "csrf_token": token})
    assert opened.status_code == 303 and opened.headers["location"].startswith("/cases/")
    # htmx requests carry the token as a header instead
    via_header = client.post("/check", data={"text": "hello"}, headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert via_header.status_code == 200


def test_roles_are_enforced_on_pages_and_api(client: TestClient) -> None:
    log_in(client, Role.VIEWER)
    assert client.get("/dashboard", headers={"accept": "text/html"}).status_code == 403
    assert client.get("/v1/staff").status_code == 403
    assert client.get("/v1/summary").status_code == 200
    client.cookies.clear()
    log_in(client, Role.ANALYST)
    assert client.get("/dashboard").status_code == 200
    assert client.get("/v1/users").status_code == 403


def test_analyst_pages_render_hostile_findings_inert(client: TestClient) -> None:
    log_in(client, Role.ANALYST)
    for path in ("/dashboard", "/accounts", f"/account?key={quote(ACCOUNT, safe='')}", "/campaigns", "/campaigns/c1",
                 "/cases",
                 "/watchlist?q=zzz", "/rules", "/audits"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.text)
    detail = client.get(f"/account?key={quote(ACCOUNT, safe='')}").text
    assert "Jane &lt;script&gt;" in detail
    graph = client.get("/campaigns/c1").text
    assert graph.count('class="node persona"') == 1 and graph.count('class="node staff"') == 1
    assert graph.count('class="edge"') == 2  # persona to its template and to the staff member it approached
    api = client.get("/v1/accounts").json()["items"][0]
    assert api["name"] == f"Jane {XSS}"  # the API returns the text as data, in JSON, for the client to escape


def test_a_case_flow_through_the_pages_is_logged(client: TestClient, app: object) -> None:
    token = log_in(client, Role.ANALYST)
    opened = client.post("/cases", data={"kind": "account", "subject": ACCOUNT, "csrf_token": token})
    case_url = opened.headers["location"]
    for data in ({"action": "assign", "assignee": "admin"}, {"action": "note", "text": f"note {XSS}"},
                 {"action": "state", "state": "investigating"}, {"action": "state", "state": "dismissed"}):
        response = client.post(case_url, data={**data, "csrf_token": token})
        assert response.status_code == 303, response.text
    page = client.get(case_url).text
    assert_inert(page)
    assert 'id="case-state">dismissed<' in page
    board = client.get("/cases").text
    assert re.search(r'data-state="dismissed">\s*<h2>dismissed <small>\(1\)', board)
    with app.state.engine.connect() as connection:  # type: ignore[attr-defined]
        actions = connection.execute(select(AuditLogRow.action).order_by(AuditLogRow.id)).scalars().all()
    assert actions[-5:] == ["case.open", "case.assign", "case.note", "case.state", "case.state"]


def test_login_is_logged_and_next_cannot_leave_the_site(client: TestClient, app: object) -> None:
    token = csrf_of(client)
    wrong = client.post("/login", data={"name": "admin", "password": "nope nope nope", "csrf_token": token})
    assert wrong.status_code == 401
    right = client.post("/login", data={"name": "admin", "password": "correct horse battery", "csrf_token": token,
                                        "next": "//evil.example/"})
    assert right.headers["location"] == "/"
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    with app.state.engine.connect() as connection:  # type: ignore[attr-defined]
        rows = connection.execute(select(AuditLogRow.action, AuditLogRow.target)).all()
    assert ("login.failed", "admin") in rows and ("login", "admin") in rows


def test_pages_carry_the_strict_csp_and_htmx_is_vendored(client: TestClient) -> None:
    page = client.get("/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'src="/static/vendor/htmx-2.0.11.min.js"' in page.text
    script = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert script.status_code == 200 and "htmx" in script.text[:200]
    assert client.get("/static/vendor/htmx-2.0.11.LICENSE.txt").status_code == 200


def test_unknown_page_gets_an_html_error_page(client: TestClient) -> None:
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "<h1>404 · not_found</h1>" in response.text
    log_in(client, Role.ANALYST)
    missing = client.get("/account?key=nope", headers={"accept": "text/html"})
    assert missing.status_code == 404


def test_audit_log_cannot_be_read_by_analysts(client: TestClient) -> None:
    log_in(client, Role.ANALYST)
    assert client.get("/v1/audit-log").status_code == 403

