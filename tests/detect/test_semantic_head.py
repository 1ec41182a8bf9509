"""The head's two stages: the message vector and its most hostile-reading sentence, with exact shares."""

from __future__ import annotations

import numpy as np
import pytest

from falsefriends.detect.semantic.encoder import DIMENSIONS
from falsefriends.detect.semantic.head import SemanticHead, head_from_json
from falsefriends.detect.semantic.train import fit_pooling


def _unit(*hot: int) -> np.ndarray:
    v = np.zeros(DIMENSIONS, dtype=np.float32)
    v[list(hot)] = 1.0
    return v / np.linalg.norm(v)


def _head(mean_weight: float = 1.0, max_weight: float = 0.0) -> SemanticHead:
    coef = np.zeros(DIMENSIONS, dtype=np.float32)
    coef[0], coef[1] = 4.0, -1.0  # dimension 0 reads hostile, 1 genuine
    return SemanticHead(encoder="use-multilingual-v3", coef=coef, bias=-2.0,
                        mean_weight=mean_weight, max_weight=max_weight)


def test_the_shares_add_up_to_the_log_odds_and_the_top_sentence_carries_the_second_term() -> None:
    head = _head(mean_weight=0.8, max_weight=0.5)
    sentences = np.vstack([_unit(1), _unit(1, 2), _unit(0), _unit(1)])
    shares = head.shares(sentences)
    total = sentences.sum(axis=0)
    expected = head.bias + 0.8 * float(head.coef @ (total / np.linalg.norm(total))) + 0.5 * 4.0
    assert head.logit(sentences) == pytest.approx(expected, abs=1e-5)
    assert head.bias + float(shares.sum()) == pytest.approx(expected, abs=1e-5)
    assert int(np.argmax(shares)) == 2  # the hostile sentence weighs most
    mean_only = _head(mean_weight=0.8).shares(sentences)
    assert shares[2] - mean_only[2] == pytest.approx(0.5 * 4.0, abs=1e-5)
    assert np.allclose(np.delete(shares, 2), np.delete(mean_only, 2))


def test_one_hostile_sentence_among_many_ordinary_ones_is_not_diluted() -> None:
    pooled, mean_only = _head(mean_weight=1.0, max_weight=1.0), _head()
    short = np.vstack([_unit(0)])
    long = np.vstack([_unit(0)] + [_unit(1, 3 + k) for k in range(8)])
    assert mean_only.logit(long) < mean_only.logit(short) - 2.0  # the mean dilutes it
    assert pooled.logit(long) - mean_only.logit(long) == pytest.approx(4.0, abs=1e-5)


def test_a_message_without_sentences_scores_the_bias_and_one_vector_is_one_sentence() -> None:
    head = _head(mean_weight=0.7, max_weight=0.4)
    assert head.logit(np.zeros((0, DIMENSIONS), dtype=np.float32)) == pytest.approx(head.bias)
    v = _unit(0, 1)
    assert head.logit(v) == pytest.approx(head.logit(v[None, :]), abs=1e-6)
    assert head.logit(v) == pytest.approx(head.bias + 1.1 * float(head.coef @ v), abs=1e-5)


def test_the_pooling_round_trips_through_json_and_an_older_head_reads_the_message_vector_only() -> None:
    head = _head(mean_weight=0.9, max_weight=0.3)
    back = head_from_json(head.as_json())
    assert (back.mean_weight, back.max_weight) == pytest.approx((0.9, 0.3))
    older = head.as_json()
    del older["pooling"]
    v1 = head_from_json(older)
    assert (v1.mean_weight, v1.max_weight) == (1.0, 0.0)


def test_the_pooling_is_learnt_from_scores_and_refuses_one_label() -> None:
    rng = np.random.default_rng(0)
    y = np.array([0] * 60 + [1] * 60)
    top = np.where(y == 1, 2.0, -1.0) + rng.normal(0, 0.5, 120)  # only the top sentence separates them
    mean = rng.normal(0, 1.0, 120)
    _, mean_weight, max_weight = fit_pooling(mean, top, y)
    assert max_weight > 1.0 and abs(mean_weight) < max_weight / 3
    with pytest.raises(ValueError, match="both"):
        fit_pooling(mean, top, np.zeros(120, dtype=int))
