"""What the shopper wants, as the conversation's slots hold it, and its translation into a search.

Slot values are catalogue values (normalised on the way in) or ``ANY`` when the shopper said
"anything"; ``ANY`` is remembered (so the question is not asked again) but filters nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from shopguide.search.query_parser import ParsedQuery, QueryParser
from shopguide.store.filters import Constraints

ANY = "any"
PREFERENCE_SLOTS = (
    "category", "gender", "colour", "size", "budget_max", "style", "occasion", "pattern", "material", "brand"
)  # fmt: skip
# wishes that belong to one kind of garment (a jeans maker may make no dresses); who it is for (gender) and
# the shopper's size do not
GARMENT_WISHES = (
    "colour", "pattern", "material", "style", "occasion", "brand", "budget_min", "budget_max", "price_order"
)  # fmt: skip
BUDGET_SLOTS = ("budget_min", "budget_max")


def sensible_budget(value: Any) -> bool:
    """A price a shopper can mean: above zero ("budget -5", "budget 0" are slips to point out)."""
    return float(value) > 0


class Preferences(BaseModel):
    category: str | None = None
    gender: str | None = None
    colour: str | None = None
    size: str | None = None
    budget_min: float | None = None
    budget_max: float | None = None
    style: str | None = None
    occasion: str | None = None
    pattern: str | None = None
    material: str | None = None  # a soft wish, like style: the words rank, nothing is filtered out
    brand: str | None = None  # as the catalogue spells it: only the query parser fills it
    price_order: str | None = Field(None, description="'the cheapest dresses': 'cheapest' or 'dearest' first")
    excluded: list[str] = Field(default_factory=list)
    avoided_colours: list[str] = Field(default_factory=list, description="'not red', '不要黑色'")
    avoided_patterns: list[str] = Field(default_factory=list, description="'not striped', '不要条纹的'")
    colour_choices: list[str] = Field(default_factory=list, description="'green or blue': the colour is one")
    category_choices: list[str] = Field(default_factory=list, description="'shoes': sneakers or boots")
    skipped: set[str] = Field(default_factory=set, description="slots the shopper answered with 'anything'")

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> Preferences:
        lists = ("avoided_colours", "avoided_patterns", "colour_choices", "category_choices")  # slots too
        names = [name for name in cls.model_fields if name not in (*lists, "excluded", "skipped")]
        given = {name: slots.get(name) for name in names if slots.get(name) is not None}
        skipped = {name for name, value in given.items() if value == ANY}
        values = {name: value for name, value in given.items() if value != ANY}
        listed = {name: list(slots.get(name) or []) for name in lists}
        return cls(**values, excluded=list(slots.get("excluded_items") or []), skipped=skipped, **listed)

    @staticmethod
    def from_words(words: str, parser: QueryParser) -> dict[str, Any]:
        """Slot updates from free words, e.g. the text sent with a photo ("like this but in blue, under 50").
        A budget that is not `sensible_budget` is among them: the caller refuses it (`refused_budget`)."""
        return Preferences.from_parsed(parser.parse(words))

    @staticmethod
    def from_parsed(query: ParsedQuery) -> dict[str, Any]:
        """`from_words` of words already parsed."""
        return query.slot_values()

    @staticmethod
    def refused_budget(found: dict[str, Any]) -> float | None:
        """Takes a budget that is not sensible out of `found` (slot updates) and returns it, else None."""
        refused = [found.pop(name) for name in BUDGET_SLOTS if name in found and not sensible_budget(found[name])]
        return refused[0] if refused else None

    def is_open(self, name: str) -> bool:
        """Neither stated nor skipped: a question about it is still worth asking."""
        return getattr(self, name) is None and name not in self.skipped

    def value(self, name: str) -> Any:
        return getattr(self, name)

    def either(self, name: str) -> list[str]:
        """The colours or kinds of garment wanted: the one stated, or all of those named with it ("green or
        blue", "shoes": sneakers or boots) while the slot still holds one of them (one stated later, by a
        button too, stands alone)."""
        value, choices = self.value(name), getattr(self, f"{name}_choices")
        if not value:
            return []
        return choices if value in choices else [value]

    def constraints(self) -> Constraints:
        """Hard constraints: category, gender, colour, pattern, brand, size in stock, budget."""
        return Constraints(
            categories=self.either("category"),
            colours=self.either("colour"),
            gender=self.value("gender"),
            pattern=self.value("pattern"),
            brand=self.value("brand"),
            size=self.value("size"),
            price_min=self.value("budget_min"),
            price_max=self.value("budget_max"),
            exclude_ids=self.excluded,
            exclude_colours=self.avoided_colours,
            exclude_patterns=self.avoided_patterns,
        )

    def query_text(self) -> str:
        """Soft wishes for the embedding: material, style and occasion words, plus the hard ones for context;
        no colour or kind when several will do ("green or blue"), as the words would rank one or the blend first."""
        colour, category = (self._one("colour"), self._one("category"))
        words = [colour, *(self.value(n) for n in ("pattern", "material", "style", "occasion")), category]
        return " ".join(str(w) for w in words if w)

    def _one(self, name: str) -> str | None:
        wanted = self.either(name)
        return wanted[0] if len(wanted) == 1 else None

    def look_wishes(self, look: Mapping[str, str]) -> dict[str, str]:
        """What the shopper's photo (or the shown item they picked: "more like #2") showed that the ranking
        weighs as words (`look`: category, colour, pattern): while that kind of garment is wanted, its
        colour and pattern where the shopper stated none. Never filters (the shopper may want another
        colour), yet they rank: on the validation split a photo searched with its read category alone found
        its own colour in 19% of the top 10, with the read colour and pattern as words ("black dotted
        dress") in 39%, with a catalogue item's labelled ones in 48% (evaluation report)."""
        if look.get("category") not in (None, self.category):
            return {}
        return {n: look[n] for n in ("colour", "pattern") if look.get(n) and not self.value(n)}


def new_garment_resets(previous: str | None, category: str | None, stated: set[str]) -> dict[str, None]:
    """A request for another kind of garment starts a new search: the old garment's colour, pattern,
    material, style, occasion and budget are dropped unless the same message states them again (a dress budget
    is no budget for a men's jacket, and a relaxation would then offer to drop what was just said)."""
    if previous in (None, ANY) or category in (None, ANY, previous):
        return {}
    return {name: None for name in GARMENT_WISHES if name not in stated}


def normalise(slot: str, value: Any, parser: QueryParser) -> str | None:
    """An entity's literal words ("蓝色", "tees", "Men's") -> the catalogue's value, or None if unknown."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text == ANY:
        return ANY
    if slot in ("category", "colour", "gender", "pattern"):
        return parser.slot_value(slot, text) or parser.misspelt(slot, text)
    if slot == "material":  # a soft wish: words the catalogue has no material for still rank as words
        return parser.slot_value(slot, text) or text
    if slot == "size":
        return text.upper()
    return text
