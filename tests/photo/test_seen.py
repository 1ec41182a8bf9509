"""Photos checked with --db are kept in the workspace: a later check says where the photo was seen before, and the
campaign correlation links accounts that carry one photo."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageOps
from typer.testing import CliRunner

from falsefriends.cli import app
from falsefriends.correlate.clusters import account_traces
from falsefriends.model import Account
from falsefriends.photo.evidence import analyse_photo
from falsefriends.photo.seen import load_sightings, record_sighting, with_seen_photos
from falsefriends.store.db import make_engine, upgrade
from tests.photo.conftest import to_bytes


def _workspace(tmp_path: Path) -> Path:
    db = tmp_path / "ws.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    engine.dispose()
    return db


def _check(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["check", "--no-semantic", "--json", *args])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def _profile(tmp_path: Path, name: str, url: str, photo: Path) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"name": name, "url": url, "photo": str(photo)}), encoding="utf-8")
    return path


def test_a_photo_checked_before_is_named_with_its_account(astronaut: Image.Image, tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    first = tmp_path / "first.jpg"
    first.write_bytes(to_bytes(astronaut, "JPEG", quality=90))
    again = tmp_path / "again.jpg"  # the same picture, mirrored and smaller, on another account
    again.write_bytes(to_bytes(ImageOps.mirror(astronaut).resize((300, 300)), "JPEG", quality=70))
    alice = _profile(tmp_path, "Jana Luo", "https://www.linkedin.com/in/jana-luo-1", first)
    before = _check("--profile", str(alice), "--db", str(db))
    assert "photo-reused" not in json.dumps(before)
    # Checking the same account again is not "another account".
    assert "photo-reused" not in json.dumps(_check("--profile", str(alice), "--db", str(db)))
    bob = _profile(tmp_path, "Mia Chen", "https://de.linkedin.com/in/mia-chen-2/", again)
    later = _check("--profile", str(bob), "--db", str(db))
    reused = [e for e in later["evidence"] if e["rule"] == "photo-reused"]  # type: ignore[attr-defined]
    assert len(reused) == 1, later
    assert "also used by 1 other account" in reused[0]["reason"]
    assert "https://www.linkedin.com/in/jana-luo-1 (photo checked on " in reused[0]["reason"]
    assert "mirror image" in reused[0]["reason"]
    engine = make_engine(f"sqlite:///{db}")
    try:
        seen = load_sightings(engine)
    finally:
        engine.dispose()
    assert sorted(s.account for s in seen) == ["https://www.linkedin.com/in/jana-luo-1",
                                               "https://www.linkedin.com/in/mia-chen-2"]
    assert all(s.source == "check" and len(s.fingerprint) == 128 for s in seen)


def test_a_photo_alone_is_kept_under_no_account_and_named_by_date(astronaut: Image.Image, tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    face = tmp_path / "face.png"
    face.write_bytes(to_bytes(astronaut))
    assert "photo-reused" not in json.dumps(_check("--photo", str(face), "--db", str(db)))
    later = _check("--photo", str(face), "--db", str(db))
    reused = [e for e in later["evidence"] if e["rule"] == "photo-reused"]  # type: ignore[attr-defined]
    assert len(reused) == 1 and "a profile checked on " in reused[0]["reason"]


def test_without_db_nothing_is_kept_and_a_missing_workspace_is_refused(astronaut: Image.Image,
                                                                      tmp_path: Path) -> None:
    face = tmp_path / "face.png"
    face.write_bytes(to_bytes(astronaut))
    result = CliRunner().invoke(app, ["check", "--no-semantic", "--photo", str(face), "--db",
                                      str(tmp_path / "nope.db")])
    assert result.exit_code == 2 and "no workspace at" in result.output
    assert not (tmp_path / "nope.db").exists()


def test_recording_is_idempotent_and_refuses_what_is_not_a_hash(astronaut: Image.Image, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{_workspace(tmp_path)}")
    key = analyse_photo(to_bytes(astronaut), align=False).key
    assert key is not None
    try:
        assert record_sighting(engine, key, "https://www.linkedin.com/in/a")
        assert not record_sighting(engine, key.upper(), "https://www.linkedin.com/in/a")
        for bad in ("../../etc/passwd", "<script>"):
            try:
                record_sighting(engine, bad, "x")
            except ValueError as exc:
                assert "fingerprint" in str(exc)
            else:
                raise AssertionError("a non-hash was recorded")
        assert len(load_sightings(engine)) == 1
    finally:
        engine.dispose()


def test_accounts_sharing_a_seen_photo_share_a_photo_trace(astronaut: Image.Image, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{_workspace(tmp_path)}")
    one = analyse_photo(to_bytes(astronaut), align=False).key
    mirrored = analyse_photo(to_bytes(ImageOps.mirror(astronaut).resize((256, 256)), "JPEG", quality=60),
                             align=False).key
    assert one and mirrored and one != mirrored
    try:
        record_sighting(engine, one, "https://www.linkedin.com/in/persona-a")
        record_sighting(engine, mirrored, "https://www.linkedin.com/in/persona-b")
        sightings = load_sightings(engine)
    finally:
        engine.dispose()
    accounts = [Account(key="https://www.linkedin.com/in/persona-a"), Account(url="https://linkedin.com/in/Persona-B/"),
                Account(key="https://www.linkedin.com/in/colleague")]
    given = with_seen_photos(accounts, sightings)
    assert given[2] is accounts[2]
    traces = account_traces(given)
    photo_a = {t for t in traces["https://www.linkedin.com/in/persona-a"] if t.startswith("photo:")}
    photo_b = {t for t in traces["https://linkedin.com/in/Persona-B/"] if t.startswith("photo:")}
    assert photo_a and photo_a == photo_b
    assert not {t for t in traces["https://www.linkedin.com/in/colleague"] if t.startswith("photo:")}
