"""One error shape for every watchlist file format: the file, the line, and what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class ImportProblem:
    """One bad record of an imported file, located to its line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class WatchlistFormatError(ValueError):
    """Raised when a file cannot be read as a watchlist; carries every problem found, not only the first."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = tuple(problems)
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems")
        super().__init__("\n".join(shown))


def describe_validation(error: ValidationError) -> str:
    """A short, single-line account of a pydantic error (no echo of the hostile input value)."""
    parts = []
    for item in error.errors(include_url=False, include_input=False):
        where = ".".join(str(x) for x in item["loc"]) or "entry"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)
