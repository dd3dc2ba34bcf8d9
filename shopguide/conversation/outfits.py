"""What goes with what: garment groups and the groups that complete an outfit around them."""

from __future__ import annotations

from shopguide.search.query_parser import singular

GROUPS = {
    "top": {"tshirt", "shirt", "blouse", "sweater", "hoodie", "top", "tshirts", "polo", "tunic", "sweatshirt"},
    "bottom": {"jean", "trouser", "short", "skirt", "pant", "legging", "trackpant"},
    "outer": {"jacket", "coat", "blazer"},
    "one_piece": {"dress", "jumpsuit"},
    "shoes": {"sneaker", "boot", "shoe", "casualshoe", "sportsshoe", "formalshoe", "heel", "sandal", "flat"},
    "accessory": {"hat", "scarf", "bag", "handbag", "cap", "belt", "watch"},
}
COMPLEMENTS = {
    "top": ("bottom", "shoes", "outer"),
    "bottom": ("top", "shoes"),
    "outer": ("top", "bottom"),
    "one_piece": ("shoes", "accessory", "outer"),
    "shoes": ("bottom", "top"),
    "accessory": ("top", "one_piece"),
}


def group_of(category: str | None) -> str | None:
    key = singular(category or "")
    return next((group for group, keys in GROUPS.items() if key in keys or key.removesuffix("s") in keys), None)


def complementary_categories(category: str | None, vocabulary: list[str]) -> list[str]:
    """Catalogue categories that complete an outfit around `category` (empty: any other category)."""
    group = group_of(category)
    if group is None:
        return []
    wanted = set(COMPLEMENTS[group])
    return [value for value in vocabulary if group_of(value) in wanted]
