"""A shopper's profile: what they liked, disliked and bought, the tastes learned from it, their sizes.

Learning is counting: a like adds +1 to each of the item's attribute values (colour, category,
pattern, style tags, gender line, brand), a dislike -1, a purchase +2, a choice (asking about an item)
+0.5. Ranking squashes these counts (:mod:`shopguide.personalisation.rerank`), so a taste saturates
after a few signals and one stray click does not dominate.
"""

from __future__ import annotations

import time
from datetime import date

from pydantic import BaseModel, Field

from shopguide.catalogue.schema import CatalogueItem

LIKE, DISLIKE, PURCHASE, CHOICE = 1.0, -1.0, 2.0, 0.5
MAX_LIKED = 200
MAX_DISLIKED = 1000  # a disliked item never comes back: keep many, but bound the record's size
MAX_PURCHASES = 500
MAX_PRICES = 50
ANY_CATEGORY = ""  # key of `sizes` for a size said without a category


class Purchase(BaseModel):
    item_id: str
    date: date
    size: str | None = None
    category: str | None = None


class Profile(BaseModel):
    """Everything kept about one shopper (keyed by the channel's user id)."""

    shopper: str
    consent: bool | None = Field(None, description="None: never asked; False: learn nothing")
    sizes: dict[str, str] = Field(default_factory=dict, description="category ('' = any) -> size")
    liked: list[str] = Field(default_factory=list, description="item ids, oldest first")
    disliked: list[str] = Field(default_factory=list, description="item ids, oldest first")
    preferences: dict[str, dict[str, float]] = Field(default_factory=dict, description="attribute -> value -> count")
    prices: list[float] = Field(default_factory=list, description="prices of liked and bought items")
    purchases: list[Purchase] = Field(default_factory=list)
    last_seen: float | None = None

    def is_empty(self) -> bool:
        return not (self.sizes or self.liked or self.disliked or self.preferences or self.purchases)

    def like(self, item: CatalogueItem) -> None:
        """Idempotent; a like after a dislike takes the dislike back first."""
        if item.id in self.liked:
            return
        if item.id in self.disliked:
            self.disliked.remove(item.id)
            self.learn(item, -DISLIKE)
        self.liked = [*self.liked, item.id][-MAX_LIKED:]
        self.learn(item, LIKE)

    def dislike(self, item: CatalogueItem) -> None:
        if item.id in self.disliked:
            return
        if item.id in self.liked:
            self.liked.remove(item.id)
            self.learn(item, -LIKE)
        self.disliked = [*self.disliked, item.id][-MAX_DISLIKED:]
        self.learn(item, DISLIKE)

    def choose(self, item: CatalogueItem) -> None:
        """A softer signal than a like: the shopper asked about the item or picked it."""
        self.learn(item, CHOICE)

    def buy(self, purchase: Purchase, item: CatalogueItem | None) -> bool:
        """Record a purchase once (same item and date twice is the same purchase); False if known.

        Attributes are learned only from items the catalogue knows; the size is remembered for
        the item's category when this is the latest purchase in it."""
        if any(p.item_id == purchase.item_id and p.date == purchase.date for p in self.purchases):
            return False
        if item is not None:
            purchase = purchase.model_copy(update={"category": item.category})
            self.learn(item, PURCHASE)
        latest = max((p.date for p in self.purchases if p.category == purchase.category), default=None)
        if purchase.size and purchase.category and (latest is None or purchase.date >= latest):
            self.sizes[purchase.category] = purchase.size
        self.purchases = sorted([*self.purchases, purchase], key=lambda p: p.date)[-MAX_PURCHASES:]
        return True

    def learn(self, item: CatalogueItem, signal: float) -> None:
        for attribute, values in item_attributes(item).items():
            counts = self.preferences.setdefault(attribute, {})
            for value in values:
                counts[value] = round(counts.get(value, 0.0) + signal, 6)
                if counts[value] == 0:
                    del counts[value]
        if signal > 0 and item.price is not None:
            self.prices = [*self.prices, item.price][-MAX_PRICES:]

    def set_size(self, size: str, category: str | None = None) -> None:
        self.sizes[category or ANY_CATEGORY] = size

    def size_for(self, category: str | None) -> str | None:
        return self.sizes.get(category or ANY_CATEGORY) or self.sizes.get(ANY_CATEGORY)

    def price_range(self) -> tuple[float, float] | None:
        """The range of prices the shopper liked or paid, once there are two to span one."""
        return (min(self.prices), max(self.prices)) if len(self.prices) >= 2 else None

    def touch(self) -> None:
        self.last_seen = time.time()


def item_attributes(item: CatalogueItem) -> dict[str, list[str]]:
    """The attribute values a profile learns from, by attribute name (the reasons' vocabulary)."""
    single = {"category": item.category, "pattern": item.pattern, "gender": item.gender, "brand": item.brand}
    values = {name: [value] for name, value in single.items() if value}
    if item.colours:
        values["colour"] = list(item.colours)
    if item.tags:
        values["style"] = list(item.tags)
    return values
