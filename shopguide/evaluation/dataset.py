"""A catalogue file (CSV/JSONL/Shopify + column mapping + image folder) as labelled garments."""

from __future__ import annotations

import csv
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from models.captions import pattern_from_title
from models.features import Garment
from shopguide.catalogue.readers import read_rows
from shopguide.catalogue.rows import to_item
from shopguide.errors import RowRejected

log = logging.getLogger(__name__)

MYNTRA_MAP = "title=productDisplayName,category=articleType,colours=baseColour"
_SHOPPER_WORDS = {"men", "women", "boys", "girls", "unisex", "kids", "man", "woman", "mens", "womens"}


def brand_before_shopper(title: str) -> str | None:
    """The brand of a title that names it before whom the garment is for, as Myntra's do ("Puma Men
    Black T-shirt", "United Colors of Benetton Women Navy Top"): for catalogues without a brand column."""
    words = title.split()
    at = next((i for i, word in enumerate(words) if word.lower().removesuffix("'s") in _SHOPPER_WORDS), 0)
    return " ".join(words[:at]) or None


def load_garments(
    path: Path, mapping: dict[str, str], images_dir: Path | None = None, brand_from_title: bool = False
) -> list[Garment]:
    """Every valid row with its image path resolved; rows without a usable id/title are skipped.
    `brand_from_title`: rows without a brand take :func:`brand_before_shopper` of their title."""
    base = images_dir or path.parent
    garments = []
    for source in read_rows(path, "auto", mapping):
        try:
            item = to_item(source, "USD")
        except RowRejected as error:
            log.info("eval.row_skipped row=%s reason=%s", error.row, error.reason)
            continue
        image = None
        if item.image and not item.image.startswith(("http://", "https://")):
            image = Path(item.image) if Path(item.image).is_absolute() else base / item.image
        colour = item.colours[0] if item.colours and item.colours[0] not in ("na", "multi") else None
        garments.append(
            Garment(
                id=item.id,
                title=item.title,
                image=image,
                category=item.category,
                colour=colour,
                gender=item.gender,
                pattern=item.pattern or pattern_from_title(item.title),
                brand=item.brand or (brand_before_shopper(item.title) if brand_from_title else None),
            )
        )
    return one_spelling_per_brand(garments)


def one_spelling_per_brand(garments: list[Garment]) -> list[Garment]:
    """Each brand as most of its items spell it ("FILA" and "Fila" are one brand to learn, not two)."""
    spellings: dict[str, Counter[str]] = {}
    for garment in garments:
        if garment.brand:
            spellings.setdefault(garment.brand.casefold(), Counter())[garment.brand] += 1
    for garment in garments:
        if garment.brand:
            garment.brand = spellings[garment.brand.casefold()].most_common(1)[0][0]
    return garments


@dataclass
class Photo:
    path: Path
    label: str


def load_photos(folder: Path, label_map: dict[str, list[str]]) -> list[Photo]:
    """Shoppers' photos from ``images.csv`` (image, label) with the label mapped to catalogue categories;
    photos whose label has no mapping are left out."""
    photos = []
    with open(folder / "images.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("label") in label_map and row.get("kids", "False") != "True":
                name = row["image"] if "." in row["image"] else f"{row['image']}.jpg"
                photos.append(Photo(folder / "images" / name, row["label"]))
    return photos


# clothing-cc0 labels -> myntra articleTypes (lower case, as the catalogue schema stores them)
CLOTHING_CC0_MAP: dict[str, list[str]] = {
    "T-Shirt": ["tshirts"],
    "Longsleeve": ["tshirts", "sweatshirts", "tops"],
    "Pants": ["trousers", "jeans", "track pants"],
    "Shoes": ["casual shoes", "sports shoes", "formal shoes", "heels", "flats", "sandals"],
    "Shirt": ["shirts"],
    "Dress": ["dresses"],
    "Outwear": ["jackets", "sweatshirts"],
    "Shorts": ["shorts"],
    "Hat": ["caps"],
    "Skirt": ["skirts"],
    "Polo": ["tshirts"],
    "Undershirt": ["innerwear vests", "tshirts"],
    "Blazer": ["blazers", "jackets"],
    "Hoodie": ["sweatshirts"],
    "Top": ["tops", "tshirts"],
    "Blouse": ["tops", "shirts"],
}
