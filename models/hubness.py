"""Hubness correction of the joint space: photos that sit close to every text lose their head start.

In a cross-modal space some photos (hubs) are near a great many texts and come up for queries they do
not match, pushing the right photo down. Each photo's hubness is the mean similarity to its `neighbours`
nearest texts in a bank of the catalogue's training texts (titles and captions, as the text head
projects them); a text query's similarity to the photo is lowered by `weight` x that hubness. This is
the image side of CSLS (Conneau et al., 2018) and of query-bank normalisation (Bogolin et al., 2022);
the query's own side is the same for every photo, so it changes no ranking and is left out. Only
training items' texts are in the bank, so evaluation never sees its test items there; the evaluation
report's choices give the validation figures that chose the settings.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from models.heads import SavedModule

BATCH = 1024  # photos per matrix product: (1024, bank) floats, ~37 MB for a 9k-text bank


class HubnessCorrection(SavedModule):
    """Bank of projected training texts; `penalty` of photos' joint vectors, to subtract from similarities."""

    config_keys = ("size", "dim", "neighbours", "weight")

    def __init__(self, size: int, dim: int, neighbours: int = 20, weight: float = 1.0) -> None:
        super().__init__()
        self.size, self.dim, self.neighbours, self.weight = size, dim, neighbours, weight
        self.register_buffer("texts", torch.zeros(size, dim))

    @classmethod
    def from_texts(cls, projected: np.ndarray, **settings: float) -> HubnessCorrection:
        """`projected`: (N, dim) the text head's unit vectors of the training texts."""
        module = cls(len(projected), projected.shape[1], **settings)
        with torch.no_grad():
            module.texts.copy_(nn.functional.normalize(torch.as_tensor(projected, dtype=torch.float32), dim=-1))
        return module.eval()

    def penalty(self, photos: np.ndarray) -> np.ndarray:
        """(N,) float32: `weight` x the mean similarity of each joint vector to its nearest bank texts."""
        out = np.zeros(len(photos), np.float32)
        k = min(self.neighbours, self.size)
        with torch.inference_mode():
            for start in range(0, len(photos), BATCH):
                batch = nn.functional.normalize(torch.as_tensor(photos[start : start + BATCH]), dim=-1)
                nearest = (batch @ self.texts.T).topk(k, dim=1).values
                out[start : start + BATCH] = self.weight * nearest.mean(dim=1).numpy()
        return out
