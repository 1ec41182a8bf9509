"""Mask what must never move a score before a text reaches the encoder: names, links, addresses.

An embedding reads names, and a name's script or apparent origin must never change a verdict
(tradecraft.md, "Pitfalls"). So person names are replaced by one placeholder wherever they can be
found: the names the caller knows (sender, profile, roster), the name after a greeting, the name
under a sign-off, the name in a self-introduction. Links, e-mail addresses and phone numbers
become placeholders too, so a defanged link in the corpus and a live one in a real message read
the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

NAME = "NAME"
_TOKEN = r"[^\W\d_][\w'’.\-]*"
_TITLE = (r"(?:mr|mrs|ms|miss|dr|prof|professor|sir|madam|herr|frau|monsieur|madame|mme|mlle|m|"
          r"doktor|señor|señora|sr|sra)\.?")
_GREETING = re.compile(
    r"(?im)(?:^|(?<=[\n.!?]))[ \t]*(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening)|"
    r"bonjour|bonsoir|salut|cher|chère|chers|hallo|liebe|lieber|guten tag|sehr geehrter?|moin|servus|"
    r"hola|ciao|olá|oi)\b[ \t]+((?:" + _TITLE + r"[ \t]+)?" + _TOKEN + r"(?:[ \t]+" + _TOKEN + r"){0,2})"
    r"[ \t]*(?=[,!:;\n]|$)")
_INTRO = re.compile(
    r"\b(?i:my name is|i am|i'm|i’m|this is|je m'appelle|je m’appelle|je suis|moi c'est|"
    r"mein name ist|ich bin|ich heiße|hier ist|me llamo|soy)[ \t]+((?:[^\W\d_a-z][\w'’\-]*|[^\W\d_\x00-\x7f][\w'’\-]*)"
    r"(?:[ \t]+(?:[^\W\d_a-z][\w'’\-]*|[^\W\d_\x00-\x7f][\w'’\-]*)){0,2})")
_CAPITALISED = r"(?:[^\W\d_a-z][\w'’.\-]*|[^\W\d_\x00-\x7f][\w'’.\-]*)"
_SIGN_OFF = re.compile(
    r"(?m)(?:^|(?<=[.!?])[ \t]+)[ \t]*(?i:best|best regards|kind regards|warm regards|warmest regards|regards|"
    r"many thanks|thanks|thank you|cheers|sincerely|yours sincerely|yours|respectfully|all the best|br|"
    r"cordialement|bien cordialement|bien à vous|amicalement|salutations|merci|"
    r"mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|viele grüße|beste grüße|"
    r"liebe grüße|herzliche grüße|grüße|gruß|lg|vg|saludos|atentamente)[ \t]*[,!.]?"
    r"(?:[ \t]+(" + _CAPITALISED + r"(?:[ \t]+" + _CAPITALISED + r"){0,2}))?[ \t]*$")
_SHORT_LINE = re.compile(r"(?m)^[ \t]*(" + _TOKEN + r"(?:[ \t]+" + _TOKEN + r"){0,3})[ \t]*$")
_URL = re.compile(r"(?i)\b(?:h[xt]{2}ps?|ftp)(?:\[:\]|:)//\S+|\bwww(?:\[\.\]|\.)\S+|"
                  r"\b[\w\-]+(?:\[\.\]|\.)(?:com|org|net|io|dev|xyz|app|co|ai|fr|de|uk|cn|ru|me|gg|link)"
                  r"(?:/\S*)?")
_EMAIL = re.compile(r"(?i)\[(?:e-?mail|address|phone)[^\]]{0,20}\]|"
                    r"[\w.+\-]+(?:@|\[at\])[\w\-]+(?:\.|\[\.\])[\w.\-\[\]]+")
_PHONE = re.compile(r"\+?\d[\d \-().]{7,}\d")


def mask_spans(text: str, names: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) of every name, link, address and phone number found in `text`."""
    found: list[tuple[int, int, str]] = []
    for pattern, placeholder in ((_URL, "LINK"), (_EMAIL, "EMAIL"), (_PHONE, "PHONE")):
        found.extend((m.start(), m.end(), placeholder) for m in pattern.finditer(text))
    for pattern in (_GREETING, _INTRO, _SIGN_OFF):
        for m in pattern.finditer(text):
            if m.group(1):
                found.append((m.start(1), m.end(1), NAME))
    found.extend(_signature_lines(text))
    found.extend(_closing_name(text))
    names = tuple(names)
    if names:
        # Only the variants that share a word with the text can match it: an audit passes its whole roster
        # (thousands of variants) with every message, and one search per variant per message grew with
        # staff x messages (and overflowed the regex cache, recompiling every pattern each time).
        by_word, wordless = _variant_index(names)
        candidates = set(wordless)
        for word in _words_of(text):
            candidates.update(by_word.get(word, ()))
        for name in candidates:
            for m in _variant_pattern(name).finditer(text):
                found.append((m.start(), m.end(), NAME))
    return _merge(found)


@lru_cache(maxsize=16)
def _variant_index(names: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The known names' variants by each of their words, and those with no word (searched in every text)."""
    by_word: dict[str, list[str]] = {}
    wordless: list[str] = []
    for variant in _name_variants(names):
        words = _words_of(variant)
        if not words:
            wordless.append(variant)
        for word in words:
            by_word.setdefault(word, []).append(variant)
    return {word: tuple(found) for word, found in by_word.items()}, tuple(wordless)


_WORD = re.compile(r"[^\W\d_]+")


def _words_of(text: str) -> frozenset[str]:
    """The letter runs of `text`, compatibility-normalised and case-folded (the case-insensitive search's view
    of a word, made looser, never stricter: a variant is searched for whenever one of its runs is in the text)."""
    return frozenset(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


@lru_cache(maxsize=4096)
def _variant_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", flags=re.IGNORECASE)


def _signature_lines(text: str) -> list[tuple[int, int, str]]:
    """The one or two short lines right under a bare sign-off line ("Best,\\nAftab")."""
    out: list[tuple[int, int, str]] = []
    for m in _SIGN_OFF.finditer(text):
        if m.group(1):
            continue
        position = m.end()
        for _ in range(2):
            if position >= len(text) or text[position] != "\n":
                break
            line = _SHORT_LINE.match(text, position + 1)
            if line is None:
                break
            out.append((line.start(1), line.end(1), NAME))
            position = line.end()
    return out


_CLOSING = re.compile(r"\n[ \t]*(" + _CAPITALISED + r"(?:[ \t]+" + _CAPITALISED + r"){0,2})[ \t]*\s*$")


def _closing_name(text: str) -> list[tuple[int, int, str]]:
    """A last line of one to three capitalised words (or words of a script without case): a signature."""
    m = _CLOSING.search(text)
    return [(m.start(1), m.end(1), NAME)] if m else []


def _name_variants(names: Iterable[str]) -> list[str]:
    """Each known name whole, and each of its words of two letters or more; longest first."""
    variants: set[str] = set()
    for name in names:
        name = " ".join(str(name).split())
        if len(name) < 2:
            continue
        variants.add(name)
        variants.update(word for word in re.findall(r"[^\W\d_][\w'’\-]*", name) if len(word) >= 2)
    return sorted(variants, key=lambda v: (-len(v), v))


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, placeholder in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end > last[1]:
                merged[-1] = (last[0], end, last[2])
            continue
        merged.append((start, end, placeholder))
    return merged


def masked(text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> str:
    """`text[start:end]` with every span inside it replaced by its placeholder."""
    end = len(text) if end is None else end
    parts: list[str] = []
    position = start
    for s, e, placeholder in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(text[position:s])
        parts.append(placeholder)
        position = e
    parts.append(text[position:end])
    return "".join(parts)


def mask_text(text: str, names: Iterable[str] = ()) -> str:
    """The whole text masked (see `mask_spans`)."""
    return masked(text, mask_spans(text, names))
