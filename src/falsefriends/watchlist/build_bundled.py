"""Compile the curated public-reporting YAML into the bundled watchlist (package data).

    python -m falsefriends.watchlist.build_bundled /work/shared/data/public-reporting.yaml

writes `src/falsefriends/watchlist/data/bundled.yaml` (or the path given with `--out`). Each entry keeps
every source it was reported by (id, status, date, URLs, what the source is). Persona employers are
resolved: a listed organisation is a front (`employer_is_front: true`); a real institution that personas
merely claimed (`REAL_INSTITUTIONS`) is written as an organisation entry with `front: false`, kept to
explain and to corroborate the persona, never to flag its own staff.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from falsefriends.watchlist.entries import Entry, EntryKind, Provenance, Status, Watchlist
from falsefriends.watchlist.formats.yaml_form import dump_yaml

DEFAULT_OUT = Path(__file__).parent / "data" / "bundled.yaml"

REAL_INSTITUTIONS: dict[str, dict[str, Any]] = {
    "Center for Strategic and International Studies": {
        "acronyms": ["CSIS"], "role": "think tank (Washington, DC)",
        "note": "Real think tank; the 'Katie Jones' persona claimed a fellowship there (AP 2019). Not a front."},
    "Shanghai Academy of Social Sciences": {
        "acronyms": ["SASS"], "role": "research academy (Shanghai)",
        "note": "Real institution; reported in US v. Mallory as used for cover by the recruiter persona. "
                "Its staff are not suspect for working there."},
    "China University of Political Science and Law": {
        "acronyms": ["CUPL"], "role": "university (Beijing)",
        "note": "Real university; the 'Eva Han' persona claimed an affiliation (BfV 2017). Not a front."},
    "RingCentral": {
        "role": "company (cloud communications)",
        "note": "Real company; the 'Keenan Ramsey' lead-generation persona claimed to work there (SIO 2022). "
                "Not a front."},
}
"""Institutions that exist and that personas claimed as employers: never fronts."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100]


def _iso_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _provenance(source_ids: list[str], status: str, sources: dict[str, Any]) -> tuple[Provenance, ...]:
    found = []
    for source_id in source_ids:
        if source_id not in sources:
            raise ValueError(f"entry cites unknown source {source_id!r}")
        source = sources[source_id]
        found.append(Provenance(source=source_id, status=Status(status), date=str(source.get("date", "")) or None,
                                urls=tuple(source.get("urls", [])), title=str(source.get("what", ""))))
    return tuple(found)


def compile_public_reporting(data: dict[str, Any], version: str) -> Watchlist:
    """The bundled watchlist from the parsed public-reporting YAML (see the module docstring)."""
    sources: dict[str, Any] = data["sources"]
    raw_entries: list[dict[str, Any]] = data["entries"]
    organisations = {e["name"] for e in raw_entries if e["kind"] == "organisation"}
    entries: list[Entry] = []
    real_claims: dict[str, list[tuple[str, tuple[Provenance, ...]]]] = {}
    for raw in raw_entries:
        source_ids = raw["source"] if isinstance(raw["source"], list) else [raw["source"]]
        provenance = _provenance(source_ids, raw["status"], sources)
        kind = EntryKind.PERSONA if raw["kind"] == "persona" else EntryKind.ORGANISATION
        prefix = "persona" if kind is EntryKind.PERSONA else "org"
        aliases = [a for a in raw.get("aliases", []) if not (a.isupper() and " " not in a)]
        acronyms = [a for a in raw.get("aliases", []) if a.isupper() and " " not in a]
        employer = raw.get("employer", "")
        employer_is_front: bool | None = None
        if employer in organisations:
            employer_is_front = True
        elif employer in REAL_INSTITUTIONS:
            employer_is_front = False
            real_claims.setdefault(employer, []).append((raw["name"], provenance))
        dates = [d for d in (_iso_date(sources[s].get("date")) for s in source_ids) if d]
        entries.append(Entry(
            id=f"{prefix}-{slug(raw['name'])}", kind=kind, name=raw["name"], aliases=tuple(aliases),
            acronyms=tuple(acronyms), role=raw.get("role", ""), employer=employer,
            employer_is_front=employer_is_front, provenance=provenance, first_seen=min(dates) if dates else None,
            note=raw.get("note", ""),
        ))
    for name, claims in real_claims.items():
        info = REAL_INSTITUTIONS[name]
        provenance = tuple(p for _, prov in claims for p in prov)
        personas = ", ".join(persona for persona, _ in claims)
        entries.append(Entry(
            id=f"real-{slug(name)}", kind=EntryKind.ORGANISATION, name=name, acronyms=tuple(info.get("acronyms", [])),
            role=info["role"], front=False, provenance=provenance,
            note=f"{info['note']} Claimed by: {personas}.",
        ))
    return Watchlist(version=version, entries=tuple(entries))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="public-reporting.yaml")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    text = args.source.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    watchlist = compile_public_reporting(yaml.safe_load(text), version=f"public-reporting-{digest}")
    header = ("The bundled watchlist, compiled from public-reporting.yaml by\n"
              "`python -m falsefriends.watchlist.build_bundled PATH`. Do not edit by hand: edit the source and\n"
              "rebuild. Several persona names are common names that innocent people carry: a name alone is\n"
              "never counted (see docs/watchlist.md). Organisations with `front: false` are real institutions\n"
              "that personas claimed; they are not fronts.")
    args.out.write_text(dump_yaml(watchlist, header), encoding="utf-8")
    print(f"wrote {len(watchlist.entries)} entries to {args.out} (version {watchlist.version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
