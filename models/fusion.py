"""Fusing a shopper's photo with stated changes ("this, but in red") into one joint-space query.

Two interchangeable fusions of a photo vector and a text vector, both already in the joint space:
- ``WeightedFusion``: normalise(w * photo + (1 - w) * text), no training;
- ``LearnedFusion``: a combiner in the manner of composed image retrieval (CLIP4Cir's Combiner):
  a gated mix of the two inputs plus an MLP over their concatenation, trained on triplets
  (reference photo, modifier text) -> target item that the catalogue generates by itself.
"""

from __future__ import annotations

import torch
from torch import nn

from models.heads import SavedModule


class WeightedFusion:
    name = "weighted"

    def __init__(self, image_weight: float = 0.5) -> None:
        self.image_weight = image_weight

    def __call__(self, image: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        mixed = self.image_weight * image + (1.0 - self.image_weight) * text
        return nn.functional.normalize(mixed, dim=-1)


class LearnedFusion(SavedModule):
    name = "learned"
    config_keys = ("dim", "hidden_dim")

    def __init__(self, dim: int, hidden_dim: int = 512) -> None:
        super().__init__()
        self.dim, self.hidden_dim = dim, hidden_dim
        self.mlp = nn.Sequential(nn.Linear(2 * dim, hidden_dim), nn.GELU(), nn.Dropout(0.1), nn.Linear(hidden_dim, dim))
        self.gate = nn.Sequential(nn.Linear(2 * dim, hidden_dim), nn.GELU(), nn.Linear(hidden_dim, 1), nn.Sigmoid())

    def forward(self, image: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        both = torch.cat([image, text], dim=-1)
        gate = self.gate(both)
        return nn.functional.normalize(gate * image + (1 - gate) * text + self.mlp(both), dim=-1)

    def __call__(self, image: torch.Tensor, text: torch.Tensor) -> torch.Tensor:  # typed for callers
        return super().__call__(image, text)
