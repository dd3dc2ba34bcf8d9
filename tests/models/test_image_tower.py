"""The frozen image tower: interface contract, exactness of the inference tweaks, sanity on real photos."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
import torch
from PIL import Image

from models.efficientnet_lite import EfficientNetLite
from models.image_tower import ImageTower, default_weights_path, open_image
from shopguide.settings import shared_data_dir

# clog, cowboy boot, loafer, running shoe, sandal, shoe shop
FOOTWEAR_CLASSES = {502, 514, 630, 770, 774, 788}


def catalogue_images(article_type: str, count: int) -> list[Image.Image]:
    """The first `count` items of an article type by id: deterministic, no randomness to reseed."""
    myntra = shared_data_dir() / "myntra"
    if not (myntra / "catalog_with_images.csv").exists():
        pytest.skip(f"shared data not found at {myntra} (set SHOPGUIDE_SHARED_DATA)")
    with open(myntra / "catalog_with_images.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["articleType"] == article_type]
    rows.sort(key=lambda row: int(row["id"]))
    images = []
    for row in rows[:count]:
        with Image.open(myntra / row["image"]) as image:
            images.append(image.copy())
    return images


@pytest.fixture(scope="module")
def tower() -> ImageTower:
    return ImageTower(num_threads=2)


@pytest.fixture(scope="module")
def photos() -> list[Image.Image]:
    rng = np.random.default_rng(0)
    sizes = [(240, 320), (300, 200)]
    return [Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)) for h, w in sizes]


def test_name_and_dim(tower: ImageTower) -> None:
    assert tower.dim == 1280
    assert tower.name.startswith("efficientnet-lite0@")
    assert tower.name.endswith("+mirror")  # vectors cached under the plain tower's name are not reused
    assert len(tower.name.split("@")[1].split("+")[0]) == 8


def test_preprocess_scales_like_tensorflow(tower: ImageTower) -> None:
    tensor = tower.preprocess(Image.new("RGB", (500, 300), (0, 127, 255)))
    assert tensor.shape == (3, 224, 224) and tensor.dtype == torch.float32
    assert torch.allclose(tensor[:, 100, 100], torch.tensor([-127 / 128, 0.0, 1.0]))


def test_embed_shapes_dtype_and_norm(tower: ImageTower, photos: list[Image.Image]) -> None:
    vectors = tower.embed(photos)
    assert vectors.shape == (2, 1280) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert tower.embed([]).shape == (0, 1280)


def test_batch_matches_single_and_is_deterministic(tower: ImageTower, photos: list[Image.Image]) -> None:
    batched = tower.embed(photos * 3, batch_size=4)
    singles = np.stack([tower.embed([photo])[0] for photo in photos])
    np.testing.assert_allclose(batched[:2], singles, atol=1e-5)
    np.testing.assert_array_equal(tower.embed(photos[:1]), tower.embed(photos[:1]))


def test_feature_maps_keep_spatial_layout(photos: list[Image.Image]) -> None:
    plain = ImageTower(num_threads=2, mirror=False)
    maps = plain.feature_maps(photos)
    assert maps.shape == (2, 1280, 7, 7)
    pooled = torch.nn.functional.normalize(maps.mean(dim=(2, 3)), dim=1).numpy()
    np.testing.assert_allclose(pooled, plain.embed(photos), atol=1e-5)


def test_a_photo_and_its_mirror_embed_alike(tower: ImageTower, photos: list[Image.Image]) -> None:
    mirrored = [photo.transpose(Image.Transpose.FLIP_LEFT_RIGHT) for photo in photos]
    np.testing.assert_allclose(tower.embed(mirrored), tower.embed(photos), atol=1e-4)
    plain = ImageTower(num_threads=2, mirror=False)
    assert not np.allclose(plain.embed(mirrored), plain.embed(photos), atol=1e-3)


def test_batchnorm_folding_preserves_outputs() -> None:
    model = EfficientNetLite.from_state_dict(default_weights_path()).eval()
    x = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        reference = model(x)
        model = model.fold_batchnorm().to(memory_format=torch.channels_last)
        folded = model(x.contiguous(memory_format=torch.channels_last))
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())
    torch.testing.assert_close(folded, reference, rtol=1e-4, atol=1e-4 * reference.abs().max().item())


@pytest.mark.parametrize("size", [(1, 1), (225, 224), (97, 301)])
def test_odd_sizes_use_tensorflow_same_padding(size: tuple[int, int]) -> None:
    model = EfficientNetLite.from_state_dict(default_weights_path()).eval()
    with torch.inference_mode():
        maps = model.features(torch.zeros(1, 3, *size))
    assert maps.shape[2:] == tuple(-(-side // 32) for side in size)  # ceil(side / 32), as TensorFlow SAME


def _encoded(image: Image.Image, fmt: str) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return Image.open(io.BytesIO(buffer.getvalue()))


def test_odd_modes(tower: ImageTower) -> None:
    rgba = Image.new("RGBA", (40, 30), (255, 0, 0, 0))  # fully transparent red: must become white
    palette = Image.new("RGB", (50, 20), (0, 200, 0)).convert("P", palette=Image.Palette.ADAPTIVE)
    images = {
        "rgba": _encoded(rgba, "PNG"),
        "gif": _encoded(palette, "GIF"),
        "cmyk": _encoded(Image.new("CMYK", (60, 40), (0, 255, 255, 0)), "JPEG"),
        "grey": Image.new("L", (30, 30), 77),
        "16bit": Image.fromarray(np.full((20, 20), 40000, np.uint16)),
        "tiny": Image.new("RGB", (1, 1), (10, 20, 30)),
    }
    for name, image in images.items():
        tensor = tower.preprocess(image)
        assert tensor.shape == (3, 224, 224), name
    assert torch.allclose(tower.preprocess(images["rgba"]), torch.full((3, 224, 224), 1.0))
    vectors = tower.embed(list(images.values()))
    assert vectors.shape == (len(images), 1280) and np.isfinite(vectors).all()


def test_exif_orientation_is_applied(tower: ImageTower) -> None:
    top_red = Image.new("RGB", (60, 60), (0, 0, 255))
    top_red.paste((255, 0, 0), (0, 0, 60, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: the viewer turns it 90 degrees clockwise
    stored = _encoded_with_exif(top_red.transpose(Image.Transpose.ROTATE_90), exif)
    torch.testing.assert_close(tower.preprocess(stored), tower.preprocess(top_red), atol=0.05, rtol=0)


def _encoded_with_exif(image: Image.Image, exif: Image.Exif) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", exif=exif)
    return Image.open(io.BytesIO(buffer.getvalue()))


def test_open_image_decodes_large_jpegs_at_reduced_scale(tower: ImageTower) -> None:
    y, x = np.mgrid[0:1200, 0:1600]
    pixels = np.stack([x * 255 // 1600, y * 255 // 1200, (x + y) * 255 // 2800], axis=-1).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    drafted = open_image(buffer.getvalue())
    assert min(drafted.size) >= 224 and drafted.size[0] < 1600
    full = Image.open(io.BytesIO(buffer.getvalue()))
    assert float(tower.embed([drafted])[0] @ tower.embed([full])[0]) > 0.98


@pytest.mark.shared_data
def test_nearest_neighbour_keeps_article_type(tower: ImageTower) -> None:
    kinds = ["Tshirts", "Casual Shoes", "Watches", "Handbags"]
    images = [image for kind in kinds for image in catalogue_images(kind, 5)]
    labels = np.repeat(kinds, 5)
    vectors = tower.embed(images)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    agreement = float((labels[similarity.argmax(axis=1)] == labels).mean())
    assert agreement >= 0.8, f"only {agreement:.0%} of nearest neighbours share the article type"


@pytest.mark.shared_data
def test_imagenet_head_sees_shoes(tower: ImageTower) -> None:
    shoes = catalogue_images("Casual Shoes", 6)
    hits = [any(cls in FOOTWEAR_CLASSES for cls, _ in tower.classify_imagenet(shoe)) for shoe in shoes]
    assert sum(hits) >= 5, hits
