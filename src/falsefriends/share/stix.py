"""An export as a STIX 2.1 bundle, built with the `stix2` library (docs/sharing.md).

- each persona: an `identity` (identity_class `individual`), its LinkedIn `user-account` observable
  (`account_type` "linkedin", `user_id` and `account_login` = the profile URL, `display_name`) linked by a
  `related-to` relationship, an `indicator` whose pattern is `[user-account:user_id = 'URL']`, a `note`
  citing the rule ids of its evidence with the exact words, an `opinion` with its score and level, and a
  `sighting` whose `count` is the number of staff it approached;
- each claimed employer: an `identity` (`organization`), `related-to` from the persona, with
  `x_falsefriends_front: false` (the audit does not say it is a front; see docs/sharing.md);
- each campaign: a `campaign`, `attributed-to` and `uses` its personas, a `sighting` counting staff targeted;
- each template: an `indicator` named `falsefriends template <id> of campaign <id>` whose pattern is a text
  fingerprint, `[artifact:hashes.'SHA-256' = '<sha256 of the folded, masked text>']`, the text itself in
  `description`, `indicates` its campaign.

Every object is marked with the chosen TLP and created by the producer's identity. Ids are uuid5 of the
project's namespace and the account key, campaign or template id, so a re-export updates, never duplicates.
"""

from __future__ import annotations

from typing import Any

from falsefriends.share.select import Share, SharedPersona, stable_uuid
from falsefriends.share.tlp import stix_marking

TEMPLATE_PREFIX = "falsefriends template "


def pattern_literal(value: str) -> str:
    """A STIX pattern string literal: backslashes and single quotes escaped, so the value stays data."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _id(kind: str, *parts: str) -> str:
    return f"{kind}--{stable_uuid(kind, *parts)}"


def to_stix(share: Share) -> Any:
    """The `stix2.v21.Bundle` of an export."""
    import stix2.v21 as s

    marking = stix_marking(share.tlp)
    when = share.generated_at
    producer = s.Identity(id=_id("identity", "producer", share.producer), name=share.producer,
                          identity_class="organization", created=when, modified=when,
                          object_marking_refs=[marking.id],
                          description="The organisation that shared these falsefriends findings.")
    common: dict[str, Any] = {"created_by_ref": producer.id, "object_marking_refs": [marking.id]}
    stamped: dict[str, Any] = {**common, "created": when, "modified": when}
    objects: list[Any] = [marking, producer]

    def relate(source: str, kind: str, target: str, description: str = "") -> None:
        extra = {"description": description} if description else {}
        objects.append(s.Relationship(id=_id("relationship", source, kind, target), source_ref=source,
                                      relationship_type=kind, target_ref=target, **stamped, **extra))

    organisations = {}
    for name in share.organisations:
        org = s.Identity(id=_id("identity", "organisation", name.casefold()), name=name,
                         identity_class="organization", allow_custom=True, x_falsefriends_front=False,
                         description="An employer claimed by personas in these findings; not asserted to be a front.",
                         **stamped)
        organisations[name] = org.id
        objects.append(org)
    personas: dict[str, str] = {}
    for persona in share.personas:
        personas[persona.key] = _persona(s, persona, share, stamped, common, objects, relate, organisations)
    templates_of: dict[str, list[str]] = {}
    for template in share.templates:
        indicator = s.Indicator(
            id=_id("indicator", "template", template.campaign, template.id),
            name=f"{TEMPLATE_PREFIX}{template.id} of campaign {template.campaign}",
            description=template.text, pattern_type="stix", valid_from=when,
            pattern=f"[artifact:hashes.'SHA-256' = {pattern_literal(template.fingerprint)}]",
            indicator_types=["attribution"], labels=["falsefriends-template", f"campaign-level-{template.level}"],
            **stamped)
        objects.append(indicator)
        templates_of.setdefault(template.campaign, []).append(indicator.id)
    for campaign in share.campaigns:
        obj = s.Campaign(id=_id("campaign", campaign.id), name=campaign.id,
                         description=(f"falsefriends campaign {campaign.id}: level {campaign.level}, score "
                                      f"{campaign.score:.2f}, {len(campaign.personas)} personas, "
                                      f"{campaign.staff_targeted} staff targeted; rules: {', '.join(campaign.rules)}"),
                         confidence=round(campaign.score * 100), **stamped, **_seen(campaign.first_contact,
                                                                                    campaign.last_contact))
        objects.append(obj)
        for key in campaign.personas:
            relate(obj.id, "attributed-to", personas[key])
            relate(obj.id, "uses", personas[key])
        for indicator_id in templates_of.get(campaign.id, []):
            relate(indicator_id, "indicates", obj.id)
        objects.append(s.Sighting(id=_id("sighting", "campaign", campaign.id), sighting_of_ref=obj.id,
                                  count=campaign.staff_targeted, where_sighted_refs=[producer.id],
                                  description=f"{campaign.staff_targeted} staff of the producer targeted", **stamped,
                                  **_seen(campaign.first_contact, campaign.last_contact)))
    for persona in share.personas:
        if persona.campaign and any(c.id == persona.campaign for c in share.campaigns) and persona.url:
            relate(_id("indicator", "account", persona.key), "indicates", _id("campaign", persona.campaign))
    bundle_id = _id("bundle", share.producer, share.selection, share.tlp, when.isoformat())
    return s.Bundle(id=bundle_id, objects=objects, allow_custom=True)


def _seen(first: str | None, last: str | None) -> dict[str, Any]:
    out = {}
    if first:
        out["first_seen"] = first
    if last:
        out["last_seen"] = last
    return out


def _persona(s: Any, persona: SharedPersona, share: Share, stamped: dict[str, Any], common: dict[str, Any],
             objects: list[Any], relate: Any, organisations: dict[str, str]) -> str:
    level = f"{persona.level}, score {persona.score:.2f}"
    identity = s.Identity(id=_id("identity", "persona", persona.key), name=persona.name or persona.key,
                          identity_class="individual", confidence=round(persona.score * 100),
                          description=(f"A profile falsefriends scored {level}"
                                       + (f"; headline: {persona.headline}" if persona.headline else "")),
                          **stamped)
    objects.append(identity)
    if persona.employer:
        relate(identity.id, "related-to", organisations[persona.employer], "claims to work for")
    if persona.url:
        account = s.UserAccount(user_id=persona.url, account_login=persona.url, account_type="linkedin",
                                display_name=persona.name or None, object_marking_refs=common["object_marking_refs"])
        objects.append(account)
        relate(identity.id, "related-to", account.id, "its profile")
        indicator = s.Indicator(id=_id("indicator", "account", persona.key),
                                name=f"LinkedIn profile of persona {persona.name}"[:250],
                                description=f"The profile URL of a persona falsefriends scored {level}.",
                                pattern=f"[user-account:user_id = {pattern_literal(persona.url)}]",
                                pattern_type="stix", valid_from=share.generated_at, indicator_types=["attribution"],
                                confidence=round(persona.score * 100), **stamped)
        objects.append(indicator)
        relate(indicator.id, "related-to", identity.id)
    cited = "\n".join(f"- {e.rule} ({e.indicator}, weight {e.weight:g}): {e.reason}"
                      + (f' Words: "{e.excerpt}"' if e.excerpt else "") for e in persona.evidence)
    objects.append(s.Note(id=_id("note", "persona", persona.key), abstract=f"Evidence: {', '.join(persona.rules)}",
                          content=cited or "No evidence item with a positive weight.", object_refs=[identity.id],
                          **stamped))
    opinion = "strongly-agree" if persona.level == "high" else "agree"
    objects.append(s.Opinion(id=_id("opinion", "persona", persona.key), opinion=opinion, object_refs=[identity.id],
                             explanation=(f"falsefriends scored this profile {level} on indicators "
                                          f"{', '.join(persona.indicators)}; rules {', '.join(persona.rules)}."),
                             **stamped))
    objects.append(s.Sighting(id=_id("sighting", "persona", persona.key), sighting_of_ref=identity.id,
                              count=persona.staff_approached, where_sighted_refs=[stamped["created_by_ref"]],
                              description=f"{persona.staff_approached} staff of the producer approached",
                              **stamped, **_seen(persona.first_contact, persona.last_contact)))
    return str(identity.id)


def stix_json(share: Share) -> str:
    """The bundle as JSON text (deterministic for the same findings and options)."""
    return str(to_stix(share).serialize(pretty=True, sort_keys=False))
