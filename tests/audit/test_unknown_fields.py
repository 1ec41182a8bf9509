"""No evidence from absence: what the exports do not hold is unknown, not vague."""

from __future__ import annotations

from falsefriends.audit.data import from_exports
from falsefriends.audit.findings import build_findings
from falsefriends.audit.unknown_fields import drop_unknown, unknown_fields
from falsefriends.check import Checker
from falsefriends.detect.profile import profile_evidence
from falsefriends.model import Account, Channel
from tests.audit.conftest import export_of, persona, received, staff, when

SENIOR = "Managing Director"


def test_fields_an_export_never_holds_are_unknown() -> None:
    invited_only = Account(key="k", name="A", headline=SENIOR)
    assert unknown_fields(invited_only, connected=False) == {"employer", "positions", "education", "connections"}
    assert "employer" not in unknown_fields(invited_only, connected=True)
    assert "employer" not in unknown_fields(invited_only.model_copy(update={"employer": "X"}), connected=False)


def test_rules_whose_condition_reads_an_unknown_field_do_not_fire() -> None:
    checker = Checker(semantic=False)
    account = Account(key="k", name="A", headline=SENIOR, position=SENIOR)
    fired = {e.rule for e in profile_evidence(account, checker.rules)}
    assert {"profile-no-named-employer", "profile-senior-title-thin-history"} <= fired  # what absence would say
    kept = {e.rule for e in drop_unknown(profile_evidence(account, checker.rules), checker.rules,
                                         unknown_fields(account, connected=False))}
    assert not kept & {"profile-no-named-employer", "profile-senior-title-thin-history"}
    # A connection whose Company is blank: the field is present and empty, and still counts.
    present = {e.rule for e in drop_unknown(profile_evidence(account, checker.rules), checker.rules,
                                            unknown_fields(account, connected=True))}
    assert "profile-no-named-employer" in present


def test_the_audit_reads_no_employer_into_an_account_that_never_became_a_connection() -> None:
    alice = staff("S1", "Alice Martin")
    bob = staff("S2", "Bob Okafor", "Engineering")
    stranger = persona("pat-invites", "Pat Invites", headline=SENIOR)
    blank = persona("cory-blank", "Cory Blank", headline=SENIOR)
    exports = [
        export_of(alice, invitations=(received(stranger, alice, "Hello Alice, glad to connect.", when(3, 1),
                                               channel=Channel.INVITATION),)),
        export_of(bob, connections=(blank,)),
    ]
    findings = build_findings(from_exports(exports, [alice, bob]), Checker(semantic=False))
    by_key = {a.account: a for a in findings.accounts}
    stranger_rules = {e.rule for e in by_key[stranger.url or ""].evidence}
    blank_rules = {e.rule for e in by_key[blank.url or ""].evidence}
    assert "profile-no-named-employer" not in stranger_rules
    assert "profile-no-named-employer" in blank_rules
    assert "profile-senior-title-thin-history" not in stranger_rules | blank_rules
