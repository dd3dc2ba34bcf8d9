"""The interface between the assistant and its model: vectors per named embedding space.

The store keeps one Chroma collection per space; ranking weighs the similarities of each space.
``FrozenTowersEncoder`` is the baseline: a text tower over titles ("text" space, queried with the
shopper's words) and the image tower ("image" space, queried with the shopper's photo). The
trained multimodal model (``models.trained_encoder``) adds a "joint" space behind the same two methods.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image

from models.image_tower import ImageTower
from models.text_tower import TextTower, load_text_tower

log = logging.getLogger(__name__)


class GarmentEncoder(Protocol):
    """Encoders subclass it explicitly to inherit `read_photo` for models without attribute heads."""

    name: str
    spaces: dict[str, int]

    def item_vectors(self, texts: Sequence[str], images: Sequence[Image.Image] | None) -> dict[str, np.ndarray]:
        """Vectors of catalogue items per space; image spaces are absent when `images` is None."""
        ...

    def query_vectors(self, text: str | None, image: Image.Image | None) -> dict[str, np.ndarray]:
        """One vector per space that the given query parts reach."""
        ...

    def read_photo(self, image: Image.Image) -> tuple[dict[str, np.ndarray], dict | None]:
        """A shopper's photo as query vectors and, from models with attribute heads, what they read off
        it (see `TrainedEncoder.describe`); None here, so the caller describes the photo another way."""
        return self.query_vectors(None, image), None

    def read_items(
        self, texts: Sequence[str], images: Sequence[Image.Image]
    ) -> tuple[dict[str, np.ndarray], list[dict] | None]:
        """`item_vectors` of items with photos and, from models with attribute heads, what each photo
        shows (as `read_photo` says it); None here. Ingest fills a feed's missing attributes from it."""
        return self.item_vectors(texts, images), None

    def hubness(self, vectors: dict[str, np.ndarray]) -> np.ndarray | None:
        """Per item of `item_vectors`, what words' similarity to its photo loses in the rank (see
        models.hubness); None here, for models without a hubness correction."""
        return None


class FrozenTowersEncoder(GarmentEncoder):
    def __init__(self, text_tower: TextTower, image_tower: ImageTower) -> None:
        self.text_tower = text_tower
        self.image_tower = image_tower
        self.name = f"{text_tower.name}+{image_tower.name}"
        self.spaces = {"text": text_tower.dim, "image": image_tower.dim}

    def item_vectors(self, texts: Sequence[str], images: Sequence[Image.Image] | None) -> dict[str, np.ndarray]:
        vectors = {"text": self.text_tower.embed(texts, kind="passage")}
        if images is not None:
            vectors["image"] = self.image_tower.embed(images)
        return vectors

    def query_vectors(self, text: str | None, image: Image.Image | None) -> dict[str, np.ndarray]:
        vectors: dict[str, np.ndarray] = {}
        if text and text.strip():
            vectors["text"] = self.text_tower.embed([text], kind="query")[0]
        if image is not None:
            vectors["image"] = self.image_tower.embed([image])[0]
        return vectors


def load_encoder(text_tower: str = "use", num_threads: int = 2, checkpoint: str | Path | None = None) -> GarmentEncoder:
    """The trained encoder (spaces text, image, joint) when a checkpoint for this text tower exists at
    `checkpoint` (default: the `joint_model_dir` setting, var/models/joint), else the frozen towers, so
    that a fresh clone works before `shopguide model train`."""
    from models.joint import CheckpointMismatch, checkpoint_exists, checkpoint_text_tower
    from shopguide.settings import get_settings

    settings = get_settings()
    checkpoint = checkpoint if checkpoint is not None else settings.joint_model_path
    if settings.hub_model:
        from models.hub_clip import HubClipEncoder

        return HubClipEncoder(settings.hub_model, num_threads, local_only=not settings.hub_download)
    text = load_text_tower(text_tower, num_threads)
    image = ImageTower(num_threads=num_threads)
    if checkpoint_exists(checkpoint):
        if checkpoint_text_tower(checkpoint) != text_tower:
            log.warning("encoder.checkpoint_skipped path=%s reason=other text tower", checkpoint)
        else:
            from models.trained_encoder import TrainedEncoder

            try:
                encoder = TrainedEncoder.load(checkpoint, text, image)
                if settings.fusion != "checkpoint":
                    encoder.model.fusion_mode = settings.fusion
                return encoder
            except CheckpointMismatch as error:
                log.warning("encoder.checkpoint_skipped path=%s reason=%s", checkpoint, error)
    return FrozenTowersEncoder(text, image)
