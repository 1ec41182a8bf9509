"""Corroboration: names alone never count; employer, URL/handle, photo or behaviour do; real institutions never."""

from __future__ import annotations

import pytest

from falsefriends.check import Checker
from falsefriends.model import Account, Level, Message, Position
from falsefriends.watchlist.bundled import bundled_watchlist
from falsefriends.watchlist.entries import IdentifierKind
from falsefriends.watchlist.provider import WEIGHTS, WatchlistProvider
from watchlist.factories import identifier, organisation, persona, watchlist


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(providers=[WatchlistProvider(bundled_watchlist())])


def rules_of(assessment: object) -> dict[str, float]:
    return {e.rule: e.weight for e in assessment.evidence if e.detector == "watchlist"}  # type: ignore[attr-defined]


def test_persona_name_alone_stays_low_and_is_explained(checker: Checker) -> None:
    result = checker.profile(Account(name="Jason Wang", employer="Siemens AG", headline="Engineer"))
    assert result.level is Level.LOW
    name_only = [e for e in result.evidence if e.rule == "watchlist-persona-name-only"]
    assert name_only and name_only[0].weight == 0.0
    assert "not counted" in name_only[0].reason


def test_persona_with_claimed_front_employer_is_high(checker: Checker) -> None:
    result = checker.profile(Account(name="Alex Li", employer="Centre for Sino-Europe Development Studies Ltd"))
    assert result.level is Level.HIGH
    assert rules_of(result)["watchlist-persona-corroborated"] == WEIGHTS["watchlist-persona-corroborated"].weight
    assert "watchlist-org-match" in rules_of(result)


def test_anyone_employed_by_a_listed_front_is_flagged(checker: Checker) -> None:
    result = checker.profile(Account(name="John Smith", positions=(Position(company="C.C.I.P.E."),)))
    assert result.level in (Level.MEDIUM, Level.HIGH)
    org = [e for e in result.evidence if e.rule == "watchlist-org-match"]
    assert org[0].indicator == "P2" and org[0].field == "positions" and "bfv-2017" in org[0].source


def test_staff_of_real_institutions_personas_claimed_stay_low(checker: Checker) -> None:
    for employer in ("CSIS", "Center for Strategic & International Studies", "Shanghai Academy of Social Sciences",
                     "China University of Political Science and Law", "RingCentral"):
        result = checker.profile(Account(name="Maria Keller", employer=employer))
        assert result.level is Level.LOW, employer
        assert rules_of(result) == {"watchlist-claimed-institution": 0.0}


def test_persona_with_the_real_institution_it_claimed_is_medium_not_high(checker: Checker) -> None:
    result = checker.profile(Account(name="Katie Jones", employer="CSIS"))
    assert result.level is Level.MEDIUM
    assert "watchlist-persona-corroborated-real-employer" in rules_of(result)


def test_profile_url_handle_and_photo_corroborate() -> None:
    entry = persona("Jana Luo", identifiers=(
        identifier(IdentifierKind.PROFILE_URL, "linkedin.com/in/jana-luo-88"),
        identifier(IdentifierKind.WECHAT, "jana_luo88"),
        identifier(IdentifierKind.PHOTO_HASH, "ffd8a1b2c3d4e5f6"),
    ))
    checker = Checker(providers=[WatchlistProvider(watchlist(entry))])
    by_url = checker.profile(Account(name="Luo Jana", url="https://www.linkedin.com/in/jana-luo-88/"))
    assert by_url.level is Level.HIGH
    assert {"watchlist-handle-match", "watchlist-persona-corroborated"} <= set(rules_of(by_url))
    by_photo = checker.profile(Account(name="Someone Else", photo="ffd8a1b2c3d4e5f6"))
    assert rules_of(by_photo) == {"watchlist-photo-match": 4.0}
    by_handle = checker.profile(Account(name="J. Luo", about="Add me on WeChat: jana_luo88"))
    assert "watchlist-handle-match" in rules_of(by_handle)


def test_message_behaviour_corroborates_a_persona_name(checker: Checker) -> None:
    lure = Message(id="m1", sender_name="Jason Wang",
                   body="We pay well for a short report. Could we continue on WhatsApp?")
    plain = Message(id="m2", sender_name="Jason Wang", body="Thanks for connecting, see you at the conference.")
    assert "watchlist-persona-behaviour" in rules_of(checker.message(lure))
    assert rules_of(checker.message(plain)) == {"watchlist-persona-name-only": 0.0}


def test_message_handles_domains_and_org_mentions_carry_spans() -> None:
    front = organisation("Global View Strategic Consulting", identifiers=(
        identifier(IdentifierKind.EMAIL_DOMAIN, "gv-consult.com"),
        identifier(IdentifierKind.TELEGRAM, "@shawn_gv")))
    provider = WatchlistProvider(watchlist(front))
    body = "I am Shawn from Global View Strategic Consulting. Write to shawn@gv-consult.com or t.me/shawn_gv"
    evidence = provider.message_evidence(Message(id="m", body=body))
    by_rule = {e.rule: e for e in evidence}
    assert set(by_rule) == {"watchlist-org-mentioned", "watchlist-domain-match", "watchlist-handle-match"}
    for item in evidence:
        assert item.span is not None and body[item.span[0]:item.span[1]] == item.excerpt


@pytest.mark.parametrize("name", ["Jason Wang", "Alex Li", "Rachel Li", "Lily Wu", "Joan Li", "Michael Yang",
                                  "Katie Jones", "王杰森", "Wang Jason", "Mohammed Ali", "Anna Müller"])
def test_fairness_common_names_on_innocent_profiles_score_as_any_other_name(checker: Checker, name: str) -> None:
    innocent = Account(name=name, headline="Software engineer at Siemens", employer="Siemens AG",
                       about="I build signal-processing software.")
    baseline = checker.profile(innocent.model_copy(update={"name": "Pat Example"}))
    result = checker.profile(innocent)
    assert result.level is Level.LOW
    assert result.score == baseline.score


def test_hostile_messages_stay_bounded() -> None:
    provider = WatchlistProvider(bundled_watchlist())
    flood = "I work for CCIPE. " * 3000 + "WeChat: abc_def " * 3000
    evidence = provider.message_evidence(Message(id="m", body=flood, sender_name="Jason Wang" * 50))
    assert [e.rule for e in evidence] == ["watchlist-org-mentioned"]
