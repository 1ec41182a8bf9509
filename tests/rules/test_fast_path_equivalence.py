"""The fast check path gives the same verdicts and evidence as the plain one it replaced.

The reference here is the straightforward path: every text folded character by character
(`_fold_general`), every message rule searched on its own with google-re2's `finditer`/`search`
(no multi-pattern pass, no shared encoding), evidence built for every rule, languages told by the
word-by-word count. The fast path (one RE2 set pass per text, spans on bytes encoded once, folding
by translate/split, offsets mapped only for what fired, languages counted in C) must agree on every
message of the corpus (data/corpus), of a simulated organisation, and on hostile variants of them.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from falsefriends.check import Checker
from falsefriends.corpus import load_corpus
from falsefriends.detect.message import MAX_EXCERPT, message_evidence
from falsefriends.lang import _FUNCTION_WORDS, detect_languages
from falsefriends.model import Evidence, Message
from falsefriends.rules.engine import ENGINE
from falsefriends.rules.loader import CompiledRule, RuleSet, _alternation, default_rules
from falsefriends.simulate.organisation import build_organisation
from falsefriends.text import _fold_general

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def _reference_compile(patterns: tuple[str, ...]):  # type: ignore[no-untyped-def]
    if not patterns:
        return None
    if ENGINE == "re2":
        import re2

        return re2.compile(_alternation(patterns))
    return re.compile(_alternation(patterns))


def _reference_find(rule: CompiledRule, text: str) -> list[tuple[int, int]]:
    pattern, unless = _reference_compile(rule.spec.patterns), _reference_compile(rule.spec.unless)
    if pattern is None:
        return []
    spans = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if end == start:
            continue
        if unless is not None:
            lo, hi = max(0, start - rule.spec.window), min(len(text), end + rule.spec.window)
            if unless.search(text, lo, hi):
                continue
        spans.append((start, end))
    return spans


def _reference_evidence(message: Message, rules: RuleSet) -> list[Evidence]:
    found = []
    for field_name, text in (("subject", message.subject), ("body", message.body)):
        if not text:
            continue
        folded = _fold_general(text)
        for rule in rules.message_rules:
            for start, end in _reference_find(rule, folded.text):
                o_start, o_end = folded.original_span(start, end)
                found.append(Evidence(
                    rule=rule.id, indicator=rule.spec.indicator, weight=rule.spec.weight, reason=rule.spec.reason,
                    source=rule.spec.source, excerpt=text[o_start:o_end][:MAX_EXCERPT],
                    span=(o_start, o_end) if field_name == "body" else None,
                    field=None if field_name == "body" else field_name, message=message.id))
    found.sort(key=lambda e: (e.field or "", e.span or (0, 0), e.rule))
    return found


def _reference_script(sentence: str) -> tuple[str, int] | None:
    """The language told by a sentence's non-Latin letters, character by character."""
    counts: Counter[str] = Counter()
    for ch in sentence:
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            counts["ko"] += 1
        elif 0x3040 <= code <= 0x30FF:
            counts["kana"] += 1
        elif 0x4E00 <= code <= 0x9FFF:
            counts["han"] += 1
        elif ch in "іїєґ":
            counts["uk"] += 1
        elif 0x0400 <= code <= 0x04FF:
            counts["cyr"] += 1
        elif 0x0600 <= code <= 0x06FF:
            counts["ar"] += 1
        elif 0x0590 <= code <= 0x05FF:
            counts["he"] += 1
        elif 0x0370 <= code <= 0x03FF:
            counts["el"] += 1
    if not counts:
        return None
    if counts["ko"] and counts["ko"] >= max(counts["kana"], counts["han"]):
        return "ko", counts["ko"]
    if counts["kana"]:
        return "ja", counts["kana"] + counts["han"]
    if counts["han"]:
        return "zh", counts["han"]
    if counts["cyr"] or counts["uk"]:
        return ("uk" if counts["uk"] else "ru"), counts["cyr"] + counts["uk"]
    group, count = max(((g, c) for g, c in counts.items() if c), key=lambda gc: gc[1])
    return group, count


def _reference_languages(folded_text: str) -> list[str]:
    weight: Counter[str] = Counter()
    for sentence in re.split(r"(?<=[.!?;:。！？])\s*", folded_text):
        words = re.findall(r"[a-z]+", sentence)
        counts: dict[str, int] = {}
        for word in words:
            for lang, vocab in _FUNCTION_WORDS.items():
                if word in vocab:
                    counts[lang] = counts.get(lang, 0) + 1
        if counts:
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            if len(ranked) == 1 or ranked[1][1] < ranked[0][1]:
                weight[ranked[0][0]] += len(words)
        script = _reference_script(sentence)
        if script is not None and script[1] >= 2:
            weight[script[0]] += script[1] / 2
    return [lang for lang, _ in weight.most_common()]


def _hostile(text: str, rng: random.Random) -> str:
    """The same words with what an adversary inserts: odd case, accents, invisible characters, ligatures,
    line breaks (lone surrogates have their own test: the plain path failed on them)."""
    noise = ["\u200b", "\u00ad", "\n\n", "  \t", "\u00e9", "\u00df", "\ufb01", "\u2026", "\u00a8", "\u0301",
             "\u2019", "\u201c", "\u4e2d", "\u0130"]
    out = []
    for ch in text:
        out.append(ch.upper() if rng.random() < 0.05 else ch)
        if rng.random() < 0.02:
            out.append(rng.choice(noise))
    return "".join(out)


def _messages() -> list[Message]:
    rng = random.Random(17)
    items = load_corpus(CORPUS).items
    messages = [Message(id=f"c{i}", body=item.text) for i, item in enumerate(items)]
    world = build_organisation(120, 11)
    messages += [Message(id=m.id, body=m.content, subject=m.subject) for m in world.messages[:600]]
    messages += [Message(id=f"h{i}", body=_hostile(item.text, rng), subject=_hostile(item.text[:40], rng))
                 for i, item in enumerate(items[:200])]
    # every rule's own examples and counter-examples, plain, run together and hostile: each rule fires
    examples = [t for r in default_rules().message_rules for t in (*r.spec.examples, *r.spec.counter_examples)]
    messages += [Message(id=f"e{i}", body=text) for i, text in enumerate(examples)]
    messages += [Message(id=f"j{i}", body=" ".join(rng.sample(examples, 6))) for i in range(100)]
    messages += [Message(id=f"x{i}", body=_hostile(text, rng)) for i, text in enumerate(examples)]
    return messages


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    return _messages()


def test_evidence_and_verdicts_equal_the_plain_path(messages: list[Message]) -> None:
    """Same evidence (rules, spans, excerpts), score, level, indicators and language for every message."""
    rules = default_rules()
    checker = Checker(rules=rules, providers=(), semantic=False)
    fired: set[str] = set()
    for message in messages:
        expected = _reference_evidence(message, rules)
        assert message_evidence(message, rules) == expected, message.id
        fired.update(e.rule for e in expected)
        folded = _fold_general(message.body).text
        assessment = checker.message(message)
        score, level, indicators = checker.fusion.score(expected)
        languages = _reference_languages(folded)
        assert (assessment.score, assessment.level, assessment.indicators, assessment.evidence) == (
            score, level, indicators, tuple(expected)), message.id
        assert assessment.language == (languages[0] if languages else None), message.id
        assert detect_languages(folded, folded=True) == languages, message.id
    # the comparison covers the rules firing, not only silence
    assert len(fired) == len([r for r in rules.message_rules if r.spec.examples])


def test_a_lone_surrogate_is_matched_around_not_fatal() -> None:
    # JSON may carry one ("\\ud800"); google-re2's own str API cannot encode it and the check failed
    body = "Please contact me on WhatsApp \ud800 for a paid report, \ud800 it is urgent."
    assessment = Checker(providers=(), semantic=False).message(Message(id="s", body=body))
    assert assessment.evidence
    for item in assessment.evidence:
        assert item.span is not None and body[item.span[0]:item.span[1]] == item.excerpt


def test_many_matches_in_a_long_non_ascii_text_map_back_in_one_pass() -> None:
    """Offsets of 50,000 matches in 600,000 characters: one pass, not one decode of the text per match
    (which took tens of seconds: a hostile text could hold one match per few characters)."""
    import time

    from falsefriends.rules.engine import Regex, Subject

    text = "é whatsapp ß " * 50_000
    start = time.process_time()
    spans = Regex(r"whatsapp|\bss\b").spans(Subject(text))
    elapsed = time.process_time() - start
    assert len(spans) == 50_000 and all(text[a:b] == "whatsapp" for a, b in spans[:100] + spans[-100:])
    assert spans[1] == (spans[0][0] + 13, spans[0][1] + 13)
    assert elapsed < 5.0
