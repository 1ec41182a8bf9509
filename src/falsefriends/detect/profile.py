"""Profile detector: runs the profile rules over the fields a persona writes about itself."""

from __future__ import annotations

from falsefriends.model import Account, Evidence
from falsefriends.rules.conditions import CONDITIONS
from falsefriends.rules.loader import CompiledRule, RuleSet
from falsefriends.rules.schema import ProfileField
from falsefriends.text import Folded, fold

MAX_EXCERPT = 160


def _field_text(account: Account, name: ProfileField) -> str:
    if name is ProfileField.POSITIONS:
        return "\n".join(f"{p.title} | {p.company} | {p.description}" for p in account.positions)
    value = getattr(account, name.value)
    return value if isinstance(value, str) else ""


def _conditions_hold(rule: CompiledRule, account: Account) -> bool:
    return all(CONDITIONS[name](account) for name in rule.spec.requires)


def profile_evidence(account: Account, rules: RuleSet) -> list[Evidence]:
    """Evidence from every profile rule that fires; at most one item per rule (its first match)."""
    found: list[Evidence] = []
    folded_fields: dict[ProfileField, Folded] = {}  # each field folded once, not once per rule
    for rule in rules.profile_rules:
        if not _conditions_hold(rule, account):
            continue
        if rule.pattern is None:
            found.append(Evidence(
                rule=rule.id, indicator=rule.spec.indicator, weight=rule.spec.weight,
                reason=rule.spec.reason, source=rule.spec.source, field=", ".join(rule.spec.requires),
                message=None, excerpt="",
            ))
            continue
        for field_name in rule.spec.fields:
            text = _field_text(account, field_name)
            if not text:
                continue
            folded = folded_fields.get(field_name)
            if folded is None:
                folded = folded_fields[field_name] = fold(text)
            spans = rule.find(folded.text)
            if not spans:
                continue
            start, end = folded.original_span(*spans[0])
            found.append(Evidence(
                rule=rule.id, indicator=rule.spec.indicator, weight=rule.spec.weight,
                reason=rule.spec.reason, source=rule.spec.source, excerpt=text[start:end][:MAX_EXCERPT],
                field=field_name.value, message=None,
            ))
            break
    return found
