"""The analyst's lists (accounts, staff, users, audit log): sorted, filtered, paged, exported as safe CSV; users
added and watchlist entries added, edited, imported and removed from the pages; real institutions told apart."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import select

from falsefriends.api.roles import Role
from falsefriends.api.tables import AuditLogRow
from falsefriends.api.users import add_user
from falsefriends.report.csv_out import BOM
from falsefriends.store import session_scope
from web.conftest import XSS, log_in
from web.test_pages import assert_inert


def _csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


def test_staff_users_and_log_pages_render_inert_and_need_their_roles(client: TestClient) -> None:
    log_in(client, Role.VIEWER)
    assert client.get("/staff").status_code == 403
    client.cookies.clear()
    log_in(client, Role.ANALYST)
    staff = client.get("/staff")
    assert staff.status_code == 200 and "Alice Example" in staff.text
    assert_inert(staff.text)
    assert client.get("/users").status_code == 403 and client.get("/audit-log").status_code == 403
    client.cookies.clear()
    log_in(client, Role.ADMIN)
    for path in ("/users", "/audit-log", "/staff", "/accounts"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_inert(page.text)
    assert 'href="/users"' in client.get("/dashboard").text  # admins see the links in the menu


def test_accounts_sort_both_ways_and_export_every_row_as_safe_csv(client: TestClient, app: object) -> None:
    log_in(client, Role.ANALYST)
    page = client.get("/accounts?sort=name&dir=asc").text
    assert 'aria-sort="ascending"' in page and "/accounts?sort=name&amp;dir=desc" in page
    exported = client.get("/accounts?format=csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = _csv(exported.text)
    assert rows[0][:3] == ["level", "score", "name"] and len(rows) == 2
    assert rows[1][2] == f"Jane {XSS}"  # the text itself, quoted by the CSV writer, not run
    with app.state.engine.connect() as connection:  # type: ignore[attr-defined]
        actions = connection.execute(select(AuditLogRow.action)).scalars().all()
    assert "export.accounts" in actions


def test_a_formula_in_a_name_stays_text_in_every_export(client: TestClient, app: object) -> None:
    with session_scope(app.state.engine) as session:  # type: ignore[attr-defined]
        add_user(session, "eve-x", Role.VIEWER, None)
    log_in(client, Role.ADMIN)
    client.get("/audit-log")
    rows = _csv(client.get("/audit-log?format=csv&q=%3Dcmd").text)  # nothing matches: header only
    assert len(rows) == 1
    for path in ("/users?format=csv", "/audit-log?format=csv", "/staff?format=csv", "/accounts?format=csv"):
        for row in _csv(client.get(path).text)[1:]:
            for cell in row:
                assert not cell.lstrip(" \n").startswith(("=", "+", "-", "@", "\t", "\r")), (path, cell)


def test_users_page_pages_filters_and_adds_with_a_fixed_role(client: TestClient, app: object) -> None:
    with session_scope(app.state.engine) as session:  # type: ignore[attr-defined]
        for n in range(60):
            add_user(session, f"user{n:02d}", Role.VIEWER, None)
    token = log_in(client, Role.ADMIN)
    first = client.get("/users?sort=name&dir=asc").text
    assert "page 1 of 2" in first and "user00" in first and "user59" not in first
    second = client.get("/users?sort=name&dir=asc&page=1").text
    assert "user59" in second and "user00" not in second
    admins = client.get("/users?role=admin").text
    assert "1 users" in admins
    refused = client.post("/users", data={"name": "mallory", "role": "superuser", "csrf_token": token})
    assert refused.status_code == 422 and "Choose a role" in refused.text
    assert client.post("/users", data={"name": "mallory", "role": "analyst"}).status_code in (400, 403)  # no CSRF
    added = client.post("/users", data={"name": "mallory", "role": "analyst", "password": "long enough pw",
                                        "csrf_token": token})
    assert added.status_code == 303
    assert "mallory" in client.get("/users?q=mall").text
    log = client.get("/audit-log?action=user.add").text
    assert "mallory" in log and "login.failed" not in log


def test_watchlist_entries_are_added_edited_imported_and_removed_with_provenance(client: TestClient) -> None:
    token = log_in(client, Role.ANALYST)
    form = {"kind": "organisation", "name": f"Global Insight {XSS}", "front": "front", "source": "CERT-X 2025-14",
            "status": "press-report", "date": "2025-05-01", "urls": "https://cert.example/a", "csrf_token": token}
    saved = client.post("/watchlist", data=form)
    assert saved.status_code == 303, saved.text
    page = client.get("/watchlist").text
    assert_inert(page)
    assert "CERT-X 2025-14 · press-report · 2025-05-01" in page
    entry_id = saved.headers["location"].split("saved=")[1]
    edit = client.get(f"/watchlist?edit={entry_id}").text
    assert f'name="id" value="{entry_id}"' in edit and "Save the changes" in edit
    institution = {**form, "id": entry_id, "front": "institution", "name": "Real University"}
    assert client.post("/watchlist", data=institution).status_code == 303
    page = client.get("/watchlist").text
    workspace = page[page.index("This workspace"):page.index("Bundled public reporting")]
    assert "standing-institution" in workspace and "standing-front" not in workspace  # not shown as a front
    assert "Real University" in workspace and "Global Insight" not in workspace  # replaced, not duplicated
    bad = client.post("/watchlist", data={"kind": "account", "name": "x", "csrf_token": token})
    assert bad.status_code == 422 and "needs at least one identifier" in bad.text
    bad_line = client.post("/watchlist", data={"kind": "account", "identifiers": "nonsense", "csrf_token": token})
    assert bad_line.status_code == 422 and "kind: value" in bad_line.text
    yaml_list = ("entries:\n- id: imported-front\n  kind: organisation\n  name: Imported Front Ltd\n"
                 "  provenance:\n  - source: import test\n    status: research\n")
    imported = client.post("/watchlist/import", data={"format": "yaml", "source": "a file", "csrf_token": token},
                           files={"file": ("list.yaml", yaml_list.encode(), "application/yaml")})
    assert imported.status_code == 303, imported.text
    assert "Imported Front Ltd" in client.get("/watchlist").text
    removed = client.post("/watchlist/delete", data={"id": "imported-front", "csrf_token": token})
    assert removed.status_code == 303 and "Imported Front Ltd" not in client.get("/watchlist").text


def test_bundled_real_institutions_are_not_shown_as_fronts(client: TestClient) -> None:
    from falsefriends.watchlist.bundled import bundled_watchlist

    real = [e for e in bundled_watchlist().entries if e.kind.value == "organisation" and not e.front]
    assert real, "the bundled list holds real institutions personas claimed"
    log_in(client, Role.ANALYST)
    page = client.get(f"/watchlist?q={real[0].id}").text
    bundled = page[page.index("Bundled public reporting"):]
    start = bundled.rindex("<tr", 0, bundled.index(real[0].id))
    row = bundled[start:bundled.index("</tr>", start)]
    assert "standing-institution" in row and "standing-front" not in row


def test_campaigns_list_sorts_and_exports(client: TestClient) -> None:
    log_in(client, Role.ANALYST)
    page = client.get("/campaigns?sort=score&dir=asc").text
    assert_inert(page)
    assert 'aria-sort="ascending"' in page and "/campaigns/c1" in page
    rows = _csv(client.get("/campaigns?format=csv").text)
    assert rows[0][0] == "id" and [r[0] for r in rows[1:]] == ["c1"]
    assert client.get("/campaigns?level=low").text.count("/campaigns/c1") == 0
