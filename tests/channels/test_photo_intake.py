"""Photo intake shared by the channels: type sniffed from the bytes, limits, rate limits; real Redis."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image

from shopguide.rate_limit import RateLimiter
from shopguide.uploads import UploadRejected, UploadStore, sniff_image

MB = 1_000_000


def encoded(size: tuple[int, int], image_format: str, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "navy").save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF", "BMP"])
def test_photos_are_accepted_by_content(image_format):
    assert sniff_image(encoded((64, 48), image_format), 10 * MB, 40 * MB) == image_format


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"", 400),
        (b"hello, I am a text file renamed photo.jpg", 415),
        (b"\xff\xd8\xff" + b"\x00" * 100, 415),  # a JPEG that stops after its first marker
        (b"x" * (3 * MB), 413),
    ],
)
def test_bad_uploads_are_refused_with_a_status(data, status):
    with pytest.raises(UploadRejected) as refused:
        sniff_image(data, 2 * MB, 40 * MB)
    assert refused.value.status == status and str(refused.value)


def test_decompression_bomb_is_refused_from_its_header():
    bomb = encoded((20000, 20000), "PNG", mode="1")  # a few kB on disk, 400 million pixels decoded
    assert len(bomb) < MB
    with pytest.raises(UploadRejected) as refused:
        sniff_image(bomb, 10 * MB, 40 * MB)
    assert refused.value.status == 413


def test_heic_is_recognised_by_its_brand():
    assert sniff_image(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, MB, MB) == "HEIF"


def test_an_upload_is_read_once(live_redis):
    store = UploadStore(live_redis, ttl_s=60)
    image_id = store.put(b"bytes")
    assert live_redis.ttl(store.prefix + image_id) <= 60
    assert store.take(image_id) == b"bytes"
    assert store.take(image_id) is None
    assert store.take("../../etc/passwd") is None


def test_rate_limit_counts_per_key(live_redis):
    limiter = RateLimiter(live_redis, limit=3, window_s=60, prefix=f"test-{uuid.uuid4().hex}:")
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
