"""Synthetic people: names from many origins and scripts, and the profile URLs built from them.

Every role draws from the same origin distribution (see banks/names.yaml), so hostility never
correlates with the origin or the script of a name.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field

from falsefriends.simulate.banks import Banks

PROFILE_BASE = "https://www.linkedin.com/in/"


@dataclass(frozen=True)
class PersonName:
    first: str
    last: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}".strip()


def draw_name(banks: Banks, rng: random.Random) -> PersonName:
    """A name: an origin by weight, then Latin-script or (sometimes) native-script parts."""
    origin = banks.origin(rng)
    i, j = rng.randrange(len(origin.first)), rng.randrange(len(origin.last))
    if origin.native_first and rng.random() < origin.native_share:
        # Profiles in family-first scripts still put the given name in "First Name".
        return PersonName(origin.native_first[i], origin.native_last[j])
    return PersonName(origin.first[i], origin.last[j])


def slugify(text: str) -> str:
    """ASCII slug of a name, as the network builds vanity URLs (non-Latin scripts drop out)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def profile_url(name: PersonName, rng: random.Random) -> str:
    """A vanity URL: the name slug (when it has one) and a random suffix, as many real URLs have."""
    slug = slugify(name.full)
    suffix = f"{rng.getrandbits(36):09x}"
    return PROFILE_BASE + (f"{slug}-{suffix}" if slug else f"member-{suffix}")


@dataclass
class Person:
    """One account of a world: staff member, contact, genuine sender or hostile persona."""

    name: PersonName
    url: str
    company: str
    position: str
    kind: str
    language: str = "en"
    email: str = ""
    campaign: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def first(self) -> str:
        return self.name.first

    @property
    def last(self) -> str:
        return self.name.last

    @property
    def full(self) -> str:
        return self.name.full
