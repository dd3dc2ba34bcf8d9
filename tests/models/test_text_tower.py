"""The packaged text towers: unit vectors, empty input, multilingual neighbours."""

from __future__ import annotations

import numpy as np
import pytest

from models.text_tower import load_text_tower


@pytest.mark.parametrize("name", ["use", "e5"])
def test_towers_embed_unit_vectors_and_relate_languages(name):
    tower = load_text_tower(name)
    vectors = tower.embed(["red summer dress", "红色连衣裙", "black leather boots"])
    assert vectors.shape == (3, tower.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[1] @ vectors[2], "the Chinese dress is nearer the English dress"
    assert tower.embed([]).shape == (0, tower.dim)
    assert "@" in tower.name


def test_unknown_tower_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown text tower"):
        load_text_tower("clip-xl")
