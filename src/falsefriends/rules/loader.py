"""Load, validate and compile rule packs; every problem is reported as `file:line:col: message`.

Validation collects every problem of every file in one pass (like a linter) instead of stopping at
the first, so a rule author sees the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from falsefriends.rules.conditions import CONDITIONS
from falsefriends.rules.engine import ENGINE, PatternSet, Regex, Subject, check_portable, compile_pattern
from falsefriends.rules.schema import PackHeader, ProfileField, RuleSpec
from falsefriends.text import fold
from falsefriends.yamlio import parse_yaml


@dataclass(frozen=True)
class RuleProblem:
    """One problem found in a rule file, located to the line and column."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"


class RuleError(Exception):
    """Raised when rule packs fail validation; carries every problem found."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class CompiledRule:
    """A validated rule with its patterns compiled, ready for a detector."""

    spec: RuleSpec
    pack: str
    language: str
    kind: str
    path: str
    line: int
    pattern: Regex | None
    unless: Regex | None

    @property
    def id(self) -> str:
        return self.spec.id

    def find(self, folded_text: str | Subject) -> list[tuple[int, int]]:
        """Spans of the folded text where this rule fires (after `unless` cancellations).

        Pass a `Subject` when the same text is searched by several rules (it is encoded once)."""
        if self.pattern is None:
            return []
        subject = folded_text if isinstance(folded_text, Subject) else Subject(folded_text)
        found = self.pattern.matches(subject)
        unless, window = self.unless, self.spec.window
        return [(m[0], m[1]) for m in found if unless is None or not unless.occurs_near(subject, m, window)]


@dataclass(frozen=True)
class RuleSet:
    """All loaded rules, by kind, with a lookup by id."""

    rules: tuple[CompiledRule, ...]
    by_id: dict[str, CompiledRule] = field(default_factory=dict)

    @cached_property
    def message_rules(self) -> tuple[CompiledRule, ...]:
        return tuple(r for r in self.rules if r.kind == "message")

    @cached_property
    def profile_rules(self) -> tuple[CompiledRule, ...]:
        return tuple(r for r in self.rules if r.kind == "profile")

    @cached_property
    def _message_set(self) -> PatternSet:
        return PatternSet([_alternation(r.spec.patterns) for r in self.message_rules])

    def message_candidates(self, folded_text: str | Subject) -> list[CompiledRule]:
        """The message rules whose patterns occur in the text (before `unless` checks), in one pass."""
        rules = self.message_rules
        return [rules[i] for i in self._message_set.matching(folded_text)]

    def get(self, rule_id: str) -> CompiledRule:
        try:
            return self.by_id[rule_id]
        except KeyError:
            raise KeyError(f"no rule with id {rule_id!r}") from None


def bundled_pack_paths() -> list[Path]:
    """The rule packs shipped inside the package."""
    root = resources.files("falsefriends.rules") / "packs"
    return sorted(Path(str(p)) for p in root.iterdir() if str(p).endswith(".yaml"))


def _line_of(node: yaml.Node | None, path: Sequence[str | int]) -> tuple[int, int]:
    """Line and column (1-based) of the YAML node at `path`, or of the deepest node found."""
    if node is None:
        return 1, 1
    current = node
    for key in path:
        nxt: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode) and isinstance(key, str):
            for k_node, v_node in current.value:
                if getattr(k_node, "value", None) == key:
                    nxt = v_node
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(key, int) and key < len(current.value):
            nxt = current.value[key]
        if nxt is None:
            break
        current = nxt
    return current.start_mark.line + 1, current.start_mark.column + 1


def _alternation(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _compile(patterns: Sequence[str], lazy: bool = False) -> Regex | None:
    return Regex(_alternation(patterns), lazy=lazy) if patterns else None


def _unfolded(ch: str, memo: dict[str, bool] = {}) -> bool:  # noqa: B006 - the memo is the point
    """Whether a pattern character is a letter that folding changes (a capital or an accented letter)."""
    found = memo.get(ch)
    if found is None:
        found = memo[ch] = ch.isalpha() and fold(ch).text != ch
    return found


def _lint_rule(rule: RuleSpec, kind: str, where: Any) -> list[tuple[Sequence[str | int], str, str]]:
    """Checks pydantic cannot express; returns (yaml path, message, severity)."""
    found: list[tuple[Sequence[str | int], str, str]] = []
    for key in ("patterns", "unless"):
        for i, pattern in enumerate(getattr(rule, key)):
            problem = check_portable(pattern)
            if problem is not None:
                found.append(((key, i), problem, "error"))
                continue
            if compile_pattern(pattern).search("") is not None:
                found.append(((key, i), "pattern matches the empty string", "error"))
            if any(_unfolded(c) for c in _outside_escapes(pattern)):
                found.append(((key, i), "pattern has accents or capitals: write it folded (see text.py)",
                              "error"))
    if kind == "message" and rule.fields:
        found.append((("fields",), "message rules read the message text; `fields` is for profile rules",
                      "error"))
    if kind == "profile" and not rule.fields:
        found.append((("fields",), "profile rule names no profile field to read", "error"))
    if not rule.patterns and not rule.requires:
        found.append((("patterns",), "rule has neither patterns nor required conditions", "error"))
    for i, name in enumerate(rule.requires):
        if name not in CONDITIONS:
            known = ", ".join(sorted(CONDITIONS))
            found.append((("requires", i), f"unknown condition {name!r} (known: {known})", "error"))
    if rule.indicator.startswith("M") and kind == "profile":
        found.append((("indicator",), f"{rule.indicator} is a message indicator in a profile pack", "error"))
    if rule.indicator.startswith("P") and kind == "message":
        found.append((("indicator",), f"{rule.indicator} is a profile indicator in a message pack", "error"))
    if rule.indicator.startswith("N") and rule.weight > 0:
        found.append((("weight",), "counter-indicators (N*) must have a negative weight", "error"))
    if not rule.indicator.startswith("N") and rule.weight <= 0:
        found.append((("weight",), "indicators of an approach must have a positive weight", "error"))
    if rule.patterns and not rule.examples:
        found.append((("examples",), "rule has no example: add one text it must fire on", "warning"))
    return found


def _outside_escapes(pattern: str) -> str:
    """The pattern's characters that are not part of a backslash escape (so `\\S`, `\\W` are not capitals)."""
    kept = []
    escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            continue
        kept.append(ch)
    return "".join(kept)


def _self_test(rule: CompiledRule) -> list[tuple[Sequence[str | int], str]]:
    """A rule must fire on each of its examples and stay silent on its counter-examples."""
    problems: list[tuple[Sequence[str | int], str]] = []
    if rule.pattern is None:
        return problems
    for i, example in enumerate(rule.spec.examples):
        if not rule.find(fold(example).text):
            problems.append((("examples", i), f"rule does not fire on its example {example!r}"))
    for i, example in enumerate(rule.spec.counter_examples):
        if rule.find(fold(example).text):
            problems.append((("counter_examples", i), f"rule fires on its counter-example {example!r}"))
    return problems


def lint_files(paths: Sequence[Path]) -> tuple[list[CompiledRule], list[RuleProblem]]:
    """Validate and compile every rule of every file; return the rules and all problems found."""
    compiled: list[CompiledRule] = []
    problems: list[RuleProblem] = []
    seen: dict[str, str] = {}
    for path in paths:
        shown = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(RuleProblem(shown, 1, 1, f"cannot read rule file: {exc}"))
            continue
        try:
            root, data = parse_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            problems.append(RuleProblem(shown, line, col, f"invalid YAML: {getattr(exc, 'problem', exc)}"))
            continue
        try:
            pack = PackHeader.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = [p for p in err["loc"] if isinstance(p, (str, int))]
                line, col = _line_of(root, loc)
                where = ".".join(str(p) for p in loc)
                problems.append(RuleProblem(shown, line, col, f"{where}: {err['msg']}"))
            continue
        for index, raw_rule in enumerate(pack.rules):
            base: list[str | int] = ["rules", index]
            rule_line, _ = _line_of(root, base)
            try:
                rule = RuleSpec.model_validate(raw_rule)
            except ValidationError as exc:
                name = raw_rule.get("id", f"rule {index + 1}") if isinstance(raw_rule, dict) else f"rule {index + 1}"
                for err in exc.errors():
                    loc = [p for p in err["loc"] if isinstance(p, (str, int))]
                    line, col = _line_of(root, [*base, *loc])
                    where = ".".join(str(p) for p in [*base, *loc])
                    problems.append(RuleProblem(shown, line, col, f"{name}: {where}: {err['msg']}"))
                continue
            rule_errors = 0
            for sub, message, severity in _lint_rule(rule, pack.kind, None):
                line, col = _line_of(root, [*base, *sub])
                problems.append(RuleProblem(shown, line, col, f"{rule.id}: {message}", severity))
                rule_errors += severity == "error"
            if rule.id in seen:
                line, col = _line_of(root, [*base, "id"])
                problems.append(RuleProblem(shown, line, col, f"duplicate rule id {rule.id!r} "
                                                               f"(first defined at {seen[rule.id]})"))
                rule_errors += 1
            else:
                seen[rule.id] = f"{shown}:{rule_line}"
            if rule_errors:
                continue
            if pack.kind == "profile":
                bad = [f for f in rule.fields if f not in ProfileField.__members__.values()]
                if bad:
                    continue
            item = CompiledRule(
                spec=rule, pack=pack.pack, language=pack.language, kind=pack.kind, path=shown,
                line=rule_line, pattern=_compile(rule.patterns), unless=_compile(rule.unless),
            )
            for sub, message in _self_test(item):
                line, col = _line_of(root, [*base, *sub])
                problems.append(RuleProblem(shown, line, col, f"{rule.id}: {message}"))
                rule_errors += 1
            if not rule_errors:
                compiled.append(item)
    return compiled, problems


def load_rules(paths: Sequence[Path] | None = None, *, strict: bool = True) -> RuleSet:
    """Load rule packs (the bundled ones by default). Raise RuleError on any error when strict.

    The bundled packs, once they have passed validation and their self-tests, are kept in the cache
    (`falsefriends.cache`, keyed by the packs' bytes and the loader's code), so later processes only
    compile their patterns.
    """
    if paths is None:
        files = bundled_pack_paths()
        key = _bundled_key(files)
        cached = _from_cache(key, files)
        if cached is not None:
            return cached
    else:
        files = list(paths)
    rules, problems = lint_files(files)
    errors = [p for p in problems if p.severity == "error"]
    if errors and strict:
        raise RuleError(errors)
    if paths is None and not errors:
        _to_cache(key, rules)
    return RuleSet(tuple(rules), {r.id: r for r in rules})


_CACHE_NAME = "rules"


def _bundled_key(files: Sequence[Path]) -> str:
    """The cache key of the bundled packs: their bytes, the code that validates and compiles them, the engine."""
    from falsefriends import cache, text, yamlio
    from falsefriends.rules import conditions, engine, schema

    sources = [Path(module.__file__ or "") for module in (engine, schema, conditions, text, yamlio)]
    sources.append(Path(__file__))
    versions = [f"{name} {cache.library_version(name)}" for name in ("google-re2", "pydantic", "PyYAML")]
    return cache.make_key(ENGINE, *versions, *cache.file_parts(files), *cache.file_parts(sources))


def _to_cache(key: str, rules: Sequence[CompiledRule]) -> None:
    from falsefriends import cache

    cache.write_json(_CACHE_NAME, key, {"rules": [
        {"spec": r.spec.model_dump(mode="json"), "pack": r.pack, "language": r.language, "kind": r.kind,
         "file": Path(r.path).name, "line": r.line} for r in rules]})


def _from_cache(key: str, files: Sequence[Path]) -> RuleSet | None:
    """The bundled rules from the cache (validated again by pydantic, patterns compiled), or None."""
    from falsefriends import cache

    payload = cache.read_json(_CACHE_NAME, key)
    if not isinstance(payload, dict):
        return None
    by_name = {path.name: str(path) for path in files}
    try:
        rules = []
        for item in payload["rules"]:
            spec = RuleSpec.model_validate(item["spec"])
            rules.append(CompiledRule(
                spec=spec, pack=str(item["pack"]), language=str(item["language"]), kind=str(item["kind"]),
                path=by_name[item["file"]], line=int(item["line"]), pattern=_compile(spec.patterns, lazy=True),
                unless=_compile(spec.unless, lazy=True)))  # validated when the cache was written
    except (KeyError, TypeError, ValueError, ValidationError):
        return None
    return RuleSet(tuple(rules), {r.id: r for r in rules})


_DEFAULT: RuleSet | None = None


def default_rules() -> RuleSet:
    """The bundled rule packs, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_rules()
    return _DEFAULT
