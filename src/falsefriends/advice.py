"""What to do, from the public guidance (tradecraft.md, "Advice the authorities give")."""

from __future__ import annotations

from falsefriends.model import Level

ADVICE: dict[Level, tuple[str, ...]] = {
    Level.HIGH: (
        "Do not reply, do not accept the request, and do not move to another app (DGSI 2018).",
        "Report it to your security officer with a screenshot of the profile and the message (NPSA TBYL: Report).",
        "Then remove the contact and block it (NPSA TBYL: Remove).",
        "If you already shared documents, notes or contacts, tell your security officer now: it is not your fault, "
        "and it matters that they know.",
    ),
    Level.MEDIUM: (
        "Do not move the conversation to another app or e-mail on request (DGSI 2018).",
        "Verify the person and the company independently: its website, its staff, a reverse search of the photo.",
        "If in doubt, ask your security officer before you answer (NPSA TBYL: Recognise, Realise, Report, Remove).",
    ),
    Level.LOW: (
        "Nothing here matches the known approach patterns, which does not prove the sender is genuine.",
        "Accept connection requests only from people you know personally (DGSI 2018).",
    ),
}

INDICATOR_ADVICE: dict[str, str] = {
    "M3": "Never move to WhatsApp, WeChat, Signal, Telegram or personal e-mail on a stranger's request.",
    "M4": "Never write analysis notes or reports for an unknown client, however public the topic seems at first.",
    "M5": "Do not send your CV, contacts or details of your current work to an unverified recruiter.",
    "M10": "Do not clone, run or install anything a recruiter sends before a verified interview; "
           "real employers do not need you to run their code on your machine.",
    "M2": "A free trip abroad offered by an unknown organisation is a classic step of these approaches.",
}


def advice_for(level: Level, indicators: tuple[str, ...]) -> list[str]:
    """The advice for a level, followed by the advice specific to the indicators that fired."""
    steps = list(ADVICE[level])
    if level is Level.LOW and indicators:
        steps[0] = ("Some signs fired, but not enough together to match the known approach pattern; "
                    "stay alert if the contact goes on to an offer, another app or a request for material.")
    if level is not Level.LOW:
        steps.extend(INDICATOR_ADVICE[i] for i in indicators if i in INDICATOR_ADVICE)
    return steps
