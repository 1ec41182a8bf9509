"""`normalise_many` (the array path that template clustering uses) gives exactly what `normalise` gives, text
by text: on every text of the corpus, on simulated organisations' messages with their names masked, and on
generated hostile texts (NUL, the private-use characters the array path uses for markers, literal markers,
ligatures, characters folding to none or several, odd blanks and digits, lone surrogates)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.correlate import normalise as normalise_module
from falsefriends.correlate.normalise import name_tokens, normalise, normalise_many
from falsefriends.simulate import build_organisation

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def _corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def _assert_same(texts: list[str], names: list[frozenset[str]] | None = None) -> None:
    expected = [normalise(t, names[i] if names is not None else frozenset()) for i, t in enumerate(texts)]
    got = normalise_many(texts, names)
    assert len(got) == len(texts)
    for text, want, have in zip(texts, expected, got, strict=True):
        assert have == want, text[:200]


def test_corpus_texts_normalise_as_one_by_one() -> None:
    texts = _corpus_texts()
    assert len(texts) > 500
    _assert_same(texts)
    # with the names of a few people masked (every third text)
    masks = [name_tokens(["Mr Zha", "Anna Müller", "Wei Zhang"]) if i % 3 == 0 else frozenset()
             for i in range(len(texts))]
    _assert_same(texts, masks)


@pytest.mark.parametrize("multilingual", [False, True])
def test_simulated_messages_normalise_as_one_by_one(multilingual: bool) -> None:
    world = build_organisation(30, seed=5, multilingual=multilingual)
    messages = world.messages
    assert len(messages) > 100
    texts = [m.content if not m.subject else f"{m.subject}\n{m.content}" for m in messages]
    masks = [name_tokens([m.sender.name.full, *(r.name.full for r in m.recipients)]) for m in messages]
    _assert_same(texts, masks)


_HOSTILE = [
    "\x00", "\U000f0000", "\U000f0003", "\U0010fffd", "<url>", "<num>", "<name>", "<greet>", "<signoff>", "<",
    "ﬀ", "ﬁ", "ß", "İ", "ǅ", "\u200b", "\u00ad", "\ufeff", "¨", "㍱", "한국", "①", "²", "፩", "١٢", "12", "1,500",
    "\x1c", "\x85", "\u3000", "\u2028", "\t", "\n", "\r\n", "  ", "\ud800", "Σ", "ΣΑΣ", "é", "e\u0301",
    "Dear", "Hi", "Bonjour", "Sehr geehrte", "Hello John,", "Best regards", "Cordialement", "Mit freundlichen Grüßen",
    "https://x.example/a1", "www.example.com", "a@b.example", "@handle", "john", "Anna", "!", ",", ":", "`",
    "word", "Wort", "写真", "職位", "bien a vous", "mes salutations", "Liebe Grüße", "thanks in advance",
    "many thanks", "yours truly", "best wishes", "x" * 150,
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_HOSTILE) | st.text(max_size=6), max_size=25).map(" ".join),
                min_size=1, max_size=12))
def test_hostile_texts_normalise_as_one_by_one(texts: list[str]) -> None:
    _assert_same(texts)
    _assert_same(texts, [frozenset({"john", "anna", "12", "<url>"}) if i % 2 else frozenset()
                         for i in range(len(texts))])


def test_batches_and_texts_taking_the_slow_path_keep_their_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalise_module, "_BATCH_CHARS", 40)
    texts = ["Hi Anna, the fee is 1,500 EUR", "a\x00b 12 c", "", "Dear John,\nwe need you \U000f0001 now",
             "Bonjour Marie, ﬁn ß 3/4 Cordialement, Pierre", "x" * 100, "<num> <num> 7 <url>"] * 3
    _assert_same(texts)
    _assert_same(texts, [frozenset({"anna", "john", "marie"})] * len(texts))


@pytest.mark.parametrize("phrase", ["Mit freundlichen Grüßen", "Bien à vous", "Best regards", "Many thanks",
                                    "Mes salutations", "Yours sincerely"])
def test_sign_offs_at_every_place_in_the_tail(phrase: str) -> None:
    """The batch path searches for a sign-off from just before its first sign-off word: the same sign-offs as one
    by one, with the phrase straddling the tail's start, inside it, followed by names and links, or twice."""
    texts = []
    for pad in range(120, 175, 3):
        body = "w " * (pad // 2)
        texts += [f"{body}{phrase}, Anna", f"{body}{phrase}", f"Dear Jo,\n{body}{phrase} Jo www.x.example",
                  f"{body}{phrase} and then {phrase.lower()}, Jo Li", f"Hi\n{body}.{phrase}!!! a b c d e f"]
    _assert_same(texts)


def test_names_must_match_the_texts() -> None:
    with pytest.raises(ValueError, match="name sets"):
        normalise_many(["a", "b"], [frozenset()])


def test_threads_learning_new_characters_at_once_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    # A fresh table: each thread meets characters no one has learnt yet (the tables are shared).
    monkeypatch.setattr(normalise_module, "_CODES", None)
    texts = [f"Hallo {chr(0x4E00 + i)}{chr(0xAC00 + i)} ß{chr(0x3400 + i)} Grüße {i}" for i in range(400)]
    expected = [normalise(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda part: normalise_many(texts[part::4]), range(4)))
    for part, got in enumerate(results):
        assert got == expected[part::4]
