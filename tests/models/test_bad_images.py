"""Shoppers' photos as they arrive: each either embeds correctly or raises ImageError (one clear type)."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from models.colour import colour_features
from models.features import image_features
from models.image_tower import ImageTower
from shopguide.errors import ImageError
from shopguide.images import decode_image

MAX_PIXELS = 40_000_000


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def red_shirt(mode: str = "RGB", size=(120, 160)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    image.paste((200, 30, 40), (30, 30, size[0] - 30, size[1] - 30))
    return image.convert(mode) if mode != "RGB" else image


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width x height but carries almost no data (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def tower() -> ImageTower:
    return ImageTower(num_threads=2)


def good_inputs() -> dict[str, bytes]:
    rotated = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    red_shirt(size=(160, 120)).save(rotated, format="JPEG", exif=exif)
    frames = [red_shirt("P"), red_shirt("P").rotate(90)]
    animated = io.BytesIO()
    frames[0].save(animated, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    inputs = {
        "jpeg": encoded(red_shirt(), "JPEG"),
        "cmyk jpeg": encoded(red_shirt("CMYK"), "JPEG"),
        "alpha png": encoded(red_shirt("RGBA"), "PNG"),
        "palette gif": encoded(red_shirt("P"), "GIF"),
        "animated gif": animated.getvalue(),
        "exif rotated": rotated.getvalue(),
        "1x1 pixel": encoded(Image.new("RGB", (1, 1), (200, 30, 40)), "PNG"),
        "16-bit greyscale": encoded(red_shirt("L").convert("I;16"), "PNG"),
    }
    try:
        import pillow_heif

        heic = io.BytesIO()
        pillow_heif.from_pillow(red_shirt()).save(heic, format="HEIF", quality=80)
        inputs["heic"] = heic.getvalue()
    except (ImportError, ValueError, RuntimeError):  # no encoder in this build: the decoder test is skipped
        pass
    return inputs


@pytest.mark.parametrize(("name", "data"), list(good_inputs().items()))
def test_usable_photos_embed(name, data, tower):
    image = decode_image(data, MAX_PIXELS)
    assert image.mode == "RGB"
    features = image_features(tower, [image])
    assert features.shape == (1, tower.dim + len(colour_features(image))) and np.isfinite(features).all()
    if name == "exif rotated":
        assert image.size == (120, 160), "EXIF orientation applied"
    if name in ("jpeg", "cmyk jpeg", "alpha png", "heic"):
        assert image.getpixel((60, 80))[0] > 150 and image.getpixel((2, 2)) >= (240, 240, 240)


BAD_INPUTS = {
    "empty": b"",
    "not an image": b"%PDF-1.4 definitely not a photo" * 10,
    "truncated jpeg": encoded(red_shirt(size=(400, 400)), "JPEG")[:600],
    "decompression bomb 20000x20000": png_header_only(20000, 20000),
    "html error page": b"<html><body>404 not found</body></html>",
}


@pytest.mark.parametrize(("name", "data"), list(BAD_INPUTS.items()))
def test_unusable_photos_raise_one_clear_error(name, data):
    with pytest.raises(ImageError):
        decode_image(data, MAX_PIXELS)
