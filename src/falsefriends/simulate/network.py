"""Platform-scale network worlds: members, organisations, invitations, messages and connections as Parquet.

Generation streams in chunks of members: each chunk's rows are built (mostly vectorised with numpy),
written as one Parquet row group per table, and dropped, so peak memory stays bounded whatever the
number of members. A member's name depends only on (seed, member id) through a counter-based hash,
so any chunk can greet any other member by name without holding the member table. Hostile personas
are drawn up front (a few per thousand members); their standardised approaches are written when the
persona's own chunk is generated. Only truth.json knows who they are.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from falsefriends.simulate.banks import Banks, default_banks, fill
from falsefriends.simulate.compose import fee, invite_idea, letter, phone, vary
from falsefriends.simulate.people import PROFILE_BASE, slugify

GENERATOR_VERSION = "network-world-v1"
_START = int(datetime(2024, 6, 1, tzinfo=UTC).timestamp())
_END = int(datetime(2026, 1, 31, tzinfo=UTC).timestamp())
_DAY0 = _START // 86400
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)

SCHEMAS = {
    "members": pa.schema([
        ("member_id", pa.int64()), ("profile_url", pa.string()), ("first_name", pa.string()),
        ("last_name", pa.string()), ("headline", pa.string()), ("organisation_id", pa.int64()),
        ("employer", pa.string()), ("position", pa.string()), ("industry", pa.string()), ("about", pa.string()),
        ("created", pa.date32()), ("connections", pa.int32()),
    ]),
    "organisations": pa.schema([
        ("organisation_id", pa.int64()), ("name", pa.string()), ("website", pa.string()),
        ("employees_on_platform", pa.int64()),
    ]),
    "invitations": pa.schema([
        ("invitation_id", pa.int64()), ("inviter_id", pa.int64()), ("invitee_id", pa.int64()),
        ("sent_at", pa.timestamp("ms", tz="UTC")), ("message", pa.string()), ("status", pa.string()),
    ]),
    "messages": pa.schema([
        ("message_id", pa.int64()), ("conversation_id", pa.int64()), ("sender_id", pa.int64()),
        ("recipient_id", pa.int64()), ("sent_at", pa.timestamp("ms", tz="UTC")), ("subject", pa.string()),
        ("body", pa.string()), ("channel", pa.string()),
    ]),
    "connections": pa.schema([
        ("member_a", pa.int64()), ("member_b", pa.int64()), ("connected_on", pa.date32()),
    ]),
}
# Roles of ordinary and genuine-sender members, with their share of the platform.
_KINDS = ("ordinary", "recruiter", "conference", "expert", "sales", "journalist")
_KIND_SHARE = np.array([0.955, 0.02, 0.005, 0.005, 0.01, 0.005])
_KIND_ORGS = {"recruiter": "recruiters", "conference": "conferences", "expert": "expert_networks",
              "sales": "vendors", "journalist": "media"}
_KIND_TITLES = {"ordinary": None, "recruiter": "Senior Recruiter", "conference": "Programme Chair",
                "expert": "Research Associate", "sales": "Account Executive", "journalist": "Reporter"}
_KIND_IDEAS = {"recruiter": ("recruiter_note", "recruiter_offer", "recruiter_pushy"),
               "conference": ("conference_invite", "conference_invite", "conference_followup"),
               "expert": ("expert_network", "expert_network", "expert_network"),
               "sales": ("sales", "sales", "sales"), "journalist": ("journalist", "journalist", "journalist")}
_POOL = 48  # rendered variants per (idea, language) for bulk genuine text


def _splitmix(x: np.ndarray) -> np.ndarray:
    """Counter-based 64-bit hash (splitmix64 finaliser), vectorised; wraps modulo 2**64."""
    with np.errstate(over="ignore"):
        z = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK
        z = ((z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK
        z = ((z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK
        return z ^ (z >> np.uint64(31))


@dataclass(frozen=True)
class NetworkParameters:
    members: int
    seed: int
    chunk: int = 50_000
    personas_per_thousand: float = 0.5
    mean_connections: int = 8
    p_accept: float = 0.35
    p_reply: float = 0.5
    p_off_platform: float = 0.5


@dataclass
class _Persona:
    member_id: int
    campaign: str
    organisation_id: int
    front: str
    role: str
    language: str


@dataclass
class _Truth:
    hostile: list[dict[str, Any]] = field(default_factory=list)
    campaigns: list[dict[str, Any]] = field(default_factory=list)
    lure_messages: list[int] = field(default_factory=list)
    hostile_messages: list[int] = field(default_factory=list)
    lure_invitations: list[int] = field(default_factory=list)
    hostile_invitations: list[int] = field(default_factory=list)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    targets: list[list[int]] = field(default_factory=list)  # target, persona, accepted, replied, moved


class _Names:
    """Member names from (seed, id) through the hash, using the same origin weights as organisations."""

    def __init__(self, banks: Banks, seed: int) -> None:
        self.first: list[np.ndarray] = []
        self.last: list[np.ndarray] = []
        for origin in banks.origins:
            self.first.append(np.array(origin.first, dtype=object))
            self.last.append(np.array(origin.last, dtype=object))
        weights = np.array([o.weight for o in banks.origins], dtype=float)
        self.cumulative = np.cumsum(weights / weights.sum())
        self.salt = np.uint64(random.Random(seed).getrandbits(64))

    def of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        h = _splitmix(ids.astype(np.uint64) ^ self.salt)
        u = (h & np.uint64(0xFFFFFF)).astype(np.float64) / float(0x1000000)
        origin = np.minimum(np.searchsorted(self.cumulative, u, side="right"), len(self.first) - 1)
        fi = ((h >> np.uint64(24)) & np.uint64(0xFFFF)).astype(np.int64)
        li = ((h >> np.uint64(40)) & np.uint64(0xFFFF)).astype(np.int64)
        first = np.empty(len(ids), dtype=object)
        last = np.empty(len(ids), dtype=object)
        for k in range(len(self.first)):
            sel = origin == k
            if sel.any():
                first[sel] = self.first[k][fi[sel] % len(self.first[k])]
                last[sel] = self.last[k][li[sel] % len(self.last[k])]
        return first, last, h

    def first_name(self, member_id: int) -> str:
        first, _, _ = self.of(np.array([member_id], dtype=np.int64))
        return str(first[0])


def _url(first: str, last: str, member_id: int, h: int) -> str:
    slug = slugify(f"{first} {last}") or "member"
    return f"{PROFILE_BASE}{slug}-{(h >> 8) & 0xFFFFFFF:07x}{member_id % 97:02d}"


class _Writers:
    def __init__(self, out: Path, photos: bool = False) -> None:
        self.schemas = dict(SCHEMAS)
        if photos:  # the members' profile photos (JPEG bytes, null for a member without one)
            self.schemas["members"] = SCHEMAS["members"].append(pa.field("photo", pa.binary()))
        self.writers = {name: pq.ParquetWriter(out / f"{name}.parquet", schema, compression="zstd")
                        for name, schema in self.schemas.items()}
        self.rows = dict.fromkeys(SCHEMAS, 0)

    def write(self, name: str, columns: dict[str, Any]) -> None:
        if "sent_at" in columns:
            # Times are generated in seconds; Parquet has no second unit, so they are stored in ms.
            columns["sent_at"] = np.asarray(columns["sent_at"], dtype=np.int64) * 1000
        table = pa.Table.from_pydict(columns, schema=self.schemas[name])
        if table.num_rows:
            self.writers[name].write_table(table)
            self.rows[name] += table.num_rows

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


class _Network:
    def __init__(self, params: NetworkParameters, banks: Banks, out: Path, photos: float = 0.0) -> None:
        self.p = params
        self.photos = photos
        self.photo_truth: dict[str, Any] = {"share": photos, "shared_by_campaign": {}, "default_avatar": []}
        self.banks = banks
        self.rng = random.Random(params.seed)
        self.np = np.random.default_rng(params.seed)
        self.names = _Names(banks, params.seed)
        self.out = out
        self.truth = _Truth()
        self.next_message = 0
        self.next_invitation = 0
        self.next_conversation = 0
        w = banks.world
        self.depts = sorted(w["departments"])
        # Organisations: the named genuine ones, generated companies, then the campaigns' fronts.
        names = list(w["employers"]["state"]) + list(w["employers"]["business"]) + list(w["contact_employers"])
        self.kind_org_start: dict[str, int] = {}
        for kind, key in _KIND_ORGS.items():
            self.kind_org_start[kind] = len(names)
            names += list(w[key])
        self.kind_org_count = {kind: len(w[key]) for kind, key in _KIND_ORGS.items()}
        self.generic_orgs = len(names)
        extra = max(100, params.members // 200)
        syll = ["ar", "ven", "tek", "lum", "or", "bis", "kes", "tral", "no", "va", "cor", "dyn", "hel", "io", "quant"]
        for i in range(extra):
            a, b_, c = syll[i % 15], syll[(i // 15) % 15], syll[(i // 225) % 15]
            names.append(f"{(a + b_ + c).title()} {['Systems', 'Labs', 'Group', 'GmbH', 'SAS', 'Ltd'][i % 6]}")
        self.org_names = names
        self.org_websites: list[str | None] = [
            f"https://www.{slugify(n)}.example" if self.rng.random() < 0.9 else None for n in names]
        self.employees = np.zeros(len(names) + 64, dtype=np.int64)
        self.campaigns: list[dict[str, Any]] = []
        self.personas: dict[int, _Persona] = {}
        self._plan_campaigns()

    # -- campaigns ---------------------------------------------------------------------------
    def _plan_campaigns(self) -> None:
        w, rng = self.banks.world, self.rng
        n_personas = max(6, round(self.p.members * self.p.personas_per_thousand / 1000))
        n_campaigns = max(3, min(80, n_personas // 6))
        fronts = [dict(f, public=False) for f in w["new_fronts"]] + [dict(f, public=True) for f in w["public_fronts"]]
        chosen = rng.sample(range(self.p.members), min(self.p.members, n_personas))
        for index in range(n_campaigns):
            front = fronts[index % len(fronts)]
            name = front["name"] if index < len(fronts) else f"{front['name']} {index // len(fronts) + 1}"
            org_id = len(self.org_names)
            self.org_names.append(name)
            self.org_websites.append(None)
            kind = front["kind"]
            playbook = {"tech-employer": "technical-assessment", "association": "trip"}.get(
                kind, rng.choice(["paid-notes", "consulting-job", "trip"]))
            lang = ("en", "fr", "de")[index % 3]
            idea = {"paid-notes": "offer_paid_notes", "trip": "offer_trip", "consulting-job": "offer_job",
                    "technical-assessment": "assessment_invite"}[playbook]
            templates = {
                "invite": self.banks.pick(rng, lang, "hostile", invite_idea(playbook, rng)),
                "offer": self.banks.pick(rng, lang, "hostile", idea),
                "move": self.banks.pick(rng, lang, "hostile", "move_off_platform"),
                "request": self.banks.pick(rng, lang, "hostile", "request_notes"),
                "follow": self.banks.pick(rng, lang, "hostile", "assessment_followup"),
            }
            self.campaigns.append({"id": f"campaign-{index + 1:02d}", "front": name, "front_kind": kind,
                                   "front_named_publicly": front["public"], "playbook": playbook, "language": lang,
                                   "organisation_id": org_id, "templates": templates, "personas": []})
        for k, member_id in enumerate(sorted(chosen)):
            c = self.campaigns[k % n_campaigns]
            role = rng.choice(w["persona_roles"][c["front_kind"]])
            self.personas[member_id] = _Persona(member_id, c["id"], c["organisation_id"], c["front"], role,
                                                c["language"])
        self.employees = np.zeros(len(self.org_names), dtype=np.int64)

    # -- text pools --------------------------------------------------------------------------
    def _pool(self, group: str, idea: str, lang: str, kind_org: str) -> list[str]:
        rng = random.Random(f"{self.p.seed}:{group}:{idea}:{lang}")
        out = []
        for _ in range(_POOL):
            dept = rng.choice(self.depts)
            # {first} stays a placeholder: each row greets its own recipient (see _greet).
            values = {"me": "",
                      "org": rng.choice(self.banks.world[kind_org]) if kind_org else "", "role": "Lead Engineer",
                      "topic": rng.choice(self.banks.world["departments"][dept]["topics"]), "dept": dept,
                      "fee": fee(rng, lang), "salary": fee(rng, lang, salary=True),
                      "city": rng.choice(self.banks.world["conference_cities"]),
                      "conf": rng.choice(self.banks.world["conferences"]), "days": "3", "handle": "",
                      "app": "Teams", "pages": "5"}
            out.append(letter(self.banks, rng, lang, vary(self.banks.pick(rng, lang, group, idea), rng), values,
                              0.6, 0.0))
        return out

    # -- chunks ------------------------------------------------------------------------------
    def chunk(self, writers: _Writers, start: int, stop: int) -> None:
        ids = np.arange(start, stop, dtype=np.int64)
        n = len(ids)
        g = self.np
        first, last, h = self.names.of(ids)
        kinds = g.choice(len(_KINDS), size=n, p=_KIND_SHARE)
        dept_idx = g.integers(0, len(self.depts), size=n)
        # Half the members work for a named employer, half for one of the generated companies.
        generated = len(self.org_names) - self.generic_orgs - len(self.campaigns)
        org = np.where(g.random(n) < 0.5, g.integers(self.generic_orgs, self.generic_orgs + generated, size=n),
                       g.integers(0, self.kind_org_start["recruiter"], size=n))
        for k, kind in enumerate(_KINDS[1:], 1):
            sel = kinds == k
            if sel.any():
                org[sel] = self.kind_org_start[kind] + g.integers(0, self.kind_org_count[kind], size=int(sel.sum()))
        titles = [self.banks.world["departments"][d]["titles"] for d in self.depts]
        position = [(_KIND_TITLES[_KINDS[k]] or titles[d][int(hh % np.uint64(5))])
                    for k, d, hh in zip(kinds, dept_idx, h, strict=True)]
        about_banks = self.banks.world["profile_about"]
        about = []
        persona_rows: list[int] = []
        for i in range(n):
            kind = _KINDS[kinds[i]]
            dept = self.depts[dept_idx[i]]
            bank = about_banks.get(kind, about_banks["ordinary"])
            about.append(fill(bank[int(h[i] >> np.uint64(50)) % len(bank)],
                              {"dept": dept, "topic": self.banks.world["departments"][dept]["topics"][0],
                               "org": self.org_names[org[i]]}))
            if int(ids[i]) in self.personas:
                persona_rows.append(i)
        employer = [self.org_names[o] for o in org]
        for i in persona_rows:
            persona = self.personas[int(ids[i])]
            org[i] = persona.organisation_id
            employer[i] = persona.front
            position[i] = persona.role
            bank = about_banks["persona"]
            about[i] = fill(bank[int(h[i] >> np.uint64(50)) % len(bank)],
                            {"dept": self.depts[dept_idx[i]], "topic": "international cooperation",
                             "org": persona.front})
        np.add.at(self.employees, org, 1)
        degree = g.poisson(self.p.mean_connections, size=n).astype(np.int32)
        created = (_DAY0 - g.integers(30, 4000, size=n)).astype(np.int32)
        for i in persona_rows:
            created[i] = _DAY0 + int(g.integers(-200, 200))  # personas are recent accounts
        urls = [_url(f, la, int(m), int(hh)) for f, la, m, hh in zip(first, last, ids, h, strict=True)]
        headline = [f"{p} at {e}" for p, e in zip(position, employer, strict=True)]
        members = {
            "member_id": ids, "profile_url": urls, "first_name": first.tolist(), "last_name": last.tolist(),
            "headline": headline, "organisation_id": org, "employer": employer, "position": position,
            "industry": [self.depts[d] for d in dept_idx], "about": about,
            "created": pa.array(created, type=pa.int32()).cast(pa.date32()), "connections": degree,
        }
        if self.photos > 0:
            members["photo"] = self._photos(ids, start)
        writers.write("members", members)
        for i in persona_rows:
            persona = self.personas[int(ids[i])]
            self.truth.hostile.append({"member_id": int(ids[i]), "url": urls[i], "name": f"{first[i]} {last[i]}",
                                       "campaign": persona.campaign, "employer": persona.front,
                                       "position": persona.role})
        self._connections(writers, ids, degree)
        self._ordinary_activity(writers, ids, kinds)
        for i in persona_rows:
            self._persona_activity(writers, self.personas[int(ids[i])], str(first[i]))

    def _photos(self, ids: np.ndarray, start: int) -> list[bytes | None]:
        """Profile photos (opt-in): each persona uploads its campaign's one picture again (mirrored, cropped,
        recompressed), a share of ordinary members their own, a few a blank default avatar. Drawn from their own
        random stream, so a world with photos has the same members, messages and campaigns as one without."""
        from falsefriends.photo.synthetic import photo_bytes, portrait, reused

        rng = random.Random(f"{self.p.seed}:photos:{start}")
        blank = photo_bytes(portrait(0).convert("L").point(lambda _: 200).convert("RGB"))
        out: list[bytes | None] = []
        for member in (int(m) for m in ids):
            persona = self.personas.get(member)
            if persona is not None:
                campaign = int(persona.campaign.rsplit("-", 1)[1])
                out.append(photo_bytes(reused(portrait(self.p.seed * 1_000_003 + campaign), member)))
                self.photo_truth["shared_by_campaign"].setdefault(persona.campaign, []).append(member)
            elif rng.random() < self.photos:
                out.append(photo_bytes(portrait(self.p.seed * 7_919 + member + 1_000)))
            elif rng.random() < self.photos * 0.02:
                out.append(blank)
                self.photo_truth["default_avatar"].append(member)
            else:
                out.append(None)
        return out

    def _connections(self, writers: _Writers, ids: np.ndarray, degree: np.ndarray) -> None:
        g = self.np
        a = np.repeat(ids, degree)
        b = g.integers(0, self.p.members, size=len(a))
        keep = a != b
        days = (_DAY0 - g.integers(0, 3000, size=int(keep.sum()))).astype(np.int32)
        writers.write("connections", {"member_a": a[keep], "member_b": b[keep],
                                      "connected_on": pa.array(days, type=pa.int32()).cast(pa.date32())})

    def _ordinary_activity(self, writers: _Writers, ids: np.ndarray, kinds: np.ndarray) -> None:
        g, n = self.np, len(ids)
        # Invitations without a note between ordinary members (most accepted).
        k = g.poisson(0.6, size=n)
        inviter = np.repeat(ids, k)
        m = len(inviter)
        inv_ids = np.arange(self.next_invitation, self.next_invitation + m, dtype=np.int64)
        self.next_invitation += m
        writers.write("invitations", {
            "invitation_id": inv_ids, "inviter_id": inviter, "invitee_id": g.integers(0, self.p.members, size=m),
            "sent_at": g.integers(_START, _END, size=m), "message": [None] * m,
            "status": np.where(g.random(m) < 0.8, "accepted", "pending").tolist(),
        })
        # Small talk between contacts, from pre-rendered pools.
        chat_pool = {lang: self._pool("genuine", "contact_chat", lang, "") for lang in ("en",)}
        reply_pool = {lang: self._pool("genuine", "staff_reply_generic", lang, "") for lang in ("en",)}
        talkers = ids[g.random(n) < 0.15]
        conv = np.arange(self.next_conversation, self.next_conversation + len(talkers), dtype=np.int64)
        self.next_conversation += len(talkers)
        other = g.integers(0, self.p.members, size=len(talkers))
        t0 = g.integers(_START, _END - 86400 * 3, size=len(talkers))
        pick = g.integers(0, _POOL, size=(2, len(talkers)))
        self._messages(writers, np.concatenate([conv, conv]), np.concatenate([talkers, other]),
                       np.concatenate([other, talkers]), np.concatenate([t0, t0 + g.integers(600, 86400 * 2,
                                                                                              size=len(t0))]),
                       self._greet([chat_pool["en"][i] for i in pick[0]] + [reply_pool["en"][i] for i in pick[1]],
                                   np.concatenate([other, talkers])), "message")
        # Genuine senders of paid offers, travel and urgency: the hard negatives, at scale.
        for k_idx, kind in enumerate(_KINDS[1:], 1):
            senders = ids[kinds == k_idx]
            if not len(senders):
                continue
            note_idea, offer_idea, other_idea = _KIND_IDEAS[kind]
            lang_of = g.choice(3, size=len(senders), p=[0.6, 0.2, 0.2])
            for lang_i, lang in enumerate(("en", "fr", "de")):
                group = senders[lang_of == lang_i]
                if not len(group):
                    continue
                notes = self._pool("genuine", note_idea, lang, _KIND_ORGS[kind])
                # Pushy and polite offers alike (for recruiters the second bank is the pushy one).
                offers = (self._pool("genuine", offer_idea, lang, _KIND_ORGS[kind])[: _POOL // 2]
                          + self._pool("genuine", other_idea, lang, _KIND_ORGS[kind])[: _POOL // 2])
                fan = g.integers(3, 25, size=len(group))
                src = np.repeat(group, fan)
                dst = g.integers(0, self.p.members, size=len(src))
                at = g.integers(_START, _END - 86400 * 10, size=len(src))
                # Each sender reuses its own template: genuine standardised messages.
                tpl = (src * 7919 % _POOL).astype(np.int64)
                accepted = g.random(len(src)) < 0.5
                inv_ids = np.arange(self.next_invitation, self.next_invitation + len(src), dtype=np.int64)
                self.next_invitation += len(src)
                writers.write("invitations", {
                    "invitation_id": inv_ids, "inviter_id": src, "invitee_id": dst, "sent_at": at,
                    "message": self._greet([notes[i][:300] for i in tpl], dst),
                    "status": np.where(accepted, "accepted", "pending").tolist(),
                })
                sel = np.flatnonzero(accepted)
                conv = np.arange(self.next_conversation, self.next_conversation + len(sel), dtype=np.int64)
                self.next_conversation += len(sel)
                self._messages(writers, conv, src[sel], dst[sel], at[sel] + g.integers(3600, 86400 * 5, size=len(sel)),
                               self._greet([offers[i] for i in tpl[sel]], dst[sel]), "message")

    def _greet(self, texts: list[str], recipients: np.ndarray) -> list[str]:
        first, _, _ = self.names.of(recipients)
        return [t.replace("{first}", str(f)) for t, f in zip(texts, first, strict=True)]

    def _messages(self, writers: _Writers, conv: np.ndarray, sender: np.ndarray, recipient: np.ndarray,
                  at: np.ndarray, body: list[str], channel: str, subject: list[str] | None = None) -> np.ndarray:
        m = len(conv)
        ids = np.arange(self.next_message, self.next_message + m, dtype=np.int64)
        self.next_message += m
        writers.write("messages", {
            "message_id": ids, "conversation_id": conv, "sender_id": sender, "recipient_id": recipient,
            "sent_at": at, "subject": subject or [""] * m, "body": body, "channel": [channel] * m,
        })
        return ids

    def _persona_activity(self, writers: _Writers, persona: _Persona, persona_first: str) -> None:
        rng, p = self.rng, self.p
        c = next(c for c in self.campaigns if c["id"] == persona.campaign)
        c["personas"].append(persona.member_id)
        tpl, lang = c["templates"], persona.language
        outcome = self.truth.outcomes.setdefault(c["id"], {"targets": 0, "accepted": 0, "replied": 0,
                                                           "moved_off_platform": 0})
        inv_rows: dict[str, list[Any]] = {k: [] for k in ("invitation_id", "inviter_id", "invitee_id", "sent_at",
                                                          "message", "status")}
        msg_rows: dict[str, list[Any]] = {k: [] for k in ("conv", "sender", "recipient", "at", "body", "lure")}
        t = rng.randrange(_START, _END - 86400 * 200)

        def invitation(target: int, at: int, note: str | None, status: str, lure: bool) -> None:
            inv_id = self.next_invitation
            self.next_invitation += 1
            for key, value in zip(inv_rows, (inv_id, persona.member_id, target, at, note, status), strict=True):
                inv_rows[key].append(value)
            self.truth.hostile_invitations.append(inv_id)
            if lure:
                self.truth.lure_invitations.append(inv_id)

        def message(conv: int, sender: int, recipient: int, at: int, body: str, lure: bool | None) -> None:
            for key, value in zip(msg_rows, (conv, sender, recipient, at, body, lure), strict=True):
                msg_rows[key].append(value)

        for _ in range(rng.randrange(2, 6)):  # credibility first
            t += rng.randrange(3600, 86400 * 3)
            invitation(rng.randrange(p.members), t, None, "accepted", False)
        for _ in range(rng.randrange(20, 120)):
            target = rng.randrange(p.members)
            if target == persona.member_id:
                continue
            outcome["targets"] += 1
            record = [target, persona.member_id, 0, 0, 0]
            self.truth.targets.append(record)
            t += rng.randrange(600, 86400 * 2)
            first = self.names.first_name(target)
            values = {"first": first, "me": persona_first, "org": persona.front, "role": persona.role,
                      "topic": rng.choice(self.banks.world["departments"][rng.choice(self.depts)]["topics"]),
                      "dept": rng.choice(self.depts), "fee": fee(rng, lang), "salary": fee(rng, lang, salary=True),
                      "city": rng.choice(self.banks.world["cities"]),
                      "app": rng.choice(self.banks.world["apps"]), "handle": phone(rng), "pages": "8", "days": "3",
                      "repo": f"https://github.com/{slugify(persona.front)}-dev/interview-task",
                      "org_slug": slugify(persona.front)[:20]}

            def say(key: str, values: dict[str, str] = values) -> str:
                return letter(self.banks, rng, lang, vary(tpl[key], rng), values, 0.6, 0.5)

            accepted = rng.random() < p.p_accept
            invitation(target, t, say("invite")[:300], "accepted" if accepted else rng.choice(["pending", "ignored"]),
                       True)
            if not accepted:
                continue
            outcome["accepted"] += 1
            record[2] = 1
            conv = self.next_conversation
            self.next_conversation += 1
            at = t + rng.randrange(3600, 86400 * 5)
            message(conv, persona.member_id, target, at, say("offer"), True)
            if rng.random() >= p.p_reply:
                continue
            outcome["replied"] += 1
            record[3] = 1
            at += rng.randrange(3600, 86400 * 3)
            reply_lang = rng.choice(["en", "fr", "de"])
            message(conv, target, persona.member_id, at,
                    fill(self.banks.pick(rng, reply_lang, "genuine", "staff_reply_interested"),
                         {"first": persona_first}), None)
            at += rng.randrange(3600, 86400 * 3)
            message(conv, persona.member_id, target, at, say("follow" if c["playbook"] == "technical-assessment"
                                                              else "move"), True)
            if rng.random() < p.p_off_platform:
                outcome["moved_off_platform"] += 1
                record[4] = 1
                at += rng.randrange(3600, 86400 * 30)
                message(conv, persona.member_id, target, at, say("request"), True)
        writers.write("invitations", {**inv_rows})
        if msg_rows["conv"]:
            ids = self._messages(writers, np.array(msg_rows["conv"], dtype=np.int64),
                                 np.array(msg_rows["sender"], dtype=np.int64),
                                 np.array(msg_rows["recipient"], dtype=np.int64),
                                 np.array(msg_rows["at"], dtype=np.int64), msg_rows["body"], "message")
            for mid, lure in zip(ids.tolist(), msg_rows["lure"], strict=True):
                if lure is not None:
                    self.truth.hostile_messages.append(mid)
                    if lure:
                        self.truth.lure_messages.append(mid)

    def finish(self, writers: _Writers) -> dict[str, Any]:
        writers.write("organisations", {
            "organisation_id": np.arange(len(self.org_names), dtype=np.int64), "name": self.org_names,
            "website": self.org_websites, "employees_on_platform": self.employees,
        })
        t = self.truth
        return {
            "world": {"kind": "network", "size": self.p.members, "unit": "members", "seed": self.p.seed,
                      "generator": GENERATOR_VERSION},
            "parameters": asdict(self.p),
            "tables": {name: f"{name}.parquet" for name in SCHEMAS},
            "rows": dict(writers.rows),
            "message_identity": "messages.message_id and invitations.invitation_id",
            "hostile_accounts": sorted(t.hostile, key=lambda h: h["member_id"]),
            "campaigns": [{"id": c["id"], "playbook": c["playbook"], "front": c["front"],
                           "front_kind": c["front_kind"], "front_named_publicly": c["front_named_publicly"],
                           "language": c["language"], "personas": sorted(c["personas"]),
                           **t.outcomes.get(c["id"], {})} for c in self.campaigns],
            "target_outcomes": {"columns": ["member_id", "approached_by", "accepted", "replied", "moved_off_platform"],
                                "rows": t.targets},
            "lure_messages": t.lure_messages,
            "hostile_messages": t.hostile_messages,
            "lure_invitations": t.lure_invitations,
            "hostile_invitations": t.hostile_invitations,
            **({"photos": self.photo_truth} if self.photos > 0 else {}),
        }


def write_network(members: int, seed: int, out: Path, chunk: int = 50_000,
                  progress: Callable[[int], None] | None = None, banks: Banks | None = None,
                  photos: float = 0.0) -> dict[str, Any]:
    """Stream a network of `members` members to `out` (Parquet tables + truth.json); returns the truth.

    `photos` > 0 adds a `photo` column to members (generated JPEGs: every persona, that share of other members,
    personas of one campaign sharing one picture) and truth["photos"].
    """
    if not 0.0 <= photos <= 1.0:
        raise ValueError("photos is a share of members, from 0 to 1")
    if members < 100:
        raise ValueError("a network world needs at least 100 members")
    out.mkdir(parents=True, exist_ok=True)
    net = _Network(NetworkParameters(members=members, seed=seed, chunk=chunk), banks or default_banks(), out, photos)
    writers = _Writers(out, photos > 0)
    try:
        for start in range(0, members, chunk):
            stop = min(members, start + chunk)
            net.chunk(writers, start, stop)
            if progress:
                progress(stop)
        truth = net.finish(writers)
    finally:
        writers.close()
    (out / "truth.json").write_text(json.dumps(truth, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth
