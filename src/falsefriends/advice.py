"""What to do, from the public guidance (tradecraft.md, "Advice the authorities give").

One implementation for every surface: `falsefriends check` (terminal and `--json`), the API's check route and
the audit's per-staff notices all call `advice_for`. The advice depends on three things:

- the level of the verdict (low, medium, high);
- the indicators that fired: a code-execution lure (M10, M14) is answered with "do not run it" first;
- the stage the person has reached with the sender: only contacted, accepted the connection, replied, moved to
  another app, or already shared material. Telling someone who has already replied "do not reply" is useless;
  the guidance for that stage is to stop, send nothing more, keep the messages and tell the security officer
  (NPSA Think Before You Link: Recognise, Realise, Report, Remove; DGSI 2018).
"""

from __future__ import annotations

from enum import StrEnum

from falsefriends.model import Level


class Stage(StrEnum):
    """How far the person has gone with the sender, in order."""

    CONTACTED = "contacted"
    ACCEPTED = "accepted"
    REPLIED = "replied"
    MOVED_OFF_PLATFORM = "moved-off-platform"
    SHARED_MATERIAL = "shared-material"

    @property
    def rank(self) -> int:
        return _STAGE_ORDER.index(self)


_STAGE_ORDER = (Stage.CONTACTED, Stage.ACCEPTED, Stage.REPLIED, Stage.MOVED_OFF_PLATFORM, Stage.SHARED_MATERIAL)


def stage_of(accepted: bool = False, replied: bool = False, asked_off_platform: bool = False,
             shared_material: bool = False) -> Stage:
    """The stage from what is known of one contact (the audit knows accepted, replied and asked off-platform).

    A reply to a sender who asked to move to another app is taken as a move: the advice for that stage also
    covers the other app, and it costs nothing when the person in fact stayed on the platform.
    """
    if shared_material:
        return Stage.SHARED_MATERIAL
    if replied and asked_off_platform:
        return Stage.MOVED_OFF_PLATFORM
    if replied:
        return Stage.REPLIED
    if accepted:
        return Stage.ACCEPTED
    return Stage.CONTACTED


def furthest(stages: list[Stage] | tuple[Stage, ...]) -> Stage:
    """The furthest of several stages (CONTACTED when there is none)."""
    return max(stages, key=lambda s: s.rank, default=Stage.CONTACTED)


CODE_INDICATORS = frozenset({"M10", "M14"})
"""Indicators of a code-execution lure: run their code, install their tool or custom software (tradecraft.md)."""

CODE_FIRST = ("Do not run it, do not clone or install anything they sent; report it to your security officer "
              "(and to the platform) (FBI I-090324-PSA; NPSA TBYL: Report).")
CODE_ALREADY_RAN = ("If you already ran, installed or opened something they sent, stop using that computer for work, "
                    "disconnect it from the network and tell your security officer or IT security now; do not wait.")

LOW_SOME_SIGNS = ("Some signs fired, but not enough together to match the known approach pattern; "
                  "stay alert if the contact goes on to an offer, another app or a request for material.")
NO_REPLY = "Do not reply, do not accept the request, and do not move to another app (DGSI 2018)."
KEEP_SCREENSHOT = "Keep a screenshot of the profile and the message for your security officer."


ADVICE: dict[Level, tuple[str, ...]] = {
    Level.HIGH: (
        NO_REPLY,
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
"""The advice for someone who has only been contacted, by level."""

KEEP_EVIDENCE = ("Keep the messages and the profile as they are: do not delete the conversation, take screenshots; "
                 "they are the evidence your security officer needs (DGSI 2018).")
TELL_OFFICER = ("Tell your security officer now what happened, with screenshots of the profile and the messages: "
                "it is not your fault, and reporting early limits the harm (NPSA TBYL: Report).")
REMOVE_AFTER = ("Once your security officer has what they need, remove the contact and block it "
                "(NPSA TBYL: Remove).")

STAGE_ADVICE: dict[Stage, tuple[str, ...]] = {
    Stage.ACCEPTED: (
        "You accepted the connection: do not reply and do not move to another app; the contact now sees your "
        "network and can use it to reach your colleagues (DGSI 2018).",
        "Report it to your security officer with a screenshot of the profile and the messages (NPSA TBYL: Report).",
        "Then remove the connection and block it (NPSA TBYL: Remove).",
    ),
    Stage.REPLIED: (
        "You already answered: stop the conversation now and send nothing more, not even an explanation "
        "(DGSI 2018).",
        KEEP_EVIDENCE,
        TELL_OFFICER,
        REMOVE_AFTER,
    ),
    Stage.MOVED_OFF_PLATFORM: (
        "You already answered and may have continued on another app: stop there too and send nothing more "
        "(DGSI 2018).",
        "Do not delete that chat: keep it, with the number, handle or address they used; it is evidence (DGSI 2018).",
        TELL_OFFICER,
        REMOVE_AFTER,
    ),
    Stage.SHARED_MATERIAL: (
        "You already sent material (documents, notes, a CV, contacts): send nothing more and stop the "
        "conversation (DGSI 2018).",
        "Tell your security officer today exactly what you sent, when and to whom: it is not your fault, and they "
        "need to know to limit the harm (NPSA TBYL: Report).",
        KEEP_EVIDENCE,
        REMOVE_AFTER,
    ),
}
"""The advice for someone who has gone further than being contacted (flagged verdicts)."""

INDICATOR_ADVICE: dict[str, str] = {
    "M3": "Never move to WhatsApp, WeChat, Signal, Telegram or personal e-mail on a stranger's request.",
    "M4": "Never write analysis notes or reports for an unknown client, however public the topic seems at first.",
    "M5": "Do not send your CV, contacts or details of your current work to an unverified recruiter.",
    "M10": "Do not clone, run or install anything a recruiter sends before a verified interview; "
           "real employers do not need you to run their code on your machine.",
    "M2": "A free trip abroad offered by an unknown organisation is a classic step of these approaches.",
    "M12": "An offer with no interview or negotiation, or pay far above the market, is a known lure "
           "(FBI I-090324-PSA); check the company through its own website and switchboard.",
    "M13": "Never attend interviews in someone else's name or lend your identity or accounts: it serves schemes "
           "that place workers under false identities (FBI I-051624-PSA).",
    "M14": "Do not install custom or unknown software to chat or join a call; genuine employers use the usual tools.",
}


def advice_for(level: Level, indicators: tuple[str, ...] | list[str],
               stage: Stage | str = Stage.CONTACTED, language: str = "en") -> list[str]:
    """The steps to take, for a level, the indicators that fired and the stage the person has reached, in
    `language` (en, fr or de; see `falsefriends.advice_translations`).

    Low verdicts keep their general advice whatever the stage (the approach pattern did not match), except
    that someone who already shared material is told to tell their security officer.
    """
    steps = _advice_en(level, indicators, Stage(stage))
    if language == "en":
        return steps
    from falsefriends.advice_translations import translate

    return [translate(step, language) for step in steps]


def _advice_en(level: Level, indicators: tuple[str, ...] | list[str], stage: Stage) -> list[str]:
    indicators = tuple(indicators)
    code_lure = any(i in CODE_INDICATORS for i in indicators)
    if level is Level.LOW:
        steps = list(ADVICE[level])
        if indicators:
            steps[0] = LOW_SOME_SIGNS
        if stage is Stage.SHARED_MATERIAL:
            steps.append(STAGE_ADVICE[Stage.SHARED_MATERIAL][1])
        return steps
    if stage is Stage.CONTACTED:
        steps = list(ADVICE[level])
        if code_lure:
            # The first thing to say about a code lure is "do not run it", not "do not reply".
            steps[0] = CODE_FIRST
            if level is Level.HIGH:
                steps.insert(1, NO_REPLY)
                steps[2] = KEEP_SCREENSHOT
            steps.append(CODE_ALREADY_RAN)
    else:
        steps = list(STAGE_ADVICE[stage])
        if code_lure:
            steps.insert(0, CODE_FIRST)
            steps.insert(1, CODE_ALREADY_RAN)
    shown = set(steps)
    for indicator in indicators:
        extra = INDICATOR_ADVICE.get(indicator)
        if extra is None or extra in shown:
            continue
        if code_lure and indicator in CODE_INDICATORS:
            continue  # already said first, in stronger words
        if indicator == "M3" and stage.rank >= Stage.MOVED_OFF_PLATFORM.rank:
            continue  # they already moved: the stage advice covers the other app
        steps.append(extra)
        shown.add(extra)
    return steps
