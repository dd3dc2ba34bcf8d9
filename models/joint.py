"""The trained checkpoint: projection heads, attribute heads and fusion, saved in one folder.

Layout of the folder (default ``var/models/joint/``)::

    checkpoint.json            towers (name + version), dims, fusion choice, training record
    image_head/ text_head/     ProjectionHead (config.json + model.safetensors)
    attributes/                AttributeHeads
    fusion/                    LearnedFusion
    expansion/                 NeighbourExpansion (absent in checkpoints trained without it)
    hubness/                   HubnessCorrection (likewise)

The tower names recorded here must match the towers loaded at run time: a checkpoint trained on
other features would give meaningless vectors, so :meth:`JointModel.load` refuses it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from models.expansion import NeighbourExpansion
from models.fusion import LearnedFusion, WeightedFusion
from models.heads import AttributeHeads, ProjectionHead, small_inference
from models.hubness import HubnessCorrection

CHECKPOINT_FILE = "checkpoint.json"


class CheckpointMismatch(ValueError):
    """The checkpoint was trained on other towers than the ones loaded."""


@dataclass
class JointModel:
    image_head: ProjectionHead
    text_head: ProjectionHead
    attributes: AttributeHeads
    fusion: LearnedFusion
    image_tower: str
    text_tower: str
    text_tower_key: str
    fusion_mode: str = "learned"
    fusion_image_weight: float = 0.5
    record: dict[str, Any] = field(default_factory=dict)
    expansion: NeighbourExpansion | None = None
    hubness: HubnessCorrection | None = None

    @property
    def dim(self) -> int:
        return self.image_head.out_dim

    def project_images(self, features: np.ndarray) -> np.ndarray:
        with small_inference():
            return self.image_head(torch.as_tensor(features, dtype=torch.float32)).numpy()

    def project_texts(self, features: np.ndarray) -> np.ndarray:
        with small_inference():
            return self.text_head(torch.as_tensor(features, dtype=torch.float32)).numpy()

    def project_queries(self, features: np.ndarray) -> np.ndarray:
        """A shopper's words on their own: projected, then expanded through the training items when the
        checkpoint has them. Modifiers fused with a photo stay plain projections, as the fusion learnt them."""
        with small_inference():
            words = torch.as_tensor(features, dtype=torch.float32)
            projected = self.text_head(words)
            return (projected if self.expansion is None else self.expansion(words, projected)).numpy()

    def hubness_penalty(self, photos: np.ndarray) -> np.ndarray:
        """(N,): what to subtract from words' similarity to these joint vectors of photos (0 without a
        correction in the checkpoint); see models.hubness."""
        if self.hubness is None:
            return np.zeros(len(photos), np.float32)
        with small_inference():
            return self.hubness.penalty(np.asarray(photos, dtype=np.float32))

    def fuse(self, image: np.ndarray, text: np.ndarray, mode: str | None = None) -> np.ndarray:
        """Joint-space query from a projected photo and projected words ("this, but in red")."""
        mode = mode or self.fusion_mode
        fusion = self.fusion if mode == "learned" else WeightedFusion(self.fusion_image_weight)
        with small_inference():
            return fusion(torch.as_tensor(image), torch.as_tensor(text)).numpy()

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        for name in ("image_head", "text_head", "attributes", "fusion"):
            getattr(self, name).save(folder / name)
        for name in ("expansion", "hubness"):
            if getattr(self, name) is not None:
                getattr(self, name).save(folder / name)
        meta = {
            "image_tower": self.image_tower,
            "text_tower": self.text_tower,
            "text_tower_key": self.text_tower_key,
            "fusion_mode": self.fusion_mode,
            "fusion_image_weight": self.fusion_image_weight,
            "record": self.record,
        }
        (folder / CHECKPOINT_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False))

    @classmethod
    def load(cls, folder: str | Path, image_tower: str | None = None, text_tower: str | None = None) -> JointModel:
        """Raises FileNotFoundError if there is no checkpoint, CheckpointMismatch for other towers."""
        folder = Path(folder)
        meta = json.loads((folder / CHECKPOINT_FILE).read_text())
        for expected, key in ((image_tower, "image_tower"), (text_tower, "text_tower")):
            if expected is not None and expected != meta[key]:
                raise CheckpointMismatch(f"checkpoint {folder} was trained with {meta[key]}, not {expected}")
        return cls(
            image_head=ProjectionHead.load(folder / "image_head"),
            text_head=ProjectionHead.load(folder / "text_head"),
            attributes=AttributeHeads.load(folder / "attributes"),
            fusion=LearnedFusion.load(folder / "fusion"),
            expansion=NeighbourExpansion.load(folder / "expansion") if (folder / "expansion").is_dir() else None,
            hubness=HubnessCorrection.load(folder / "hubness") if (folder / "hubness").is_dir() else None,
            **meta,
        )


def checkpoint_exists(folder: str | Path) -> bool:
    return (Path(folder) / CHECKPOINT_FILE).is_file()


def checkpoint_text_tower(folder: str | Path) -> str | None:
    """The text tower setting ('use', 'e5'...) a checkpoint was trained with, or None without one."""
    path = Path(folder) / CHECKPOINT_FILE
    return json.loads(path.read_text()).get("text_tower_key") if path.is_file() else None
