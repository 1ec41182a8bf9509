"""The regular-expression engine for rules: RE2 where available, Python's `re` otherwise.

Message texts are written by the adversary, so matching must take linear time whatever the input:
RE2 guarantees it (no backtracking, so no catastrophic patterns), and its multi-pattern `Set`
tells in one pass over the text which rules can fire, so only those are searched for their
spans. Rule patterns are written in the common subset of both engines, which the loader checks.

A text is encoded to UTF-8 once (`Subject`) and every RE2 search of it runs on those bytes through
RE2's own `Match` (google-re2's `finditer` encodes the text again and builds match objects per
call); lone surrogates, which an adversary can put in JSON, pass through as bytes that match nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

try:
    import re2 as _re2
    from re2 import _re2 as _re2_core
except ImportError:  # pragma: no cover - exercised only where google-re2 has no wheel
    _re2 = None
    _re2_core = None

ENGINE = "re2" if _re2 is not None else "re"
SET_MEMORY = 64 << 20
"""Bytes RE2 may use for the multi-pattern set's automaton: with RE2's default (8 MB) the bundled
rules' DFA keeps running out of memory and falls back to a slower engine on long messages."""


class Pattern(Protocol):
    """What the detectors use of a compiled pattern (common to `re` and RE2)."""

    def finditer(self, text: str) -> Iterator[Any]: ...

    def search(self, text: str, pos: int = ..., endpos: int = ...) -> Any: ...


def compile_pattern(pattern: str) -> Pattern:
    """Compile with the active engine; raises ValueError with the engine's message if invalid."""
    try:
        if _re2 is not None:
            compiled: Pattern = _re2.compile(pattern)
        else:
            compiled = re.compile(pattern)
    except Exception as exc:  # both engines raise their own error types
        raise ValueError(f"{ENGINE}: {exc}") from None
    return compiled


def check_portable(pattern: str) -> str | None:
    """Why a pattern would not behave the same in both engines, or None if it is portable."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"invalid regular expression: {exc}"
    if _re2 is not None:
        try:
            _re2.compile(pattern)
        except Exception as exc:
            return f"not supported by RE2 (no look-around or back-references): {exc}"
    return None


class Subject:
    """A text to search, encoded once; converts offsets between characters and UTF-8 bytes."""

    __slots__ = ("ascii", "data", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self.data = text.encode("ascii") if self.ascii else text.encode("utf-8", "surrogatepass")

    def chars(self, offsets: list[int]) -> list[int]:
        """Character offsets of ascending byte offsets, in one pass over the text (linear however many).

        An offset inside a character's bytes (RE2 steps byte by byte over bytes that are not UTF-8, such
        as an encoded lone surrogate) counts from the next character."""
        if self.ascii:
            return offsets
        data, size = self.data, len(self.data)
        found: list[int] = []
        last_byte = last_char = 0
        for offset in offsets:
            while offset < size and data[offset] & 0xC0 == 0x80:
                offset += 1
            if offset > last_byte:
                last_char += len(data[last_byte:offset].decode("utf-8", "surrogatepass"))
                last_byte = offset
            found.append(last_char)
        return found

    def byte_length(self, start: int, end: int) -> int:
        """The UTF-8 length of characters [start, end)."""
        if self.ascii:
            return end - start
        return len(self.text[start:end].encode("utf-8", "surrogatepass"))


class Regex:
    """One compiled pattern searched over a `Subject`.

    `lazy` defers compiling to the first search: for patterns already validated (the bundled packs from the
    cache, rules/loader.py), where a check uses the few rules whose indicator words occur and compiling all
    167 took a twentieth of a `falsefriends check`. Otherwise a bad pattern raises here.
    """

    __slots__ = ("_core", "_pattern", "_re")

    def __init__(self, pattern: str, *, lazy: bool = False) -> None:
        self._pattern = pattern
        self._core: Any = None
        self._re: re.Pattern[str] | None = None
        if not lazy:
            self._compile()

    def _compile(self) -> None:
        pattern = self._pattern
        if _re2_core is not None:
            try:
                core = _re2_core.RE2(pattern.encode("utf-8"), _re2.Options())
            except Exception as exc:
                raise ValueError(f"{ENGINE}: {exc}") from None
            if not core.ok():
                raise ValueError(f"{ENGINE}: {core.error()}")
            self._core = core
        else:
            self._re = re.compile(pattern)

    def matches(self, subject: Subject) -> list[tuple[int, int, int, int]]:
        """The non-empty, non-overlapping matches, left to right: character start and end, then the same in
        the engine's own offsets (UTF-8 bytes for RE2, characters for `re`)."""
        if self._core is None and self._re is None:
            self._compile()
        if self._re is not None:
            return [(a, b, a, b) for a, b in (m.span() for m in self._re.finditer(subject.text)) if b > a]
        data, pos, end = subject.data, 0, len(subject.data)
        found: list[tuple[int, int]] = []
        while pos <= end:
            start, stop = self._core.Match(_UNANCHORED, data, pos, end)[0]
            if start < 0:
                break
            if stop > start:
                found.append((start, stop))
                pos = stop
            else:  # an empty match: step over one character (UTF-8 continuation bytes are 0b10xxxxxx)
                pos = start + 1
                while pos < end and data[pos] & 0xC0 == 0x80:
                    pos += 1
        if subject.ascii:
            return [(a, b, a, b) for a, b in found]
        chars = subject.chars([offset for span in found for offset in span])
        return [(chars[2 * i], chars[2 * i + 1], a, b) for i, (a, b) in enumerate(found)]

    def spans(self, subject: Subject) -> list[tuple[int, int]]:
        """Character spans of the non-empty, non-overlapping matches, left to right."""
        return [(a, b) for a, b, _, _ in self.matches(subject)]

    def occurs_near(self, subject: Subject, match: tuple[int, int, int, int], window: int) -> bool:
        """Whether the pattern matches within `window` characters either side of `match` (from `matches`)."""
        start, end, engine_start, engine_end = match
        lo, hi = max(0, start - window), min(len(subject.text), end + window)
        if self._core is None and self._re is None:
            self._compile()
        if self._re is not None:
            return self._re.search(subject.text, lo, hi) is not None
        lo_byte = engine_start - subject.byte_length(lo, start)
        hi_byte = engine_end + subject.byte_length(end, hi)
        return bool(self._core.Match(_UNANCHORED, subject.data, lo_byte, hi_byte)[0][0] >= 0)


_UNANCHORED = _re2_core.RE2.Anchor.UNANCHORED if _re2_core is not None else None


class PatternSet:
    """Which of many patterns occur in a text, in one pass when RE2 is available."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._count = len(patterns)
        self._set: Any = None
        self._each: list[re.Pattern[str]] = []
        if _re2 is not None and patterns:
            options = _re2.Options()
            options.max_mem = SET_MEMORY
            self._set = _re2.Set.SearchSet(options)
            for pattern in patterns:
                self._set.Add(pattern)
            self._set.Compile()
        else:
            self._each = [re.compile(p) for p in patterns]

    def matching(self, text: str | Subject) -> list[int]:
        """Indices of the patterns that occur somewhere in `text`."""
        subject = text if isinstance(text, Subject) else Subject(text)
        if self._set is not None:
            return sorted(self._set.Match(subject.data) or ())
        return [i for i, pattern in enumerate(self._each) if pattern.search(subject.text)]
