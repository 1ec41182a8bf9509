"""Phrasing, name and world banks of the generator, loaded from the YAML files in `simulate/banks/`.

The banks are written apart from the detection rule packs so that an evaluation on a simulated
world measures how rules generalise to other wordings, not how well they read their own phrases.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("en", "fr", "de")


def _load(name: str) -> Any:
    text = resources.files("falsefriends.simulate").joinpath("banks").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Origin:
    """One name origin: Latin-script pools and, for some, a native-script rendering."""

    name: str
    weight: float
    first: tuple[str, ...]
    last: tuple[str, ...]
    native_first: tuple[str, ...] = ()
    native_last: tuple[str, ...] = ()
    native_family_first: bool = False
    native_share: float = 0.0


class _SafeValues(dict[str, str]):
    """Template values that leave an unknown placeholder visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: dict[str, str]) -> str:
    """Fill `{name}` placeholders; unknown ones stay as written (the banks are data, never code)."""
    return string.Formatter().vformat(template, (), _SafeValues(values))


class Banks:
    """All banks of one generator run (loaded once per process)."""

    def __init__(self) -> None:
        names = _load("names.yaml")["origins"]
        self.origins: tuple[Origin, ...] = tuple(
            Origin(
                name=key,
                weight=float(spec["weight"]),
                first=tuple(spec["first"]),
                last=tuple(spec["last"]),
                native_first=tuple(spec.get("native", {}).get("first", ())),
                native_last=tuple(spec.get("native", {}).get("last", ())),
                native_family_first=spec.get("native", {}).get("order") == "family-first",
                native_share=float(spec.get("native", {}).get("share", 0.0)),
            )
            for key, spec in sorted(names.items())
        )
        self.world: dict[str, Any] = _load("world.yaml")
        self.phrases: dict[str, dict[str, Any]] = {lang: _load(f"phrases.{lang}.yaml") for lang in LANGUAGES}
        self._origin_weights = [o.weight for o in self.origins]

    def origin(self, rng: random.Random) -> Origin:
        return rng.choices(self.origins, weights=self._origin_weights, k=1)[0]

    def templates(self, lang: str, group: str, idea: str) -> list[str]:
        """Paraphrases of one idea in a language, falling back to English where a bank lacks it."""
        found = self.phrases.get(lang, {}).get(group, {}).get(idea)
        if not found:
            found = self.phrases["en"][group][idea]
        return list(found)

    def pick(self, rng: random.Random, lang: str, group: str, idea: str) -> str:
        return rng.choice(self.templates(lang, group, idea))

    def greeting(self, rng: random.Random, lang: str) -> str:
        return str(rng.choice(self.phrases[lang]["greetings"]))

    def signoff(self, rng: random.Random, lang: str) -> str:
        return str(rng.choice(self.phrases[lang]["signoffs"]))


@cache
def default_banks() -> Banks:
    return Banks()
