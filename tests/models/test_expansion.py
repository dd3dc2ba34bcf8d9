"""Words expanded through training items: the nearest titles' photos pull the query, and the bank round-trips."""

from __future__ import annotations

import numpy as np
import torch

from models.expansion import NeighbourExpansion
from models.joint import JointModel


def _bank(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    titles = rng.normal(size=(30, 10)).astype(np.float32)
    photos = rng.normal(size=(30, 8)).astype(np.float32)
    return titles, photos / np.linalg.norm(photos, axis=1, keepdims=True)


def test_words_like_a_title_move_towards_that_items_photo():
    titles, photos = _bank(np.random.default_rng(0))
    expansion = NeighbourExpansion.from_pairs(titles, photos, neighbours=5, temperature=0.02, weight=0.5)
    words = torch.from_numpy(titles[7:8] * 3.0)  # the length of a tower vector does not matter
    projected = torch.nn.functional.normalize(torch.ones(1, 8), dim=-1)
    expanded = expansion(words, projected)
    assert torch.allclose(expanded.norm(dim=1), torch.ones(1))
    towards = float(expanded[0] @ torch.from_numpy(photos[7]))
    assert towards > float(projected[0] @ torch.from_numpy(photos[7]))


def test_joint_model_with_expansion_round_trips_and_projects_words_through_it(tmp_path, tiny_joint_model):
    titles, photos = _bank(np.random.default_rng(1))
    model = tiny_joint_model(expansion=NeighbourExpansion.from_pairs(titles, photos, neighbours=4))
    model.save(tmp_path / "joint")
    loaded = JointModel.load(tmp_path / "joint")
    words = titles[:3]
    assert np.allclose(model.project_queries(words), loaded.project_queries(words), atol=1e-6)
    assert not np.allclose(loaded.project_queries(words), loaded.project_texts(words))
    loaded.expansion = None  # a checkpoint trained without it: plain projections
    assert np.allclose(loaded.project_queries(words), loaded.project_texts(words))
