"""Queries generated from a catalogue's labels, and reading the labels back out of a query's words.

Attribute queries use other wordings than the training captions ("show me ... for men" /
"我想买...的..."), so that a model cannot score by having memorised the caption templates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from models.captions import GENDER_EN, GENDER_ZH, chinese_type, singular
from models.colour import chinese_colour
from models.features import Garment


@dataclass
class AttributeQuery:
    category: str
    colour: str
    gender: str
    count: int

    def english(self) -> str:
        return f"show me {self.colour} {singular(self.category)} for {GENDER_EN.get(self.gender, self.gender)}"

    def chinese(self) -> str:
        gender = GENDER_ZH.get(self.gender, self.gender)
        return f"我想买{gender}的{chinese_colour(self.colour)}{chinese_type(self.category)}"


def attribute_queries(garments: list[Garment], min_items: int = 10) -> list[AttributeQuery]:
    """Every (colour, type, gender) combination with at least `min_items` items."""
    counts = Counter((g.category, g.colour, g.gender) for g in garments if g.category and g.colour and g.gender)
    return [AttributeQuery(c, col, gen, n) for (c, col, gen), n in sorted(counts.items()) if n >= min_items]


def _names(attribute: str, value: str) -> list[str]:
    if attribute == "colour":
        return [value, chinese_colour(value)]
    if attribute == "gender":
        return [value, GENDER_EN.get(value, value), GENDER_ZH.get(value, value)]
    if attribute == "brand":
        return [value]
    return [value, singular(value), chinese_type(value)]


def parse_attributes(text: str, labels: dict[str, list[str]]) -> dict[str, str]:
    """The label of each attribute whose name (English or Chinese) the text contains; the longest
    name wins ("navy blue" over "blue"); English names must match whole words ("men" in "women" not)."""
    lowered = text.lower()
    found: dict[str, str] = {}
    for attribute, values in labels.items():
        best, best_length = None, 0
        for value in values:
            for name in _names(attribute, value):
                name = name.lower()
                if not name or len(name) <= best_length:
                    continue
                pattern = re.escape(name) if not name.isascii() else rf"(?<![a-z-]){re.escape(name)}(?![a-z-])"
                if re.search(pattern, lowered):
                    best, best_length = value, len(name)
        if best is not None:
            found[attribute] = best
    return found
