"""The one entry point the command line, the API and the web pages call: export a findings document,
read the latest stored audit, import shared files into a workspace."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from falsefriends.share.importer import ImportResult

FORMATS = ("stix", "misp")
MEDIA_TYPES = {"stix": "application/stix+json;version=2.1", "misp": "application/json"}


def export_document(findings: Mapping[str, Any], fmt: str, level: str = "high", campaign: str | None = None,
                    account: str | None = None, tlp: str = "amber", producer: str = "falsefriends workspace") -> str:
    """The STIX 2.1 bundle or MISP event (JSON text) of the findings' personas at or above `level`."""
    from falsefriends.share.select import ShareError, select_share

    share = select_share(findings, level=level, campaign=campaign, account=account, tlp=tlp, producer=producer)
    if fmt == "stix":
        from falsefriends.share.stix import stix_json

        return stix_json(share)
    if fmt == "misp":
        from falsefriends.share.misp import misp_json

        return misp_json(share)
    raise ShareError(f"format must be one of {', '.join(FORMATS)}")


def latest_stored_findings(session: Session) -> dict[str, Any] | None:
    """The findings of the workspace's latest finished audit run (what the service shows), if any."""
    from falsefriends.api.runs import latest_run

    run = latest_run(session)
    return None if run is None or run.findings is None else dict(run.findings)


def save_imported(session: Session, result: ImportResult, origin: str) -> tuple[int, int]:
    """Store imported entries in the workspace watchlist (insert or replace by id)."""
    from falsefriends.watchlist.repository import save_entries

    return save_entries(session, result.entries, origin=origin[:1000])
