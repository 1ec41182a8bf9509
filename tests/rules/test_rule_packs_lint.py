"""The bundled rule packs: they lint clean, cover the indicators they promise, and keep their conventions."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from falsefriends.cli import app
from falsefriends.detect.fusion import default_fusion
from falsefriends.model import Evidence, Level
from falsefriends.rules.loader import CompiledRule, bundled_pack_paths, lint_files

MESSAGE_INDICATORS = {"M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M10", "M11", "M12", "M13", "M14", "M15"}
# The strong kind of M10: one fired rule must reach "high" on its own (see rules/fusion.yaml).
HIGH_ON_THEIR_OWN = {
    "en-run-their-code-for-interview", "en-run-command-to-fix-call",
    "fr-executer-leur-code-pour-entretien", "fr-commande-pour-reparer-appel",
    "de-ihren-code-fuer-bewerbung-ausfuehren", "de-befehl-fuer-kamera-ausfuehren",
    "es-ejecutar-su-codigo-para-entrevista", "it-eseguire-il-loro-codice-per-colloquio",
    "pt-executar-o-codigo-deles-para-entrevista", "nl-hun-code-uitvoeren-voor-gesprek",
}
PROFILE_INDICATORS = {"P1", "P2", "P4", "P5", "P8"}
LANGUAGES = ("en", "fr", "de")
# Smaller packs: the fake-recruiter scheme's indicators (FBI I-090324-PSA, I-051624-PSA) only.
RECRUITER_LANGUAGES = ("es", "it", "pt", "nl")
RECRUITER_INDICATORS = {"M3", "M10", "M12", "M13", "M15"}


@pytest.fixture(scope="module")
def bundled() -> list[CompiledRule]:
    rules, problems = lint_files(bundled_pack_paths())
    assert [str(p) for p in problems] == []
    return rules


def test_bundled_packs_have_no_errors_and_no_warnings() -> None:
    paths = bundled_pack_paths()
    assert {p.name for p in paths} >= {"lures.en.yaml", "lures.fr.yaml", "lures.de.yaml", "profile.yaml"}
    rules, problems = lint_files(paths)
    assert problems == []
    assert len(rules) >= 60


def test_cli_lint_strict_passes_on_the_bundled_packs() -> None:
    result = CliRunner().invoke(app, ["rules", "lint", "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_covers_every_message_indicator(bundled: list[CompiledRule], language: str) -> None:
    covered = {r.spec.indicator for r in bundled if r.kind == "message" and r.language == language}
    assert covered >= MESSAGE_INDICATORS, sorted(MESSAGE_INDICATORS - covered)


@pytest.mark.parametrize("language", RECRUITER_LANGUAGES)
def test_each_smaller_pack_covers_the_fake_recruiter_indicators(bundled: list[CompiledRule], language: str) -> None:
    covered = {r.spec.indicator for r in bundled if r.kind == "message" and r.language == language}
    assert covered >= RECRUITER_INDICATORS, sorted(RECRUITER_INDICATORS - covered)


def test_profile_pack_covers_its_indicators(bundled: list[CompiledRule]) -> None:
    profile = [r for r in bundled if r.kind == "profile"]
    assert {r.spec.indicator for r in profile} >= PROFILE_INDICATORS
    assert {r.language for r in profile} == {"any"}
    senior = [r for r in profile if r.spec.indicator == "P4"]
    assert senior and all("thin-history" in r.spec.requires for r in senior)


def test_ids_are_prefixed_by_language_or_kind(bundled: list[CompiledRule]) -> None:
    for rule in bundled:
        prefix = "profile" if rule.kind == "profile" else rule.language
        assert rule.id.startswith(f"{prefix}-"), rule.id
        assert Path(rule.path).name.endswith(f".{rule.language}.yaml") or rule.kind == "profile"


def test_the_historic_id_is_kept(bundled: list[CompiledRule]) -> None:
    assert "en-move-to-encrypted-app" in {r.id for r in bundled}


def test_every_pattern_rule_has_examples_counter_examples_and_a_source(bundled: list[CompiledRule]) -> None:
    for rule in bundled:
        spec = rule.spec
        assert spec.source and all(s.strip() for s in spec.source), rule.id
        if spec.patterns:
            assert len(spec.examples) >= 2, rule.id
            assert len(spec.counter_examples) >= 1, rule.id


def test_weights_stay_within_the_expert_bands(bundled: list[CompiledRule]) -> None:
    # Log-odds: with the fusion bias at -3.0, no single rule may carry a message to "high" on its own,
    # except the strong kind of M10 (run their code as a step of an interview, run a command to fix the call).
    for rule in bundled:
        weight = rule.spec.weight
        if rule.spec.indicator.startswith("N"):
            assert -1.0 <= weight < 0, rule.id
        elif rule.id in HIGH_ON_THEIR_OWN:
            assert rule.spec.indicator == "M10", rule.id
        else:
            assert 0.3 <= weight <= 2.2, rule.id
    strongest: dict[str, float] = defaultdict(float)
    for rule in bundled:
        if rule.id not in HIGH_ON_THEIR_OWN:
            strongest[rule.spec.indicator] = max(strongest[rule.spec.indicator], rule.spec.weight)
    # Generic, easily imitated signals stay weaker than the specific tradecraft signals.
    assert strongest["M5"] < strongest["M4"] < strongest["M11"]
    assert strongest["M6"] < strongest["M1"] < strongest["M3"] < strongest["M10"]
    assert strongest["M7"] < strongest["M8"]
    # The FBI's fake-recruiter indicators: the proxy interview is specific, the crypto pretext is common.
    assert strongest["M15"] < strongest["M12"] <= strongest["M13"]


def test_the_strong_code_execution_rules_reach_high_on_their_own(bundled: list[CompiledRule]) -> None:
    fusion = default_fusion()
    strong = [r for r in bundled if r.id in HIGH_ON_THEIR_OWN]
    assert {r.id for r in strong} == HIGH_ON_THEIR_OWN
    assert {r.language for r in strong} == set(LANGUAGES) | set(RECRUITER_LANGUAGES)
    for rule in strong:
        evidence = [Evidence(rule=rule.id, indicator=rule.spec.indicator, weight=rule.spec.weight,
                             excerpt="x", reason=rule.spec.reason, source=rule.spec.source)]
        score, level, _ = fusion.score(evidence)
        assert level is Level.HIGH, (rule.id, score)
    # ... and no other rule does.
    for rule in bundled:
        if rule.id in HIGH_ON_THEIR_OWN or rule.spec.weight <= 0:
            continue
        evidence = [Evidence(rule=rule.id, indicator=rule.spec.indicator, weight=rule.spec.weight,
                             excerpt="x", reason=rule.spec.reason, source=rule.spec.source)]
        assert fusion.score(evidence)[1] is not Level.HIGH, rule.id
