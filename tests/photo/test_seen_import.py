"""`photos add CSV --db`: each row's photo recorded under its account; bad rows reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from falsefriends.audit.workspace_audit import Workspace
from falsefriends.photo.hashes import fingerprint
from falsefriends.photo.seen import load_sightings
from falsefriends.photo.seen_import import PhotoListError, record_photo_list
from falsefriends.photo.synthetic import portrait


def test_rows_are_recorded_and_bad_ones_reported_with_their_line(tmp_path: Path) -> None:
    portrait(1).save(tmp_path / "a.png")
    (tmp_path / "bomb.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    (tmp_path / "text.png").write_text("not a picture", encoding="utf-8")
    second = fingerprint(portrait(2)).hex()
    (tmp_path / "photos.csv").write_text(
        "profile_url,file\n"
        "https://www.linkedin.com/in/anna-a,a.png\n"
        f"https://www.linkedin.com/in/bert-b,{second}\n"
        ",a.png\n"
        "https://www.linkedin.com/in/carl-c,\n"
        "https://www.linkedin.com/in/dora-d,missing.png\n"
        "https://www.linkedin.com/in/eve-e,text.png\n"
        "https://www.linkedin.com/in/finn-f,bomb.png\n"
        "https://www.linkedin.com/in/gus-g,https://example.com/x.jpg\n"
        "https://www.linkedin.com/in/hal-h,\x1b[2Jx.png\n"
        "https://www.linkedin.com/in/anna-a,a.png\n", encoding="utf-8")
    engine = Workspace(f"sqlite:///{tmp_path / 'ws.db'}").engine
    result = record_photo_list(engine, tmp_path / "photos.csv")
    assert (result.recorded, result.already) == (2, 1)
    lines = [p.split(": ", 1)[0].rsplit(":", 1)[1] for p in result.problems]
    assert lines == ["4", "5", "6", "7", "8", "9", "10"]
    assert all(p.startswith(str(tmp_path / "photos.csv")) for p in result.problems)
    assert not any("\x1b" in p for p in result.problems)  # control characters escaped
    sightings = load_sightings(engine)
    assert {s.account for s in sightings} == {"https://www.linkedin.com/in/anna-a", "https://www.linkedin.com/in/bert-b"}
    assert {s.source for s in sightings} == {"import"}
    assert second in {s.fingerprint for s in sightings}
    engine.dispose()


@pytest.mark.parametrize(("content", "message"), [
    (b"url,photo\nx,y\n", "needs a header"),
    (b"profile_url,file\n\xff\xfe,x\n", "not UTF-8"),
])
def test_an_unusable_list_is_refused_whole(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "photos.csv").write_bytes(content)
    engine = Workspace(f"sqlite:///{tmp_path / 'ws.db'}").engine
    with pytest.raises(PhotoListError, match=message):
        record_photo_list(engine, tmp_path / "photos.csv")
    assert load_sightings(engine) == []
    engine.dispose()
