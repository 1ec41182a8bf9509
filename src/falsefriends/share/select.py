"""What an export shares: personas and campaigns of an audit at or above a level, without staff.

Staff never leave the organisation: an export carries counts of staff approached, never their ids, names,
profile URLs or export files, and every text that does leave (names, headlines, evidence excerpts,
templates) is scrubbed with the audit's pseudonymiser first (a staff name quoted in a message becomes a
`staff-...` pseudonym under a key that is thrown away).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

NAMESPACE = uuid.UUID("3f6f5a52-8d0e-5d1c-9b8a-6e1f0c2d7a41")
"""The project's namespace for deterministic ids (uuid5): the same persona or campaign gets the same id in
every export, so a re-export updates what a receiver holds instead of duplicating it."""

LEVELS = ("high", "medium")
TLPS = ("clear", "green", "amber", "amber+strict", "red")
MAX_EVIDENCE = 12
_RANK = {"low": 0, "medium": 1, "high": 2}


def stable_uuid(*parts: str) -> str:
    """A deterministic UUID (v5) from the project namespace and the parts."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


class ShareError(ValueError):
    """The findings or the options cannot make an export (unknown campaign, bad level or TLP)."""


class ShareNotFound(ShareError):
    """The campaign or account asked for is not in the findings (at that level)."""


@dataclass(frozen=True)
class SharedEvidence:
    rule: str
    indicator: str
    weight: float
    reason: str
    excerpt: str


@dataclass(frozen=True)
class SharedPersona:
    key: str
    name: str
    headline: str
    employer: str
    url: str | None
    score: float
    level: str
    indicators: tuple[str, ...]
    evidence: tuple[SharedEvidence, ...]
    staff_approached: int
    campaign: str | None
    first_contact: str | None
    last_contact: str | None

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.rule for e in self.evidence))


@dataclass(frozen=True)
class SharedTemplate:
    id: str
    campaign: str
    level: str
    text: str
    reached: int

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the template's folded, masked text (what the STIX indicator's pattern names)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SharedCampaign:
    id: str
    level: str
    score: float
    personas: tuple[str, ...]
    staff_targeted: int
    rules: tuple[str, ...]
    templates: tuple[str, ...]
    first_contact: str | None
    last_contact: str | None


@dataclass(frozen=True)
class Share:
    """Everything one export carries."""

    producer: str
    tlp: str
    level: str
    generated_at: datetime
    personas: tuple[SharedPersona, ...] = ()
    campaigns: tuple[SharedCampaign, ...] = ()
    templates: tuple[SharedTemplate, ...] = ()
    selection: str = ""
    organisations: tuple[str, ...] = field(default=())


def _staff_scrubber(findings: Mapping[str, Any]) -> Any:
    from falsefriends.audit.pseudonym import Pseudonymiser
    from falsefriends.model import StaffMember

    staff = [StaffMember(staff_id=str(s.get("staff_id", "")), name=str(s.get("name") or ""),
                         profile_url=s.get("profile_url") or None)
             for s in findings.get("staff", []) if s.get("staff_id")]
    # a throw-away key: the receiver must not be able to link pseudonyms across exports either
    return Pseudonymiser(staff, secrets.token_bytes(32))


def _when(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime(1970, 1, 1, tzinfo=UTC)


def select_share(findings: Mapping[str, Any], level: str = "high", campaign: str | None = None,
                 account: str | None = None, tlp: str = "amber", producer: str = "falsefriends workspace"
                 ) -> Share:
    """The personas (and their campaigns and templates) of `findings` at or above `level`."""
    if level not in LEVELS:
        raise ShareError(f"level must be one of {', '.join(LEVELS)}")
    if tlp not in TLPS:
        raise ShareError(f"tlp must be one of {', '.join(TLPS)}")
    scrub = _staff_scrubber(findings)
    floor = _RANK[level]
    campaigns = {str(c.get("id")): c for c in findings.get("campaigns", []) if c.get("id")}
    if campaign is not None and campaign not in campaigns:
        raise ShareNotFound(f"no campaign {campaign!r} in these findings")
    chosen = campaigns[campaign] if campaign else None
    personas = []
    for item in findings.get("accounts", []):
        if _RANK.get(str(item.get("level")), 0) < floor:
            continue
        if chosen is not None and item.get("account") not in chosen.get("accounts", []):
            continue
        if account is not None and item.get("account") != account:
            continue
        personas.append(_persona(item, scrub))
    if account is not None and not personas:
        raise ShareNotFound(f"no account {account!r} at level {level} or above in these findings")
    keys = {p.key for p in personas}
    shared_campaigns, templates = _campaigns(campaigns.values(), keys, floor, scrub)
    organisations = tuple(dict.fromkeys(p.employer for p in personas if p.employer))
    selection = f"level={level};campaign={campaign or ''};account={account or ''}"
    return Share(producer=producer, tlp=tlp, level=level, generated_at=_when(findings.get("generated_at")),
                 personas=tuple(personas), campaigns=tuple(shared_campaigns), templates=tuple(templates),
                 selection=selection, organisations=organisations)


def _persona(item: Mapping[str, Any], scrub: Any) -> SharedPersona:
    evidence = sorted((e for e in item.get("evidence", []) if float(e.get("weight") or 0) > 0),
                      key=lambda e: -float(e.get("weight") or 0))
    seen: set[str] = set()
    kept = []
    for e in evidence:
        if e.get("rule") in seen:
            continue
        seen.add(str(e.get("rule")))
        kept.append(SharedEvidence(rule=str(e.get("rule", "")), indicator=str(e.get("indicator", "")),
                                   weight=float(e.get("weight") or 0), reason=scrub.text(str(e.get("reason") or "")),
                                   excerpt=scrub.text(str(e.get("excerpt") or ""))))
    url = item.get("url") or None
    return SharedPersona(
        key=str(item["account"]), name=scrub.text(str(item.get("name") or ""), "name"),
        headline=scrub.text(str(item.get("headline") or ""), "headline"),
        employer=scrub.text(str(item.get("employer") or ""), "employer"), url=scrub.text(url) if url else None,
        score=float(item.get("score") or 0), level=str(item.get("level")),
        indicators=tuple(str(i) for i in item.get("indicators", [])), evidence=tuple(kept[:MAX_EVIDENCE]),
        staff_approached=len(item.get("staff_approached", [])), campaign=item.get("campaign"),
        first_contact=item.get("first_contact"), last_contact=item.get("last_contact"))


def _campaigns(campaigns: Sequence[Mapping[str, Any]] | Any, keys: set[str], floor: int, scrub: Any
               ) -> tuple[list[SharedCampaign], list[SharedTemplate]]:
    out: list[SharedCampaign] = []
    templates: list[SharedTemplate] = []
    for item in campaigns:
        members = tuple(k for k in item.get("accounts", []) if k in keys)
        if not members or _RANK.get(str(item.get("level")), 0) < floor:
            continue
        cid, level = str(item["id"]), str(item.get("level"))
        records = [t for t in item.get("template_records", []) if t.get("text")]
        for record in records:
            templates.append(SharedTemplate(id=str(record.get("id")), campaign=cid, level=level,
                                            text=scrub.text(str(record["text"])),
                                            reached=int(record.get("reached") or 0)))
        rules = tuple(dict.fromkeys(str(e.get("rule")) for e in item.get("evidence", [])
                                    if float(e.get("weight") or 0) > 0))
        out.append(SharedCampaign(id=cid, level=level, score=float(item.get("score") or 0), personas=members,
                                  staff_targeted=len(item.get("staff_targeted", [])), rules=rules,
                                  templates=tuple(str(t.get("id")) for t in records),
                                  first_contact=item.get("first_contact"), last_contact=item.get("last_contact")))
    return out, templates
