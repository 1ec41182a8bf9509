"""Exports are accepted by the official tools: stix2-validator and stix2 for the bundle, pymisp for the event,
misp-stix both ways; the same findings give the same ids; hostile texts stay data in every format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from falsefriends.share.select import TLPS
from falsefriends.share.service import export_document

from .conftest import HOSTILE_NAME, HOSTILE_TEMPLATE, HOSTILE_URL, WARNINGS_DOCUMENTED, World


def validate(text: str) -> set[str]:
    """stix2-validator's verdict: no error, and the codes of its warnings."""
    from stix2validator import ValidationOptions, validate_string

    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    return {str(w).split("{", 1)[1].split("}", 1)[0] for w in result.warnings}


@pytest.mark.parametrize("level", ["high", "medium"])
@pytest.mark.parametrize("tlp", TLPS)
def test_every_bundle_is_valid_stix_21(world: World, level: str, tlp: str) -> None:
    import stix2

    text = export_document(world.findings, "stix", level=level, tlp=tlp)
    assert validate(text) <= WARNINGS_DOCUMENTED
    bundle = stix2.parse(text, allow_custom=True)
    types = {o.type for o in bundle.objects}
    assert {"identity", "user-account", "campaign", "indicator", "note", "opinion", "sighting", "relationship",
            "marking-definition"} <= types
    markings = [o for o in bundle.objects if o.type == "marking-definition"]
    assert len(markings) == 1
    assert all(o.object_marking_refs == [markings[0].id] for o in bundle.objects
               if o.type not in ("marking-definition",))


def test_the_tlp_markings_are_the_standard_objects(world: World) -> None:
    import stix2

    amber = json.loads(export_document(world.findings, "stix", tlp="amber"))
    assert stix2.v21.TLP_AMBER.id in {o["id"] for o in amber["objects"]}
    strict = json.loads(export_document(world.findings, "stix", tlp="amber+strict"))
    marking = next(o for o in strict["objects"] if o["type"] == "marking-definition")
    assert marking["id"] == "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
    assert marking["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]["tlp_2_0"] == \
        "amber+strict"


def test_personas_accounts_campaigns_and_counts_in_the_bundle(world: World) -> None:
    findings = world.findings
    bundle = json.loads(export_document(findings, "stix"))
    objects = bundle["objects"]
    high = [a for a in findings["accounts"] if a["level"] == "high"]
    personas = {o["name"] for o in objects if o["type"] == "identity" and o["identity_class"] == "individual"}
    assert personas == {a["name"] for a in high}
    accounts = {o["user_id"]: o for o in objects if o["type"] == "user-account"}
    assert set(accounts) == {a["url"] for a in high if a["url"]}
    assert all(o["account_type"] == "linkedin" and o["account_login"] == o["user_id"] for o in accounts.values())
    patterns = {o["pattern"] for o in objects if o["type"] == "indicator"}
    assert all(f"[user-account:user_id = '{url}']" in patterns for url in accounts)
    sightings = {o["sighting_of_ref"]: o["count"] for o in objects if o["type"] == "sighting"}
    by_name = {o["name"]: o["id"] for o in objects if o["type"] == "identity"}
    for account in high:
        assert sightings[by_name[account["name"]]] == len(account["staff_approached"])
    notes = " ".join(o["content"] for o in objects if o["type"] == "note")
    assert all(e["rule"] in notes for a in high for e in a["evidence"] if e["weight"] > 0)
    campaigns = {o["name"] for o in objects if o["type"] == "campaign"}
    assert campaigns and campaigns <= {c["id"] for c in findings["campaigns"]}
    kinds = {o["relationship_type"] for o in objects if o["type"] == "relationship"}
    assert {"attributed-to", "uses", "indicates", "related-to"} <= kinds


def test_the_misp_event_loads_in_pymisp(world: World) -> None:
    from pymisp import MISPEvent

    event = MISPEvent()
    event.load(export_document(world.findings, "misp", level="medium", tlp="green"))
    names = {o.name for o in event.objects}
    assert {"person", "user-account", "legal-entity", "impersonation"} <= names
    assert {t.name for t in event.tags} >= {"tlp:green", 'veris:actor:external:motive="Espionage"'}
    attributes = [a for o in event.objects for a in o.attributes] + list(event.attributes)
    assert attributes and all("tlp:green" in {t.name for t in a.tags} for a in attributes)
    assert any(t.name.startswith('falsefriends:indicator="') for a in attributes for t in a.tags)
    assert not any(t.name.startswith("misp-galaxy:") for t in event.tags)


def test_misp_stix_converts_both_ways(world: World) -> None:
    import stix2
    from misp_stix_converter import ExternalSTIX2toMISPParser, MISPtoSTIX21Parser
    from pymisp import MISPEvent

    event = MISPEvent()
    event.load(export_document(world.findings, "misp"))
    to_stix = MISPtoSTIX21Parser()
    to_stix.parse_misp_event(event)
    converted = json.loads(to_stix.bundle.serialize())
    assert validate(json.dumps(converted)) is not None
    names = {o.get("name") for o in converted["objects"] if o["type"] == "identity"}
    assert {a["name"] for a in world.findings["accounts"] if a["level"] == "high"} <= names

    to_misp = ExternalSTIX2toMISPParser()
    to_misp.load_stix_bundle(stix2.parse(export_document(world.findings, "stix"), allow_custom=True))
    to_misp.parse_stix_bundle()
    back = to_misp.misp_event
    values = {a.value for o in back.objects for a in o.attributes}
    assert {a["url"] for a in world.findings["accounts"] if a["level"] == "high" and a["url"]} <= values


@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_re_export_gives_the_same_ids(world: World, fmt: str) -> None:
    first = export_document(world.findings, fmt)
    assert export_document(world.findings, fmt) == first  # every id (and every byte) the same
    # a persona keeps its id whatever else is selected, so a wider export updates the same objects
    wider = export_document(world.findings, fmt, level="medium", tlp="red")
    assert _persona_ids(first, fmt) and _persona_ids(first, fmt) <= _persona_ids(wider, fmt)


def _persona_ids(text: str, fmt: str) -> set[str]:
    data = json.loads(text)
    if fmt == "stix":
        return {o["id"] for o in data["objects"] if o.get("identity_class") == "individual"}
    return {o["uuid"] for o in data["Event"]["Object"] if o["name"] in ("person", "user-account", "impersonation")}


@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_hostile_texts_stay_inert_data(hostile_findings: dict[str, Any], fmt: str) -> None:
    text = export_document(hostile_findings, fmt)
    assert not any(ord(c) < 0x20 and c not in "\n" for c in text)  # control characters only as JSON escapes
    data = json.loads(text)
    strings = set(_strings(data))
    assert HOSTILE_NAME in strings and HOSTILE_TEMPLATE in strings  # kept exactly, as data
    # a staff member quoted in a persona's message leaves as a pseudonym, never by name or URL
    assert "Alice" not in text and "alice-m" not in text and "Bob Stone" not in text
    assert "Dear staff-" in text
    if fmt == "stix":
        import stix2
        from stix2patterns.validator import run_validator

        assert validate(text) <= WARNINGS_DOCUMENTED
        bundle = stix2.parse(text, allow_custom=True)
        account = next(o for o in bundle.objects if o.type == "indicator" and "user-account" in o.pattern)
        assert run_validator(account.pattern) == []
        # the quote in the URL is escaped: one comparison, not an injected second one
        assert account.pattern.count(" OR ") == 0 or "\\'" in account.pattern
        assert next(o for o in bundle.objects if o.type == "user-account").user_id == HOSTILE_URL
    else:
        from pymisp import MISPEvent

        event = MISPEvent()
        event.load(text)
        assert HOSTILE_NAME in {a.value for o in event.objects for a in o.attributes}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


VERIS = {  # from misp-taxonomies veris/machinetag.json: the predicates used and their allowed values
    "actor:external:motive": {"Convenience", "Espionage", "Fear", "Financial", "Fun", "Grudge", "Ideology", "NA",
                              "Other", "Secondary", "Unknown"},
    "action:social:variety": {"Baiting", "Bribery", "Elicitation", "Extortion", "Forgery", "Influence", "Other",
                              "Phishing", "Pretexting", "Propaganda", "Scam", "Spam", "Unknown"},
    "action:social:vector": {"Documents", "Email", "IM", "In-person", "Other", "Phone", "Removable media", "SMS",
                             "Social media", "Software", "Unknown", "Website"},
}


def test_event_tags_are_taxonomy_values() -> None:
    from falsefriends.share.misp import EVENT_TAGS

    for tag in EVENT_TAGS:
        namespace, rest = tag.split(":", 1)
        predicate, value = rest.split("=", 1)
        assert namespace == "veris" and value.strip('"') in VERIS[predicate]
