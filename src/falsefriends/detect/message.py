"""Message detector: runs the lure rules over a message and quotes the exact words that fired."""

from __future__ import annotations

from falsefriends.model import Evidence, Message
from falsefriends.rules.engine import Subject
from falsefriends.rules.loader import RuleSet
from falsefriends.text import Folded, fold

MAX_EXCERPT = 160


def message_evidence(message: Message, rules: RuleSet, folded_body: Folded | None = None) -> list[Evidence]:
    """Evidence from every message rule that fires on the message's subject and body.

    Spans index into `message.body`; a match in the subject is reported with `field="subject"`.
    `folded_body` may be given when the caller already folded the body. Each text is encoded once
    for one multi-pattern pass and the searches of the rules it selects; only the rules that fire
    map their spans back to the original text (see `Folded.origin`).
    """
    found: list[Evidence] = []
    for field_name, text in (("subject", message.subject), ("body", message.body)):
        if not text:
            continue
        folded = folded_body if field_name == "body" and folded_body is not None else fold(text)
        subject = Subject(folded.text)
        for rule in rules.message_candidates(subject):
            for start, end in rule.find(subject):
                o_start, o_end = folded.original_span(start, end)
                found.append(
                    Evidence(
                        rule=rule.id,
                        indicator=rule.spec.indicator,
                        weight=rule.spec.weight,
                        reason=rule.spec.reason,
                        source=rule.spec.source,
                        excerpt=text[o_start:o_end][:MAX_EXCERPT],
                        span=(o_start, o_end) if field_name == "body" else None,
                        field=None if field_name == "body" else field_name,
                        message=message.id,
                    )
                )
    found.sort(key=lambda e: (e.field or "", e.span or (0, 0), e.rule))
    return found
