"""Seeded generators of name variants and decoys, for the evaluation and the benchmark.

Variants are what an operator (or a clerk copying a list) does to a listed name: a typo, accents and
case, a transliteration (pinyin with tone marks or digits, syllables joined or split; Cyrillic and back),
an acronym, the words re-ordered, a legal-form suffix, a British/American spelling. Decoys are names that
must NOT match: common personal names from many origins, and look-alike organisations that share the
generic words of a listed front but differ in the word that identifies it. Every choice is drawn from
`random.Random(seed)`; nothing is written per listed entry.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from falsefriends.watchlist.entries import Entry, EntryKind
from falsefriends.watchlist.features import GENERIC_ORG_WORDS
from falsefriends.watchlist.normalise import LEGAL_FORMS, STOP_WORDS, prepare, segment_pinyin

GIVEN_NAMES = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "Jason",
    "Alex", "Rachel", "Lily", "Eva", "Allen", "Joan", "Kevin", "Katie", "Aaron", "Anna", "Laura", "Thomas", "Julia",
    "Wei", "Jing", "Min", "Hui", "Lei", "Yan", "Xin", "Fang", "Jun", "Ying", "Mohammed", "Fatima", "Ahmed", "Aisha",
    "Olga", "Ivan", "Sergei", "Natalia", "Pierre", "Marie", "Jean", "Camille", "Hans", "Ursula", "Jurgen", "Sabine",
    "Raj", "Priya", "Amit", "Sunita", "Kenji", "Yuki", "Hiroshi", "Sakura", "Minh", "Linh", "Carlos", "Lucia",
)
SURNAMES = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu",
    "Guo", "He", "Lin", "Luo", "Gao", "Han", "Tao", "Shen", "Smith", "Johnson", "Williams", "Brown", "Jones",
    "Miller", "Davis", "Garcia", "Martin", "Bernard", "Dubois", "Muller", "Schmidt", "Schneider", "Fischer",
    "Ivanov", "Petrova", "Kumar", "Sharma", "Patel", "Tanaka", "Suzuki", "Nguyen", "Tran", "Khan", "Hassan",
    "Rossi", "Lopez", "Kowalski", "Novak", "Ramsey", "Keller", "Moreau", "Leroy",
)
ORG_WORDS = (
    "Horizon", "Pinnacle", "Meridian", "Summit", "Atlas", "Vertex", "Harbor", "Beacon", "Crescent", "Keystone",
    "Silk", "Jade", "Orient", "Eastern", "Western", "Nordic", "Alpine", "Danube", "Rhine", "Pacific", "Africa",
    "Latin", "Arctic", "Unity", "Vision", "Insight", "Bridge", "Compass", "Frontier", "Legacy", "Prime", "Apex",
    "Sino", "Euro", "Asia", "Trans", "Continental", "Maritime", "Lotus", "Phoenix", "Dragon", "Oak",
)
"""Words that identify an organisation (none of them is in GENERIC_ORG_WORDS)."""
ORG_TYPES = (
    ("Center", "for", "{x}", "Studies"), ("{x}", "Strategic", "Consulting"), ("{x}", "HR"),
    ("{x}", "Institute", "of", "International", "Affairs"), ("{x}", "Research", "Group"),
    ("{x}", "Development", "Association"), ("{x}", "Talent", "Partners"), ("{x}", "Policy", "Forum"),
)
LEGAL_SUFFIXES = (" Ltd", " Ltd.", " Co., Ltd.", " GmbH", " SARL", " Inc.", " LLC", " S.A.", " Limited")
SPELLINGS = (("Center", "Centre"), ("Centre", "Center"), ("Consulting", "Consultancy"), ("and", "&"),
             ("International", "Intl"), ("Organization", "Organisation"), ("Studies", "Study"))
_TONES = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù"}
_CYRILLIC_DIGRAPHS = (("sch", "ш"), ("ch", "ч"), ("sh", "ш"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ya", "я"),
                      ("yu", "ю"), ("ck", "к"), ("ph", "ф"), ("th", "т"), ("ee", "и"), ("oo", "у"))
_CYRILLIC = {**dict(zip("abvgdeziklmnoprstufhcyqw", "абвгдезиклмнопрстуфхцыкв", strict=True)), "j": "дж", "x": "кс"}


@dataclass(frozen=True, slots=True)
class Case:
    """One query of the evaluation: a name, what it should match (None for a decoy) and how it was made."""

    query: str
    target: str | None
    kind: EntryKind
    how: str


def typo(name: str, rng: random.Random) -> str:
    """One edit (drop, double, swap, replace a letter) in a word of four letters or more."""
    words = name.split(" ")
    choices = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not choices:
        return name
    i = rng.choice(choices)
    w = words[i]
    p = rng.randrange(1, len(w) - 1)
    op = rng.choice(("drop", "double", "swap", "replace"))
    if op == "drop":
        w = w[:p] + w[p + 1:]
    elif op == "double":
        w = w[:p] + w[p] + w[p:]
    elif op == "swap":
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    else:
        w = w[:p] + rng.choice("aeiounrstl") + w[p + 1:]
    words[i] = w
    return " ".join(words)


def case_and_accents(name: str, rng: random.Random) -> str:
    """Upper or lower case, and an accent on a vowel."""
    text = rng.choice((name.upper(), name.lower(), name.title()))
    vowels = [i for i, c in enumerate(text) if c.lower() in "aeiou"]
    if vowels:
        i = rng.choice(vowels)
        text = text[:i] + unicodedata.normalize("NFC", text[i] + "\u0301") + text[i + 1:]
    return text


def pinyin_spelling(name: str, rng: random.Random) -> str | None:
    """Tone marks or tone digits on every syllable, and given-name syllables split or joined."""
    words = name.split()
    parts = [segment_pinyin(w.lower()) for w in words]
    # Chinese surnames and given names have one or two syllables; "Laeticia" is not pinyin
    if any(p is None or len(p) > 2 for p in parts):
        return None
    style = rng.choice(("marks", "digits", "split", "joined"))
    out = []
    for syllables in parts:
        assert syllables is not None
        if style == "marks":
            out.append("".join(_mark(s, rng) for s in syllables).capitalize())
        elif style == "digits":
            out.append("".join(f"{s}{rng.randint(1, 4)}" for s in syllables))
        elif style == "split":
            out.append(" ".join(s.capitalize() for s in syllables))
        else:
            out.append("".join(syllables).capitalize())
    if style == "joined":
        return "".join(out).capitalize() if len(out) > 1 and rng.random() < 0.3 else " ".join(reversed(out))
    return " ".join(out)


def _mark(syllable: str, rng: random.Random) -> str:
    for vowel in "aeoiu":
        if vowel in syllable:
            return syllable.replace(vowel, _TONES[vowel][rng.randrange(4)], 1)
    return syllable


def cyrillic_round_trip(name: str, rng: random.Random) -> str:
    """The name written in Cyrillic by sound (as a Russian-language list might), to be read back later."""
    text = name.lower()
    for latin, cyrillic in _CYRILLIC_DIGRAPHS:
        text = text.replace(latin, cyrillic)
    return "".join(_CYRILLIC.get(c, c) for c in text).title()


def acronym(name: str, rng: random.Random) -> str | None:
    """The initials of the significant words, with or without dots."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in STOP_WORDS]
    if len(words) < 3:
        return None
    letters = [w[0].upper() for w in words]
    return ".".join(letters) + "." if rng.random() < 0.3 else "".join(letters)


def reorder(name: str, rng: random.Random) -> str | None:
    """Words in another order (surname first; "X Center" for "Center for X")."""
    words = name.split()
    if len(words) < 2:
        return None
    if len(words) == 2:
        return f"{words[1]} {words[0]}"
    if words[1].lower() in STOP_WORDS:
        return " ".join([*words[2:], words[0]])
    return " ".join(words[1:] + words[:1])


def legal_suffix(name: str, rng: random.Random) -> str:
    """A legal form added at the end."""
    return name + rng.choice(LEGAL_SUFFIXES)


def spelling(name: str, rng: random.Random) -> str | None:
    """A British/American spelling or an abbreviation swapped in."""
    options = [(a, b) for a, b in SPELLINGS if a in name.split()]
    if not options:
        return None
    a, b = rng.choice(options)
    return " ".join(b if w == a else w for w in name.split())


PERSON_VARIANTS: dict[str, Callable[[str, random.Random], str | None]] = {
    "typo": typo, "case-accents": case_and_accents, "pinyin": pinyin_spelling, "cyrillic": cyrillic_round_trip,
    "reorder": reorder,
}
ORG_VARIANTS: dict[str, Callable[[str, random.Random], str | None]] = {
    "typo": typo, "case-accents": case_and_accents, "acronym": acronym, "reorder": reorder,
    "legal-suffix": legal_suffix, "spelling": spelling,
    "suffix+typo": lambda n, r: legal_suffix(typo(n, r), r),
}


def variants(entries: list[Entry], rng: random.Random, per_kind: int = 3) -> list[Case]:
    """`per_kind` variants of each kind for each persona and organisation entry (fronts only)."""
    cases: list[Case] = []
    for entry in entries:
        if entry.kind is EntryKind.PERSONA:
            makers = PERSON_VARIANTS
        elif entry.kind is EntryKind.ORGANISATION and entry.front:
            makers = ORG_VARIANTS
        else:
            continue
        for how, make in makers.items():
            seen: set[str] = set()
            for _ in range(per_kind):
                query = make(entry.name, rng)
                if query and query not in seen and query != entry.name:
                    seen.add(query)
                    cases.append(Case(query, entry.id, entry.kind, how))
    return cases


def _listed_forms(entries: list[Entry], organisation: bool) -> set[str]:
    return {prepare(n).sorted_text(organisation) for e in entries for n in e.names}


def decoys(entries: list[Entry], rng: random.Random, persons: int = 300, organisations: int = 150) -> list[Case]:
    """Common personal names that are not listed, and look-alike organisations (see the module docstring)."""
    listed_people = _listed_forms([e for e in entries if e.kind is EntryKind.PERSONA], False)
    cases: list[Case] = []
    attempts = 0
    while len([c for c in cases if c.kind is EntryKind.PERSONA]) < persons and attempts < persons * 20:
        attempts += 1
        name = f"{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}"
        if prepare(name).sorted_text(False) not in listed_people:
            cases.append(Case(name, None, EntryKind.PERSONA, "common-name"))
    fronts = [e for e in entries if e.kind is EntryKind.ORGANISATION and e.front]
    listed_orgs = _listed_forms(fronts, True)
    attempts = 0
    made = 0
    while made < organisations and attempts < organisations * 20 and fronts:
        attempts += 1
        front = rng.choice(fronts)
        words = front.name.replace("-", " - ").split()
        distinctive = [i for i, w in enumerate(words) if w.isalpha() and w.lower() not in STOP_WORDS
                       and prepare(w).org_core[0] not in GENERIC_ORG_WORDS and w.lower() not in LEGAL_FORMS]
        if distinctive and rng.random() < 0.7:
            i = rng.choice(distinctive)
            words[i] = rng.choice([w for w in ORG_WORDS if w.lower() != words[i].lower()])
            name, how = " ".join(words).replace(" - ", "-"), "look-alike-org"
        else:
            template = rng.choice(ORG_TYPES)
            name, how = " ".join(t.format(x=rng.choice(ORG_WORDS)) for t in template), "generic-org"
        if prepare(name).sorted_text(True) not in listed_orgs:
            cases.append(Case(name, None, EntryKind.ORGANISATION, how))
            made += 1
    return cases


_SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "to", "vel", "dor", "an", "bri", "cas", "el", "fin", "gar", "hol",
              "is", "jun", "kor", "lin", "mar", "nor", "ol", "pet", "quin", "ros", "sten", "tur", "ul", "var",
              "wen", "xi", "yan", "zo", "ber", "chen", "dal", "fen", "gri", "ham", "ing")


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    """`count` distinct capitalised made-up words of two or three syllables (a large, realistic vocabulary)."""
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize())
    return sorted(words)


def synthetic_names(rng: random.Random, count: int, organisations: float = 0.5, vocabulary: int = 4000
                    ) -> list[tuple[str, EntryKind]]:
    """`count` distinct generated names (persons and organisations) for the benchmark's list and queries:
    persons from common given names and surnames plus `vocabulary` made-up surnames, organisations from
    the templates with made-up or listed distinctive words, so that the list is as varied as a real one."""
    words = pseudo_words(rng, vocabulary)
    surnames = list(SURNAMES) + words[: vocabulary // 2]
    org_words = list(ORG_WORDS) + words[vocabulary // 2:]
    names: dict[str, EntryKind] = {}
    while len(names) < count:
        if rng.random() < organisations:
            template = rng.choice(ORG_TYPES)
            x = rng.choice(org_words) + rng.choice(("", "", rng.choice(org_words).lower()))
            name = " ".join(t.format(x=x) for t in template)
            if rng.random() < 0.3:
                name = f"{rng.choice(surnames)} {name}"
            names.setdefault(name, EntryKind.ORGANISATION)
        else:
            middle = f" {rng.choice(GIVEN_NAMES)}" if rng.random() < 0.3 else ""
            names.setdefault(f"{rng.choice(GIVEN_NAMES)}{middle} {rng.choice(surnames)}", EntryKind.PERSONA)
    return list(names.items())
