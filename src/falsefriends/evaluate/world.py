"""Reads a simulated world (organisation exports or network Parquet) and labels it from its truth.json.

An organisation is read the way a security officer's data would be: the roster with `read_roster`
and each export with the real parser `read_export`; the truth is only used to label what the parser
returned. The evaluation units are the messages that reached staff from outside accounts, and the
outside accounts themselves (their profile as the exports show it, and every message they sent).
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from falsefriends.ingest.identity import folded_name, normalise_profile_url
from falsefriends.ingest.linkedin_export import read_export
from falsefriends.ingest.roster import read_roster
from falsefriends.model import Account, Channel, Direction, Message


@dataclass(frozen=True)
class LabelledMessage:
    message: Message
    label: int
    campaign: str | None = None


@dataclass
class LabelledAccount:
    key: str
    profile: Account
    label: int
    campaign: str | None = None
    messages: list[Message] = field(default_factory=list)


@dataclass
class LabelledConversation:
    """What one outside account wrote to one person in one conversation, in order."""

    key: str
    messages: list[Message]
    label: int = 0
    campaign: str | None = None


@dataclass
class EvalWorld:
    """What the detectors are run on, with labels, and what was left out and why."""

    kind: str
    size: int
    seed: int
    unit: str
    messages: list[LabelledMessage]
    accounts: list[LabelledAccount]
    campaigns: dict[str, list[str]]  # campaign id -> keys of its hostile accounts
    notes: list[str] = field(default_factory=list)
    conversations: list[LabelledConversation] = field(default_factory=list)
    personas: list[LabelledAccount] = field(default_factory=list)
    """Every hostile account the data shows, sampled or not: the base of the share found per campaign."""


def load_truth(directory: Path) -> dict[str, Any]:
    path = directory / "truth.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not a simulated world (no truth.json)")
    truth: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return truth


def load_world(directory: Path, max_messages: int | None = None, max_accounts: int | None = None,
               sample_seed: int = 0) -> EvalWorld:
    truth = load_truth(directory)
    kind = truth["world"]["kind"]
    if kind == "organisation":
        world = _organisation(directory, truth)
    elif kind == "network":
        world = _network(directory, truth, max_messages, max_accounts, sample_seed)
    else:
        raise ValueError(f"unknown world kind {kind!r}")
    return world


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _truth_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)


def _organisation(directory: Path, truth: dict[str, Any]) -> EvalWorld:
    staff, roster_report = read_roster(directory / "roster.csv")
    notes = [f"roster: {roster_report.rows_accepted} staff read, {roster_report.rows_quarantined} quarantined"]
    staff_urls = {normalise_profile_url(s.profile_url or "") for s in staff} - {None}
    persona_of_url = {normalise_profile_url(h["url"]): h for h in truth["hostile_accounts"]}
    # Truth items are matched back to parsed rows by what the export shows: the conversation id, the
    # sender's name and the time (to the second for messages, to the minute for invitations).
    items: dict[tuple[str, ...], dict[str, Any]] = {}
    for item in truth["messages"]:
        moment = _truth_time(item["date"])
        if item["channel"] == "message":
            item_key = ("message", item["conversation"], folded_name(item["sender_name"]), moment.isoformat())
        else:
            item_key = ("invitation", item["staff_id"], folded_name(item["sender_name"]),
                        moment.replace(second=0).isoformat())
        items[item_key] = item
    approached: dict[str, dict[str, str]] = defaultdict(dict)  # staff id -> folded persona name -> url
    for outcome in truth["staff_outcomes"]:
        for url in outcome["approached_by"]:
            persona = persona_of_url.get(normalise_profile_url(url))
            if persona:
                approached[outcome["staff_id"]][folded_name(persona["name"])] = normalise_profile_url(url) or url

    accounts: dict[str, LabelledAccount] = {}
    messages: list[LabelledMessage] = []
    conversations: dict[tuple[str, str], LabelledConversation] = {}
    matched = excluded_quiet = unread = 0
    for member in staff:
        path = directory / "exports" / (member.export_file or "")
        if not member.export_file or not path.is_file():
            unread += 1
            continue
        data = read_export(path)
        personas_here = approached.get(member.staff_id, {})

        def unit_key(account_key: str | None, name: str, url: str | None,
                     personas_here: dict[str, str] = personas_here) -> str:
            norm = normalise_profile_url(url or "") or (
                normalise_profile_url(account_key) if account_key and "linkedin.com" in account_key else None)
            if norm:
                return norm
            # Older exports carry no URLs: a name is tied to a persona only where truth says that persona
            # approached this very staff member; otherwise the name stays its own account.
            return personas_here.get(folded_name(name)) or f"name:{folded_name(name)}"

        contacts = {c.key: c for c in data.contacts}
        for contact in data.contacts:
            key = unit_key(contact.key, contact.name, contact.url)
            if key in staff_urls:
                continue
            _account(accounts, key, contact, persona_of_url)
        for msg in (*data.invitations, *data.messages):
            if msg.direction is not Direction.INCOMING or msg.channel is Channel.OTHER:
                continue
            sender = contacts.get(msg.sender)
            key = unit_key(msg.sender, msg.sender_name, sender.url if sender else None)
            if key in staff_urls or (not msg.sender_name and not msg.sender):
                continue
            when = _utc(msg.sent_at)
            stamp = "" if when is None else (
                when.isoformat() if msg.channel is not Channel.INVITATION else when.replace(second=0).isoformat())
            probe = (("invitation", member.staff_id) if msg.channel is Channel.INVITATION
                     else ("message", msg.conversation or "")) + (folded_name(msg.sender_name), stamp)
            item = items.get(probe)
            if item is not None:
                matched += 1
                key = normalise_profile_url(item["sender"]) or key
            account = _account(accounts, key, sender or Account(key=msg.sender, name=msg.sender_name),
                               persona_of_url)
            account.messages.append(msg)
            if not msg.body.strip():
                continue
            if msg.conversation and msg.channel is not Channel.INVITATION:
                thread = conversations.setdefault((member.staff_id, msg.conversation),
                                                  LabelledConversation(f"{member.staff_id}:{msg.conversation}", []))
                thread.messages.append(msg)
                if item is not None and item["lure"]:
                    thread.label, thread.campaign = 1, item["campaign"]
            if item is not None and not item["lure"]:
                excluded_quiet += 1  # a hostile but harmless line (credibility note, small talk): not scored
                continue
            label = 1 if item is not None else 0
            messages.append(LabelledMessage(msg, label, item["campaign"] if item else None))
    notes.append(f"{len(staff) - unread} exports read with the LinkedIn export parser, {unread} missing")
    notes.append(f"{matched} of {len(truth['messages'])} hostile items of truth.json matched to parsed rows")
    notes.append(f"{excluded_quiet} hostile non-lure messages left out of message scoring; empty notes skipped")
    campaigns: dict[str, list[str]] = defaultdict(list)
    for h in truth["hostile_accounts"]:
        campaigns[h["campaign"]].append(normalise_profile_url(h["url"]) or h["url"])
    for thread in conversations.values():
        thread.messages.sort(key=lambda m: (m.sent_at is None, m.sent_at))
    return EvalWorld(kind="organisation", size=truth["world"]["size"], seed=truth["world"]["seed"], unit="staff",
                     messages=messages, accounts=list(accounts.values()), campaigns=dict(campaigns), notes=notes,
                     conversations=list(conversations.values()),
                     personas=[a for a in accounts.values() if a.label])


def _account(accounts: dict[str, LabelledAccount], key: str, seen: Account,
             persona_of_url: dict[str | None, dict[str, Any]]) -> LabelledAccount:
    account = accounts.get(key)
    if account is None:
        persona = persona_of_url.get(key)
        profile = Account(key=key, name=seen.name, url=key if key.startswith("http") else None,
                          employer=seen.employer, position=seen.position)
        account = LabelledAccount(key=key, profile=profile, label=int(persona is not None),
                                  campaign=persona["campaign"] if persona else None)
        accounts[key] = account
    elif (not account.profile.employer and seen.employer) or (not account.profile.position and seen.position):
        account.profile = account.profile.model_copy(update={
            "employer": account.profile.employer or seen.employer,
            "position": account.profile.position or seen.position})
    return account


def _network(directory: Path, truth: dict[str, Any], max_messages: int | None, max_accounts: int | None,
             sample_seed: int) -> EvalWorld:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rng = random.Random(sample_seed)
    notes: list[str] = []
    lure_msgs, hostile_msgs = set(truth["lure_messages"]), set(truth["hostile_messages"])
    lure_invs, hostile_invs = set(truth["lure_invitations"]), set(truth["hostile_invitations"])
    hostile = {h["member_id"]: h for h in truth["hostile_accounts"]}

    msg_table = pq.read_table(directory / "messages.parquet",
                              columns=["message_id", "conversation_id", "sender_id", "recipient_id", "sent_at",
                                       "subject", "body"])
    inv_table = pq.read_table(directory / "invitations.parquet",
                              columns=["invitation_id", "inviter_id", "invitee_id", "sent_at", "message"])
    inv_table = inv_table.filter(pc.invert(pc.is_null(inv_table["message"])))
    texts: list[tuple[str, int, int, int, Any, str, str, int | None]] = []
    for row in msg_table.to_pylist():
        texts.append(("m", row["message_id"], row["sender_id"], row["recipient_id"], row["sent_at"], row["subject"],
                      row["body"], row["conversation_id"]))
    for row in inv_table.to_pylist():
        texts.append(("i", row["invitation_id"], row["inviter_id"], row["invitee_id"], row["sent_at"], "",
                      row["message"], None))
    total = len(texts)
    # Accounts: members who sent something with text (the outside accounts that approached someone).
    senders = sorted({t[2] for t in texts})
    if max_accounts is not None and len(senders) > max_accounts:
        senders = sorted(rng.sample(senders, max_accounts))
        notes.append(f"accounts: uniform sample of {max_accounts} of {len({t[2] for t in texts})} senders "
                     f"(seed {sample_seed})")
    if max_messages is not None and total > max_messages:
        sample = set(rng.sample(range(total), max_messages))
        notes.append(f"messages: uniform sample of {max_messages} of {total} messages and invitation notes "
                     f"(seed {sample_seed})")
    else:
        sample = set(range(total))
    members = pq.read_table(directory / "members.parquet",
                            columns=["member_id", "profile_url", "first_name", "last_name", "headline", "employer",
                                     "position", "about", "created", "connections"])
    # Every persona is loaded too (beside the sample) so that the share found per campaign covers them all.
    wanted = sorted(set(senders) | set(hostile))
    members = members.filter(pc.is_in(members["member_id"], value_set=pa.array(wanted, type=pa.int64())))
    profiles: dict[int, Account] = {}
    for row in members.to_pylist():
        profiles[row["member_id"]] = Account(
            key=row["profile_url"], url=row["profile_url"], name=f"{row['first_name']} {row['last_name']}",
            headline=row["headline"], employer=row["employer"], position=row["position"], about=row["about"],
            created=row["created"], connections=row["connections"])
    accounts = {mid: LabelledAccount(key=p.key or str(mid), profile=p, label=int(mid in hostile),
                                     campaign=hostile[mid]["campaign"] if mid in hostile else None)
                for mid, p in profiles.items()}
    messages: list[LabelledMessage] = []
    excluded = 0
    for index, (kind, ident, sender, recipient, sent, subject, body, conv) in enumerate(texts):
        message = Message(id=f"{kind}{ident}", body=body or "", subject=subject or "", sender=str(sender),
                          recipients=(str(recipient),), sent_at=sent,
                          channel=Channel.INVITATION if kind == "i" else Channel.MESSAGE,
                          conversation=None if conv is None else str(conv), direction=Direction.INCOMING)
        if sender in accounts:
            accounts[sender].messages.append(message)
        if index not in sample or not message.body.strip():
            continue
        lure = ident in (lure_invs if kind == "i" else lure_msgs)
        quiet = ident in (hostile_invs if kind == "i" else hostile_msgs) and not lure
        if quiet:
            excluded += 1
            continue
        campaign = hostile[sender]["campaign"] if lure and sender in hostile else None
        messages.append(LabelledMessage(message, int(lure), campaign))
    notes.append(f"{excluded} hostile non-lure messages left out of message scoring; empty notes skipped")
    threads = _network_conversations(texts, lure_msgs, hostile, max_messages, rng, notes)
    campaigns: dict[str, list[str]] = defaultdict(list)
    for h in truth["hostile_accounts"]:
        campaigns[h["campaign"]].append(h["url"])
    return EvalWorld(kind="network", size=truth["world"]["size"], seed=truth["world"]["seed"], unit="members",
                     conversations=threads, messages=messages, accounts=[accounts[m] for m in senders],
                     campaigns=dict(campaigns), notes=notes,
                     personas=[accounts[m] for m in sorted(hostile) if m in accounts])


def _network_conversations(texts: list[tuple[str, int, int, int, Any, str, str, int | None]], lure_msgs: set[int],
                           hostile: dict[int, dict[str, Any]], limit: int | None, rng: random.Random,
                           notes: list[str]) -> list[LabelledConversation]:
    """Conversations as their initiator wrote them (the other side's replies are not the approach)."""
    by_conv: dict[int, list[tuple[Any, int, int, str, str]]] = defaultdict(list)
    for kind, ident, sender, _recipient, sent, subject, body, conv in texts:
        if kind == "m" and conv is not None:
            by_conv[conv].append((sent, ident, sender, subject, body))
    keys = sorted(by_conv)
    if limit is not None and len(keys) > limit:
        keys = sorted(rng.sample(keys, limit))
        notes.append(f"conversations: uniform sample of {limit} of {len(by_conv)}")
    threads = []
    for conv in keys:
        rows = sorted(by_conv[conv], key=lambda r: (r[0], r[1]))
        initiator = rows[0][2]
        mine = [r for r in rows if r[2] == initiator and (r[4] or "").strip()]
        if not mine:
            continue
        label = int(any(r[1] in lure_msgs for r in mine))
        threads.append(LabelledConversation(
            key=str(conv), label=label, campaign=hostile[initiator]["campaign"] if label and initiator in hostile
            else None,
            messages=[Message(id=f"m{r[1]}", body=r[4], subject=r[3] or "", sender=str(initiator), sent_at=r[0],
                              conversation=str(conv), direction=Direction.INCOMING) for r in mine]))
    return threads
