"""`simulate --staff N --photos SHARE`: photos of the outside accounts beside the exports, the world unchanged."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from falsefriends.photo.decode import load_photo
from falsefriends.photo.hashes import Fingerprint, compare, fingerprint
from falsefriends.simulate.organisation import build_organisation
from falsefriends.simulate.organisation_writer import write_organisation


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "photos" not in p.relative_to(root).parts}


def test_photos_leave_the_world_unchanged_and_personas_of_a_campaign_share_one(tmp_path: Path) -> None:
    plain = write_organisation(build_organisation(12, 3), tmp_path / "plain")
    truth = write_organisation(build_organisation(12, 3), tmp_path / "photos", photos=0.5)
    assert not (tmp_path / "plain" / "photos").exists() and "photos" not in plain
    photo_truth = truth.pop("photos")
    assert truth == plain  # the same world; only the photos are added
    digests = _digests(tmp_path / "photos")
    digests["truth.json"] = _digests(tmp_path / "plain")["truth.json"]
    assert digests == _digests(tmp_path / "plain")

    with (tmp_path / "photos" / photo_truth["file"]).open(encoding="utf-8") as handle:
        rows = {r["profile_url"]: r["file"] for r in csv.DictReader(handle)}
    staff = {r["profile_url"] for r in csv.DictReader((tmp_path / "plain" / "roster.csv").open(encoding="utf-8"))}
    assert not staff & set(rows)  # photos of outside accounts only
    personas = {a["url"]: a["campaign"] for a in plain["hostile_accounts"]}
    assert set(personas) <= set(rows)  # every persona has one
    assert photo_truth["genuine_with_own_photo"] == len(rows) - len(personas) > 0
    assert {u: c for c, urls in photo_truth["shared_by_campaign"].items() for u in urls} == personas

    def hash_of(url: str) -> Fingerprint:
        return fingerprint(load_photo((tmp_path / "photos" / "photos" / rows[url]).read_bytes()))

    photos = {u: hash_of(u) for u in rows}
    for a in rows:  # two photos match exactly when both accounts are personas of one campaign
        for b in rows:
            if a < b:
                same_campaign = a in personas and personas[a] == personas.get(b)
                assert (compare(photos[a], photos[b]) is not None) == same_campaign, (a, b)
    # the copies are not byte-identical (reused: mirrored, cropped, recompressed), so the check is a near match
    files = [(tmp_path / "photos" / "photos" / rows[u]).read_bytes() for u in personas]
    assert len(set(files)) == len(files)


def test_truth_json_names_the_shared_photos(tmp_path: Path) -> None:
    write_organisation(build_organisation(8, 5), tmp_path, photos=0.25)
    written = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert written["photos"]["share"] == 0.25
    assert set(written["photos"]["shared_by_campaign"]) == {c["id"] for c in written["campaigns"]}
