"""Evaluation metrics for scored detections: ROC-AUC, Brier score, precision/recall/F1, calibration.

Written with the standard library so the evaluation needs no heavy dependency; each function
states its definition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BinaryCounts:
    """Confusion counts at one decision threshold."""

    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _check(labels: Sequence[int], scores: Sequence[float]) -> None:
    if len(labels) != len(scores):
        raise ValueError(f"{len(labels)} labels but {len(scores)} scores")
    if any(label not in (0, 1) for label in labels):
        raise ValueError("labels must be 0 or 1")


def counts_at(labels: Sequence[int], scores: Sequence[float], threshold: float) -> BinaryCounts:
    """Confusion counts when `score >= threshold` is called positive."""
    _check(labels, scores)
    tp = fp = tn = fn = 0
    for label, score in zip(labels, scores, strict=True):
        predicted = score >= threshold
        if predicted and label:
            tp += 1
        elif predicted:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    return BinaryCounts(tp, fp, tn, fn)


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half).

    None when only one class is present (the AUC is undefined).
    """
    _check(labels, scores)
    pairs = sorted(zip(scores, labels, strict=True))
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    # Mann-Whitney U with average ranks for ties.
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
            j += 1
        average_rank = (i + j) / 2 + 1
        rank_sum += average_rank * sum(label for _, label in pairs[i : j + 1])
        i = j + 1
    u = rank_sum - n_pos * (n_pos + 1) / 2
    return u / (n_pos * n_neg)


def brier(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """Mean squared difference between the probability and the outcome (0 is perfect)."""
    _check(labels, scores)
    if not labels:
        return None
    return sum((s - y) ** 2 for y, s in zip(labels, scores, strict=True)) / len(labels)


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    mean_score: float
    positive_rate: float


def calibration_bins(labels: Sequence[int], scores: Sequence[float], bins: int = 5) -> list[CalibrationBin]:
    """Reliability table: in each score bin, the mean predicted score beside the observed positive rate."""
    _check(labels, scores)
    table: list[CalibrationBin] = []
    for b in range(bins):
        lower, upper = b / bins, (b + 1) / bins
        members = [(y, s) for y, s in zip(labels, scores, strict=True)
                   if lower <= s < upper or (b == bins - 1 and s == 1.0)]
        if not members:
            continue
        table.append(CalibrationBin(lower, upper, len(members), sum(s for _, s in members) / len(members),
                                    sum(y for y, _ in members) / len(members)))
    return table
