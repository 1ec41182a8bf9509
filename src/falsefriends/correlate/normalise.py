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
_NUMBER = re.compile(r"\d+(?:[.,:/'-]\d+)*")
_TOKEN = re.compile(r"<(?:greet|signoff|name|num|url|email|handle)>|[^\W_]+")


def fast_fold(text: str) -> str:
    """`falsefriends.text.fold_plain`, with a shortcut for ASCII texts (most of a large corpus)."""
    if text.isascii():
        return " ".join(text.replace("`", "'").lower().split())
    return fold_plain(text)


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
    folded = _SIGNOFF.sub(" <signoff>", folded, count=1)
    folded = _URL.sub(" <url> ", folded)
    folded = _EMAIL.sub(" <email> ", folded)
    folded = _HANDLE.sub(" <handle> ", folded)
    folded = _NUMBER.sub(" <num> ", folded)
    tokens = _TOKEN.findall(folded)
    if names:
        tokens = [NAME if t in names else t for t in tokens]
    return [GREET, *tokens] if greeting else tokens
