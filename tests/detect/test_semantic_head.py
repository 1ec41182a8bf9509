"""The head's two stages: the message vector, its most hostile-reading sentence and its nearest training
messages, with exact shares."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from falsefriends.detect.semantic.encoder import DIMENSIONS
from falsefriends.detect.semantic.head import SemanticHead, head_from_json, reference_vectors
from falsefriends.detect.semantic.train import fit_stage2


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


def test_the_pooling_is_learnt_from_out_of_fold_scores() -> None:
    rng = np.random.default_rng(0)
    y = np.array([0] * 60 + [1] * 60)
    top = np.where(y == 1, 2.0, -1.0) + rng.normal(0, 0.5, 120)  # only the top sentence separates them
    mean = rng.normal(0, 1.0, 120)
    _, (mean_weight, max_weight) = fit_stage2(np.column_stack([mean, top]), y)
    assert max_weight > 1.0 and abs(mean_weight) < max_weight / 3


def _neighbour_head(weight: float = 2.0) -> SemanticHead:
    hostile = np.vstack([_unit(5), _unit(5, 6), _unit(7)])  # two kinds of hostile message
    genuine = np.vstack([_unit(8), _unit(8, 9), _unit(9), _unit(10)])
    return replace(_head(mean_weight=0.8, max_weight=0.3), neighbour_weight=weight, neighbours=2,
                   hostile_refs=reference_vectors(hostile), genuine_refs=reference_vectors(genuine))


def test_the_neighbour_term_keeps_the_shares_exact_and_reads_closeness_to_hostile_messages() -> None:
    head = _neighbour_head()
    sentences = np.vstack([_unit(1), _unit(5), _unit(2)])
    total = sentences.sum(axis=0)
    message = total / np.linalg.norm(total)
    assert head.hostile_refs is not None and head.genuine_refs is not None
    hostile_near = head.hostile_refs[[0, 1]].astype(np.float64).mean(axis=0)  # the two nearest of each class
    genuine_near = head.genuine_refs[[0, 1]].astype(np.float64).mean(axis=0)
    neighbour = float(message @ hostile_near - message @ genuine_near)
    assert head.neighbour_score(message) == pytest.approx(neighbour, abs=1e-6)
    without = replace(head, neighbour_weight=0.0)
    assert head.logit(sentences) == pytest.approx(without.logit(sentences) + 2.0 * neighbour, abs=1e-5)
    shares = head.shares(sentences)
    assert head.bias + float(shares.sum()) == pytest.approx(head.logit(sentences), abs=1e-9)
    assert int(np.argmax(shares - without.shares(sentences))) == 1  # the sentence near hostile messages
    near_genuine = np.vstack([_unit(1), _unit(8), _unit(2)])
    assert head.logit(near_genuine) < without.logit(near_genuine)


def test_the_neighbours_round_trip_through_json_as_float16_and_older_heads_have_none() -> None:
    head = _neighbour_head()
    data = json.loads(json.dumps(head.as_json()))
    back = head_from_json(data)
    assert back.neighbours == 2 and back.neighbour_weight == pytest.approx(2.0)
    assert back.hostile_refs is not None and back.hostile_refs.dtype == np.float16
    assert head.hostile_refs is not None and head.genuine_refs is not None and back.genuine_refs is not None
    assert np.array_equal(back.hostile_refs, head.hostile_refs)
    assert np.array_equal(back.genuine_refs, head.genuine_refs)
    sentences = np.vstack([_unit(5, 1), _unit(3)])
    assert back.logit(sentences) == pytest.approx(head.logit(sentences), abs=1e-6)
    del data["neighbours"]
    v2 = head_from_json(data)
    assert not v2.has_neighbours and "neighbours" not in v2.as_json()
    with pytest.raises(ValueError, match="reference vectors"):
        replace(head, hostile_refs=np.zeros((3, 7), dtype=np.float16))


def test_stage_two_standardises_so_a_small_scale_feature_is_not_penalised_away() -> None:
    rng = np.random.default_rng(1)
    y = np.array([0] * 200 + [1] * 200)
    small = np.where(y == 1, 0.02, -0.02) + rng.normal(0, 0.01, 400)  # separates, on a scale of hundredths
    noise = rng.normal(0, 3.0, 400)
    bias, weights = fit_stage2(np.column_stack([noise, small]), y)
    assert weights[1] > 50 and abs(weights[0]) < 0.5
    logits = bias + np.column_stack([noise, small]) @ weights
    assert float(np.mean((logits > 0) == (y == 1))) > 0.9
    with pytest.raises(ValueError, match="both"):
        fit_stage2(np.column_stack([noise, small]), np.zeros(400, dtype=int))
