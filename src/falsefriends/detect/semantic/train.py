"""Train the semantic head on labelled messages: L2 logistic regression, C chosen by grouped CV.

Stage 1 learns the weights on message vectors; stage 2 (`fit_stage2`) learns how much the message
vector, the most hostile-reading sentence and the nearest training messages count, on stage-1 scores
and neighbour scores of messages those did not see.

scikit-learn is imported here only, so checking a message never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from falsefriends.detect.semantic.encoder import ENCODER_ID
from falsefriends.detect.semantic.head import SemanticHead

C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def group_folds(labels: Sequence[int], groups: Sequence[str], folds: int, seed: int) -> list[np.ndarray]:
    """Test-index arrays of `folds` folds; a group never spans two folds; labels stratified."""
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray(labels)
    pairs = set(zip(groups, labels, strict=True))
    per_label = {label: sum(1 for _, lab in pairs if lab == label) for label in set(labels)}
    n_folds = min(folds, *per_label.values()) if per_label else 0
    if n_folds < 2 or len(per_label) < 2:
        raise ValueError(f"grouped folds need at least two groups of each label; the data has {per_label} "
                         "(groups per label)")
    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return [test for _, test in splitter.split(np.zeros(len(y)), y, np.asarray(groups))]


def _fit(x: np.ndarray, y: np.ndarray, c: float, weights: np.ndarray | None) -> Any:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, y, sample_weight=weights)
    return model


def choose_c(x: np.ndarray, y: np.ndarray, groups: Sequence[str], seed: int,
             weights: np.ndarray | None = None, folds: int = 4) -> float:
    """The C of C_GRID with the lowest held-out log-loss over grouped folds of the data given."""
    if len(set(groups)) < 2 or len(set(y.tolist())) < 2:
        return 1.0
    losses = {c: 0.0 for c in C_GRID}
    for test in group_folds(y.tolist(), groups, folds, seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        if len(set(y[train].tolist())) < 2:
            continue
        for c in C_GRID:
            model = _fit(x[train], y[train], c, None if weights is None else weights[train])
            p = np.clip(model.predict_proba(x[test])[:, 1], 1e-6, 1 - 1e-6)
            losses[c] += float(-(y[test] * np.log(p) + (1 - y[test]) * np.log(1 - p)).sum())
    return min(C_GRID, key=lambda c: (losses[c], c))


STAGE2_C = 1.0  # a mild L2 penalty for stage 2's three weights, on standardised features (fixed, never tuned)


def fit_stage2(features: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Bias and weights of a logistic regression on out-of-fold stage-2 features (one column each).

    The features are standardised before the fit, so the penalty weighs each the same whatever its
    scale (a neighbour score spans a few hundredths, a stage-1 score several units), and the weights
    are returned on the features' own scale.
    """
    if len(set(y.tolist())) < 2:
        raise ValueError("stage 2 needs both hostile and genuine messages")
    x = np.asarray(features, dtype=np.float64)
    centre, spread = x.mean(axis=0), x.std(axis=0)
    spread = np.where(spread > 1e-12, spread, 1.0)
    model = _fit((x - centre) / spread, y, STAGE2_C, None)
    weights = np.asarray(model.coef_[0], dtype=np.float64) / spread
    return float(model.intercept_[0] - weights @ centre), weights


def train_head(x: np.ndarray, y: np.ndarray, groups: Sequence[str], *, seed: int = 0,
               weights: np.ndarray | None = None, c: float | None = None,
               trained_on: dict[str, Any] | None = None) -> SemanticHead:
    """Fit the head on mean sentence vectors `x` with labels `y` (C by grouped CV unless given)."""
    if len(set(y.tolist())) < 2:
        raise ValueError("training needs both hostile and genuine messages")
    chosen = c if c is not None else choose_c(x, y, groups, seed, weights)
    model = _fit(x, y, chosen, weights)
    info = dict(trained_on or {})
    info["C"] = chosen
    return SemanticHead(encoder=ENCODER_ID, coef=np.asarray(model.coef_[0], dtype=np.float32),
                        bias=float(model.intercept_[0]), trained_on=info)
