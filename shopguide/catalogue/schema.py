"""The catalogue item: what a retailer's garment looks like once it is inside the assistant."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, Field, field_validator

from shopguide.search.query_parser import names_phrase

GENDERS = ("women", "men", "unisex", "girls", "boys")

_GENDER_SYNONYMS = {
    "woman": "women",
    "female": "women",
    "ladies": "women",
    "womens": "women",
    "w": "women",
    "man": "men",
    "male": "men",
    "mens": "men",
    "m": "men",
    "girl": "girls",
    "boy": "boys",
    "kids": "unisex",
    "all": "unisex",
    "u": "unisex",
}


class SizeStock(BaseModel):
    """One size of an item and how many are in stock."""

    size: str
    stock: int = Field(default=0, ge=0)


class CatalogueItem(BaseModel):
    """One garment. Only `id` and `title` are required; the rest is what a catalogue gives."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    category: str | None = None
    brand: str | None = Field(default=None, description="maker or label, as the retailer spells it")
    gender: str | None = None
    colours: list[str] = Field(default_factory=list)
    pattern: str | None = None
    material: str | None = None
    tags: list[str] = Field(default_factory=list, description="style and occasion tags")
    price: float | None = Field(default=None, ge=0)
    currency: str = "USD"
    sizes: list[SizeStock] = Field(default_factory=list)
    image: str | None = Field(default=None, description="local path or http(s) URL")
    url: str | None = None
    localized_titles: dict[str, str] = Field(default_factory=dict, description="e.g. {'zh': ...}")
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id", "title")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("brand")
    @classmethod
    def _stripped_or_none(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    @field_validator("category", "pattern", "material")
    @classmethod
    def _lower_or_none(cls, value: str | None) -> str | None:
        value = (value or "").strip().lower()
        return value or None

    @field_validator("gender")
    @classmethod
    def _normalise_gender(cls, value: str | None) -> str | None:
        value = (value or "").strip().lower()
        if not value:
            return None
        return _GENDER_SYNONYMS.get(value, value)

    @field_validator("colours", "tags")
    @classmethod
    def _lower_list(cls, values: list[str]) -> list[str]:
        seen: dict[str, None] = {}
        for value in values:
            value = value.strip().lower()
            if value:
                seen[value] = None
        return list(seen)

    @property
    def sizes_in_stock(self) -> list[str]:
        return [s.size for s in self.sizes if s.stock > 0]

    def content_hash(self, salt: str = "") -> str:
        """A fingerprint of everything that affects the stored record; `salt` names the encoder. Empty
        (None) fields leave it as it was, so that a field new to the schema does not change every item's."""
        fields = {name: value for name, value in self.model_dump(mode="json").items() if value is not None}
        payload = json.dumps(fields, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256((salt + payload).encode()).hexdigest()[:32]

    def shown_title(self, language: str = "en") -> str:
        """The title in the shopper's language, led by the brand where the catalogue has one that the title
        does not name ("Acme Basic Tee"; "Puma Men Black T-shirt" stays as it is)."""
        return self._branded(self.localized_titles.get(language, self.title))

    def _branded(self, title: str) -> str:
        if not self.brand:
            return title
        return title if names_phrase(title, self.brand) else f"{self.brand} {title}"

    def text_for_embedding(self) -> str:
        """The words the text tower reads for this item: its titles, with the brand."""
        parts = [self._branded(title) for title in (self.title, *self.localized_titles.values()) if title]
        return " | ".join(parts)
