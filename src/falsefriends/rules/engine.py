"""The regular-expression engine for rules: RE2 where available, Python's `re` otherwise.

Message texts are written by the adversary, so matching must take linear time whatever the input:
RE2 guarantees it (no backtracking, so no catastrophic patterns), and its multi-pattern `Set`
tells in one pass over the text which rules can fire, so only those are searched for their
spans. Rule patterns are written in the common subset of both engines, which the loader checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

try:
    import re2 as _re2
except ImportError:  # pragma: no cover - exercised only where google-re2 has no wheel
    _re2 = None

ENGINE = "re2" if _re2 is not None else "re"


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


class PatternSet:
    """Which of many patterns occur in a text, in one pass when RE2 is available."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._count = len(patterns)
        self._set: Any = None
        self._each: list[Pattern] = []
        if _re2 is not None and patterns:
            self._set = _re2.Set.SearchSet(_re2.Options())
            for pattern in patterns:
                self._set.Add(pattern)
            self._set.Compile()
        else:
            self._each = [re.compile(p) for p in patterns]

    def matching(self, text: str) -> list[int]:
        """Indices of the patterns that occur somewhere in `text`."""
        if self._set is not None:
            return sorted(self._set.Match(text) or ())
        return [i for i, pattern in enumerate(self._each) if pattern.search(text)]
