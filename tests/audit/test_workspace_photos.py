"""A photo users checked on two accounts (kept in the workspace by `check --photo --db`) links them in the audit.

LinkedIn exports carry no photos; the workspace keeps the fingerprint of each photo a user checked, under the
account it was checked on (`photo.seen`). The audit gives those accounts their photo before correlating, so a
persona whose text and employer share nothing with a corroborated campaign still joins it by its photo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from falsefriends.audit.workspace_audit import Workspace, audit_workspace
from falsefriends.check import Checker
from falsefriends.model import Account
from falsefriends.photo.hashes import fingerprint
from falsefriends.photo.seen import account_name, record_sighting
from falsefriends.photo.synthetic import portrait, reused
from falsefriends.rules.loader import load_rules
from tests.audit.small_orgs import _at, _person, spread_order
from tests.audit.test_small_org_senders import PACKS, _org

OTHER_NOTE = "Good day {first}, a colleague mentioned your name. I would be happy to exchange views on {topic}."


def _audit(tmp: Path, with_photos: bool) -> dict[str, Any]:
    org = _org(quiet=True)
    third = _person("Lena", "Vogt", "lena-vogt-42", "Brightwater Advisory", "Consultant", "persona")
    org.roles["hunter_3"] = third
    for day, member in enumerate(spread_order(org.staff)[6:8], 12):
        org.invite(third, member, _at(10, day), OTHER_NOTE)
    exports, roster = org.write(tmp)
    workspace = Workspace(f"sqlite:///{tmp / 'ws.db'}")
    if with_photos:
        face = portrait(7)
        for person, image in ((org.roles["hunter_1"], face), (third, reused(face, 3))):
            key = account_name(Account(name=person.full, url=person.url))
            assert record_sighting(workspace.engine, fingerprint(image).hex(), key, "check")
    checker = Checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))), semantic=False)
    findings = audit_workspace([exports], roster, tmp / "audit", workspace, checker=checker).findings
    workspace.engine.dispose()
    return {"org": org, "campaigns": findings.campaigns}


@pytest.mark.parametrize("with_photos", [False, True])
def test_a_photo_checked_on_two_accounts_links_them_in_the_audit(tmp_path: Path, with_photos: bool) -> None:
    result = _audit(tmp_path, with_photos)
    roles = result["org"].roles
    hunters = {roles["hunter_1"].url, roles["hunter_2"].url}
    holding = [c for c in result["campaigns"] if hunters & set(c["accounts"])]
    assert len(holding) == 1  # the headhunters' corroborated campaign, with or without photos
    joined = roles["hunter_3"].url in holding[0]["accounts"]
    assert joined == with_photos
    linked_by = [e["reason"] for e in holding[0]["evidence"] if e["indicator"] == "C1"]
    assert linked_by and all(("accounts use photo" in reason) == with_photos for reason in linked_by)
