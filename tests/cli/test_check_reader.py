"""`check` as a person reads it: one entry per indicator per place (EN/FR/DE twins merged), reasons and advice
in the message's language or --lang, the input's id and advice in --json, plain-word profile errors, and
`--db` with a workspace's watchlist (an account a case confirmed is high there too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from falsefriends import advice
from falsefriends.advice_translations import TRANSLATIONS
from falsefriends.check import Checker, ProfileError, for_reader, profile_from_json
from falsefriends.cli import app
from falsefriends.model import Account, Assessment, Evidence, Level, Message
from falsefriends.wording import INDICATOR_REASON, LANGUAGES, reader_language

runner = CliRunner()
# French, with words every pack's rule for M10 and M15 knows (crypto, Web3, cloner le repo, npm install)
FRENCH_CODE_LURE = ("Nous cherchons un profil crypto Web3 DeFi pour notre startup NFT, merci de cloner le repo GitHub "
                    "et npm install avant l'entretien.")


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(semantic=False)


def _check(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["check", "--no-semantic", "--json", *args])
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.output)
    return out


def test_twins_of_other_languages_are_one_entry_in_the_readers_language(checker: Checker) -> None:
    raw = checker.assess([Message(id="m", body=FRENCH_CODE_LURE)])
    assert raw.language == "fr"
    fired = {(item.indicator, checker.rules.get(item.rule).language) for item in raw.evidence}
    assert {("M15", "en"), ("M15", "fr"), ("M10", "en"), ("M10", "fr")} <= fired  # the twins the issue saw
    shown = for_reader(raw, checker.rules, "fr")
    assert {item.indicator for item in shown.evidence} == {"M10", "M15"}
    # one language family per indicator and place: the French rules only, no English or German twin
    assert all(checker.rules.get(item.rule).language == "fr" for item in shown.evidence)
    assert len(shown.evidence) < len(raw.evidence)
    assert [item.rule for item in shown.evidence if item.indicator == "M15"] == ["fr-pretexte-crypto-web3"]
    # the score, level and indicators are the assessment's: fusion already counted each indicator once
    assert (shown.score, shown.level, shown.indicators) == (raw.score, raw.level, raw.indicators)
    # the sources of the merged twins stay
    assert {source for item in raw.evidence if item.indicator == "M10" for source in item.source} == \
        {source for item in shown.evidence if item.indicator == "M10" for source in item.source}
    german = for_reader(raw, checker.rules, "de")
    assert all(checker.rules.get(item.rule).language == "de" for item in german.evidence)


def test_a_reason_of_another_language_is_told_in_the_readers() -> None:
    english = Evidence(rule="en-move-to-encrypted-app", indicator="M3", weight=1.6, reason="Asks to move apps.",
                       span=(0, 8), message="m")
    profile = Evidence(rule="p-x", indicator="P2", weight=1.0, reason="Generic employer.", field="employer",
                       detector="watchlist")
    assessment = Assessment(subject="m", score=0.5, level=Level.MEDIUM, evidence=(english, profile))
    rules = Checker(semantic=False).rules
    shown = for_reader(assessment, rules, "fr")
    # a rule of another pack: the indicator's reason in French; another detector keeps what it matched
    assert [item.reason for item in shown.evidence] == [INDICATOR_REASON["fr"]["M3"],
                                                        f'{INDICATOR_REASON["fr"]["P2"]} (Generic employer.)']
    assert for_reader(assessment, rules, "en").evidence[0].reason == "Asks to move apps."


def test_french_message_gets_french_reasons_and_advice_and_lang_overrides() -> None:
    out = _check(FRENCH_CODE_LURE)
    assert out["reader_language"] == "fr" and out["id"] == "text"
    steps = out["advice"]
    assert isinstance(steps, list) and steps[0] == TRANSLATIONS["fr"][advice.CODE_FIRST]
    evidence = out["evidence"]
    assert isinstance(evidence, list) and all(e["rule"].startswith("fr-") for e in evidence)
    german = _check("--lang", "de", FRENCH_CODE_LURE)
    assert german["reader_language"] == "de" and german["advice"][0] == TRANSLATIONS["de"][advice.CODE_FIRST]
    text = runner.invoke(app, ["check", "--no-semantic", FRENCH_CODE_LURE])
    assert text.exit_code == 0 and "que faire" in text.output and "Risque" in text.output
    assert runner.invoke(app, ["check", "--lang", "it", "x"]).exit_code == 2  # a fixed choice


def test_a_spanish_lure_is_told_as_spanish_and_advised_in_english() -> None:
    # Spanish shares "de", "la", "que" with French; once it read as French and got French advice.
    out = _check("Hola, somos una empresa de blockchain. Por favor clone el repositorio y ejecútelo antes de la "
                 "entrevista técnica.")
    assert out["language"] == "es" and out["reader_language"] == "en"
    assert out["advice"] and all(step not in TRANSLATIONS["fr"].values() for step in out["advice"])


def test_every_advice_step_has_a_translation() -> None:
    steps = [*advice.INDICATOR_ADVICE.values(), advice.CODE_FIRST, advice.CODE_ALREADY_RAN, advice.KEEP_EVIDENCE,
             advice.TELL_OFFICER, advice.REMOVE_AFTER, advice.LOW_SOME_SIGNS, advice.KEEP_SCREENSHOT,
             *(s for level in advice.ADVICE.values() for s in level),
             *(s for stage in advice.STAGE_ADVICE.values() for s in stage)]
    for language in ("fr", "de"):
        missing = [step for step in steps if step not in TRANSLATIONS[language]]
        assert not missing, (language, missing)
    for level in Level:
        for stage in advice.Stage:
            for codes in ((), ("M3",), ("M10", "M3")):
                english = advice.advice_for(level, codes, stage)
                french = advice.advice_for(level, codes, stage, "fr")
                assert len(french) == len(english) and not set(french) & set(english)
    for language in LANGUAGES:
        assert set(INDICATOR_REASON[language]) == set(INDICATOR_REASON["en"])
    assert reader_language(None, "es") == "en" and reader_language("de", "fr") == "de"


def test_the_inputs_id_and_advice_in_json(tmp_path: Path) -> None:
    message = tmp_path / "lure-42.txt"
    message.write_text("Could we continue on WhatsApp?", encoding="utf-8")
    out = _check("--file", str(message))
    assert out["id"] == "lure-42.txt" and out["advice"] and out["stage"] == "contacted"
    assert _check("--id", "ticket-7", "Could we continue on WhatsApp?")["id"] == "ticket-7"
    profile = tmp_path / "sender.json"
    profile.write_text(json.dumps({"url": "https://www.linkedin.com/in/jane-x", "headline": "Headhunter"}))
    assert _check("--profile", str(profile))["id"] == "https://www.linkedin.com/in/jane-x"


def test_profile_errors_in_plain_words(tmp_path: Path) -> None:
    assert profile_from_json({"education": "LMU Munich"}).education == ("LMU Munich",)  # one school, as text
    with pytest.raises(ProfileError) as caught:
        profile_from_json({"education": 3, "connections": "many", "nmae": "x"})
    words = str(caught.value)
    assert 'education: a list of schools, e.g. ["LMU Munich"]' in words
    assert "connections: a whole number" in words and "nmae: not a profile field" in words
    assert "Input should be" not in words
    bad = tmp_path / "p.json"
    bad.write_text(json.dumps({"name": "A", "created": "last year"}))
    result = runner.invoke(app, ["check", "--no-semantic", "--profile", str(bad)])
    assert result.exit_code == 2 and "created: a date as YYYY-MM-DD" in result.output


def test_check_db_uses_the_workspace_watchlist(tmp_path: Path) -> None:
    from falsefriends.store.db import make_engine, session_scope, upgrade
    from falsefriends.watchlist.entries import Entry, EntryKind, Identifier, IdentifierKind, Provenance, Status
    from falsefriends.watchlist.repository import save_entries

    db = tmp_path / "ws.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    url = "https://www.linkedin.com/in/confirmed-persona-1"
    provenance = Provenance(source="case-1", status=Status.ANALYST, date="2026-01-01", title="confirmed by ana")
    with session_scope(engine) as session:  # what confirming a case in the service writes (cases.watchlist_feed)
        save_entries(session, [Entry(id="analyst-case-1-1", kind=EntryKind.ACCOUNT, name="Nadia Persona",
                                     identifiers=(Identifier(kind=IdentifierKind.PROFILE_URL, value=url),),
                                     provenance=(provenance,))], origin="case 1 confirmed by ana")
    engine.dispose()
    profile = tmp_path / "sender.json"
    profile.write_text(json.dumps(Account(name="Nadia Persona", url=url, headline="Consultant").model_dump(
        mode="json", exclude_none=True)))
    plain = _check("--profile", str(profile))
    in_workspace = _check("--profile", str(profile), "--db", str(db))
    assert plain["level"] == "low" and in_workspace["level"] == "high", (plain, in_workspace)
    missing = runner.invoke(app, ["check", "--no-semantic", "--db", str(tmp_path / "nope.db"), "x"])
    assert missing.exit_code == 2 and "no workspace at" in missing.output
    assert not (tmp_path / "nope.db").exists()
