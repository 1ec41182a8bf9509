"""The seam where campaign correlation plugs into the audit.

Campaign detection (templates, targeting fan-out, clusters) is its own issue (`falsefriends.correlate`).
Until it lands, the audit reports no campaigns: `campaigns` stays an empty list and every account's
`campaign` stays null, which the findings contract allows. The correlation code only has to provide a
`CampaignFinder` and the audit passes it in (`build_findings(..., campaigns=finder)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from falsefriends.audit.data import AuditData
from falsefriends.audit.records import AccountFinding


class CampaignFinder(Protocol):
    """Links scored accounts into campaigns.

    Returns the campaigns as contract dicts (`{"id", "accounts", "staff_targeted", "evidence"}`) and a
    map from account key to campaign id, used to fill each account's `campaign`.
    """

    def __call__(self, data: AuditData, accounts: Sequence[AccountFinding]
                 ) -> tuple[list[dict[str, Any]], dict[str, str]]: ...


def no_campaigns(data: AuditData, accounts: Sequence[AccountFinding]
                 ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The default until campaign correlation exists: no campaigns, no account assigned to one."""
    return [], {}
