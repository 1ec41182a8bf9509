"""Property: whatever names, notes and dates an export holds, they come back out of read_export unchanged."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.ingest.linkedin_export import read_export
from falsefriends.model import Direction
from ingest.export_factory import ANNA, ExportSpec

# Any script, punctuation, quotes, commas and line breaks; no markup (that is converted, tested elsewhere).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<&\u2028\u2029\x85"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s != "")
notes = st.lists(texts, min_size=1, max_size=3).map("\n".join)
moments = st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2095, 1, 1)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
)


def _sent_at(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    half = "PM" if moment.hour >= 12 else "AM"
    return f"{moment.month}/{moment.day}/{moment.year % 100:02d}, {hour}:{moment.minute:02d} {half}"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(texts, texts, notes, moments, st.booleans()), min_size=1, max_size=5),
    st.booleans(),
    st.booleans(),
)
def test_invitations_round_trip(rows: list[tuple[str, str, str, datetime, bool]], bom: bool, urls: bool) -> None:
    spec = ExportSpec(with_urls=urls, bom=bom, folder=None if bom else "Export")
    spec.invitations = [
        {"From": f"{first} {last}", "To": "Anna Lindqvist", "Sent At": _sent_at(moment), "Message": note,
         "Direction": "INCOMING", "inviterProfileUrl": f"https://www.linkedin.com/in/p{index}",
         "inviteeProfileUrl": ANNA}
        for index, (first, last, note, moment, _) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as folder:
        data = read_export(spec.build_zip(Path(folder) / "x.zip"))
    assert data.report.rows_quarantined == 0
    assert [(m.sender_name, m.body, m.sent_at, m.direction) for m in data.invitations] == [
        (f"{first} {last}", note, moment, Direction.INCOMING) for first, last, note, moment, _ in rows
    ]
    if urls:
        assert [m.sender for m in data.invitations] == [f"https://www.linkedin.com/in/p{i}" for i in range(len(rows))]
