"""Flat product drawings of garments for the demo catalogue: a silhouette per category, a pattern, details.

Every shape is described in a unit square (x right, y down) and drawn at twice the final size, then
scaled down, which smooths the edges. ``SHAPES`` make up the silhouette, filled with the item's colour
and its pattern; ``TRIMS`` (collars, waistbands, soles) are drawn on top in the item's second colour,
if it has one, and ``DETAILS`` (seams, buttons) in a darker (for dark colours: lighter) shade of its
colour. Nothing here reads global random state: the caller passes a ``random.Random``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

RGB = tuple[int, int, int]
Point = tuple[float, float]
# ("poly", points) | ("line", points, width) | ("ellipse", box) | ("arc", box, start, end, width)
Part = tuple
ToPixels = Callable[[Point], tuple[float, float]]

SUPERSAMPLE = 2


def poly(*points: Point) -> Part:
    return ("poly", list(points))


def line(width: float, *points: Point) -> Part:
    return ("line", list(points), width)


def dot(x: float, y: float, radius: float) -> Part:
    return ("ellipse", (x - radius, y - radius, x + radius, y + radius))


def mirrored(*left: Point) -> Part:
    """A symmetric outline from its left half, listed from the top centre round to the bottom centre."""
    right = [(1.0 - x, y) for x, y in reversed(left)]
    return ("poly", [*left, *right[1:-1]])


def both_sides(*parts: Part) -> list[Part]:
    """The given parts plus their mirror images (collars, pockets, creases)."""
    flipped: list[Part] = []
    for part in parts:
        if part[0] in ("poly", "line"):
            flipped.append((part[0], [(1.0 - x, y) for x, y in part[1]], *part[2:]))
        elif part[0] == "ellipse":
            x0, y0, x1, y1 = part[1]
            flipped.append(("ellipse", (1.0 - x1, y0, 1.0 - x0, y1)))
    return [*parts, *flipped]


# fmt: off
T_SHIRT = mirrored((0.5, 0.24), (0.44, 0.22), (0.40, 0.16), (0.27, 0.20), (0.11, 0.37), (0.20, 0.46),
                   (0.30, 0.38), (0.30, 0.86), (0.5, 0.86))
SHIRT = mirrored((0.5, 0.20), (0.41, 0.14), (0.29, 0.18), (0.21, 0.36), (0.14, 0.80), (0.22, 0.82),
                 (0.27, 0.52), (0.31, 0.38), (0.31, 0.88), (0.40, 0.92), (0.5, 0.90))
SHIRT_COLLAR = poly((0.41, 0.12), (0.50, 0.21), (0.44, 0.27), (0.38, 0.17))
BLOUSE = mirrored((0.5, 0.22), (0.43, 0.20), (0.39, 0.15), (0.29, 0.18), (0.18, 0.32), (0.09, 0.56),
                  (0.22, 0.60), (0.28, 0.43), (0.32, 0.39), (0.36, 0.58), (0.30, 0.82), (0.5, 0.84))
DRESS = mirrored((0.5, 0.21), (0.43, 0.17), (0.41, 0.08), (0.37, 0.08), (0.35, 0.22), (0.37, 0.40),
                 (0.15, 0.92), (0.30, 0.95), (0.5, 0.96))
SKIRT = mirrored((0.5, 0.20), (0.36, 0.20), (0.35, 0.27), (0.19, 0.80), (0.34, 0.83), (0.5, 0.84))
SWEATER = mirrored((0.5, 0.20), (0.43, 0.18), (0.40, 0.14), (0.27, 0.18), (0.17, 0.38), (0.12, 0.82),
                   (0.21, 0.84), (0.26, 0.52), (0.30, 0.40), (0.29, 0.85), (0.5, 0.85))
JACKET = mirrored((0.5, 0.18), (0.42, 0.13), (0.27, 0.18), (0.18, 0.38), (0.13, 0.80), (0.22, 0.82),
                  (0.27, 0.50), (0.31, 0.38), (0.31, 0.74), (0.5, 0.74))
COAT = mirrored((0.5, 0.18), (0.42, 0.12), (0.28, 0.16), (0.19, 0.36), (0.14, 0.74), (0.23, 0.76),
                (0.28, 0.48), (0.32, 0.36), (0.28, 0.94), (0.5, 0.94))
BLAZER = mirrored((0.5, 0.18), (0.42, 0.13), (0.28, 0.17), (0.19, 0.37), (0.14, 0.78), (0.23, 0.80),
                  (0.28, 0.50), (0.32, 0.37), (0.31, 0.80), (0.46, 0.82), (0.5, 0.78))
TROUSERS = mirrored((0.5, 0.10), (0.34, 0.10), (0.32, 0.30), (0.30, 0.93), (0.47, 0.93), (0.5, 0.40))
SHORTS = mirrored((0.5, 0.18), (0.33, 0.18), (0.30, 0.38), (0.26, 0.64), (0.47, 0.66), (0.5, 0.48))
SNEAKER = poly((0.14, 0.68), (0.14, 0.50), (0.17, 0.42), (0.22, 0.40), (0.30, 0.46), (0.38, 0.45),
               (0.44, 0.36), (0.48, 0.31), (0.53, 0.32), (0.60, 0.42), (0.70, 0.48), (0.80, 0.52),
               (0.86, 0.55), (0.89, 0.59), (0.90, 0.63), (0.89, 0.68))
SNEAKER_SOLE = poly((0.12, 0.66), (0.91, 0.66), (0.90, 0.74), (0.13, 0.74))
BOOT = poly((0.30, 0.10), (0.54, 0.10), (0.55, 0.54), (0.72, 0.62), (0.84, 0.68), (0.86, 0.79), (0.29, 0.79))
BOOT_SOLE = poly((0.28, 0.78), (0.87, 0.78), (0.87, 0.84), (0.42, 0.84), (0.41, 0.91), (0.29, 0.91))
HAT_CROWN = poly((0.31, 0.62), (0.33, 0.36), (0.41, 0.27), (0.50, 0.31), (0.59, 0.27), (0.67, 0.36),
                 (0.69, 0.62))
SCARF = [("arc", (0.30, 0.08, 0.70, 0.42), 180, 360, 0.085),
         poly((0.30, 0.24), (0.385, 0.24), (0.42, 0.86), (0.31, 0.86)),
         poly((0.615, 0.24), (0.70, 0.24), (0.60, 0.76), (0.49, 0.74)),
         *[line(0.008, (x, 0.85), (x + 0.004, 0.92)) for x in (0.32, 0.345, 0.37, 0.395, 0.41)],
         *[line(0.008, (x, 0.74), (x - 0.01, 0.81)) for x in (0.50, 0.525, 0.55, 0.575, 0.595)]]

SHAPES: dict[str, list[Part]] = {
    "t-shirt": [T_SHIRT], "shirt": [SHIRT, *both_sides(SHIRT_COLLAR)], "blouse": [BLOUSE], "dress": [DRESS],
    "skirt": [SKIRT], "jeans": [TROUSERS], "trousers": [TROUSERS], "shorts": [SHORTS], "jacket": [JACKET],
    "coat": [COAT], "hoodie": [("ellipse", (0.35, 0.03, 0.65, 0.28)), SWEATER], "sweater": [SWEATER],
    "blazer": [BLAZER], "sneakers": [SNEAKER, SNEAKER_SOLE], "boots": [BOOT, BOOT_SOLE],
    "hat": [("ellipse", (0.10, 0.52, 0.90, 0.72)), HAT_CROWN], "scarf": SCARF,
    "bag": [poly((0.22, 0.42), (0.78, 0.42), (0.83, 0.85), (0.17, 0.85)),
            ("arc", (0.33, 0.16, 0.67, 0.66), 180, 360, 0.035)],
}

CREW_NECK = line(0.016, (0.40, 0.16), (0.44, 0.215), (0.5, 0.235), (0.56, 0.215), (0.60, 0.16))
RIBS = [line(0.004, (x, 0.79), (x, 0.85)) for x in (0.33, 0.38, 0.43, 0.48, 0.53, 0.58, 0.63, 0.68)]
BUTTONS = [dot(0.515, y, 0.010) for y in (0.30, 0.42, 0.54, 0.66, 0.78)]

# Trim: the parts that take an item's second colour when it is plain (a contrast collar, a white sole),
# and a shade of its own colour otherwise.
TRIMS: dict[str, list[Part]] = {
    "t-shirt": [CREW_NECK, *both_sides(poly((0.11, 0.37), (0.20, 0.46), (0.222, 0.44), (0.132, 0.35)))],
    "shirt": [*both_sides(SHIRT_COLLAR), *BUTTONS],
    "blouse": both_sides(poly((0.5, 0.23), (0.42, 0.18), (0.42, 0.29))),
    "dress": [line(0.032, (0.37, 0.40), (0.63, 0.40))],
    "skirt": [poly((0.36, 0.20), (0.64, 0.20), (0.645, 0.265), (0.355, 0.265))],
    "trousers": [poly((0.34, 0.10), (0.66, 0.10), (0.665, 0.15), (0.335, 0.15))],
    "shorts": [poly((0.33, 0.18), (0.67, 0.18), (0.675, 0.23), (0.325, 0.23))],
    "jacket": [poly((0.45, 0.15), (0.55, 0.15), (0.53, 0.74), (0.47, 0.74))],
    "coat": [poly((0.46, 0.14), (0.54, 0.14), (0.53, 0.94), (0.47, 0.94)),
             line(0.014, (0.31, 0.52), (0.69, 0.52))],
    "hoodie": [("ellipse", (0.41, 0.08, 0.59, 0.24)),
               *both_sides(line(0.008, (0.46, 0.24), (0.455, 0.36)), dot(0.455, 0.365, 0.008))],
    "sweater": [poly((0.29, 0.79), (0.71, 0.79), (0.71, 0.85), (0.29, 0.85)), CREW_NECK],
    "blazer": both_sides(poly((0.45, 0.14), (0.39, 0.16), (0.37, 0.24), (0.41, 0.26), (0.5, 0.48))),
    "sneakers": [SNEAKER_SOLE],
    "boots": [BOOT_SOLE],
    "hat": [poly((0.322, 0.52), (0.678, 0.52), (0.69, 0.60), (0.31, 0.60))],
    "bag": [("arc", (0.33, 0.16, 0.67, 0.66), 180, 360, 0.035),
            *both_sides(poly((0.32, 0.40), (0.37, 0.40), (0.37, 0.44), (0.32, 0.44)))],
}
# Seams, stitching and buttons, always in a shade of the item's colour.
DETAILS: dict[str, list[Part]] = {
    "t-shirt": [],
    "shirt": [line(0.006, (0.5, 0.22), (0.5, 0.90)),
              *both_sides(line(0.006, *SHIRT_COLLAR[1], SHIRT_COLLAR[1][0]),
                          line(0.006, (0.15, 0.74), (0.225, 0.76)))],
    "blouse": [line(0.010, (0.39, 0.15), (0.44, 0.20), (0.5, 0.22), (0.56, 0.20), (0.61, 0.15)),
               *both_sides(line(0.006, (0.11, 0.53), (0.22, 0.57))), line(0.005, (0.36, 0.58), (0.64, 0.58))],
    "dress": both_sides(line(0.004, (0.45, 0.42), (0.37, 0.93)), line(0.006, (0.41, 0.09), (0.37, 0.09))),
    "skirt": both_sides(line(0.004, (0.43, 0.28), (0.38, 0.82))),
    "jeans": [line(0.006, (0.335, 0.15), (0.665, 0.15)), line(0.006, (0.5, 0.15), (0.5, 0.30), (0.47, 0.34)),
              *both_sides(line(0.006, (0.34, 0.17), (0.37, 0.22), (0.42, 0.17)),
                          line(0.008, (0.40, 0.10), (0.40, 0.15)),
                          line(0.005, (0.305, 0.88), (0.47, 0.88)))],
    "trousers": [line(0.006, (0.5, 0.15), (0.5, 0.32)),
                 *both_sides(line(0.005, (0.39, 0.17), (0.385, 0.93)),
                             line(0.005, (0.36, 0.16), (0.34, 0.24)))],
    "shorts": [line(0.006, (0.5, 0.23), (0.5, 0.36)), *both_sides(line(0.006, (0.28, 0.58), (0.47, 0.60)))],
    "jacket": [line(0.006, (0.32, 0.69), (0.68, 0.69)),
               *both_sides(line(0.008, (0.42, 0.13), (0.36, 0.16), (0.41, 0.27), (0.45, 0.16)),
                           line(0.006, (0.35, 0.48), (0.42, 0.48)),
                           line(0.008, (0.15, 0.72), (0.225, 0.74)))],
    "coat": both_sides(poly((0.46, 0.14), (0.38, 0.16), (0.44, 0.42), (0.47, 0.42)), dot(0.43, 0.60, 0.010),
                       dot(0.43, 0.74, 0.010), line(0.006, (0.33, 0.70), (0.40, 0.70))),
    "hoodie": [line(0.006, (0.5, 0.24), (0.5, 0.85)),
               line(0.006, (0.38, 0.58), (0.62, 0.58), (0.66, 0.78), (0.34, 0.78), (0.38, 0.58)),
               *both_sides(line(0.006, (0.13, 0.76), (0.22, 0.78)))],
    "sweater": [*RIBS, *both_sides(line(0.006, (0.125, 0.76), (0.22, 0.78)))],
    "blazer": [poly((0.45, 0.14), (0.55, 0.14), (0.5, 0.48)), dot(0.5, 0.55, 0.012),
               *both_sides(line(0.006, (0.45, 0.14), (0.39, 0.16), (0.37, 0.24), (0.41, 0.26), (0.5, 0.48)),
                           line(0.008, (0.34, 0.64), (0.43, 0.64)), line(0.004, (0.5, 0.55), (0.46, 0.81)))],
    "sneakers": [line(0.006, (0.47, 0.40), (0.52, 0.37)), line(0.006, (0.51, 0.45), (0.57, 0.41)),
                 line(0.006, (0.56, 0.50), (0.62, 0.46)), line(0.005, (0.70, 0.66), (0.74, 0.52)),
                 line(0.005, (0.14, 0.56), (0.24, 0.58), (0.30, 0.66))],
    "boots": [line(0.008, (0.30, 0.16), (0.54, 0.16)), line(0.005, (0.50, 0.17), (0.51, 0.52)),
              line(0.004, (0.58, 0.58), (0.70, 0.78))],
    "hat": [("arc", (0.10, 0.52, 0.90, 0.72), 10, 170, 0.006), line(0.005, (0.50, 0.31), (0.50, 0.40))],
    "scarf": [line(0.006, (0.31, 0.84), (0.42, 0.84)), line(0.006, (0.49, 0.73), (0.60, 0.75)),
              line(0.006, (0.615, 0.24), (0.70, 0.24))],
    "bag": [line(0.008, (0.22, 0.42), (0.5, 0.56), (0.78, 0.42)), dot(0.5, 0.57, 0.018)],
}
# fmt: on


def shade(colour: RGB) -> RGB:
    """The detail colour: darker for light and mid colours, lighter for very dark ones."""
    luminance = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
    if luminance < 60:
        return tint(colour, 0.25)
    return (round(colour[0] * 0.68), round(colour[1] * 0.68), round(colour[2] * 0.68))


def tint(colour: RGB, amount: float) -> RGB:
    """The colour mixed with ``amount`` of white."""
    return (
        round(colour[0] + amount * (255 - colour[0])),
        round(colour[1] + amount * (255 - colour[1])),
        round(colour[2] + amount * (255 - colour[2])),
    )


def _draw_parts(draw: ImageDraw.ImageDraw, parts: Sequence[Part], fill: int | RGB, to_px: ToPixels) -> None:
    """Draw unit-square parts in one fill."""
    scale = to_px((1.0, 0.0))[0] - to_px((0.0, 0.0))[0]
    for part in parts:
        kind = part[0]
        if kind == "poly":
            draw.polygon([to_px(p) for p in part[1]], fill=fill)
        elif kind == "line":
            width = max(1, round(part[2] * scale))
            draw.line([to_px(p) for p in part[1]], fill=fill, width=width, joint="curve")
        else:
            x0, y0, x1, y1 = part[1]
            box = [*to_px((x0, y0)), *to_px((x1, y1))]
            if kind == "ellipse":
                draw.ellipse(box, fill=fill)
            else:
                draw.arc(box, part[2], part[3], fill=fill, width=max(1, round(part[4] * scale)))


def _pattern_layer(size: int, pattern: str, base: RGB, ink: RGB, rng: random.Random) -> Image.Image:
    """A full canvas in the base colour with the pattern drawn over it in the ink colour."""
    layer = Image.new("RGB", (size, size), base)
    draw = ImageDraw.Draw(layer)
    period = size * rng.uniform(0.07, 0.11)
    phase = rng.uniform(0, period)
    offsets = [phase + (k - 1) * period for k in range(int(size / period) + 3)]
    if pattern == "striped":
        width, vertical = period * 0.32, rng.random() < 0.3
        for a in offsets:
            draw.rectangle([a, 0, a + width, size] if vertical else [0, a, size, a + width], fill=ink)
    elif pattern == "checked":
        width = period * 0.18
        for a in offsets:
            draw.rectangle([a, 0, a + width, size], fill=ink)
            draw.rectangle([0, a, size, a + width], fill=ink)
    elif pattern == "dotted":
        radius = period * 0.2
        for row, y in enumerate(offsets):
            shift = period / 2 if row % 2 else 0.0
            for x in offsets:
                draw.ellipse([x + shift - radius, y - radius, x + shift + radius, y + radius], fill=ink)
    elif pattern == "floral":
        _draw_flowers(draw, size, period * 1.7, ink, rng)
    return layer


def _draw_flowers(draw: ImageDraw.ImageDraw, size: int, spacing: float, ink: RGB, rng: random.Random) -> None:
    """Five-petal flower blobs on a jittered grid, each with a darker centre."""
    petal = spacing * 0.16
    count = int(size / spacing) + 2
    for row in range(count):
        for col in range(count):
            x = (col - 0.5 + rng.uniform(-0.2, 0.2)) * spacing
            y = (row - 0.5 + rng.uniform(-0.2, 0.2)) * spacing
            turn = rng.uniform(0, 2 * math.pi)
            for k in range(5):
                px = x + 1.15 * petal * math.cos(turn + k * 2 * math.pi / 5)
                py = y + 1.15 * petal * math.sin(turn + k * 2 * math.pi / 5)
                draw.ellipse([px - petal, py - petal, px + petal, py + petal], fill=ink)
            heart = petal * 0.6
            draw.ellipse([x - heart, y - heart, x + heart, y + heart], fill=shade(ink))


def draw_garment(
    category: str, colour: RGB, pattern: str, second: RGB | None, background: RGB, size: int, rng: random.Random
) -> Image.Image:
    """The product photo of one garment on a plain background, ``size`` x ``size`` RGB.

    ``second`` is the pattern's colour for a patterned item and the trim's colour for a plain one.
    """
    canvas = size * SUPERSAMPLE
    scale = canvas * rng.uniform(0.84, 0.96)
    stretch = rng.uniform(0.95, 1.05)
    cx = canvas * (0.5 + rng.uniform(-0.025, 0.025))
    cy = canvas * (0.5 + rng.uniform(-0.025, 0.025))

    def to_px(point: Point) -> tuple[float, float]:
        return cx + (point[0] - 0.5) * scale * stretch, cy + (point[1] - 0.5) * scale

    mask = Image.new("L", (canvas, canvas), 0)
    _draw_parts(ImageDraw.Draw(mask), SHAPES[category], 255, to_px)
    fill = _pattern_layer(canvas, pattern, colour, second or shade(colour), rng)
    image = Image.new("RGB", (canvas, canvas), background)
    image.paste(fill, (0, 0), mask)
    draw = ImageDraw.Draw(image)
    trim = second if second and pattern == "plain" else shade(colour)
    _draw_parts(draw, TRIMS.get(category, []), trim, to_px)
    _draw_parts(draw, DETAILS.get(category, []), shade(colour), to_px)
    return image.resize((size, size), Image.Resampling.LANCZOS)
