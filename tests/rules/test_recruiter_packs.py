"""The fake-recruiter scheme in Spanish, Italian, Portuguese and Dutch, and its hard negatives.

The lures were written for these tests from the FBI's public descriptions (I-090324-PSA: pre-employment
tests that run unknown packages or repositories, pay far above the market, moving to another app;
I-051624-PSA: interviews by proxy, rented accounts). The negatives are what maintainers, colleagues and
honest employers write in the same words: a maintainer asking to test a branch, a colleague moving to
WhatsApp, a take-home test in the candidate's own repository.
"""

from __future__ import annotations

import pytest

from falsefriends.check import Checker
from falsefriends.model import Level, Message


@pytest.fixture(scope="module")
def rules_checker() -> Checker:
    return Checker(semantic=False)


def _rules(checker: Checker, text: str) -> set[str]:
    return {e.rule for e in checker.message(Message(id="t", body=text)).evidence}


RUN_THEIR_CODE = [
    ("Antes de la entrevista técnica, descarga nuestro repositorio de GitHub, instala las dependencias y "
     "ejecuta el proyecto en local.", "es-ejecutar-su-codigo-para-entrevista"),
    ("Para la prueba técnica: git clone https://github.com/acme/defi-dashboard && npm install && npm start",
     "es-ejecutar-su-codigo-para-entrevista"),
    ("Prima del colloquio, clona il nostro repository, installa le dipendenze e avvia il progetto in locale.",
     "it-eseguire-il-loro-codice-per-colloquio"),
    ("Antes da entrevista, baixe o nosso projeto do GitHub, instale as dependências e rode o projeto "
     "localmente.", "pt-executar-o-codigo-deles-para-entrevista"),
    ("Voor het technische gesprek: kloon onze repository, installeer de dependencies en start de app lokaal.",
     "nl-hun-code-uitvoeren-voor-gesprek"),
]


@pytest.mark.parametrize(("text", "rule"), RUN_THEIR_CODE)
def test_a_request_to_run_their_code_for_an_interview_is_high_in_each_language(
    rules_checker: Checker, text: str, rule: str
) -> None:
    assessment = rules_checker.message(Message(id="t", body=text))
    assert rule in {e.rule for e in assessment.evidence}
    assert assessment.level is Level.HIGH
    assert "M10" in assessment.indicators


@pytest.mark.parametrize(("text", "indicator"), [
    ("Hola, ¿podemos seguir hablando por Telegram? Te paso mi usuario de Telegram.", "M3"),
    ("Possiamo continuare su WhatsApp? È più comodo.", "M3"),
    ("Vamos continuar a conversa pelo Discord, me adicione lá.", "M3"),
    ("Kunnen we verder praten via Telegram?", "M3"),
    ("Puede ganar entre 200 y 800 euros al día desde su móvil.", "M12"),
    ("Cerco qualcuno che sostenga colloqui al mio posto, pago bene.", "M13"),
    ("Podemos alugar a sua conta do LinkedIn? Dividimos o pagamento.", "M13"),
    ("Wij zijn een snelgroeiende DeFi-startup en zoeken een lead developer.", "M15"),
])
def test_the_fbi_indicators_fire_in_the_smaller_packs(rules_checker: Checker, text: str, indicator: str) -> None:
    assert indicator in rules_checker.message(Message(id="t", body=text)).indicators


HONEST = [
    # a maintainer asking to test a branch
    "¿Podrías probar la rama fix-login en tu equipo y decirme si el error sigue? Gracias por el informe.",
    "Puoi provare il branch con la correzione e dirmi se il problema persiste?",
    "Você pode testar o branch com a correção e me dizer se o erro continua?",
    "Kun je de branch met de fix lokaal testen en laten weten of de fout er nog is?",
    # a colleague moving to WhatsApp
    "Te escribo por WhatsApp para lo de la comida del viernes.",
    "Ti scrivo su WhatsApp per la cena di venerdì, ok?",
    "Te mando mensagem no WhatsApp sobre o almoço de sexta.",
    # honest employers: a take-home in the candidate's own repository, a browser test
    "Para la prueba técnica, desarrolle una pequeña API y envíenos el enlace a su repositorio antes de la entrevista.",
    "Il nostro test di programmazione si svolge nel browser, non serve installare nulla.",
    "Onze codeertest draait in de browser, u hoeft niets te installeren.",
]


@pytest.mark.parametrize("text", HONEST)
def test_maintainers_colleagues_and_honest_employers_stay_low(rules_checker: Checker, text: str) -> None:
    assessment = rules_checker.message(Message(id="t", body=text))
    assert assessment.level is Level.LOW, assessment.evidence
    assert "M10" not in assessment.indicators


def test_a_spanish_rule_is_explained_in_the_readers_language(rules_checker: Checker) -> None:
    from falsefriends.check import for_reader
    from falsefriends.wording import INDICATOR_REASON

    text = "¿Podemos seguir la conversación por Telegram? Es más cómodo."
    assessment = rules_checker.message(Message(id="t", body=text))
    spanish = next(e for e in assessment.evidence if e.rule == "es-pasar-a-mensajeria")
    for language in ("en", "fr", "de"):
        shown = for_reader(assessment, rules_checker.rules, language)
        reasons = [e.reason for e in shown.evidence if e.indicator == "M3"]
        assert reasons == [INDICATOR_REASON[language]["M3"]], (language, reasons)
        assert spanish.reason not in reasons
