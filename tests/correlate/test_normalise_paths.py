"""The batch normaliser's array paths (greeting lines read on arrays, sign-offs searched in the joined tails, the
narrow path of one byte a character) give exactly what `normalise` gives, text by text: generated texts made of
greetings, sign-offs, markers, blank lines, CR/LF variants and characters of every range, and the edge cases of
each path (a sign-off at the very start or end, empty texts, a greeting alone, lines at the width limit, leading
blanks, texts longer than a batch)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.correlate import normalise as normalise_module
from falsefriends.correlate.normalise import normalise, normalise_many

GREETINGS = ["Dear", "Hi", "hello", "HEY", "Bonjour", "Chères", "Sehr geehrter", "Liebe", "Good morning", "Guten Tag",
             "Estimados", "Buongiorno", "Hola", "Servus", "Greetings", "Madame", "Gentile", "Dear Dr."]
SIGN_OFFS = ["Best regards", "Kind Regards", "Warmest regards", "regards", "Best wishes", "Many thanks",
             "Thanks in advance", "Sincerely", "Yours sincerely", "Yours truly", "Cheers", "Cordialement",
             "Bien à vous", "Bien cordialement", "Salutations distinguées", "Mes salutations",
             "Mit freundlichen Grüßen", "Mit freundlichen Gruessen", "Freundliche Grüße", "Viele Grüße",
             "Beste Grüße", "Herzliche Grüße", "Liebe Grüße", "a vous", "thanks", "wishes"]
PIECES = [
    *GREETINGS, *SIGN_OFFS, "<greet>", "<signoff>", "<name>", "<num>", "<url>", "<email>", "<handle>", "<", ">",
    "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\t", "  ", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2028", "\u3000",
    ",", ";", ":", "!", "?", ".", "-", "_", "'", "`", "John", "Anna-Lena", "O'Neil", "1,500", "12/03/2024", "²",
    "https://x.example/a?b=1", "www.example.org", "a.b@c.example", "@handle", "é", "É", "ß", "ÿ", "µ", "ª", "¼",
    "\x01", "\x07", "\x7f", "\x9f", "ﬁ", "İ", "Σ", "Привет", "Здравствуйте", "写真", "한국어", "١٢٣", "𝔘𝔫𝔦",
    "\U000f0000", "\U000f0006", "\U0010fffd", "\x00", "\ud800", "\u200b", "\u00ad", "e\u0301", "x" * 90,
]


def _assert_same(texts: list[str]) -> None:
    expected = [normalise(t) for t in texts]
    got = normalise_many(texts)
    assert len(got) == len(texts)
    for text, want, have in zip(texts, expected, got, strict=True):
        assert have == want, repr(text[:300])


_TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=30).flatmap(
    lambda parts: st.lists(st.sampled_from(["", " ", "\n", ", "]), min_size=len(parts), max_size=len(parts)).map(
        lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True))))
# Latin-1 only (the narrow path, when the batch holds nothing else)
_LATIN = st.lists(st.sampled_from([p for p in PIECES if all(ord(c) < 256 for c in p)])
                  | st.text(st.characters(max_codepoint=255), max_size=5), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=10))
def test_generated_texts_normalise_as_one_by_one(texts: list[str]) -> None:
    _assert_same(texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LATIN, min_size=1, max_size=10))
def test_generated_latin_texts_normalise_as_one_by_one(texts: list[str]) -> None:
    _assert_same(texts)
    # a batch made narrow once its characters are learnt
    _assert_same(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(GREETINGS), max_size=2), st.text(st.characters(max_codepoint=0x2FF), max_size=40),
       st.sampled_from(SIGN_OFFS), st.sampled_from(["", ",", "\n", " ", "!!! "]),
       st.text(st.characters(max_codepoint=0x2FF), max_size=30), st.integers(0, 200))
def test_sign_offs_and_greetings_around_bodies(greetings: list[str], body: str, sign_off: str, after: str,
                                              tail: str, pad: int) -> None:
    words = "w " * (pad // 2)
    texts = [f"{' '.join(greetings)} {body}\n{words}{sign_off}{after}{tail}", f"{sign_off}{after}{tail}",
             f"{' '.join(greetings)}", f"{' '.join(greetings)}, {words}{sign_off}", f"{words}{sign_off}",
             f"\r\n{' '.join(greetings)}\r\n{body}{sign_off}"]
    _assert_same(texts)


def test_edge_cases() -> None:
    texts = [
        "", "", "Best regards", "Best regards, Anna", "regards", " regards", "Dear", "Dear John", "Dear John,",
        "Hello", "Hi,", "  Hi John,\nthe fee", "\n\nDear Anna,\r\n\r\nthe fee\r\n\r\nKind regards\r\nJo",
        "Cordialement", "Bonjour, Cordialement", "Bonjour Marie, merci. Cordialement, Pierre",
        "Dear " + "a" * 74 + ", text", "Dear " + "a" * 75 + ", text", "Dear " + "a" * 76 + ", text",
        "Dear a b c d e, text", "Dear a b c d e f, text", "Hi a b c d e f g", "x" * 200 + " Best regards",
        "Best regards " + "x" * 200, "Здравствуйте, Анна! С уважением", "亲爱的 张伟， 此致敬礼",
        "Hallo\x00Welt regards",
        "\u3000Hi Wei,\u3000the fee", "\x85Dear Jo, it", "\xa0Dear Jo, it", "Liebe Grüße", "Mit freundlichen Grüßen",
        "Dear Jo, <signoff> <greet> <url> text", "Hi Jo\n\n\n", "\n\n\n", "   ", "Hi", "Hi\n", "hi\rthere",
        "Dear Jo,\nsee www.example.org or a@b.example, @jo. Best regards, Jo",
    ]
    _assert_same(texts)
    _assert_same(texts[::-1])
    for text in texts:
        _assert_same([text])


def test_batches_blocks_and_long_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Dear Anna,\nthe fee is 1,500 EUR.\nBest regards, Jo", "Hi " + "word " * 3000 + "Cheers, Wei",
             "x" * 5000, "", "Bonjour,\nmerci\nCordialement", "  Hello Jo,\n" + "\n" * 500 + "Kind regards"] * 7
    _assert_same(texts)
    monkeypatch.setattr(normalise_module, "_BATCH_CHARS", 100)
    monkeypatch.setattr(normalise_module, "_LINE_BLOCK", 3)
    _assert_same(texts)
    _assert_same([t + " Привет" for t in texts])


def test_many_texts_in_one_batch() -> None:
    # more texts than one block of greeting lines; some with a long run of blanks before their greeting
    texts = [f"Hi Jo {i},\nthe fee {i}\nBest regards" if i % 3 else f"{' ' * (i % 50)}Dear Anna {i}, regards"
             for i in range(3 * normalise_module._LINE_BLOCK + 5)]
    _assert_same(texts)
    _assert_same([" " * 100_000 + "Dear Jo, text. Kind regards, Jo", "\r\n" * 50_000 + "Hi,\nCheers"])


def test_white_space_table_matches_the_regex() -> None:
    """`_greeting_lines` takes `str.isspace` for `\\s` and the table of line stops for `_GREETING_LINE`'s class."""
    space = re.compile(r"\s")
    chars = [chr(c) for c in range(0x110000)]
    assert [c for c in chars if bool(space.match(c)) != c.isspace()] == []
    stops = re.compile(r"[^\n\r,;:!?]")
    assert {c for c in chars if not stops.match(c)} == set(normalise_module._LINE_STOPS)
    table = normalise_module._code_points()
    assert set(np.flatnonzero(table.line_stop).tolist()) == {ord(c) for c in normalise_module._LINE_STOPS}


def test_narrow_path_is_taken_only_for_its_characters() -> None:
    table = normalise_module._code_points()
    texts = ["Dear Anna, the fee. Best regards, Jo", "Grüe à vous, 12 ÿ"]
    normalise_many(texts)  # learns their characters
    assert normalise_module._narrow_codes("\x00".join(texts), len(texts), table) is not None
    for other in ("\x01", "€", "Ω", "\x00", "ß", "µ", "\U000f0000"):
        normalise_many([other])
        joined = "\x00".join([*texts, f"a{other}b"])
        assert normalise_module._narrow_codes(joined, len(texts) + 1, table) is None, repr(other)


def test_first_batch_of_new_latin_characters_takes_the_narrow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process's first batch holding characters below 256 not seen before learns them, then takes the narrow
    path (one byte a character) instead of the wide one, and normalises as `normalise` does."""
    monkeypatch.setattr(normalise_module, "_CODES", None)  # a fresh table: nothing above ASCII learnt
    taken: list[np.dtype] = []
    safe = normalise_module._normalise_safe

    def spy(texts, table, vocabulary, names, wide, raw=None):  # type: ignore[no-untyped-def]
        taken.append(raw.dtype if raw is not None else None)
        return safe(texts, table, vocabulary, names, wide, raw)

    monkeypatch.setattr(normalise_module, "_normalise_safe", spy)
    texts = ["Chère Anna,\nle forfait est de 1 500 €", "Grüezi à vous, Zoë. Cordialement, Jo", "Dear Jo, fee ÿ"]
    expected = [normalise(t) for t in texts[1:]]
    taken.clear()
    assert normalise_many(texts[1:]) == expected
    assert taken == [np.dtype(np.uint8)]
    taken.clear()
    assert normalise_many(texts)[0] == normalise(texts[0])  # € is above 255: the wide path
    assert taken == [np.dtype(np.uint32)]


def test_narrow_path_falls_back_when_a_stand_in_cannot_be_encoded(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Dear Anna, the fee <url> <num> <greet>. Best regards, Jo", "Hi,\nsee www.x.example. Cheers", "a b"]
    expected = [normalise(t) for t in texts]
    monkeypatch.setattr(normalise_module, "_MARKER_BYTE", {})
    assert normalise_many(texts) == expected
    assert normalise_many(texts[:1]) == expected[:1]


def test_greeting_lines_agree_with_the_regex() -> None:
    texts = ["", " ", "Dear Jo", "  \t Dear Jo, x", "a" * 100, "a" * 79 + ",", "a" * 80 + ",", "\u2003Hi!", "Hi:"]
    table = normalise_module._code_points()
    normalise_many(texts)
    raw = normalise_module._as_codes("\x00".join(texts))
    lengths = np.asarray([len(t) for t in texts], dtype=np.int64)
    offsets = np.cumsum(lengths + 1) - (lengths + 1)
    ends, greeted = normalise_module._greeting_lines(texts, raw, offsets, lengths, table)
    for text, end, flag in zip(texts, ends.tolist(), greeted.tolist(), strict=True):
        line = normalise_module._GREETING_LINE.match(text)
        assert line is not None and line.end() == end
        folded = normalise_module.fast_fold(line.group(1))
        assert flag == (normalise_module._GREETING.match(folded) is not None and len(folded.split()) <= 6)
