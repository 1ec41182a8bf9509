"""Builds a simulated organisation: staff, their ordinary network, genuine hard negatives and campaigns.

Everything is drawn from one seeded random stream in a fixed order, so the same seed gives the
same world. The result is an `OrganisationWorld` that `export_writer` writes as LinkedIn exports
and `truth` writes as the ground-truth file.
"""

from __future__ import annotations

import base64
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from falsefriends.simulate.banks import Banks, default_banks
from falsefriends.simulate.compose import as_html, fee, invite_idea, letter, phone, vary
from falsefriends.simulate.people import Person, PersonName, draw_name, profile_url, slugify
from falsefriends.simulate.records import (
    Campaign,
    ExportStyle,
    SimInvitation,
    SimMessage,
    Staff,
    StaffOutcome,
)

GENERATOR_VERSION = "org-world-v2"
WORLD_START = datetime(2024, 6, 1, tzinfo=UTC)
WORLD_END = datetime(2026, 1, 31, tzinfo=UTC)
EXTRA_FILES = ("Skills.csv", "Ad_Targeting.csv", "Education.csv", "Email Addresses.csv",
               "Endorsement_Received_Info.csv", "Recommendations_Received.csv", "PhoneNumbers.csv")
# Public persona names are common names real people carry: some genuine contacts carry them too.
NAMESAKES = (("Jason", "Wang"), ("Alex", "Li"), ("Rachel", "Li"), ("Michael", "Yang"))


@dataclass(frozen=True)
class OrganisationParameters:
    """The knobs of an organisation world (written into truth.json)."""

    staff: int
    seed: int
    campaigns: int
    p_accept: float = 0.4
    p_reply: float = 0.55
    p_off_platform: float = 0.5
    languages: tuple[str, ...] = ("en", "fr", "de")
    # Each persona writes in its own language (campaigns of two or three personas, in two or three
    # languages), the campaign's texts translations of one another (the banks' entries of one index).
    multilingual: bool = False


@dataclass
class OrganisationWorld:
    params: OrganisationParameters
    staff: list[Staff]
    campaigns: list[Campaign]
    messages: list[SimMessage] = field(default_factory=list)
    invitations: list[SimInvitation] = field(default_factory=list)
    connections: dict[str, list[tuple[Person, date]]] = field(default_factory=lambda: defaultdict(list))
    outcomes: dict[str, StaffOutcome] = field(default_factory=lambda: defaultdict(StaffOutcome))
    people: dict[str, Person] = field(default_factory=dict)


def default_campaign_count(staff: int) -> int:
    return max(3, min(12, staff // 40))


class _Builder:
    """Holds the random stream and counters while a world is being built."""

    def __init__(self, params: OrganisationParameters, banks: Banks) -> None:
        self.params = params
        self.banks = banks
        self.rng = random.Random(params.seed)
        self.world = OrganisationWorld(params=params, staff=[], campaigns=[])
        self._ids = 0
        self.staff_by_url: dict[str, Staff] = {}
        # Bank entries (idea -> indices) that a campaign of this world already sends (multilingual worlds).
        self.used_entries: dict[str, set[int]] = defaultdict(set)

    # -- identities -------------------------------------------------------------------------
    def next_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}-{self._ids:06d}"

    def conversation_id(self) -> str:
        raw = self.rng.getrandbits(192).to_bytes(24, "big")
        return "2-" + base64.b64encode(raw).decode("ascii")

    def person(self, company: str, position: str, kind: str, language: str | None = None,
               name: PersonName | None = None) -> Person:
        name = name or draw_name(self.banks, self.rng)
        lang = language or self.rng.choices(self.params.languages, weights=(5, 3, 3)[: len(self.params.languages)])[0]
        person = Person(name=name, url=profile_url(name, self.rng), company=company, position=position,
                        kind=kind, language=lang)
        self.world.people[person.url] = person
        return person

    def moment(self, after: datetime | None = None, within_days: float = 600) -> datetime:
        start = after or WORLD_START
        span = min(within_days * 86400, max((WORLD_END - start).total_seconds(), 3600))
        return min(start + timedelta(seconds=self.rng.uniform(60, span)), WORLD_END).replace(microsecond=0)

    def values(self, sender: Person, recipient: Staff | Person, reply_to: Person | None = None) -> dict[str, str]:
        """Placeholder values; `reply_to` is the person a staff member answers (their name is greeted)."""
        r_person = recipient.person if isinstance(recipient, Staff) else recipient
        dept = recipient.department if isinstance(recipient, Staff) else "computing"
        topics = self.banks.world["departments"][dept]["topics"]
        lang = sender.language
        dept_label = self.banks.world["department_labels"].get(lang, {}).get(dept, dept)
        return {
            "first": (reply_to or r_person).first, "me": sender.first, "org": sender.company,
            "role": sender.position, "topic": self.rng.choice(topics), "dept": dept_label, "fee": fee(self.rng, lang),
            "salary": fee(self.rng, lang, salary=True),
            "city": self.rng.choice(self.banks.world["cities"]), "app": self.rng.choice(self.banks.world["apps"]),
            "days": str(self.rng.choice([2, 3, 5, 7])), "pages": str(self.rng.choice([4, 6, 8, 10])),
            "handle": phone(self.rng), "org_slug": slugify(sender.company)[:20],
            "conf": sender.extra.get("event", sender.company),
            "repo": sender.extra.get("repo", ""),
        }

    # -- conversation primitives ------------------------------------------------------------
    def invite(self, sender: Person, recipient: Person, at: datetime, note: str, accepted: bool,
               campaign: str | None = None, stage: str | None = None, lure: bool = False) -> SimInvitation:
        inv = SimInvitation(id=self.next_id("inv"), sender=sender, recipient=recipient, at=at, note=note,
                            accepted=accepted, campaign=campaign, stage=stage, lure=lure)
        self.world.invitations.append(inv)
        if accepted:
            connected = (at + timedelta(hours=self.rng.uniform(1, 120))).date()
            self.connect(sender, recipient, connected)
        return inv

    def connect(self, a: Person, b: Person, on: date) -> None:
        if a.url in self.staff_by_url:
            self.world.connections[a.url].append((b, on))
        if b.url in self.staff_by_url:
            self.world.connections[b.url].append((a, on))

    def say(self, conversation: str, sender: Person, recipients: tuple[Person, ...], at: datetime, content: str,
            title: str = "", subject: str = "", folder: str = "INBOX", sender_label: str = "",
            campaign: str | None = None, stage: str | None = None, lure: bool = False) -> SimMessage:
        if self.rng.random() < 0.12:
            content = as_html(content, self.rng)
        msg = SimMessage(id=self.next_id("msg"), conversation=conversation, title=title, sender=sender,
                         recipients=recipients, at=at, content=content, subject=subject, folder=folder,
                         sender_label=sender_label, campaign=campaign, stage=stage, lure=lure)
        self.world.messages.append(msg)
        return msg

    def later(self, at: datetime, low_hours: float = 2, high_hours: float = 240) -> datetime:
        # Clamped to the end of the world: everything happens before the exports are downloaded.
        moment = at + timedelta(hours=self.rng.uniform(low_hours, high_hours))
        return min(moment, WORLD_END + timedelta(seconds=self.rng.randrange(0, 600))).replace(microsecond=0)


def _export_style(rng: random.Random) -> ExportStyle:
    version = rng.choices(["2022", "2024", "2025"], weights=(2, 3, 5))[0]
    exported = (WORLD_END + timedelta(days=rng.randrange(1, 20))).date()
    subfolder = f"Basic_LinkedInDataExport_{exported:%m-%d-%Y}/" if rng.random() < 0.3 else ""
    messages_name = "Messages.csv" if version == "2022" and rng.random() < 0.5 else "messages.csv"
    extras = tuple(sorted(rng.sample(EXTRA_FILES, rng.randrange(0, 4))))
    return ExportStyle(version=version, bom=rng.random() < 0.25, subfolder=subfolder, messages_name=messages_name,
                       extras=extras, exported_on=exported, html_share=0.12)


def _build_staff(b: _Builder) -> None:
    depts = b.banks.world["departments"]
    names = sorted(depts)
    for i in range(b.params.staff):
        dept = b.rng.choice(names)
        weights = depts[dept]["sector_weights"]
        sector = b.rng.choices(["state", "business"], weights=(weights["state"], weights["business"]))[0]
        employer = b.rng.choice(b.banks.world["employers"][sector])
        title = b.rng.choice(depts[dept]["titles"])
        person = b.person(employer, title, "staff")
        staff_id = f"S{i + 1:05d}"
        style = _export_style(b.rng)
        export_file = f"{staff_id}_linkedin_export_{style.exported_on:%Y%m%d}"
        staff = Staff(staff_id=staff_id, person=person, department=dept, sector=sector, export_file=export_file,
                      style=style)
        b.world.staff.append(staff)
        b.staff_by_url[person.url] = staff


def _build_ordinary_network(b: _Builder) -> None:
    """Colleagues connected to colleagues, outside contacts shared between staff, and small talk."""
    staff = b.world.staff
    rng = b.rng
    for s in staff:
        for other in rng.sample(staff, min(len(staff) - 1, rng.randrange(3, 15))):
            if other is s or other.staff_id < s.staff_id:
                continue
            note = b.banks.pick(rng, s.person.language, "genuine", "colleague_note")
            at = b.moment()
            values = b.values(s.person, other)
            b.invite(s.person, other.person, at, letter(b.banks, rng, s.person.language, note, values, 0.3, 0.1)
                     if note else "", accepted=rng.random() < 0.92)
            if rng.random() < 0.25:
                conv = b.conversation_id()
                t = b.later(at, 24, 2000)
                for turn in range(rng.randrange(1, 4)):
                    speaker, listener = (s, other) if turn % 2 == 0 else (other, s)
                    text = b.banks.pick(rng, speaker.person.language, "genuine",
                                        "colleague_chat" if turn == 0 else "staff_reply_generic")
                    b.say(conv, speaker.person, (listener.person,), t,
                          letter(b.banks, rng, speaker.person.language, text, b.values(speaker.person, listener), 0.3,
                                 0.2))
                    t = b.later(t, 0.1, 30)
    # A few group conversations among colleagues (several recipient URLs).
    for _ in range(max(1, len(staff) // 25)):
        group = rng.sample(staff, min(len(staff), rng.randrange(3, 6)))
        conv, t = b.conversation_id(), b.moment()
        title = rng.choice(["Team offsite", "Budget review", "Projet commun", "Arbeitsgruppe"])
        for turn in range(rng.randrange(2, 5)):
            speaker = group[turn % len(group)]
            others = tuple(g.person for g in group if g is not speaker)
            text = b.banks.pick(rng, speaker.person.language, "genuine", "colleague_chat")
            b.say(conv, speaker.person, others, t, letter(b.banks, rng, speaker.person.language, text,
                                                          b.values(speaker.person, group[0]), 0.2, 0.1), title=title)
            t = b.later(t, 0.2, 48)

    # Outside contacts: a shared pool, so staff have mutual connections as in real networks.
    pool: list[Person] = []
    for _ in range(max(20, int(len(staff) * 1.5))):
        pool.append(b.person(rng.choice(b.banks.world["contact_employers"]),
                             rng.choice(["Engineer", "Manager", "Analyst", "Professor", "Consultant", "Director",
                                         "Researcher", "Product Owner", "Lawyer", "Account Manager"]), "contact"))
    for contact in pool:
        # Email is mostly empty in Connections.csv: only contacts who allow it show one.
        if rng.random() < 0.06:
            contact.email = f"{slugify(contact.full.split(',')[0]) or 'contact'}@example.net"
    for first, last in NAMESAKES:  # namesakes of public personas at ordinary employers: names prove nothing
        pool.append(b.person(rng.choice(b.banks.world["contact_employers"]), "Software Engineer", "contact",
                             name=PersonName(first, last)))
    for s in staff:
        for contact in rng.sample(pool, min(len(pool), rng.randrange(8, 40))):
            at = b.moment(WORLD_START - timedelta(days=2000), 2500)
            if rng.random() < 0.85:
                b.connect(s.person, contact, at.date())
            else:
                b.invite(contact, s.person, at, "", accepted=False)
            if rng.random() < 0.08:
                conv, t = b.conversation_id(), b.moment()
                text = b.banks.pick(rng, contact.language, "genuine", "contact_chat")
                b.say(conv, contact, (s.person,), t, letter(b.banks, rng, contact.language, text,
                                                           b.values(contact, s), 0.4, 0.3))
                if rng.random() < 0.6:
                    reply = b.banks.pick(rng, s.person.language, "genuine", "staff_reply_generic")
                    b.say(conv, s.person, (contact,), b.later(t, 1, 72), reply)
        # Outgoing pending requests from staff.
        if rng.random() < 0.3:
            b.invite(s.person, rng.choice(pool), b.moment(datetime(2025, 10, 1, tzinfo=UTC)), "", accepted=False)
        # Platform system messages and sponsored InMail.
        for _ in range(rng.randrange(0, 3)):
            kind = rng.choice(["system", "sponsored_inmail"])
            sender = _SYSTEM if kind == "system" else _sponsor(b)
            text = b.banks.pick(rng, "en", "genuine", kind)
            if kind == "sponsored_inmail":
                # Sponsored InMail carries links and markup in the exported content.
                link = "https://www.example.com/offer?utm_source=linkedin&amp;utm_medium=inmail"
                text += f' <a href="{link}">Learn more</a>'

            b.say(b.conversation_id(), sender, (s.person,), b.moment(), letter(b.banks, rng, "en", text,
                                                                              b.values(sender, s), 0.0, 0.0),
                  title="Sponsored Conversation" if kind != "system" else "",
                  subject="" if kind == "system" else "An opportunity for you",
                  sender_label="LinkedIn" if kind == "system" else sender.company)


_SYSTEM = Person(name=PersonName("LinkedIn", ""), url="", company="LinkedIn", position="", kind="system")


def _sponsor(b: _Builder) -> Person:
    company = b.rng.choice(b.banks.world["vendors"] + b.banks.world["conferences"])
    return Person(name=PersonName(company, ""), url="", company=company, position="", kind="sponsored")


_GENUINE_KINDS = {
    # kind: (organisations key, titles, note idea, first offer ideas, follow-up idea, count per 100 staff)
    "recruiter": ("recruiters", ["Senior Recruiter", "Talent Partner", "Executive Search Consultant", "Headhunter"],
                  "recruiter_note", ["recruiter_offer", "recruiter_pushy"], "recruiter_followup", 9),
    "conference": ("conferences", ["Programme Chair", "Conference Producer", "Speaker Manager"],
                   None, ["conference_invite"], "conference_followup", 4),
    "expert": ("expert_networks", ["Research Associate", "Client Service Associate", "Project Manager"],
               None, ["expert_network"], None, 4),
    "sales": ("vendors", ["Account Executive", "Business Development Manager", "Sales Director"],
              None, ["sales"], None, 4),
    "journalist": ("media", ["Reporter", "Correspondent", "Editor"], None, ["journalist"], None, 3),
}


def _build_hard_negatives(b: _Builder) -> None:
    """Genuine senders of paid offers, travel, urgency and unnamed clients: the hard negatives."""
    rng = b.rng
    staff = b.world.staff
    for kind, (orgs, titles, note_idea, offer_ideas, follow_idea, per100) in _GENUINE_KINDS.items():
        for _ in range(max(2, round(len(staff) * per100 / 100))):
            sender = b.person(rng.choice(b.banks.world[orgs]), rng.choice(titles), kind)
            if kind == "conference":
                sender.extra["event"] = sender.company
            lang = sender.language
            # Genuine senders reuse their own templates too: real recruiters send standard texts.
            offer_template = b.banks.pick(rng, lang, "genuine", rng.choice(offer_ideas))
            note_template = b.banks.pick(rng, lang, "genuine", note_idea) if note_idea else ""
            for target in rng.sample(staff, min(len(staff), rng.randrange(2, 14))):
                at = b.moment()
                values = b.values(sender, target)
                offer = letter(b.banks, rng, lang, vary(offer_template, rng), values)
                if kind in ("recruiter", "conference") or rng.random() < 0.4:
                    note = letter(b.banks, rng, lang, vary(note_template or offer_template, rng), values, 0.5, 0.2)
                    accepted = rng.random() < 0.55
                    b.invite(sender, target.person, at, note[:300], accepted)
                    if not accepted:
                        continue
                    conv = b.conversation_id()
                    b.say(conv, sender, (target.person,), at, note[:300])
                    t = b.later(at)
                    b.say(conv, sender, (target.person,), t, offer)
                else:
                    conv = b.conversation_id()
                    t = at
                    b.say(conv, sender, (target.person,), t, offer,
                          subject=rng.choice(["Opportunity", "Quick question", "Invitation", ""]),
                          folder=rng.choice(["INBOX", "INBOX", "ARCHIVED"]))
                if rng.random() < 0.5:
                    idea = rng.choice(["staff_reply_interested", "staff_reply_decline"])
                    t = b.later(t)
                    b.say(conv, target.person, (sender,), t,
                          letter(b.banks, rng, target.person.language,
                                 b.banks.pick(rng, target.person.language, "genuine", idea),
                                 b.values(target.person, target, sender), 0.3, 0.3))
                    if idea == "staff_reply_interested" and follow_idea:
                        t = b.later(t)
                        b.say(conv, sender, (target.person,), t,
                              letter(b.banks, rng, lang, b.banks.pick(rng, lang, "genuine", follow_idea),
                                     b.values(sender, target), 0.4, 0.5))


_PLAYBOOKS = {
    # front kind -> playbooks it runs
    "think-tank": ["paid-notes", "trip"],
    "consultancy": ["paid-notes", "consulting-job"],
    "headhunter": ["consulting-job", "paid-notes"],
    "association": ["trip", "paid-notes"],
    "tech-employer": ["technical-assessment"],
}
_OFFER_IDEA = {"paid-notes": "offer_paid_notes", "trip": "offer_trip", "consulting-job": "offer_job",
               "technical-assessment": "assessment_invite"}


def _build_campaigns(b: _Builder) -> None:
    rng = b.rng
    fronts = list(b.banks.world["new_fronts"])
    public = list(b.banks.world["public_fronts"])
    rng.shuffle(fronts)
    rng.shuffle(public)
    for index in range(b.params.campaigns):
        # About one campaign in four reuses a publicly named front; most fronts are new.
        use_public = public and (index % 4 == 3)
        front = public.pop() if use_public else fronts[index % len(fronts)]
        kind = front["kind"]
        if index % 5 == 4 and not use_public:
            kind = "tech-employer"
            employers = [f for f in b.banks.world["new_fronts"] if f["kind"] == "tech-employer"]
            front = {"name": rng.choice(employers)["name"], "kind": kind}
        playbook = rng.choice(_PLAYBOOKS[kind])
        lang = b.params.languages[index % len(b.params.languages)]
        campaign = Campaign(id=f"campaign-{index + 1:02d}", playbook=playbook, front=front["name"], front_kind=kind,
                            front_public=bool(use_public), language=lang)
        # Standardised texts: one template per stage for the whole campaign.
        if b.params.multilingual:
            campaign.translations = _translated_templates(b, playbook)
            campaign.templates = campaign.translations[lang]
        else:
            campaign.templates = {
                "invite": b.banks.pick(rng, lang, "hostile", invite_idea(playbook, rng)),
                "offer": b.banks.pick(rng, lang, "hostile", _OFFER_IDEA[playbook]),
                "move": b.banks.pick(rng, lang, "hostile", "move_off_platform"),
                "request": b.banks.pick(rng, lang, "hostile", "request_notes"),
                "cv": b.banks.pick(rng, lang, "hostile", "request_cv_contacts"),
                "followup": b.banks.pick(rng, lang, "hostile", "assessment_followup"),
            }
        roles = b.banks.world["persona_roles"][kind]
        languages = b.params.languages
        first = languages.index(lang) if lang in languages else 0
        for number in range(rng.randrange(1, 4)):
            persona_lang = languages[(first + number) % len(languages)] if b.params.multilingual else lang
            persona = b.person(front["name"], rng.choice(roles), "persona", language=persona_lang)
            persona.campaign = campaign.id
            if playbook == "technical-assessment":
                host = rng.choice(b.banks.world["repo_hosts"])
                task = f"interview-task-{rng.randrange(100, 999)}"
                persona.extra["repo"] = f"https://{host}/{slugify(front['name'])}-dev/{task}"
            campaign.personas.append(persona)
        b.world.campaigns.append(campaign)
        for persona in campaign.personas:
            _run_persona(b, campaign, persona)


# Entries of one index translate each other in the phrase banks (en, fr, de) for these ideas; the English bank
# has extra entries at the end of some lists, so only indices present in every language are used.
def _translated_templates(b: _Builder, playbook: str) -> dict[str, dict[str, str]]:
    rng = b.rng
    ideas = {"invite": "invite_note_recruiter" if playbook == "technical-assessment" else "invite_note",
             "offer": _OFFER_IDEA[playbook], "move": "move_off_platform", "request": "request_notes",
             "cv": "request_cv_contacts", "followup": "assessment_followup"}
    out: dict[str, dict[str, str]] = {lang: {} for lang in b.params.languages}
    for stage, idea in ideas.items():
        count = min(len(b.banks.templates(lang, "hostile", idea)) for lang in b.params.languages)
        # Two operations of one world do not send word for word the same texts (translations of one bank
        # entry): each campaign draws entries no other campaign of the world sends, while the bank has some.
        free = [i for i in range(min(count, 4)) if i not in b.used_entries[idea]] or list(range(min(count, 4)))
        index = rng.choice(free)
        b.used_entries[idea].add(index)
        for lang in b.params.languages:
            out[lang][stage] = b.banks.templates(lang, "hostile", idea)[index]
    return out


def _run_persona(b: _Builder, campaign: Campaign, persona: Person) -> None:
    rng, staff = b.rng, b.world.staff
    start = b.moment(within_days=420)
    # Credibility first: a few quiet connections before the standardised approaches.
    seeds = rng.sample(staff, min(len(staff), rng.randrange(2, 5)))
    t = start
    for s in seeds:
        t = b.later(t, 2, 72)
        note = ""
        if rng.random() < 0.6:
            note = letter(b.banks, rng, persona.language, b.banks.pick(rng, persona.language, "hostile",
                                                                       "invite_note_credibility"),
                          b.values(persona, s), 0.3, 0.3)
        b.invite(persona, s.person, t, note, accepted=True, campaign=campaign.id, stage="credibility", lure=False)
        outcome = b.world.outcomes[s.staff_id]
        outcome.approached_by.add(persona.url)
        outcome.accepted.add(persona.url)
    # Then the standardised approach to unrelated staff across departments.
    n_targets = max(3, int(len(staff) * rng.uniform(0.04, 0.09)))
    pool = [s for s in staff if s not in seeds]
    targets = rng.sample(pool, min(len(pool), n_targets))
    t = b.later(t, 24, 24 * 14)
    for s in targets:
        campaign.targets.append(s.person.url)
        _approach(b, campaign, persona, s, b.later(t, 1, 24 * 30))


def _approach(b: _Builder, campaign: Campaign, persona: Person, s: Staff, at: datetime) -> None:
    rng, lang, p = b.rng, persona.language, b.params
    outcome = b.world.outcomes[s.staff_id]
    outcome.approached_by.add(persona.url)
    tpl = campaign.translations.get(lang, campaign.templates)

    def text(key: str, greet: float = 0.7, sign: float = 0.6) -> str:
        return letter(b.banks, rng, lang, vary(tpl[key], rng), b.values(persona, s), greet, sign)

    note = text("invite", 0.6, 0.4)[:300]
    accepted = rng.random() < p.p_accept
    b.invite(persona, s.person, at, note, accepted, stage="invitation", lure=True, campaign=campaign.id)
    if not accepted:
        return
    outcome.accepted.add(persona.url)
    conv = b.conversation_id()
    b.say(conv, persona, (s.person,), at, note, stage="invitation", lure=True, campaign=campaign.id)
    t = b.later(at, 6, 24 * 6)
    b.say(conv, persona, (s.person,), t, text("offer"), stage="offer", lure=True, campaign=campaign.id)
    if rng.random() >= p.p_reply:
        return
    outcome.replied.add(persona.url)
    declined = rng.random() < 0.3
    idea = "staff_reply_decline" if declined else "staff_reply_interested"
    t = b.later(t, 1, 96)
    b.say(conv, s.person, (persona,), t, letter(b.banks, rng, s.person.language,
                                                b.banks.pick(rng, s.person.language, "genuine", idea),
                                                b.values(s.person, s, persona), 0.3, 0.2))
    if declined:
        return
    t = b.later(t, 1, 48)
    if campaign.playbook == "technical-assessment":
        b.say(conv, persona, (s.person,), t, text("followup", 0.3, 0.3), stage="assessment-follow-up", lure=True,
              campaign=campaign.id)
        if rng.random() < 0.5:
            t = b.later(t, 1, 48)
            b.say(conv, persona, (s.person,), t, text("move", 0.2, 0.2), stage="off-platform", lure=True,
                  campaign=campaign.id)
        return
    b.say(conv, persona, (s.person,), t, text("move", 0.3, 0.3), stage="off-platform", lure=True,
          campaign=campaign.id)
    if rng.random() < 0.4:
        t = b.later(t, 0.2, 12)
        b.say(conv, persona, (s.person,), t, text("cv", 0.0, 0.2), stage="cv-and-contacts", lure=True,
              campaign=campaign.id)
    if rng.random() < p.p_off_platform:
        outcome.off_platform.add(persona.url)
        t = b.later(t, 0.5, 48)
        b.say(conv, s.person, (persona,), t, letter(b.banks, rng, s.person.language,
                                                    b.banks.pick(rng, s.person.language, "genuine",
                                                                 "staff_reply_offplatform"),
                                                    b.values(s.person, s, persona), 0.0, 0.0))
        if rng.random() < 0.5:
            # The conversation went elsewhere; sometimes the persona comes back here with the real request.
            t = b.later(t, 24 * 7, 24 * 60)
            outcome.asked_for_notes.add(persona.url)
            b.say(conv, persona, (s.person,), t, text("request", 0.4, 0.4), stage="request-notes", lure=True,
                  campaign=campaign.id)
        elif rng.random() < 0.5:
            t = b.later(t, 24, 24 * 30)
            small = letter(b.banks, rng, lang, b.banks.pick(rng, lang, "hostile", "small_talk"), b.values(persona, s),
                           0.0, 0.0)
            b.say(conv, persona, (s.person,), t, small, stage="small-talk", lure=False,
                  campaign=campaign.id)


def build_organisation(staff: int, seed: int, campaigns: int | None = None,
                       banks: Banks | None = None, multilingual: bool = False) -> OrganisationWorld:
    """Build an organisation world of `staff` members, deterministic for a seed.

    `multilingual`: each persona of a campaign writes in its own language, the campaign's texts are
    translations of one another (small organisations whose staff are approached in their own language).
    """
    if staff < 5:
        raise ValueError("an organisation world needs at least 5 staff")
    params = OrganisationParameters(staff=staff, seed=seed,
                                    campaigns=campaigns if campaigns is not None else default_campaign_count(staff),
                                    multilingual=multilingual)
    b = _Builder(params, banks or default_banks())
    _build_staff(b)
    _build_ordinary_network(b)
    _build_hard_negatives(b)
    _build_campaigns(b)
    return b.world
