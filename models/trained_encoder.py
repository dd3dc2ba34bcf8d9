"""The trained multimodal encoder: the frozen spaces plus a "joint" space where words and photos meet.

Spaces:
- ``text``: the frozen text tower over titles (words -> titles);
- ``image``: the frozen image tower (photo -> photo; kept because projecting phone photos into the
  text-aligned space made photo search worse in a prototype);
- ``joint``: trained projections. An item's joint vector comes from its photo (from its text when it
  has none); a query's from its words, its photo, or both fused ("this, but in red").
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from models.captions import phrases
from models.encoder import GarmentEncoder
from models.features import image_features
from models.image_tower import ImageTower
from models.joint import JointModel
from models.text_tower import TextTower

WORDS_CACHE_SIZE = 2048  # queries' (tower, joint) vectors kept per process: ~6 MB


class TrainedEncoder(GarmentEncoder):
    def __init__(self, text_tower: TextTower, image_tower: ImageTower, model: JointModel) -> None:
        self.text_tower, self.image_tower, self.model = text_tower, image_tower, model
        # The checkpoint's fingerprint is in the name, so a retrained model re-embeds the catalogue.
        self.name = f"{text_tower.name}+{image_tower.name}+joint@{model.record.get('fingerprint', 'untracked')}"
        self.spaces = {"text": text_tower.dim, "image": image_tower.dim, "joint": model.dim}
        self._words = lru_cache(maxsize=WORDS_CACHE_SIZE)(self._embed_words)

    @classmethod
    def load(cls, folder: str | Path, text_tower: TextTower, image_tower: ImageTower) -> TrainedEncoder:
        """Raises FileNotFoundError without a checkpoint, CheckpointMismatch if it fits other towers."""
        model = JointModel.load(folder, image_tower.name, text_tower.name)
        model.record["fingerprint"] = checkpoint_fingerprint(folder)
        return cls(text_tower, image_tower, model)

    def item_vectors(self, texts: Sequence[str], images: Sequence[Image.Image] | None) -> dict[str, np.ndarray]:
        return self._item_vectors(texts, None if images is None else image_features(self.image_tower, images))

    def read_items(
        self, texts: Sequence[str], images: Sequence[Image.Image]
    ) -> tuple[dict[str, np.ndarray], list[dict]]:
        """Vectors and readings from one pass of the image tower (the costly part of ingest)."""
        features = image_features(self.image_tower, images)
        return self._item_vectors(texts, features), describe_features(self.model, features)

    def _item_vectors(self, texts: Sequence[str], features: np.ndarray | None) -> dict[str, np.ndarray]:
        vectors = {"text": self.text_tower.embed(texts, kind="passage")}
        if features is None:
            vectors["joint"] = self.model.project_texts(self.text_tower.embed(texts, kind="query"))
        else:
            vectors["image"] = features[:, : self.image_tower.dim].copy()
            vectors["joint"] = self.model.project_images(features)
        return vectors

    def hubness(self, vectors: dict[str, np.ndarray]) -> np.ndarray | None:
        """None for a checkpoint without a hubness correction."""
        if self.model.hubness is None or "joint" not in vectors:
            return None
        return self.model.hubness_penalty(vectors["joint"])

    def query_vectors(self, text: str | None, image: Image.Image | None) -> dict[str, np.ndarray]:
        features = image_features(self.image_tower, [image]) if image is not None else None
        return self._query_vectors(text, features)

    def read_photo(self, image: Image.Image) -> tuple[dict[str, np.ndarray], dict]:
        """A shopper's photo as query vectors and as words (what `describe` says), from one pass of the
        image tower: a photo turn needs both."""
        features = image_features(self.image_tower, [image])
        return self._query_vectors(None, features), describe_features(self.model, features)[0]

    def _query_vectors(self, text: str | None, features: np.ndarray | None) -> dict[str, np.ndarray]:
        vectors: dict[str, np.ndarray] = {}
        text_joint = image_joint = None
        if text and text.strip():
            words, alone = self._words(text)
            vectors["text"] = words[0].copy()
            # words fused with a photo stay plain projections, as the fusion learnt them
            text_joint = self.model.project_texts(words) if features is not None else alone.copy()
        if features is not None:
            vectors["image"] = features[0, : self.image_tower.dim].copy()
            image_joint = self.model.project_images(features)
        if text_joint is not None and image_joint is not None:
            vectors["joint"] = self.model.fuse(image_joint, text_joint)[0]
        elif text_joint is not None or image_joint is not None:
            vectors["joint"] = (text_joint if text_joint is not None else image_joint)[0]
        return vectors

    def _embed_words(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A query's tower vector and its joint vector as words alone (expanded): a conversation searches
        with the same words turn after turn ("cheaper", "more like this" keep them). Callers get copies."""
        words = self.text_tower.embed([text], kind="query")
        return words, self.model.project_queries(words)

    def describe(self, image: Image.Image) -> dict:
        """What the attribute heads read off a photo, e.g. ``{"category": "shirts", "colour": "navy blue",
        "pattern": "striped", "gender": "men", "confidence": {...}, "en": "a navy blue striped shirt",
        "zh": "一件海军蓝条纹衬衫"}``. Confidences are calibrated probabilities; attributes the catalogue
        had no labels for are absent."""
        return describe_features(self.model, image_features(self.image_tower, [image]))[0]


def checkpoint_fingerprint(folder: str | Path) -> str:
    """First 8 hex digits of a SHA-256 over the checkpoint's weight files."""
    sha = hashlib.sha256()
    for path in sorted(Path(folder).glob("*/model.safetensors")):
        sha.update(path.read_bytes())
    return sha.hexdigest()[:8]


def describe_features(model: JointModel, features: np.ndarray, min_confidence: float = 0.0) -> list[dict]:
    """The heads' readings; "category_probabilities" keeps the whole category distribution, for the
    conversation to weigh against the photo's nearest catalogue photos (models.neighbour_votes)."""
    probabilities = model.attributes.probabilities(torch.as_tensor(features, dtype=torch.float32))
    categories = model.attributes.labels.get("category", [])
    out = []
    for row, prediction in enumerate(model.attributes.readings(probabilities)):
        kept = {k: v for k, v in prediction.items() if v[1] >= min_confidence}
        labels = {k: v[0] for k, v in kept.items()}
        reading = {**labels, "confidence": {k: round(v[1], 3) for k, v in kept.items()}}
        reading |= phrases(labels.get("category"), labels.get("colour"), labels.get("pattern"))
        if "category" in probabilities:
            reading["category_probabilities"] = dict(zip(categories, probabilities["category"][row].tolist()))
        out.append(reading)
    return out


def describe(image: Image.Image, encoder: TrainedEncoder | None = None) -> dict:
    """Module-level convenience: describe a photo with the given (or the configured) trained encoder.

    Raises ValueError if no trained checkpoint is configured (run `shopguide model train`)."""
    if encoder is None:
        from models.encoder import load_encoder

        loaded = load_encoder()
        if not isinstance(loaded, TrainedEncoder):
            raise ValueError("no trained model: run `shopguide model train` first")
        encoder = loaded
    return encoder.describe(image)
