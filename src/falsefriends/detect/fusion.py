"""Risk fusion: evidence from every detector becomes one calibrated probability and a level.

The fusion model is a logistic model whose parameters live in data (`rules/fusion.yaml`): a bias
(the prior log-odds that a contact is hostile), each indicator counted once with the weight of its
strongest fired rule, and combination bonuses for indicators that together make the known sequence
(offer + move off-platform + request). Weights are expert priors until labels exist to learn them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from falsefriends.model import Evidence, Level
from falsefriends.yamlio import parse_yaml


class Combination(BaseModel):
    """A bonus when at least one indicator of every group fired."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    all_of: tuple[tuple[str, ...], ...] = Field(min_length=2)
    weight: float
    reason: str = ""


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    medium: float = Field(gt=0.0, lt=1.0)
    high: float = Field(gt=0.0, lt=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.medium >= self.high:
            raise ValueError("threshold medium must be below high")
        return self


class FusionModel(BaseModel):
    """Parameters of the fusion; see the module docstring."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    bias: float
    thresholds: Thresholds
    combinations: tuple[Combination, ...] = ()
    indicator_weights: dict[str, float] = Field(
        default_factory=dict,
        description="learnt per-indicator weights; when present they replace the rule weights",
    )
    indicator_scales: dict[str, float] = Field(
        default_factory=dict,
        description="graded indicators (the semantic head's log-odds, S1): the evidence weight times this scale",
    )
    indicator_offsets: dict[str, float] = Field(
        default_factory=dict,
        description="added once when a graded indicator is present: the learnt bias of the corpus the scale "
                    "was fitted on, so a subject without that evidence (a profile alone) keeps the prior bias",
    )
    prior_thresholds: Thresholds | None = Field(
        default=None,
        description="levels of a subject without the graded evidence (scored with the prior bias): the prior's",
    )
    fitted_on: str = Field(default="", description="what a learnt model was fitted on (data, groups, folds)")

    def level(self, score: float) -> Level:
        if score >= self.thresholds.high:
            return Level.HIGH
        if score >= self.thresholds.medium:
            return Level.MEDIUM
        return Level.LOW

    def logit(self, evidence: Iterable[Evidence]) -> tuple[float, tuple[str, ...]]:
        """Log-odds for the evidence, and the indicators that contributed."""
        strongest: dict[str, float] = {}
        for item in evidence:
            # Zero-weight evidence is shown, never counted, and never reweighted by a fit.
            current = strongest.get(item.indicator)
            if item.indicator in self.indicator_scales:
                # Graded (the semantic head): the most hostile reading of any message counts, so one
                # harmless-looking message of a conversation cannot cancel the lure in another.
                weight = self.indicator_scales[item.indicator] * item.weight
                if current is None or weight > current:
                    strongest[item.indicator] = weight
                continue
            weight = 0.0 if item.weight == 0 else self.indicator_weights.get(item.indicator, item.weight)
            if current is None or abs(weight) > abs(current):
                strongest[item.indicator] = weight
        for indicator, offset in self.indicator_offsets.items():
            if indicator in strongest:
                strongest[indicator] += offset
        total = self.bias + sum(strongest.values())
        fired = {k for k, v in strongest.items() if v > 0}
        for combo in self.combinations if fired else ():  # each combination needs a fired indicator
            if all(any(ind in fired for ind in group) for group in combo.all_of):
                total += combo.weight
        return total, tuple(sorted(strongest, key=_indicator_order))

    def score(self, evidence: Sequence[Evidence]) -> tuple[float, Level, tuple[str, ...]]:
        logit, indicators = self.logit(evidence)
        probability = _probability(logit)
        prior = self._prior
        if prior is None:
            return probability, self.level(probability), indicators
        if not any(i in self.indicator_scales for i in indicators):
            return probability, prior.level(probability), indicators
        # A learnt model (semantic head) never lowers what the rules and watchlist say under the expert
        # priors: the textbook sequence and a request to run their code stay high even where the head,
        # learnt from few such texts, reads them as ordinary. It can only raise.
        floor_logit, _ = prior.logit([e for e in evidence if e.indicator not in self.indicator_scales
                                      and e.detector != "semantic"])
        floor = _probability(floor_logit)
        level = max(self.level(probability), prior.level(floor), key=_LEVEL_ORDER.index)
        return max(probability, floor), level, indicators

    @cached_property
    def _prior(self) -> FusionModel | None:
        """The expert-prior model a learnt one falls back to and never scores below (built once)."""
        if self.prior_thresholds is None:
            return None
        return FusionModel(version=self.version, bias=self.bias, thresholds=self.prior_thresholds,
                           combinations=self.combinations)

    def combinations_fired(self, evidence: Iterable[Evidence]) -> list[Combination]:
        fired = {e.indicator for e in evidence if e.weight > 0}
        return [c for c in self.combinations if all(any(i in fired for i in g) for g in c.all_of)]


_LEVEL_ORDER = [Level.LOW, Level.MEDIUM, Level.HIGH]


def _probability(logit: float) -> float:
    return round(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit)))), 4)


@lru_cache(maxsize=256)
def _indicator_order(indicator: str) -> tuple[str, int]:
    digits = "".join(ch for ch in indicator if ch.isdigit())
    return indicator.rstrip("0123456789"), int(digits) if digits else 0


def dump_fusion(model: FusionModel) -> str:
    """The model as YAML, in the same form as the bundled file."""
    return yaml.safe_dump(model.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def load_fusion(path: Path | None = None) -> FusionModel:
    """Load a fusion model file (the bundled expert priors by default)."""
    if path is None:
        text = (resources.files("falsefriends.rules") / "fusion.yaml").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return FusionModel.model_validate(parse_yaml(text)[1])


_DEFAULT: FusionModel | None = None


def default_fusion() -> FusionModel:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_fusion()
    return _DEFAULT


_LEARNT: FusionModel | None = None
_LEARNT_LOADED = False
LEARNT_FILE = "fusion.learnt.yaml"


def learnt_fusion() -> FusionModel | None:
    """The fusion learnt on the real corpus with the semantic head (None when none is bundled).

    It lives beside the head it was fitted with (detect/semantic/), since its S1 scale only means
    something for that head.
    """
    global _LEARNT, _LEARNT_LOADED
    if not _LEARNT_LOADED:
        resource = resources.files("falsefriends.detect.semantic") / LEARNT_FILE
        if resource.is_file():
            _LEARNT = FusionModel.model_validate(parse_yaml(resource.read_text(encoding="utf-8"))[1])
        _LEARNT_LOADED = True
    return _LEARNT
