"""An export as a MISP event, built with `pymisp`'s MISPEvent and MISPObject (docs/sharing.md).

- each persona: a `person` object (full-name, function = headline, role Suspect, text = the evidence with
  its rule ids), a `user-account` object (user-id and link = the profile URL, account-type "linkedin",
  display-name) and an `impersonation` object (account-name, account-url, type-of-account LinkedIn, objective
  "Information stealing"); the person `works-for` the `legal-entity` of the employer it claimed;
- each campaign: a `campaign-name` attribute; each template: a `text` attribute (the folded, masked text) with
  a `sha256` attribute of it, both commented with the template and campaign ids;
- every attribute is tagged with the TLP (`tlp:amber`...) and the falsefriends indicator ids that fired
  (`falsefriends:indicator="M3"`, a local namespace, not a published taxonomy); the event carries the VERIS
  taxonomy tags `veris:actor:external:motive="Espionage"`, `veris:action:social:variety="Pretexting"` and
  `veris:action:social:vector="Social media"`. No
  threat-actor galaxy is attached: an audit does not attribute.

UUIDs are uuid5 of the project namespace, the same as the STIX ids of the same things.
"""

from __future__ import annotations

import re
from typing import Any

from falsefriends.share.select import Share, SharedPersona, stable_uuid
from falsefriends.share.tlp import misp_tag

EVENT_TAGS = ('veris:actor:external:motive="Espionage"', 'veris:action:social:variety="Pretexting"',
              'veris:action:social:vector="Social media"')
"""Values of the MISP VERIS taxonomy (misp-taxonomies veris/machinetag.json) that describe a fake-profile
approach: an external actor's espionage motive, a pretext (the persona's invented role), over social media."""
TEMPLATE_COMMENT = re.compile(
    r"^falsefriends template (?P<id>\S+) of campaign (?P<campaign>\S+) \(level (?P<level>\w+)")


def _tags(share: Share, indicators: tuple[str, ...] = ()) -> list[str]:
    return [misp_tag(share.tlp), *(f'falsefriends:indicator="{i}"' for i in indicators)]


def to_misp(share: Share) -> Any:
    """The `pymisp.MISPEvent` of an export."""
    from pymisp import MISPEvent, MISPOrganisation

    event = MISPEvent()
    event.uuid = stable_uuid("misp-event", share.producer, share.selection, share.tlp)
    event.info = (f"falsefriends: {len(share.personas)} personas, {len(share.campaigns)} campaigns at level "
                  f"{share.level} or above (fake-profile approaches on a professional network)")
    event.date = share.generated_at.date()
    event.timestamp = share.generated_at
    event.distribution = 0
    event.threat_level_id = 2
    event.analysis = 2
    org = MISPOrganisation()
    org.name = share.producer
    org.uuid = stable_uuid("organisation", share.producer)
    event.Orgc = org
    event.Org = org
    for tag in (misp_tag(share.tlp), *EVENT_TAGS):
        event.add_tag(tag)
    entities: dict[str, Any] = {}
    for name in share.organisations:
        entity = event.add_object(name="legal-entity", uuid=stable_uuid("identity", "organisation", name.casefold()),
                                  standalone=False)
        _attr(entity, share, "name", name)
        _attr(entity, share, "text", "An employer claimed by personas in these findings; not asserted to be a front.")
        entities[name] = entity
    for persona in share.personas:
        _persona(event, share, persona, entities)
    for campaign in share.campaigns:
        attribute = event.add_attribute("campaign-name", campaign.id, uuid=stable_uuid("campaign", campaign.id),
                                        comment=(f"falsefriends campaign: level {campaign.level}, score "
                                                 f"{campaign.score:.2f}, {len(campaign.personas)} personas, "
                                                 f"{campaign.staff_targeted} staff targeted; rules: "
                                                 f"{', '.join(campaign.rules)}"), to_ids=False)
        _tag(attribute, _tags(share))
    for template in share.templates:
        comment = f"falsefriends template {template.id} of campaign {template.campaign} (level {template.level})"
        for kind, value in (("text", template.text), ("sha256", template.fingerprint)):
            attribute = event.add_attribute(kind, value, comment=comment, to_ids=False, category="Other"
                                            if kind == "text" else "Payload delivery",
                                            uuid=stable_uuid("template", kind, template.campaign, template.id))
            _tag(attribute, _tags(share))
    return event


def _tag(attribute: Any, tags: list[str]) -> None:
    for tag in tags:
        attribute.add_tag(tag)


def _attr(obj: Any, share: Share, relation: str, value: str, indicators: tuple[str, ...] = ()) -> None:
    attribute = obj.add_attribute(relation, value=value, uuid=stable_uuid("misp-attribute", obj.uuid, relation))
    for tag in _tags(share, indicators):
        attribute.add_tag(tag)


def _ref(obj: Any, target: str, kind: str, comment: str) -> None:
    obj.add_reference(target, kind, comment, uuid=stable_uuid("misp-reference", obj.uuid, kind, target))


def _persona(event: Any, share: Share, persona: SharedPersona, entities: dict[str, Any]) -> None:
    evidence = "\n".join(f"{e.rule} ({e.indicator}, weight {e.weight:g}): {e.reason}"
                         + (f' Words: "{e.excerpt}"' if e.excerpt else "") for e in persona.evidence)
    comment = (f"falsefriends: score {persona.score:.2f} ({persona.level}), {persona.staff_approached} staff "
               f"approached" + (f", campaign {persona.campaign}" if persona.campaign else ""))
    person = event.add_object(name="person", uuid=stable_uuid("identity", "persona", persona.key),
                              comment=comment, standalone=False)
    _attr(person, share, "full-name", persona.name or persona.key, persona.indicators)
    if persona.headline:
        _attr(person, share, "function", persona.headline)
    _attr(person, share, "role", "Suspect")
    if evidence:
        _attr(person, share, "text", evidence, persona.indicators)
    if persona.employer:
        _ref(person, entities[persona.employer].uuid, "works-for", "the employer the profile claims")
    if not persona.url:
        return
    account = event.add_object(name="user-account", uuid=stable_uuid("user-account", persona.key),
                               comment=comment, standalone=False)
    _attr(account, share, "user-id", persona.url, persona.indicators)
    _attr(account, share, "link", persona.url, persona.indicators)
    _attr(account, share, "account-type", "linkedin")
    if persona.name:
        _attr(account, share, "display-name", persona.name)
    _ref(person, account.uuid, "related-to", "its profile")
    fake = event.add_object(name="impersonation", uuid=stable_uuid("impersonation", persona.key),
                            comment=comment, standalone=False)
    _attr(fake, share, "account-name", persona.name or persona.key)
    _attr(fake, share, "account-url", persona.url, persona.indicators)
    _attr(fake, share, "type-of-account", "LinkedIn")
    _attr(fake, share, "objective", "Information stealing")
    _ref(fake, person.uuid, "related-to", "the persona behind the account")


def misp_json(share: Share) -> str:
    """The event as MISP JSON (`{"Event": {...}}`, the form of a MISP feed file)."""
    import json

    event = json.loads(to_misp(share).to_json())
    return json.dumps({"Event": event}, ensure_ascii=False, indent=2)
