from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.text import fold


def test_fold_case_accents_and_line_breaks() -> None:
    folded = fold("  Très   GÉNÉREUSE\r\n\tRémunération ")
    assert folded.text == "tres genereuse remuneration"


def test_span_maps_back_to_exact_original_words() -> None:
    original = "Bitte\n schreiben Sie mir auf  WhatsApp, STRAßE"
    folded = fold(original)
    start = folded.text.index("whatsapp")
    o_start, o_end = folded.original_span(start, start + len("whatsapp"))
    assert original[o_start:o_end] == "WhatsApp"
    start = folded.text.index("strasse")
    o_start, o_end = folded.original_span(start, start + len("strasse"))
    assert original[o_start:o_end] == "STRAßE"


def test_invisible_characters_cannot_split_a_word() -> None:
    assert fold("What\u200bs\u00adApp").text == "whatsapp"


@settings(deadline=None)  # the first map imports numpy
@given(st.text())
def test_fold_offsets_are_monotonic_and_in_range(text: str) -> None:
    folded = fold(text)
    assert len(folded.origin) == len(folded.text)
    assert all(0 <= i < len(text) for i in folded.origin)
    assert list(folded.origin) == sorted(folded.origin)
    assert "  " not in folded.text
    assert folded.text == folded.text.strip()


@settings(deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_fast_path_equals_general_path(text: str) -> None:
    from falsefriends.text import _fold_general

    assert fold(text) == _fold_general(text)


@settings(deadline=None)
@given(st.text())
def test_fast_paths_equal_general_path_for_any_text(text: str) -> None:
    from falsefriends.text import _fold_general

    assert fold(text) == _fold_general(text)


def test_irregular_characters_take_the_general_path() -> None:
    for text in ("Straße und Fluß", "ﬁnancial ofﬁce", "zero\u200bwidth é"):
        folded = fold(text)
        assert len(folded.origin) == len(folded.text)
    assert fold("Straße").text == "strasse"


_TRICKY = "aZ é\u00dfﬁ\u2026\u00a8\u200b\u00ad \t\n\r\u3000\u2028\u0301\ufdfa\u2014’İ1."


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_TRICKY)) | st.characters(), max_size=60))
def test_every_path_equals_the_character_loop_on_irregular_text(text: str) -> None:
    from falsefriends.text import _fold_general

    folded = fold(text)
    reference = _fold_general(text)
    assert folded.text == reference.text
    # every span, mapped before the map is built (runs of blanks) and after (the map itself)
    spans = [(i, j) for i in range(len(folded.text) + 1) for j in (i, i + 1, len(folded.text)) if j <= len(folded.text)]
    assert [folded.original_span(i, j) for i, j in spans] == [reference.original_span(i, j) for i, j in spans]
    assert folded.origin == reference.origin
    assert [folded.original_span(i, j) for i, j in spans] == [reference.original_span(i, j) for i, j in spans]


def test_lone_surrogates_and_ligatures_with_blanks_fold_like_the_reference() -> None:
    from falsefriends.text import _fold_general

    for text in ("a\ud800 b", "x \ufdfa  y", " \u00a8 ﬁ…  ", "\u200b", ""):
        assert fold(text) == _fold_general(text), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1cab`C.")), max_size=40))
def test_ascii_spans_map_through_the_runs_of_blanks(text: str) -> None:
    from falsefriends.text import _fold_general

    folded, reference = fold(text), _fold_general(text)
    spans = [(i, j) for i in range(len(folded.text) + 1) for j in range(i, len(folded.text) + 1)]
    assert [folded.original_span(i, j) for i, j in spans] == [reference.original_span(i, j) for i, j in spans]


def test_many_spans_of_a_hostile_text_map_back_without_a_pass_per_span() -> None:
    """100,000 merged runs of blanks and 200,000 characters folding to none or two: each span is found
    by binary search (a walk over all of them per span took minutes)."""
    import time

    text = "ß  a\u200b " * 100_000
    folded = fold(text)
    start = time.process_time()
    spans = [folded.original_span(i, i + 1) for i in range(0, len(folded.text), 7)]
    assert time.process_time() - start < 5.0
    from falsefriends.text import _fold_general

    reference = _fold_general(text)
    assert spans == [reference.original_span(i, i + 1) for i in range(0, len(folded.text), 7)]
