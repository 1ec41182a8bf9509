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


# What members append to their last name field; the commas and brackets test every CSV writer downstream.
NAME_SUFFIXES = (", PhD", ", MBA", ", CFA", " (she/her)", " (he/him)", ", CISSP")


def draw_name(banks: Banks, rng: random.Random) -> PersonName:
    """A name: an origin by weight, then Latin-script or (sometimes) native-script parts.

    A few members append credentials or pronouns to their last name, as real profiles do.
    """
    origin = banks.origin(rng)
    i, j = rng.randrange(len(origin.first)), rng.randrange(len(origin.last))
    suffix = rng.choice(NAME_SUFFIXES) if rng.random() < 0.04 else ""
    if origin.native_first and rng.random() < origin.native_share:
        # Profiles in family-first scripts still put the given name in "First Name".
        return PersonName(origin.native_first[i], origin.native_last[j] + suffix)
    return PersonName(origin.first[i], origin.last[j] + suffix)


def slugify(text: str) -> str:
    """ASCII slug of a name, as the network builds vanity URLs (non-Latin scripts drop out)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def profile_url(name: PersonName, rng: random.Random) -> str:
    """A vanity URL: the name slug (when it has one) and a random suffix, as many real URLs have."""
    slug = slugify(name.full.split(",")[0].split("(")[0])
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
