from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from falsefriends.watchlist.normalise import phonetic_key, prepare, segment_pinyin


@pytest.mark.parametrize("name", ["Chenping Tao", "Tao Chen-ping", "Táo Chénpíng", "tao2 chen2 ping2", "陶晨平",
                                  "CHEN PING TAO"])
def test_pinyin_spellings_share_syllables(name: str) -> None:
    assert sorted(prepare(name).syllables or ()) == ["chen", "ping", "tao"]


def test_non_pinyin_names_have_no_syllables() -> None:
    assert prepare("Katie Jones").syllables is None
    assert prepare("Alex Li").syllables is None


def test_org_core_drops_legal_forms_stop_words_and_unifies_spelling() -> None:
    form = prepare("China Centre of International Politics & Economy Co., Ltd.")
    assert form.org_core == ("china", "center", "international", "politic", "economy")
    assert "ccipe" in form.acronyms()


def test_legal_form_kept_when_it_is_the_whole_name_and_persons_keep_every_word() -> None:
    assert prepare("SA").org_core == ("sa",)
    assert prepare("Li Sa").person_core == ("li", "sa")


def test_dotted_acronym_is_one_word() -> None:
    assert prepare("C.C.I.P.E.").tokens == ("ccipe",)


def test_segment_pinyin() -> None:
    assert segment_pinyin("chenping") == ("chen", "ping")
    assert segment_pinyin("jason") is None


def test_phonetic_key_merges_similar_sounds() -> None:
    assert phonetic_key("philips") == phonetic_key("filips")


@given(st.text(max_size=400))
def test_prepare_never_fails_and_stays_bounded(text: str) -> None:
    form = prepare(text)
    assert len(form.raw) <= 300
    assert all(token.isascii() for token in form.tokens)
