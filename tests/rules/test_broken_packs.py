"""Deliberately broken rule files: each problem is reported, with its message, at the right file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from falsefriends.rules.loader import RuleError, bundled_pack_paths, lint_files, load_rules

BROKEN = Path(__file__).parent / "broken"

# file, line, a piece of the message, severity. The line is where an author must look.
CASES = [
    ("bad_yaml.yaml", 12, "invalid YAML", "error"),
    ("unknown_indicator.yaml", 7, "rules.0.indicator", "error"),
    ("non_kebab_id.yaml", 6, "is not kebab-case", "error"),
    ("duplicate_id.yaml", 13, "duplicate rule id 'en-twice'", "error"),
    ("invalid_regex.yaml", 13, "invalid regular expression", "error"),
    ("accented_pattern.yaml", 12, "accents", "error"),
    ("example_does_not_fire.yaml", 14, "does not fire on its example 'Let us talk on Telegram.'", "error"),
    ("counter_example_fires.yaml", 14, "fires on its counter-example", "error"),
    ("profile_rule_without_fields.yaml", 6, "names no profile field", "error"),
    ("unknown_condition.yaml", 14, "unknown condition 'young-photo'", "error"),
    ("unknown_field.yaml", 11, "rules.0.fields.1", "error"),
    ("misspelt_key.yaml", 8, "rules.0.wieght: Extra inputs are not permitted", "error"),
    ("profile_indicator_in_message_pack.yaml", 7, "P2 is a profile indicator in a message pack", "error"),
    ("counter_indicator_positive_weight.yaml", 8, "must have a negative weight", "error"),
    ("empty_match.yaml", 12, "matches the empty string", "error"),
    ("weight_out_of_range.yaml", 8, "rules.0.weight", "error"),
    ("no_examples.yaml", 6, "has no example", "warning"),
    ("one_bad_rule_among_good.yaml", 14, "en-broken-rule: rules.1.indicator", "error"),
    ("lookahead_not_portable.yaml", 11, "not supported by RE2", "error"),
]


def test_every_broken_file_has_a_case() -> None:
    assert {p.name for p in BROKEN.glob("*.yaml")} == {c[0] for c in CASES}


@pytest.mark.parametrize(("name", "line", "message", "severity"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_is_reported_at_the_right_line(name: str, line: int, message: str, severity: str) -> None:
    path = BROKEN / name
    _, problems = lint_files([path])
    assert problems, f"{name} linted clean"
    located = [p for p in problems if message in p.message]
    assert located, [str(p) for p in problems]
    problem = located[0]
    assert problem.path == str(path)
    assert problem.line == line, str(problem)
    assert problem.severity == severity
    assert str(problem).startswith(f"{path}:{line}:")


def test_broken_rules_are_not_loaded_and_strict_loading_raises() -> None:
    rules, _ = lint_files([BROKEN / "example_does_not_fire.yaml"])
    assert rules == []
    with pytest.raises(RuleError) as raised:
        load_rules([BROKEN / "invalid_regex.yaml"])
    assert "invalid_regex.yaml:13:" in str(raised.value)


def test_a_warning_does_not_stop_loading() -> None:
    ruleset = load_rules([BROKEN / "no_examples.yaml"])
    assert [r.id for r in ruleset.rules] == ["en-no-examples"]


def test_lint_collects_every_problem_of_every_file_in_one_pass() -> None:
    paths = sorted(BROKEN.glob("*.yaml"))
    _, problems = lint_files(paths)
    assert {Path(p.path).name for p in problems} == {p.name for p in paths}


def test_an_id_taken_by_a_bundled_pack_is_a_duplicate(tmp_path: Path) -> None:
    clash = tmp_path / "clash.yaml"
    clash.write_text(
        "pack: local\nlanguage: en\nkind: message\nrules:\n"
        "  - id: en-move-to-encrypted-app\n    indicator: M3\n    weight: 1.0\n"
        "    reason: A local rule reusing a bundled id.\n    source: [DGSI 2018]\n"
        "    patterns: ['\\bthreema\\b']\n    examples: [on Threema, my Threema]\n",
        encoding="utf-8",
    )
    _, problems = lint_files([*bundled_pack_paths(), clash])
    assert [(Path(p.path).name, p.line) for p in problems] == [("clash.yaml", 5)]
    assert "lures.en.yaml" in problems[0].message


def test_one_broken_rule_does_not_hide_the_others() -> None:
    rules, problems = lint_files([BROKEN / "one_bad_rule_among_good.yaml"])
    assert [r.id for r in rules] == ["en-good-rule-before"]
    assert len(problems) == 1
    assert problems[0].line == 14 and "rules.1.indicator" in problems[0].message
