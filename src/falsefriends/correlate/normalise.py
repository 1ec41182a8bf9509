"""Message texts reduced to the tokens that a template keeps: folded, with greetings, names and numbers masked.

Personas send one text to thousands of people and change only the greeting, the recipient's name, a
number or a link; sometimes they edit a word or break lines differently. Folding (falsefriends.text)
removes case, accents and line breaks; masking replaces what varies by design with a marker token
(`<name>`, `<num>`, `<url>`, `<email>`, `<handle>`, `<greet>`, `<signoff>`), so two variants of one
template become nearly the same token sequence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from falsefriends.text import fold_plain

GREET = "<greet>"
SIGNOFF = "<signoff>"
NAME = "<name>"
NUMBER = "<num>"
MARKERS = frozenset({GREET, SIGNOFF, NAME, "<num>", "<url>", "<email>", "<handle>"})
# Markers for the framing of a message, not its content: left out of shingles so that a variant
# with and one without a greeting still match.
FRAMING = frozenset({GREET, SIGNOFF})

_GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening|day)|bonjour|bonsoir|salut|"
    r"chere?s?|madame|monsieur|hallo|guten (?:tag|morgen|abend)|sehr geehrte[rs]?|liebe[rs]?|servus|"
    r"hola|estimad[oa]s?|buongiorno|gentile)\b"
)
# The greeting line ends at the first punctuation or line break; longer than this it is prose.
_GREETING_LINE = re.compile(r"\s*([^\n\r,;:!?]{0,80})")
_MAX_GREETING_WORDS = 6
_SIGNOFF = re.compile(
    r"(?:^|\W)(?:best regards|kind regards|warm regards|warmest regards|regards|best wishes|many thanks|"
    r"thanks in advance|sincerely|yours sincerely|yours truly|cheers|cordialement|bien (?:a vous|cordialement)|"
    r"salutations distinguees|mes salutations|mit freundlichen grussen|freundliche grusse|viele grusse|"
    r"beste grusse|herzliche grusse|liebe grusse)\W*(?:[^\W_][\w.'-]*\W*){0,5}$"
)
_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_SIGNOFF_TAIL = 160
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"<(?:greet|signoff|name|num|url|email|handle)>|[^\W_]+")


# A private-use character standing for "this character folds to a blank" inside `fast_fold`.
_BLANK = "\U0010fffd"
_BLANKS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f " + _BLANK + "]+")
_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")
# Characters whose folded form holds a blank among other characters (a few ligatures): `fold` does not
# merge such a blank with its neighbours, so texts holding one take the exact, slower path.
_MIXED_BLANK: set[str] = set()


class _FoldTable(dict[int, str]):
    """str.translate table computed on demand: each character's folded form, as `fold` makes it."""

    def __missing__(self, codepoint: int) -> str:
        # Folding one character between two letters isolates what it becomes, with the public API.
        folded = fold_plain(f"a{chr(codepoint)}a")[1:-1]
        if " " in folded and folded != " ":
            _MIXED_BLANK.add(chr(codepoint))
        value = _BLANK if folded == " " else folded
        self[codepoint] = value
        return value


_FOLD_TABLE = _FoldTable()


def fast_fold(text: str) -> str:
    """`falsefriends.text.fold_plain(text)`, folding ASCII runs with str.lower and the rest with a
    translate table, instead of a Python loop per character."""
    if text.isascii():
        return " ".join(text.replace("`", "'").lower().split())
    if _BLANK in text:
        return fold_plain(text)
    parts = _NON_ASCII.split(text)
    parts[0::2] = [p.replace("`", "'").lower() for p in parts[0::2]]
    odd = [p.translate(_FOLD_TABLE) for p in parts[1::2]]
    if _MIXED_BLANK and any(c in _MIXED_BLANK for p in parts[1::2] for c in p):
        return fold_plain(text)
    parts[1::2] = odd
    folded = _BLANKS.sub(" ", "".join(parts))
    folded = folded[1:] if folded.startswith(" ") else folded
    return folded[:-1] if folded.endswith(" ") else folded


def name_tokens(names: Iterable[str]) -> frozenset[str]:
    """Folded word tokens of people's names (two letters or more), to be masked as `<name>`."""
    found: set[str] = set()
    for name in names:
        found.update(t for t in _TOKEN.findall(fast_fold(name)) if len(t) > 1 and not t.startswith("<"))
    return frozenset(found)


def normalise(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """Tokens of `text` with greetings, sign-offs, `names`, numbers, links and addresses masked."""
    greeting = False
    head = _GREETING_LINE.match(text)
    if head is not None:
        folded_head = fast_fold(head.group(1))
        if _GREETING.match(folded_head) and len(folded_head.split()) <= _MAX_GREETING_WORDS:
            greeting = True
            text = text[head.end():]
    folded = fast_fold(text)
    if not greeting:
        match = _GREETING.match(folded)
        if match is not None:
            greeting = True
            folded = folded[match.end():]
    # A sign-off sits in the last few words: searching only the tail keeps the regex linear.
    tail = max(0, len(folded) - _SIGNOFF_TAIL)
    folded = folded[:tail] + _SIGNOFF.sub(" <signoff>", folded[tail:], count=1)
    if "://" in folded or "www." in folded:
        folded = _URL.sub(" <url> ", folded)
    if "@" in folded:
        folded = _EMAIL.sub(" <email> ", folded)
        folded = _HANDLE.sub(" <handle> ", folded)
    tokens = _TOKEN.findall(folded)
    if names:
        tokens = [NAME if t in names else t for t in tokens]
    if _DIGIT.search(folded):
        # "1,500" or "12/03/2024" give runs of digit tokens: one marker for the run.
        tokens = [NUMBER if t.isdigit() else t for t in tokens]
        tokens = [t for i, t in enumerate(tokens) if t != NUMBER or i == 0 or tokens[i - 1] != NUMBER]
    return [GREET, *tokens] if greeting else tokens
