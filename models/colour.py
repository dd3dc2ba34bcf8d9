"""A measured colour descriptor of a garment's foreground pixels, and a named palette (English/Chinese).

The network's pooled features mix colour with shape and background; colour was the weakest attribute
of a prototype (66% from pooled features). So colour is also measured directly: the photo is shrunk
to 48 px (a full-size LAB conversion cost as much as the network), the background is estimated from
the border pixels and removed, and the remaining pixels are softly assigned to a named palette in
CIELAB. The descriptor is the palette histogram plus the foreground share and mean LAB colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from models.image_tower import to_rgb

SIDE = 48
BACKGROUND_DELTA_E = 14.0
SOFTNESS = 12.0


@dataclass(frozen=True)
class NamedColour:
    en: str
    zh: str
    rgb: tuple[int, int, int]


PALETTE: tuple[NamedColour, ...] = (
    NamedColour("black", "黑色", (20, 20, 22)),
    NamedColour("white", "白色", (248, 248, 246)),
    NamedColour("off white", "米白色", (238, 232, 218)),
    NamedColour("grey", "灰色", (128, 128, 130)),
    NamedColour("charcoal", "炭灰色", (60, 64, 70)),
    NamedColour("silver", "银色", (192, 192, 196)),
    NamedColour("steel", "钢灰色", (112, 124, 138)),
    NamedColour("navy blue", "海军蓝", (28, 34, 80)),
    NamedColour("blue", "蓝色", (45, 95, 190)),
    NamedColour("teal", "蓝绿色", (0, 120, 125)),
    NamedColour("turquoise blue", "青绿色", (60, 195, 205)),
    NamedColour("green", "绿色", (40, 135, 65)),
    NamedColour("olive", "橄榄绿", (105, 105, 45)),
    NamedColour("yellow", "黄色", (245, 215, 45)),
    NamedColour("mustard", "芥末黄", (205, 165, 40)),
    NamedColour("orange", "橙色", (240, 125, 35)),
    NamedColour("red", "红色", (195, 30, 40)),
    NamedColour("maroon", "酒红色", (115, 25, 40)),
    NamedColour("pink", "粉色", (240, 150, 180)),
    NamedColour("magenta", "洋红色", (195, 35, 135)),
    NamedColour("purple", "紫色", (105, 50, 135)),
    NamedColour("lavender", "淡紫色", (185, 165, 220)),
    NamedColour("brown", "棕色", (105, 68, 42)),
    NamedColour("tan", "棕褐色", (195, 155, 108)),
    NamedColour("beige", "米色", (222, 203, 168)),
    NamedColour("cream", "奶油色", (243, 234, 206)),
    NamedColour("khaki", "卡其色", (186, 172, 122)),
    NamedColour("peach", "桃色", (248, 192, 162)),
    NamedColour("gold", "金色", (205, 165, 65)),
    NamedColour("copper", "铜色", (180, 105, 58)),
)
COLOUR_BY_NAME = {colour.en: colour for colour in PALETTE}
DESCRIPTOR_DIM = len(PALETTE) + 4
LAYOUT_GRID = 3
LAYOUT_DIM = LAYOUT_GRID * LAYOUT_GRID * (len(PALETTE) + 1)


def chinese_colour(name: str) -> str:
    """Chinese name of a palette (or catalogue) colour; unknown names are returned as given."""
    colour = COLOUR_BY_NAME.get(name.strip().lower())
    return colour.zh if colour else name


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 (..., 3) -> CIELAB (D65) float32, in numpy (PIL's LAB path was the slow part)."""
    c = np.asarray(rgb, dtype=np.float32) / 255.0
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    matrix = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]], dtype=np.float32)
    xyz = c @ matrix.T / np.array([0.95047, 1.0, 1.08883], dtype=np.float32)
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16.0 / 116.0)
    lab = np.stack([116.0 * f[..., 1] - 16.0, 500.0 * (f[..., 0] - f[..., 1]), 200.0 * (f[..., 1] - f[..., 2])], -1)
    return lab.astype(np.float32)


PALETTE_LAB = rgb_to_lab(np.array([colour.rgb for colour in PALETTE], dtype=np.uint8))


def _small_pixels(image: Image.Image) -> np.ndarray:
    image = to_rgb(ImageOps.exif_transpose(image))
    image.draft("RGB", (SIDE * 2, SIDE * 2))
    return np.asarray(image.resize((SIDE, SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0), dtype=np.uint8)


def foreground_mask(lab: np.ndarray) -> np.ndarray:
    """True where a pixel differs from the background colour, estimated as the median of the border.

    Falls back to the central region when almost nothing differs (a white shirt on white)."""
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    background = np.median(border, axis=0)
    mask = np.linalg.norm(lab - background, axis=-1) > BACKGROUND_DELTA_E
    if mask.mean() < 0.03:
        mask = np.zeros(lab.shape[:2], dtype=bool)
        h, w = mask.shape
        mask[h // 4 : h - h // 4, w // 4 : w - w // 4] = True
    return mask


def _measured(image: Image.Image) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LAB pixels (SIDE, SIDE, 3), the foreground mask and each pixel's soft palette weights."""
    lab = rgb_to_lab(_small_pixels(image))
    distances = np.linalg.norm(lab[..., None, :] - PALETTE_LAB, axis=-1)
    weights = np.exp(-0.5 * (distances - distances.min(axis=-1, keepdims=True)) ** 2 / SOFTNESS**2)
    return lab, foreground_mask(lab), weights / weights.sum(axis=-1, keepdims=True)


def _descriptor(lab: np.ndarray, mask: np.ndarray, weights: np.ndarray) -> np.ndarray:
    histogram = weights[mask].mean(axis=0)
    mean = lab[mask].mean(axis=0) / np.array([100.0, 60.0, 60.0], dtype=np.float32)
    return np.concatenate([histogram, [mask.mean()], mean]).astype(np.float32)


def _layout(mask: np.ndarray, weights: np.ndarray) -> np.ndarray:
    cells = []
    for rows in np.array_split(np.arange(SIDE), LAYOUT_GRID):
        for cols in np.array_split(np.arange(SIDE), LAYOUT_GRID):
            cell_mask, cell_weights = mask[np.ix_(rows, cols)], weights[np.ix_(rows, cols)]
            present = cell_weights[cell_mask]
            histogram = present.mean(axis=0) if len(present) else np.zeros(len(PALETTE), np.float32)
            cells.append(np.concatenate([histogram, [cell_mask.mean()]]))
    return np.concatenate(cells).astype(np.float32)


def colour_descriptor(image: Image.Image) -> np.ndarray:
    """(DESCRIPTOR_DIM,) float32: soft palette histogram of the foreground (sums to 1), then the
    foreground share and its mean L, a, b scaled to about unit range."""
    lab, mask, weights = _measured(image)
    return _descriptor(lab, mask, weights)


def colour_features(image: Image.Image) -> np.ndarray:
    """(DESCRIPTOR_DIM + LAYOUT_DIM,) float32: the descriptor, then the colour layout: the foreground's
    palette histogram and share in each cell of a 3x3 grid. Where the colours sit tells a worn shirt's
    colour from the trousers' below it; only the colour head reads the layout (it cost the category
    of phone photos when every head did), the pixels measured once for both."""
    lab, mask, weights = _measured(image)
    return np.concatenate([_descriptor(lab, mask, weights), _layout(mask, weights)])


def colour_descriptors(images: list[Image.Image]) -> np.ndarray:
    if not images:
        return np.zeros((0, DESCRIPTOR_DIM), np.float32)
    return np.stack([colour_descriptor(image) for image in images])


def dominant_colour(descriptor: np.ndarray) -> tuple[NamedColour, float]:
    """The palette colour with the largest share of the foreground, and that share."""
    histogram = descriptor[: len(PALETTE)]
    index = int(np.argmax(histogram))
    return PALETTE[index], float(histogram[index])
