"""The report as one reader reads it: evidence merged and in one language, advice in that language.

The audit keeps every evidence item (findings.json); the report shows each finding once:

- the EN/FR/DE twins of a rule firing on the same words, and the same words found in several messages, are
  one entry (indicator, exact words, profile field), with the number of messages and the sources of all;
- an entry whose reason is in another language than the report's (a rule of another pack; the profile rules,
  the watchlist and the campaign detectors write in English) shows the indicator's reason in the report's
  language (`falsefriends.wording.INDICATOR_REASON`), as `check` does for one message;
- the advice, written once in English by `advice.advice_for`, is shown in the report's language
  (`advice_translations`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from falsefriends.model import Evidence
from falsefriends.wording import INDICATOR_REASON, LANGUAGES


@dataclass(frozen=True)
class EvidenceGroup:
    """One finding as shown: the kept item (reason in the report's language), messages it was found in,
    and how many raw items it stands for."""

    item: Evidence
    messages: int
    items: int


@lru_cache(maxsize=1)
def _rule_languages() -> dict[str, str]:
    """Each bundled rule's language (the language its reason is written in)."""
    from falsefriends.rules.loader import default_rules

    return {rule.spec.id: rule.language for rule in default_rules().rules}


def written_in(item: Evidence) -> str:
    """The language an evidence item's reason is written in: its rule pack's, English for every other detector."""
    if item.detector != "rules":
        return "en"
    language = _rule_languages().get(item.rule, "en")
    return language if language in LANGUAGES else "en"


def _words_key(text: str) -> str:
    return " ".join(text.casefold().split())


def merged_evidence(evidence: Iterable[Evidence], language: str = "en") -> list[EvidenceGroup]:
    """Evidence merged by (indicator, exact words, profile field), strongest first, reasons in `language`.

    Of a group, the item of a rule written in `language` is kept when there is one (its own reason); else
    the first, with the indicator's reason in `language` when one is written for it.
    """
    groups: dict[tuple[str, str, str | None], list[Evidence]] = {}
    for item in evidence:
        groups.setdefault((item.indicator, _words_key(item.excerpt), item.field), []).append(item)
    reasons = INDICATOR_REASON.get(language, INDICATOR_REASON["en"])
    shown: list[EvidenceGroup] = []
    for items in groups.values():
        native = [i for i in items if written_in(i) == language]
        keep = max(native or items, key=lambda i: abs(i.weight))
        sources = tuple(dict.fromkeys(s for i in items for s in i.source))
        update: dict[str, object] = {"source": sources, "weight": max(i.weight for i in items)}
        if not native and keep.indicator in reasons:
            update["reason"] = reasons[keep.indicator]
        messages = len({i.message for i in items if i.message})
        shown.append(EvidenceGroup(keep.model_copy(update=update), messages, len(items)))
    shown.sort(key=lambda g: (g.item.weight <= 0, -g.item.weight, g.item.indicator))
    return shown


def advice_in(steps: Sequence[str], language: str) -> list[str]:
    """The audit's advice steps (English, from `advice_for`) in `language`."""
    if language == "en":
        return list(steps)
    from falsefriends.advice_translations import translate

    return [translate(step, language) for step in steps]


def indicator_reason(indicator: str, language: str, fallback: str = "") -> str:
    """The plain reason of an indicator in `language` (the legend), else `fallback`."""
    return INDICATOR_REASON.get(language, INDICATOR_REASON["en"]).get(indicator, fallback)


NOTICE_WORDS: dict[str, dict[str, str]] = {
    "en": {"what_to_do": "What to do", "exposure": "Exposure", "furthest": "furthest step with a flagged account",
           "wrote": "wrote to them", "accepted": "connection accepted", "replied": "they replied",
           "asked_off": "asked them to move to another app",
           "connected_only": "in their connections (no message in the export)",
           "contacted": "was contacted, did not answer", "accepted-stage": "accepted the connection",
           "replied-stage": "replied", "moved-off-platform": "replied to a request to move to another app",
           "shared-material": "shared material"},
    "fr": {"what_to_do": "Que faire", "exposure": "Exposition",
           "furthest": "étape la plus avancée avec un compte signalé",
           "wrote": "lui a écrit", "accepted": "mise en relation acceptée", "replied": "réponse envoyée",
           "asked_off": "a demandé de passer sur une autre application",
           "connected_only": "dans ses relations (aucun message dans l'export)",
           "contacted": "contact reçu, sans réponse", "accepted-stage": "a accepté la mise en relation",
           "replied-stage": "a répondu",
           "moved-off-platform": "a répondu à une demande de passer sur une autre application",
           "shared-material": "a transmis des documents"},
    "de": {"what_to_do": "Was zu tun ist", "exposure": "Gefährdung",
           "furthest": "weitester Schritt mit einem markierten Konto",
           "wrote": "hat geschrieben", "accepted": "Vernetzung angenommen", "replied": "Antwort gesendet",
           "asked_off": "bat, auf eine andere App zu wechseln",
           "connected_only": "unter den Kontakten (keine Nachricht im Export)",
           "contacted": "angeschrieben, keine Antwort", "accepted-stage": "hat die Vernetzung angenommen",
           "replied-stage": "hat geantwortet",
           "moved-off-platform": "hat auf die Bitte geantwortet, auf eine andere App zu wechseln",
           "shared-material": "hat Unterlagen weitergegeben"},
}
"""The words of a notice to staff (it may be handed to the person) in the report's language."""

_STAGE_KEYS = {"contacted": "contacted", "accepted": "accepted-stage", "replied": "replied-stage",
               "moved-off-platform": "moved-off-platform", "shared-material": "shared-material"}


def notice_words(language: str) -> dict[str, str]:
    """The notice's words in `language` (English for a language without them)."""
    return NOTICE_WORDS.get(language, NOTICE_WORDS["en"])


def stage_words(stage: str, language: str) -> str:
    """What the person did, in `language`, for an `advice.Stage` value."""
    return notice_words(language)[_STAGE_KEYS[stage]]
