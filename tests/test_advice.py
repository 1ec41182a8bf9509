"""Advice that fits: the level, a code-execution lure, and the stage the person has reached with the sender.

One implementation (`falsefriends.advice.advice_for`) serves `check` (terminal and `--json`), the API's check
route and the audit's per-staff notices; these tests drive it by table and check that each surface passes the
stage it knows.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
from audit.conftest import PACKS, export_of, persona, received, sent, staff, when
from typer.testing import CliRunner

from falsefriends.advice import (
    CODE_ALREADY_RAN,
    CODE_FIRST,
    Stage,
    advice_for,
    furthest,
    stage_of,
)
from falsefriends.api.routes.check import check_one
from falsefriends.audit.data import from_exports
from falsefriends.audit.findings import build_findings
from falsefriends.batch import parse_line
from falsefriends.check import Checker
from falsefriends.cli import app
from falsefriends.model import Channel, Level
from falsefriends.rules.loader import load_rules

DO_NOT_REPLY = "Do not reply, do not accept the request"


def rules_only_checker(**kwargs: Any) -> Checker:
    """The rules and the expert-prior fusion only (no semantic detector, where the checker has one)."""
    if "semantic" in inspect.signature(Checker).parameters:
        kwargs["semantic"] = False
    return Checker(**kwargs)
GENERIC_LURE = ("M1", "M3", "M4")
CODE_LURE = ("M6", "M10")

# stage -> words its advice must contain (from NPSA TBYL and DGSI 2018), and whether "do not reply" may lead
STAGE_CASES = [
    (Stage.CONTACTED, ["Do not reply", "NPSA TBYL: Report", "NPSA TBYL: Remove"], True),
    (Stage.ACCEPTED, ["You accepted the connection", "remove the connection", "NPSA TBYL: Report"], False),
    (Stage.REPLIED, ["You already answered", "send nothing more", "do not delete", "security officer now"], False),
    (Stage.MOVED_OFF_PLATFORM, ["another app", "Do not delete that chat", "number, handle or address",
                                "security officer now"], False),
    (Stage.SHARED_MATERIAL, ["You already sent material", "exactly what you sent", "not your fault"], False),
]


@pytest.mark.parametrize("level", [Level.HIGH, Level.MEDIUM])
@pytest.mark.parametrize(("stage", "expected", "starts_with_do_not_reply"), STAGE_CASES)
def test_each_stage_gets_its_own_advice(level: Level, stage: Stage, expected: list[str],
                                        starts_with_do_not_reply: bool) -> None:
    steps = advice_for(level, GENERIC_LURE, stage)
    text = " ".join(steps)
    if level is Level.HIGH or stage is not Stage.CONTACTED:
        for words in expected:
            assert words in text, (stage, words)
    assert steps[0].startswith(DO_NOT_REPLY) is (starts_with_do_not_reply and level is Level.HIGH)
    if stage is not Stage.CONTACTED:
        # Someone who already accepted, replied or moved apps is never told only "do not reply, do not accept".
        assert DO_NOT_REPLY not in text
        assert "security officer" in text


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("level", [Level.HIGH, Level.MEDIUM])
@pytest.mark.parametrize("indicators", [("M10",), CODE_LURE, ("M14", "M15"), ("M3", "M10", "M12")])
def test_a_code_execution_lure_starts_with_do_not_run_it(level: Level, stage: Stage,
                                                        indicators: tuple[str, ...]) -> None:
    steps = advice_for(level, indicators, stage)
    assert steps[0] == CODE_FIRST
    assert steps[0].startswith("Do not run it, do not clone or install anything they sent; report it to your "
                               "security officer (and to the platform)")
    assert CODE_ALREADY_RAN in steps
    assert len(steps) == len(set(steps))  # the generic M10 line is not repeated under the stronger one


def test_the_code_lure_advice_then_follows_the_stage() -> None:
    contacted = advice_for(Level.HIGH, ("M10",), Stage.CONTACTED)
    assert contacted[1].startswith(DO_NOT_REPLY)
    replied = advice_for(Level.HIGH, ("M10",), Stage.REPLIED)
    assert any(step.startswith("You already answered") for step in replied)
    assert not any(step.startswith(DO_NOT_REPLY) for step in replied)


@pytest.mark.parametrize(("indicators", "present", "absent"), [
    (("M3",), "Never move to WhatsApp", None),
    (("M13",), "in someone else's name", None),
    (("M12",), "no interview or negotiation", None),
    (("M10",), CODE_FIRST, "real employers do not need you to run their code"),
])
def test_indicator_advice_is_added_once(indicators: tuple[str, ...], present: str, absent: str | None) -> None:
    text = " ".join(advice_for(Level.HIGH, indicators))
    assert present in text
    if absent is not None:
        assert absent not in text


def test_low_verdicts_keep_the_general_advice_whatever_the_stage() -> None:
    assert advice_for(Level.LOW, ()) == advice_for(Level.LOW, (), Stage.REPLIED)
    assert advice_for(Level.LOW, ())[0].startswith("Nothing here matches")
    assert advice_for(Level.LOW, ("M6",))[0].startswith("Some signs fired")
    shared = advice_for(Level.LOW, (), Stage.SHARED_MATERIAL)
    assert any("exactly what you sent" in step for step in shared)


def test_the_default_stage_is_contacted_and_strings_are_accepted() -> None:
    assert advice_for(Level.HIGH, GENERIC_LURE) == advice_for(Level.HIGH, GENERIC_LURE, Stage.CONTACTED)
    assert advice_for(Level.HIGH, GENERIC_LURE, "moved-off-platform") == advice_for(
        Level.HIGH, GENERIC_LURE, Stage.MOVED_OFF_PLATFORM)
    with pytest.raises(ValueError):
        advice_for(Level.HIGH, GENERIC_LURE, "ghosted")


@pytest.mark.parametrize(("accepted", "replied", "off", "shared", "expected"), [
    (False, False, False, False, Stage.CONTACTED),
    (True, False, False, False, Stage.ACCEPTED),
    (True, False, True, False, Stage.ACCEPTED),  # asked to move, never answered
    (False, True, False, False, Stage.REPLIED),
    (True, True, True, False, Stage.MOVED_OFF_PLATFORM),
    (False, False, False, True, Stage.SHARED_MATERIAL),
])
def test_stage_of_what_is_known(accepted: bool, replied: bool, off: bool, shared: bool, expected: Stage) -> None:
    assert stage_of(accepted=accepted, replied=replied, asked_off_platform=off, shared_material=shared) is expected


def test_furthest_stage() -> None:
    assert furthest([]) is Stage.CONTACTED
    assert furthest([Stage.REPLIED, Stage.ACCEPTED, Stage.MOVED_OFF_PLATFORM]) is Stage.MOVED_OFF_PLATFORM


# --- the audit's notices pass the stage they know ------------------------------------------------------------
def test_an_audit_notice_for_someone_who_accepted_and_moved_off_platform_gets_that_stage() -> None:
    checker = rules_only_checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))))
    dana, eli = staff("S7", "Dana Kerr"), staff("S8", "Eli Moss")
    hostile = persona("mia-global-9", "Mia Chen", headline="Senior Headhunter", employer="Global Insight Partners")
    dana_export = export_of(
        dana,
        connections=(hostile,),
        invitations=(received(hostile, dana, "Dear Dana, we offer a generous fee for a short report.",
                              when(3, 1), channel=Channel.INVITATION),),
        messages=(
            received(hostile, dana, "Thank you for connecting. Shall we continue on WhatsApp?", when(3, 5), "c7"),
            sent(dana, hostile, "Sure, here is my number.", when(3, 6), "c7"),
            received(hostile, dana, "Our client needs two analysis notes on trade policy.", when(4, 2), "c7"),
        ),
        contacts=(hostile,),
    )
    eli_export = export_of(
        eli,
        invitations=(received(hostile, eli, "Dear Eli, we offer a generous fee for a short report. Shall we "
                              "continue on WhatsApp?", when(4, 10), channel=Channel.INVITATION),),
    )
    findings = build_findings(from_exports([dana_export, eli_export], [dana, eli]), checker)
    by_id = {s.staff_id: s for s in findings.staff}
    dana_notice, eli_notice = by_id["S7"], by_id["S8"]
    link = dana_notice.flagged[0]
    assert link.accepted and link.replied and link.asked_off_platform
    assert dana_notice.advice == advice_for(dana_notice.flagged[0].level, ("M1", "M3", "M4", "P1"),
                                            Stage.MOVED_OFF_PLATFORM)
    text = " ".join(dana_notice.advice)
    assert DO_NOT_REPLY not in text
    assert "Do not delete that chat" in text and "send nothing more" in text
    # ... while someone only contacted by the same account is still told not to reply
    assert eli_notice.flagged and eli_notice.flagged[0].level is Level.HIGH
    assert not (eli_notice.flagged[0].accepted or eli_notice.flagged[0].replied)
    assert eli_notice.advice[0].startswith(DO_NOT_REPLY)


# --- check (CLI and API) ------------------------------------------------------------------------------------
RUN_OUR_REPO = "Please clone our repo and run npm install before tomorrow's interview"
runner = CliRunner()


def test_check_of_a_run_our_repo_message_is_high_with_m10_evidence_and_code_advice() -> None:
    result = runner.invoke(app, ["check", RUN_OUR_REPO, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["level"] == "high"
    assert "M10" in data["indicators"]
    assert any(e["indicator"] == "M10" and e["rule"] == "en-run-their-code-for-interview" for e in data["evidence"])
    assert data["stage"] == "contacted"
    assert data["advice"][0] == CODE_FIRST
    human = runner.invoke(app, ["check", RUN_OUR_REPO])
    assert human.exit_code == 0
    assert "HIGH" in human.output and "M10" in human.output and "Do not run it" in human.output


def test_the_rules_alone_make_it_high() -> None:
    from falsefriends.model import Message

    assessment = rules_only_checker().message(Message(id="m", body=RUN_OUR_REPO))
    assert assessment.level is Level.HIGH
    assert "M10" in assessment.indicators


@pytest.mark.parametrize("stage", list(Stage))
def test_check_stage_option_changes_the_advice(stage: Stage) -> None:
    lure = "We offer a generous fee for short analysis notes on defence policy; let's continue on WhatsApp."
    result = runner.invoke(app, ["check", lure, "--json", "--stage", stage.value])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["stage"] == stage.value
    assert data["advice"] == advice_for(_level(data["level"]), tuple(data["indicators"]), stage)
    human = runner.invoke(app, ["check", lure, "--stage", stage.value])
    assert human.exit_code == 0
    if stage is not Stage.CONTACTED:
        assert "what to do (you have" in human.output


def test_check_stage_rejects_unknown_values_and_batch_mode() -> None:
    assert runner.invoke(app, ["check", "hello", "--stage", "ghosted"]).exit_code == 2
    assert runner.invoke(app, ["check", "--jsonl", "-", "--stage", "replied"], input="").exit_code == 2


def test_the_api_check_route_uses_the_same_advice() -> None:
    checker = rules_only_checker()
    item = parse_line(json.dumps({"id": "m1", "text": RUN_OUR_REPO}).encode(), 1)
    contacted = check_one(checker, item)
    assert contacted["advice"] == advice_for(_level(contacted["level"]), tuple(contacted["indicators"]))
    moved = check_one(checker, item, Stage.MOVED_OFF_PLATFORM)
    assert moved["advice"] == advice_for(_level(moved["level"]), tuple(moved["indicators"]), Stage.MOVED_OFF_PLATFORM)
    assert moved["advice"][0] == CODE_FIRST


def _level(value: str) -> Level:
    return Level(value)
