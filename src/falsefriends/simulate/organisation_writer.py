"""Writes an organisation world to disk: roster.csv, one LinkedIn export per staff member, truth.json, and (opt-in)
photos/: the profile photos of the outside accounts staff looked at and checked."""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from falsefriends.simulate.export_writer import export_files, message_date, write_zip
from falsefriends.simulate.organisation import GENERATOR_VERSION, WORLD_END, WORLD_START, OrganisationWorld
from falsefriends.simulate.records import SimInvitation, SimMessage, Staff

ROSTER_COLUMNS = ("staff_id", "name", "department", "sector", "profile_url", "export_file")


def _iso(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _extras(staff: Staff, rng: random.Random) -> dict[str, bytes]:
    """Files a reader must ignore; their content is plausible but irrelevant."""
    out: dict[str, bytes] = {}
    for name in staff.style.extras:
        if name == "Skills.csv":
            skills = ["Project Management", "Python", "Policy Analysis", "Risk Management", "Public Speaking", "C++",
                      "Negotiation", "Data Analysis"]
            text = "Name\n" + "\n".join(rng.sample(skills, 3))
        elif name == "Ad_Targeting.csv":
            text = ('Member Age,Member Gender,Company Names,Job Functions,Interests\n'
                    f'25 to 34,,"{staff.person.company}","Engineering; Research","Technology; ""Policy"", Science"')
        elif name == "Email Addresses.csv":
            text = ("Email Address,Confirmed,Primary,Updated On\n"
                    f'{staff.staff_id.lower()}@example.org,Yes,Yes,"1/2/24, 9:12 AM"')
        else:
            text = "Name,Date\n"  # header-only files occur in real archives
        out[name] = (text + "\n").encode("utf-8")
    return out


def _positions(staff: Staff, rng: random.Random) -> list[tuple[str, str, date, date | None]]:
    start = date(rng.randrange(2010, 2024), rng.randrange(1, 13), 1)
    earlier = date(start.year - rng.randrange(2, 6), rng.randrange(1, 13), 1)
    return [(staff.person.company, staff.person.position, start, None),
            ("Previous Employer Ltd", "Junior " + staff.person.position.split()[-1], earlier, start)]


def write_organisation(world: OrganisationWorld, out: Path,
                       progress: Callable[[int], None] | None = None, photos: float = 0.0) -> dict[str, Any]:
    """Write the world under `out`; returns the truth document that was written.

    `photos` > 0 also writes photos/ (see `write_photos`) and truth["photos"]; 0 (the default) writes no photos and
    the same files as before, byte for byte."""
    if not 0.0 <= photos <= 1.0:
        raise ValueError("photos is a share of genuine outside accounts, from 0 to 1")
    out.mkdir(parents=True, exist_ok=True)
    (out / "exports").mkdir(exist_ok=True)
    staff_urls = {s.person.url: s for s in world.staff}

    by_staff_msgs: dict[str, list[SimMessage]] = defaultdict(list)
    for msg in world.messages:
        for person in (msg.sender, *msg.recipients):
            if person.url in staff_urls:
                by_staff_msgs[person.url].append(msg)
    by_staff_invs: dict[str, list[SimInvitation]] = defaultdict(list)
    for inv in world.invitations:
        if inv.accepted:
            continue  # accepted requests are connections; their note opened the conversation
        for person in (inv.sender, inv.recipient):
            if person.url in staff_urls:
                by_staff_invs[person.url].append(inv)

    with (out / "roster.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ROSTER_COLUMNS)
        for s in world.staff:
            writer.writerow([s.staff_id, s.person.full, s.department, s.sector, s.person.url, s.export_file + ".zip"])

    for done, s in enumerate(world.staff, 1):
        rng = random.Random(f"{world.params.seed}:{s.staff_id}")
        files = export_files(s, world.connections.get(s.person.url, []), by_staff_invs[s.person.url],
                             by_staff_msgs[s.person.url], _positions(s, rng), _extras(s, rng))
        write_zip(out / "exports" / (s.export_file + ".zip"), files, s.style.subfolder, s.style.exported_on)
        if progress:
            progress(done)

    truth = build_truth(world)
    if photos > 0:
        truth["photos"] = write_photos(world, out / "photos", photos)
    (out / "truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    return truth


def build_truth(world: OrganisationWorld) -> dict[str, Any]:
    """The ground truth: hostile accounts, campaigns, lures (matchable to export rows) and outcomes."""
    staff_by_url = {s.person.url: s for s in world.staff}
    hostile = []
    for c in world.campaigns:
        for p in c.personas:
            hostile.append({"url": p.url, "name": p.full, "campaign": c.id, "employer": p.company,
                            "position": p.position, "language": p.language})
    items = []
    for msg in world.messages:
        if msg.campaign is None:
            continue
        recipient = next((r for r in msg.recipients if r.url in staff_by_url), None)
        items.append({
            "channel": "message", "conversation": msg.conversation, "sender": msg.sender.url,
            "sender_name": msg.sender.full, "recipient": recipient.url if recipient else None,
            "staff_id": staff_by_url[recipient.url].staff_id if recipient else None,
            "date": message_date(msg.at), "sent_at": _iso(msg.at), "campaign": msg.campaign,
            "stage": msg.stage, "lure": msg.lure,
        })
    for inv in world.invitations:
        if inv.campaign is None or inv.accepted:
            continue
        staff = staff_by_url[inv.recipient.url]
        items.append({
            "channel": "invitation", "conversation": None, "sender": inv.sender.url, "sender_name": inv.sender.full,
            "recipient": inv.recipient.url, "staff_id": staff.staff_id, "date": message_date(inv.at),
            "sent_at": _iso(inv.at), "campaign": inv.campaign, "stage": inv.stage, "lure": inv.lure,
        })
    items.sort(key=lambda i: (i["sent_at"], i["sender"], i["channel"], i["recipient"] or ""))
    outcomes = []
    for s in world.staff:
        o = world.outcomes.get(s.staff_id)
        if o is None or not o.approached_by:
            continue
        outcomes.append({"staff_id": s.staff_id, "profile_url": s.person.url, "department": s.department,
                         "sector": s.sector, "approached_by": sorted(o.approached_by), "accepted": sorted(o.accepted),
                         "replied": sorted(o.replied), "moved_off_platform": sorted(o.off_platform),
                         "asked_for_notes": sorted(o.asked_for_notes)})
    genuine_kinds: dict[str, int] = defaultdict(int)
    for person in world.people.values():
        if person.kind not in ("staff", "persona"):
            genuine_kinds[person.kind] += 1
    return {
        "world": {"kind": "organisation", "size": len(world.staff), "unit": "staff", "seed": world.params.seed,
                  "generator": GENERATOR_VERSION, "period": [_iso(WORLD_START), _iso(WORLD_END)]},
        "parameters": {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(world.params).items()},
        "message_identity": "a message is identified by channel, sender profile URL, conversation id (messages) "
                            "and date ('YYYY-MM-DD HH:MM:SS UTC'; invitations are exported to the minute)",
        "hostile_accounts": hostile,
        "campaigns": [{"id": c.id, "playbook": c.playbook, "front": c.front, "front_kind": c.front_kind,
                       "front_named_publicly": c.front_public, "language": c.language,
                       "languages": sorted({p.language for p in c.personas}),
                       "personas": [p.url for p in c.personas], "targets": len(c.targets)} for c in world.campaigns],
        "messages": items,
        "staff_outcomes": outcomes,
        "genuine_accounts": dict(sorted(genuine_kinds.items())),
    }


PHOTO_COLUMNS = ("profile_url", "file")


def write_photos(world: OrganisationWorld, folder: Path, share: float) -> dict[str, Any]:
    """The profile photos of the outside accounts (LinkedIn exports hold none): a generated portrait PNG for every
    persona and for `share` of the genuine outside accounts, the personas of one campaign each uploading their
    campaign's one picture again (`synthetic.reused`: mirrored, cropped, resized, recompressed), and photos.csv
    (profile_url,file) naming them, as a security officer would collect the pictures of the profiles staff
    checked. Drawn from their own random stream, so the world itself is the same with or without photos.
    Returns truth["photos"]: which accounts share a picture, and how many genuine accounts have their own."""
    from falsefriends.photo.synthetic import portrait, reused

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{world.params.seed}:photos")
    seed = world.params.seed
    campaign_no = {c.id: n for n, c in enumerate(world.campaigns)}
    rows: list[tuple[str, str]] = []
    shared: dict[str, list[str]] = defaultdict(list)
    own: list[str] = []
    outside = sorted((p for p in world.people.values() if p.kind != "staff"), key=lambda p: p.url)
    for number, person in enumerate(outside):
        if person.kind == "persona" and person.campaign is not None:
            image = reused(portrait(seed * 1_000_003 + campaign_no[person.campaign]), number)
            shared[person.campaign].append(person.url)
        elif rng.random() < share:
            image = portrait(seed * 7_919 + number + 1_000)
            own.append(person.url)
        else:
            continue
        name = f"{number:05d}.png"
        image.save(folder / name, "PNG")
        rows.append((person.url, name))
    with (folder / "photos.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PHOTO_COLUMNS)
        writer.writerows(rows)
    return {"share": share, "file": "photos/photos.csv",
            "shared_by_campaign": {k: sorted(v) for k, v in sorted(shared.items())},
            "genuine_with_own_photo": len(own)}
