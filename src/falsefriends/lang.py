"""Offline language identification for English, French and German by function words.

Approach messages are short and often mix languages (an English template with a French greeting),
so each sentence is identified on its own and the message reports every language it contains.
Function words (articles, pronouns, prepositions) are what distinguish these three languages
reliably in a few words; no model file is needed.
"""

from __future__ import annotations

import re

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


_MEMBERSHIP = tuple((lang, vocab.__contains__) for lang, vocab in _FUNCTION_WORDS.items())


def _guess(words: list[str]) -> str | None:
    """The language with strictly the most function words among `words`, or None (none, or a tie)."""
    best: str | None = None
    best_count = 0
    tie = False
    for lang, member in _MEMBERSHIP:
        count = sum(map(member, words))  # counted in C: no Python step per word
        if count > best_count:
            best, best_count, tie = lang, count, False
        elif count and count == best_count:
            tie = True
    return None if tie else best


def detect_languages(text: str, *, folded: bool = False) -> list[str]:
    """Languages of the text, most words first (ties in the order they first occur); empty when none
    can be told.

    Pass `folded=True` when the text is already folded (saves folding it twice).
    """
    weight: dict[str, int] = {}
    for sentence in _SENTENCE.split(text if folded else fold_plain(text)):
        words = _WORD.findall(sentence)
        lang = _guess(words) if words else None
        if lang is not None:
            weight[lang] = weight.get(lang, 0) + len(words)
    return sorted(weight, key=lambda lang: -weight[lang])


def detect_language(text: str, *, folded: bool = False) -> str | None:
    """The main language of the text, or None when it cannot be told."""
    found = detect_languages(text, folded=folded)
    return found[0] if found else None
