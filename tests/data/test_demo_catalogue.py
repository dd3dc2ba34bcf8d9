"""The generated demo catalogue: valid items, plausible values, deterministic files, truthful images."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from data.demo_catalogue import BRANDS, CATEGORIES, PALETTE, STAPLES, category_sequence, generate
from shopguide.catalogue.schema import CatalogueItem

# fmt: off
KEYS = {"id", "title", "brand", "description", "category", "gender", "colours", "pattern", "material", "tags", "price",
        "currency", "sizes", "image", "url", "localized_titles", "extra"}
# fmt: on
CJK = re.compile(r"[\u4e00-\u9fff]")


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("demo"), n_items=60, seed=7, image_size=128)


def colour_shares(path: Path) -> dict[str, float]:
    """For each palette colour, the share of the garment's pixels that are close to it.

    Garment pixels are those unlike the border (the background); pixels far from every palette colour
    (blends at pattern edges, JPEG ringing) count for none.
    """
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)
    border = np.concatenate([pixels[:4], pixels[-4:], pixels[:, :4], pixels[:, -4:]], axis=None).reshape(-1, 3)
    flat = pixels.reshape(-1, 3)
    garment = flat[np.abs(flat - np.median(border, axis=0)).max(axis=1) > 14]
    names = list(PALETTE)
    palette = np.array([PALETTE[name] for name in names], dtype=np.float32)
    distances = np.sqrt(((garment[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2))
    nearest = distances.argmin(axis=1)
    close = distances[np.arange(len(garment)), nearest] < 40
    counts = np.bincount(nearest[close], minlength=len(names))
    return {name: counts[k] / len(garment) for k, name in enumerate(names)}


def test_every_line_is_a_valid_catalogue_item(catalogue: Path):
    records = read(catalogue)
    assert len(records) == 60
    for record in records:
        assert set(record) == KEYS
        item = CatalogueItem.model_validate(record)
        assert item.category in CATEGORIES and item.gender in {"women", "men", "unisex"}
        assert item.colours and set(item.colours) <= set(PALETTE) and len(item.colours) <= 2
        assert item.pattern in {"plain", "striped", "checked", "dotted", "floral"}
        assert item.currency == "USD" and item.price == round(item.price, 2)
        low, high = CATEGORIES[item.category].price
        assert low <= item.price <= high
        assert item.image == f"images/{item.id}.jpg"
        assert item.url == f"https://shop.example.com/products/{item.id}"
        assert item.sizes and all(s.stock >= 0 for s in item.sizes)
        assert CJK.search(item.localized_titles["zh"])
        assert item.title.endswith(CATEGORIES[item.category].noun) and item.colours[0].title() in item.title
    assert len({r["id"] for r in records}) == len(records)


def test_categories_and_values_are_plausible(catalogue: Path):
    records = read(catalogue)
    assert len(CATEGORIES) >= 14 and len(PALETTE) >= 12
    assert {r["category"] for r in records} == set(CATEGORIES), "every category appears in the first rounds"
    for record in records:
        sizes = [s["size"] for s in record["sizes"]]
        if record["category"] in {"dress", "skirt", "blouse"}:
            assert record["gender"] == "women"
        if record["category"] in {"sneakers", "boots"}:
            assert all(36 <= int(size) <= 46 for size in sizes)
        elif record["category"] in {"hat", "scarf", "bag"}:
            assert sizes == ["one size"]
        else:
            assert sizes == ["XS", "S", "M", "L", "XL", "XXL"]
    assert any(s["stock"] == 0 for r in records for s in r["sizes"])
    assert all(record["category"] in BRANDS[record["brand"]] for record in records)
    assert len({record["brand"] for record in records}) == len(BRANDS)


def test_tags_hold_the_occasions_the_description_names_then_the_fit(catalogue: Path):
    """A shopper asks for an occasion or a fit ("an oversized hoodie"), and tags are what ranks them."""
    records = read(catalogue)
    for record in records:
        fit = record.get("extra", {}).get("fit")
        occasions = record["tags"][:-1] if fit else record["tags"]
        assert record["tags"][-1:] == ([fit] if fit else record["tags"][-1:]) and fit not in occasions
        assert f"ideal for {' and '.join(occasions[:2])} wear" in record["description"], record
    assert sum(bool(r.get("extra", {}).get("fit")) for r in records) > len(records) / 5


def test_each_category_starts_with_its_staples(catalogue: Path):
    records = read(catalogue)
    for category, colours in STAPLES.items():
        first = [r for r in records if r["category"] == category][: len(colours)]
        assert [r["colours"] for r in first] == [[colour] for colour in colours]
        low, high = CATEGORIES[category].price
        assert all(r["pattern"] == "plain" and r["price"] <= (low + high) / 2 for r in first)
    red_dresses = [r for r in records if r["category"] == "dress" and "red" in r["colours"] and r["price"] <= 100]
    assert red_dresses, "the search tests ask for a red dress under 100"


def test_categories_come_in_balanced_rounds():
    counts = {name: category_sequence(600, 7).count(name) for name in CATEGORIES}
    assert len(counts) >= 12 and min(counts.values()) >= 600 // len(CATEGORIES)


def test_same_seed_same_bytes_other_seed_differs(catalogue: Path, tmp_path: Path):
    again = generate(tmp_path / "again", n_items=60, seed=7, image_size=128)
    assert again.read_bytes() == catalogue.read_bytes()
    for record in read(catalogue):
        image = record["image"]
        assert (again.parent / image).read_bytes() == (catalogue.parent / image).read_bytes()
    other = generate(tmp_path / "other", n_items=60, seed=8, image_size=128)
    assert other.read_bytes() != catalogue.read_bytes()
    first = "images/demo-0001.jpg"
    assert (other.parent / first).read_bytes() != (catalogue.parent / first).read_bytes()


def test_a_smaller_catalogue_is_a_prefix_of_a_larger_one(catalogue: Path, tmp_path: Path):
    small = generate(tmp_path / "small", n_items=25, seed=7, image_size=128)
    assert catalogue.read_text(encoding="utf-8").startswith(small.read_text(encoding="utf-8"))


def test_images_are_rgb_and_drawn_in_the_declared_colour(catalogue: Path):
    for record in read(catalogue):
        path = catalogue.parent / record["image"]
        with Image.open(path) as image:
            assert image.format == "JPEG" and image.mode == "RGB" and image.size == (128, 128)
            assert not image.getexif()
        shares = colour_shares(path)
        assert max(shares, key=shares.__getitem__) == record["colours"][0], record["title"]
        if len(record["colours"]) == 2:  # the pattern or the trim
            assert shares[record["colours"][1]] > 0.01, record["description"]


def test_default_image_size(tmp_path: Path):
    path = generate(tmp_path, n_items=3, seed=1)
    with Image.open(path.parent / read(path)[0]["image"]) as image:
        assert image.size == (224, 224)
