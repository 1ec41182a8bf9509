"""Reading member data exports: every variant real archives show, and every row accounted for."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from falsefriends.ingest import linkedin_export
from falsefriends.ingest.archive import ExportError
from falsefriends.ingest.linkedin_export import ExportData, read_export
from falsefriends.model import Channel, Direction
from ingest.export_factory import ANNA, RECRUITER, ExportSpec, approach_spec


def _balanced(data: ExportData) -> None:
    report = data.report
    assert report.rows_read == report.rows_accepted + report.rows_quarantined
    assert report.rows_quarantined == len(report.quarantine)


def test_a_typical_export_gives_owner_connections_invitations_and_messages(tmp_path: Path) -> None:
    data = read_export(approach_spec().build_zip(tmp_path / "anna.zip"))
    assert data.owner.key == ANNA
    assert data.owner.name == "Anna Lindqvist"
    assert (data.owner.employer, data.owner.position) == ("Arcturus Space", "Propulsion engineer")
    assert data.owner.positions[0].started == "2024-01"
    assert {c.contact.key for c in data.connections} == {RECRUITER, "https://www.linkedin.com/in/jmuller"}
    recruiter = next(c for c in data.connections if c.contact.key == RECRUITER)
    assert recruiter.connected_on == date(2026, 2, 8)
    assert recruiter.contact.employer == "Talent Bridge Partners"
    assert recruiter.owner == ANNA

    (invitation,) = data.invitations
    assert invitation.channel is Channel.INVITATION
    assert invitation.direction is Direction.INCOMING
    assert (invitation.sender, invitation.recipients) == (RECRUITER, (ANNA,))
    assert invitation.sent_at == datetime(2026, 1, 29, 14, 37, tzinfo=UTC)
    assert "well-paid consulting role" in invitation.body

    incoming, outgoing = data.messages
    assert incoming.direction is Direction.INCOMING and outgoing.direction is Direction.OUTGOING
    assert incoming.conversation == "2-abc==" and incoming.folder == "INBOX"
    assert incoming.body == "Thanks for connecting!\n\nCan we continue on WhatsApp (https://wa.me/4479)?"
    assert "<" not in incoming.body
    assert outgoing.body == 'Sure, "why not", tell me more'
    assert {a.key for a in data.contacts} == {RECRUITER, "https://www.linkedin.com/in/jmuller"}
    assert data.report.files == 5
    assert data.report.rows_read == 7 and data.report.rows_quarantined == 0
    _balanced(data)


@pytest.mark.parametrize(
    "variant",
    [
        {"bom": True},
        {"folder": None},
        {"lower_case_names": True},
        {"folder": "deep/er/Basic_LinkedInDataExport"},
        {"new_message_columns": False},
    ],
    ids=["bom", "root", "lower-case-names", "nested", "older-message-columns"],
)
def test_layout_variants_read_the_same(tmp_path: Path, variant: dict[str, object]) -> None:
    reference = read_export(approach_spec().build_zip(tmp_path / "ref.zip"))
    data = read_export(approach_spec(**variant).build_zip(tmp_path / "variant.zip"))
    assert data.owner == reference.owner
    assert data.connections == reference.connections
    assert data.invitations == reference.invitations
    assert data.messages == reference.messages
    assert data.report.rows_accepted == reference.report.rows_accepted


def test_a_folder_reads_like_the_zip(tmp_path: Path) -> None:
    zipped = read_export(approach_spec().build_zip(tmp_path / "a.zip"))
    folder = read_export(approach_spec().build_folder(tmp_path / "unzipped"))
    assert folder.messages == zipped.messages
    assert folder.connections == zipped.connections


def test_message_ids_are_stable_and_shared_by_both_sides(tmp_path: Path) -> None:
    first = read_export(approach_spec().build_zip(tmp_path / "a.zip"))
    again = read_export(approach_spec(bom=True).build_zip(tmp_path / "b.zip"))
    assert [m.id for m in first.messages] == [m.id for m in again.messages]
    assert len({m.id for m in first.messages}) == 2
    # The recruiter's own export holds the same invitation seen from the other side.
    mirror = ExportSpec(
        profile={"First Name": "Sophie", "Last Name": "Martel"},
        positions=[],
        invitations=[{**approach_spec().invitations[0], "Direction": "OUTGOING"}],
    )
    theirs = read_export(mirror.build_zip(tmp_path / "sophie.zip"))
    assert theirs.owner.key == RECRUITER
    assert theirs.invitations[0].direction is Direction.OUTGOING
    assert theirs.invitations[0].id == first.invitations[0].id


def test_old_format_without_urls_resolves_by_name_with_confidence(tmp_path: Path) -> None:
    data = read_export(approach_spec(with_urls=False).build_zip(tmp_path / "old.zip"))
    assert data.owner.url is None
    sophie = next(a for a in data.contacts if a.name == "Sophie Martel")
    assert sophie.key is not None and sophie.key.startswith("name+employer+position:")
    assert data.identities[sophie.key].confidence < 1
    # The invitation's bare "From" name joins the connection seen with employer and position.
    assert data.invitations[0].sender == sophie.key
    assert data.invitations[0].direction is Direction.INCOMING
    # The owner's own name in "To"/"FROM" is the owner, not a contact.
    assert all(a.name != "Anna Lindqvist" for a in data.contacts)
    assert [m.direction for m in data.messages] == [Direction.INCOMING, Direction.OUTGOING]
    _balanced(data)


def test_url_variants_are_one_account(tmp_path: Path) -> None:
    spec = approach_spec()
    spec.messages = [{**spec.messages[0], "SENDER PROFILE URL": "https://fr.linkedin.com/in/Sophie-M-Talent/?trk=x"}]
    data = read_export(spec.build_zip(tmp_path / "a.zip"))
    assert data.messages[0].sender == RECRUITER
    assert sum(1 for a in data.contacts if a.name == "Sophie Martel") == 1


def test_bad_rows_are_quarantined_with_file_line_and_reason(tmp_path: Path) -> None:
    spec = approach_spec()
    spec.connections = [*spec.connections, {"First Name": "Bad", "Last Name": "Date", "Connected On": "31 Foo 2026"}]
    spec.invitations = [*spec.invitations, {"From": "X", "To": "Anna Lindqvist", "Direction": "SIDEWAYS"}]
    spec.messages = [*spec.messages, {"CONVERSATION ID": "c2", "DATE": "yesterday", "FROM": "Y", "CONTENT": "hi"}]
    data = read_export(spec.build_zip(tmp_path / "bad.zip"))
    reasons = {(q.file.rsplit("/", 1)[-1], q.line): q.reason for q in data.report.quarantine}
    # Lines count from the top of the file: the preamble (3 lines) and the multi-line invitation note included.
    assert reasons.keys() == {("Connections.csv", 7), ("Invitations.csv", 4), ("messages.csv", 4)}
    assert "31 Foo 2026" in reasons[("Connections.csv", 7)]
    assert "SIDEWAYS" in reasons[("Invitations.csv", 4)]
    assert "yesterday" in reasons[("messages.csv", 4)]
    assert all(q.file.startswith("bad.zip:") for q in data.report.quarantine)
    assert data.report.rows_quarantined == 3 and data.report.rows_accepted == 7
    _balanced(data)


def test_system_and_sponsored_messages_are_kept_but_marked(tmp_path: Path) -> None:
    spec = approach_spec()
    spec.messages = [
        {"CONVERSATION ID": "s1", "CONVERSATION TITLE": "Sponsored Conversation", "FROM": "Acme Corp",
         "SENDER PROFILE URL": "https://www.linkedin.com/company/acme", "DATE": "2026-01-01 10:00:00 UTC",
         "CONTENT": "Try our product", "FOLDER": "INBOX"},
        {"CONVERSATION ID": "s2", "FROM": "LinkedIn", "DATE": "2026-01-02 10:00:00 UTC",
         "CONTENT": "Your weekly digest", "FOLDER": "INBOX"},
        {"CONVERSATION ID": "s3", "FROM": "LinkedIn", "SENDER PROFILE URL": "https://www.linkedin.com/in/imposter",
         "DATE": "2026-01-02 10:00:00 UTC", "CONTENT": "A person calling themself LinkedIn", "FOLDER": "INBOX"},
    ]
    data = read_export(spec.build_zip(tmp_path / "a.zip"))
    assert [m.channel for m in data.messages] == [Channel.INMAIL, Channel.OTHER, Channel.MESSAGE]


def test_several_recipients_and_group_conversations(tmp_path: Path) -> None:
    spec = approach_spec()
    spec.messages = [
        {"CONVERSATION ID": "g1", "FROM": "Sophie Martel", "SENDER PROFILE URL": RECRUITER,
         "TO": "Anna Lindqvist, Bo Chen",
         "RECIPIENT PROFILE URLS": f"{ANNA},https://www.linkedin.com/in/bo-chen",
         "DATE": "2026-01-01 10:00:00 UTC", "CONTENT": "Hello both", "FOLDER": "INBOX"},
    ]
    data = read_export(spec.build_zip(tmp_path / "a.zip"))
    assert data.messages[0].recipients == (ANNA, "https://www.linkedin.com/in/bo-chen")
    bo = next(a for a in data.contacts if a.key == "https://www.linkedin.com/in/bo-chen")
    assert bo.name == "Bo Chen"


def test_partial_empty_and_header_only_exports(tmp_path: Path) -> None:
    partial = read_export(approach_spec(omit=("messages.csv", "Invitations.csv")).build_zip(tmp_path / "p.zip"))
    assert partial.messages == () and partial.invitations == () and len(partial.connections) == 2
    assert partial.report.files == 3
    # An archive without any LinkedIn export file is rejected with the reason, never audited as empty.
    empty = ExportSpec(omit=("Profile.csv", "Positions.csv", "Connections.csv", "Invitations.csv", "messages.csv"),
                       extra_files={"Skills.csv": b""})
    with pytest.raises(ExportError, match="no LinkedIn export file found"):
        read_export(empty.build_zip(tmp_path / "e.zip"))
    header_only = ExportSpec(profile=None, positions=[], omit=("messages.csv", "Invitations.csv"), connections=[])
    data = read_export(header_only.build_zip(tmp_path / "h.zip"))
    assert data.report.rows_read == 0 and data.contacts == ()
    assert data.owner.key is not None and data.owner.key.startswith("export:")


def test_unknown_files_and_columns_are_listed(tmp_path: Path) -> None:
    spec = approach_spec(extra_files={"Education.csv": b"School Name\nMIT\n", "Ad_Targeting.csv": b"x"})
    data = read_export(spec.build_zip(tmp_path / "a.zip"))
    notes = " ".join(data.report.errors)
    assert "Education.csv" in notes and "Ad_Targeting.csv" in notes
    spec.extra_files = {}
    # An unknown column in the header is reported, its values ignored.
    files = spec.files()
    name = next(n for n in files if n.endswith("Connections.csv"))
    files[name] = files[name].replace(b"Connected On\r\n", b"Connected On,Shoe Size\r\n", 1)
    folder = tmp_path / "f"
    for member, payload in files.items():
        (folder / member).parent.mkdir(parents=True, exist_ok=True)
        (folder / member).write_bytes(payload)
    data = read_export(folder)
    assert any("unknown columns ignored: 'Shoe Size'" in note for note in data.report.errors)
    assert data.report.rows_quarantined == 0


def test_hostile_html_content_becomes_plain_text(tmp_path: Path) -> None:
    spec = approach_spec()
    spec.messages = [
        {**spec.messages[0], "CONTENT": '<img src=x onerror=alert(1)><script>steal()</script>Hi &lt;b&gt;there'},
    ]
    data = read_export(spec.build_zip(tmp_path / "a.zip"))
    body = data.messages[0].body
    assert "steal" not in body and "<img" not in body and "<b>" not in body
    assert body.startswith("Hi ")


def test_an_unexpected_failure_rejects_that_archive_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = approach_spec().build_zip(tmp_path / "a.zip")

    def explode(*_args: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(linkedin_export, "_build", explode)
    with pytest.raises(ExportError, match=r"a\.zip: could not be read \(RecursionError"):
        read_export(path)
