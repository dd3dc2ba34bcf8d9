"""Shoppers' photos between the channel that received them and the action that embeds them.

The channel checks the bytes (size, type sniffed from the content, pixel count from the header
alone) and keeps them in Redis for a few minutes under a random id; the action takes them once
(GETDEL) and never stores them. Only Pillow and redis are imported: the Rasa server's channels,
which run in Rasa's own Python, use this module too.
"""

from __future__ import annotations

import io
import uuid
import warnings

import redis
from PIL import Image, UnidentifiedImageError

from shopguide.errors import ImageError

UPLOAD_PREFIX = "shopguide:upload:"
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "MPO"}
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif")


class UploadRejected(ImageError):
    """An upload refused before it reached the conversation; `status` is the HTTP status to answer."""

    def __init__(self, reason: str, status: int = 415) -> None:
        super().__init__(reason)
        self.status = status


def sniff_image(data: bytes, max_bytes: int, max_pixels: int) -> str:
    """The image format of `data` (e.g. "JPEG"), read from its content; raises UploadRejected."""
    if not data:
        raise UploadRejected("the photo is empty", 400)
    if len(data) > max_bytes:
        raise UploadRejected(f"the photo is larger than {max_bytes // 1_000_000} MB", 413)
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"  # iPhone photos; the action's decoder checks their size
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                image_format, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected("the photo has too many pixels", 413) from None
    except (UnidentifiedImageError, OSError):
        raise UploadRejected("this file is not a photo (JPEG, PNG, WebP, GIF or HEIC)") from None
    if image_format not in ACCEPTED_FORMATS:
        raise UploadRejected(f"{image_format} images are not accepted")
    if width * height > max_pixels:
        raise UploadRejected(f"the photo has too many pixels ({width}x{height})", 413)
    return image_format


class UploadStore:
    """Photo bytes waiting for their turn, under a random id, for `ttl_s` seconds at most."""

    def __init__(self, client: redis.Redis, ttl_s: int, prefix: str = UPLOAD_PREFIX) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self.prefix = prefix

    def put(self, data: bytes) -> str:
        image_id = uuid.uuid4().hex
        self.client.set(self.prefix + image_id, data, ex=self.ttl_s)
        return image_id

    def take(self, image_id: str) -> bytes | None:
        """The bytes, deleted in the same step: a photo is read once and never kept."""
        if not image_id or not image_id.isalnum():
            return None
        return self.client.getdel(self.prefix + image_id)
