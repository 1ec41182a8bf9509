"""Fitting the fusion: shrinks towards priors, learns from data, never learns zero-weight evidence."""

from __future__ import annotations

import random

import pytest

from falsefriends.check import Checker
from falsefriends.detect.fit import fit_fusion, prior_weights
from falsefriends.model import Evidence


def _ev(indicator: str, weight: float = 1.0) -> Evidence:
    return Evidence(rule=f"r-{indicator.lower()}", indicator=indicator, weight=weight, reason="test reason")


def test_few_samples_keep_the_priors(checker: Checker) -> None:
    samples = [([_ev("M3")], 1), ([], 0)]
    fitted = fit_fusion(samples, checker.fusion, checker.rules, strength=1000.0)
    priors = prior_weights(checker.rules)
    assert fitted.indicator_weights["M3"] == pytest.approx(priors["M3"], abs=0.05)


def test_many_samples_learn_an_uninformative_indicator_down(checker: Checker) -> None:
    rng = random.Random(3)
    samples = []
    for _ in range(4000):
        hostile = rng.random() < 0.3
        evidence = [_ev("M3")] if hostile else []
        if rng.random() < 0.5:  # fires at random, whatever the label
            evidence.append(_ev("M6"))
        samples.append((evidence, int(hostile)))
    fitted = fit_fusion(samples, checker.fusion, checker.rules, strength=0.5)
    assert fitted.indicator_weights["M3"] > 4.0
    assert abs(fitted.indicator_weights.get("M6", 0.0)) < 0.3
    hostile_score, _, _ = fitted.score([_ev("M3")])
    genuine_score, _, _ = fitted.score([_ev("M6")])
    assert hostile_score > 0.9 > 0.1 > genuine_score


def test_zero_weight_evidence_is_never_learnt_or_counted(checker: Checker) -> None:
    samples = [([_ev("W0", 0.0)], 1)] * 50 + [([], 0)] * 50
    fitted = fit_fusion(samples, checker.fusion, checker.rules)
    assert fitted.score([_ev("W0", 0.0)])[:2] == fitted.score([])[:2]
    assert fitted.bias == pytest.approx(0.0, abs=0.01)  # 50/50 with no usable feature


def test_one_class_is_an_error(checker: Checker) -> None:
    with pytest.raises(ValueError, match="one class"):
        fit_fusion([([], 0), ([], 0)], checker.fusion, checker.rules)
