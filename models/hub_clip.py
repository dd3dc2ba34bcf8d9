"""A CLIP-style model from the Hugging Face hub (e.g. ``patrickjohncyh/fashion-clip``) behind GarmentEncoder.

For users with internet access or a local copy; the default assistant never downloads. Everything
lives in one "joint" space: an item's vector is its photo's embedding (its text's when it has no
photo), a query's is its text, its photo, or their normalised weighted sum. ``transformers`` is an
optional dependency (``pip install 'shopguide[hub]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps

from models.encoder import GarmentEncoder
from models.image_tower import to_rgb


def _normalise(vectors: torch.Tensor) -> np.ndarray:
    return torch.nn.functional.normalize(vectors.float(), dim=-1).numpy()


class HubClipEncoder(GarmentEncoder):
    def __init__(
        self, name_or_path: str | Path, num_threads: int = 2, local_only: bool = True, image_weight: float = 0.5
    ) -> None:
        """Raises OSError if the model is neither a local folder nor (with `local_only=False`) downloadable."""
        from transformers import CLIPModel, CLIPProcessor

        torch.set_num_threads(num_threads)
        self.model = CLIPModel.from_pretrained(str(name_or_path), local_files_only=local_only).eval()
        self.processor = CLIPProcessor.from_pretrained(str(name_or_path), local_files_only=local_only)
        self.image_weight = image_weight
        self.name = f"hub-clip:{Path(str(name_or_path)).name}"
        self.spaces = {"joint": int(self.model.config.projection_dim)}

    def _text(self, texts: Sequence[str]) -> np.ndarray:
        inputs = self.processor(text=list(texts), return_tensors="pt", padding=True, truncation=True)
        with torch.inference_mode():
            output = self.model.get_text_features(**inputs)
        return _normalise(getattr(output, "pooler_output", output))

    def _images(self, images: Sequence[Image.Image]) -> np.ndarray:
        images = [to_rgb(ImageOps.exif_transpose(image)) for image in images]
        inputs = self.processor(images=images, return_tensors="pt")
        with torch.inference_mode():
            output = self.model.get_image_features(**inputs)
        return _normalise(getattr(output, "pooler_output", output))

    def item_vectors(self, texts: Sequence[str], images: Sequence[Image.Image] | None) -> dict[str, np.ndarray]:
        if images is not None:
            return {"joint": self._images(images)}
        return {"joint": self._text(texts)}

    def query_vectors(self, text: str | None, image: Image.Image | None) -> dict[str, np.ndarray]:
        parts = []
        if text and text.strip():
            parts.append((1.0 - self.image_weight if image is not None else 1.0, self._text([text])[0]))
        if image is not None:
            parts.append((self.image_weight if parts else 1.0, self._images([image])[0]))
        if not parts:
            return {}
        mixed = sum(weight * vector for weight, vector in parts)
        return {"joint": (mixed / max(float(np.linalg.norm(mixed)), 1e-12)).astype(np.float32)}
