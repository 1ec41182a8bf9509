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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spanish, Italian, Portuguese and Dutch share "de", "la", "que" with French: each must read as itself.
        ("Hola, ¿está interesado en un puesto remoto? Por favor envíe su currículum para la entrevista.", "es"),
        ("Ciao, sono una recruiter e vorrei proporti un lavoro da remoto con una paga molto alta.", "it"),
        ("Olá, você gostaria de trabalhar conosco? Não é preciso experiência, o pagamento é diário.", "pt"),
        ("Hallo, ik heb een vacature voor u. Heeft u tijd voor een kort gesprek met onze klant?", "nl"),
        ("안녕하세요, 저희 회사에서 원격 근무 기회를 제안드리고 싶습니다.", "ko"),
        ("はじめまして。弊社の案件についてご興味はありますか。", "ja"),
        ("您好，我们公司想邀请您参加一个有偿的咨询项目。", "zh"),
        ("Здравствуйте! Мы хотели бы предложить вам оплачиваемое сотрудничество.", "ru"),
        ("Добрий день! Чи цікавить вас віддалена робота?", "uk"),
    ],
)
def test_more_languages(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_a_latin_sentence_beside_korean_reports_both() -> None:
    text = "안녕하세요, 저희는 블록체인 스타트업입니다. Please clone the repository and run it before the call."
    assert set(detect_languages(text)) == {"ko", "en"}
