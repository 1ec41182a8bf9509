"""Name normalisation for watchlist matching: one prepared form per name, computed once.

A name is folded (case, accents, typographic punctuation, invisible characters: see `falsefriends.text`),
written in Latin letters (Hanzi become toneless pinyin syllables with pypinyin, other scripts go through
anyascii), cut into tokens at punctuation, and then reduced twice: a *person* core (the tokens as they are)
and an *organisation* core (without legal forms such as Ltd, GmbH or SARL, without stop words such as "of"
or "for", with spelling variants such as Centre/Center unified and plurals reduced). Pinyin names also get
their syllables, so "Chenping Tao", "Tao Chen-ping", "Táo Chénpíng", "tao2 chen2 ping2" and "陶晨平" share one
key. Nothing here looks at which script a name was written in to score it: scripts only change spelling.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from falsefriends.text import fold_plain

# pypinyin (its dictionaries take a third of a second to import) is imported only where it is needed: to
# write Hanzi in pinyin, and to list the pinyin syllables when they are not in the cache.

MAX_NAME = 300
"""Longest name prepared; anything longer is cut (hostile input can be arbitrarily long)."""

LEGAL_FORMS = frozenset({
    "ltd", "limited", "co", "company", "corp", "corporation", "inc", "incorporated", "llc", "llp", "lp", "plc",
    "gmbh", "ag", "kg", "ug", "ohg", "mbh", "sarl", "sa", "sas", "sasu", "eurl", "sci", "bv", "nv", "srl", "spa",
    "ab", "oy", "aps", "asa", "pte", "pty", "pvt", "kk", "gk", "bhd", "sdn", "jsc", "ooo", "oao", "zao", "pjsc",
    "youxian", "gongsi", "youxiangongsi", "gufen",
})
"""Legal-form words dropped from organisation names (they are what an operator adds or changes first)."""

STOP_WORDS = frozenset({
    "of", "for", "the", "and", "on", "in", "at", "to", "a", "an",
    "de", "du", "des", "la", "le", "les", "et", "pour", "d", "l",
    "fur", "und", "der", "die", "das", "zur", "zum", "von",
})
"""Words that carry no identity in an organisation name."""

SPELLING_VARIANTS = {
    "centre": "center", "centres": "centers", "ctr": "center", "cntr": "center",
    "programme": "program", "programmes": "programs",
    "organisation": "organization", "organisations": "organizations",
    "defence": "defense", "labour": "labor", "analyse": "analyze",
    "intl": "international", "natl": "national", "inst": "institute", "univ": "university",
    "assoc": "association", "assn": "association", "dept": "department", "dev": "development",
    "devt": "development", "mgmt": "management", "tech": "technology", "consultancy": "consulting",
    "consultants": "consulting", "consultant": "consulting", "zentrum": "center", "centro": "center",
}
"""British/American spellings and common abbreviations, mapped to one spelling."""

_NON_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHE = re.compile(r"(?<=[a-z])'(?=[a-z])")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5](?=[a-z]|$)")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (from pypinyin's dictionary), `v` written for `ü`.

    Listing them walks pypinyin's whole dictionary (half a second with its import), so the list is kept
    in the cache (`falsefriends.cache`), keyed by pypinyin's version and this module's code.
    """
    from falsefriends import cache

    key = cache.make_key("pypinyin", cache.library_version("pypinyin"), *cache.file_parts([__file__]))
    stored = cache.read_json("pinyin-syllables", key)
    if isinstance(stored, list) and stored and all(isinstance(s, str) for s in stored):
        return frozenset(stored)
    found = _pinyin_syllables_from_pypinyin()
    cache.write_json("pinyin-syllables", key, sorted(found))
    return found


def _pinyin_syllables_from_pypinyin() -> frozenset[str]:
    from pypinyin.constants import PINYIN_DICT

    found: set[str] = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            plain = plain.replace("ü", "v")
            if plain.isascii() and plain.isalpha():
                found.add(plain)
    return frozenset(found)


@lru_cache(maxsize=65536)
def segment_pinyin(token: str) -> tuple[str, ...] | None:
    """Split a token into pinyin syllables (longest first), or None if it is not pinyin."""
    syllables = pinyin_syllables()
    n = len(token)
    if n == 0 or n > 40:
        return None
    # best[i] = a segmentation of token[i:], preferring longer first syllables (deterministic both sides)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + 6), i, -1):
            rest = best[j]
            if rest is not None and token[i:j] in syllables:
                best[i] = (token[i:j], *rest)
                break
    return best[0]


def _stem(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def romanise(name: str) -> str:
    """Fold `name` and write it in Latin letters: Hanzi as spaced pinyin syllables, others via anyascii."""
    name = name[:MAX_NAME]
    if _CJK.search(name):
        from pypinyin import Style, lazy_pinyin

        name = " ".join(lazy_pinyin(name, style=Style.NORMAL, v_to_u=False, errors="default"))
    folded = fold_plain(name)
    if not folded.isascii():
        folded = anyascii(folded).lower()
    return folded


@lru_cache(maxsize=1 << 16)
def phonetic_key(token: str) -> str:
    """A rough sound key: similar-sounding letters merged (c/k/q, s/z, f/v/w/ph, x/ks, j/dzh); for words of
    four letters or more only the first letter and the consonants are kept (a short word keeps its vowels:
    "Li", "Liu" and "Lu" are different names)."""
    if not token:
        return ""
    text = token
    for written, sound in (("dzh", "j"), ("dj", "j"), ("kh", "h"), ("ph", "f"), ("ck", "k"), ("sch", "s"),
                           ("sh", "s"), ("zh", "j"), ("x", "ks")):
        text = text.replace(written, sound)
    table = str.maketrans("cqzvwy", "kksffu")
    text = text.translate(table)
    if len(token) <= 3:
        return text
    out = [text[0]]
    for ch in text[1:]:
        if ch in "aeiouh":
            continue
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)[:5]


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name prepared for comparison (see the module docstring); derived keys are computed once."""

    raw: str
    folded: str
    tokens: tuple[str, ...]
    person_core: tuple[str, ...]
    org_core: tuple[str, ...]
    syllables: tuple[str, ...] | None
    person_sorted: str = ""
    org_sorted: str = ""
    person_compact: str = ""
    org_compact: str = ""
    sound: tuple[str, ...] = ()
    initials: tuple[str, ...] = ()

    def core(self, organisation: bool) -> tuple[str, ...]:
        return self.org_core if organisation else self.person_core

    def sorted_text(self, organisation: bool) -> str:
        """The core tokens in alphabetical order, space-joined (word order does not matter)."""
        return self.org_sorted if organisation else self.person_sorted

    def compact(self, organisation: bool) -> str:
        """The core tokens in their own order with no spaces ("Sino-Europe" = "SinoEurope")."""
        return self.org_compact if organisation else self.person_compact

    def acronyms(self) -> tuple[str, ...]:
        """Initials of the organisation core and of all tokens (CCIPE and CCOIPAE), when 3 letters or more."""
        return self.initials


def _tokens(folded: str) -> tuple[str, ...]:
    text = folded.replace("&", " and ")
    text = _APOSTROPHE.sub("", text)
    tokens = [t for t in _NON_WORD.split(text) if t]
    # "C.C.I.P.E." or "C C I P E": single letters written apart are one acronym
    if len(tokens) >= 2 and all(len(t) == 1 for t in tokens):
        tokens = ["".join(tokens)]
    return tuple(tokens)


def _org_core(tokens: tuple[str, ...]) -> tuple[str, ...]:
    core: list[str] = []
    for index, token in enumerate(tokens):
        token = SPELLING_VARIANTS.get(token, token)
        if token in STOP_WORDS:
            continue
        if index > 0 and token in LEGAL_FORMS:
            continue
        core.append(_stem(token))
    return tuple(core) or tokens


def _toneless(token: str) -> str:
    """The token without tone digits ("chen2" -> "chen"); a token of letters only is left as it is."""
    return token if token.isalpha() else _TONE_DIGIT.sub("", token)


@lru_cache(maxsize=65536)
def _person_token(token: str) -> str:
    """A person's name word: without tone digits when it is pinyin, else as written."""
    plain = _toneless(token)
    return plain if segment_pinyin(plain) else token


def _syllables(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    found: list[str] = []
    for token in tokens:
        parts = segment_pinyin(_toneless(token))
        # a Chinese surname or given name has one to three syllables; longer words are not pinyin names
        if parts is None or len(parts) > 3:
            return None
        found.extend(parts)
    return tuple(found) if len(found) >= 2 else None


@lru_cache(maxsize=65536)
def prepare(name: str) -> NameForm:
    """Prepare one name for matching (cached: lists and profiles repeat the same names)."""
    folded = romanise(name)
    tokens = _tokens(folded)
    person = tuple(map(_person_token, tokens))
    org = _org_core(tokens)
    initials = tuple(dict.fromkeys("".join(t[0] for t in group) for group in (org, tokens) if len(group) >= 3))
    return NameForm(
        raw=name[:MAX_NAME],
        folded=" ".join(tokens),
        tokens=tokens,
        person_core=person,
        org_core=org,
        syllables=_syllables(tokens),
        person_sorted=" ".join(sorted(person)),
        org_sorted=" ".join(sorted(org)),
        person_compact="".join(person),
        org_compact="".join(org),
        sound=tuple(sorted(phonetic_key(t) for t in person)),
        initials=initials,
    )
