"""The watchlist's YAML file form: what the bundled list ships as and what analysts review in git.

```yaml
version: my-list-2026-01
entries:
  - id: org-ccipe
    kind: organisation
    name: China Center of International Politics and Economy
    acronyms: [CCIPE]
    provenance: [{source: bfv-2017, status: named-by-authority, date: '2017-12-10', urls: [...]}]
```
Reading is `yaml.safe_load` only; every invalid entry is reported with its line.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from falsefriends.watchlist.entries import Entry, Watchlist
from falsefriends.watchlist.formats.errors import ImportProblem, WatchlistFormatError, describe_validation
from falsefriends.yamlio import parse_yaml


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """An entry as plain data, leaving out empty and default fields (confidence is always written)."""
    data = entry.model_dump(mode="json", exclude_defaults=True)
    data["confidence"] = entry.confidence
    if not entry.front:
        data["front"] = False
    return data


def dump_yaml(watchlist: Watchlist, header: str = "") -> str:
    """The YAML text of a watchlist, with an optional comment header."""
    body = yaml.safe_dump({"version": watchlist.version, "entries": [entry_to_dict(e) for e in watchlist.entries]},
                          sort_keys=False, allow_unicode=True, width=110)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + body


def load_yaml(text: str, path: str = "<yaml>") -> Watchlist:
    """Read a watchlist YAML text; raises `WatchlistFormatError` listing every bad entry with its line."""
    try:
        root, data = parse_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise WatchlistFormatError([ImportProblem(path, line, f"not valid YAML: {getattr(error, 'problem', error)}")]
                                   ) from None
    if data is None:
        return Watchlist()
    if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
        raise WatchlistFormatError([ImportProblem(path, 1, "expected a mapping with a list under 'entries'")])
    lines: list[int] = []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "entries" and isinstance(value, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value.value]
    problems: list[ImportProblem] = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(data.get("entries") or []):
        line = lines[index] if index < len(lines) else 1
        if not isinstance(item, dict):
            problems.append(ImportProblem(path, line, "an entry must be a mapping"))
            continue
        try:
            entry = Entry.model_validate(item)
        except ValidationError as error:
            problems.append(ImportProblem(path, line, describe_validation(error)))
            continue
        if entry.id in seen:
            problems.append(ImportProblem(path, line, f"duplicate id {entry.id!r} (first at line {seen[entry.id]})"))
            continue
        seen[entry.id] = line
        entries.append(entry)
    if problems:
        raise WatchlistFormatError(problems)
    return Watchlist(version=str(data.get("version") or ""), entries=tuple(entries))
