"""Text normalisation for matching, keeping a map back to the original characters.

Rules match on a folded form of the text (case-folded, accents stripped, typographic quotes and
dashes unified, zero-width characters removed, every run of whitespace or line breaks made one
space) so that a pattern survives case, accents and line breaks. Evidence must still quote the
sender's exact words, so each folded character remembers the index of the original character it
came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Characters an adversary can slip between letters to defeat naive matching; they carry no meaning.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u180e")
_PUNCT_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...",
}


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and, for each of its characters, the index of the original character."""

    text: str
    origin: tuple[int, ...]
    source_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text back to the original text."""
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else self.source_length
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    if ch in _PUNCT_FOLD:
        return _PUNCT_FOLD[ch]
    if ch.isspace():
        return " "
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.casefold()


_ASCII_FOLD = str.maketrans({"`": "'"})
_ASCII_TOKEN = re.compile(r"[^\s\x1c-\x1f\x85]+")


def _fold_ascii(text: str) -> Folded:
    """Fast path for ASCII text: lower case and whitespace runs, tracked per token not per character."""
    lowered = text.lower().translate(_ASCII_FOLD)
    origin: list[int] = []
    parts: list[str] = []
    previous_end = 0
    for match in _ASCII_TOKEN.finditer(lowered):
        start, end = match.span()
        if parts:
            origin.append(previous_end)  # the joining space stands for the first blank of the run
        parts.append(match.group())
        origin.extend(range(start, end))
        previous_end = end
    return Folded(" ".join(parts), tuple(origin), len(text))


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on first sight of each character; notes irregular ones."""

    irregular: set[str]

    def __init__(self) -> None:
        super().__init__()
        self.irregular = set()

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = _fold_char(ch)
        if len(folded) != 1:
            self.irregular.add(ch)  # dropped or expanded: offsets no longer line up one to one
        self[code] = folded
        return folded


_TABLE = _FoldTable()
_SPACE_TOKEN = re.compile(r"[^ ]+")


def _fold_one_to_one(translated: str, length: int) -> Folded:
    """Collapse spaces of a text whose characters each folded to exactly one character."""
    origin: list[int] = []
    parts: list[str] = []
    previous_end = 0
    for match in _SPACE_TOKEN.finditer(translated):
        start, end = match.span()
        if parts:
            origin.append(previous_end)
        parts.append(match.group())
        origin.extend(range(start, end))
        previous_end = end
    return Folded(" ".join(parts), tuple(origin), length)


def fold(text: str) -> Folded:
    """Fold `text` for matching; see the module docstring for what folding does."""
    if text.isascii():
        return _fold_ascii(text)
    translated = text.translate(_TABLE)
    if len(translated) == len(text) and _TABLE.irregular.isdisjoint(text):
        return _fold_one_to_one(translated, len(text))
    return _fold_general(text)


def _fold_general(text: str) -> Folded:
    """Character by character, for any script."""
    out: list[str] = []
    origin: list[int] = []
    last_space = True  # drop leading whitespace
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        if not folded:
            continue
        if folded == " ":
            if last_space:
                continue
            last_space = True
        else:
            last_space = False
        out.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(out)
    if folded_text.endswith(" "):
        folded_text = folded_text[:-1]
        origin.pop()
    return Folded(folded_text, tuple(origin), len(text))


@lru_cache(maxsize=1 << 15)
def fold_plain(text: str) -> str:
    """Fold without keeping offsets (for keys and comparisons).

    Remembered: names and employers repeat (a 100,000-connection export holds about 10,000 distinct names).
    """
    return fold(text).text
