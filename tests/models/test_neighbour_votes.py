"""Category votes of a photo's nearest labelled catalogue photos, mixed with the attribute head."""

from __future__ import annotations

import numpy as np
import pytest

from models.neighbour_votes import TEMPERATURE, mix, nearest, vote_distribution

CLASSES = ["shirts", "dresses", "jeans"]


def test_closer_neighbours_weigh_more():
    votes = vote_distribution(np.array([[0.9, 0.8, 0.8]]), [["dresses", "shirts", "shirts"]], CLASSES)
    expected_dress = 1 / (1 + 2 * np.exp(-0.1 / TEMPERATURE))
    assert votes[0] == pytest.approx([1 - expected_dress, expected_dress, 0.0], abs=1e-5)
    assert votes[0].sum() == pytest.approx(1.0)


def test_neighbours_without_a_known_category_do_not_vote():
    votes = vote_distribution(np.array([[0.9, 0.5], [0.9, 0.8]]), [[None, "jeans"], ["hats", None]], CLASSES)
    assert votes[0] == pytest.approx([0.0, 0.0, 1.0])
    assert votes[1] == pytest.approx([0.0, 0.0, 0.0])


def test_a_photo_without_votes_keeps_the_heads_reading():
    head = np.array([[0.7, 0.2, 0.1], [0.7, 0.2, 0.1]], np.float32)
    votes = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]], np.float32)
    mixed = mix(head, votes)
    assert mixed[0] == pytest.approx([0.35, 0.6, 0.05])
    assert mixed[1] == pytest.approx(head[1])


def test_nearest_finds_the_most_similar_rows():
    bank = np.eye(4, dtype=np.float32)
    query = np.array([[0.1, 0.9, 0.0, 0.4]], np.float32)
    top, similarities = nearest(query, bank, k=2)
    assert sorted(top[0].tolist()) == [1, 3]
    assert sorted(similarities[0].tolist()) == pytest.approx([0.4, 0.9])
    assert nearest(query, bank, k=10)[0].shape == (1, 4)
