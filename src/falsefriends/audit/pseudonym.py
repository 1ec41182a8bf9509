"""Pseudonymise staff in audit findings: names, profile URLs, ids and export file names become stable pseudonyms.

A pseudonym is `staff-` + the first 10 hex digits of HMAC-SHA256(key, staff_id): the same person gets
the same pseudonym in every output and every run with the same key, and nobody without the key can
recompute it from a guessed name. The organisation keeps the key (a per-workspace secret file, see
`load_or_create_key`) and can map pseudonyms back with its roster.

The scrub runs over every string of the findings, so the JSON, the HTML and the CSV (all rendered
from the scrubbed findings) carry no staff identity: exact fields are replaced whole; free text
(evidence excerpts, quarantined rows, file names) has staff URLs, full names and name tokens replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from falsefriends.audit.data import normalise_key
from falsefriends.audit.records import Findings
from falsefriends.model import StaffMember

KEY_ENV = "FALSEFRIENDS_PSEUDONYM_KEY"
_URLISH = re.compile(r"(?:https?://|www\.|linkedin\.com/)[^\s\"'<>,;)\]]+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
# Fields that name an outside account: only a staff member's whole name or URL is replaced there, so a
# persona that happens to share a first name with a colleague keeps its own name in the report.
_OUTSIDE_IDENTITY = frozenset({"name", "headline", "employer"})
_PATHISH = frozenset({"file", "source", "export_file", "errors", "raw"})


def pseudonym(key: bytes, staff_id: str) -> str:
    """The stable pseudonym of one staff member."""
    return "staff-" + hmac.new(key, staff_id.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


def load_or_create_key(path: Path) -> bytes:
    """The per-workspace secret: read from `path`, or created there (owner-only permissions) on first use."""
    if path.exists():
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return text.encode("utf-8")


class Pseudonymiser:
    """Replaces every trace of the given staff members in strings."""

    def __init__(self, staff: Sequence[StaffMember], key: bytes) -> None:
        self.exact: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.full_names: dict[str, str] = {}
        self.tokens_any_case: dict[str, str] = {}
        self.tokens_cased: dict[str, str] = {}
        ambiguous = "staff-name"
        for member in staff:
            alias = pseudonym(key, member.staff_id)
            self.exact[member.staff_id] = alias
            if member.name.strip():
                self.exact[member.name] = alias
                self.full_names[member.name.strip().casefold()] = alias
            if member.profile_url:
                self.exact[member.profile_url] = alias
                url = normalise_key(member.profile_url)
                if url:
                    self.urls[url] = alias
                    slug = url.rstrip("/").rsplit("/", 1)[-1]
                    if len(slug) >= 3:
                        self.tokens_any_case.setdefault(slug.casefold(), alias)
            if member.export_file:
                stem = PurePath(member.export_file.replace("\\", "/")).stem
                if stem:
                    self.tokens_any_case.setdefault(stem.casefold(), alias)
            for token in _WORD.findall(member.name):
                if len(token) < 2:
                    continue
                for table in (self.tokens_cased, self.tokens_any_case):
                    spelled = token if table is self.tokens_cased else token.casefold()
                    if len(spelled) < 3 and table is self.tokens_any_case:
                        continue
                    previous = table.get(spelled)
                    table[spelled] = alias if previous in (None, alias) else ambiguous
        self._full_name_pattern = self._alternation(self.full_names)

    @staticmethod
    def _alternation(words: dict[str, str]) -> re.Pattern[str] | None:
        if not words:
            return None
        ordered = sorted(words, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)", re.IGNORECASE)

    def _urls(self, text: str) -> str:
        def swap(match: re.Match[str]) -> str:
            found = normalise_key(match.group(0).rstrip(".")) or ""
            for url, alias in self.urls.items():
                if found == url or found.startswith(url + "/"):
                    return alias
            return match.group(0)
        return _URLISH.sub(swap, text)

    def _full_names(self, text: str) -> str:
        if self._full_name_pattern is None or not text:
            return text
        return self._full_name_pattern.sub(lambda m: self.full_names[m.group(0).casefold()], text)

    def _tokens(self, text: str, any_case: bool) -> str:
        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            if any_case:
                return self.tokens_any_case.get(word.casefold(), word)
            return self.tokens_cased.get(word, self.tokens_cased.get(word.capitalize(), word)
                                         if word.isupper() else word)
        replaced = _WORD.sub(swap, text)
        # "Alice Martin" becomes one pseudonym, not the same pseudonym twice
        return re.sub(r"\b(staff-[0-9a-f]{10})(?:[\s._-]+\1\b)+", r"\1", replaced)

    def text(self, value: str, field: str | None = None) -> str:
        """Scrub one string; `field` is the name of the findings field it came from."""
        if value in self.exact:
            return self.exact[value]
        scrubbed = self._full_names(self._urls(value))
        if field in _OUTSIDE_IDENTITY:
            return scrubbed
        return self._tokens(scrubbed, any_case=field in _PATHISH)

    def walk(self, value: Any, field: str | None = None) -> Any:
        if isinstance(value, str):
            return self.text(value, field)
        if isinstance(value, list):
            return [self.walk(item, field) for item in value]
        if isinstance(value, dict):
            return {k: self.walk(v, k) for k, v in value.items()}
        return value


def pseudonymise(findings: Findings, staff: Sequence[StaffMember], key: bytes) -> Findings:
    """The same findings with every staff name, URL, id and export file name replaced by its pseudonym."""
    scrubber = Pseudonymiser(staff, key)
    dumped = findings.model_dump(mode="json")
    scrubbed = scrubber.walk(dumped)
    for member in scrubbed["staff"]:
        member["profile_url"] = None
        member["name"] = member["staff_id"]
    scrubbed["pseudonymised"] = True
    return Findings.model_validate(scrubbed)
