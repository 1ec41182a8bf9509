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


def for_reader(assessment: Assessment, rules: RuleSet, language: str) -> Assessment:
    """The assessment as a person reads it in `language` (en, fr or de): one entry per indicator per place.

    The rule packs of each language run on every message, so "WhatsApp" in a French message fires the French
    rule and its English twin; the two are one finding. Evidence of one indicator on overlapping words of one
    message (or on one profile field) is one place; of a place only the rules of one language family are shown:
    the reader's language when one of its rules fired there, else the first that did (its first entry takes the
    sources of the twins left out). An entry whose reason is in another language (a rule of another pack; profile rules,
    the watchlist and the semantic head write in English) shows the indicator's reason in the reader's
    language (`wording.INDICATOR_REASON`); a detector other than the rule packs keeps its own reason (the
    campaign, persona or figures it names) in brackets after it. The score, level and indicators do not
    change: fusion already counts each indicator once.
    """
    from falsefriends.wording import INDICATOR_REASON

    def language_of(item: Evidence) -> str:
        if item.detector != "rules":
            return "en"
        try:
            written = rules.get(item.rule).language
        except KeyError:
            return "en"
        # profile packs ("any") write in English; the smaller packs (es, it, pt, nl) in their own language,
        # which a reader of en, fr or de gets as the indicator's reason in theirs
        return "en" if written == "any" else written

    def same_place(a: Evidence, extent: tuple[int, int] | None, b: Evidence) -> bool:
        if (a.indicator, a.message, a.field, a.detector) != (b.indicator, b.message, b.field, b.detector):
            return False
        if extent is None or b.span is None:
            return extent is None and b.span is None
        return extent[0] < b.span[1] and b.span[0] < extent[1]

    # places: the evidence of one indicator on overlapping words (or one profile field), with the words covered
    places: list[tuple[list[int], tuple[int, int] | None]] = []
    items = assessment.evidence
    for index, item in enumerate(items):
        place = next((p for p in places if same_place(items[p[0][0]], p[1], item)), None)
        if place is None:
            places.append(([index], item.span))
            continue
        place[0].append(index)
        if place[1] is not None and item.span is not None:
            places[places.index(place)] = (place[0], (min(place[1][0], item.span[0]), max(place[1][1], item.span[1])))
    reasons = INDICATOR_REASON.get(language, INDICATOR_REASON["en"])
    kept: dict[int, Evidence] = {}
    for indices, _ in places:
        written = {index: language_of(items[index]) for index in indices}
        family = language if language in written.values() else written[indices[0]]
        members = [i for i in indices if written[i] == family]
        twins = [i for i in indices if written[i] != family]
        for position, index in enumerate(members):
            update: dict[str, object] = {}
            if position == 0 and twins:  # the twins' sources stay with the finding
                update["source"] = tuple(dict.fromkeys(s for i in (index, *twins) for s in items[i].source))
            if family != language and items[index].indicator in reasons:
                # a rule's reason is a generic sentence of its pack; other detectors' reasons carry what was
                # measured or matched (a campaign, a listed persona, a similarity): that detail stays, after
                # the indicator's reason in the reader's language
                detail = items[index].reason if items[index].detector != "rules" else ""
                translated = reasons[items[index].indicator]
                update["reason"] = f"{translated} ({detail})" if detail and detail != translated else translated
            kept[index] = items[index].model_copy(update=update) if update else items[index]
    shown = [kept[index] for index in sorted(kept)]
    return assessment.model_copy(update={"evidence": tuple(shown)})


class ProfileError(ValueError):
    """A profile that is not one: the message says which field, what it should be, and an example."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


_PROFILE_FIELD_HINTS = {
    "education": 'a list of schools, e.g. ["LMU Munich"]',
    "handles": 'a list of handles on other services, e.g. ["@jane"]',
    "positions": 'a list of positions, e.g. [{"title": "Analyst", "company": "Acme"}]',
    "connections": "a whole number, 0 or more, e.g. 500",
    "followers": "a whole number, 0 or more, e.g. 1200",
    "created": 'a date as YYYY-MM-DD, e.g. "2024-05-01"',
    "key": 'a text (the profile URL), e.g. "https://www.linkedin.com/in/jane-doe"',
    "url": 'a text, e.g. "https://www.linkedin.com/in/jane-doe"',
    "photo": "a text (a file path, URL or hash of the photo)",
}
_LIST_FIELDS = ("education", "handles")


def profile_from_json(data: object) -> Account:
    """A profile from parsed JSON (check --profile, a batch line's `profile`), with errors in plain words.

    A school or handle given as one text (`"education": "LMU Munich"`) is taken as a list of one.
    Raises ProfileError naming each wrong field, what it should hold and an example.
    """
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise ProfileError([f"a profile is a JSON object of fields, e.g. {{\"name\": \"Jane Doe\", \"headline\": "
                            f"\"Recruiter\"}}, not {_json_kind(data)}"])
    fixed = {k: ([v] if k in _LIST_FIELDS and isinstance(v, str) else v) for k, v in data.items()}
    try:
        return Account.model_validate(fixed)
    except ValidationError as exc:
        problems: list[str] = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "profile"
            if error["type"] == "extra_forbidden" and len(error["loc"]) == 1:
                problem = f"{field}: not a profile field (the fields: {', '.join(Account.model_fields)})"
            elif field in _PROFILE_FIELD_HINTS:
                problem = f"{field}: {_PROFILE_FIELD_HINTS[field]}"
            else:
                where = ".".join(map(str, error["loc"]))
                problem = f"{where}: a text, e.g. \"…\"" if error["type"] == "string_type" else \
                    f"{where}: {error['msg']}"
            if problem not in problems:
                problems.append(problem)
        raise ProfileError(problems[:5]) from None


def _json_kind(value: object) -> str:
    return {list: "a list", str: "a text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__)


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
