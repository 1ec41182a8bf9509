"""Offline language identification by function words and by script.

Approach messages are short and often mix languages (an English template with a French greeting),
so each sentence is identified on its own and the message reports every language it contains.

- Latin-script languages (en, fr, de, es, it, pt, nl) are told apart by their function words (articles,
  pronouns, prepositions, greetings), counted per sentence; a tie tells nothing. Without Spanish,
  Italian, Portuguese and Dutch lists these read as French (they share "de", "la", "que"), and a
  Spanish lure got its advice in French.
- Other scripts are told by their letters: Hangul is Korean, kana Japanese, Han without kana Chinese,
  Cyrillic Russian (Ukrainian where its own letters appear), Arabic, Hebrew and Greek likewise.

No model file is needed. This is the message's language, for the reader's advice and for telling
translations apart; it never scores anyone.
"""

from __future__ import annotations

import re

from falsefriends.text import fold_plain

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to a in is you that it for on with as are this be at have from or your we by"
        " not but an they would will can our my me i if about would like could please".split()
    ),
    "fr": frozenset(
        "le la les de des du un une et est vous que qui dans pour pas sur au aux avec ce cette nous"
        " je votre vos mon ma mes il elle sont etre avoir tres plus ou mais si bonjour merci par notre"
        " nos leur on ete".split()
    ),
    "de": frozenset(
        "der die das und ist sie ich nicht ein eine einen zu den dem mit von auf fur im es sich des"
        " auch wir ihr ihre ihnen uns oder aber wenn sehr bei noch nach hallo danke gerne mochte hast"
        " haben sind wird werden dein deine bis pro".split()
    ),
    # Accents are folded away before counting ("está" reads "esta", "não" "nao", "è" "e").
    "es": frozenset(
        "el la los las de del que y en un una es por para con no se su sus al lo como mas pero muy"
        " esta este estos estas usted ustedes nosotros hola gracias tiene tenemos puede somos estamos"
        " hay donde cuando tambien sobre sin hasta desde yo mi tu le les nos".split()
    ),
    "it": frozenset(
        "il lo la i gli le di del della dei delle che e un una per con non si sono nel nella al alla"
        " ma come piu anche questo questa suo sua ci mi ti vi ciao grazie siamo vorrei essere ho hai"
        " ha abbiamo molto ogni tutti sei da dal".split()
    ),
    "pt": frozenset(
        "o a os as de do da dos das que e em um uma para com nao se na no nas nos por mais mas ao seu"
        " sua ou muito ja tambem pelo pela ate isso ela voce voces ola obrigado obrigada estamos"
        " gostaria temos somos esta eu meu minha".split()
    ),
    "nl": frozenset(
        "de het een en van in is dat op te zijn voor met niet ook aan er als bij om je jij u uw wij we"
        " ons onze hij zij maar of naar dit die deze wat hoe heb hebt heeft hebben graag bedankt hallo"
        " ik mijn wordt worden kunt kan".split()
    ),
}
SUPPORTED = tuple(_FUNCTION_WORDS)
_WORD = re.compile(r"[a-z]+")
_SENTENCE = re.compile(r"(?<=[.!?;:。！？])\s*")

# Letters of one script per language (or a script shared by several, resolved in _script_language).
_SCRIPTS = re.compile(
    r"(?P<ko>[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f])|(?P<kana>[\u3040-\u30ff])|(?P<han>[\u4e00-\u9fff])"
    r"|(?P<uk>[іїєґ])|(?P<cyr>[\u0400-\u04ff])|(?P<ar>[\u0600-\u06ff])|(?P<he>[\u0590-\u05ff])"
    r"|(?P<el>[\u0370-\u03ff])"
)

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


def _script_language(sentence: str) -> tuple[str, int] | None:
    """The language a sentence's non-Latin letters tell, with how many letters told it; None without any."""
    counts: dict[str, int] = {}
    for match in _SCRIPTS.finditer(sentence):
        group = match.lastgroup
        if group is not None:
            counts[group] = counts.get(group, 0) + 1
    if not counts:
        return None
    if counts.get("ko", 0) >= max(counts.get("kana", 0), counts.get("han", 0)) and counts.get("ko"):
        return "ko", counts["ko"]
    if counts.get("kana"):
        return "ja", counts["kana"] + counts.get("han", 0)
    if counts.get("han"):
        return "zh", counts["han"]
    if counts.get("cyr") or counts.get("uk"):
        return ("uk" if counts.get("uk") else "ru"), counts.get("cyr", 0) + counts.get("uk", 0)
    group, count = max(((g, c) for g, c in counts.items()), key=lambda gc: gc[1])
    return group, count


def detect_languages(text: str, *, folded: bool = False) -> list[str]:
    """Languages of the text, most words first (ties in the order they first occur); empty when none
    can be told.

    Pass `folded=True` when the text is already folded (saves folding it twice). Letters of another script
    count as words of their language, two letters a word (a Chinese word is one to three characters).
    """
    weight: dict[str, float] = {}
    for sentence in _SENTENCE.split(text if folded else fold_plain(text)):
        words = _WORD.findall(sentence)
        lang = _guess(words) if words else None
        if lang is not None:
            weight[lang] = weight.get(lang, 0) + len(words)
        script = _script_language(sentence)
        if script is not None and script[1] >= 2:
            weight[script[0]] = weight.get(script[0], 0) + script[1] / 2
    return sorted(weight, key=lambda lang: -weight[lang])


def detect_language(text: str, *, folded: bool = False) -> str | None:
    """The main language of the text, or None when it cannot be told."""
    found = detect_languages(text, folded=folded)
    return found[0] if found else None
