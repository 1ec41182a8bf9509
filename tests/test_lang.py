from __future__ import annotations

import pytest

from falsefriends.lang import detect_language, detect_languages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I would like to invite you to a conference about the future of energy.", "en"),
        ("Je vous propose une collaboration rémunérée pour notre client, merci de votre retour.", "fr"),
        ("Ich würde mich freuen, wenn Sie uns eine kurze Analyse schicken könnten.", "de"),
        ("12345 !!!", None),
    ],
)
def test_main_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_mixed_language_message_reports_both() -> None:
    text = ("Hello Mr Weber, our client would like to offer you a paid cooperation on energy policy. "
            "Schicken Sie mir bitte Ihren Lebenslauf und schreiben Sie mir auf WhatsApp, wenn Sie Zeit haben.")
    assert set(detect_languages(text)) == {"en", "de"}
