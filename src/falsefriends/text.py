"""Text normalisation for matching, keeping a map back to the original characters.

Rules match on a folded form of the text (case-folded, accents stripped, typographic quotes and
dashes unified, zero-width characters removed, every run of whitespace or line breaks made one
space) so that a pattern survives case, accents and line breaks. Evidence must still quote the
sender's exact words, so each folded character remembers the index of the original character it
came from.

The folded text is made by C-level string operations (`str.lower`/`str.translate`, `split`, `join`);
the map back to the original is built only when a caller asks for it (a rule fired and its words are
quoted), so a text on which nothing fires never pays for it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

# Characters an adversary can slip between letters to defeat naive matching; they carry no meaning.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u180e")
_PUNCT_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...",
}


class Folded:
    """A folded text and, for each of its characters, the index of the original character.

    `origin` is computed on first use from the original text, which is kept until then.
    `original_span` needs no map: offsets shift only where a run of blanks became one space and where a
    character folded to none or several (ß, an invisible character), and those places are few.
    """

    __slots__ = ("_expansions", "_origin", "_plain", "_shifts", "_source", "source_length", "text")

    def __init__(self, text: str, origin: Sequence[int] | None = None, source_length: int = 0, *,
                 source: str | None = None, plain: str | None = None,
                 expansions: Sequence[tuple[int, int]] = ()) -> None:
        if origin is None and source is None:
            raise ValueError("Folded needs its origin map or the text it was folded from")
        self.text = text
        self.source_length = source_length
        self._origin: Sequence[int] | None = origin
        self._source = source
        self._plain = plain  # the text folded character by character, blanks not yet merged
        self._expansions = expansions  # (original index, folded length) of characters not folding to one
        self._shifts: _Shifts | None = None

    def _map(self) -> Sequence[int]:
        if self._origin is None:
            assert self._source is not None
            self._origin = _origin(self._source)
            self._source = None
        return self._origin

    @property
    def origin(self) -> tuple[int, ...]:
        found = self._map()
        return found if isinstance(found, tuple) else tuple(found.tolist())  # type: ignore[attr-defined]

    def _original(self, position: int) -> int:
        """The original index of the folded character at `position`, from the merged runs of blanks and the
        characters that did not fold to one (binary searches: hostile texts can hold many of either)."""
        if self._shifts is None:
            self._shifts = _Shifts(self._plain or "", self._expansions)
        table = self._shifts
        # blanks: every run whose kept blank lies before `position` shifts it by the blanks it dropped
        position += table.leading + table.run_shift[bisect_left(table.run_at, position)]
        # characters folding to none or several: inside one, the position is that character
        last = bisect_right(table.expansion_at, position) - 1
        if last >= 0 and position < table.expansion_at[last] + self._expansions[last][1]:
            return self._expansions[last][0]
        return position - table.expansion_shift[last + 1]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text back to the original text."""
        if self._origin is None and self._plain is not None:
            if end <= start:
                return (self._original(start), self._original(start)) if start < len(self.text) else (
                    self.source_length, self.source_length)
            return self._original(start), self._original(end - 1) + 1
        origin = self._map()
        if end <= start:
            pos = int(origin[start]) if start < len(origin) else self.source_length
            return pos, pos
        return int(origin[start]), int(origin[end - 1]) + 1

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Folded):
            return NotImplemented
        return (self.text, self.source_length, self.origin) == (other.text, other.source_length, other.origin)

    def __hash__(self) -> int:
        return hash((self.text, self.source_length, self.origin))

    def __repr__(self) -> str:
        return f"Folded(text={self.text!r}, origin={self.origin!r}, source_length={self.source_length})"


class _Shifts:
    """Where folded offsets part from those of the text folded character by character (`plain`): after the
    leading blanks, at each run of blanks merged into one (`run_at`: the folded offset of its kept blank;
    `run_shift[k]`: blanks dropped by the first k runs), and where the plain text itself parts from the
    original (`expansion_at`: the plain offset of each character that folded to none or several;
    `expansion_shift[k]`: characters gained by the first k)."""

    __slots__ = ("expansion_at", "expansion_shift", "leading", "run_at", "run_shift")

    def __init__(self, plain: str, expansions: Sequence[tuple[int, int]]) -> None:
        self.leading = 0
        self.run_at: list[int] = []
        self.run_shift = [0]
        for match in _MERGED_BLANKS.finditer(plain):
            start, end = match.span()
            if start == 0:  # leading blanks: all dropped
                self.leading = end
                continue
            self.run_at.append(start - self.leading - self.run_shift[-1])
            self.run_shift.append(self.run_shift[-1] + end - start - 1)  # the first blank stands for the run
        self.expansion_at = []
        self.expansion_shift = [0]
        for index, length in expansions:
            self.expansion_at.append(index + self.expansion_shift[-1])
            self.expansion_shift.append(self.expansion_shift[-1] + length - 1)


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


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on first sight of each character.

    `irregular`: characters folding to none or several characters; `spaced`: those folding to several
    characters among which a blank (a few ligatures), which
    `fold` does not merge with the blanks around it, so texts holding one take the character loop.
    """

    irregular: set[str]
    spaced: set[str]

    def __init__(self) -> None:
        super().__init__()
        self.irregular = set()
        self.spaced = set()

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = _fold_char(ch)
        if len(folded) != 1:
            self.irregular.add(ch)  # dropped or expanded: offsets no longer line up one to one
        if len(folded) > 1 and " " in folded:
            self.spaced.add(ch)
        self[code] = folded
        return folded


_TABLE = _FoldTable()
_NON_ASCII_RUNS = re.compile(r"[^\x00-\x7f]+")
_ASCII_BLANKS = frozenset(" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
# Runs of blanks whose length changes in folding: leading ones (dropped) and runs of two or more (made one).
_MERGED_BLANKS = re.compile("^[ \t\n\x0b\x0c\r\x1c-\x1f]+|[ \t\n\x0b\x0c\r\x1c-\x1f]{2,}")


def fold(text: str) -> Folded:
    """Fold `text` for matching; see the module docstring for what folding does.

    ASCII characters fold as `str.lower` does (and the backtick becomes a quote); runs of other
    characters go through a translate table of `_fold_char`; blanks are merged by `split`.
    """
    if text.isascii():
        return Folded(" ".join(text.lower().replace("`", "'").split()), source_length=len(text), source=text,
                      plain=text)
    pieces: list[str] = []
    expansions: list[tuple[int, int]] = []
    last = 0
    for match in _NON_ASCII_RUNS.finditer(text):
        start, end = match.span()
        run = match.group()
        pieces.append(text[last:start].lower().replace("`", "'"))
        pieces.append(run.translate(_TABLE))
        if not _TABLE.irregular.isdisjoint(run):
            if not _TABLE.spaced.isdisjoint(run):
                return _fold_general(text)
            expansions.extend((start + i, len(_TABLE[ord(ch)])) for i, ch in enumerate(run)
                              if ch in _TABLE.irregular)
        last = end
    pieces.append(text[last:].lower().replace("`", "'"))
    joined = "".join(pieces)
    return Folded(" ".join(joined.split()), source_length=len(text), source=text, plain=joined,
                  expansions=expansions)


def _origin(text: str) -> Sequence[int]:
    """For each character `fold(text)` keeps, the index of the original character (numpy, no per-character
    Python but for the non-ASCII characters' table look-ups)."""
    import numpy as np

    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        blank = _blank_lut()[codes]
        origin = np.arange(len(text), dtype=np.int64)
    else:
        codes32 = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        wide = np.flatnonzero(codes32 >= 128)
        folds = [_TABLE[code] for code in codes32[wide].tolist()]
        lengths = np.ones(len(text), dtype=np.int64)
        lengths[wide] = [len(f) for f in folds]
        blank_char = np.zeros(len(text), dtype=bool)
        ascii_at = np.flatnonzero(codes32 < 128)
        blank_char[ascii_at] = _blank_lut()[codes32[ascii_at]]
        blank_char[wide] = [f == " " for f in folds]
        origin = np.repeat(np.arange(len(text), dtype=np.int64), lengths)
        blank = np.repeat(blank_char, lengths)  # a character folding to several is no blank (`spaced` aside)
    keep = ~blank
    keep[1:] |= blank[1:] & ~blank[:-1]  # the first blank of a run stands for the run
    if len(keep) and blank[0]:
        keep[0] = False  # leading blanks are dropped
    positions = np.flatnonzero(keep)
    if len(positions) and blank[positions[-1]]:
        positions = positions[:-1]  # and a trailing one
    return origin[positions]  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _blank_lut() -> Any:
    import numpy as np

    return np.array([chr(i) in _ASCII_BLANKS for i in range(128)], dtype=bool)


def _fold_general(text: str) -> Folded:
    """Character by character, for any script (the reference the fast paths are tested against)."""
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
