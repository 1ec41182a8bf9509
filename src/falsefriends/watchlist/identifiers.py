"""Exact identifiers: canonical keys for profile URLs, handles, phone numbers, domains and photo hashes,
and the bounded extraction of such identifiers from untrusted free text (messages, profile summaries).

Two spellings of the same identifier must give the same key ("https://www.LinkedIn.com/in/katie-jones/",
"linkedin.com/in/katie-jones"; "+86 138-0013-8000", "008613800138000"), and extraction must stay linear on
hostile text: every pattern is anchored on a literal and bounded in length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from falsefriends.watchlist.entries import IdentifierKind

MAX_SCAN = 20_000
"""Characters of a text scanned for identifiers; a message longer than this is truncated for extraction."""

MAX_FOUND = 200
"""Identifiers kept per text; a text listing more is not a message but an attempt to slow us down."""

PHOTO_HASH_TOLERANCE = 6
"""Largest Hamming distance (bits) at which two perceptual hashes of the same length are the same photo."""

_HEX = re.compile(r"^[0-9a-f]{16,256}$")
_DIGITS = re.compile(r"\D+")


def _domain(value: str) -> str:
    value = value.strip().lower().rstrip(".")
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    value = re.sub(r"^[a-z][a-z0-9+.-]{0,20}://", "", value)
    value = value.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    return value.removeprefix("www.")


_CANONICAL_PROFILE = re.compile(r"https://www\.linkedin\.com/(in/[a-z0-9_-]{1,200})")
"""A profile URL as ingestion spells every key: its canonical form here is `linkedin.com/in/<slug>`."""


def _profile_url(value: str) -> str:
    canonical_spelling = _CANONICAL_PROFILE.fullmatch(value)
    if canonical_spelling:
        return "linkedin.com/" + canonical_spelling.group(1)
    return _any_profile_url(value)


@lru_cache(maxsize=4096)
def _any_profile_url(value: str) -> str:
    # small: a profile's URL and key are usually the same text, looked up one after the other
    value = unquote(value.strip()).lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]{0,20}://", "", value)
    value = value.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    host, _, path = value.partition("/")
    host = host.removeprefix("www.")
    # country subdomains of LinkedIn (de.linkedin.com, fr.linkedin.com) point at the same profile
    if host.endswith(".linkedin.com"):
        host = "linkedin.com"
    return f"{host}/{path}" if path else host


def _handle(value: str) -> str:
    value = value.strip().lower()
    value = re.sub(r"^(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me)/", "", value)
    return value.lstrip("@")


def _phone(value: str) -> str:
    value = value.strip()
    value = re.sub(r"^(?:https?://)?(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?", "", value)
    plus = value.startswith("+")
    digits = _DIGITS.sub("", value)
    if not plus and digits.startswith("00"):
        digits = digits[2:]
    return digits


def canonical(kind: IdentifierKind, value: str) -> str:
    """The key under which an identifier is stored and compared."""
    if kind is IdentifierKind.PROFILE_URL:
        return _profile_url(value)
    if kind in (IdentifierKind.EMAIL_DOMAIN, IdentifierKind.WEB_DOMAIN):
        return _domain(value)
    if kind is IdentifierKind.EMAIL:
        return value.strip().lower()
    if kind in (IdentifierKind.PHONE, IdentifierKind.WHATSAPP, IdentifierKind.SIGNAL):
        digits = _phone(value)
        return digits if len(digits) >= 6 else _handle(value)
    if kind is IdentifierKind.PHOTO_HASH:
        return value.strip().lower().removeprefix("0x")
    return _handle(value)


def lookup_kind(kind: IdentifierKind) -> str:
    """Identifier kinds that share one key space: a phone number is the same whether listed as WhatsApp,
    Signal or phone; a handle is compared across Telegram, WeChat, Skype and generic handles, because
    personas reuse one handle everywhere."""
    if kind in (IdentifierKind.PHONE, IdentifierKind.WHATSAPP, IdentifierKind.SIGNAL):
        return "phone"
    if kind in (IdentifierKind.HANDLE, IdentifierKind.TELEGRAM, IdentifierKind.WECHAT, IdentifierKind.SKYPE):
        return "handle"
    if kind in (IdentifierKind.EMAIL_DOMAIN, IdentifierKind.WEB_DOMAIN):
        return "domain"
    return kind.value


def photo_hash_distance(a: str, b: str) -> int | None:
    """Hamming distance between two hex perceptual hashes of the same length; None if they are not."""
    a, b = a.lower().removeprefix("0x"), b.lower().removeprefix("0x")
    if len(a) != len(b) or not _HEX.match(a) or not _HEX.match(b):
        return None
    return (int(a, 16) ^ int(b, 16)).bit_count()


def photo_hash_near(a: str, b: str) -> int | None:
    """Bits apart when two photo hashes are the same photo, else None.

    Fingerprints of falsefriends.photo (pHash+dHash of four views, or a bare 64-bit pHash) are compared view by
    view (mirror and crops, both hashes agreeing: photo.hashes.compare); other hex hashes of one length are the
    same photo within PHOTO_HASH_TOLERANCE bits.
    """
    from falsefriends.photo.hashes import compare, is_photo_hash, parse_fingerprint

    if is_photo_hash(a) and is_photo_hash(b):
        found = compare(parse_fingerprint(a), parse_fingerprint(b))
        return None if found is None else found.phash_bits
    distance = photo_hash_distance(a, b)
    return distance if distance is not None and distance <= PHOTO_HASH_TOLERANCE else None


@dataclass(frozen=True, slots=True)
class Found:
    """An identifier found in free text, with its span in that text."""

    kind: IdentifierKind
    value: str
    span: tuple[int, int]


_PATTERNS: tuple[tuple[IdentifierKind, re.Pattern[str]], ...] = (
    (IdentifierKind.EMAIL, re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}")),
    (IdentifierKind.PROFILE_URL, re.compile(r"(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com/in/[^\s/?#<>\"']{1,100}",
                                            re.IGNORECASE)),
    (IdentifierKind.TELEGRAM, re.compile(r"(?:https?://)?(?:t|telegram)\.me/[A-Za-z0-9_]{3,64}", re.IGNORECASE)),
    (IdentifierKind.WHATSAPP, re.compile(r"(?:https?://)?wa\.me/\+?[0-9]{6,16}", re.IGNORECASE)),
    (IdentifierKind.WEB_DOMAIN, re.compile(
        r"(?:https?://|www\.)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}", re.IGNORECASE)),
    (IdentifierKind.PHONE, re.compile(r"(?<![\w+])(?:\+|00)[1-9][0-9 ()./-]{6,20}[0-9]")),
    (IdentifierKind.HANDLE, re.compile(
        r"(?:wechat|weixin|telegram|skype|signal|whatsapp|line)(?:\s{0,3}(?:id|handle|account|number))?"
        r"\s{0,3}[:：]\s{0,3}@?([A-Za-z0-9_.+-]{3,64})", re.IGNORECASE)),
    (IdentifierKind.HANDLE, re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{2,31})\b")),
)


# A pattern can only match where one of these strings occurs (in the lower-cased text); checking them
# first spares most messages seven regular-expression scans.
_GUARDS: tuple[tuple[str, ...], ...] = (
    ("@",), ("linkedin.com/in/",), ("t.me/", "telegram.me/"), ("wa.me/",), ("http", "www."), ("+", "00"),
    (":", "："), ("@",),
)


def extract(text: str) -> list[Found]:
    """Identifiers in `text` (e-mail addresses, LinkedIn profile URLs, t.me and wa.me links, web domains,
    international phone numbers, "WeChat ID: xxx" style handles and @handles), each with its span."""
    if not text:
        return []  # most profiles of an export's connections have no headline or summary
    text = text[:MAX_SCAN]
    lowered = text.lower()
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for (kind, pattern), guards in zip(_PATTERNS, _GUARDS, strict=True):
        if not any(guard in lowered for guard in guards):
            continue
        for match in pattern.finditer(text):
            if len(found) >= MAX_FOUND:
                return found
            group = 1 if pattern.groups else 0
            start, end = match.span(group)
            if any(s < end and start < e for s, e in taken) and kind is not IdentifierKind.HANDLE:
                continue
            if any(s <= start and end <= e for s, e in taken):
                continue
            taken.append((start, end))
            value = match.group(group)
            found.append(Found(kind, value, (start, end)))
            if kind is IdentifierKind.EMAIL:
                found.append(Found(IdentifierKind.EMAIL_DOMAIN, value.rsplit("@", 1)[1], (start, end)))
    return found
