"""The approach check: score a message, a profile, or a profile with its conversation.

This is the library entry point the CLI, the batch contract, the audit and the API all call.
Other detectors (watchlist, campaigns, photos) plug in as `EvidenceProvider`s, so fusion sees all
evidence in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from falsefriends.detect.fusion import FusionModel, default_fusion, learnt_fusion
from falsefriends.detect.message import message_evidence
from falsefriends.detect.profile import profile_evidence
from falsefriends.lang import detect_language
from falsefriends.model import Account, Assessment, Evidence, Message
from falsefriends.rules.loader import RuleSet, default_rules
from falsefriends.text import Folded, fold

if TYPE_CHECKING:
    from falsefriends.detect.semantic.provider import SemanticProvider


class EvidenceProvider(Protocol):
    """A detector that adds evidence about a profile or a message (watchlist, campaigns, photos)."""

    def profile_evidence(self, account: Account) -> list[Evidence]: ...

    def message_evidence(self, message: Message) -> list[Evidence]: ...


_DEFAULT_PROVIDERS: tuple[EvidenceProvider, ...] | None = None


def default_providers() -> tuple[EvidenceProvider, ...]:
    """The built-in evidence providers: the watchlist with the bundled public-reporting list.

    Built once per process; the bundled list is matched through the same hook as any other provider.
    """
    global _DEFAULT_PROVIDERS
    if _DEFAULT_PROVIDERS is None:
        from falsefriends.watchlist.provider import WatchlistProvider

        _DEFAULT_PROVIDERS = (WatchlistProvider(rules=default_rules()),)
    return _DEFAULT_PROVIDERS


_SEMANTIC: SemanticProvider | None = None


def default_semantic() -> SemanticProvider:
    """The semantic detector with the bundled prototypes and head (one per process; loads lazily)."""
    global _SEMANTIC
    if _SEMANTIC is None:
        from falsefriends.detect.semantic.provider import SemanticProvider

        _SEMANTIC = SemanticProvider()
    return _SEMANTIC


class Checker:
    """Scores subjects with one rule set, one fusion model and evidence providers.

    `providers=None` means the built-in ones (`default_providers()`: the bundled watchlist); pass `()`
    for no provider, or your own list (e.g. a watchlist with the workspace's entries).
    `semantic=True` (the default) adds the semantic detector (sentence encoder, prototypes, learnt
    head); `False` leaves the rules and providers alone (the fast path); or pass your own
    `SemanticProvider` (the audit passes one that masks its roster's names).
    `fusion=None` takes the learnt fusion when the semantic detector runs and one is bundled, the
    expert priors otherwise.
    """

    def __init__(
        self,
        rules: RuleSet | None = None,
        fusion: FusionModel | None = None,
        providers: Sequence[EvidenceProvider] | None = None,
        semantic: bool | SemanticProvider = True,
    ) -> None:
        self.rules = rules if rules is not None else default_rules()
        self.providers = tuple(providers) if providers is not None else default_providers()
        if semantic is True:
            self.semantic: SemanticProvider | None = default_semantic()
        elif semantic is False:
            self.semantic = None
        else:
            self.semantic = semantic
        if fusion is None:
            learnt = learnt_fusion() if self.semantic is not None and self.semantic.head is not None else None
            fusion = learnt if learnt is not None else default_fusion()
        self.fusion = fusion

    def evidence_for_message(self, message: Message, folded_body: Folded | None = None,
                             names: Sequence[str] = ()) -> list[Evidence]:
        """Evidence of the rules, the providers and the semantic detector; `names` are masked for it."""
        found = message_evidence(message, self.rules, folded_body)
        for provider in self.providers:
            found.extend(provider.message_evidence(message))
        if self.semantic is not None:
            found.extend(self.semantic.message_evidence(message, names=names))
        return found

    def evidence_for_profile(self, account: Account) -> list[Evidence]:
        found = profile_evidence(account, self.rules)
        for provider in self.providers:
            found.extend(provider.profile_evidence(account))
        return found

    def assess_evidence(self, subject: str, evidence: Sequence[Evidence], language: str | None = None
                        ) -> Assessment:
        score, level, indicators = self.fusion.score(evidence)
        return Assessment(subject=subject, score=score, level=level, evidence=tuple(evidence),
                          indicators=indicators, language=language)

    def message(self, message: Message) -> Assessment:
        """Score one message on its own."""
        folded = fold(message.body)
        return self.assess_evidence(message.id, self.evidence_for_message(message, folded),
                                    detect_language(folded.text, folded=True))

    def profile(self, account: Account) -> Assessment:
        """Score a profile on its own."""
        subject = account.key or account.url or account.name or "profile"
        return self.assess_evidence(subject, self.evidence_for_profile(account))

    def assess(self, messages: Sequence[Message] = (), profile: Account | None = None,
               subject: str | None = None) -> Assessment:
        """Score a profile together with its messages (a pair, or a whole conversation).

        Each indicator counts once across all messages, so an offer in one message, the move
        off-platform in the next and the request for notes in a third add up as one approach.
        """
        evidence: list[Evidence] = []
        names: tuple[str, ...] = ()
        if profile is not None:
            evidence.extend(self.evidence_for_profile(profile))
            names = (profile.name,) if profile.name else ()
        if self.semantic is not None and len(messages) > 1:
            self.semantic.warm([m.body for m in messages])
        folded_texts = []
        for message in messages:
            folded = fold(message.body)
            folded_texts.append(folded.text)
            evidence.extend(self.evidence_for_message(message, folded, names))
        if subject is None:
            if messages and messages[0].conversation:
                subject = messages[0].conversation
            elif profile is not None:
                subject = profile.key or profile.url or profile.name or "profile"
            else:
                subject = messages[0].id if messages else "empty"
        text = ". ".join(folded_texts)
        return self.assess_evidence(subject, evidence, detect_language(text, folded=True) if text else None)
