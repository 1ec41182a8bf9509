"""Identity resolution: decide when two sightings of an account are the same account, and how sure we are.

A profile URL identifies an account (confidence 1.0) once normalised: host variants (`fr.`, `m.`, no
`www`), query strings, fragments, trailing slashes, sub-pages and letter case do not matter. Without a
URL (older exports), the key is built from the folded name, employer and position/headline, and the
confidence says how much of that was known. Inside one export, a name-only sighting (an invitation
`From`) joins the one account of that exact folded name seen with more detail, unless the export shows two
people of that name (an invitation sent after a connection of that name was made; `linkedin_export`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from urllib.parse import unquote, urlsplit

from falsefriends.model import Account
from falsefriends.text import fold_plain

MAX_KEY = 400
"""Keys longer than this (hostile URLs) are replaced by a hash so they fit an indexed column."""

CONFIDENCE = {
    "url": 1.0,
    "name+employer+position": 0.8,
    "name+employer": 0.7,
    "name+position": 0.5,
    "name": 0.3,
}
"""How sure a key is to denote one real account, by how it was made."""


_SPACE = re.compile(r"\s")
_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")


@dataclass(frozen=True)
class Identity:
    """A resolved identity: its stable key, how it was made and how sure it is."""

    key: str
    method: str
    confidence: float


def _bounded(key: str, prefix: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    return f"{prefix}:{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"


_CANONICAL = re.compile(r"https://www\.linkedin\.com/in/[a-z0-9_-]{1,200}")
"""A profile URL already in canonical form (what exports mostly hold, and every stored key): returned as is."""


def normalise_profile_url(url: str) -> str | None:
    """The canonical form of a profile URL, or None when `url` is not a usable web address."""
    # the fast path spares the parse to a 100,000-row export's URLs, each looked at several times (the
    # cache below holds 65,536, so they kept pushing each other out)
    if _CANONICAL.fullmatch(url):
        return url
    return _normalise_profile_url(url)


@lru_cache(maxsize=65536)
def _normalise_profile_url(url: str) -> str | None:
    text = url.strip()
    if not text or _SPACE.search(text):
        return None
    if "://" not in text:
        if _OTHER_SCHEME.match(text):
            return None  # mailto:, javascript:, tel: ... are not profiles
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").casefold().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.casefold() not in ("http", "https") or not host or "." not in host or "@" in parts.netloc:
        return None
    path = unquote(parts.path).rstrip("/")
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        segments = [segment for segment in path.split("/") if segment]
        # /in/<slug>/details/experience and /in/<slug>/ are the same profile; slugs are case-insensitive.
        if len(segments) >= 2 and segments[0].casefold() in ("in", "pub", "company", "school", "showcase"):
            segments = [segments[0].casefold(), segments[1].casefold()]
        path = "/" + "/".join(segments) if segments else ""
        return _bounded(f"https://www.linkedin.com{path}", "url")
    return _bounded(f"https://{host}{path}", "url")


def name_identity(name: str, employer: str = "", position: str = "") -> Identity | None:
    """A key from folded name, employer and position/headline; None without a name."""
    folded = [fold_plain(part) for part in (name, employer, position)]
    if not folded[0]:
        return None
    method = "name" + ("+employer" if folded[1] else "") + ("+position" if folded[2] else "")
    digest = hashlib.sha256("\x1f".join(folded).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return Identity(key=f"{method}:{digest}", method=method, confidence=CONFIDENCE[method])


def identify(name: str = "", url: str = "", employer: str = "", position: str = "") -> Identity | None:
    """The identity of one sighting: by URL when it has one, else by name (None when it has neither)."""
    if url:
        normalised = normalise_profile_url(url)
        if normalised:
            return Identity(key=normalised, method="url", confidence=1.0)
    return name_identity(name, employer, position)


def describe_key(key: str) -> Identity:
    """How a stored key was made and how sure it is (keys carry their method)."""
    if key.startswith("https://"):
        return Identity(key, "url", 1.0)
    method = key.split(":", 1)[0]
    return Identity(key, method, CONFIDENCE.get(method, 0.0))


@lru_cache(maxsize=65536)
def folded_name(name: str) -> str:
    """The folded form of a name used to join name-only sightings."""
    return fold_plain(name)


def name_match(name: str, employer: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """The one URL-keyed account `(key, employer)` of the same name that a name-only sighting can be.

    `candidates` are accounts already known to carry the same folded name. An employer on both sides
    must agree (folded); a missing employer on either side does not rule a candidate out. Zero or
    several fitting candidates give None: a name shared by two people joins neither.
    """
    wanted = fold_plain(employer)
    fitting = {key for key, theirs in candidates if not wanted or not theirs or fold_plain(theirs) == wanted}
    return fitting.pop() if len(fitting) == 1 else None


def linked_method(method: str) -> str:
    """How a name-based key joined to a URL account is recorded (`name+employer>url`)."""
    return f"{method}>url"


class _AccountsLike(Protocol):
    @property
    def owner(self) -> Account: ...
    @property
    def contacts(self) -> tuple[Account, ...]: ...


def link_exports(exports: Iterable[_AccountsLike]) -> dict[str, Identity]:
    """Across many exports: name-based keys that denote one account known elsewhere by URL.

    Returns `{name-based key: Identity(url key, "<method>>url", confidence of the name key)}`; apply
    it to `Account.key`, `Message.sender`/`recipients` and connections to merge the sightings.
    """
    by_name: dict[str, dict[str, str]] = {}
    named: dict[str, Account] = {}
    for export in exports:
        for account in (export.owner, *export.contacts):
            if not account.key:
                continue
            if account.key.startswith("https://") or account.key.startswith("url:"):
                if account.name:
                    known = by_name.setdefault(folded_name(account.name), {})
                    known[account.key] = known.get(account.key) or account.employer
            elif describe_key(account.key).method.startswith("name"):
                named.setdefault(account.key, account)
    links: dict[str, Identity] = {}
    for key, account in named.items():
        candidates = by_name.get(folded_name(account.name))
        if not candidates:
            continue
        target = name_match(account.name, account.employer, candidates.items())
        if target:
            method = describe_key(key)
            links[key] = Identity(target, linked_method(method.method), method.confidence)
    return links
