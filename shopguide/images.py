"""Safe image reading for catalogue images and shoppers' photos.

Everything that can go wrong with an image (missing file, failed download, bytes that are not an
image, truncated data, a decompression bomb) ends in one :class:`ImageError` with a plain reason.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import httpx
from PIL import Image, ImageOps, UnidentifiedImageError

from models.image_tower import to_rgb
from shopguide.errors import ImageError

try:  # iPhone photos (HEIC/HEIF); without the package such a photo is "not a supported image"
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover
    pass


def is_url(ref: str) -> bool:
    return ref.startswith(("http://", "https://"))


def read_image_bytes(ref: str, base_dir: Path, timeout_s: float) -> bytes:
    """Bytes of a catalogue image given as a URL or a path (relative paths start at `base_dir`)."""
    if is_url(ref):
        try:
            response = httpx.get(ref, timeout=timeout_s, follow_redirects=True)
        except httpx.HTTPError as error:
            raise ImageError(f"image download failed ({type(error).__name__})") from None
        if response.status_code != 200:
            raise ImageError(f"image download failed (HTTP {response.status_code})")
        return response.content
    path = Path(ref) if Path(ref).is_absolute() else base_dir / ref
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ImageError(f"image file not found: {ref}") from None
    except OSError as error:
        raise ImageError(f"image file unreadable: {ref} ({error.strerror})") from None


def decode_image(data: bytes, max_pixels: int) -> Image.Image:
    """Decode to an upright RGB image; alpha is composited on white. Raises ImageError."""
    if not data:
        raise ImageError("empty image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > max_pixels:
                raise ImageError(f"image too large ({image.width}x{image.height} pixels)")
            image.load()
    except ImageError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError("not a supported image") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageError(f"damaged image ({error})") from None
    return to_rgb(ImageOps.exif_transpose(image))


def save_thumbnail(image: Image.Image, path: Path, longest_side: int) -> None:
    thumb = image.copy()
    thumb.thumbnail((longest_side, longest_side), Image.Resampling.BICUBIC)
    path.parent.mkdir(parents=True, exist_ok=True)
    thumb.save(path, format="JPEG", quality=85)
