"""Figures of an evaluation: per detector precision/recall/F1 at the medium and high levels, ROC-AUC,
Brier score and calibration; per campaign the share of its personas found. Uses falsefriends.metrics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from falsefriends.check import Checker
from falsefriends.evaluate.detectors import Detector, Scored, registered
from falsefriends.evaluate.world import EvalWorld
from falsefriends.metrics import brier, calibration_bins, counts_at, roc_auc


def _at(labels: list[int], scores: list[float], threshold: float) -> dict[str, Any]:
    c = counts_at(labels, scores, threshold)
    return {"threshold": threshold, "tp": c.tp, "fp": c.fp, "tn": c.tn, "fn": c.fn,
            "precision": c.precision, "recall": c.recall, "f1": c.f1}


def figures(scored: Sequence[Scored], checker: Checker) -> dict[str, Any]:
    labels = [s.label for s in scored]
    scores = [s.score for s in scored]
    thresholds = checker.fusion.thresholds
    return {
        "n": len(scored),
        "positives": sum(labels),
        "medium": _at(labels, scores, thresholds.medium),
        "high": _at(labels, scores, thresholds.high),
        "roc_auc": roc_auc(labels, scores) if scored else None,
        "brier": brier(labels, scores) if scored else None,
        "calibration": [vars(b) for b in calibration_bins(labels, scores)],
    }


def evaluate(world: EvalWorld, checker: Checker | None = None,
             detectors: Sequence[Detector] | None = None) -> dict[str, Any]:
    """Run every detector over the world and compare with its truth."""
    checker = checker or Checker()
    results: dict[str, Any] = {}
    by_account: dict[str, dict[str, Scored]] = defaultdict(dict)
    chosen = list(detectors) if detectors is not None else registered()
    for detector in chosen:
        scored = list(detector.run(world, checker))
        results[detector.name] = {"unit": detector.unit, "description": detector.description,
                                  **figures(scored, checker)}
        if detector.unit == "account":
            for s in scored:
                by_account[s.subject][detector.name] = s
    # Overall: an outside account is as suspicious as the strongest account-level detector says.
    overall = [max(per.values(), key=lambda s: s.score) for _, per in sorted(by_account.items())]
    overall_figures = figures(overall, checker)
    medium = checker.fusion.thresholds.medium
    campaigns = _campaigns(world, checker, [d for d in chosen if d.unit == "account"], medium)
    return {
        "world": {"kind": world.kind, "size": world.size, "unit": world.unit, "seed": world.seed},
        "fusion": {"version": checker.fusion.version, "medium": medium, "high": checker.fusion.thresholds.high},
        "detectors": results,
        "overall": {"unit": "account", "description": "max score of the account-level detectors",
                    **overall_figures},
        "campaigns": campaigns,
        "notes": world.notes,
    }


def _campaigns(world: EvalWorld, checker: Checker, account_detectors: Sequence[Detector],
               medium: float) -> dict[str, Any]:
    """Per campaign, the share of its personas whose overall score reaches medium.

    Scored over every persona the data shows (`world.personas`), even where the account figures
    above come from a sample: this is a recall figure, so it needs all the positives.
    """
    personas_only = replace(world, messages=[], conversations=[], accounts=world.personas)
    best: dict[str, float] = {}
    for detector in account_detectors:
        for s in detector.run(personas_only, checker):
            best[s.subject] = max(best.get(s.subject, 0.0), s.score)
    result = {}
    for campaign, personas in sorted(world.campaigns.items()):
        present = [p for p in personas if p in best]
        found = sum(1 for p in present if best[p] >= medium)
        result[campaign] = {"personas": len(personas), "evaluated": len(present), "found_at_medium": found,
                            "share_found": found / len(present) if present else None}
    return result
