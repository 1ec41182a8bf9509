"""Templates of campaigns found by an audit, kept in templates.json, recognised again by `check --templates`.

The audit writes `templates.json` next to findings.json: each campaign's standardised messages as
`MessageTemplate` records (texts folded and masked, without message ids or recipients) with the
campaign's id, level and whether its outreach was corroborated. `KnownTemplates` is an evidence
provider for `Checker`: a message that is a variant of one of them gets `known-campaign-template`
evidence (M9) naming the campaign.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from falsefriends.correlate.templates import TemplateMatcher
from falsefriends.model import Account, Evidence, Message, MessageTemplate

KNOWN_TEMPLATE_RULE = "known-campaign-template"
TEMPLATES_FORMAT = "falsefriends-templates-v1"
MAX_TEMPLATES_BYTES = 64 * 1024 * 1024
"""Largest templates.json read (`check --templates`); an audit's own is a few hundred kilobytes."""
# As strong as a template reaching a few staff (`template-reuse`): the text is a campaign's standard message.
KNOWN_TEMPLATE_WEIGHT = 1.5
# The audit judged that campaign high as a whole: a variant of its standard text is, on its own, worth a second
# look (medium), as a listed front is for the watchlist.
KNOWN_HIGH_CAMPAIGN_WEIGHT = 2.5


class TemplatesFileError(ValueError):
    """templates.json cannot be read or is not in the expected format."""


def templates_document(campaigns: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """templates.json's content from the findings' campaigns (their `template_records`)."""
    entries: list[dict[str, Any]] = []
    for campaign in campaigns:
        for record in campaign.get("template_records") or ():
            template = {k: v for k, v in record.items() if k != "reached"}
            entries.append({"campaign": campaign.get("id"), "level": campaign.get("level"),
                            "corroborated": bool(campaign.get("corroborated")),
                            "reached": record.get("reached", 0), "template": template})
    return {"format": TEMPLATES_FORMAT, "templates": entries}


class KnownTemplates:
    """Evidence provider: does a message match a template of a campaign found earlier?"""

    def __init__(self, entries: Iterable[Mapping[str, Any]]) -> None:
        self._entries: dict[str, Mapping[str, Any]] = {}
        records: list[MessageTemplate] = []
        for entry in entries:
            template = MessageTemplate.model_validate(entry["template"])
            # Two campaigns may hold one template id (ids come from the text): keep both apart.
            key = f"{entry.get('campaign')}/{template.id}"
            self._entries[key] = entry
            records.append(template.model_copy(update={"id": key}))
        self._matcher = TemplateMatcher.from_records(records)

    @classmethod
    def load(cls, path: Path) -> KnownTemplates:
        """From a templates.json written by the audit; raises TemplatesFileError."""
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_TEMPLATES_BYTES + 1)  # bounded: never a whole huge file in memory
            if len(data) > MAX_TEMPLATES_BYTES:
                raise TemplatesFileError(f"{path} is larger than {MAX_TEMPLATES_BYTES} bytes")
            document = json.loads(data.decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise TemplatesFileError(f"cannot read {path}: {exc}") from None
        if not isinstance(document, dict) or document.get("format") != TEMPLATES_FORMAT:
            raise TemplatesFileError(f"{path} is not a falsefriends templates.json ({TEMPLATES_FORMAT})")
        entries = document.get("templates")
        if not isinstance(entries, list) or not all(isinstance(e, dict) and "template" in e for e in entries):
            raise TemplatesFileError(f"{path}: 'templates' must be a list of entries with a 'template'")
        try:
            return cls(entries)
        except (ValidationError, TypeError, KeyError) as exc:
            raise TemplatesFileError(f"{path}: invalid template: {exc}") from None

    def __len__(self) -> int:
        return len(self._entries)

    def profile_evidence(self, account: Account) -> list[Evidence]:
        return []

    @staticmethod
    def _weight(entry: Mapping[str, Any], corroborated: bool) -> float:
        if not corroborated:
            return 0.0
        return KNOWN_HIGH_CAMPAIGN_WEIGHT if entry.get("level") == "high" else KNOWN_TEMPLATE_WEIGHT

    def message_evidence(self, message: Message) -> list[Evidence]:
        found = self._matcher.match(message)
        if found is None:
            return []
        template, similarity = found
        entry = self._entries[template.id]
        campaign = str(entry.get("campaign"))
        template_id = template.id.split("/", 1)[1]
        corroborated = bool(entry.get("corroborated"))
        reason = (
            f"This message is a variant (similarity {similarity:.2f}) of template {template_id} of campaign"
            f" {campaign}, which reached {entry.get('reached', 0)} staff in the audit; the same text sent to"
            " unrelated people is how fake-profile campaigns approach their targets (DGSI 2018)."
        )
        if not corroborated:
            reason += (" Not counted: that campaign showed no move off the platform, front organisation or other"
                       " hostile step; honest recruiters and organisers send standard texts too.")
        return [Evidence(
            rule=KNOWN_TEMPLATE_RULE, indicator="M9", weight=self._weight(entry, corroborated),
            reason=reason, source=("DGSI 2018",), detector="templates", excerpt=template.text[:300],
            message=message.id,
        )]
