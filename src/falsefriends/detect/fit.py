"""Learn the fusion weights from labelled data, shrunk towards the expert priors.

A logistic regression over one feature per indicator (did it fire?) and one per combination, fitted
by Newton's method with an L2 penalty that pulls each weight towards its expert prior rather than
towards zero: with few labels the priors win, with many the data does. Evidence of weight 0 (for
instance a watchlist name match that is shown but never counted) is not a feature, so a fit can
never learn to score a name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from falsefriends.detect.fusion import Combination, FusionModel
from falsefriends.model import Evidence
from falsefriends.rules.loader import RuleSet


def prior_weights(rules: RuleSet) -> dict[str, float]:
    """Expert prior per indicator: the strongest rule weight of that indicator."""
    priors: dict[str, float] = {}
    for rule in rules.rules:
        weight = rule.spec.weight
        current = priors.get(rule.spec.indicator)
        if current is None or abs(weight) > abs(current):
            priors[rule.spec.indicator] = weight
    return priors


def _row(evidence: Sequence[Evidence], indicators: list[str], combos: Sequence[Combination],
         graded: Sequence[str] = ()) -> list[float]:
    fired = {e.indicator for e in evidence if e.weight != 0}
    positive = {e.indicator for e in evidence if e.weight > 0 and e.indicator not in graded}
    row = [1.0 if ind in fired else 0.0 for ind in indicators]
    row += [1.0 if all(any(i in positive for i in g) for g in c.all_of) else 0.0 for c in combos]
    for indicator in graded:
        values = [e.weight for e in evidence if e.indicator == indicator]
        row.append(max(values) if values else 0.0)
    return row


def fit_fusion(
    samples: Sequence[tuple[Sequence[Evidence], int]],
    prior: FusionModel,
    rules: RuleSet,
    *,
    strength: float = 2.0,
    iterations: int = 200,
    version: str = "fitted-v1",
    graded: Sequence[str] = (),
    fitted_on: str = "",
    graded_strength: float | None = None,
) -> FusionModel:
    """Fit bias, indicator and combination weights; thresholds are kept from the prior model.

    `strength` is the L2 penalty (per weight) pulling towards the priors; the bias is not penalised.
    `graded` indicators (the semantic head's S1) enter with their evidence weight as the feature
    and get a learnt scale (prior 1.0) instead of a weight, and the fitted bias becomes the first graded
    indicator's offset (the samples must all carry it); `graded_strength` is their own penalty
    (default: `strength`), so the rule weights can be held at their priors (a large `strength`)
    while the scale of the head and the bias are learnt.
    """
    if not samples:
        raise ValueError("no labelled samples to fit on")
    labels = np.array([label for _, label in samples], dtype=float)
    if labels.min() == labels.max():
        raise ValueError("the labelled samples hold only one class; a fit needs both")
    priors = prior_weights(rules) | prior.indicator_weights
    indicators = sorted(i for i in priors if i not in graded)
    combos = list(prior.combinations)
    x = np.array([_row(ev, indicators, combos, graded) for ev, _ in samples], dtype=float)
    x = np.hstack([np.ones((len(samples), 1)), x])
    mean = np.array([prior.bias] + [priors[i] for i in indicators] + [c.weight for c in combos]
                    + [prior.indicator_scales.get(g, 1.0) for g in graded])
    penalty = np.full(len(mean), strength)
    penalty[0] = 0.0
    if graded:
        penalty[len(mean) - len(graded):] = strength if graded_strength is None else graded_strength
    w = mean.copy()
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -50, 50)))
        gradient = x.T @ (p - labels) + penalty * (w - mean)
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        largest = float(np.max(np.abs(step)))
        if largest > 1.0:  # damped Newton: a full step can overshoot when the curvature is flat
            step /= largest
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    fitted_indicators = {ind: round(float(w[1 + k]), 4) for k, ind in enumerate(indicators)}
    fitted_combos = tuple(
        c.model_copy(update={"weight": round(float(w[1 + len(indicators) + k]), 4)}) for k, c in enumerate(combos)
    )
    first_graded = 1 + len(indicators) + len(combos)
    scales = {g: round(float(w[first_graded + k]), 4) for k, g in enumerate(graded)}
    bias = round(float(w[0]), 4)
    offsets: dict[str, float] = {}
    prior_thresholds = None
    if graded:
        prior_thresholds = prior.thresholds
        # Every sample carried the graded evidence, so the fitted bias belongs to it: moved into its
        # offset, it applies when that evidence is there, and a subject without it keeps the prior bias.
        offsets = {graded[0]: round(bias - prior.bias, 4)}
        bias = prior.bias
    return FusionModel(version=version, bias=bias, thresholds=prior.thresholds,
                       combinations=fitted_combos, indicator_weights=fitted_indicators,
                       indicator_scales=scales, indicator_offsets=offsets, prior_thresholds=prior_thresholds,
                       fitted_on=fitted_on)
