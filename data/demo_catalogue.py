"""The demo catalogue: generated garments with drawn product photos, so no shop's data enters the repo.

``generate(out_dir)`` writes ``catalogue.jsonl`` (one :class:`~shopguide.catalogue.schema.CatalogueItem`
per line) and ``images/<id>.jpg``. Everything follows from the seed: the same seed gives byte-identical
files. Item ``k`` depends only on the seed and ``k``, so a smaller catalogue is a prefix of a larger one.
Categories come in shuffled rounds (every category appears within the first len(CATEGORIES) items),
and the first items of some categories are plain, low-priced "staples" (a red dress, blue and black
jeans, white sneakers...) so that the demo always has the classics shoppers ask for.
"""

from __future__ import annotations

import json
import math
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from data.garment_drawing import RGB, draw_garment

# fmt: off
PALETTE: dict[str, RGB] = {
    "black": (30, 30, 32), "white": (250, 250, 248), "grey": (135, 135, 138), "navy": (28, 40, 92),
    "blue": (45, 105, 200), "red": (200, 30, 40), "green": (40, 130, 70), "yellow": (240, 200, 40),
    "pink": (240, 150, 180), "purple": (120, 60, 160), "beige": (220, 200, 165), "brown": (120, 75, 40),
    "orange": (240, 130, 30), "khaki": (170, 155, 100), "maroon": (120, 25, 50),
}
COLOUR_ZH = {
    "black": "黑色", "white": "白色", "grey": "灰色", "navy": "海军蓝", "blue": "蓝色", "red": "红色",
    "green": "绿色", "yellow": "黄色", "pink": "粉色", "purple": "紫色", "beige": "米色", "brown": "棕色",
    "orange": "橙色", "khaki": "卡其色", "maroon": "酒红色",
}
PATTERN_ZH = {"plain": "", "striped": "条纹", "checked": "格纹", "dotted": "波点", "floral": "碎花"}
MATERIAL_ZH = {
    "cotton": "纯棉", "linen": "亚麻", "denim": "牛仔", "wool": "羊毛", "polyester": "涤纶",
    "leather": "皮革", "silk": "真丝", "cashmere": "羊绒", "canvas": "帆布", "suede": "麂皮",
    "fleece": "抓绒", "corduroy": "灯芯绒", "chiffon": "雪纺", "nylon": "尼龙", "straw": "草编",
}
FITS_ZH = {
    "slim": "修身", "regular": "常规", "relaxed": "宽松", "straight": "直筒", "wide-leg": "阔腿",
    "skinny": "紧身", "oversized": "廓形",
}
MATERIAL_PRICE = {"silk": 1.3, "cashmere": 1.6, "leather": 1.5, "suede": 1.3, "wool": 1.2, "linen": 1.1,
                  "polyester": 0.85, "canvas": 0.9, "nylon": 0.9, "fleece": 0.9, "straw": 0.8}
# fmt: on
# invented makers and what each makes; an item's brand is drawn among its kind's makers
BRANDS: dict[str, tuple[str, ...]] = {
    "Northwind": ("jacket", "coat", "hoodie", "sweater", "scarf", "hat", "boots"),
    "Lumen": ("dress", "blouse", "skirt", "blazer", "scarf", "bag"),
    "Pinecrest": ("shirt", "trousers", "blazer", "coat"),
    "Halden": ("jeans", "shorts", "jacket", "shirt", "t-shirt"),
    "Stride": ("sneakers", "boots", "t-shirt", "hoodie", "shorts", "bag"),
    "Kinfolk": ("t-shirt", "sweater", "trousers", "skirt", "hat", "dress", "blouse"),
}
WARM_MATERIALS = {"wool", "cashmere", "fleece", "corduroy"}
COOL_MATERIALS = {"linen", "straw", "chiffon"}

CLOTHING_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
SHOE_SIZES = {"women": range(36, 43), "men": range(39, 47), "unisex": range(36, 47)}
CLASSIC_COLOURS = ("black", "white", "navy", "grey", "blue", "red", "beige")
DARK_LIGHT_COLOURS = ("black", "white", "grey", "navy", "beige", "brown", "khaki")
TAILORING_COLOURS = (*DARK_LIGHT_COLOURS, "maroon", "blue", "green")
ALL_PATTERNS = ("plain", "plain", "striped", "checked", "dotted", "floral")
MOSTLY_PLAIN = ("plain", "plain", "plain", "checked")
EITHER = ("unisex", "unisex", "women", "men")  # mostly unisex: basics, shoes and accessories


@dataclass(frozen=True)
class Category:
    """What one kind of garment can be: its name in titles, materials, prices, looks and wearers."""

    noun: str
    zh: str
    materials: tuple[str, ...]
    price: tuple[float, float]
    tags: tuple[str, ...]
    detail: str
    genders: tuple[str, ...] = ("women", "men", "unisex")
    sizing: str = "clothing"  # clothing, shoes or one size
    colours: tuple[str, ...] = tuple(PALETTE)
    patterns: tuple[str, ...] = ALL_PATTERNS
    fits: tuple[str, ...] = ()


# fmt: off
CATEGORIES: dict[str, Category] = {
    "t-shirt": Category(
        "T-Shirt", "T恤", ("cotton", "linen", "polyester"), (9, 35), ("casual", "summer", "sport", "beach"),
        "Short sleeves and a soft crew neck.", genders=EITHER, fits=("slim", "regular", "oversized")),
    "shirt": Category(
        "Shirt", "衬衫", ("cotton", "linen", "silk", "denim"), (20, 80), ("office", "casual", "formal", "summer"),
        "Long sleeves, a pointed collar and a full button placket.", fits=("slim", "regular"),
        patterns=("plain", "plain", "striped", "checked", "dotted")),
    "blouse": Category(
        "Blouse", "女衫", ("silk", "chiffon", "cotton", "polyester"), (18, 90),
        ("office", "casual", "party", "summer", "evening"),
        "Flared three-quarter sleeves and a tie at the neck.", genders=("women",)),
    "dress": Category(
        "Dress", "连衣裙", ("cotton", "linen", "silk", "chiffon", "polyester"), (20, 150),
        ("party", "wedding", "evening", "summer", "casual", "beach", "office"),
        "A fitted bodice with a belted waist and a flared skirt.", genders=("women",)),
    "skirt": Category(
        "Skirt", "半身裙", ("cotton", "denim", "linen", "wool", "chiffon"), (15, 90),
        ("casual", "office", "party", "summer"), "An A-line cut with a flat waistband.", genders=("women",)),
    "jeans": Category(
        "Jeans", "牛仔裤", ("denim",), (25, 120), ("casual", "party", "travel"),
        "Five pockets, a zip fly and a mid-rise waist.", colours=("blue", "navy", "black", "grey", "white"),
        patterns=("plain",), fits=("slim", "straight", "wide-leg", "skinny", "relaxed")),
    "trousers": Category(
        "Trousers", "长裤", ("cotton", "wool", "linen", "corduroy", "polyester"), (25, 110),
        ("office", "formal", "casual"), "Pressed creases and slanted side pockets.", colours=TAILORING_COLOURS,
        patterns=("plain", "plain", "checked", "striped"), fits=("slim", "straight", "wide-leg", "relaxed")),
    "shorts": Category(
        "Shorts", "短裤", ("cotton", "denim", "linen", "polyester"), (12, 50), ("summer", "beach", "sport", "casual"),
        "An elastic waist and knee-length legs.", fits=("regular", "relaxed")),
    "jacket": Category(
        "Jacket", "夹克", ("denim", "leather", "polyester", "suede", "corduroy", "nylon"), (40, 220),
        ("casual", "travel", "evening"), "A zip front, a turn-down collar and two flap pockets.",
        patterns=MOSTLY_PLAIN),
    "coat": Category(
        "Coat", "大衣", ("wool", "cashmere", "polyester", "cotton"), (60, 300),
        ("winter", "office", "formal", "casual"), "Wide lapels, a tie belt and a below-the-knee length.",
        colours=TAILORING_COLOURS, patterns=MOSTLY_PLAIN),
    "hoodie": Category(
        "Hoodie", "卫衣", ("cotton", "fleece", "polyester"), (25, 90), ("casual", "sport", "winter"),
        "A drawstring hood, a kangaroo pocket and ribbed cuffs.", genders=EITHER,
        patterns=("plain", "plain", "striped"), fits=("regular", "oversized")),
    "sweater": Category(
        "Sweater", "毛衣", ("wool", "cashmere", "cotton"), (25, 160), ("winter", "casual", "office"),
        "A ribbed crew neck, cuffs and hem.", genders=EITHER,
        patterns=("plain", "plain", "striped", "checked", "dotted"), fits=("regular", "oversized")),
    "blazer": Category(
        "Blazer", "西装", ("wool", "linen", "cotton", "polyester"), (60, 280),
        ("office", "formal", "wedding", "evening"), "Notched lapels, a single button and flap pockets.",
        colours=TAILORING_COLOURS,
        patterns=("plain", "plain", "plain", "checked", "striped"), fits=("slim", "regular")),
    "sneakers": Category(
        "Sneakers", "运动鞋", ("canvas", "leather", "suede"), (35, 160), ("casual", "sport", "travel", "summer"),
        "A cushioned sole and lace-up front.", genders=EITHER, sizing="shoes", patterns=("plain",)),
    "boots": Category(
        "Boots", "靴子", ("leather", "suede"), (50, 240), ("winter", "casual", "evening", "travel"),
        "A side zip, a block heel and a grippy sole.", sizing="shoes",
        colours=("black", "brown", "beige", "khaki", "maroon", "grey", "navy"), patterns=("plain",)),
    "hat": Category(
        "Hat", "帽子", ("wool", "cotton", "straw"), (10, 60), ("summer", "beach", "winter", "casual"),
        "A shaped crown with a band and a wide brim.", genders=EITHER, sizing="one size",
        patterns=("plain", "plain", "plain", "dotted")),
    "scarf": Category(
        "Scarf", "围巾", ("wool", "cashmere", "silk", "cotton"), (10, 120), ("winter", "casual", "office", "evening"),
        "A long drape finished with a fringe.", genders=EITHER, sizing="one size"),
    "bag": Category(
        "Bag", "手提包", ("leather", "canvas", "nylon", "suede"), (20, 250),
        ("office", "casual", "evening", "travel", "party"), "A top handle, a fold-over flap and a snap clasp.",
        genders=("women", "women", "unisex"), sizing="one size", patterns=(*MOSTLY_PLAIN, "dotted")),
}
# Plain items may take a second colour on these parts (garment_drawing.TRIMS).
TRIM_PHRASES = {
    "t-shirt": "with {ink} neck and sleeve bands", "shirt": "with a {ink} collar and buttons",
    "blouse": "with a {ink} bow", "dress": "with a {ink} belt", "skirt": "with a {ink} waistband",
    "trousers": "with a {ink} waistband", "shorts": "with a {ink} waistband", "jacket": "with a {ink} lining",
    "coat": "with a {ink} lining and belt", "hoodie": "with a {ink} hood lining and drawstrings",
    "sweater": "with {ink} neck and hem bands", "blazer": "with {ink} lapels",
    "sneakers": "with a {ink} sole", "boots": "with a {ink} sole", "hat": "with a {ink} band",
    "bag": "with a {ink} handle",
}
PATTERN_PHRASES = {"striped": "with {ink} stripes", "checked": "in a {ink} check",
                   "dotted": "with {ink} polka dots", "floral": "with a {ink} floral print"}
# The colours of a category's first items: the classics that shoppers (and the search tests) ask for.
STAPLES = {
    "dress": ("red", "black"), "jeans": ("blue", "black"), "sneakers": ("white", "black"),
    "coat": ("black", "beige"), "shirt": ("white", "blue"), "t-shirt": ("black", "white"),
    "blazer": ("navy",), "boots": ("brown", "black"),
}
# fmt: on


def _luminance(name: str) -> float:
    r, g, b = PALETTE[name]
    return 0.299 * r + 0.587 * g + 0.114 * b


def _pick_colour(rng: random.Random, allowed: tuple[str, ...]) -> str:
    """The item's main colour: the classics (black, white, navy, grey, blue, red, beige) are twice as likely."""
    return rng.choices(allowed, weights=[2 if name in CLASSIC_COLOURS else 1 for name in allowed])[0]


def _pick_ink(rng: random.Random, colour: str) -> str:
    """A second colour that stands out against the first, for the pattern or the trim."""
    options = [name for name in PALETTE if abs(_luminance(name) - _luminance(colour)) > 70]
    return rng.choice(options)


def _price(rng: random.Random, spec: Category, material: str, staple: bool) -> float:
    low, high = spec.price
    top = low + 0.5 * (high - low) if staple else high
    raw = math.exp(rng.uniform(math.log(low), math.log(top))) * MATERIAL_PRICE.get(material, 1.0)
    raw = min(max(raw, low), top)
    return round(min(max(math.floor(raw) + rng.choice((0.0, 0.5, 0.99)), low), top), 2)


def _brand(seed: int, index: int, category: str) -> str:
    """Drawn from its own stream: the other fields come out as they did before brands."""
    makers = [brand for brand, kinds in BRANDS.items() if category in kinds]
    return random.Random(f"demo-brand-{seed}-{index}").choice(makers)


def _tags(rng: random.Random, spec: Category, material: str) -> list[str]:
    pool = list(spec.tags)
    if material in WARM_MATERIALS:
        pool = [t for t in pool if t not in ("summer", "beach")]
        pool += [] if "winter" in pool else ["winter"]
    elif material in COOL_MATERIALS:
        pool = [t for t in pool if t != "winter"]
        pool += [] if "summer" in pool else ["summer"]
    return sorted(rng.sample(pool, min(len(pool), rng.choice((2, 2, 3)))))


def _sizes(rng: random.Random, spec: Category, gender: str) -> list[dict[str, Any]]:
    if spec.sizing == "one size":
        names = ["one size"]
    elif spec.sizing == "shoes":
        names = [str(n) for n in SHOE_SIZES[gender]]
    else:
        names = list(CLOTHING_SIZES)
    return [{"size": name, "stock": 0 if rng.random() < 0.07 else rng.randint(1, 40)} for name in names]


def _titles(spec: Category, colour: str, pattern: str, word: str, word_zh: str) -> tuple[str, str]:
    parts = [colour.title(), "" if pattern == "plain" else pattern.title(), word.title(), spec.noun]
    zh = COLOUR_ZH[colour] + PATTERN_ZH[pattern] + word_zh + spec.zh
    return " ".join(p for p in parts if p), zh


def make_record(index: int, category: str, seed: int, staple: str | None = None) -> dict[str, Any]:
    """The catalogue entry of item ``index`` (1-based), a plain low-priced one in the ``staple`` colour if given."""
    rng = random.Random(f"demo-{seed}-{index}")
    spec = CATEGORIES[category]
    colour = staple or _pick_colour(rng, spec.colours)
    pattern = "plain" if staple else rng.choice(spec.patterns)
    trimmed = pattern == "plain" and not staple and category in TRIM_PHRASES and rng.random() < 0.5
    colours = [colour, _pick_ink(rng, colour)] if pattern != "plain" or trimmed else [colour]
    material = rng.choice(spec.materials)
    gender = rng.choice(spec.genders)
    fit = rng.choice(spec.fits) if spec.fits and rng.random() < 0.6 else None
    if category == "jeans":
        fit = fit or "straight"
        word, word_zh = fit, FITS_ZH[fit]
    else:
        word, word_zh = material, MATERIAL_ZH[material]
    title, title_zh = _titles(spec, colour, pattern, word, word_zh)
    tags = _tags(rng, spec, material)  # occasions first: the description names the first two
    phrase = (TRIM_PHRASES[category] if trimmed else PATTERN_PHRASES.get(pattern, "")).format(ink=colours[-1])
    words = [f"{fit.title()}-fit" if fit else "", colour, material, spec.noun.lower(), phrase]
    first = " ".join(word for word in words if word)
    occasions = " and ".join(tags[:2])
    description = f"{first[0].upper()}{first[1:]}. {spec.detail[:-1]}, ideal for {occasions} wear."
    item_id = f"demo-{index:04d}"
    return {
        "id": item_id,
        "title": title,
        "brand": _brand(seed, index, category),
        "description": description,
        "category": category,
        "gender": gender,
        "colours": colours,
        "pattern": pattern,
        "material": material,
        "tags": [*tags, fit] if fit else tags,  # a fit is a style a shopper asks for ("an oversized hoodie")
        "price": _price(rng, spec, material, staple is not None),
        "currency": "USD",
        "sizes": _sizes(rng, spec, gender),
        "image": f"images/{item_id}.jpg",
        "url": f"https://shop.example.com/products/{item_id}",
        "localized_titles": {"zh": title_zh},
        "extra": {"fit": fit} if fit else {},
    }


def category_sequence(n_items: int, seed: int) -> list[str]:
    """Categories in shuffled rounds, so every category shows up early and about equally often."""
    rng = random.Random(f"demo-categories-{seed}")
    sequence: list[str] = []
    while len(sequence) < n_items:
        round_ = list(CATEGORIES)
        rng.shuffle(round_)
        sequence.extend(round_)
    return sequence[:n_items]


def render_image(record: dict[str, Any], seed: int, index: int, size: int) -> Image.Image:
    """The product photo: the garment in its declared colours on a light studio background, a little noise."""
    rng = random.Random(f"demo-image-{seed}-{index}")
    light = _luminance(record["colours"][0]) > 200
    level = rng.uniform(210, 222) if light else rng.uniform(226, 238)
    background = tuple(round(level + rng.uniform(-3, 3)) for _ in range(3))
    factor = rng.uniform(0.98, 1.0) if light else rng.uniform(0.94, 1.05)
    colour = tuple(min(255, round(c * factor)) for c in PALETTE[record["colours"][0]])
    ink = PALETTE[record["colours"][1]] if len(record["colours"]) > 1 else None
    image = draw_garment(record["category"], colour, record["pattern"], ink, background, size, rng)
    noise = np.random.default_rng([seed, index]).normal(0.0, 1.5, (size, size, 3))
    pixels = np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).round().astype(np.uint8)
    return Image.fromarray(pixels, "RGB")


def generate(out_dir: Path, n_items: int = 600, seed: int = 7, image_size: int = 224) -> Path:
    """Write out_dir/catalogue.jsonl and out_dir/images/<id>.jpg; return the jsonl path."""
    out_dir = Path(out_dir)
    images = out_dir / "images"
    images.mkdir(parents=True, exist_ok=True)
    seen: dict[str, int] = {}
    lines = []
    for index, category in enumerate(category_sequence(n_items, seed), start=1):
        earlier = seen.get(category, 0)
        seen[category] = earlier + 1
        staples = STAPLES.get(category, ())
        record = make_record(index, category, seed, staples[earlier] if earlier < len(staples) else None)
        image = render_image(record, seed, index, image_size)
        # 4:4:4 chroma keeps small pattern colours true; no EXIF or timestamps: the bytes follow the seed.
        image.save(images / f"{record['id']}.jpg", "JPEG", quality=90, subsampling=0)
        lines.append(json.dumps(record, ensure_ascii=False))
    path = out_dir / "catalogue.jsonl"
    partial = out_dir / f".catalogue.jsonl.{os.getpid()}.tmp"
    partial.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    partial.replace(path)
    return path
