"""Translations of one template are one template: cross-language joins, never within one language."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from falsefriends.correlate.templates import find_templates
from falsefriends.correlate.translations import anchors, content, default_encoder, link_translations, sentences
from falsefriends.model import Message

OFFER_EN = ("Thank you for connecting. Our client, a research institute in Vienna, would pay EUR 2,500 for a short"
            " report of 6 pages on {topic}. Nothing confidential, only your own reading of the trends.")
OFFER_FR = ("Merci pour la mise en relation. Notre client, un institut de recherche à Vienne, paierait 2 500 EUR"
            " pour un court rapport de 6 pages sur {topic}. Rien de confidentiel, simplement votre propre lecture"
            " des tendances.")
OTHER_FR = ("Bonjour, je vous écris au sujet du séminaire annuel sur la gestion de l'eau à Lyon. Le programme et la"
            " liste des intervenants sont en ligne sur notre site.")
TOPICS_EN = ("grid storage", "export controls", "satellite links")
TOPICS_FR = ("stockage réseau", "contrôle des exportations", "liaisons satellites")


def test_anchors_are_amounts_and_capitalised_words_inside_sentences() -> None:
    found = anchors("Our client in Vienna would pay EUR 2,500. Then NAME said 1 500 and 7.")
    assert {"2500", "1500", "vienna", "eur"} <= found
    assert "7" not in found and "our" not in found and "then" not in found and "name" not in found


def test_content_drops_the_greeting_line_and_a_short_sign_off() -> None:
    text = "Dear NAME,\n\nWe commission short notes on energy. The fee is generous.\nBest regards,\nNAME"
    assert content(text).startswith("We commission")
    assert "regards" not in content(text).lower()
    assert sentences(text) == ["We commission short notes on energy.", "The fee is generous."]


class _Fake:
    """An encoder whose vectors are chosen by the test: texts starting with the same tag are the same meaning."""

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for row, text in enumerate(texts):
            tag = "offer" if ("client" in text or "Notre client" in text) else "other"
            out[row, 0 if tag == "offer" else 1] = 1.0
        return out


def test_only_clusters_in_different_languages_are_joined() -> None:
    texts = [OFFER_EN.format(topic="energy"), OFFER_FR.format(topic="énergie"),
             "Our client would pay for a short note on energy, nothing confidential, just your view."]
    members = {0: [0], 1: [1], 2: [2]}
    links = link_translations(members, texts, [[], [], []], _Fake())
    assert links.languages == {0: "en", 1: "fr", 2: "en"}
    # 0-1 and 1-2 cross languages, but a joined template holds one cluster per language: the French version
    # joins one English cluster (the first of equal pairs), and the two English clusters stay apart.
    assert [(a, b) for a, b, _, _ in links.pairs] == [(0, 1)]
    assert links.label_of[1] == links.label_of[0] != links.label_of[2]


needs_encoder = pytest.mark.skipif(default_encoder() is None, reason="the multilingual encoder is not installed")


def _messages(texts: list[tuple[str, str, str]]) -> list[Message]:
    return [Message(id=f"m{i}", body=body, sender=sender, recipients=(recipient,))
            for i, (sender, recipient, body) in enumerate(texts)]


@needs_encoder
def test_an_offer_in_english_and_french_is_one_template_with_its_translation_kept() -> None:
    encode = default_encoder()
    assert encode is not None
    rows = [("en-persona", f"s{i}", OFFER_EN.format(topic=t)) for i, t in enumerate(TOPICS_EN)]
    rows += [("fr-persona", f"s{i + 3}", OFFER_FR.format(topic=t)) for i, t in enumerate(TOPICS_FR)]
    rows += [("organiser", f"s{i + 6}", OTHER_FR) for i in range(3)]
    plain = find_templates(_messages(rows))
    joined = find_templates(_messages(rows), encode=encode)
    assert len(plain.templates) == 3
    assert len(joined.templates) == 2
    offer = next(t for t in joined.templates if "fr-persona" in t.senders)
    assert set(offer.senders) == {"en-persona", "fr-persona"} and len(offer.recipients) == 6
    assert offer.slot_examples["translations"]
    other = next(t for t in joined.templates if "organiser" in t.senders)
    assert other.senders == ("organiser",)


@needs_encoder
def test_names_in_any_script_do_not_change_what_is_joined() -> None:
    encode = default_encoder()
    assert encode is not None
    groups = []
    for greeting_names in (("Anne", "Marie"), ("张伟", "Ольга")):
        rows = [("en-persona", f"s{i}", f"Dear {greeting_names[0]},\n" + OFFER_EN.format(topic=t))
                for i, t in enumerate(TOPICS_EN)]
        rows += [("fr-persona", f"s{i + 3}", f"Chère {greeting_names[1]},\n" + OFFER_FR.format(topic=t))
                 for i, t in enumerate(TOPICS_FR)]
        result = find_templates(_messages(rows), encode=encode)
        groups.append(sorted(tuple(t.senders) for t in result.templates))
    assert groups[0] == groups[1] == [("en-persona", "fr-persona")]
