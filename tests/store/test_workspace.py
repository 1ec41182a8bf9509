"""Storing exports: idempotent re-ingest, one account per identity, per-file transactions; SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest.export_factory import ANNA, RECRUITER, ExportSpec, approach_spec
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from falsefriends.ingest.linkedin_export import ExportData, read_export
from falsefriends.model import Sector, StaffMember
from falsefriends.store import workspace
from falsefriends.store.db import make_engine, session_scope, upgrade
from falsefriends.store.tables import (
    AccountAliasRow,
    AccountRow,
    ConnectionRow,
    IngestedFileRow,
    MessageCopyRow,
    MessageRecipientRow,
    MessageRow,
    QuarantineRow,
    StaffRow,
)
from falsefriends.store.workspace import ingest_export, ingest_exports, record_rejected

TABLES = (AccountRow, ConnectionRow, MessageRow, MessageRecipientRow, MessageCopyRow, IngestedFileRow, QuarantineRow,
          StaffRow)
ANNA_STAFF = StaffMember(staff_id="s1", name="Anna Lindqvist", department="Propulsion", sector=Sector.STATE,
                         profile_url=ANNA, export_file="anna.zip")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    upgrade(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def counts(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


def _bad_rows_spec() -> ExportSpec:
    spec = approach_spec()
    spec.connections = [*spec.connections, {"First Name": "Bad", "Last Name": "Date", "Connected On": "31 Foo 2026"}]
    return spec


def test_an_export_is_stored_with_its_links(engine: Engine, tmp_path: Path) -> None:
    export = read_export(_bad_rows_spec().build_zip(tmp_path / "anna.zip"))
    with session_scope(engine) as session:
        stored = ingest_export(session, export, ANNA_STAFF)
    assert (stored.new_accounts, stored.new_connections, stored.new_messages, stored.new_copies) == (3, 2, 3, 3)
    assert counts(engine) == {"accounts": 3, "connections": 2, "messages": 3, "message_recipients": 3,
                              "message_copies": 3, "ingested_files": 1, "quarantine": 1, "staff": 1}
    with session_scope(engine) as session:
        anna = session.scalars(select(AccountRow).where(AccountRow.key == ANNA)).one()
        sophie = session.scalars(select(AccountRow).where(AccountRow.key == RECRUITER)).one()
        staff = session.scalars(select(StaffRow)).one()
        assert staff.account_id == anna.id and anna.is_staff and not sophie.is_staff
        assert (sophie.employer, sophie.key_method, sophie.confidence) == ("Talent Bridge Partners", "url", 1.0)
        invitation = session.scalars(select(MessageRow).where(MessageRow.channel == "invitation")).one()
        assert invitation.sender_id == sophie.id and invitation.recipient_keys == [ANNA]
        copy = session.scalars(select(MessageCopyRow).where(MessageCopyRow.message_id == invitation.id)).one()
        assert (copy.owner_id, copy.staff_id, copy.direction) == (anna.id, staff.id, "incoming")
        file_row = session.scalars(select(IngestedFileRow)).one()
        assert (file_row.rows_read, file_row.rows_accepted, file_row.rows_quarantined) == (8, 7, 1)
        quarantined = session.scalars(select(QuarantineRow)).one()
        assert quarantined.member.endswith("Connections.csv") and quarantined.line == 7
        assert "31 Foo 2026" in quarantined.reason
        body = session.scalar(select(MessageRow.body).where(MessageRow.sender_id == sophie.id,
                                                             MessageRow.channel == "message"))
        assert body is not None and "WhatsApp (https://wa.me/4479)" in body


def test_re_ingesting_the_same_export_adds_nothing(engine: Engine, tmp_path: Path) -> None:
    path = _bad_rows_spec().build_zip(tmp_path / "anna.zip")
    with session_scope(engine) as session:
        ingest_export(session, read_export(path), ANNA_STAFF)
    before = counts(engine)
    for _ in range(2):
        with session_scope(engine) as session:
            stored = ingest_export(session, read_export(path), ANNA_STAFF)
        assert (stored.new_accounts, stored.new_connections, stored.new_messages, stored.new_copies) == (0, 0, 0, 0)
    assert counts(engine) == before
    # The same content under another name or as a folder is still the same messages.
    copy = tmp_path / "renamed.zip"
    copy.write_bytes(path.read_bytes())
    folder = _bad_rows_spec().build_folder(tmp_path / "anna-folder")
    with session_scope(engine) as session:
        ingest_export(session, read_export(copy), ANNA_STAFF)
        ingest_export(session, read_export(folder), ANNA_STAFF)
    after = counts(engine)
    assert after["ingested_files"] == 2  # the ZIP (once, by content) and the folder
    assert {k: v for k, v in after.items() if k not in ("ingested_files", "quarantine")} == {
        k: v for k, v in before.items() if k not in ("ingested_files", "quarantine")
    }


def test_two_staff_exports_share_accounts_and_messages(engine: Engine, tmp_path: Path) -> None:
    anna = read_export(approach_spec().build_zip(tmp_path / "anna.zip"))
    mirror = ExportSpec(
        profile={"First Name": "Sophie", "Last Name": "Martel"},
        positions=[],
        invitations=[{**approach_spec().invitations[0], "Direction": "OUTGOING"}],
        messages=[
            {**m, "FOLDER": "SENT" if m["FROM"] == "Sophie Martel" else "INBOX"} for m in approach_spec().messages
        ],
    )
    sophie = read_export(mirror.build_zip(tmp_path / "sophie.zip"))
    ingest_exports(engine, [(anna, ANNA_STAFF), (sophie, None)])
    c = counts(engine)
    assert c["messages"] == 3 and c["message_copies"] == 6 and c["accounts"] == 3
    with session_scope(engine) as session:
        directions = sorted(session.scalars(select(MessageCopyRow.direction)))
    assert directions == ["incoming"] * 3 + ["outgoing"] * 3


def test_old_exports_resolve_by_name_with_recorded_confidence(engine: Engine, tmp_path: Path) -> None:
    old = read_export(approach_spec(with_urls=False).build_zip(tmp_path / "old.zip"))
    again = read_export(approach_spec(with_urls=False, bom=True).build_zip(tmp_path / "old2.zip"))
    ingest_exports(engine, [(old, ANNA_STAFF), (again, ANNA_STAFF)])
    with session_scope(engine) as session:
        rows = session.scalars(select(AccountRow).order_by(AccountRow.name)).all()
        by_name = {row.name: row for row in rows}
        assert len(rows) == 3  # Anna (staff, keyed by the roster URL), Jörg, Sophie: once each
        assert by_name["Anna Lindqvist"].key == ANNA
        sophie = by_name["Sophie Martel"]
        assert sophie.key_method == "name+employer+position" and 0 < sophie.confidence < 1
        assert session.scalar(select(func.count()).select_from(MessageRow)) == 3


def test_an_interrupted_ingest_leaves_earlier_files_and_nothing_of_the_broken_one(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = read_export(approach_spec().build_zip(tmp_path / "anna.zip"))
    second = read_export(ExportSpec(
        profile={"First Name": "Bo", "Last Name": "Chen"}, positions=[],
        connections=[{"First Name": "Eve", "Last Name": "X", "URL": "https://www.linkedin.com/in/eve"}],
        messages=[{"CONVERSATION ID": "z", "FROM": "Eve X", "SENDER PROFILE URL": "https://www.linkedin.com/in/eve",
                   "DATE": "2026-01-01 00:00:00 UTC", "CONTENT": "hello", "FOLDER": "INBOX"}],
    ).build_zip(tmp_path / "bo.zip"))
    real = workspace._upsert_messages

    def crash(*args: object, **kwargs: object) -> tuple[int, int]:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # the operator pressed Ctrl-C half-way through this file

    ingest_exports(engine, [(first, ANNA_STAFF)])
    before = counts(engine)
    monkeypatch.setattr(workspace, "_upsert_messages", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest_exports(engine, [(second, None)])
    assert counts(engine) == before
    monkeypatch.undo()
    ingest_exports(engine, [(second, None)])
    assert counts(engine)["ingested_files"] == 2


def test_rejected_archives_are_listed_with_their_reason(engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"junk")
    with session_scope(engine) as session:
        record_rejected(session, bad, "not a ZIP archive")
        record_rejected(session, bad, "not a ZIP archive")
    with session_scope(engine) as session:
        row = session.scalars(select(IngestedFileRow)).one()
        assert (row.error, row.path, row.rows_read) == ("not a ZIP archive", str(bad), 0)


def test_hostile_text_is_stored_verbatim_and_safely(engine: Engine, tmp_path: Path) -> None:
    spec = approach_spec()
    hostile = "Robert'); DROP TABLE messages;-- \u202e\u0000 Zoë 李 \U0001f600"
    spec.messages = [{**spec.messages[0], "CONTENT": hostile}, {"DATE": "\u0000never", "CONTENT": "x\u0000y"}]
    export: ExportData = read_export(spec.build_zip(tmp_path / "h.zip"))
    with session_scope(engine) as session:
        ingest_export(session, export)
    with Session(engine) as session:
        quarantined = session.scalars(select(QuarantineRow)).one()
        assert "never" in quarantined.reason and "CONTENT=xy" in quarantined.raw  # NUL removed on read
        stored = session.scalar(select(MessageRow.body).where(MessageRow.channel == "message"))
        assert stored == hostile.replace("\u0000", "").strip()


def test_old_exports_join_the_account_known_by_url(engine: Engine, tmp_path: Path) -> None:
    new = read_export(approach_spec().build_zip(tmp_path / "anna.zip"))
    bo_staff = StaffMember(staff_id="s2", name="Anna Lindqvist", profile_url="https://www.linkedin.com/in/bo")
    old_path = approach_spec(with_urls=False).build_zip(tmp_path / "old.zip")
    ingest_exports(engine, [(new, ANNA_STAFF), (read_export(old_path), bo_staff)])
    with session_scope(engine) as session:
        sophies = session.scalars(select(AccountRow).where(AccountRow.folded_name == "sophie martel")).all()
        assert [s.key for s in sophies] == [RECRUITER]
        (alias,) = session.scalars(select(AccountAliasRow).where(AccountAliasRow.account_id == sophies[0].id)).all()
        assert alias.method == "name+employer+position>url" and alias.confidence == 0.8
        owners = session.scalars(select(ConnectionRow.owner_id).where(ConnectionRow.contact_id == sophies[0].id)).all()
        assert len(owners) == 2  # both staff are connected to the one account
        copies = session.scalar(
            select(func.count())
            .select_from(MessageCopyRow)
            .join(MessageRow, MessageRow.id == MessageCopyRow.message_id)
            .where(MessageRow.sender_id == sophies[0].id)
        )
        assert copies == 4  # invitation + first message, in both exports
    before = counts(engine)
    ingest_exports(engine, [(read_export(old_path), bo_staff)])  # the alias is used: no name account comes back
    assert counts(engine) == before


def test_linking_drops_what_would_become_duplicates(engine: Engine, tmp_path: Path) -> None:
    # The same member handed in an old export (names only) and a new one (URLs): one connection, one copy each.
    old = read_export(approach_spec(with_urls=False).build_zip(tmp_path / "old.zip"))
    new = read_export(approach_spec().build_zip(tmp_path / "new.zip"))
    ingest_exports(engine, [(old, ANNA_STAFF), (new, ANNA_STAFF)])
    c = counts(engine)
    assert (c["accounts"], c["connections"], c["messages"], c["message_copies"]) == (3, 2, 3, 3)
    assert c["message_recipients"] == 3
    with session_scope(engine) as session:
        methods = sorted(session.scalars(select(AccountAliasRow.method)))
    assert methods == ["name+employer+position>url", "name+employer+position>url"]


def test_each_ingest_links_the_names_it_has_just_seen(engine: Engine, tmp_path: Path) -> None:
    old = read_export(approach_spec(with_urls=False).build_zip(tmp_path / "old.zip"))
    new = read_export(approach_spec().build_zip(tmp_path / "new.zip"))
    for export in (old, new):  # the URL arrives after the name: the name account still joins it
        with session_scope(engine) as session:
            ingest_export(session, export, ANNA_STAFF)
    with session_scope(engine) as session:
        keys = sorted(session.scalars(select(AccountRow.key)))
        assert keys == sorted([ANNA, RECRUITER, "https://www.linkedin.com/in/jmuller"])
        assert session.scalar(select(func.count()).select_from(AccountAliasRow)) == 2
