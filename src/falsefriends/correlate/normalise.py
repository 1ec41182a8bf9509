"""Message texts reduced to the tokens that a template keeps: folded, with greetings, names and numbers masked.

Personas send one text to thousands of people and change only the greeting, the recipient's name, a
number or a link; sometimes they edit a word or break lines differently. Folding (falsefriends.text)
removes case, accents and line breaks; masking replaces what varies by design with a marker token
(`<name>`, `<num>`, `<url>`, `<email>`, `<handle>`, `<greet>`, `<signoff>`), so two variants of one
template become nearly the same token sequence.
"""

from __future__ import annotations

import codecs
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from falsefriends.correlate.token_ids import TokenCache, token_ids
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
# `_GREETING_LINE` as arrays (`_greeting_lines`): the characters that end a line, the longest line.
_LINE_STOPS = "\n\r,;:!?"
_LINE_WIDTH = 80
assert _GREETING_LINE.pattern == r"\s*([^\n\r,;:!?]{0,80})", "update _LINE_STOPS and _LINE_WIDTH"
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


# --- Many texts at once -------------------------------------------------------------------------------
# `normalise_ids` gives, for a batch of texts, what `normalise` gives for each, as token ids of a shared
# `Vocabulary`, with the per-character work done on one array of code points per batch: folding and
# merging blanks through code point tables, non-word characters blanked by a table, tokens cut by one
# `str.split`, names and numbers masked on the id arrays. Only the greeting and sign-off checks (regexes
# anchored at the start and the end) and the rare link and address substitutions stay per text. Texts
# holding a character that the array path cannot reproduce exactly (NUL, the private-use characters
# standing for markers or blanks, a ligature folding to letters and a blank) go through `normalise`.

_SEP = "\x00"
# Each marker stands as one private-use character while a batch is tokenised.
_MARKER_CHAR = {marker: chr(0xF0000 + i) for i, marker in enumerate(sorted(MARKERS))}
_PRIVATE_LO, _PRIVATE_HI = 0xF0000, 0xF0000 + len(MARKERS)
# Every word of every sign-off phrase holds one of these: a tail holding none cannot match `_SIGNOFF`.
_SIGNOFF_WORDS = ("regards", "wishes", "thanks", "sincerely", "truly", "cheers", "cordialement", "a vous",
                  "salutations", "grusse")
# Characters normalised at a time: a batch's byte arrays stay near the core's cache (1 << 20 measured faster
# than 1 << 19 or 1 << 21 on the templates benchmark's texts: fixed costs per batch against cache misses).
_BATCH_CHARS = 1 << 20
# Texts whose greeting lines are read at once (`_greeting_lines`: a window of _LINE_WIDTH characters each).
_LINE_BLOCK = 4096
# `_GREETING` at the start of each text of a batch joined by the separator (scanned with one at the start).
assert _GREETING.pattern.startswith(r"^\W*")
_BODY_GREETING = re.compile(_SEP + r"[^\w\x00]*" + _GREETING.pattern.removeprefix(r"^\W*"))
_MARKER_TEXT = re.compile("|".join(re.escape(marker) for marker in sorted(MARKERS)))


def _marker_stand_in(match: re.Match[str]) -> str:
    return f" {_MARKER_CHAR[match.group()]} "


class Vocabulary(dict[str, int]):
    """Token -> id, giving the next id to a token on first lookup; `tokens[id]` is the token.

    A marker's private-use stand-in is an alias of the marker (same id)."""

    def __init__(self, first: Iterable[str] = ()) -> None:
        super().__init__()
        self.tokens: list[str] = []
        self.token_cache: TokenCache | None = None  # filled by `token_ids`
        self._digits = np.zeros(0, dtype=bool)
        self._decimals = np.zeros(0, dtype=bool)
        for token in (*first, _SEP):
            self[token]  # the lookup gives the token its id
        for marker, char in _MARKER_CHAR.items():
            dict.__setitem__(self, char, self[marker])

    def digits(self) -> NDArray[np.bool_]:
        """Whether each token (by id) is all digits (`str.isdigit`)."""
        done = len(self._digits)
        if done < len(self.tokens):
            new = np.fromiter(map(str.isdigit, self.tokens[done:]), dtype=bool, count=len(self.tokens) - done)
            self._digits = np.concatenate((self._digits, new))
        return self._digits

    def decimals(self) -> NDArray[np.bool_]:
        """Whether each token (by id) holds a decimal digit (what `\\d` matches)."""
        done = len(self._decimals)
        if done < len(self.tokens):
            new = np.fromiter((any(c.isdecimal() for c in t) for t in self.tokens[done:]), dtype=bool,
                              count=len(self.tokens) - done)
            self._decimals = np.concatenate((self._decimals, new))
        return self._decimals

    def __missing__(self, token: str) -> int:
        value = len(self.tokens)
        self.tokens.append(token)
        self[token] = value
        return value


class _CodePoints:
    """Per code point, filled on first sight: `fold`, its folded form when that is one character (`_DROP`
    when it folds to none: invisible characters); `irregular`, those folding to several (ß, ligatures,
    Hangul syllables), expanded in the array; `token`, itself for a word character (`[^\\W_]`), the separator and the
    marker stand-ins, else a blank; `decimal`, `\\d`; `space`, `\\s` (`str.isspace`); `line_stop`, the characters
    that end a greeting line (`_GREETING_LINE`) and the separator; `unsafe`, characters whose texts take
    `normalise`."""

    def __init__(self) -> None:
        size = 0x110000
        self.known = np.zeros(size, dtype=bool)
        self.fold = np.arange(size, dtype=np.uint32)
        self.token = np.full(size, 32, dtype=np.uint32)
        # `token` as one byte (for `token_ids`): marker stand-ins as 1-7, word characters of 256 and above left
        # blank (a batch holding one takes the string path: `folds_wide`, whether what a character folds to does).
        self.byte = np.full(size, 32, dtype=np.uint8)
        self.folds_wide = np.zeros(size, dtype=bool)
        self.decimal = np.zeros(size, dtype=bool)
        self.space = np.zeros(size, dtype=bool)
        self.line_stop = np.zeros(size, dtype=bool)
        self.line_stop[[ord(c) for c in _LINE_STOPS]] = True
        self.is_irregular = np.zeros(size, dtype=bool)
        self.irregular: dict[str, str] = {}
        self.dropping = False  # whether a character folding to none was seen
        self.unsafe = np.zeros(size, dtype=bool)
        self.unsafe[[0, *range(_PRIVATE_LO, _PRIVATE_HI), ord(_BLANK)]] = True
        self.token[[0, *range(_PRIVATE_LO, _PRIVATE_HI)]] = [0, *range(_PRIVATE_LO, _PRIVATE_HI)]
        self.byte[[0, *range(_PRIVATE_LO, _PRIVATE_HI)]] = [0, *range(1, _PRIVATE_HI - _PRIVATE_LO + 1)]
        self.known[[0, *range(_PRIVATE_LO, _PRIVATE_HI)]] = True
        self._lock = threading.Lock()
        self._learnt = 0  # learn() calls that filled entries
        self._narrow: tuple[int, bytes, bytes, bytes] | None = None
        self.learn(np.arange(128, dtype=np.uint32))

    def narrow(self) -> tuple[bytes, bytes, bytes]:
        """For the narrow path (`_narrow_codes`): the code points below 256 that it can take, as bytes (learnt,
        safe, each folding to one character from 8 to 255: not the separator, nor one that folds to none, to
        several or to one of the bytes 1-7, which stand for the markers there), the `bytes.translate` table
        folding them, and the one giving `byte` of a folded text's character (1-7 left as they are)."""
        cached = self._narrow
        learnt = self._learnt
        if cached is None or cached[0] != learnt:
            fold = self.fold[:256]
            ok = self.known[:256] & ~self.unsafe[:256] & ~self.is_irregular[:256] & ~self.folds_wide[:256]
            ok &= (fold >= 8) & (fold < 256)
            ok[:8] = False
            token = self.byte[:256].copy()
            token[1:8] = np.arange(1, 8)
            cached = self._narrow = (learnt, np.flatnonzero(ok).astype(np.uint8).tobytes(),
                                     np.where(ok, fold, 0).astype(np.uint8).tobytes(), token.tobytes())
        return cached[1], cached[2], cached[3]

    def learn(self, codes: NDArray[np.uint32]) -> None:
        """Fill the tables for the code points of `codes` not seen before, and for what they fold to.

        A code point is marked known only once its entries are filled (under a lock: the tables are shared
        by the threads of a service)."""
        if not len(codes) or self.known[codes].all():
            return
        with self._lock:
            self._learn(codes)

    def _learn(self, codes: NDArray[np.uint32]) -> None:
        unknown = np.unique(codes[~self.known[codes]])
        if not len(unknown):
            return
        results: list[str] = []
        for code in unknown.tolist():
            char = chr(code)
            if char.isalnum():
                self.token[code] = code
                if code < 256:
                    self.byte[code] = code
            self.decimal[code] = char.isdecimal()
            self.space[code] = char.isspace()
            if code < 128:
                folded = " " if char in " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f" else char.lower().replace("`", "'")
            else:
                folded = _FOLD_TABLE[code]
                folded = " " if folded == _BLANK else folded
            results.append(folded)
            self.folds_wide[code] = any(ord(c) >= 256 and c.isalnum() for c in folded)
            if folded == "":
                self.fold[code] = _DROP
                self.dropping = True
            elif len(folded) == 1 and (folded == " " or not folded.isspace()):
                self.fold[code] = ord(folded)
            elif any(c.isspace() for c in folded):
                self.unsafe[code] = True
            else:
                self.irregular[char] = folded
                self.is_irregular[code] = True
        # What they fold to is looked up in the token and digit tables: learn it too.
        folded_codes = _as_codes("".join(results))
        self._learn(folded_codes[~np.isin(folded_codes, unknown)])
        # A character folding to an irregular one would be folded twice: its texts take `normalise`.
        folds = self.fold[unknown]
        folds = np.where(folds == _DROP, 0, folds)
        self.unsafe[unknown] |= self.is_irregular[folds] & (folds != unknown)
        self.known[unknown] = True
        self._learnt += 1


_DROP = np.uint32(0xFFFFFFFF)
# Code points of texts joined by the separator: one byte each on the narrow path (`_narrow_codes`).
_Codes = NDArray[np.uint32] | NDArray[np.uint8]
_CODES: _CodePoints | None = None


def _code_points() -> _CodePoints:
    global _CODES
    if _CODES is None:
        _CODES = _CodePoints()
    return _CODES


def _as_codes(text: str) -> NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _as_text(codes: _Codes) -> str:
    if codes.dtype == np.uint8:
        return codes.tobytes().decode("latin-1")
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def _narrow_codes(joined: str, count: int, table: _CodePoints) -> NDArray[np.uint8] | None:
    """The code points of `count` texts joined by the separator as one byte each, when all of them are below 256
    and taken by the narrow path (`_CodePoints.narrow`), else None. On those bytes a batch is folded by one
    `bytes.translate`, its greeting lines and blanks read on a quarter of the memory."""
    try:
        data = joined.encode("latin-1")
    except UnicodeEncodeError:
        return None
    left = data.translate(None, table.narrow()[0])
    unseen = np.frombuffer(left, dtype=np.uint8)
    unseen = unseen[~table.known[unseen]]
    if len(unseen):
        # Characters this process has not seen yet (its first batches): learnt, then the batch is looked at again.
        table.learn(unseen.astype(np.uint32))
        left = data.translate(None, table.narrow()[0])
    if len(left) != count - 1 or left.strip(_SEP.encode()):
        return None
    return np.frombuffer(data, dtype=np.uint8)


def _fold_joined(codes: _Codes, table: _CodePoints) -> str:
    """`fast_fold` of each text whose code points, joined by the separator, are `codes` (none holding an unsafe
    character; all code points already learnt; as bytes, only those of the narrow path: `_narrow_codes`), the
    folded texts joined by the separator."""
    if codes.dtype == np.uint8:
        # Each folds to one character below 256.
        codes = np.frombuffer(codes.tobytes().translate(table.narrow()[1]), dtype=np.uint8)
    else:
        folded = table.fold[codes]
        if table.dropping:
            folded = folded[folded != _DROP]
        if table.irregular:
            folded = _expand_irregular(folded, table)
        codes = folded
    # Runs of blanks become one blank, and none at either end of a text: first drop every blank that
    # follows a blank, the separator or nothing (on the array), then a blank that precedes the separator or
    # nothing (on the string: after the first step such a blank stands alone, one `str.replace` drops them all).
    blank = codes == 32
    if not blank.any():
        return _as_text(codes)
    after_edge = np.empty(len(codes), dtype=bool)
    after_edge[0] = True
    np.logical_or(blank[:-1], codes[:-1] == 0, out=after_edge[1:])
    text = _as_text(codes[~(blank & after_edge)]).replace(" " + _SEP, _SEP)
    return text[:-1] if text.endswith(" ") else text


def _expand_irregular(codes: NDArray[np.uint32], table: _CodePoints) -> NDArray[np.uint32]:
    """`codes` with each character that folds to several put as those characters."""
    at = np.flatnonzero(table.is_irregular[codes])
    if not len(at):
        return codes
    present, which = np.unique(codes[at], return_inverse=True)
    expansions = [_as_codes(table.irregular[chr(code)]) for code in present.tolist()]
    sizes = np.fromiter(map(len, expansions), dtype=np.int64, count=len(expansions))
    pool = np.concatenate(expansions)
    pool_start = np.cumsum(sizes) - sizes
    widths = np.ones(len(codes), dtype=np.int64)
    widths[at] = sizes[which]
    out_start = np.cumsum(widths) - widths
    out = np.empty(int(widths.sum()), dtype=np.uint32)
    plain = np.ones(len(codes), dtype=bool)
    plain[at] = False
    out[out_start[plain]] = codes[plain]
    counts = sizes[which]
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    out[np.repeat(out_start[at], counts) + within] = pool[np.repeat(pool_start[which], counts) + within]
    return out


# A sign-off match starts at most this many characters before the sign-off word it holds (`_SIGNOFF_WORDS`):
# "mit freundlichen " before "grusse", and the non-word character before the phrase.
_SIGNOFF_LEAD = 18
assert len("mit freundlichen ") + 1 <= _SIGNOFF_LEAD
# `_SIGNOFF` searched in one tail of the tails of a batch joined by the separator (`pattern.search(tails, pos, endpos)`
# with the tail's end as `endpos`): its `^` (the start of the tail, when the search starts there) as "after the
# separator or at the start of the string"; a separator is never inside a tail.
assert _SIGNOFF.pattern.startswith(r"(?:^|\W)")
_TAIL_SIGNOFF = re.compile(r"(?:(?<![^\x00])|\W)" + _SIGNOFF.pattern.removeprefix(r"(?:^|\W)"))


# What `normalise` puts for a sign-off, link or address, as the marker's stand-in between blanks (a literal marker
# in a text becomes its stand-in later, with the others).
_STAND_IN_SIGNOFF = f" {_MARKER_CHAR[SIGNOFF]}"
# On the narrow path a marker stands as one of the bytes 1-7 once its batch is encoded (no text there holds those):
# the sign-off put as that byte's character from the start keeps the joined texts one byte a character.
_MARKER_BYTE = {char: bytes([char_code - _PRIVATE_LO + 1]) for char, char_code in
                ((c, ord(c)) for c in _MARKER_CHAR.values())}
_NARROW_STAND_IN_SIGNOFF = " " + _MARKER_BYTE[_MARKER_CHAR[SIGNOFF]].decode("latin-1")
assert len(MARKERS) <= 7


def _marker_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """Encoding error handler of the narrow path: the markers' private-use stand-ins as the bytes 1-7."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    try:
        return b"".join([_MARKER_BYTE[char] for char in error.object[error.start:error.end]]), error.end
    except KeyError:
        raise error from None


codecs.register_error("falsefriends.correlate.markers", _marker_bytes)
_STAND_IN_URL, _STAND_IN_EMAIL, _STAND_IN_HANDLE = (f" {_MARKER_CHAR[m]} " for m in ("<url>", "<email>", "<handle>"))


def _mask_text(folded: str, greeting: bool, signed: bool = True, signoff_from: int = 0) -> tuple[str, bool]:
    """`normalise`'s work between folding and tokenising, for one folded text, markers put as their stand-ins
    (`_MARKER_CHAR`). `signoff_from`: where in the tail
    (its last `_SIGNOFF_TAIL` characters) the first sign-off word stands, when known: the search starts
    `_SIGNOFF_LEAD` before it, as no match can start earlier."""
    if not greeting:
        match = _GREETING.match(folded)
        if match is not None:
            greeting = True
            folded = folded[match.end():]
            signoff_from = 0  # the tail was found before the greeting was cut
    tail = max(0, len(folded) - _SIGNOFF_TAIL)
    if signed:
        segment = folded[tail:]
        found = _SIGNOFF.search(segment, max(0, signoff_from - _SIGNOFF_LEAD))
        if found is not None:
            folded = folded[:tail] + segment[:found.start()] + _STAND_IN_SIGNOFF + segment[found.end():]
    if "://" in folded or "www." in folded:
        folded = _URL.sub(_STAND_IN_URL, folded)
    if "@" in folded:
        folded = _EMAIL.sub(_STAND_IN_EMAIL, folded)
        folded = _HANDLE.sub(_STAND_IN_HANDLE, folded)
    return folded, greeting


def _greeting_lines(texts: list[str], raw: _Codes, offsets: NDArray[np.int64],
                    lengths: NDArray[np.int64], table: _CodePoints) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """For each text (code points `raw`, joined by the separator; each text's `offsets` and `lengths` in it):
    where `_GREETING_LINE.match(text)` ends, and whether its line (group 1), folded, is a greeting of at most
    `_MAX_GREETING_WORDS` words, as `normalise` checks first.

    The line is found on the arrays: it starts at the text's first character unless that is a blank (those texts
    take the regex) and ends at the first of `_LINE_STOPS` or `_LINE_WIDTH` characters on; the lines are folded
    at once and scanned by one regex from each separator."""
    n = len(texts)
    starts = offsets.copy()
    sizes = np.zeros(n, dtype=np.int64)
    nonempty = np.flatnonzero(lengths > 0)
    if len(nonempty):
        spaced = nonempty[table.space[raw[offsets[nonempty]]]]
        plain = nonempty[~table.space[raw[offsets[nonempty]]]]
        # Up to _LINE_WIDTH characters from each start, a few thousand texts at a time; a text's end stops its line.
        width = np.arange(_LINE_WIDTH, dtype=np.int64)
        last = len(raw) - 1
        for lo in range(0, len(plain), _LINE_BLOCK):
            block = plain[lo: lo + _LINE_BLOCK]
            window = np.minimum(starts[block, None] + width, last)
            stop = table.line_stop[raw[window]]
            first_stop = np.where(stop.any(axis=1), stop.argmax(axis=1), _LINE_WIDTH)
            sizes[block] = np.minimum(first_stop, lengths[block])
        for index in spaced.tolist():
            line = _GREETING_LINE.match(texts[index])
            assert line is not None  # the pattern matches the empty string
            starts[index] += line.start(1)
            sizes[index] = line.end(1) - line.start(1)
    ends = starts - offsets + sizes
    # The lines' code points joined by the separator, folded.
    slots = sizes + 1
    line_codes = np.zeros(int(slots.sum()) - 1, dtype=raw.dtype)
    total = int(sizes.sum())
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    line_codes[np.repeat(np.cumsum(slots) - slots, sizes) + within] = raw[np.repeat(starts, sizes) + within]
    folded = _fold_joined(line_codes, table)
    # A folded line has single blanks between its words (none at its ends, no other white space in a text that
    # holds no unsafe character): its words are its blanks and one.
    codes = _as_codes(folded)
    separators = np.flatnonzero(codes == 0)
    blanks = np.concatenate(([0], np.cumsum(codes == 32)))
    line_starts = np.concatenate(([0], separators + 1))
    line_ends = np.concatenate((separators, [len(codes)]))
    few_words = blanks[line_ends] - blanks[line_starts] <= _MAX_GREETING_WORDS - 1
    greeted = np.zeros(n, dtype=bool)
    found_at = [match.start() for match in _BODY_GREETING.finditer(_SEP + folded)]
    if found_at:
        # A match starts at the separator before its line: in the string with one more at its start, line i's.
        greeted[np.searchsorted(line_starts, found_at)] = True
    return ends, greeted & few_words


def _normalise_safe(texts: list[str], table: _CodePoints, vocabulary: Vocabulary, names: Sequence[frozenset[str]],
                    wide: bool, raw: _Codes | None = None) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Token ids (flat) and token counts of texts that hold no unsafe character (`wide`: whether a character of
    theirs folds to a word character of 256 or above; `raw`: their code points joined by the separator, when
    already at hand: as bytes when they are those of the narrow path, `_narrow_codes`)."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if raw is None:
        raw = _as_codes(_SEP.join(texts))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offsets = np.cumsum(lengths + 1) - (lengths + 1)
    ends, greeting_flags = _greeting_lines(texts, raw, offsets, lengths, table)
    # The greeting lines of greeted texts cut out of their code points.
    cut = ends * greeting_flags
    if cut.any():
        keep = np.ones(len(raw), dtype=bool)
        keep[np.repeat(offsets - (np.cumsum(cut) - cut), cut) + np.arange(int(cut.sum()))] = False
        raw = raw[keep]
    joined_bodies = _fold_joined(raw, table)
    folded_bodies = joined_bodies.split(_SEP)
    body_lengths = np.fromiter(map(len, folded_bodies), dtype=np.int64, count=len(folded_bodies))
    body_starts = np.cumsum(body_lengths + 1) - (body_lengths + 1)
    # Which texts `_mask_text` can change, found by scans of all bodies at once; the others are left as they
    # are. A greeting opening a body not greeted on its first line (one regex scan from each separator):
    touched = np.zeros(len(texts), dtype=bool)
    found_at = [match.start() for match in _BODY_GREETING.finditer(_SEP + joined_bodies)]
    if found_at:
        touched[np.searchsorted(body_starts, found_at)] = True
        touched &= ~greeting_flags
    # links and addresses,
    starts_list: list[int] | None = None
    for mark in ("://", "www.", "@"):
        at = joined_bodies.find(mark)
        while at >= 0:
            starts_list = body_starts.tolist() if starts_list is None else starts_list
            index = bisect_right(starts_list, at) - 1
            touched[index] = True
            at = joined_bodies.find(mark, starts_list[index] + len(folded_bodies[index]))
    # and sign-offs: only tails holding a word of a sign-off phrase can hold one (a tail of the text before
    # a greeting is cut holds the tail after it).
    tails = _SEP.join([f[-_SIGNOFF_TAIL:] for f in folded_bodies])
    tail_lengths = np.minimum(body_lengths, _SIGNOFF_TAIL)
    tail_ends_array = np.cumsum(tail_lengths + 1) - 1
    tail_ends = tail_ends_array.tolist()
    tail_starts = (tail_ends_array - tail_lengths).tolist()
    first_at: dict[int, int] = {}  # where in the tails the first sign-off word of a tail holding one stands
    for word in _SIGNOFF_WORDS:
        at = tails.find(word)
        while at >= 0:
            index = bisect_left(tail_ends, at)
            first_at[index] = min(first_at.get(index, at), at)
            at = tails.find(word, tail_ends[index] + 1)
    masked = folded_bodies
    for index in np.flatnonzero(touched).tolist():
        signed = index in first_at
        masked[index], greeting_flags[index] = _mask_text(folded_bodies[index], bool(greeting_flags[index]), signed,
                                                          first_at[index] - tail_starts[index] if signed else 0)
    # Texts that only a sign-off can change: `_mask_text`'s search made on the joined tails (its greeting check
    # would find none: no greeting opens their bodies, or their greeting line was one).
    narrow = raw.dtype == np.uint8
    stand_in = _NARROW_STAND_IN_SIGNOFF if narrow else _STAND_IN_SIGNOFF
    is_touched = touched.tolist()
    for index, at in first_at.items():
        if is_touched[index]:
            continue
        tail_end = tail_ends[index]
        found = _TAIL_SIGNOFF.search(tails, max(tail_starts[index], at - _SIGNOFF_LEAD), tail_end)
        if found is not None:
            body = masked[index]
            shift = len(body) - tail_end  # from a place in the tails to the same place in the body
            masked[index] = body[:found.start() + shift] + stand_in + body[found.end() + shift:]
    joined = f" {_SEP} ".join(masked)
    if "<" in joined:
        # Markers are not word characters: each stands as one private-use character, set apart.
        joined = _MARKER_TEXT.sub(_marker_stand_in, joined)
    encoded: bytes | None = None
    if narrow:
        # Every character below 256 but the markers' stand-ins (as the bytes 1-7: no text of the batch holds those).
        try:
            encoded = joined.encode("latin-1", "falsefriends.correlate.markers")
        except UnicodeEncodeError:  # not expected: then the sign-off's stand-in as on the other paths
            joined = joined.replace(_NARROW_STAND_IN_SIGNOFF, _STAND_IN_SIGNOFF)
    if encoded is not None:
        data = np.full(len(encoded) + 16, 32, dtype=np.uint8)
        data[8:-8] = np.frombuffer(encoded.translate(table.narrow()[2]), dtype=np.uint8)
        ids = token_ids(data, _PRIVATE_LO, vocabulary)
    elif wide:  # a word character of 256 or above: the tokens as strings
        flat = _as_text(table.token[_as_codes(joined)]).split()
        ids = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
        del flat
    else:
        joined_codes = _as_codes(joined)
        data = np.full(len(joined_codes) + 16, 32, dtype=np.uint8)
        data[8:-8] = table.byte[joined_codes]
        ids = token_ids(data, _PRIVATE_LO, vocabulary)
    # Each text's tokens lie between two separators; below, the text of a few positions is found by a search of
    # the texts' ends (`owner_of`), not kept for every token.
    is_separator = ids == vocabulary[_SEP]
    counts = np.diff(np.flatnonzero(is_separator), prepend=-1, append=len(ids)) - 1
    ids = ids[~is_separator]

    def owner_of(positions: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.searchsorted(np.cumsum(counts), positions, side="right")

    # Every decimal digit is a word character, so inside a token: a text holds one when a token of it does.
    has_digit = np.zeros(len(texts), dtype=bool)
    has_digit[owner_of(np.flatnonzero(vocabulary.decimals()[ids]))] = True
    if any(names):
        ids = _mask_names(ids, np.repeat(np.arange(len(texts)), counts), names, vocabulary)
    number = vocabulary[NUMBER]
    if has_digit.any():
        digit_at = np.flatnonzero(vocabulary.digits()[ids])
        ids[digit_at[has_digit[owner_of(digit_at)]]] = number
    # "1,500" or "12/03/2024" give runs of digit tokens: one marker for the run.
    number_at = np.flatnonzero(ids == number)
    if len(number_at) > 1:
        number_owner = owner_of(number_at)
        repeat = ((number_at[1:] == number_at[:-1] + 1) & (number_owner[1:] == number_owner[:-1])
                  & has_digit[number_owner[1:]])
        if repeat.any():
            keep = np.ones(len(ids), dtype=bool)
            keep[number_at[1:][repeat]] = False
            ids = ids[keep]
            counts = counts - np.bincount(number_owner[1:][repeat], minlength=len(texts))
    # A greeting marker opens each greeted text.
    if not greeting_flags.any():
        return ids, counts
    starts = np.cumsum(counts) - counts
    return np.insert(ids, starts[greeting_flags], vocabulary[GREET]), counts + greeting_flags


def _mask_names(ids: NDArray[np.int64], owner: NDArray[np.int64], names: Sequence[frozenset[str]],
                vocabulary: Vocabulary) -> NDArray[np.int64]:
    """`ids` with the tokens of each text's `names` replaced by the name marker."""
    known: dict[frozenset[str], list[int]] = {}
    pair_owner: list[int] = []
    pair_id: list[int] = []
    for index, mask in enumerate(names):
        if not mask:
            continue
        found = known.get(mask)
        if found is None:
            found = known[mask] = [i for i in map(vocabulary.get, mask) if i is not None]
        pair_owner.extend([index] * len(found))
        pair_id.extend(found)
    if not pair_id:
        return ids
    width = np.int64(len(vocabulary.tokens))
    masked = np.isin(owner * width + ids, np.asarray(pair_owner, dtype=np.int64) * width + np.asarray(pair_id))
    return np.where(masked, vocabulary[NAME], ids)


def normalise_ids(texts: Sequence[str], vocabulary: Vocabulary,
                  names: Sequence[frozenset[str]] | None = None) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """What `normalise(texts[i], names[i])` gives for every i, as ids of `vocabulary`: the flat ids of all
    texts, and the number of tokens of each text."""
    table = _code_points()
    n = len(texts)
    masks: Sequence[frozenset[str]] = names if names is not None else [frozenset()] * n
    if len(masks) != n:
        raise ValueError(f"{n} texts but {len(masks)} name sets")
    id_parts: list[NDArray[np.int64]] = []
    count_parts: list[NDArray[np.int64]] = []
    start = 0
    while start < n:
        # Batches of about _BATCH_CHARS characters (at least one text).
        stop, size = start, 0
        while stop < n and (stop == start or size + len(texts[stop]) <= _BATCH_CHARS):
            size += len(texts[stop]) + 1
            stop += 1
        ids, counts = _normalise_batch(list(texts[start:stop]), table, vocabulary, masks[start:stop])
        id_parts.append(ids)
        count_parts.append(counts)
        start = stop
    if not id_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(id_parts), np.concatenate(count_parts)


def _normalise_batch(texts: list[str], table: _CodePoints, vocabulary: Vocabulary,
                     names: Sequence[frozenset[str]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    joined = _SEP.join(texts)
    narrow = _narrow_codes(joined, len(texts), table)
    if narrow is not None:
        return _normalise_safe(texts, table, vocabulary, names, False, narrow)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = _as_codes(joined)
    del joined
    # The distinct code points of the batch (a few hundred), from one count, are learnt and checked.
    occurrences = np.bincount(codes)
    present = np.flatnonzero(occurrences).astype(np.uint32)
    table.learn(present)
    wide = bool(table.folds_wide[present].any())
    # The separators are NUL (unsafe inside a text): a text holds NUL when there are more than separators.
    nuls = int(occurrences[0]) if len(occurrences) else 0
    if nuls == len(texts) - 1 and not table.unsafe[present[present != 0]].any():
        return _normalise_safe(texts, table, vocabulary, names, wide, codes)
    offsets = np.cumsum(lengths + 1) - (lengths + 1)
    unsafe_at = np.flatnonzero(table.unsafe[codes])
    owner = np.searchsorted(offsets, unsafe_at, side="right") - 1
    inside = unsafe_at < offsets[owner] + lengths[owner]
    unsafe = np.unique(owner[inside]).tolist()
    if not unsafe:
        return _normalise_safe(texts, table, vocabulary, names, wide, codes)
    safe = np.ones(len(texts), dtype=bool)
    safe[unsafe] = False
    safe_index = np.flatnonzero(safe)
    ids, counts = _normalise_safe([texts[i] for i in safe_index.tolist()], table, vocabulary,
                                  [names[i] for i in safe_index.tolist()], wide)
    # Texts with an unsafe character, one by one, then every text's ids put back in order.
    lists = [normalise(texts[i], names[i]) for i in unsafe]
    other_ids = np.fromiter(map(vocabulary.__getitem__, (t for tokens in lists for t in tokens)), dtype=np.int64)
    other_counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    all_counts = np.zeros(len(texts), dtype=np.int64)
    all_counts[safe_index] = counts
    all_counts[unsafe] = other_counts
    out_starts = np.cumsum(all_counts) - all_counts
    out = np.empty(int(all_counts.sum()), dtype=np.int64)
    for part, part_counts, index in ((ids, counts, safe_index), (other_ids, other_counts, np.asarray(unsafe))):
        part_starts = np.cumsum(part_counts) - part_counts
        part_owner = np.repeat(np.arange(len(part_counts)), part_counts)
        out[out_starts[index][part_owner] + np.arange(len(part)) - part_starts[part_owner]] = part
    return out, all_counts


def normalise_many(texts: Sequence[str], names: Sequence[frozenset[str]] | None = None) -> list[list[str]]:
    """`[normalise(t, n) for t, n in zip(texts, names)]`, computed for many texts at once."""
    vocabulary = Vocabulary()
    ids, counts = normalise_ids(texts, vocabulary, names)
    tokens = np.asarray(vocabulary.tokens, dtype=object)[ids].tolist()
    bounds = np.cumsum(counts).tolist()
    return [tokens[b - c: b] for b, c in zip(bounds, counts.tolist(), strict=True)]
