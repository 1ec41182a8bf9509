"""FollowTheMoney entities (the OpenSanctions format): JSON lines of Person, Organization, UserAccount and
Employment entities.

Export writes a persona as `Person`, an organisation as `Organization` (a real institution that personas
claimed gets the note that it is not a front), each handle or profile URL as a `UserAccount` owned by its
entry, and a persona's listed employer as an `Employment`. Provenance goes where FtM has room for it
(`datasets`, `sourceUrl`, `publisher`, `first_seen`/`last_seen`) and, so that a round trip loses nothing, in
full under a `falsefriends` key that other FtM tools ignore. Import reads the same, and plain FtM from
other tools (Company, LegalEntity, PublicBody count as organisations); every bad line is reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import ValidationError

from falsefriends.watchlist.entries import Entry, EntryKind, IdentifierKind, Provenance, Watchlist
from falsefriends.watchlist.formats.defaults import ImportDefaults, make_id
from falsefriends.watchlist.formats.errors import ImportProblem, WatchlistFormatError, describe_validation

ORG_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
_SERVICE_KIND = {
    "linkedin": IdentifierKind.PROFILE_URL, "wechat": IdentifierKind.WECHAT, "weixin": IdentifierKind.WECHAT,
    "telegram": IdentifierKind.TELEGRAM, "whatsapp": IdentifierKind.WHATSAPP, "signal": IdentifierKind.SIGNAL,
    "skype": IdentifierKind.SKYPE,
}
_ACCOUNT_KINDS = frozenset({IdentifierKind.PROFILE_URL, IdentifierKind.HANDLE, IdentifierKind.WECHAT,
                            IdentifierKind.TELEGRAM, IdentifierKind.WHATSAPP, IdentifierKind.SIGNAL,
                            IdentifierKind.SKYPE})


def _service(kind: IdentifierKind) -> str:
    return "linkedin" if kind is IdentifierKind.PROFILE_URL else kind.value


def _entity_props(entry: Entry) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {"name": [entry.name] if entry.name else []}
    aliases = [*entry.aliases, *entry.transliterations]
    if aliases:
        props["alias"] = aliases
    if entry.acronyms:
        props["weakAlias"] = list(entry.acronyms)
    urls = [u for p in entry.provenance for u in p.urls]
    if urls:
        props["sourceUrl"] = list(dict.fromkeys(urls))
    props["publisher"] = list(dict.fromkeys(p.title or p.source for p in entry.provenance))
    notes = [n for n in (entry.role and f"role: {entry.role}", entry.note,
                         "" if entry.front else "a real institution that personas claimed; not a front") if n]
    if notes:
        props["notes"] = notes
    emails = [i.value for i in entry.identifiers if i.kind is IdentifierKind.EMAIL]
    if emails:
        props["email"] = emails
    sites = [i.value for i in entry.identifiers if i.kind is IdentifierKind.WEB_DOMAIN]
    if sites:
        props["website"] = sites
    phones = [i.value for i in entry.identifiers if i.kind is IdentifierKind.PHONE]
    if phones:
        props["phone"] = phones
    return {k: v for k, v in props.items() if v}


def _extension(entry: Entry) -> dict[str, Any]:
    return entry.model_dump(mode="json", include={"kind", "provenance", "confidence", "employer", "employer_is_front",
                                                  "front", "identifiers", "expires", "role", "aliases", "acronyms",
                                                  "transliterations"})


def entities(watchlist: Watchlist) -> Iterable[dict[str, Any]]:
    """FtM entity dicts for every entry (see the module docstring)."""
    by_name = {e.name: e for e in watchlist.entries if e.kind is EntryKind.ORGANISATION}
    for entry in watchlist.entries:
        schema = {EntryKind.PERSONA: "Person", EntryKind.ORGANISATION: "Organization"}.get(entry.kind, "UserAccount")
        base = {
            "datasets": list(dict.fromkeys(p.source for p in entry.provenance)),
            "first_seen": entry.first_seen.isoformat() if entry.first_seen else None,
            "last_seen": entry.last_seen.isoformat() if entry.last_seen else None,
            "target": True, "falsefriends": _extension(entry),
        }
        if schema == "UserAccount":
            first = next((i for i in entry.identifiers if i.kind in _ACCOUNT_KINDS), entry.identifiers[0])
            props = _entity_props(entry)
            props.pop("name", None)
            props.update({"username": [first.value], "service": [_service(first.kind)]})
            yield {"id": entry.id, "schema": schema, "properties": props, **base}
            continue
        yield {"id": entry.id, "schema": schema, "properties": _entity_props(entry), **base}
        for n, identifier in enumerate(i for i in entry.identifiers if i.kind in _ACCOUNT_KINDS):
            yield {"id": f"{entry.id}-account-{n + 1}", "schema": "UserAccount",
                   "properties": {"username": [identifier.value], "service": [_service(identifier.kind)],
                                  "owner": [entry.id]}, "datasets": base["datasets"]}
        employer = by_name.get(entry.employer) if entry.kind is EntryKind.PERSONA else None
        if employer is not None:
            yield {"id": f"{entry.id}-employment", "schema": "Employment",
                   "properties": {"employee": [entry.id], "employer": [employer.id],
                                  "role": [entry.role] if entry.role else []}, "datasets": base["datasets"]}


def dump_ftm(watchlist: Watchlist) -> str:
    """JSON lines of FtM entities."""
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entities(watchlist))


def _first(props: dict[str, Any], key: str) -> str:
    values = props.get(key) or []
    return str(values[0]) if isinstance(values, list) and values else ""


def _strings(props: dict[str, Any], key: str) -> list[str]:
    values = props.get(key) or []
    if not isinstance(values, list):
        raise ValueError(f"property {key!r} must be a list")
    return [str(v) for v in values]


def _date(value: Any) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


def _plain_entry(data: dict[str, Any], defaults: ImportDefaults, taken: set[str]) -> dict[str, Any]:
    schema, props = data["schema"], data.get("properties") or {}
    raw_ext = data.get("falsefriends")
    ext: dict[str, Any] = raw_ext if isinstance(raw_ext, dict) else {}
    kind = EntryKind.PERSONA if schema == "Person" else EntryKind.ORGANISATION
    identifiers = [{"kind": IdentifierKind.EMAIL, "value": v} for v in _strings(props, "email")]
    identifiers += [{"kind": IdentifierKind.WEB_DOMAIN, "value": v} for v in _strings(props, "website")]
    identifiers += [{"kind": IdentifierKind.PHONE, "value": v} for v in _strings(props, "phone")]
    if ext:
        provenance = ext.get("provenance")
    else:
        urls = tuple(_strings(props, "sourceUrl"))
        sources = [str(s) for s in data.get("datasets") or []] or [defaults.source]
        provenance = [Provenance(source=s, status=defaults.status, date=defaults.date,
                                 urls=urls or ((defaults.url,) if defaults.url else ())).model_dump()
                      for s in sources]
    name = _first(props, "name")
    entry: dict[str, Any] = {
        "id": str(data["id"]).lower() if data.get("id") else make_id(kind.value[:7], name, taken),
        "kind": ext.get("kind", kind), "name": name,
        "aliases": _strings(props, "alias"),
        "acronyms": _strings(props, "weakAlias"), "provenance": provenance,
        "first_seen": _date(data.get("first_seen")), "last_seen": _date(data.get("last_seen")),
        "identifiers": ext.get("identifiers", identifiers),
    }
    for key in ("confidence", "employer", "employer_is_front", "front", "expires", "role", "aliases", "acronyms",
                "transliterations"):
        if key in ext and ext[key] is not None:
            entry[key] = ext[key]
    notes = [n for n in _strings(props, "notes") if not n.startswith("role: ") and "not a front" not in n]
    if notes:
        entry["note"] = " ".join(notes)
    return entry


def load_ftm(text: str, path: str = "<ftm>", defaults: ImportDefaults | None = None) -> Watchlist:
    """Read FtM JSON lines; raises `WatchlistFormatError` with the line of every bad entity."""
    defaults = defaults or ImportDefaults()
    problems: list[ImportProblem] = []
    records: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    accounts: list[tuple[int, dict[str, Any]]] = []
    employments: list[tuple[int, dict[str, Any]]] = []
    taken: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("schema"), str):
                raise ValueError("expected an FtM entity: an object with 'schema' and 'properties'")
            if not isinstance(data.get("properties", {}), dict):
                raise ValueError("'properties' must be an object")
            schema = data["schema"]
            if schema == "UserAccount":
                accounts.append((number, data))
            elif schema == "Employment":
                employments.append((number, data))
            elif schema == "Person" or schema in ORG_SCHEMATA:
                entry = _plain_entry(data, defaults, taken)
                if entry["id"] in records:
                    raise ValueError(f"duplicate id {entry['id']!r}")
                records[entry["id"]] = entry
                lines[entry["id"]] = number
            # other schemata (Address, Sanction, ...) carry nothing a watchlist uses: skipped on purpose
        except json.JSONDecodeError as error:
            problems.append(ImportProblem(path, number, f"not valid JSON: {error.msg} (column {error.colno})"))
        except (ValueError, TypeError, KeyError) as error:
            problems.append(ImportProblem(path, number, str(error)[:300]))
    for number, data in accounts:
        props = data.get("properties") or {}
        try:
            username = _first(props, "username")
            if not username:
                raise ValueError("UserAccount without a username")
            kind = _SERVICE_KIND.get(_first(props, "service").lower(), IdentifierKind.HANDLE)
            owner = _first(props, "owner").lower()
            identifier = {"kind": kind, "value": username}
            if owner in records:
                ids = list(records[owner].get("identifiers") or [])
                if identifier not in ids and not any(isinstance(i, dict) and i.get("value") == username for i in ids):
                    ids.append(identifier)
                records[owner]["identifiers"] = ids
                continue
            entry = _plain_entry({**data, "schema": "UserAccount"}, defaults, taken)
            entry.update({"kind": entry["kind"] if entry["kind"] != EntryKind.ORGANISATION else EntryKind.ACCOUNT,
                          "name": "", "identifiers": entry["identifiers"] or [identifier]})
            records[entry["id"]] = entry
            lines[entry["id"]] = number
        except (ValueError, TypeError) as error:
            problems.append(ImportProblem(path, number, str(error)[:300]))
    for number, data in employments:
        props = data.get("properties") or {}
        employee, employer = records.get(_first(props, "employee").lower()), records.get(
            _first(props, "employer").lower())
        if employee is None or employer is None:
            problems.append(ImportProblem(path, number, "Employment refers to an entity not in the file"))
            continue
        employee.setdefault("employer", employer["name"])
        employee.setdefault("employer_is_front", employer.get("front", True))
    entries: list[Entry] = []
    for entry_id, record in records.items():
        try:
            entries.append(Entry.model_validate(record))
        except ValidationError as error:
            problems.append(ImportProblem(path, lines[entry_id], describe_validation(error)))
    if problems:
        raise WatchlistFormatError(sorted(problems, key=lambda p: p.line))
    return Watchlist(entries=tuple(entries))


__all__ = ["dump_ftm", "entities", "load_ftm"]
