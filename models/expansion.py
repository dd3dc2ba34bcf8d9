"""Shoppers' words expanded through the catalogue's training items: words -> the items whose titles read
most like them -> the joint vectors of those items' photos, added to the projected words.

The text head learns one map from words into the joint space; the training items also say, item by
item, what a photo looks like when its title reads like this (pseudo-relevance feedback through the
catalogue's own pairs). Only training items are in the bank, so evaluation never sees its test items
there. The evaluation report's choices give the validation figures that chose the settings.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from models.heads import SavedModule


class NeighbourExpansion(SavedModule):
    """Bank of (title's text tower vector, photo's joint vector) pairs; `forward` expands projected words."""

    config_keys = ("size", "text_dim", "dim", "neighbours", "temperature", "weight")

    def __init__(
        self, size: int, text_dim: int, dim: int, neighbours: int = 50, temperature: float = 0.02, weight: float = 0.3
    ) -> None:
        super().__init__()
        self.size, self.text_dim, self.dim = size, text_dim, dim
        self.neighbours, self.temperature, self.weight = neighbours, temperature, weight
        self.register_buffer("keys", torch.zeros(size, text_dim))
        self.register_buffer("values", torch.zeros(size, dim))

    @classmethod
    def from_pairs(cls, titles: np.ndarray, photos: np.ndarray, **settings: float) -> NeighbourExpansion:
        """`titles`: (N, text_dim) text tower vectors of the items' titles; `photos`: (N, dim) joint vectors."""
        module = cls(len(titles), titles.shape[1], photos.shape[1], **settings)
        with torch.no_grad():
            module.keys.copy_(nn.functional.normalize(torch.as_tensor(titles, dtype=torch.float32), dim=-1))
            module.values.copy_(torch.as_tensor(photos, dtype=torch.float32))
        return module.eval()

    def forward(self, words: torch.Tensor, projected: torch.Tensor) -> torch.Tensor:
        """`words`: text tower vectors; `projected`: the text head's unit vectors of the same words."""
        # (keys @ words.T).T reads the bank row by row: quicker than words @ keys.T on one thread (0.4 vs 1.1 ms)
        similarity = (self.keys @ nn.functional.normalize(words, dim=-1).T).T
        nearest = similarity.topk(min(self.neighbours, self.size), dim=1)
        weights = (nearest.values / self.temperature).softmax(dim=1)
        prototype = (weights.unsqueeze(-1) * self.values[nearest.indices]).sum(dim=1)
        return nn.functional.normalize(projected + self.weight * prototype, dim=-1)
