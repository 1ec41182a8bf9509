"""The detectors an evaluation runs, as a registry: each scores messages or accounts of a world.

Watchlist and campaign detectors plug in later with `register(...)`; the evaluation reports every
registered detector the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from falsefriends.check import Checker
from falsefriends.evaluate.world import EvalWorld

Unit = Literal["message", "conversation", "account"]


@dataclass(frozen=True)
class Scored:
    """One evaluated subject: its label from truth and the detector's calibrated score."""

    subject: str
    label: int
    score: float
    campaign: str | None = None


@dataclass(frozen=True)
class Detector:
    """A named detector over one unit of a world."""

    name: str
    unit: Unit
    description: str
    run: Callable[[EvalWorld, Checker], Iterator[Scored]]


_REGISTRY: dict[str, Detector] = {}


def register(detector: Detector) -> Detector:
    if detector.name in _REGISTRY:
        raise ValueError(f"detector {detector.name!r} is already registered")
    _REGISTRY[detector.name] = detector
    return detector


def registered() -> list[Detector]:
    return list(_REGISTRY.values())


def _message_rules(world: EvalWorld, checker: Checker) -> Iterator[Scored]:
    for item in world.messages:
        yield Scored(item.message.id, item.label, checker.message(item.message).score, item.campaign)


def _conversation_rules(world: EvalWorld, checker: Checker) -> Iterator[Scored]:
    for thread in world.conversations:
        assessment = checker.assess(thread.messages, subject=thread.key)
        yield Scored(thread.key, thread.label, assessment.score, thread.campaign)


def _profile_rules(world: EvalWorld, checker: Checker) -> Iterator[Scored]:
    for account in world.accounts:
        yield Scored(account.key, account.label, checker.profile(account.profile).score, account.campaign)


def _account_combined(world: EvalWorld, checker: Checker) -> Iterator[Scored]:
    for account in world.accounts:
        assessment = checker.assess(account.messages, account.profile, subject=account.key)
        yield Scored(account.key, account.label, assessment.score, account.campaign)


register(Detector("message-rules", "message",
                  "lure rules and fusion on each message from an outside account (Checker.message)", _message_rules))
register(Detector("conversation-rules", "conversation",
                  "lure rules and fusion on what an outside account wrote in one conversation, as a whole "
                  "(Checker.assess without the profile)", _conversation_rules))
register(Detector("profile-rules", "account",
                  "profile rules on each outside account as the data shows it (Checker.profile)", _profile_rules))
register(Detector("account-combined", "account",
                  "profile and every message an outside account sent, scored together (Checker.assess)",
                  _account_combined))
