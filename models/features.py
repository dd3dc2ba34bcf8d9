"""Garment records for training and evaluation, the fixed split, and cached frozen-tower features.

Tower features are computed once per (tower, image file) or (tower, text) and kept in ``.npz`` files
under the project's ``var/features/`` folder, so training runs and evaluations after the first spend
their time on the heads, not the networks. Image features are the pooled EfficientNet vector (unit
length) followed by the colour descriptor of the foreground pixels and their colour layout.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from models.colour import DESCRIPTOR_DIM, LAYOUT_DIM, colour_features
from models.image_tower import ImageTower, open_image
from models.text_tower import TextTower

log = logging.getLogger(__name__)

COLOUR_SCALE = 2.0  # the descriptor's weight next to the 1280 unit-norm network features
TEST_PERCENT = 20
VALIDATION_PERCENT = 10


@dataclass
class Garment:
    """One labelled catalogue item as the model sees it; any label may be missing."""

    id: str
    title: str
    image: Path | None = None
    category: str | None = None
    colour: str | None = None
    gender: str | None = None
    pattern: str | None = None
    brand: str | None = None

    def label(self, attribute: str) -> str | None:
        return getattr(self, attribute)


def _bucket(item_id: str, salt: str = "") -> int:
    return int(hashlib.sha1(f"{salt}{item_id}".encode()).hexdigest()[:8], 16) % 100


def split_of(item_id: str) -> str:
    """'train', 'validation' (10% of train, for early stopping and calibration) or 'test' (20%), fixed
    by a hash of the id, so every run and every machine agrees."""
    if _bucket(item_id) < TEST_PERCENT:
        return "test"
    return "validation" if _bucket(item_id, "val:") < VALIDATION_PERCENT else "train"


def image_features(tower: ImageTower, images: Sequence[Image.Image]) -> np.ndarray:
    """(N, tower.dim + DESCRIPTOR_DIM + LAYOUT_DIM) float32: what the heads read off a photo. The
    projection heads and most attribute heads read the first `tower.dim + DESCRIPTOR_DIM` columns
    (their ``in_dim``), the colour head the colour layout after them as well."""
    if not images:
        return np.zeros((0, tower.dim + DESCRIPTOR_DIM + LAYOUT_DIM), np.float32)
    pooled = tower.embed(images)
    colour = np.stack([colour_features(image) for image in images]) * COLOUR_SCALE
    return np.concatenate([pooled, colour], axis=1).astype(np.float32)


class VectorCache:
    """A key -> vector store in one ``.npz`` file; `get_many` computes and saves what is missing."""

    def __init__(self, path: Path, dim: int) -> None:
        self.path, self.dim = path, dim
        self._vectors: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as data:
                self._vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors), dtype=str)
        vectors = np.stack(list(self._vectors.values())) if self._vectors else np.zeros((0, self.dim), np.float32)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp.npz")  # two processes filling one cache each write whole files
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.replace(self.path)

    def get_many(
        self, keys: Sequence[str], compute: Callable[[list[int]], np.ndarray], chunk: int = 256, progress=None
    ) -> np.ndarray:
        """Vectors for `keys`; `compute(indices)` gives the missing ones (rows of NaN mark failures)."""
        missing = [i for i, key in enumerate(keys) if key not in self._vectors]
        for start in range(0, len(missing), chunk):
            part = missing[start : start + chunk]
            for index, vector in zip(part, compute(part), strict=True):
                self._vectors[keys[index]] = vector.astype(np.float32)
            if progress is not None:
                progress(len(part))
            self.save()
        if not keys:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self._vectors[key] for key in keys])


def _file_key(path: Path) -> str:
    stat = path.stat()
    return hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()


class FeatureStore:
    """Cached image and text tower features under ``<var_dir>/features/<tower name>/``."""

    def __init__(self, var_dir: Path, image_tower: ImageTower, text_tower: TextTower) -> None:
        self.image_tower, self.text_tower = image_tower, text_tower
        root = Path(var_dir) / "features"
        width = image_tower.dim + DESCRIPTOR_DIM + LAYOUT_DIM
        self.image_cache = VectorCache(root / image_tower.name / "images-colour-layout.npz", width)
        self.text_cache = VectorCache(root / text_tower.name / "texts.npz", text_tower.dim)

    def images(self, paths: Sequence[Path], progress=None) -> tuple[np.ndarray, np.ndarray]:
        """(features, ok): rows for images that could not be read are zero and `ok` False there."""
        keys = [_file_key(p) if p.is_file() else f"missing:{p}" for p in paths]

        def compute(indices: list[int]) -> np.ndarray:
            rows = np.full((len(indices), self.image_cache.dim), np.nan, np.float32)
            good, images = [], []
            for row, index in enumerate(indices):
                try:
                    image = open_image(paths[index])
                    image.load()
                    images.append(image)
                    good.append(row)
                except (OSError, ValueError) as error:
                    log.warning("features.image_failed path=%s error=%s", paths[index], error)
            if images:
                rows[good] = image_features(self.image_tower, images)
            return rows

        features = self.image_cache.get_many(keys, compute, progress=progress)
        ok = ~np.isnan(features).any(axis=1)
        return np.nan_to_num(features), ok

    def texts(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        keys = [hashlib.sha1(f"{kind}|{t}".encode()).hexdigest() for t in texts]
        return self.text_cache.get_many(
            keys, lambda indices: self.text_tower.embed([texts[i] for i in indices], kind=kind), chunk=4096
        )
