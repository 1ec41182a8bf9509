"""Composing message texts from the phrasing banks: placeholders, greetings, small variations, HTML.

Campaign templates are fixed per campaign and varied a little per recipient (greeting, sign-off,
punctuation, an occasional typo), as standardised messages are in real reporting.
"""

from __future__ import annotations

import html
import random

from falsefriends.simulate.banks import Banks, fill

_FEES = {
    "en": ["USD 1,500", "USD 2,500", "$3,000", "EUR 2,000", "£1,800", "USD 5,000", "$800", "€1,200"],
    "fr": ["1 500 €", "2 000 euros", "3 000 USD", "2 500 €", "1 200 €", "4 000 €"],
    "de": ["1.500 EUR", "2.000 €", "3.000 USD", "2.500 Euro", "1.200 €", "4.000 €"],
}
_SALARIES = {"en": ["EUR 140k", "£120,000", "$185,000", "EUR 95k"], "fr": ["120 k€", "95 000 €", "140 k€"],
             "de": ["120.000 €", "95.000 EUR", "140 T€"]}


def fee(rng: random.Random, lang: str, salary: bool = False) -> str:
    pool = _SALARIES if salary else _FEES
    return rng.choice(pool.get(lang, pool["en"]))


def phone(rng: random.Random) -> str:
    prefix = rng.choice(["+65 8", "+852 6", "+971 50 ", "+86 139 ", "+44 7700 ", "+33 6 ", "+49 151 "])
    return prefix + "".join(str(rng.randrange(10)) for _ in range(7))


def vary(text: str, rng: random.Random) -> str:
    """Small per-recipient variations of a standardised text."""
    if rng.random() < 0.15:
        text = text.replace(". ", ".  ", 1)
    if rng.random() < 0.2 and text.endswith("."):
        text = text[:-1] + "!"
    if rng.random() < 0.1:
        words = text.split(" ")
        k = rng.randrange(len(words))
        if len(words[k]) > 4 and words[k].isalpha():
            w = words[k]
            i = rng.randrange(1, len(w) - 2)
            words[k] = w[:i] + w[i + 1] + w[i] + w[i + 2:]  # a transposition typo
        text = " ".join(words)
    return text


def letter(banks: Banks, rng: random.Random, lang: str, body: str, values: dict[str, str],
           greet: float = 0.7, sign: float = 0.6) -> str:
    """Body with an optional greeting and sign-off, placeholders filled."""
    parts = []
    if rng.random() < greet:
        parts.append(banks.greeting(rng, lang))
    parts.append(body)
    if rng.random() < sign:
        parts.append(banks.signoff(rng, lang))
    separator = "\n\n" if rng.random() < 0.6 else "\n"
    return fill(separator.join(parts), values)


def as_html(text: str, rng: random.Random) -> str:
    """The HTML fragments some exported message contents hold (paragraphs, line breaks, entities)."""
    paragraphs = [html.escape(p, quote=False).replace("\n", "<br>") for p in text.split("\n\n")]
    if rng.random() < 0.5:
        return "".join(f"<p>{p}</p>" for p in paragraphs)
    return "<br><br>".join(paragraphs)


def invite_idea(playbook: str, rng: random.Random) -> str:
    """Fake employers open like recruiters; other fronts like advisers, and one in five quietly."""
    if playbook == "technical-assessment":
        return "invite_note_recruiter"
    return "invite_note" if rng.random() < 0.8 else "subtle"
