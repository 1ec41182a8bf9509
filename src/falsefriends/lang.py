"""Offline language identification for English, French and German by function words.

Approach messages are short and often mix languages (an English template with a French greeting),
so each sentence is identified on its own and the message reports every language it contains.
Function words (articles, pronouns, prepositions) are what distinguish these three languages
reliably in a few words; no model file is needed.
"""

from __future__ import annotations

import re
from collections import Counter

from falsefriends.text import fold_plain

SUPPORTED = ("en", "fr", "de")

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to a in is you that it for on with as are this be at have from or your we by"
        " not but an they would will can our my me i if about would like could please".split()
    ),
    "fr": frozenset(
        "le la les de des du un une et est vous que qui dans pour pas sur au aux avec ce cette nous"
        " je votre vos mon ma mes il elle sont etre avoir tres plus ou mais si bonjour merci".split()
    ),
    "de": frozenset(
        "der die das und ist sie ich nicht ein eine einen zu den dem mit von auf fur im es sich des"
        " auch wir ihr ihre ihnen uns oder aber wenn sehr bei noch nach hallo danke gerne mochte".split()
    ),
}
_WORD = re.compile(r"[a-z]+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")


_LANGS_OF_WORD: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, vocab in _FUNCTION_WORDS.items() if word in vocab)
    for vocab in _FUNCTION_WORDS.values()
    for word in vocab
}


def _guess(words: list[str]) -> str | None:
    counts: dict[str, int] = {}
    for word in words:
        for lang in _LANGS_OF_WORD.get(word, ()):
            counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def detect_languages(text: str, *, folded: bool = False) -> list[str]:
    """Languages of the text, most words first; empty when none can be told.

    Pass `folded=True` when the text is already folded (saves folding it twice).
    """
    weight: Counter[str] = Counter()
    for sentence in _SENTENCE.split(text if folded else fold_plain(text)):
        words = _WORD.findall(sentence)
        lang = _guess(words)
        if lang is not None:
            weight[lang] += len(words)
    return [lang for lang, _ in weight.most_common()]


def detect_language(text: str, *, folded: bool = False) -> str | None:
    """The main language of the text, or None when it cannot be told."""
    found = detect_languages(text, folded=folded)
    return found[0] if found else None
