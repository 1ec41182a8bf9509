"""A scan's campaigns: the coordinated clusters found among its outreach accounts (scan.coordination).

Each cluster is a campaign: its accounts get the coordination evidence (C1), and its accounts' own messages
and profiles decide whether its campaign evidence counts (`coordination.campaign_corroborated`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from falsefriends.model import Evidence


@dataclass(frozen=True)
class ScanCampaign:
    id: str
    members: tuple[int, ...]
    shared: tuple[str, ...]
    templates: tuple[str, ...]
    corroborated: bool
    evidence: Evidence


def membership(campaigns: Sequence[ScanCampaign]) -> dict[int, ScanCampaign]:
    out: dict[int, ScanCampaign] = {}
    for campaign in campaigns:
        for member in campaign.members:
            out.setdefault(member, campaign)
    return out
