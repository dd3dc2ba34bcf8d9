"""The colour descriptor: palette names in two languages, foreground colour on any background."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from models.colour import (
    DESCRIPTOR_DIM,
    LAYOUT_DIM,
    LAYOUT_GRID,
    PALETTE,
    chinese_colour,
    colour_descriptor,
    colour_features,
    dominant_colour,
    rgb_to_lab,
)


def garment(colour: tuple[int, int, int], background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    image = Image.new("RGB", (224, 224), background)
    ImageDraw.Draw(image).rectangle((60, 40, 170, 200), fill=colour)
    return image


def test_lab_of_white_and_black():
    lab = rgb_to_lab(np.array([[255, 255, 255], [0, 0, 0]], dtype=np.uint8))
    assert np.allclose(lab[0], [100, 0, 0], atol=0.5) and np.allclose(lab[1], [0, 0, 0], atol=0.5)


def test_foreground_colour_is_named_whatever_the_background():
    for rgb, name in (((195, 30, 40), "red"), ((28, 34, 80), "navy blue"), ((40, 135, 65), "green")):
        for background in ((255, 255, 255), (150, 120, 90)):
            descriptor = colour_descriptor(garment(rgb, background))
            assert descriptor.shape == (DESCRIPTOR_DIM,) and descriptor.dtype == np.float32
            colour, share = dominant_colour(descriptor)
            assert colour.en == name and share > 0.5


def test_every_palette_colour_has_a_chinese_name():
    assert all(colour.zh and not colour.zh.isascii() for colour in PALETTE)
    assert chinese_colour("Navy Blue") == "海军蓝" and chinese_colour("plaid-ish") == "plaid-ish"


def test_a_white_shirt_on_white_still_gets_a_descriptor():
    colour, _ = dominant_colour(colour_descriptor(garment((250, 250, 250))))
    assert colour.en in ("white", "off white")


def test_the_colour_layout_says_where_each_colour_sits():
    """A red top above navy trousers, as a model wears them: the grid's top row is red, its bottom navy."""
    image = Image.new("RGB", (96, 96), (255, 255, 255))
    image.paste((195, 30, 40), (16, 4, 80, 44))
    image.paste((28, 34, 80), (16, 52, 80, 92))
    features = colour_features(image)
    assert features.shape == (DESCRIPTOR_DIM + LAYOUT_DIM,) and np.allclose(
        features[:DESCRIPTOR_DIM], colour_descriptor(image)
    )
    cells = features[DESCRIPTOR_DIM:].reshape(LAYOUT_GRID, LAYOUT_GRID, len(PALETTE) + 1)
    names = [colour.en for colour in PALETTE]
    assert names[int(cells[0, 1, :-1].argmax())] == "red" and names[int(cells[2, 1, :-1].argmax())] == "navy blue"
    assert cells[0, 1, -1] > 0.5, "the cell's foreground share"
