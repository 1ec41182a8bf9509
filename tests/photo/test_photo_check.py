"""The photo check end to end: evidence, fusion (P3), the watchlist's photo hashes and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageOps
from typer.testing import CliRunner

from falsefriends.check import Checker
from falsefriends.cli import app
from falsefriends.model import Account
from falsefriends.photo.evidence import PhotoProvider, analyse_photo, index_of, photo_evidence, with_photo
from falsefriends.photo.hashes import fingerprint
from falsefriends.watchlist.entries import IdentifierKind
from falsefriends.watchlist.provider import WatchlistProvider
from tests.photo.conftest import ASTRONAUT_EYES, aligned, to_bytes
from tests.watchlist.factories import identifier, persona, watchlist


def test_reuse_names_the_other_accounts(astronaut: Image.Image, others: list[Image.Image]) -> None:
    shared = [("acct-1", fingerprint(astronaut)), ("acct-2", fingerprint(ImageOps.mirror(astronaut))),
              ("acct-3", fingerprint(astronaut.resize((128, 128))))]
    index = index_of([*shared, *((f"other-{i}", fingerprint(p)) for i, p in enumerate(others))])
    report = analyse_photo(to_bytes(astronaut, "JPEG", quality=70))
    found = photo_evidence(report, index=index, owner="me")
    reuse = [e for e in found if e.rule == "photo-reused"]
    assert len(reuse) == 1 and reuse[0].indicator == "P3" and reuse[0].weight == 2.5
    assert "also used by 3 other accounts" in reuse[0].reason and "'acct-2'" in reuse[0].reason
    assert "mirror image" in reuse[0].reason
    alone = photo_evidence(report, index=index_of([("me", fingerprint(astronaut))]), owner="me")
    assert not [e for e in alone if e.rule == "photo-reused"]


def test_a_blank_avatar_is_never_compared() -> None:
    report = analyse_photo(to_bytes(Image.new("RGB", (200, 200), (200, 200, 200))))
    assert report.plain and report.fingerprint is None
    found = photo_evidence(report, index=index_of([]))
    assert [e.rule for e in found] == ["photo-too-plain", "photo-eyes-measured"] and found[0].weight == 0


def test_reused_photo_alone_stays_below_high_and_with_a_persona_employer_flags(astronaut: Image.Image) -> None:
    index = index_of([(f"acct-{i}", fingerprint(astronaut.rotate(0))) for i in range(1, 4)])
    report = analyse_photo(to_bytes(astronaut))
    checker = Checker(providers=(PhotoProvider({report.key or "": report}, index=index),), semantic=False)
    alone = checker.profile(with_photo(Account(key="me", employer="Acme Robotics GmbH"), report))
    assert "P3" in alone.indicators and alone.level.value != "high"
    persona_like = with_photo(Account(key="me", headline="Headhunter at a consulting company",
                                      employer="a consulting company"), report)
    flagged = checker.profile(persona_like)
    assert "P3" in flagged.indicators and flagged.score > alone.score and flagged.level.value in ("medium", "high")


def test_a_listed_persona_photo_matches_mirrored_but_the_name_alone_does_not(astronaut: Image.Image) -> None:
    listed = persona("Jana Luo", "persona-jana", employer="Global Talent Partners",
                     identifiers=(identifier(IdentifierKind.PHOTO_HASH, fingerprint(astronaut).hex()),))
    checker = Checker(providers=(WatchlistProvider(watchlist(listed)),), semantic=False)
    name_only = checker.profile(Account(name="Jana Luo", employer="Siemens"))
    assert name_only.level.value == "low"
    mirrored = analyse_photo(to_bytes(ImageOps.mirror(astronaut), "JPEG", quality=60))
    with_photo_match = checker.profile(with_photo(Account(name="J. Luo"), mirrored))
    photo_hits = [e for e in with_photo_match.evidence if e.rule == "watchlist-photo-match"]
    assert photo_hits and "Jana Luo" in photo_hits[0].reason and with_photo_match.level.value == "high"


def test_check_photo_cli_shows_the_measured_positions(astronaut: Image.Image, tmp_path: Path) -> None:
    face = tmp_path / "face.jpg"
    aligned(astronaut, ASTRONAUT_EYES, 512).save(face, "JPEG", quality=92)
    result = CliRunner().invoke(app, ["check", "--photo", str(face), "--no-semantic", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    gan = [e for e in out["evidence"] if e["rule"] == "photo-gan-aligned"]
    assert gan and "eyes measured at (0.3" in gan[0]["reason"] and "P3" in out["indicators"]
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"name": "Jane Doe", "headline": "Talent partner", "photo": "face.jpg"}))
    from_profile = CliRunner().invoke(app, ["check", "--profile", str(profile), "--no-semantic", "--json"])
    assert from_profile.exit_code == 0 and "photo-gan-aligned" in from_profile.stdout


def test_check_photo_cli_refuses_a_bad_image_in_plain_words(tmp_path: Path) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 50)
    result = CliRunner().invoke(app, ["check", "--photo", str(bad), "--no-semantic"])
    assert result.exit_code == 2 and "cannot use photo" in result.output


def test_check_says_the_photo_is_used_by_known_accounts(astronaut: Image.Image, others: list[Image.Image],
                                                        tmp_path: Path) -> None:
    from falsefriends.photo.synthetic import photo_bytes

    (tmp_path / "a.jpg").write_bytes(photo_bytes(ImageOps.mirror(astronaut)))
    (tmp_path / "b.png").write_bytes(to_bytes(astronaut.resize((200, 200))))
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8 not really")
    (tmp_path / "other.png").write_bytes(to_bytes(others[0]))
    known = tmp_path / "known.csv"
    known.write_text("account,photo\nlinkedin.com/in/anna-k,a.jpg\nlinkedin.com/in/sofia-m,b.png\n"
                     f"linkedin.com/in/maria-l,{fingerprint(astronaut).hex()}\nsomeone,other.png\nbad,broken.jpg\n",
                     encoding="utf-8")
    face = tmp_path / "face.jpg"
    astronaut.save(face, "JPEG", quality=80)
    result = CliRunner().invoke(app, ["check", "--photo", str(face), "--known-photos", str(known), "--no-semantic",
                                      "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    reuse = [e for e in out["evidence"] if e["rule"] == "photo-reused"]
    assert reuse and "also used by 3 other accounts" in reuse[0]["reason"] and "anna-k" in reuse[0]["reason"]
    assert "someone" not in reuse[0]["reason"]
    # the eye positions are shown beside the reuse, and a photo alone is not a profile without an employer
    assert any(e["rule"] == "photo-eyes-measured" and "eyes at (0.3" in e["excerpt"] for e in out["evidence"])
    assert out["indicators"] == ["P3"]
    assert "1 photos of" in result.stderr and "bad:" in result.stderr
    missing = tmp_path / "nohead.csv"
    missing.write_text("who,picture\nx,y\n", encoding="utf-8")
    refused = CliRunner().invoke(app, ["check", "--photo", str(face), "--known-photos", str(missing),
                                       "--no-semantic"])
    assert refused.exit_code == 2 and "account,photo" in refused.output


def test_a_listed_photo_survives_export_and_import_in_every_format(astronaut: Image.Image) -> None:
    from falsefriends.watchlist.formats import WRITE_FORMATS, parse_watchlist, write_watchlist

    listed = persona("Jana Luo", "persona-jana", employer="Global Talent Partners",
                     identifiers=(identifier(IdentifierKind.PHOTO_HASH, fingerprint(astronaut).hex()),))
    reupload = analyse_photo(to_bytes(ImageOps.mirror(astronaut.resize((300, 300))), "JPEG", quality=55))
    for fmt in WRITE_FORMATS:
        again = parse_watchlist(write_watchlist(watchlist(listed), fmt), fmt)
        checker = Checker(providers=(WatchlistProvider(again),), semantic=False)
        found = checker.profile(with_photo(Account(name="Anna"), reupload))
        assert [e for e in found.evidence if e.rule == "watchlist-photo-match"], fmt
