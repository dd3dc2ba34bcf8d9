"""Retrieval metrics that count ties fairly: expected values under random tie-breaking.

A method with discrete scores (attribute classifiers, a colour histogram, random) must not be
flattered by "strictly better" ranks, nor punished by worst-case ones: an item tied with e others
after g strictly better ones is at each rank g+1..g+e with equal probability.
"""

from __future__ import annotations

import numpy as np

TIE_TOLERANCE = 1e-6


def _greater_and_equal(scores: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row, how many scores beat `values[row]` and how many tie with it (itself included)."""
    greater = (scores > values[:, None] + TIE_TOLERANCE).sum(1)
    equal = (np.abs(scores - values[:, None]) <= TIE_TOLERANCE).sum(1)
    return greater, np.maximum(equal, 1)


def rank_metrics(scores: np.ndarray, target: np.ndarray, ks: tuple[int, ...] = (1, 10)) -> dict[str, float]:
    """Recall@k and MRR of one relevant column `target[row]` per query row of `scores` (Q, N)."""
    values = scores[np.arange(len(target)), target]
    greater, equal = _greater_and_equal(scores, values)
    out = {f"R@{k}": float(np.mean(np.clip(k - greater, 0, equal) / equal)) for k in ks}
    reciprocal = [np.mean(1.0 / np.arange(g + 1, g + e + 1)) for g, e in zip(greater, equal, strict=True)]
    out["MRR"] = float(np.mean(reciprocal))
    return out


def top_k_probability(scores: np.ndarray, k: int) -> np.ndarray:
    """(Q, N): the probability that each item is in a query's top k under random tie-breaking."""
    k = min(k, scores.shape[1])
    kth = -np.partition(-scores, k - 1, axis=1)[:, k - 1 : k]
    above = scores > kth + TIE_TOLERANCE
    tied = np.abs(scores - kth) <= TIE_TOLERANCE
    slots = k - above.sum(1, keepdims=True)
    return above + tied * (slots / np.maximum(tied.sum(1, keepdims=True), 1))


def precision_at_k(scores: np.ndarray, relevant: np.ndarray, k: int = 10) -> np.ndarray:
    """Per query: expected share of relevant items (boolean (Q, N)) among the top k."""
    k = min(k, scores.shape[1])
    return (top_k_probability(scores, k) * relevant).sum(1) / k


def hit_at_k(scores: np.ndarray, relevant: np.ndarray, k: int = 10) -> np.ndarray:
    """Per query: probability that at least one relevant item is in the top k (ties: expected value,
    approximated by capping the expected count of relevant items at 1)."""
    return np.minimum((top_k_probability(scores, k) * relevant).sum(1), 1.0)
