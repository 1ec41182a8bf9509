"""Masking before the encoder: names, links, addresses and phone numbers never reach it."""

from __future__ import annotations

import pytest

from falsefriends.detect.semantic.masking import mask_spans, mask_text
from falsefriends.detect.semantic.provider import split_and_mask
from falsefriends.detect.semantic.sentences import sentence_spans

NAMES = ["John Smith", "Zhang Wei", "张伟", "محمد الرشيد", "Ольга Смирнова", "Nguyễn Thị Hương", "박선희",
         "Łukasz Wójcik", "Ψάρης"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi Kaveh,\nI came across your profile.\nBest,\nAftab", "Hi NAME,\nI came across your profile.\nBest,\nNAME"),
    ("Dear Mr. Ivanov, my name is Anna Lee and I recruit.", "Dear NAME, my name is NAME and I recruit."),
    ("Bonjour Marie-Claire,\nJe suis Jean Dupont, recruteur.\nCordialement\nJean Dupont",
     "Bonjour NAME,\nJe suis NAME, recruteur.\nCordialement\nNAME"),
    ("Sehr geehrter Herr Müller,\nich bin Anna Schmidt von der Firma X.\nMit freundlichen Grüßen\nAnna Schmidt",
     "Sehr geehrter NAME,\nich bin NAME von der Firma X.\nMit freundlichen Grüßen\nNAME"),
    ("Ich schicke Ihnen den Bericht. Viele Grüße, Katrin", "Ich schicke Ihnen den Bericht. Viele Grüße, NAME"),
    ("See hxxps://evil[.]com/x or https://github.com/a/b, mail [email redacted] or bob@corp.example.",
     "See LINK or LINK mail EMAIL or EMAIL"),
    ("Call me on +1 (555) 123-4567 tonight.", "Call me on PHONE tonight."),
])
def test_masking_in_three_languages(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(("text"), [
    "Hello, I came across your profile",  # no name after the greeting
    "Hi I came across your profile and think you fit",  # a greeting run-on is not a name
    "Thanks for the PR.\nsee you soon",
    "I am reaching out about a role.",
])
def test_ordinary_words_are_not_taken_for_names(text: str) -> None:
    assert "NAME" not in mask_text(text)


@pytest.mark.parametrize("name", NAMES)
def test_every_script_masks_to_the_same_text(name: str) -> None:
    template = ("Dear {n},\nmy name is {n} and I represent a client who pays well for short reports.\n"
                "Best regards,\n{n}")
    assert mask_text(template.format(n=name)) == mask_text(template.format(n="Ms Taylor"))


def test_known_names_are_masked_wherever_they_appear() -> None:
    text = "I spoke with Wei Zhang yesterday; Zhang said you would help."
    assert mask_text(text, ["Wei Zhang"]) == "I spoke with NAME yesterday; NAME said you would help."


def test_spans_index_the_original_text_and_greetings_are_left_out() -> None:
    text = "Hi Bob,\nWe pay 2,000 USD for a short paper.  Can we move to WhatsApp?\nBest,\nAlice"
    spans, masked = split_and_mask(text)
    assert [text[s:e] for s, e in spans] == ["We pay 2,000 USD for a short paper.", "Can we move to WhatsApp?"]
    assert masked == ["We pay 2,000 USD for a short paper.", "Can we move to WhatsApp?"]
    assert len(sentence_spans(text)) == 5


def test_a_text_of_only_short_lines_keeps_them() -> None:
    spans, masked = split_and_mask("Hi Bob,\nThanks!")
    assert masked == ["Hi NAME,", "Thanks!"]
    assert len(spans) == 2



def _every_variant_searched(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """`mask_spans` as it was: the spans found without names, and one case-insensitive search per variant."""
    import re

    from falsefriends.detect.semantic.masking import NAME, _merge, _name_variants

    found = [(m.start(), m.end(), NAME) for name in _name_variants(names)
             for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, flags=re.IGNORECASE)]
    return _merge(mask_spans(text) + found)


ROSTER = ["Anna Berg", "Wei Zhang", "Jean-Luc Dubois", "María García", "Seán O'Brien", "王伟", "Дмитрий Иванов",
          "محمد حسن", "Kim Min-jun", "J.R. Smith", "Ingrid Strauß"]


@pytest.mark.parametrize("text", [
    "Dear ANNA BERG, wei zhang told me about you. Jean-Luc and Dubois too.",
    "您好，王伟。王伟您好 Дмитрий Иванов, привет. محمد حسن، مرحبا",
    "Hi Seán O'Brien; O'Brien's note; Obrien; J.R. Smith wrote; Strauß and STRAUSS; annabel berger",
    "Kim Min-jun / min-jun / MIN-JUN_x / x1Anna / Anna1 / Berg-Anna / ſeán",
    "No names at all here, only a meeting on Tuesday.",
])
def test_a_large_roster_masks_what_one_search_per_name_masked(text: str) -> None:
    roster = ROSTER + [f"Person{i} Surname{i}" for i in range(2000)]  # an audit passes its whole roster
    assert mask_spans(text, roster) == _every_variant_searched(text, roster)
