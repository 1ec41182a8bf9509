from __future__ import annotations

import pytest

from falsefriends.metrics import brier, calibration_bins, counts_at, roc_auc


def test_roc_auc_perfect_inverse_and_ties() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert roc_auc([1, 1], [0.5, 0.7]) is None


def test_roc_auc_matches_pair_count() -> None:
    labels = [1, 0, 1, 0, 0, 1]
    scores = [0.9, 0.4, 0.4, 0.1, 0.6, 0.7]
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    expected = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))
    assert roc_auc(labels, scores) == pytest.approx(expected)


def test_counts_brier_and_calibration() -> None:
    counts = counts_at([1, 0, 1, 0], [0.9, 0.8, 0.1, 0.0], threshold=0.5)
    assert (counts.tp, counts.fp, counts.tn, counts.fn) == (1, 1, 1, 1)
    assert counts.precision == 0.5 and counts.recall == 0.5 and counts.f1 == 0.5
    assert brier([1, 0], [1.0, 0.0]) == 0.0
    assert brier([1, 0], [0.0, 1.0]) == 1.0
    table = calibration_bins([1, 0, 1], [0.95, 0.05, 1.0], bins=2)
    assert [(b.count, b.positive_rate) for b in table] == [(1, 0.0), (2, 1.0)]


def test_mismatched_lengths_are_an_error() -> None:
    with pytest.raises(ValueError, match="2 labels but 1 scores"):
        roc_auc([0, 1], [0.3])
