"""Hard constraints of a search and their translation into a Chroma `where` filter.

A shown item never violates these: they are applied inside the vector query, not after it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

GENDER_INCLUDES = {
    "men": ["men", "unisex"],
    "women": ["women", "unisex"],
    "unisex": ["unisex"],
    "boys": ["boys", "unisex"],
    "girls": ["girls", "unisex"],
}


class Constraints(BaseModel):
    categories: list[str] = Field(default_factory=list, description="any of these")
    colours: list[str] = Field(default_factory=list, description="any of these")
    exclude_colours: list[str] = Field(default_factory=list, description="none of these, main or second")
    gender: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    size: str | None = Field(None, description="in stock in this size")
    pattern: str | None = None
    exclude_patterns: list[str] = Field(default_factory=list, description="none of these: 'not striped'")
    brand: str | None = Field(None, description="as the catalogue spells it")
    exclude_ids: list[str] = Field(default_factory=list)
    exclude_categories: list[str] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return self == Constraints()

    def describe(self) -> str:
        """Short human-readable form, e.g. ``category=dress colour=red price<=50``."""
        parts = []
        if self.categories:
            parts.append("category=" + "|".join(self.categories))
        if self.colours:
            parts.append("colour=" + "|".join(self.colours))
        if self.exclude_colours:
            parts.append("colour!=" + "|".join(self.exclude_colours))
        if self.gender:
            parts.append(f"gender={self.gender}")
        if self.pattern:
            parts.append(f"pattern={self.pattern}")
        if self.exclude_patterns:
            parts.append("pattern!=" + "|".join(self.exclude_patterns))
        if self.brand:
            parts.append(f"brand={self.brand}")
        if self.price_min is not None:
            parts.append(f"price>={self.price_min:g}")
        if self.price_max is not None:
            parts.append(f"price<={self.price_max:g}")
        if self.size:
            parts.append(f"size={self.size}")
        return " ".join(parts) or "none"


def to_where(constraints: Constraints) -> dict[str, Any] | None:
    """Chroma metadata filter for the constraints, or None when there are none."""
    clauses: list[dict[str, Any]] = []
    if constraints.categories:
        clauses.append({"category": {"$in": constraints.categories}})
    if constraints.colours:
        colour_clauses = [{"colours": {"$contains": c}} for c in constraints.colours]
        clauses.append(colour_clauses[0] if len(colour_clauses) == 1 else {"$or": colour_clauses})
    clauses += [{"colours": {"$not_contains": colour}} for colour in constraints.exclude_colours]
    if constraints.gender:
        clauses.append({"gender": {"$in": GENDER_INCLUDES.get(constraints.gender, [constraints.gender])}})
    if constraints.pattern:
        clauses.append({"pattern": constraints.pattern})
    if constraints.exclude_patterns:
        clauses.append({"pattern": {"$nin": constraints.exclude_patterns}})
    if constraints.brand:
        clauses.append({"brand": constraints.brand})
    if constraints.price_min is not None:
        clauses.append({"price": {"$gte": constraints.price_min}})
    if constraints.price_max is not None:
        clauses.append({"price": {"$lte": constraints.price_max}})
    if constraints.size:
        clauses.append({"sizes_in_stock": {"$contains": constraints.size}})
    if constraints.exclude_ids:
        clauses.append({"item_id": {"$nin": constraints.exclude_ids}})
    if constraints.exclude_categories:
        clauses.append({"category": {"$nin": constraints.exclude_categories}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def satisfies(metadata: dict[str, Any], constraints: Constraints) -> bool:
    """The same rules in Python, for tests and for checking results from any store."""
    if constraints.categories and metadata.get("category") not in constraints.categories:
        return False
    if constraints.colours and not set(metadata.get("colours") or []) & set(constraints.colours):
        return False
    if set(metadata.get("colours") or []) & set(constraints.exclude_colours):
        return False
    if constraints.gender and metadata.get("gender") not in GENDER_INCLUDES.get(
        constraints.gender, [constraints.gender]
    ):
        return False
    if constraints.pattern and metadata.get("pattern") != constraints.pattern:
        return False
    if metadata.get("pattern") in constraints.exclude_patterns:
        return False
    if constraints.brand and metadata.get("brand") != constraints.brand:
        return False
    price = metadata.get("price")
    if constraints.price_min is not None and (price is None or price < constraints.price_min):
        return False
    if constraints.price_max is not None and (price is None or price > constraints.price_max):
        return False
    if constraints.size and constraints.size not in (metadata.get("sizes_in_stock") or []):
        return False
    if metadata.get("category") in constraints.exclude_categories:
        return False
    return metadata.get("item_id") not in constraints.exclude_ids
