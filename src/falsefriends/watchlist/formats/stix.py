"""STIX 2.1 bundle import: identity, threat-actor and user-account objects become watchlist entries.

- `identity` with `identity_class: individual` is a persona; `organization` (and `class`, `group`) an
  organisation; other classes are skipped.
- `threat-actor` is a persona, or an organisation when its `threat_actor_types` say `nation-state` or
  `crime-syndicate`; its `aliases` are kept.
- `user-account` becomes an identifier (its `account_type` says which: linkedin, wechat, telegram, ...) of the
  entry a `relationship` links it to, or an account entry of its own.
- Provenance comes from `external_references` (source name, URL, description), else from the identity that
  created the object (`created_by_ref`), else from the import defaults; the TLP of its `object_marking_refs`
  (TLP 1.0 or 2.0 marking definitions) is kept in the provenance's note; `confidence` (0-100) is kept,
  `first_seen`/`last_seen` too. A custom `x_falsefriends_front: false` marks a real institution (or, in a
  falsefriends share, an employer a persona claimed that is not asserted to be a front).
- A relationship between a persona and an organisation makes that organisation the persona's claimed
  employer (`employer_is_front` from the organisation's front flag), so the name counts only together with
  that employer, as for the bundled list.

Errors name the object and its line in the file. Only the listed types are read; every other object
(indicators, malware, ...) is ignored.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from falsefriends.watchlist.entries import Entry, EntryKind, IdentifierKind, Provenance, Status, Watchlist
from falsefriends.watchlist.formats.defaults import ImportDefaults, make_id
from falsefriends.watchlist.formats.errors import ImportProblem, WatchlistFormatError, describe_validation

_ACCOUNT_TYPES = {
    "linkedin": IdentifierKind.PROFILE_URL, "wechat": IdentifierKind.WECHAT, "weixin": IdentifierKind.WECHAT,
    "telegram": IdentifierKind.TELEGRAM, "whatsapp": IdentifierKind.WHATSAPP, "signal": IdentifierKind.SIGNAL,
    "skype": IdentifierKind.SKYPE, "phone": IdentifierKind.PHONE,
}
_STATUS_WORDS = {s.value: s for s in Status}


def _line_of(text: str, object_id: str) -> int:
    match = re.search(r'"id"\s*:\s*"' + re.escape(object_id) + '"', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _tlp_note(obj: dict[str, Any]) -> str:
    from falsefriends.share.tlp import TLP_BY_MARKING

    names = [TLP_BY_MARKING[m] for m in obj.get("object_marking_refs") or [] if m in TLP_BY_MARKING]
    return f"TLP:{names[0].upper()}" if names else ""


def _provenance(obj: dict[str, Any], identities: dict[str, str], defaults: ImportDefaults) -> list[Provenance]:
    status = _STATUS_WORDS.get(str(obj.get("x_falsefriends_status", "")), defaults.status)
    created = str(obj.get("created", ""))[:10] or defaults.date
    tlp = _tlp_note(obj)
    found = []
    for ref in obj.get("external_references") or []:
        if not isinstance(ref, dict) or not ref.get("source_name"):
            continue
        found.append(Provenance(source=str(ref["source_name"]), status=status, date=created,
                                urls=(str(ref["url"]),) if ref.get("url") else (),
                                title=str(ref.get("description", "")), note=tlp))
    if not found and obj.get("created_by_ref") in identities:
        found.append(Provenance(source=identities[obj["created_by_ref"]], status=status, date=created, note=tlp))
    if not found:
        found.append(defaults.provenance().model_copy(update={"note": tlp}) if tlp else defaults.provenance())
    return found


def load_stix(text: str, path: str = "<stix>", defaults: ImportDefaults | None = None) -> Watchlist:
    """Read a STIX 2.1 bundle (see the module docstring); raises `WatchlistFormatError` on bad objects."""
    defaults = defaults or ImportDefaults()
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as error:
        raise WatchlistFormatError([ImportProblem(path, error.lineno, f"not valid JSON: {error.msg}")]) from None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        raise WatchlistFormatError([ImportProblem(path, 1, "expected a STIX 2.1 bundle with an 'objects' list")])
    objects = [o for o in bundle["objects"] if isinstance(o, dict)]
    identities = {str(o.get("id")): str(o.get("name", "")) for o in objects if o.get("type") == "identity"}
    problems: list[ImportProblem] = []
    records: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    taken: set[str] = set()
    accounts: dict[str, dict[str, Any]] = {}
    for obj in objects:
        kind_name, object_id = obj.get("type"), str(obj.get("id", ""))
        line = _line_of(text, object_id) if object_id else 1
        where = f"{kind_name} {object_id[:80] or '(no id)'}"
        try:
            if kind_name == "user-account":
                if not (obj.get("user_id") or obj.get("account_login")):
                    raise ValueError("user-account needs user_id or account_login")
                accounts[object_id] = obj
                continue
            if kind_name == "identity":
                cls = str(obj.get("identity_class", "")).lower()
                if cls == "individual":
                    kind = EntryKind.PERSONA
                elif cls in ("organization", "class", "group"):
                    kind = EntryKind.ORGANISATION
                else:
                    continue
                # the identity that merely authored the bundle is a source, not a watchlist entry
                if any(o.get("created_by_ref") == object_id for o in objects) and not obj.get("x_falsefriends_kind"):
                    continue
            elif kind_name == "threat-actor":
                types = {str(t) for t in obj.get("threat_actor_types") or []}
                kind = EntryKind.ORGANISATION if types & {"nation-state", "crime-syndicate"} else EntryKind.PERSONA
            else:
                continue
            if obj.get("x_falsefriends_kind"):
                kind = EntryKind(str(obj["x_falsefriends_kind"]))
            name = str(obj.get("name") or "")
            if not name:
                raise ValueError("missing 'name'")
            confidence = obj.get("confidence")
            record: dict[str, Any] = {
                "id": make_id("persona" if kind is EntryKind.PERSONA else "org", name, taken), "kind": kind,
                "name": name, "aliases": [str(a) for a in obj.get("aliases") or [] if str(a) != name],
                "role": ", ".join(str(r) for r in obj.get("roles") or []),
                "note": str(obj.get("description", ""))[:2000],
                "provenance": _provenance(obj, identities, defaults),
                "first_seen": _date(obj.get("first_seen")), "last_seen": _date(obj.get("last_seen")),
                "front": obj.get("x_falsefriends_front", True) is not False,
            }
            if isinstance(confidence, int | float) and 0 < confidence <= 100:
                record["confidence"] = confidence / 100.0
            records[object_id] = record
            lines[object_id] = line
        except (ValueError, TypeError) as error:
            problems.append(ImportProblem(path, line, f"{where}: {str(error)[:300]}"))
    linked: set[str] = set()
    for obj in objects:
        if obj.get("type") != "relationship":
            continue
        ends = (str(obj.get("source_ref")), str(obj.get("target_ref")))
        _claimed_employer(records, *ends)
        for account_ref, owner_ref in (ends, ends[::-1]):
            if account_ref in accounts and owner_ref in records:
                records[owner_ref].setdefault("identifiers", []).append(_identifier(accounts[account_ref]))
                linked.add(account_ref)
    for account_id, obj in accounts.items():
        if account_id in linked:
            continue
        identifier = _identifier(obj)
        records[account_id] = {"id": make_id("account", identifier["value"], taken), "kind": EntryKind.ACCOUNT,
                               "name": str(obj.get("display_name", "")), "identifiers": [identifier],
                               "provenance": _provenance(obj, identities, defaults)}
        lines[account_id] = _line_of(text, account_id)
    entries = []
    for object_id, record in records.items():
        try:
            entries.append(Entry.model_validate(record))
        except ValidationError as error:
            problems.append(ImportProblem(path, lines[object_id], f"{object_id[:80]}: {describe_validation(error)}"))
    if problems:
        raise WatchlistFormatError(sorted(problems, key=lambda p: p.line))
    return Watchlist(entries=tuple(entries))


def _claimed_employer(records: dict[str, dict[str, Any]], one: str, other: str) -> None:
    """A relationship between a persona and an organisation: the organisation is the employer it claimed."""
    for persona_ref, org_ref in ((one, other), (other, one)):
        persona, org = records.get(persona_ref), records.get(org_ref)
        if persona and org and persona["kind"] is EntryKind.PERSONA and org["kind"] is EntryKind.ORGANISATION \
                and not persona.get("employer"):
            persona["employer"] = org["name"]
            persona["employer_is_front"] = bool(org["front"])


def _identifier(obj: dict[str, Any]) -> dict[str, Any]:
    kind = _ACCOUNT_TYPES.get(str(obj.get("account_type", "")).lower(), IdentifierKind.HANDLE)
    value = str(obj.get("user_id") or obj.get("account_login"))
    if kind is IdentifierKind.PROFILE_URL and "/" not in value:
        kind = IdentifierKind.HANDLE
    return {"kind": kind, "value": value}
