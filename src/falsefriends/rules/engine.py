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

    def to_chars(self, offset: int) -> int:
        if self.ascii:
            return offset
        return len(self.data[:offset].decode("utf-8", "surrogatepass"))

    def to_bytes(self, offset: int) -> int:
        if self.ascii:
            return offset
        return len(self.text[:offset].encode("utf-8", "surrogatepass"))


class Regex:
    """One compiled pattern searched over a `Subject`."""

    __slots__ = ("_core", "_re")

    def __init__(self, pattern: str) -> None:
        self._core: Any = None
        self._re: re.Pattern[str] | None = None
        if _re2_core is not None:
            try:
                self._core = _re2_core.RE2(pattern.encode("utf-8"), _re2.Options())
            except Exception as exc:
                raise ValueError(f"{ENGINE}: {exc}") from None
            if not self._core.ok():
                raise ValueError(f"{ENGINE}: {self._core.error()}")
        else:
            self._re = re.compile(pattern)

    def spans(self, subject: Subject) -> list[tuple[int, int]]:
        """Character spans of the non-empty, non-overlapping matches, left to right."""
        if self._re is not None:
            return [m.span() for m in self._re.finditer(subject.text) if m.end() > m.start()]
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
            return found
        return [(subject.to_chars(a), subject.to_chars(b)) for a, b in found]

    def occurs(self, subject: Subject, lo: int, hi: int) -> bool:
        """Whether the pattern matches within characters [lo, hi) of the subject."""
        if self._re is not None:
            return self._re.search(subject.text, lo, hi) is not None
        start = self._core.Match(_UNANCHORED, subject.data, subject.to_bytes(lo), subject.to_bytes(hi))[0][0]
        return start >= 0


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
