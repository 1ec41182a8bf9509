"""Import shared STIX 2.1 bundles and MISP events into the workspace watchlist (docs/sharing.md).

STIX bundles go through the watchlist's STIX reader (`falsefriends.watchlist.formats.stix.load_stix`);
a MISP event is first rewritten as the STIX objects it stands for (person -> identity `individual`,
legal-entity -> identity `organization`, user-account -> user-account, object references -> relationships,
the event's creator org -> the creating identity, `tlp:` tags -> TLP marking refs) and read by the same
reader: one implementation, so the watchlist's corroboration rule holds (a persona's name alone is never
counted; its profile URL, handle, photo or claimed employer is what counts). Campaign templates come back as
`templates.json` records for `check --templates`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from falsefriends.share.misp import TEMPLATE_COMMENT
from falsefriends.share.stix import TEMPLATE_PREFIX
from falsefriends.share.tlp import TLP_BY_MARKING, tlp_of_tags
from falsefriends.watchlist.entries import Entry, Status, Watchlist
from falsefriends.watchlist.formats.defaults import ImportDefaults
from falsefriends.watchlist.formats.errors import ImportProblem, WatchlistFormatError

MAX_FILE_BYTES = 200 * 1024 * 1024
_STIX_TEMPLATE = re.compile(r"^" + re.escape(TEMPLATE_PREFIX) + r"(?P<id>\S+) of campaign (?P<campaign>\S+)$")
_MARKING_OF = {tlp: marking for marking, tlp in TLP_BY_MARKING.items()}


@dataclass
class ImportResult:
    """What the files held: watchlist entries (with provenance) and campaign templates."""

    entries: list[Entry] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def templates_document(self) -> dict[str, Any]:
        from falsefriends.correlate.known import TEMPLATES_FORMAT

        return {"format": TEMPLATES_FORMAT, "templates": self.templates}


def shared_files(path: Path) -> list[Path]:
    """A file, or the JSON files of a folder (a MISP feed: `manifest.json` is skipped)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix == ".json" and p.name != "manifest.json" and p.is_file())
    return [path]


def parse_shared(text: str, path: str, defaults: ImportDefaults | None = None) -> ImportResult:
    """One STIX bundle or MISP event (`{"Event": {...}}` or the event itself)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise WatchlistFormatError([ImportProblem(path, error.lineno, f"not valid JSON: {error.msg}")]) from None
    if isinstance(data, dict) and data.get("type") == "bundle":
        return _from_stix(data, text, path, defaults)
    if isinstance(data, dict) and (isinstance(data.get("Event"), dict) or "Attribute" in data or "Object" in data):
        event = data["Event"] if isinstance(data.get("Event"), dict) else data
        bundle = misp_as_stix(event)
        return _from_stix(bundle, json.dumps(bundle, indent=1), path, defaults, _misp_templates(event))
    raise WatchlistFormatError([ImportProblem(path, 1, "neither a STIX 2.1 bundle nor a MISP event")])


def read_shared(paths: list[Path], defaults: ImportDefaults | None = None) -> ImportResult:
    """Every file given (folders expanded); raises `WatchlistFormatError` with every problem of every file."""
    result = ImportResult()
    problems: list[ImportProblem] = []
    for path in (f for p in paths for f in shared_files(p)):
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(ImportProblem(str(path), 1, f"file larger than {MAX_FILE_BYTES} bytes"))
            continue
        try:
            one = parse_shared(path.read_text(encoding="utf-8", errors="replace"), str(path), defaults)
        except WatchlistFormatError as error:
            problems.extend(error.problems)
            continue
        result.entries.extend(one.entries)
        result.templates.extend(one.templates)
        result.files.append(str(path))
    if problems:
        raise WatchlistFormatError(problems)
    result.templates = list({(t["campaign"], t["template"]["id"]): t for t in result.templates}.values())
    merged = Watchlist().merged(Watchlist(entries=tuple({e.id: e for e in result.entries}.values())))
    result.entries = list(merged.entries)
    return result


def _from_stix(bundle: dict[str, Any], text: str, path: str, defaults: ImportDefaults | None,
               templates: list[dict[str, Any]] | None = None) -> ImportResult:
    from falsefriends.watchlist.formats.stix import load_stix

    watchlist = load_stix(text, path, defaults or ImportDefaults(source=Path(path).name, status=Status.ANALYST))
    if templates is None:
        templates = _stix_templates(bundle)
    return ImportResult(entries=list(watchlist.entries), templates=templates, files=[path])


def _template(template_id: str, campaign: str, level: str, text: str) -> dict[str, Any]:
    return {"campaign": campaign, "level": level, "corroborated": level == "high", "reached": 0,
            "template": {"id": template_id, "text": text}}


def _stix_templates(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for obj in bundle.get("objects", []):
        if not isinstance(obj, dict) or obj.get("type") != "indicator":
            continue
        match = _STIX_TEMPLATE.match(str(obj.get("name", "")))
        if match and obj.get("description"):
            labels = [str(label) for label in obj.get("labels") or []]
            level = next((x.removeprefix("campaign-level-") for x in labels if x.startswith("campaign-level-")), "")
            out.append(_template(match["id"], match["campaign"], level, str(obj["description"])))
    return out


def _misp_templates(event: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for attribute in event.get("Attribute") or []:
        if not isinstance(attribute, dict) or attribute.get("type") != "text":
            continue
        match = TEMPLATE_COMMENT.match(str(attribute.get("comment", "")))
        if match and attribute.get("value"):
            out.append(_template(match["id"], match["campaign"], match["level"], str(attribute["value"])))
    return out


def _values(obj: dict[str, Any]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for attribute in obj.get("Attribute") or []:
        if isinstance(attribute, dict) and attribute.get("value") is not None:
            values.setdefault(str(attribute.get("object_relation", "")), []).append(str(attribute["value"]))
    return values


def _tag_names(holder: dict[str, Any]) -> list[str]:
    return [str(t.get("name", "")) for t in holder.get("Tag") or [] if isinstance(t, dict)]


def misp_as_stix(event: dict[str, Any]) -> dict[str, Any]:
    """The STIX objects a MISP event's person, legal-entity and user-account objects stand for."""
    found = event.get("Orgc")
    org: dict[str, Any] = found if isinstance(found, dict) else {}
    producer = {"type": "identity", "id": f"identity--{org.get('uuid') or 'misp-producer'}",
                "name": str(org.get("name") or "MISP event"), "identity_class": "organization"}
    created = str(event.get("date") or "")
    event_tlp = tlp_of_tags(_tag_names(event))
    objects: list[dict[str, Any]] = [producer]
    for obj in event.get("Object") or []:
        if not isinstance(obj, dict):
            continue
        values = _values(obj)
        tags = [t for a in obj.get("Attribute") or [] if isinstance(a, dict) for t in _tag_names(a)]
        tlp = tlp_of_tags(tags) or event_tlp
        common: dict[str, Any] = {"id": f"{_stix_type(obj)}--{obj.get('uuid')}", "created_by_ref": producer["id"],
                                  "created": created}
        if tlp in _MARKING_OF:
            common["object_marking_refs"] = [_MARKING_OF[tlp]]
        name = str(obj.get("name", ""))
        if name == "person":
            full = (values.get("full-name") or [" ".join(values.get("first-name", []) + values.get("last-name", []))])
            objects.append({**common, "type": "identity", "identity_class": "individual", "name": full[0],
                            "aliases": values.get("alias", [])})
        elif name == "legal-entity" and values.get("name"):
            objects.append({**common, "type": "identity", "identity_class": "organization",
                            "name": values["name"][0], "x_falsefriends_front": False})
        elif name == "user-account" and (values.get("user-id") or values.get("username")):
            user = (values.get("user-id") or values.get("username") or [""])[0]
            objects.append({**common, "type": "user-account", "user_id": user,
                            "account_type": (values.get("account-type") or [""])[0],
                            "display_name": (values.get("display-name") or [""])[0]})
        else:
            continue
        for ref in obj.get("ObjectReference") or []:
            if isinstance(ref, dict) and ref.get("referenced_uuid"):
                objects.append({"type": "relationship", "id": f"relationship--{ref.get('uuid') or len(objects)}",
                                "relationship_type": str(ref.get("relationship_type", "related-to")),
                                "source_ref": common["id"], "target_ref": str(ref["referenced_uuid"])})
    known = {o["id"].split("--", 1)[1]: o["id"] for o in objects if o["type"] != "relationship"}
    for rel in objects:
        if rel["type"] == "relationship":
            rel["target_ref"] = known.get(rel["target_ref"], rel["target_ref"])
    return {"type": "bundle", "id": f"bundle--{event.get('uuid', 'misp')}", "objects": objects}


def _stix_type(obj: dict[str, Any]) -> str:
    return "user-account" if obj.get("name") == "user-account" else "identity"
