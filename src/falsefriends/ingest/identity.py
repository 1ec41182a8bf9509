"""Identity resolution: decide when two sightings of an account are the same account, and how sure we are.

A profile URL identifies an account (confidence 1.0) once normalised: host variants (`fr.`, `m.`, no
`www`), query strings, fragments, trailing slashes, sub-pages and letter case do not matter. Without a
URL (older exports), the key is built from the folded name, employer and position/headline, and the
confidence says how much of that was known. Inside one export, a name-only sighting (an invitation
`From`) joins the one account of that exact folded name seen with more detail.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

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


@lru_cache(maxsize=65536)
def normalise_profile_url(url: str) -> str | None:
    """The canonical form of a profile URL, or None when `url` is not a usable web address."""
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
    return Identity(key, method, CONFIDENCE.get(method, CONFIDENCE["url"] if method == "url" else 0.0))


@lru_cache(maxsize=65536)
def folded_name(name: str) -> str:
    """The folded form of a name used to join name-only sightings."""
    return fold_plain(name)
