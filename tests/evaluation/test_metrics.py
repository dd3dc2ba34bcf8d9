"""Metrics count ties fairly: a method with constant scores is exactly as good as random."""

from __future__ import annotations

import numpy as np

from shopguide.evaluation.metrics import hit_at_k, precision_at_k, rank_metrics


def test_perfect_and_tied_rankings():
    perfect = rank_metrics(np.eye(20), np.arange(20))
    assert perfect == {"R@1": 1.0, "R@10": 1.0, "MRR": 1.0}
    tied = rank_metrics(np.zeros((20, 20)), np.arange(20))
    assert np.isclose(tied["R@1"], 1 / 20) and np.isclose(tied["R@10"], 10 / 20)
    assert np.isclose(tied["MRR"], np.mean(1 / np.arange(1, 21)))


def test_precision_and_hits_with_ties():
    relevant = np.zeros((1, 40), dtype=bool)
    relevant[0, :4] = True
    assert np.isclose(precision_at_k(np.zeros((1, 40)), relevant)[0], 0.1)
    scores = np.zeros((1, 40))
    scores[0, :4] = 1.0
    assert np.isclose(precision_at_k(scores, relevant)[0], 0.4) and hit_at_k(scores, relevant)[0] == 1.0
